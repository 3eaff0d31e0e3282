"""The reminder the day before an event, to everyone who said they are coming or maybe."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import partial

from conversations.invitations import outgoing, reminder
from locales import TIME_ZONE
from storage import Storage
from storage.events import Event

log = logging.getLogger(__name__)


def reminder_moment(event: Event, at: time) -> datetime:
    """When an event's reminder goes: the day before it, at `at` in Maastricht."""
    assert event.starts is not None
    day_before = event.starts.astimezone(TIME_ZONE).date() - timedelta(days=1)
    return datetime.combine(day_before, at, tzinfo=TIME_ZONE)


async def queue_reminders(storage: Storage, now: datetime, at: time) -> int:
    """Queue the reminders whose moment has come; how many were queued."""
    events = storage.events
    queued = 0
    soon = await events.to_remind(
        before=(now + timedelta(days=2)).isoformat(), after=now.isoformat()
    )
    for event in soon:
        moment = reminder_moment(event, at)
        if now < moment:
            continue
        sent_after = event.sent_at is not None and datetime.fromisoformat(event.sent_at) > moment
        answered = {} if sent_after else await events.answered(event.id, ("going", "maybe"))
        messages = [
            outgoing(resident, partial(reminder, event, chosen=answered[resident.id]))
            for resident in await storage.residents.many(answered)
        ]
        queued += await events.mark_reminded(event.id, messages)
        log.info("event %s: %s reminders queued", event.id, len(messages))
    return queued
