"""Gathering a report: the figures the team asks for, counted by the database, and quotes."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from insights.anonymise import scrub, still_found
from insights.concepts import BY_ID, PILLARS
from insights.report.period import Period
from locales import TIME_ZONE, current
from storage import Storage
from storage.contributions import reference
from storage.figures import Candidate, Ended, Figures, Heard, Scope
from storage.paths import STEPS

QUOTES_PER_THEME = 3
THEMES = 12
IDEAS = 5
# Candidates read per concept and language: enough that quotes taken by other themes and ideas
# (at most three each) never leave one short.
CANDIDATES = QUOTES_PER_THEME * (THEMES + IDEAS + 1)


@dataclass(frozen=True, slots=True)
class Quote:
    """Words a resident allowed to be quoted, with where they come from."""

    id: int
    ref: str
    lang: str | None
    words: str
    found: str | None  # where its personal data is, if known (see insights.anonymise)


class Row(NamedTuple):
    """One contribution as a report lists it; `words` only when the author allowed quoting."""

    ref: str
    created: datetime
    kind: str
    lang: str | None
    neighbourhood: str | None
    pillars: tuple[str, ...]
    concepts: tuple[str, ...]
    words: str
    found: str | None
    offers_help: bool
    demo: bool


@dataclass(frozen=True)
class Theme:
    """A concept counted across languages, with some residents' own words."""

    concept: str
    count: int
    quotes: tuple[Quote, ...]


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


@dataclass
class Report:
    """Everything a report shows, in any format; its rows are read while the storage is open."""

    period: Period
    neighbourhood: str | None
    generated: datetime
    total: int
    demo: int
    previous_total: int
    hidden: int
    waiting_review: int
    counts: Counter[tuple[str, str | None, str]]
    themes: list[Theme]
    ideas_by_support: list[Theme]
    help_by_topic: list[tuple[str | None, int]]
    heard: list[Heard]
    languages: Counter[str | None]
    by_status: dict[str, int]
    ended: list[Ended]
    placeholder: Callable[[str], str]
    figures: Figures
    scope: Scope
    # Machine translations of the quotes shown, by reference; None: no service was set.
    translations: dict[str, str] | None = None
    untranslated: int = 0
    # Inhabitants per neighbourhood (id: count) and their source, for the reach.
    inhabitants: dict[str, int] = field(default_factory=dict)
    inhabitants_source: str = ""

    def quote(self, words: str, found: str | None = None) -> str:
        """A resident's words, anonymised (where `found` says, when known)."""
        return scrub(words, self.placeholder, found) if words else ""

    def what_happened(self, ended: Ended) -> str:
        """What a worker wrote at a path's end: in the report language, else Dutch; anonymised."""
        texts = ended.texts
        return self.quote(texts.get(current()) or texts.get("nl") or next(iter(texts.values())))

    def statuses(self) -> list[tuple[str, int]]:
        """Contributions at each step of their path, in the path's order."""
        return [(step, self.by_status.get(step, 0)) for step in STEPS]

    @property
    def change(self) -> float | None:
        """Change against the previous period of the same length, as a fraction."""
        if not self.previous_total:
            return None
        return (self.total - self.previous_total) / self.previous_total

    def by_pillar(self) -> dict[str, int]:
        """How many contributions touch each pillar ('' for none)."""
        found: Counter[str] = Counter()
        for (pillar, _hood, _kind), count in self.counts.items():
            found[pillar] += count
        return {p: found[p] for p in (*PILLARS, "")}

    def shown_quotes(self) -> list[Quote]:
        """Every quote the page shows: the themes' and the ideas'."""
        return [
            quote for theme in (*self.themes, *self.ideas_by_support) for quote in theme.quotes
        ]

    def participation(self) -> Participation:
        """Who we heard from: residents, neighbourhoods, languages, new and returning."""
        return Participation(
            residents=sum(found.residents for found in self.heard),
            new=sum(found.new for found in self.heard),
            by_neighbourhood=Counter(
                {found.neighbourhood: found.residents for found in self.heard}
            ),
            by_language=self.languages,
            not_dutch=self.total - self.languages["nl"],
            contributions=self.total,
        )

    async def rows(self, offers: bool = False) -> AsyncIterator[Row]:
        """Every contribution of the report (or only the offers of help), oldest first."""
        async for listed in self.figures.listing(self.scope, offers):
            yield Row(
                ref=reference(listed.id),
                created=datetime.fromisoformat(listed.created_at).astimezone(TIME_ZONE),
                kind=listed.kind,
                lang=listed.language,
                neighbourhood=listed.neighbourhood,
                pillars=tuple(p for p in PILLARS if p in listed.pillars),
                concepts=listed.concepts,
                words=listed.words,
                found=still_found(listed.personal_data, listed.anonymised_with),
                offers_help=listed.offers_help,
                demo=listed.demo,
            )


def _quotes(candidates: Sequence[Candidate], used: set[int], most: int) -> tuple[Quote, ...]:
    """Up to `most` quotes not `used` elsewhere in the pack (and now used)."""
    # Prefer short, whole quotes in different languages, so the table hears several voices.
    quotable = [c for c in candidates if c.id not in used]
    chosen: list[Candidate] = []
    for candidate in quotable:
        if candidate.language not in {c.language for c in chosen} or len(quotable) <= most:
            chosen.append(candidate)
        if len(chosen) == most:
            break
    for candidate in quotable:
        if len(chosen) == most:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    used.update(c.id for c in chosen)
    return tuple(
        Quote(
            c.id,
            reference(c.id),
            c.language,
            c.words,
            still_found(c.personal_data, c.anonymised_with),
        )
        for c in chosen
    )


def _by_concept(candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    found: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        found.setdefault(candidate.concept, []).append(candidate)
    return found


async def _themes(
    figures: Figures, scope: Scope, used: set[int]
) -> tuple[list[Theme], list[Theme]]:
    """The biggest concepts and the ideas most residents share, each with quotes used once."""
    counted = [(c, n) for c, n in await figures.concepts(scope) if c in BY_ID][:THEMES]
    top = [c for c, _n in counted]
    candidates = _by_concept(await figures.candidates(scope, top, CANDIDATES))
    # A quote appears once in the pack: two for each theme first, then a third where left.
    chosen = {c: _quotes(candidates.get(c, []), used, QUOTES_PER_THEME - 1) for c in top}
    chosen = {c: chosen[c] + _quotes(candidates.get(c, []), used, 1) for c in top}
    themes = [Theme(c, n, chosen[c]) for c, n in counted]
    supported = [(c, n) for c, n in await figures.ideas(scope) if c in BY_ID][:IDEAS]
    ideas = _by_concept(
        await figures.candidates(scope, [c for c, _n in supported], CANDIDATES, ideas=True)
    )
    return themes, [
        Theme(c, n, _quotes(ideas.get(c, []), used, QUOTES_PER_THEME)) for c, n in supported
    ]


async def gather(
    storage: Storage,
    period: Period,
    neighbourhood: str | None,
    placeholder: Callable[[str], str],
) -> Report:
    """Count the period's contributions (one neighbourhood's, if given) into a report."""
    since, until = period.bounds()
    scope = Scope(since, until, neighbourhood)
    figures = storage.figures
    total, demo = await figures.totals(scope)
    themes, ideas = await _themes(figures, scope, set())
    previous_since, previous_until = period.previous().bounds()
    return Report(
        period=period,
        neighbourhood=neighbourhood,
        generated=datetime.now(TIME_ZONE),
        total=total,
        demo=demo,
        previous_total=await storage.contributions.count_between(
            previous_since, previous_until, neighbourhood
        ),
        hidden=await figures.hidden(scope),
        waiting_review=await storage.contributions.count_for_review(
            since=since, until=until, neighbourhood=neighbourhood
        ),
        counts=Counter(
            {
                (p, hood, kind): n
                for p, hood, kind, n in await figures.by_pillar_neighbourhood_kind(scope)
            }
        ),
        themes=themes,
        ideas_by_support=ideas,
        help_by_topic=await figures.help_by_topic(scope),
        heard=await figures.heard(scope),
        languages=Counter(dict(await figures.languages(scope))),
        by_status={step: n for step, n in await figures.by_status(scope)},
        ended=await figures.ended(scope),
        placeholder=placeholder,
        figures=figures,
        scope=scope,
    )
