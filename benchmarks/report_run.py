"""One report run for the benchmark, in an interpreter that imports only what a report needs."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from time import perf_counter

from benchmarks.measure import one_core, peak_rss_bytes
from insights.report.data import gather
from insights.report.output import write
from insights.report.period import Period, today
from storage import Storage


async def _report(db: Path, fmt: str, out: Path, days: int) -> int:
    storage = await Storage.open(db)
    try:
        until = today()
        period = Period(until - timedelta(days=days), until)
        report = await gather(storage, period, None, lambda kind: f"[{kind}]")
        await write(report, fmt, out, "nl")
        return report.total
    finally:
        await storage.close()


def timed_report(db: Path, fmt: str, out: Path, days: int) -> tuple[float, int, int]:
    """Seconds, contributions and peak RSS of reading the period and writing the report."""
    with one_core():
        started = perf_counter()
        total = asyncio.run(_report(db, fmt, out, days))
        seconds = perf_counter() - started
    return seconds, total, peak_rss_bytes()
