"""CSV for Power BI: one row per contribution and pillar, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from typing import TextIO

from insights.report.data import Report

COLUMNS = (
    "reference",  # P-0042
    "created",  # local date and time, ISO 8601 (Europe/Amsterdam)
    "date",  # local date, ISO 8601
    "kind",  # concern, idea or initiative
    "language",  # ISO 639-1 code; empty when detection was unsure
    "neighbourhood",  # id, "elsewhere", or empty when not given
    "pillar",  # one pillar id per row; empty for a contribution without pillar
    "concepts",  # lexicon concepts, separated by ";"
    "quote",  # the anonymised words, only when the author allowed quoting
    "demo",  # "yes" for demo data (not real residents), else empty
)
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(DANGEROUS_START) else cell


async def rows(report: Report) -> AsyncIterator[tuple[str, ...]]:
    """The tidy rows, header first."""
    yield COLUMNS
    async for row in report.rows():
        common = (
            row.ref,
            row.created.replace(tzinfo=None).isoformat(timespec="seconds"),
            row.created.date().isoformat(),
            row.kind,
            row.lang or "",
            row.neighbourhood or "",
        )
        for pillar in row.pillars or ("",):
            demo = "yes" if row.demo else ""
            yield (
                *common,
                pillar,
                ";".join(row.concepts),
                report.quote(row.words, row.found),
                demo,
            )


async def write(report: Report, out: TextIO) -> None:
    """Write the tidy CSV (the caller opens `out` as UTF-8 with BOM and newline='')."""
    writer = csv.writer(out)
    async for row in rows(report):
        writer.writerow([neutralise(cell) for cell in row])
