"""Writing a report in one of its formats, in the report language; nothing is left on error."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from insights.report import page, tidy, workbook
from insights.report.data import Report
from insights.report.summary import offers_of_help, summarise
from locales import use

FORMATS = ("html", "xlsx", "csv", "json")


async def write(report: Report, fmt: str, path: Path, lang: str) -> None:
    """Write the report as `fmt` to `path`: whole, or not at all (while its storage is open)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    with _whole(path) as partial, use(lang):
        await _write(report, fmt, partial)


@contextmanager
def _whole(path: Path) -> Iterator[Path]:
    """A scratch file beside `path` that becomes `path` only when the block ends well."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".report-", delete=False) as temp:
        partial = Path(temp.name)
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


async def _write(report: Report, fmt: str, path: Path) -> None:
    if fmt == "html":
        page.write(report, path)
    elif fmt == "xlsx":
        await workbook.write(report, path)
    elif fmt == "csv":
        # A byte-order mark makes Excel read UTF-8; Power BI does not mind it.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            await tidy.write(report, out)
    else:
        data = summarise(report) | {"offering_help": await offers_of_help(report)}
        _write_json(data, path)


def _write_json(data: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
