"""Reports at scale: time and peak memory of the html and xlsx report for many contributions."""

from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from time import perf_counter

from benchmarks.measure import MIB
from benchmarks.report_run import timed_report
from insights.analysis import Analyser
from insights.demo import fill
from insights.language import make_detector
from insights.pillars import PillarTagger
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
                seconds, total, peak = pool.submit(timed_report, db, fmt, out, DAYS).result()
            met = "met" if seconds <= TIME_BAR and peak <= MEMORY_BAR else "NOT MET"
            print(
                f"{fmt:8}{seconds:9.2f}{peak / MIB:10.0f}  {met} ({total:,} contributions,"
                f" {out.stat().st_size / MIB:.1f} MiB file)"
            )
        print(
            "seconds: time.perf_counter around reading the period and writing the file, one "
            "core, in a fresh interpreter; peak MiB: that interpreter's VmHWM (its peak RSS), "
            "everything it loaded included"
        )
