"""Updates handled per second by `wijkstem run`, and a resident's wait during a big report."""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from insights.analysis import Analyser
from insights.demo import fill
from insights.language import make_detector
from insights.pillars import PillarTagger
from storage import Storage
from tests.fakes.botapi import FakeBotApi, FakeUser, SendLimits

TOKEN = "123456:BENCH-token"
FIRST_USER = 20_000_000
TEAM = 20_999_999
RESIDENTS = 200
TEXTS_EACH = 5
LATENCIES = (0.0, 0.2)
REPORT_CONTRIBUTIONS = 100_000
HELPS = 10
# One message in each language the bot detects, in its own script: every model gets loaded.
FIRST_TEXTS = (
    "Ik heb schulden en slaap er slecht van",
    "My son needs help with his homework",
    "عندي ديون ولا أستطيع النوم",
    "Borçlarım var ve uyuyamıyorum",
    "Mam długi i nie mogę spać",
    "У мене борги і я не можу спати",
    "Ich habe Schulden und kann nicht schlafen",
    "J'ai des dettes et je ne dors plus",
    "Tengo deudas y no puedo dormir",
    "Waxaan qabaa deyn mana seexan karo",
    "بدهی دارم و نمی توانم بخوابم",
    "У меня долги и я не могу спать",
    "ዕዳ ኣለኒ ክድቅስ ኣይከኣልኩን",
)
# Then two words from each: short texts are the ones a detector decides with its largest models.
SHORT_TEXTS = (
    "huur omhoog",
    "lonely evenings",
    "ديون كثيرة",
    "kira yüksek",
    "drogi czynsz",
    "висока оренда",
    "Miete teuer",
    "loyer cher",
    "alquiler caro",
    "kiro sare",
    "اجاره گران",
    "высокая аренда",
    "ክራይ ክቡር",
)


async def _residents(db: Path, count: int) -> None:
    """Residents who agreed already, at the menu, and one team member."""
    storage = await Storage.open(db)
    try:
        for number in range(count):
            await storage.residents.create(f"telegram:{FIRST_USER + number}", "en")
        await storage.residents.create(f"telegram:{TEAM}", "nl")
    finally:
        await storage.close()


async def _start(api: FakeBotApi, db: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "WIJKSTEM_TELEGRAM_TOKEN": TOKEN,
        "WIJKSTEM_TELEGRAM_API_URL": api.base_url,
        "WIJKSTEM_DB": str(db),
        "WIJKSTEM_TEAM": str(TEAM),
        "WIJKSTEM_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env)
    await api.wait_until(lambda: api.waiting_polls > 0, timeout=120)
    return process


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    await process.wait()


def _answers(api: FakeBotApi, users: list[FakeUser]) -> int:
    return sum(len(api.messages(user)) for user in users)


async def _throughput(db: Path, latency: float) -> None:
    async with FakeBotApi(limits=SendLimits(), latency=latency) as api:
        users = [api.user(FIRST_USER + n, "Resident", "en") for n in range(RESIDENTS)]
        process = await _start(api, db)
        started = perf_counter()
        for number in range(TEXTS_EACH):
            for user in users:
                api.send_text(user, f"Text {number} about the broken lift")
        total = RESIDENTS * TEXTS_EACH
        await api.wait_until(lambda: _answers(api, users) >= total, timeout=600)
        seconds = perf_counter() - started
        await _stop(process)
        print(
            f"{total:,} updates from {RESIDENTS} residents, Bot API answering after"
            f" {latency * 1000:.0f} ms: {total / seconds:.1f} updates/s handled and answered"
            f" ({seconds:.1f} s), {api.flood_refusals} 429s provoked"
        )


def _rss_mib(pid: int) -> float:
    """The resident memory of another process, from /proc (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def _first_messages(db: Path) -> None:
    """The wait for the first answer after a start, and the memory once every model is used."""
    async with FakeBotApi() as api:
        count = len(FIRST_TEXTS) + len(SHORT_TEXTS)
        users = [api.user(FIRST_USER + n, "Resident", "en") for n in range(count)]
        process = await _start(api, db)
        at_start = _rss_mib(process.pid)
        asked = perf_counter()
        api.send_text(users[0], FIRST_TEXTS[0])
        await api.wait_for_message(users[0], timeout=120)
        first = perf_counter() - asked
        for user, text in zip(users[1 : len(FIRST_TEXTS)], FIRST_TEXTS[1:], strict=True):
            api.send_text(user, text)
            await api.wait_for_message(user, timeout=120)
        for user, text in zip(users[len(FIRST_TEXTS) :], SHORT_TEXTS, strict=True):
            api.send_text(user, text)
            await api.wait_for_message(user, timeout=120)
        steady = _rss_mib(process.pid)
        await _stop(process)
        print(
            f"first answer after a start: {first * 1000:.0f} ms; bot memory (VmRSS) ready"
            f" {at_start:.0f} MiB, after a sentence and two words in each of"
            f" {len(FIRST_TEXTS)} languages {steady:.0f} MiB"
        )


async def _fill(db: Path) -> None:
    storage = await Storage.open(db)
    try:
        analyser = Analyser(make_detector("langdetect"), PillarTagger.load(), "nl")
        await fill(storage, analyser, REPORT_CONTRIBUTIONS // 20, REPORT_CONTRIBUTIONS, 28)
    finally:
        await storage.close()


async def _during_report(db: Path) -> None:
    async with FakeBotApi() as api:
        team = api.user(TEAM, "Team", "nl")
        users = [api.user(FIRST_USER + n, "Resident", "en") for n in range(HELPS)]
        process = await _start(api, db)
        report = api.send_command(team, "report")
        started = perf_counter()
        await api.wait_until(lambda: report["update_id"] in api.delivered_update_ids)
        waits = []
        for user in users:
            asked = perf_counter()
            api.send_command(user, "help")
            await api.wait_for_message(user, timeout=120)
            waits.append(perf_counter() - asked)
        during = not any(m.document for m in api.messages(team))
        await api.wait_until(
            lambda: sum(m.document is not None for m in api.messages(team)) == 2, timeout=600
        )
        built = perf_counter() - started
        await _stop(process)
        print(
            f"/help from {HELPS} residents one after another while /report gathers"
            f" {REPORT_CONTRIBUTIONS:,} contributions: median"
            f" {statistics.median(waits) * 1000:.0f} ms, slowest {max(waits) * 1000:.0f} ms"
            f" ({'all during' if during else 'NOT all during'} the report, which took"
            f" {built:.1f} s)"
        )


def run() -> None:
    """Print the first answer's wait and the bot's memory, updates per second at two Bot API
    latencies, and reply waits during a report."""
    print("== Updates ==")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        asyncio.run(_residents(db, len(FIRST_TEXTS) + len(SHORT_TEXTS)))
        asyncio.run(_first_messages(db))
    for latency in LATENCIES:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.sqlite3"
            asyncio.run(_residents(db, RESIDENTS))
            asyncio.run(_throughput(db, latency))
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        asyncio.run(_residents(db, HELPS))
        asyncio.run(_fill(db))
        asyncio.run(_during_report(db))
    print(
        "Each update is one text that gets one answer; the fake enforces Telegram's 30"
        " messages/s and 1 s per chat, so about 30 updates/s is the ceiling."
    )
