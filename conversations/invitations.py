"""What residents receive about events, each in their own language, and their answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.messages import Question, Reply
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, format_day, format_time, isolate, join_list, ngettext, use
from storage.events import ANSWERS, Event
from storage.outbox import Outgoing
from storage.residents import Resident

log = logging.getLogger(__name__)

router = Router("invitations")

ANSWER_LABELS = {
    "going": N_("✅ I'm coming"),
    "maybe": N_("🤔 Maybe"),
    "no": N_("❌ I can't"),
}


ANSWER_SHORT = {"going": S_("✅ I'm coming"), "maybe": S_("🤔 Maybe"), "no": S_("❌ I can't")}


@dataclass(frozen=True)
class Rsvp(ChoiceData):
    """An answer to an invitation: going, maybe or no."""

    prefix: ClassVar[str] = "rsvp"
    event_id: int
    answer: str


def answer_row(event_id: int, chosen: str | None = None) -> Question:
    """Going, maybe, can't: the resident's current answer marked."""
    return Question.of(
        tuple(
            Rsvp(event_id, answer).choice(
                ("👉 " if answer == chosen else "") + _(ANSWER_LABELS[answer]),
                ("👉 " if answer == chosen else "") + _(ANSWER_SHORT[answer]),
            )
            for answer in ANSWERS
        )
    )


def details(event: Event, lang: str) -> str:
    """Title, description, day, time and place; the text in `lang` or else Dutch."""
    text = event.text_in(lang)
    # Words in another language (the Dutch fallback) keep their own direction in an RTL chat,
    # so "!" and emoji stay at their end.
    shown = str if lang in event.texts else isolate
    lines = [f"📌 {shown(text.title)}"] if text.title else []
    lines += [shown(line) for line in text.description.split("\n")] if text.description else []
    if event.starts is not None:
        lines += [
            "",
            _("🗓 {day}", day=format_day(event.starts)),
            _("🕑 {time}", time=format_time(event.starts)),
        ]
    if event.place:
        lines.append(_("📍 {place}", place=event.place))
    return "\n".join(lines)


def invitation(event: Event, lang: str, chosen: str | None = None) -> Reply:
    """The invitation with answer buttons (or the announcement, without)."""
    if event.kind == "announcement":
        return Reply(_("📢 News from Veerkrachtige Wijken") + "\n\n" + details(event, lang))
    lines = [_("📨 You are invited!"), "", details(event, lang), ""]
    if chosen is None:
        lines.append(_("Are you coming? Tap your answer. You can change it later."))
    else:
        lines.append(_("Your answer: {answer}", answer=_(ANSWER_LABELS[chosen])))
        lines.append(_("You can still change it."))
    short = _("Your answer: {answer}", answer=_(ANSWER_LABELS[chosen])) if chosen else ""
    return Reply("\n".join(lines), answer_row(event.id, chosen), short=short)


def reminder(event: Event, lang: str, chosen: str) -> Reply:
    """The day-before reminder to those going or maybe."""
    text = "\n".join((_("⏰ Reminder: see you tomorrow!"), "", details(event, lang)))
    return Reply(text, answer_row(event.id, chosen))


def cancellation(event: Event, lang: str) -> Reply:
    """News that an event the resident meant to go to is cancelled."""
    return Reply(
        "\n".join(
            (
                _("❌ Sorry, this activity is cancelled:"),
                "",
                details(event, lang),
                "",
                _("You don't need to do anything."),
            )
        )
    )


def linked(event: Event, lang: str, references: list[str], chosen: str | None = None) -> Reply:
    """'You said, we did': the author hears their message is on the table (and their answer)."""
    lines = [
        _("🙌 You said, we did!"),
        ngettext(
            "Your message {refs} is on the table:",
            "Your messages {refs} are on the table:",
            len(references),
            refs=join_list(references),
        ),
        "",
        details(event, lang),
    ]
    if event.kind != "event":
        return Reply("\n".join(lines))
    if chosen is None:
        lines += ["", _("Are you coming? Tap your answer. You can change it later.")]
    else:
        lines += ["", _("Your answer: {answer}", answer=_(ANSWER_LABELS[chosen]))]
        lines.append(_("You can still change it."))
    return Reply("\n".join(lines), answer_row(event.id, chosen))


def outgoing(resident: Resident, render: Callable[[str], Reply]) -> Outgoing:
    """A message rendered in the resident's language, ready for the outbox."""
    with use(resident.language):
        reply = render(resident.language).directed()
    question = asdict(reply.question) if reply.question else None
    return Outgoing(resident.id, reply.text, question)


@router.answers_anytime
async def latest_invitation(turn: Turn) -> list[Reply]:
    """The answers to the newest invitation still to come: "I'm coming" may be typed."""
    event_id = await turn.storage.outbox.latest_event(turn.resident.id, "invitation")
    event = await turn.storage.events.get(event_id) if event_id is not None else None
    if event is None or event.status != "sent" or event.kind != "event":
        return []
    chosen = await turn.storage.events.answer_of(event.id, turn.resident.id)
    return [Reply("", answer_row(event.id, chosen))]


@router.choice(Rsvp)
async def answer(turn: Turn, rsvp: Rsvp) -> None:
    """A tap on going, maybe or can't: store it and show the invitation with the answer."""
    chosen = rsvp.answer
    event = await turn.storage.events.get(rsvp.event_id)
    if event is None or chosen not in ANSWERS or event.kind != "event":
        turn.say(_("That button is no longer active."))
        return
    if not await turn.storage.outbox.reached(event.id, turn.resident.id):
        # Button data can be forged: only an invitation this resident was sent can be answered.
        log.warning("resident %s answered event %s it was never sent", turn.resident.id, event.id)
        await turn.storage.audit.add(
            turn.resident.id, turn.resident.role, "refused", attempt=f"rsvp:{event.id}"
        )
        turn.say(_("That button is no longer active."))
        return
    if event.status == "cancelled":
        turn.say(_("Sorry, this activity is cancelled."), replace=True)
        return
    if chosen == "going" and await _full(turn, event):
        turn.say(_("Sorry, this activity is full. You can still answer maybe."))
        return
    await turn.storage.events.answer(event.id, turn.resident.id, chosen)
    log.info("resident %s answered %s to event %s", turn.resident.id, chosen, event.id)
    turn.replies.append(replace(invitation(event, turn.resident.language, chosen), replace=True))


async def _full(turn: Turn, event: Event) -> bool:
    if event.capacity is None:
        return False
    if await turn.storage.events.answer_of(event.id, turn.resident.id) == "going":
        return False
    return (await turn.storage.events.answers(event.id)).going >= event.capacity
