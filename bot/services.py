"""Wiring: from settings to a ready conversation over an open database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.settings import Settings
from conversations.engine import Conversation
from conversations.turn import Services
from insights.analysis import Analyser
from insights.language import make_detector
from insights.report.reach import Inhabitants
from storage import Storage


@asynccontextmanager
async def open_conversation(settings: Settings) -> AsyncIterator[Conversation]:
    """Open the database and load the insights; close the database afterwards."""
    storage = await Storage.open(settings.database, settings.keys)
    await storage.inbox.prune()
    analysing = analyser(settings)
    # The language models load now, not while the first resident waits for an answer.
    await asyncio.to_thread(analysing.detector.warm_up)
    try:
        yield Conversation(
            Services(
                storage=storage,
                analyser=analysing,
                neighbourhoods=settings.neighbourhoods,
                default_language=settings.default_language,
                roles=settings.roles,
                translator=settings.translator,
                transcriber=settings.transcriber,
                inhabitants=Inhabitants.read(settings.inhabitants),
            )
        )
    finally:
        await storage.close()


def analyser(settings: Settings) -> Analyser:
    """Language detection, the lexicons and the newest trained model, as the settings say."""
    return Analyser.with_latest_model(
        make_detector(settings.language_detector), settings.default_language, settings.models
    )
