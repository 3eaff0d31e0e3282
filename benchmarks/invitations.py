"""Invitations at scale: `wijkstem send` to many residents against a fake Bot API that enforces
Telegram's limits (30 messages in any second, 1 a second per chat) and answers after a delay;
and on PostgreSQL, the sustained rate of one token while a 100,000-recipient broadcast waits."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from time import perf_counter

from benchmarks.postgres import postgresql_databases
from conversations.invitations import invitation, outgoing
from locales import available_languages
from storage import Storage
from storage.database import now
from storage.residents import Audience, Resident
from tests.fakes.botapi import FakeBotApi, SendLimits

DEFAULT_RECIPIENTS = 2_000
BROADCAST = 100_000
# Sends timed out of the broadcast: about two minutes at Telegram's 30 a second.
BROADCAST_SAMPLE = 3_000
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


def _bot_env(api: FakeBotApi, database_url: str) -> dict[str, str]:
    """The environment of a bot process on `database_url`, sending through the fake."""
    return {
        **os.environ,
        "WIJKSTEM_TELEGRAM_TOKEN": TOKEN,
        "WIJKSTEM_TELEGRAM_API_URL": api.base_url,
        "WIJKSTEM_DATABASE_URL": database_url,
        "WIJKSTEM_LOG_LEVEL": "WARNING",
    }


async def _send(db: Path, recipients: int, latency: float) -> None:
    async with FakeBotApi(limits=SendLimits(), latency=latency) as api:
        for number in range(recipients):
            api.user(FIRST_USER + number, "Resident")
        env = _bot_env(api, f"sqlite:///{db}")
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


async def _queue_broadcast(url: str) -> float:
    """BROADCAST residents who want invitations (written in one go), an invitation queued for
    each the way a worker's broadcast queues it; the seconds queuing took."""
    storage = await Storage.open(url)
    try:
        languages = available_languages()
        async with storage.db.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO residents (channel, person, language, consented_at, created_at,"
                " invitations) VALUES ('telegram', ?, ?, ?, ?, 1)",
                (
                    (f"telegram:{FIRST_USER + n}", languages[n % len(languages)], now(), now())
                    for n in range(BROADCAST)
                ),
            )
        started = perf_counter()
        await invite(storage, await storage.residents.audience(Audience()))
        return perf_counter() - started
    finally:
        await storage.close()


async def _broadcast(url: str, latency: float) -> None:
    async with FakeBotApi(limits=SendLimits(), latency=latency) as api:
        for number in range(BROADCAST):
            api.user(FIRST_USER + number, "Resident")
        env = _bot_env(api, url)
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env)
        await api.wait_until(lambda: len(api.send_times) >= BROADCAST_SAMPLE, timeout=3600)
        process.send_signal(signal.SIGTERM)
        await process.wait()
        counts = [len(api.messages(FIRST_USER + n)) for n in range(BROADCAST)]
        duplicates = sum(count - 1 for count in counts if count > 1)
        rate = api.send_rate()
        print(
            f"PostgreSQL, {BROADCAST:,} invitations queued, answers after {latency * 1000:.0f} ms:"
            f" {rate:.2f} messages/s sustained over the first {len(api.send_times):,} (bar ≥"
            f" {RATE_BAR:.0f}: {'met' if rate >= RATE_BAR else 'NOT met'}),"
            f" {api.flood_refusals} 429s provoked, {duplicates} duplicates"
        )


def _run_broadcast() -> None:
    """The rate one token keeps on PostgreSQL while a 100,000-recipient broadcast waits."""
    with postgresql_databases() as fresh:
        if fresh is None:
            return
        url = fresh("bench_broadcast")
        queued = asyncio.run(_queue_broadcast(url))
        print(f"PostgreSQL: {BROADCAST:,} invitations written and queued in {queued:.1f} s")
        asyncio.run(_broadcast(url, LATENCIES[-1]))


def run(recipients: int = DEFAULT_RECIPIENTS) -> None:
    """Queue an invitation to `recipients` residents, then send it and print the figures; then
    the rate of a 100,000-recipient broadcast on PostgreSQL."""
    print("== Invitations ==")
    for latency in LATENCIES:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.sqlite3"
            asyncio.run(_queue(db, recipients))
            asyncio.run(_send(db, recipients, latency))
    _run_broadcast()
