"""Work the running bot does on its own, each minute: reminders whose time has come, menus."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time

from bot.waiting import rest
from conversations.reminders import queue_reminders
from storage import Storage

log = logging.getLogger(__name__)

EVERY = 60.0


async def every_minute(
    work: Callable[[], Awaitable[None]], what: str, stop: asyncio.Event
) -> None:
    """Do `work` now and each minute until `stop`; a failure is logged and tried again."""
    while not stop.is_set():
        try:
            await work()
        except Exception:
            log.exception("%s failed; trying again in a minute", what)
        await rest(stop, EVERY)


async def remind_every_minute(storage: Storage, at: time, stop: asyncio.Event) -> None:
    """Each minute until `stop`, queue the day-before reminders that are due."""

    async def remind() -> None:
        queued = await queue_reminders(storage, datetime.now(UTC), at)
        if queued:
            log.info("%s reminders queued", queued)

    await every_minute(remind, "queueing reminders", stop)
