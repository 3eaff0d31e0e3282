"""Updates per second through real webhooks: 1 `wijkstem run` on SQLite, 1 and 3 on PostgreSQL.

Signed WhatsApp webhooks go to the processes in turn, as a load balancer sends them; each
process checks the signature, keeps the update in the inbox, handles it and answers through the
fake Graph API. Timed from the first webhook until every resident has their answer. The fake's
own rate limit is lifted (the bot keeps to 80 a second per process), so what is measured is the
handling, not Meta's pace.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from pathlib import Path
from time import perf_counter, process_time

from benchmarks.postgres import one_and_three_processes
from storage import Storage
from tests.fakes.graphapi import FakeGraphApi, FakeUser
from tests.ports import free_port, healthy

RESIDENTS = 1_800
FIRST_NUMBER = 31_640_000_000
IN_FLIGHT = 30  # webhooks Meta has on their way at once
TEXTS = (
    "The lift in our flat has been broken for weeks",
    "Ik heb schulden en slaap er slecht van",
    "Mijn zoon zoekt huiswerkbegeleiding",
)
TOKEN = "EAAG-bench-token"
SECRET = "bench-app-secret"


async def _residents(url: str, keys: Path, graph: FakeGraphApi) -> list[FakeUser]:
    """Residents on WhatsApp who agreed already."""
    storage = await Storage.open(url, keys)
    try:
        users = []
        for number in range(RESIDENTS):
            wa_id = str(FIRST_NUMBER + number)
            users.append(graph.user(wa_id, "Resident"))
            await storage.residents.create(f"whatsapp:{wa_id}", "en")
        return users
    finally:
        await storage.close()


def _env(url: str, keys: Path, folder: Path, graph: FakeGraphApi, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "WIJKSTEM_DATABASE_URL": url,
        "WIJKSTEM_KEYS": str(keys),
        "WIJKSTEM_MODELS": str(folder / "models"),
        "WIJKSTEM_WHATSAPP_TOKEN": TOKEN,
        "WIJKSTEM_WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
        "WIJKSTEM_WHATSAPP_APP_SECRET": SECRET,
        "WIJKSTEM_WHATSAPP_VERIFY_TOKEN": "bench",
        "WIJKSTEM_WHATSAPP_API_URL": graph.base_url,
        "WIJKSTEM_WHATSAPP_TEMPLATES": str(folder / "templates.toml"),
        "WIJKSTEM_WHATSAPP_SEND_PER_SECOND": "80",
        "WIJKSTEM_WEB_PORT": str(port),
        "WIJKSTEM_LOG_LEVEL": "WARNING",
    }
    for other in ("WIJKSTEM_TELEGRAM_TOKEN", "WIJKSTEM_DB"):
        env.pop(other, None)
    return env


def _cpu_seconds(pid: int) -> float:
    """The CPU time a process used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(url: str, processes: int) -> tuple[float, int, int, float, float]:
    """Seconds until every resident was answered; residents answered more than once; refusals;
    the CPU seconds the bots and this side (the fake Graph API, the webhooks) took meanwhile."""
    async with FakeGraphApi(app_secret=SECRET, token=TOKEN) as graph:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            keys = folder / "keys.sqlite3"
            (folder / "templates.toml").write_text("")  # none approved: no template is sent
            users = await _residents(url, keys, graph)
            ports = [free_port() for _ in range(processes)]
            running = [
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", env=_env(url, keys, folder, graph, port)
                )
                for port in ports
            ]
            try:
                for port in ports:
                    await healthy(port, 120)  # models loaded
                gate = asyncio.Semaphore(IN_FLIGHT)

                async def deliver(number: int, user: FakeUser) -> None:
                    address = f"http://127.0.0.1:{ports[number % processes]}/whatsapp"
                    async with gate:
                        message = graph.text_message(user, TEXTS[number % len(TEXTS)])
                        status = await graph.batch(message, to=address)
                    assert status == 200, f"a webhook was refused: {status}"

                bots = sum(_cpu_seconds(process.pid) for process in running)
                started, cpu = perf_counter(), process_time()
                await asyncio.gather(*(deliver(n, user) for n, user in enumerate(users)))
                await graph.wait_until(lambda: all(graph.messages(u) for u in users), 600)
                seconds, cpu = perf_counter() - started, process_time() - cpu
                bots = sum(_cpu_seconds(process.pid) for process in running) - bots
            finally:
                for process in running:
                    process.send_signal(signal.SIGTERM)
                for process in running:
                    await process.wait()
        twice = sum(1 for user in users if len(graph.messages(user)) > 1)
        return seconds, twice, sum(graph.refusals.values()), bots, cpu


def _report(
    name: str, processes: int, seconds: float, twice: int, refused: int, bots: float, meta: float
) -> None:
    print(
        f"{name:<10} {processes} process{'es' if processes > 1 else '  '}:"
        f" {RESIDENTS / seconds:7.1f} updates/s ({RESIDENTS:,} answered in {seconds:.1f} s;"
        f" {twice} answered twice, {refused} refused; CPU: the bots {bots:.1f} s, Meta's side"
        f" {meta:.1f} s)"
    )


def run() -> None:
    """Print updates per second through webhooks for SQLite and PostgreSQL."""
    print("== Webhooks ==")
    print(
        f"{RESIDENTS:,} residents each send a text as a signed WhatsApp webhook, spread over the"
        " processes; timed until each has their answer"
    )
    for backend, processes, url in one_and_three_processes("hooks"):
        _report(backend, processes, *asyncio.run(_measure(url, processes)))
