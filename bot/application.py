"""The running bot: every channel the settings name, and the services they share.

The outbox senders (one per channel, with that channel's pace), the reminder loop and the
nightly training belong to the application, not to a channel: a second channel shares them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Protocol

from bot.background import (
    NightlyTraining,
    anonymise_older_words,
    follow_new_models,
    once_per_deployment,
    remind_every_minute,
)
from bot.sending import Pace, Sender, Transport
from bot.settings import Settings
from conversations.engine import Conversation


class Channel(Protocol):
    """A channel the application runs: it takes messages in and hands replies out."""

    name: str
    transport: Transport
    pace: Pace

    async def start(self, sender: Sender) -> None:
        """Connect and start taking messages; replies keep `sender`'s pace."""

    async def stop(self) -> None:
        """Stop taking messages, finish those in hand, and disconnect."""


@asynccontextmanager
async def serving(
    settings: Settings, conversation: Conversation, channels: Sequence[Channel]
) -> AsyncIterator[list[Sender]]:
    """Start the channels, their senders and the reminder loop; stop them all afterwards."""
    storage = conversation.services.storage
    stopping = asyncio.Event()
    senders = [Sender(storage.outbox, c.transport, c.name, c.pace) for c in channels]
    started: list[Channel] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        for channel, sender in zip(channels, senders, strict=True):
            await channel.start(sender)
            started.append(channel)
        # One process of a deployment sends each channel's outbox; the others stand by.
        tasks = [asyncio.create_task(sender.run(stopping)) for sender in senders]
        training = NightlyTraining(settings, conversation.services.analyser, storage)
        for name, work in (
            ("reminders", partial(remind_every_minute, storage, settings.reminder_time)),
            ("anonymising", partial(anonymise_older_words, storage)),
            ("nightly training", training.run),
        ):
            tasks.append(asyncio.create_task(once_per_deployment(storage, name, work, stopping)))
        analyser = conversation.services.analyser
        tasks.append(asyncio.create_task(follow_new_models(settings, analyser, stopping)))
        yield senders
    finally:
        stopping.set()
        await asyncio.gather(*tasks)
        for channel in reversed(started):
            await channel.stop()


async def run_until(
    settings: Settings,
    conversation: Conversation,
    channels: Sequence[Channel],
    stop: asyncio.Event,
) -> None:
    """Serve every channel until `stop` is set."""
    async with serving(settings, conversation, channels):
        await stop.wait()
