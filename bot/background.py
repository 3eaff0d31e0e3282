"""Work the running bot does on its own: reminders each minute, older words anonymised once,
and a nightly training of the tagger's model when enough new labels were confirmed; each in
one process of a deployment."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from functools import partial

from bot.settings import Settings
from bot.waiting import rest, while_holding
from conversations.reminders import queue_reminders
from insights.analysis import Analyser
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from insights.model import load_newest
from locales import TIME_ZONE
from storage import Storage

log = logging.getLogger(__name__)

EVERY = 60.0
# How often a process looks for a model that the process doing the training saved.
FOLLOW_MODELS_EVERY = 3600.0
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


async def once_per_deployment(
    storage: Storage,
    name: str,
    work: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
) -> None:
    """Run `work` until `stop` in the one process of the deployment that holds `name`; the
    others stand by, each minute trying to take over from a holder that died."""
    await while_holding(partial(storage.exclusively, name), work, stop, EVERY)


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


def seconds_until(at: time, now: datetime) -> float:
    """Seconds from `now` to the next `at`, a time of day in Maastricht."""
    local = now.astimezone(TIME_ZONE)
    moment = datetime.combine(local.date(), at, TIME_ZONE)
    if moment <= local:
        moment = datetime.combine(local.date() + timedelta(days=1), at, TIME_ZONE)
    return (moment - local).total_seconds()


class NightlyTraining:
    """Trains a new model at night when enough labels were confirmed since the last one.

    The training runs in a process of its own (scikit-learn stays out of the bot) and saves the
    new model only if it tags labels kept out of training better; the bot then uses it.
    """

    def __init__(self, settings: Settings, analyser: Analyser, storage: Storage) -> None:
        self.settings = settings
        self.analyser = analyser
        self.storage = storage
        self.tried_at = 0  # the confirmed labels there were at the last try

    async def run(self, stop: asyncio.Event) -> None:
        """Each night at the settings' time until `stop`; a failure is logged, not fatal."""
        if self.settings.retrain_min_new <= 0:
            return
        while not await rest(stop, seconds_until(self.settings.retrain_time, datetime.now(UTC))):
            try:
                await self.once()
            except Exception:
                log.exception("the nightly training failed; trying again tomorrow")

    async def once(self) -> bool:
        """Train now if enough new labels were confirmed; whether the bot took a new model."""
        confirmed = await self.storage.contributions.count_confirmed()
        model = self.analyser.model
        since = max(self.tried_at, model.examples if model and not model.is_starter else 0)
        if confirmed - since < self.settings.retrain_min_new:
            return False
        self.tried_at = confirmed
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "tagger",
            "train",
            "--if-better",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            log.warning("the nightly training stopped: %s", err.decode()[-300:].strip())
            return False
        log.info("nightly training: %s", out.decode().strip())
        return await take_newer_model(self.settings, self.analyser)


async def take_newer_model(settings: Settings, analyser: Analyser) -> bool:
    """Tag with the newest model in the models folder if it is newer than the one in use."""
    latest = await asyncio.to_thread(load_newest, settings.models)
    model = analyser.model
    if latest is None or (model is not None and latest.version <= model.version):
        return False
    analyser.model = latest
    log.info("the bot tags with model version %s from now on", latest.version)
    return True


async def follow_new_models(settings: Settings, analyser: Analyser, stop: asyncio.Event) -> None:
    """Until `stop`, take up each hour a model another process of the deployment trained."""
    while not await rest(stop, FOLLOW_MODELS_EVERY):
        try:
            await take_newer_model(settings, analyser)
        except Exception:
            log.exception("a newer model could not be loaded; trying again in an hour")
