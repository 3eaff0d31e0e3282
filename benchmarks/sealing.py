"""Sealing words with each person's key: what it costs per value, per key and per report."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from time import perf_counter

from storage.keys import Keys

PEOPLE = 5_000
LOOKUPS = 1_000
MADE = 200
# A typical message: a couple of sentences.
WORDS = "De huur is dit jaar weer omhoog gegaan en ik weet niet hoe ik de energierekening betaal."


async def _measure(folder: Path) -> list[tuple[str, float, str]]:
    keys = await Keys.open(folder / "keys.sqlite3")
    try:
        people = [f"telegram:{number}" for number in range(PEOPLE)]
        started = perf_counter()
        ring = await keys.ring(people, make=True)
        made_at_once = perf_counter() - started
        started = perf_counter()
        ring = await keys.ring(people)
        read_at_once = perf_counter() - started
        started = perf_counter()
        sealed = [ring.seal(person, WORDS) for person in people]
        seal = perf_counter() - started
        started = perf_counter()
        for person, stored in zip(people, sealed, strict=True):
            ring.unseal(person, stored)
        unseal = perf_counter() - started
        started = perf_counter()
        for person in people[:LOOKUPS]:
            await keys.ring([person])
        lookup = perf_counter() - started
        started = perf_counter()
        for number in range(MADE):
            await keys.ring([f"whatsapp:{number}"], make=True)
        made = perf_counter() - started
    finally:
        await keys.close()
    return [
        ("seal one message", seal / PEOPLE * 1e6, "µs"),
        ("open one message", unseal / PEOPLE * 1e6, "µs"),
        ("read one person's key", lookup / LOOKUPS * 1e6, "µs"),
        ("make one person's key (fsync)", made / MADE * 1e3, "ms"),
        (f"read {PEOPLE:,} keys at once (a report's batch)", read_at_once * 1e3, "ms"),
        (f"make {PEOPLE:,} keys at once", made_at_once * 1e3, "ms"),
    ]


def run() -> None:
    """Print the cost of sealing and of the key file."""
    print("== Sealing (crypto-shredding) ==")
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(_measure(Path(folder)))
    for what, value, unit in figures:
        print(f"{what:48}{value:9.1f} {unit}")
