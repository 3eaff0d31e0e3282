"""Gathering a report: the contributions of a period and the figures the team asks for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from insights.anonymise import scrub
from insights.concepts import BY_ID, PILLARS
from insights.report.period import Period
from locales import TIME_ZONE
from storage import Storage
from storage.contributions import reference

QUOTES_PER_THEME = 3
DEMO_CHANNEL = "demo"


@dataclass(frozen=True, slots=True)
class Row:
    """One contribution as reports use it; `words` only when the author allowed quoting."""

    id: int
    ref: str
    created: datetime
    kind: str
    lang: str | None
    neighbourhood: str | None
    pillars: tuple[str, ...]
    concepts: tuple[str, ...]
    words: str
    wants_contact: bool
    resident: int
    new_resident: bool
    demo: bool


@dataclass(frozen=True)
class Theme:
    """A concept counted across languages, with some residents' own words."""

    concept: str
    count: int
    quotes: tuple[Row, ...]


@dataclass
class Report:
    """Everything a report shows, in any format."""

    period: Period
    neighbourhood: str | None
    generated: datetime
    rows: list[Row]
    previous_total: int
    hidden: int
    waiting_review: int
    placeholder: Callable[[str], str]
    # Machine translations of the quotes shown, by reference; None: no service was set.
    translations: dict[str, str] | None = None
    untranslated: int = 0
    # Inhabitants per neighbourhood (id: count) and their source, for the reach.
    inhabitants: dict[str, int] = field(default_factory=dict)
    inhabitants_source: str = ""
    _quoted: dict[str, str] = field(default_factory=dict, repr=False)

    def quote(self, row: Row) -> str:
        """A row's words, anonymised (only what is shown is scrubbed, each text once)."""
        if row.words not in self._quoted:
            self._quoted[row.words] = scrub(row.words, self.placeholder) if row.words else ""
        return self._quoted[row.words]

    @property
    def total(self) -> int:
        """Contributions in the period (hidden ones left out)."""
        return len(self.rows)

    @property
    def change(self) -> float | None:
        """Change against the previous period of the same length, as a fraction."""
        if not self.previous_total:
            return None
        return (self.total - self.previous_total) / self.previous_total

    def counts(self) -> Counter[tuple[str, str | None, str]]:
        """Contributions by (pillar, neighbourhood, kind); '' stands for no pillar."""
        found: Counter[tuple[str, str | None, str]] = Counter()
        for row in self.rows:
            for pillar in row.pillars or ("",):
                found[(pillar, row.neighbourhood, row.kind)] += 1
        return found

    def by_pillar(self) -> dict[str, int]:
        """How many contributions touch each pillar ('' for none)."""
        found = Counter(p for row in self.rows for p in (row.pillars or ("",)))
        return {p: found[p] for p in (*PILLARS, "")}

    def themes(self, limit: int = 12) -> list[Theme]:
        """Concepts across all languages, biggest first, each with quotes allowed by the author."""
        rows_of: dict[str, list[Row]] = {}
        for row in self.rows:
            for concept in dict.fromkeys(row.concepts):
                rows_of.setdefault(concept, []).append(row)
        biggest = [c for c in sorted(rows_of, key=lambda c: (-len(rows_of[c]), c)) if c in BY_ID]
        top = biggest[:limit]
        # A quote appears once in the pack: two for each theme first, then a third where left.
        used: set[str] = set()
        chosen = {c: _quotes(rows_of[c], used, QUOTES_PER_THEME - 1) for c in top}
        chosen = {c: chosen[c] + _quotes(rows_of[c], used, 1) for c in top}
        return [Theme(c, len(rows_of[c]), chosen[c]) for c in top]

    def shown_quotes(self) -> list[Row]:
        """Every row whose words the report shows: themes, help offered, ideas."""
        rows = [q for t in (*self.themes(), *self.ideas_by_support()) for q in t.quotes]
        rows += [r for r in self.offering_help() if r.words]
        return list({row.ref: row for row in rows}.values())

    def help_by_topic(self) -> list[tuple[str | None, int]]:
        """Offers of help counted by their main topic (None: no topic found), biggest first."""
        found = Counter(row.concepts[0] if row.concepts else None for row in self.offering_help())
        return found.most_common()

    def offering_help(self) -> list[Row]:
        """Ideas and initiatives whose authors offered to help or be contacted."""
        return [r for r in self.rows if r.wants_contact and r.kind in ("idea", "initiative")]

    def ideas_by_support(self, limit: int = 5) -> list[Theme]:
        """Ideas grouped by their main concept: how many residents brought up the same idea."""
        ideas = [r for r in self.rows if r.kind == "idea" and r.concepts]
        residents: dict[str, set[int]] = {}
        for row in ideas:
            residents.setdefault(row.concepts[0], set()).add(row.resident)
        ranked = sorted(residents, key=lambda c: (-len(residents[c]), c))[:limit]
        used = {quote.ref for theme in self.themes() for quote in theme.quotes}
        return [
            Theme(c, len(residents[c]), _quotes([r for r in ideas if r.concepts[0] == c], used))
            for c in ranked
        ]

    def participation(self) -> Participation:
        """Who we heard from: residents, neighbourhoods, languages, new and returning."""
        residents = {row.resident: row for row in self.rows}
        return Participation(
            residents=len(residents),
            new=sum(row.new_resident for row in residents.values()),
            by_neighbourhood=Counter(row.neighbourhood for row in residents.values()),
            by_language=Counter(row.lang for row in self.rows),
            not_dutch=sum(row.lang != "nl" for row in self.rows),
            contributions=len(self.rows),
        )

    @property
    def demo(self) -> int:
        """How many contributions are demo data."""
        return sum(row.demo for row in self.rows)


@dataclass(frozen=True)
class Participation:
    """How representative the input is."""

    residents: int
    new: int
    by_neighbourhood: Counter[str | None]
    by_language: Counter[str | None]
    not_dutch: int
    contributions: int

    @property
    def returning(self) -> int:
        """Residents who had contributed before this period."""
        return self.residents - self.new

    @property
    def share_not_dutch(self) -> float | None:
        """The share of contributions in a language other than Dutch (unknown counts as other)."""
        return self.not_dutch / self.contributions if self.contributions else None


def _quotes(rows: list[Row], used: set[str], most: int = QUOTES_PER_THEME) -> tuple[Row, ...]:
    """Up to `most` quotes not `used` elsewhere in the pack (and now used)."""
    # Prefer short, whole quotes in different languages, so the table hears several voices.
    quotable = sorted(
        (r for r in rows if r.words and r.ref not in used),
        key=lambda r: (len(r.words) > 280, len(r.words)),
    )
    chosen: list[Row] = []
    for row in quotable:
        if row.lang not in {c.lang for c in chosen} or len(quotable) <= most:
            chosen.append(row)
        if len(chosen) == most:
            break
    for row in quotable:
        if len(chosen) == most:
            break
        if row not in chosen:
            chosen.append(row)
    used.update(row.ref for row in chosen)
    return tuple(chosen)


async def gather(
    storage: Storage,
    period: Period,
    neighbourhood: str | None,
    placeholder: Callable[[str], str],
) -> Report:
    """Read the period's contributions (one neighbourhood's, if given) into a report."""
    since, until = period.bounds()
    first = await storage.contributions.first_dates()
    demo_residents = await storage.residents.ids_on_channel(DEMO_CHANNEL)
    rows: list[Row] = []
    hidden = 0
    for c in await storage.contributions.summaries(since, until):
        if neighbourhood is not None and c.neighbourhood != neighbourhood:
            continue
        if c.hidden:
            hidden += 1
            continue
        rows.append(
            Row(
                id=c.id,
                ref=reference(c.id),
                created=datetime.fromisoformat(c.created_at).astimezone(TIME_ZONE),
                kind=c.kind,
                lang=c.language,
                neighbourhood=c.neighbourhood,
                pillars=tuple(p for p in PILLARS if p in c.pillars),
                concepts=c.concepts,
                words=c.text if c.may_quote else "",
                wants_contact=c.wants_contact,
                resident=c.resident_id,
                new_resident=first.get(c.resident_id, "") >= since,
                demo=c.resident_id in demo_residents,
            )
        )
    previous_since, previous_until = period.previous().bounds()
    return Report(
        period=period,
        neighbourhood=neighbourhood,
        generated=datetime.now(TIME_ZONE),
        rows=rows,
        previous_total=await storage.contributions.count_between(
            previous_since, previous_until, neighbourhood
        ),
        hidden=hidden,
        waiting_review=await storage.contributions.count_for_review(
            since=since, until=until, neighbourhood=neighbourhood
        ),
        placeholder=placeholder,
    )
