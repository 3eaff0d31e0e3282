"""A worker makes an event (/newevent) or announcement (/broadcast), one question at a time."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from conversations import event_prompts, prompts
from conversations.labels import NOT_SAID, PILLAR_LABELS
from conversations.roles import REVIEWERS, allowed
from conversations.turn import Turn
from conversations.when import InPast, Unreadable, parse_when
from locales import TIME_ZONE, _, available_languages, format_day, format_time
from storage.events import SOURCE_LANGUAGE, Event
from storage.residents import Audience

log = logging.getLogger(__name__)

MAX_TITLE = 120
MAX_TEXT = 1500
MAX_CAPACITY = 100_000


async def new_event(turn: Turn) -> None:
    """/newevent: start a draft event."""
    await _start(turn, "event", "newevent")


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
    turn.state.asking = event_prompts.questions(event)[0]
    await prompts.ask(turn)


async def receive(turn: Turn) -> None:
    """A typed answer to the question the worker is at."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    text = turn.event.text.strip()
    if turn.event.kind != "text" or not text:
        turn.say(_("Please type your answer."))
        await prompts.ask(turn)
        return
    name, _sep, lang = (turn.state.asking or "").partition(":")
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
        await prompts.ask(turn)
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
        await prompts.ask(turn)


async def choose(turn: Turn, value: str) -> None:
    """A button while making the event: skip, a toggle, done, a language, or on to sending."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    action, _sep, option = value.partition(":")
    if action == "skip" and turn.state.asking == "description":
        await _next(turn, event)
    elif action == "hood" and option in (*turn.services.neighbourhoods, NOT_SAID):
        event.neighbourhoods = _toggled(event.neighbourhoods, option)
        await _again(turn, event)
    elif action == "pillar" and option in PILLAR_LABELS:
        event.pillars = _toggled(event.pillars, option)
        await _again(turn, event)
    elif action == "next" and turn.state.asking in ("hoods", "pillars"):
        await _next(turn, event)
    elif action == "nolimit" and turn.state.asking == "capacity":
        event.capacity = None
        await _next(turn, event)
    elif action == "lang" and option in available_languages():
        turn.state.asking = f"title_in:{option}" if event.kind == "event" else f"text_in:{option}"
        await prompts.ask(turn)
    elif action == "audience":
        # Residents who kept their neighbourhood to themselves are not left out.
        hoods = tuple(event.neighbourhoods)
        event.audience = Audience(
            neighbourhoods=(*hoods, NOT_SAID) if hoods and NOT_SAID not in hoods else hoods
        )
        await turn.storage.events.save(event)
        turn.state.step = "audience"
        turn.state.asking = None
        await prompts.ask(turn)
    else:
        await prompts.stale(turn)


async def stop(turn: Turn, value: str) -> None:
    """Stop making or following up an event; a draft is left unsent."""
    turn.state.clear()
    turn.say(_("Stopped. Nothing was sent."), replace=True)
    await prompts.ask(turn)


async def event_at_hand(turn: Turn, status: str) -> Event | None:
    """The event the worker is busy with while it is `status`; else say so and return None."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    if event is None or event.status != status:
        turn.state.clear()
        await prompts.stale(turn)
        return None
    return event


async def _set_text(turn: Turn, event: Event, lang: str, **text: str) -> None:
    await turn.storage.events.set_text(event.id, lang, **text)
    if turn.state.asking and turn.state.asking.startswith("title_in:"):
        turn.state.asking = f"text_in:{lang}"
        await prompts.ask(turn)
        return
    event = await turn.storage.events.get(event.id) or event
    await _next(turn, event)


async def _set_when(turn: Turn, event: Event, text: str) -> None:
    try:
        moment = parse_when(text, datetime.now(TIME_ZONE))
    except InPast:
        turn.say(_("That moment has already passed. Please type a day and time to come."))
        await prompts.ask(turn)
        return
    except Unreadable:
        turn.say(
            _(
                "Sorry, I cannot read that as a day and time. Please type it like 13-3 14:00,"
                " 13 maart 14u or 2027-03-13 14:00."
            )
        )
        await prompts.ask(turn)
        return
    event.starts_at = moment.astimezone(UTC).isoformat(timespec="seconds")
    turn.say(_("🗓 {day}, {time} ✔", day=format_day(moment), time=format_time(moment)))
    await _next(turn, event)


async def _set_capacity(turn: Turn, event: Event, text: str) -> None:
    if not text.isdigit() or not 0 < int(text) <= MAX_CAPACITY:
        turn.say(_("Please type a number, like 25, or tap No limit."))
        await prompts.ask(turn)
        return
    event.capacity = int(text)
    await _next(turn, event)


async def _next(turn: Turn, event: Event) -> None:
    """Save the draft and ask the next question (the languages once all are answered)."""
    await turn.storage.events.save(event)
    order = event_prompts.questions(event)
    asking = turn.state.asking
    later = order[order.index(asking) + 1 :] if asking in order else ()
    turn.state.asking = later[0] if later else "languages"
    await prompts.ask(turn)


async def _again(turn: Turn, event: Event) -> None:
    """Save a toggle and show the same question with the new ticks, in place."""
    await turn.storage.events.save(event)
    turn.replies.append(replace(event_prompts.event_question(turn, event), replace=True))


def _toggled(chosen: list[str], option: str) -> list[str]:
    return [c for c in chosen if c != option] if option in chosen else [*chosen, option]
