"""Invitations at scale: `wijkstem send` to many residents against a fake Bot API that enforces
Telegram's limits (30 messages in any second, 1 a second per chat) and answers after a delay."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from time import perf_counter

from conversations.invitations import invitation, outgoing
from locales import available_languages
from storage import Storage
from storage.residents import Resident
from tests.fakes.botapi import FakeBotApi, SendLimits

DEFAULT_RECIPIENTS = 2_000
# Seconds the fake takes to answer: at once, and about what a real Bot API takes.
LATENCIES = (0.0, 0.05)
RATE_BAR = 28.0
TOKEN = "123456:BENCH-token"
FIRST_USER = 10_000_000


async def _queue(db: Path, recipients: int) -> None:
    """Residents in every language who want invitations, and an event queued for all."""
    storage = await Storage.open(db)
    try:
        languages = available_languages()
        people = []
        for number in range(recipients):
            resident = await storage.residents.create(
                f"telegram:{FIRST_USER + number}", languages[number % len(languages)]
            )
            resident.invitations = True
            await storage.residents.save(resident)
            people.append(resident)
        await invite(storage, people)
    finally:
        await storage.close()


async def invite(storage: Storage, people: list[Resident]) -> None:
    """An event ten days ahead, with its invitation queued for each of `people`."""
    event = await storage.events.create("event", people[0].id)
    await storage.events.set_text(event.id, "nl", title="Buurtkoffie", description="Welkom!")
    event = await storage.events.get(event.id) or event  # with its text
    event.starts_at = (datetime.now(UTC) + timedelta(days=10)).isoformat(timespec="seconds")
    event.place = "Buurthuis"
    await storage.events.save(event)
    messages = [outgoing(r, partial(invitation, event)) for r in people]
    await storage.events.send(event, "invitation", messages, "worker")


async def _send(db: Path, recipients: int, latency: float) -> None:
    async with FakeBotApi(limits=SendLimits(), latency=latency) as api:
        for number in range(recipients):
            api.user(FIRST_USER + number, "Resident")
        env = {
            **os.environ,
            "WIJKSTEM_TELEGRAM_TOKEN": TOKEN,
            "WIJKSTEM_TELEGRAM_API_URL": api.base_url,
            "WIJKSTEM_DB": str(db),
            "WIJKSTEM_LOG_LEVEL": "WARNING",
        }
        started = perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "send", env=env, stdout=asyncio.subprocess.PIPE
        )
        out, _err = await process.communicate()
        wall = perf_counter() - started
        counts = [len(api.messages(FIRST_USER + n)) for n in range(recipients)]
        duplicates = sum(count - 1 for count in counts if count > 1)
        missing = counts.count(0)
        rate = api.send_rate()
        print(f"wijkstem send: {out.decode().strip()}")
        print(
            f"{recipients:,} invitations, answers after {latency * 1000:.0f} ms:"
            f" {rate:.2f} messages/s sustained (bar ≥ {RATE_BAR:.0f}:"
            f" {'met' if rate >= RATE_BAR else 'NOT met'}), {api.flood_refusals} 429s provoked"
            f" (bar 0), {duplicates} duplicates, {missing} missing; {wall:.1f} s in all"
        )


def run(recipients: int = DEFAULT_RECIPIENTS) -> None:
    """Queue an invitation to `recipients` residents, then send it and print the figures."""
    print("== Invitations ==")
    for latency in LATENCIES:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.sqlite3"
            asyncio.run(_queue(db, recipients))
            asyncio.run(_send(db, recipients, latency))
