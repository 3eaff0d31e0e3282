"""Reports at scale: time and peak memory of the html and xlsx report for many contributions."""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import tempfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from time import perf_counter

from benchmarks.measure import MIB, one_core
from insights.analysis import Analyser
from insights.demo import fill
from insights.language import make_detector
from insights.pillars import PillarTagger
from insights.report.data import gather
from insights.report.output import write
from insights.report.period import Period
from storage import Storage

DEFAULT_CONTRIBUTIONS = 100_000
DAYS = 60
TIME_BAR = 10.0
MEMORY_BAR = 500 * MIB


async def _fill(db: Path, contributions: int) -> None:
    storage = await Storage.open(db)
    try:
        analyser = Analyser(make_detector("lingua"), PillarTagger.load(), "nl")
        await fill(storage, analyser, contributions // 20, contributions, DAYS)
    finally:
        await storage.close()


async def _report(db: Path, fmt: str, out: Path) -> int:
    storage = await Storage.open(db)
    try:
        today = date.today()
        period = Period(date.fromordinal(today.toordinal() - DAYS), today)
        report = await gather(storage, period, None, lambda kind: f"[{kind}]")
    finally:
        await storage.close()
    write(report, fmt, out, "nl")
    return report.total


def _timed_report(db: Path, fmt: str, out: Path) -> tuple[float, int, int]:
    """In a fresh interpreter: seconds, contributions and peak RSS of gathering and writing."""
    with one_core():
        started = perf_counter()
        total = asyncio.run(_report(db, fmt, out))
        seconds = perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return seconds, total, peak


def run(contributions: int = DEFAULT_CONTRIBUTIONS) -> None:
    """Fill a scratch database with demo data, then time each report format."""
    print("== Reports ==")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        started = perf_counter()
        asyncio.run(_fill(db, contributions))
        print(
            f"{contributions:,} demo contributions over {DAYS} days in a scratch database "
            f"(filled in {perf_counter() - started:.1f} s, not counted)"
        )
        print(
            f"{'format':8}{'seconds':>9}{'peak MiB':>10}  bars: <= {TIME_BAR:.0f} s, "
            f"<= {MEMORY_BAR // MIB} MiB"
        )
        context = multiprocessing.get_context("spawn")
        for fmt in ("html", "xlsx"):
            out = Path(folder) / f"report.{fmt}"
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                seconds, total, peak = pool.submit(_timed_report, db, fmt, out).result()
            met = "met" if seconds <= TIME_BAR and peak <= MEMORY_BAR else "NOT MET"
            print(
                f"{fmt:8}{seconds:9.2f}{peak / MIB:10.0f}  {met} ({total:,} contributions,"
                f" {out.stat().st_size / MIB:.1f} MiB file)"
            )
        print(
            "seconds: time.perf_counter around reading the period and writing the file, one "
            "core, in a fresh interpreter; peak MiB: that interpreter's ru_maxrss, everything "
            "loaded included"
        )
