"""Work the running bot does on its own: reminders each minute; older words anonymised once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time

from bot.waiting import rest
from conversations.reminders import queue_reminders
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from storage import Storage

log = logging.getLogger(__name__)

EVERY = 60.0
# Words searched for personal data at a time: a few milliseconds between two answers.
ANONYMISED_AT_A_TIME = 200


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


async def anonymise_older_words(storage: Storage, stop: asyncio.Event) -> None:
    """Look for personal data in words stored before (or by older detectors) until none is left."""
    after, done = 0, 0
    try:
        while not stop.is_set():
            batch = await storage.contributions.unanonymised(
                ANONYMISER, after, ANONYMISED_AT_A_TIME
            )
            if not batch:
                break
            found = await asyncio.to_thread(_found_in_each, batch)
            await storage.contributions.set_personal_data(found, ANONYMISER)
            after, done = batch[-1][0], done + len(batch)
    except Exception:  # reports still look for it themselves: nothing is lost
        log.exception("looking again for personal data in stored messages failed")
    if done:
        log.info("personal data looked for again in %s stored messages", done)


def _found_in_each(batch: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [(contribution_id, found_in(text)) for contribution_id, text in batch]
