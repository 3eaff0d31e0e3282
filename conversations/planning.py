"""A worker makes an event (/newevent) or announcement (/broadcast), one question at a time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, get_args

from conversations.choices import ChoiceData
from conversations.event_work import event_at_hand, place_options, stop_choice
from conversations.labels import NOT_SAID, PILLAR_LABELS, PILLAR_SHORT
from conversations.messages import Choice, Question, Reply
from conversations.onboarding import language_words
from conversations.roles import REVIEWERS, allowed
from conversations.routing import Router
from conversations.share import toggled
from conversations.state import EventQuestion
from conversations.turn import Turn
from conversations.when import InPast, Unreadable, parse_when
from locales import (
    N_,
    S_,
    TIME_ZONE,
    _,
    available_languages,
    format_day,
    format_time,
    join_list,
    language_name_here,
)
from storage.events import SOURCE_LANGUAGE, Event
from storage.residents import Audience

log = logging.getLogger(__name__)

router = Router("planning")

MAX_TITLE = 120
MAX_TEXT = 1500
MAX_CAPACITY = 100_000
# The questions of an event, in the order the worker is asked them: the first seven.
EVENT_QUESTIONS: tuple[EventQuestion, ...] = get_args(EventQuestion)[:7]
ANNOUNCEMENT_QUESTIONS: tuple[EventQuestion, ...] = ("description",)


@dataclass(frozen=True)
class Ev(ChoiceData):
    """A choice while making an event: skip, a toggle, done, a language, on to the audience."""

    prefix: ClassVar[str] = "ev"
    action: str
    option: str = ""


def questions(event: Event) -> tuple[EventQuestion, ...]:
    """What a worker is asked, in order, before the languages and the audience."""
    return EVENT_QUESTIONS if event.kind == "event" else ANNOUNCEMENT_QUESTIONS


def event_question(turn: Turn, event: Event) -> Reply:
    """The question the worker is at while making an event or announcement."""
    name, lang = turn.state.asking, turn.state.asking_in or ""
    stop = (stop_choice(),)
    done = (Ev("next").choice(_("👍 Done"), _(S_("👍 Done"))),)
    if name == "title":
        return Reply(_("📝 New activity. What is its name? Write it in Dutch."), Question.of(stop))
    if name == "description" and event.kind == "announcement":
        return Reply(
            _("📢 What do you want to tell residents? Write it in Dutch."), Question.of(stop)
        )
    if name == "description":
        return Reply(
            _("Describe it in one or two sentences, in Dutch."),
            Question.of((Ev("skip").choice(_("⏭ Skip"), _(S_("⏭ Skip"))),), stop),
        )
    if name == "when":
        return Reply(
            _("When is it? Type the day and time, like 13-3 14:00 or 13 maart 14u."),
            Question.of(stop),
        )
    if name == "place":
        return Reply(_("Where is it? Type the place and address."), Question.of(stop))
    if name == "hoods":
        places = place_options(turn.services.neighbourhoods)
        toggles = [
            (Ev("hood", name).toggle(label, name in event.neighbourhoods),)
            for name, label in places.items()
        ]
        return Reply(
            _("Which neighbourhoods is it for? Tap to switch on or off, then tap Done."),
            Question.of(*toggles, done, multi=True),
        )
    if name == "pillars":
        toggles = [
            (Ev("pillar", p).toggle(_(label), p in event.pillars, _(PILLAR_SHORT[p])),)
            for p, label in PILLAR_LABELS.items()
        ]
        return Reply(
            _("Which topics does it touch? Tap to switch on or off, then tap Done."),
            Question.of(*toggles, done, multi=True),
        )
    if name == "capacity":
        return Reply(
            _("How many people can come at most? Type a number, or tap No limit."),
            Question.of((Ev("nolimit").choice(_("♾ No limit"), _(S_("♾ No limit"))),), stop),
        )
    if name == "title_in":
        return Reply(
            _("The name in {language}?", language=language_name_here(lang)), Question.of(stop)
        )
    if name == "text_in":
        return Reply(
            _("The text in {language}?", language=language_name_here(lang)), Question.of(stop)
        )
    return languages_question(event)


def languages_question(event: Event) -> Reply:
    """Offer to add the text in more languages; residents get their own when there is one."""
    others = [lang for lang in available_languages() if lang != SOURCE_LANGUAGE]
    choices: list[Choice] = [
        Ev("lang", lang).choice(
            ("✅ " if lang in event.texts else "") + language_name_here(lang),
            words=language_words(lang),
        )
        for lang in others
    ]
    written = join_list(language_name_here(lang) for lang in sorted(event.texts))
    return Reply(
        _("Written in: {languages}.", languages=written)
        + "\n"
        + _(
            "Residents get the text in their own language when you add it, else in Dutch."
            " Add another language, or tap Next."
        ),
        Question.of(
            *(tuple(choices[i : i + 3]) for i in range(0, len(choices), 3)),
            (Ev("audience").choice(_("➡ Next: who gets it"), _(S_("➡ Who gets it"))),),
            (stop_choice(),),
        ),
    )


@router.asks("event")
async def ask_event(turn: Turn) -> list[Reply]:
    """The question the worker is at, while the draft is there."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    return [event_question(turn, event)] if event is not None else []


@router.command(
    "newevent", N_("invite residents to an activity"), N_("new event"), shown_to=REVIEWERS
)
async def new_event(turn: Turn) -> None:
    """/newevent: start a draft event."""
    await _start(turn, "event", "newevent")


@router.command(
    "broadcast", N_("send an announcement to residents"), N_("announcement"), shown_to=REVIEWERS
)
async def broadcast(turn: Turn) -> None:
    """/broadcast: start a draft announcement."""
    await _start(turn, "announcement", "broadcast")


async def _start(turn: Turn, kind: str, command: str) -> None:
    if not await allowed(turn, REVIEWERS, command):
        return
    event = await turn.storage.events.create(kind, turn.resident.id)
    turn.state.clear()
    turn.state.step = "event"
    turn.state.event_id = event.id
    turn.state.asking = questions(event)[0]
    await turn.ask()


@router.text("event")
async def receive(turn: Turn) -> None:
    """A typed answer to the question the worker is at."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    text = turn.event.text.strip()
    if turn.event.kind != "text" or not text:
        turn.say(_("Please type your answer."))
        await turn.ask()
        return
    name, lang = turn.state.asking, turn.state.asking_in
    longest = MAX_TEXT if name in ("description", "text_in") else MAX_TITLE
    if len(text) > longest:
        turn.say(
            _(
                "That is too long: at most {n} characters, yours has {length}. Please make it"
                " shorter.",
                n=longest,
                length=len(text),
            )
        )
        await turn.ask()
    elif name in ("title", "title_in"):
        await _set_text(turn, event, lang or SOURCE_LANGUAGE, title=text)
    elif name in ("description", "text_in"):
        await _set_text(turn, event, lang or SOURCE_LANGUAGE, description=text)
    elif name == "when":
        await _set_when(turn, event, text)
    elif name == "place":
        event.place = text
        await _next(turn, event)
    elif name == "capacity":
        await _set_capacity(turn, event, text)
    else:
        turn.say(_("Please tap one of the buttons."))
        await turn.ask()


@router.choice(Ev, steps=["event"])
async def choose(turn: Turn, chosen: Ev) -> None:
    """A choice while making the event: skip, a toggle, done, a language, or on to sending."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    action, option = chosen.action, chosen.option
    if action == "skip" and turn.state.asking == "description":
        await _next(turn, event)
    elif action == "hood" and option in (*turn.services.neighbourhoods, NOT_SAID):
        event.neighbourhoods = toggled(event.neighbourhoods, option)
        await _again(turn, event)
    elif action == "pillar" and option in PILLAR_LABELS:
        event.pillars = toggled(event.pillars, option)
        await _again(turn, event)
    elif action == "next" and turn.state.asking in ("hoods", "pillars"):
        await _next(turn, event)
    elif action == "nolimit" and turn.state.asking == "capacity":
        event.capacity = None
        await _next(turn, event)
    elif action == "lang" and option in available_languages():
        turn.state.asking = "title_in" if event.kind == "event" else "text_in"
        turn.state.asking_in = option
        await turn.ask()
    elif action == "audience":
        # Residents who kept their neighbourhood to themselves are not left out.
        hoods = tuple(event.neighbourhoods)
        event.audience = Audience(
            neighbourhoods=(*hoods, NOT_SAID) if hoods and NOT_SAID not in hoods else hoods
        )
        await turn.storage.events.save(event)
        turn.state.step = "audience"
        turn.state.asking = None
        await turn.ask()
    else:
        await turn.stale()


async def _set_text(turn: Turn, event: Event, lang: str, **text: str) -> None:
    await turn.storage.events.set_text(event.id, lang, **text)
    if turn.state.asking == "title_in":
        turn.state.asking = "text_in"
        await turn.ask()
        return
    event = await turn.storage.events.get(event.id) or event
    await _next(turn, event)


async def _set_when(turn: Turn, event: Event, text: str) -> None:
    try:
        moment = parse_when(text, datetime.now(TIME_ZONE))
    except InPast:
        turn.say(_("That moment has already passed. Please type a day and time to come."))
        await turn.ask()
        return
    except Unreadable:
        turn.say(
            _(
                "Sorry, I cannot read that as a day and time. Please type it like 13-3 14:00,"
                " 13 maart 14u or 2027-03-13 14:00."
            )
        )
        await turn.ask()
        return
    event.starts_at = moment.astimezone(UTC).isoformat(timespec="seconds")
    turn.say(_("🗓 {day}, {time} ✔", day=format_day(moment), time=format_time(moment)))
    await _next(turn, event)


async def _set_capacity(turn: Turn, event: Event, text: str) -> None:
    if not text.isdigit() or not 0 < int(text) <= MAX_CAPACITY:
        turn.say(_("Please type a number, like 25, or tap No limit."))
        await turn.ask()
        return
    event.capacity = int(text)
    await _next(turn, event)


async def _next(turn: Turn, event: Event) -> None:
    """Save the draft and ask the next question (the languages once all are answered)."""
    await turn.storage.events.save(event)
    order = questions(event)
    asking = turn.state.asking
    later = order[order.index(asking) + 1 :] if asking in order else ()
    turn.state.asking = later[0] if later else "languages"
    await turn.ask()


async def _again(turn: Turn, event: Event) -> None:
    """Save a toggle and show the same question with the new ticks, in place."""
    await turn.storage.events.save(event)
    question = event_question(turn, event)
    turn.replies.append(Reply(question.text, question.question, replace=True))
