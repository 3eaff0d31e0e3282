"""/events: a worker sees coming events with their answers, cancels one, or notes who came."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial

from conversations import prompts
from conversations.invitations import cancellation, details, outgoing
from conversations.messages import Button
from conversations.planning import event_at_hand
from conversations.roles import REVIEWERS, allowed
from conversations.turn import Turn
from locales import _, format_day, ngettext
from storage.events import Answers, Event

log = logging.getLogger(__name__)

PAST_DAYS = 30
MAX_ATTENDED = 100_000


async def show(turn: Turn) -> None:
    """List coming events with their answers, and past ones whose attendance is not noted."""
    if not await allowed(turn, REVIEWERS, "events"):
        return
    now = datetime.now(UTC)
    events = turn.storage.events
    coming = await events.upcoming(now.isoformat())
    since = (now - timedelta(days=PAST_DAYS)).isoformat()
    past = [e for e in await events.recent_past(since, now.isoformat()) if e.attended is None]
    if not coming and not past:
        turn.say(_("No activities are coming up. Make one with /newevent."))
        await prompts.ask(turn)
        return
    for event in coming:
        answers = await events.answers(event.id)
        sending = await turn.storage.outbox.progress(event.id, "invitation")
        turn.say(
            _summary(event, turn.resident.language, answers, sending),
            (
                Button(_("🔗 Link messages"), f"agenda:link:{event.id}"),
                Button(_("✖ Cancel it"), f"agenda:cancel:{event.id}"),
            ),
        )
    for event in past:
        answers = await events.answers(event.id)
        turn.say(
            _("Took place:") + "\n" + _summary(event, turn.resident.language, answers, {}),
            (
                Button(_("🧮 How many came?"), f"agenda:came:{event.id}"),
                Button(_("🔗 Link messages"), f"agenda:link:{event.id}"),
            ),
        )


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


async def choose(turn: Turn, value: str) -> None:
    """A button under an event: cancel (and confirm), note attendance, or link messages."""
    action, _sep, ref = value.partition(":")
    if not await allowed(turn, REVIEWERS, f"events {action}"):
        return
    event = await turn.storage.events.get(int(ref)) if ref.isdigit() else None
    if event is None or event.status != "sent":
        await prompts.stale(turn)
        return
    title = event.text_in(turn.resident.language).title
    if action == "cancel":
        told = await turn.storage.events.answered(event.id, ("going", "maybe"))
        turn.say(
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
            ),
            (
                Button(_("🗑 Yes, cancel it"), f"agenda:cancelled:{event.id}"),
                Button(_("↩️ No, keep it"), f"agenda:keep:{event.id}"),
            ),
        )
    elif action == "cancelled":
        await _cancel(turn, event)
    elif action == "keep":
        turn.say(_("Okay, {title} goes ahead.", title=title), replace=True)
    elif action in ("came", "link"):
        turn.state.clear()
        turn.state.step = "attendance" if action == "came" else "link"
        turn.state.event_id = event.id
        await prompts.ask(turn)
    else:
        await prompts.stale(turn)


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


async def receive_attendance(turn: Turn) -> None:
    """The number of people who came."""
    text = turn.event.text.strip()
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    if not text.isdigit() or int(text) > MAX_ATTENDED:
        turn.say(_("Please type a number, like 12."))
        await prompts.ask(turn)
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
    await prompts.ask(turn)
