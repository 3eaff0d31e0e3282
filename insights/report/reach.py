"""Reach: how many residents the bot heard per 1,000 inhabitants of each neighbourhood.

The team keeps the inhabitants in a small TOML file (`WIJKSTEM_INHABITANTS`), naming the source::

    source = "CBS, Kerncijfers wijken en buurten 2024"

    [neighbourhoods]
    pottenberg = 4175
    nazareth = 3820
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from insights.report.data import Report

PER = 1_000


@dataclass(frozen=True)
class Inhabitants:
    """Inhabitants per neighbourhood id, and where the figures come from."""

    counts: dict[str, int] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def read(cls, path: Path) -> Inhabitants:
        """The file's figures; none when there is no file."""
        if not path.is_file():
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        counts = {str(k).lower(): int(v) for k, v in (data.get("neighbourhoods") or {}).items()}
        return cls({k: v for k, v in counts.items() if v > 0}, str(data.get("source", "")))

    def apply(self, report: Report) -> Report:
        """The report, knowing these inhabitants."""
        report.inhabitants, report.inhabitants_source = dict(self.counts), self.source
        return report


@dataclass(frozen=True)
class Reached:
    """One neighbourhood's reach in the period."""

    neighbourhood: str | None
    residents: int
    new: int
    inhabitants: int | None

    @property
    def per_thousand(self) -> float | None:
        """Residents heard per 1,000 inhabitants, when the inhabitants are known."""
        return self.residents * PER / self.inhabitants if self.inhabitants else None


def reach(report: Report) -> list[Reached]:
    """Per neighbourhood: residents heard, of whom new, and per 1,000 inhabitants."""
    return [
        Reached(found.neighbourhood, found.residents, found.new, report.inhabitants.get(hood))
        for found in report.heard
        for hood in [found.neighbourhood or ""]
    ]
