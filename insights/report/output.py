"""Writing a report in one of its formats, in the report language; nothing is left on error."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from insights.report import page, tidy, workbook
from insights.report.data import Report
from insights.report.summary import summarise
from locales import use

FORMATS = ("html", "xlsx", "csv", "json")


def write(report: Report, fmt: str, path: Path, lang: str) -> None:
    """Write the report as `fmt` to `path`: whole, or not at all."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".report-", delete=False) as temp:
        partial = Path(temp.name)
    try:
        with use(lang):
            _write(report, fmt, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write(report: Report, fmt: str, path: Path) -> None:
    if fmt == "html":
        page.write(report, path)
    elif fmt == "xlsx":
        workbook.write(report, path)
    elif fmt == "csv":
        # A byte-order mark makes Excel read UTF-8; Power BI does not mind it.
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            tidy.write(report, out)
    else:
        path.write_text(
            json.dumps(summarise(report), ensure_ascii=False, indent=2), encoding="utf-8"
        )
