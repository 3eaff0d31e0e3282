"""Timing on one core, and the memory that loading a model takes."""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
_STATUS = Path("/proc/self/status")


@contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to one CPU while inside; yields a note saying how it was pinned."""
    if not hasattr(os, "sched_setaffinity"):
        yield "not pinned (no sched_setaffinity on this system)"
        return
    allowed = os.sched_getaffinity(0)
    core = min(allowed)
    os.sched_setaffinity(0, {core})
    try:
        yield f"pinned to CPU {core}"
    finally:
        os.sched_setaffinity(0, allowed)


def rss_source() -> str:
    """Which measure of resident memory `rss_bytes` reads on this system."""
    return "VmRSS (/proc/self/status)" if _STATUS.exists() else "ru_maxrss (peak)"


def rss_bytes() -> int:
    """The resident set size of this process in bytes (the peak where VmRSS is unavailable)."""
    return _status_bytes("VmRSS")


def peak_rss_bytes() -> int:
    """The peak resident set size of this process (VmHWM; ru_maxrss where /proc is missing).

    VmHWM starts afresh when a process execs, unlike ru_maxrss, which a spawned interpreter
    inherits from the process that forked it.
    """
    return _status_bytes("VmHWM")


def _status_bytes(field: str) -> int:
    if _STATUS.exists():
        for line in _STATUS.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux counts ru_maxrss in kilobytes, macOS in bytes.
    return peak if sys.platform == "darwin" else peak * 1024


@dataclass(frozen=True)
class Footprint:
    """Memory taken by loading something: Python allocations at their peak, and RSS growth."""

    traced_peak: int
    rss_growth: int


def _measure(load: Callable[[], object], traced: bool) -> int:
    if traced:
        tracemalloc.start()
        try:
            load()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    before = rss_bytes()
    load()
    return rss_bytes() - before


def footprint(load: Callable[[], object]) -> Footprint:
    """The memory `load()` takes, each figure in a fresh interpreter.

    Fresh interpreters keep the figures independent of what was loaded before, and keep
    tracemalloc's own bookkeeping out of the RSS figure. `load` must be picklable.
    """
    context = multiprocessing.get_context("spawn")
    figures = []
    for traced in (True, False):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            figures.append(pool.submit(_measure, load, traced).result())
    return Footprint(*figures)
