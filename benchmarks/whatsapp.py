"""WhatsApp invitations at scale: `wijkstem send` to many residents against a fake Graph API
that enforces Meta's limits (80 messages a second, 6 s between two to one person, the 24-hour
window); half the residents wrote today, half yesterday (they get a template)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter, time

from benchmarks.invitations import invite
from storage import Storage
from storage.inbox import Received
from tests.fakes.graphapi import FakeGraphApi

DEFAULT_RECIPIENTS = 1_000
RATE_BAR = 18.0  # the bot keeps to 20 a second, below Meta's 80
TOKEN = "EAAG-bench-token"
FIRST_NUMBER = 31_650_000_000


async def _queue(db: Path, recipients: int, graph: FakeGraphApi) -> None:
    """Residents on WhatsApp who want invitations (half wrote a day ago), and an invitation."""
    storage = await Storage.open(db)
    try:
        people = []
        for number in range(recipients):
            wa_id = str(FIRST_NUMBER + number)
            graph.user(wa_id, "Resident")
            resident = await storage.residents.create(f"whatsapp:{wa_id}", "nl")
            resident.invitations = True
            await storage.residents.save(resident)
            people.append(resident)
            hours = 30 if number % 2 else 1
            at = datetime.now(UTC) - timedelta(hours=hours)
            graph.user_wrote(wa_id, at=time() - hours * 3600)
            await storage.inbox.receive(
                [Received("whatsapp", f"w{number}", resident.person, "{}")]
            )
            async with storage.db.transaction() as tx:
                await tx.execute(
                    "UPDATE inbox SET received_at = ?, status = 'answered' WHERE update_id = ?",
                    (at.isoformat(), f"w{number}"),
                )
        await invite(storage, people)
    finally:
        await storage.close()


async def _run(recipients: int) -> None:
    async with FakeGraphApi(
        token=TOKEN, per_second=80, per_user_interval=6.0, approved_templates=[("inv", "nl")]
    ) as graph:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.sqlite3"
            templates = Path(folder) / "templates.toml"
            templates.write_text('[invitation]\nname = "inv"\nlanguages = { nl = "nl" }\n')
            await _queue(db, recipients, graph)
            env = {
                **os.environ,
                "WIJKSTEM_WHATSAPP_TOKEN": TOKEN,
                "WIJKSTEM_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
                "WIJKSTEM_WHATSAPP_APP_SECRET": "bench",
                "WIJKSTEM_WHATSAPP_VERIFY_TOKEN": "bench",
                "WIJKSTEM_WHATSAPP_API_URL": graph.base_url,
                "WIJKSTEM_WHATSAPP_TEMPLATES": str(templates),
                "WIJKSTEM_WHATSAPP_DAILY_CAP": str(recipients),
                "WIJKSTEM_DB": str(db),
                "WIJKSTEM_LOG_LEVEL": "WARNING",
            }
            env.pop("WIJKSTEM_TELEGRAM_TOKEN", None)
            started = perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "send", env=env, stdout=asyncio.subprocess.PIPE
            )
            out, _err = await process.communicate()
            wall = perf_counter() - started
    numbers = [str(FIRST_NUMBER + n) for n in range(recipients)]
    counts = [len(graph.messages(n)) for n in numbers]
    templates_sent = sum(1 for n in numbers for m in graph.messages(n) if m.template)
    times = sorted(t for n in numbers for t in (m.time for m in graph.messages(n)))
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    print(f"wijkstem send: {out.decode().strip()}")
    print(
        f"{recipients:,} WhatsApp invitations: {rate:.2f} messages/s sustained (bar ≥"
        f" {RATE_BAR:.0f}: {'met' if rate >= RATE_BAR else 'NOT met'}),"
        f" {templates_sent} templates for the {recipients // 2} outside the 24 hours,"
        f" {sum(graph.refusals.values())} refusals, {sum(c - 1 for c in counts if c > 1)}"
        f" duplicates, {counts.count(0)} missing; {wall:.1f} s in all"
    )


def run(recipients: int = DEFAULT_RECIPIENTS) -> None:
    """Queue a WhatsApp invitation to `recipients` residents, send it, print the figures."""
    print("== WhatsApp invitations ==")
    asyncio.run(_run(recipients))
