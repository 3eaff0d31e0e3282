"""/events: a worker sees coming events with their answers, cancels one, or notes who came."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import ClassVar

from conversations.choices import ChoiceData, yes_no
from conversations.event_work import event_at_hand, stop_choice
from conversations.invitations import cancellation, details, outgoing
from conversations.messages import Question, Reply
from conversations.roles import REVIEWERS, allowed
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, format_day, ngettext
from storage.events import Answers, Event

log = logging.getLogger(__name__)

router = Router("agenda")

PAST_DAYS = 30
MAX_ATTENDED = 100_000


@dataclass(frozen=True)
class Agenda(ChoiceData):
    """Something to do with one event: link messages, cancel (and confirm), note who came."""

    prefix: ClassVar[str] = "agenda"
    action: str
    event_id: int


def attendance_question(event: Event, lang: str) -> Reply:
    """How many came."""
    title = event.text_in(lang).title
    return Reply(
        _("How many people came to {title}? Type a number.", title=title),
        Question.of((stop_choice(),)),
    )


@router.asks("attendance")
async def ask_attendance(turn: Turn) -> list[Reply]:
    """How many came, while the event is there."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    return [attendance_question(event, turn.resident.language)] if event is not None else []


@router.asks("cancelling")
async def ask_cancelling(turn: Turn) -> list[Reply]:
    """Whether to cancel the event, and how many will be told."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    if event is None or event.status != "sent":
        return []
    told = await turn.storage.events.answered(event.id, ("going", "maybe"))
    title = event.text_in(turn.resident.language).title
    text = (
        _(
            "Cancel {title} on {day}?",
            title=title,
            day=format_day(event.starts or datetime.now(UTC)),
        )
        + "\n"
        + ngettext(
            "{n} resident who said coming or maybe will be told.",
            "{n} residents who said coming or maybe will be told.",
            len(told),
        )
    )
    question = yes_no(
        Agenda("cancelled", event.id),
        Agenda("keep", event.id),
        (_("🗑 Yes, cancel it"), _("↩️ No, keep it")),
        (_(S_("🗑 Cancel it")), _(S_("↩️ Keep it"))),
    )
    return [Reply(text, question)]


@router.asks("agenda")
async def ask_agenda(turn: Turn) -> list[Reply]:
    """The coming events and the past ones to note, again."""
    return await _listing(turn)


@router.command(
    "events",
    N_("coming activities: answers, cancel, who came"),
    N_("events, activities"),
    shown_to=REVIEWERS,
)
async def show(turn: Turn) -> None:
    """List coming events with their answers, and past ones whose attendance is not noted."""
    if not await allowed(turn, REVIEWERS, "events"):
        return
    listing = await _listing(turn)
    if not listing:
        turn.say(_("No activities are coming up. Make one with /newevent."))
        await turn.ask()
        return
    turn.state.clear()
    turn.state.step = "agenda"
    turn.replies += listing


async def _listing(turn: Turn) -> list[Reply]:
    replies = []
    now = datetime.now(UTC)
    events = turn.storage.events
    coming = await events.upcoming(now.isoformat())
    since = (now - timedelta(days=PAST_DAYS)).isoformat()
    past = [e for e in await events.recent_past(since, now.isoformat()) if e.attended is None]
    link = (_("🔗 Link messages"), _(S_("🔗 Link messages")))
    for event in coming:
        answers = await events.answers(event.id)
        sending = await turn.storage.outbox.progress(event.id, "invitation")
        replies.append(
            Reply(
                _summary(event, turn.resident.language, answers, sending),
                Question.of(
                    (
                        Agenda("link", event.id).choice(*link),
                        Agenda("cancel", event.id).choice(_("✖ Cancel it"), _(S_("✖ Cancel it"))),
                    )
                ),
            )
        )
    for event in past:
        answers = await events.answers(event.id)
        replies.append(
            Reply(
                _("Took place:") + "\n" + _summary(event, turn.resident.language, answers, {}),
                Question.of(
                    (
                        Agenda("came", event.id).choice(
                            _("🧮 How many came?"), _(S_("🧮 How many came"))
                        ),
                        Agenda("link", event.id).choice(*link),
                    )
                ),
            )
        )
    return replies


def _summary(event: Event, lang: str, answers: Answers, sending: dict[str, int]) -> str:
    lines = [details(event, lang), ""]
    lines.append(
        _(
            "✅ {going} coming · 🤔 {maybe} maybe · ❌ {no} can't · ⏳ {unanswered} no answer",
            going=answers.going,
            maybe=answers.maybe,
            no=answers.no,
            unanswered=answers.unanswered,
        )
    )
    if event.capacity is not None:
        lines.append(
            _("Places: {going} of {capacity} taken", going=answers.going, capacity=event.capacity)
        )
    if sending.get("delivered"):
        lines.append(
            _(
                "📬 {delivered} delivered · 👀 {read} read",
                delivered=sending["delivered"],
                read=sending.get("read", 0),
            )
        )
    waiting = sending.get("pending", 0) + sending.get("sending", 0)
    if waiting:
        lines.append(
            ngettext(
                "📨 {n} invitation is still being sent.",
                "📨 {n} invitations are still being sent.",
                waiting,
            )
        )
    return "\n".join(lines)


@router.choice(Agenda)
async def choose(turn: Turn, chosen: Agenda) -> None:
    """A choice under an event: cancel (and confirm), note attendance, or link messages."""
    action = chosen.action
    if not await allowed(turn, REVIEWERS, f"events {action}"):
        return
    event = await turn.storage.events.get(chosen.event_id)
    if event is None or event.status != "sent":
        await turn.stale()
        return
    title = event.text_in(turn.resident.language).title
    if action == "cancel":
        turn.state.clear()
        turn.state.step = "cancelling"
        turn.state.event_id = event.id
        await turn.ask()
    elif action == "cancelled":
        turn.state.clear()
        await _cancel(turn, event)
    elif action == "keep":
        turn.state.clear()
        turn.say(_("Okay, {title} goes ahead.", title=title), replace=True)
    elif action in ("came", "link"):
        turn.state.clear()
        turn.state.step = "attendance" if action == "came" else "link"
        turn.state.event_id = event.id
        await turn.ask()
    else:
        await turn.stale()


async def _cancel(turn: Turn, event: Event) -> None:
    ids = await turn.storage.events.answered(event.id, ("going", "maybe"))
    residents = await turn.storage.residents.many(ids)
    messages = [outgoing(r, partial(cancellation, event)) for r in residents]
    if await turn.storage.events.cancel(event.id, turn.resident.id, turn.resident.role, messages):
        log.info("event %s cancelled; telling %s residents", event.id, len(messages))
    turn.say(
        ngettext(
            "Cancelled. {n} resident will be told.",
            "Cancelled. {n} residents will be told.",
            len(messages),
        ),
        replace=True,
    )


@router.text("attendance")
async def receive_attendance(turn: Turn) -> None:
    """The number of people who came."""
    text = turn.event.text.strip()
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    if not text.isdigit() or int(text) > MAX_ATTENDED:
        turn.say(_("Please type a number, like 12."))
        await turn.ask()
        return
    await turn.storage.events.record_attendance(
        event.id, int(text), turn.resident.id, turn.resident.role
    )
    turn.state.clear()
    turn.say(
        ngettext(
            "Noted: {n} person came. Thank you!", "Noted: {n} people came. Thank you!", int(text)
        )
    )
    await turn.ask()
