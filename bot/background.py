"""Work the running bot does on its own: queueing the reminders whose time has come."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from datetime import UTC, datetime, time

from conversations.reminders import queue_reminders
from storage import Storage

log = logging.getLogger(__name__)

EVERY = 60.0


async def remind_every_minute(storage: Storage, at: time, stop: asyncio.Event) -> None:
    """Each minute until `stop`, queue the day-before reminders that are due."""
    while not stop.is_set():
        try:
            queued = await queue_reminders(storage, datetime.now(UTC), at)
            if queued:
                log.info("%s reminders queued", queued)
        except Exception:
            log.exception("queueing reminders failed; trying again in a minute")
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), EVERY)
