"""The figures of a report, counted by the database: no Python object per contribution."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from storage.contributions import FINAL_PILLARS, parse_concepts
from storage.database import Database, placeholders
from storage.keys import Keys
from storage.paths import ENDS, STATUS
from storage.residents import DEMO_CHANNEL

# Rows of the listing read at a time: a few MiB, whatever the period holds.
BATCH = 5_000
# Quotes prefer whole messages: a longer one is only taken when no shorter one is left.
LONG_QUOTE = 280


@dataclass(frozen=True)
class Scope:
    """The contributions a report is about: a period, perhaps one neighbourhood, none hidden."""

    since: str
    until: str
    neighbourhood: str | None = None

    def where(self, hidden: bool = False) -> tuple[str, tuple[Any, ...]]:
        """The SQL condition on `c` (contributions) and its parameters."""
        sql = "c.created_at >= ? AND c.created_at < ? AND c.hidden_at IS "
        sql += "NOT NULL" if hidden else "NULL"
        if self.neighbourhood is None:
            return sql, (self.since, self.until)
        return sql + " AND c.neighbourhood = ?", (self.since, self.until, self.neighbourhood)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A contribution that may be quoted for a topic: the words its author allowed."""

    id: int
    concept: str
    language: str | None
    words: str
    personal_data: str | None
    anonymised_with: int | None


@dataclass(frozen=True, slots=True)
class Heard:
    """Residents heard in one neighbourhood (where they last wrote from), and how many are new."""

    neighbourhood: str | None
    residents: int
    new: int


class Listed(NamedTuple):
    """One contribution as a report lists it; `words` only when the author allowed quoting."""

    id: int
    created_at: str
    kind: str
    language: str | None
    neighbourhood: str | None
    pillars: tuple[str, ...]
    concepts: tuple[str, ...]
    words: str
    personal_data: str | None
    anonymised_with: int | None
    offers_help: bool
    demo: bool


@dataclass(frozen=True)
class Ended:
    """A path a worker ended: with an outcome or closed, when, and what they wrote by language."""

    id: int
    step: str
    at: str
    texts: dict[str, str]


OFFERS_HELP = "c.wants_contact = 1 AND c.kind IN ('idea', 'initiative')"


class Figures:
    """Counts, quote candidates and the listing of the contributions in a scope."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def _rows(
        self, sql: str, scope: Scope, before: Sequence[Any] = (), after: Sequence[Any] = ()
    ) -> list[Any]:
        """Rows of `sql` with the scope's condition for `{scope}`, between the other parameters."""
        where, bound = scope.where()
        return await self.db.fetch_all(sql.replace("{scope}", where), (*before, *bound, *after))

    def _period_to_concepts(self) -> str:
        """The period's contributions joined to their concepts, in that order on SQLite, whose
        planner would otherwise visit every contribution ever made on those topics (CROSS JOIN
        fixes the order there); PostgreSQL's planner chooses by itself."""
        join = "CROSS JOIN" if self.db.dialect == "sqlite" else "JOIN"
        return f"contributions c {join} contribution_concepts k ON k.contribution_id = c.id"

    def _concept_hint(self) -> str:
        """On SQLite a "+" reads each contribution's few concepts at once, not one lookup per
        concept asked; PostgreSQL needs no hint."""
        return "+" if self.db.dialect == "sqlite" else ""

    async def totals(self, scope: Scope) -> tuple[int, int]:
        """Contributions, and how many of them are demo data."""
        [row] = await self._rows(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN r.channel = ? THEN 1 ELSE 0 END), 0)"
            " FROM contributions c JOIN residents r ON r.id = c.resident_id WHERE {scope}",
            scope,
            before=(DEMO_CHANNEL,),
        )
        return row[0], row[1]

    async def hidden(self, scope: Scope) -> int:
        """Contributions hidden by a worker (abuse, spam) in the scope's period and place."""
        where, bound = scope.where(hidden=True)
        [row] = await self.db.fetch_all(
            f"SELECT COUNT(*) FROM contributions c WHERE {where}", bound
        )
        return int(row[0])

    async def by_pillar_neighbourhood_kind(
        self, scope: Scope
    ) -> list[tuple[str, str | None, str, int]]:
        """Contributions by their final pillars ('' for none), neighbourhood and kind."""
        rows = await self._rows(
            "SELECT COALESCE(p.pillar, ''), c.neighbourhood, c.kind, COUNT(*)"
            " FROM contributions c LEFT JOIN contribution_pillars p"
            f" ON p.contribution_id = c.id AND {FINAL_PILLARS}"
            " WHERE {scope} GROUP BY 1, 2, 3",
            scope,
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    async def concepts(self, scope: Scope) -> list[tuple[str, int]]:
        """How many contributions touch each concept, biggest first."""
        rows = await self._rows(
            "SELECT k.concept, COUNT(*) AS n FROM contributions c"
            " JOIN contribution_concepts k ON k.contribution_id = c.id"
            " WHERE {scope} GROUP BY k.concept ORDER BY n DESC, k.concept",
            scope,
        )
        return [(row[0], row[1]) for row in rows]

    async def ideas(self, scope: Scope) -> list[tuple[str, int]]:
        """Ideas by their main concept: how many residents brought each up, most first."""
        rows = await self._rows(
            "SELECT k.concept, COUNT(DISTINCT c.resident_id) AS n FROM contributions c"
            " JOIN contribution_concepts k ON k.contribution_id = c.id AND k.position = 0"
            " WHERE {scope} AND c.kind = 'idea' GROUP BY k.concept ORDER BY n DESC, k.concept",
            scope,
        )
        return [(row[0], row[1]) for row in rows]

    async def help_by_topic(self, scope: Scope) -> list[tuple[str | None, int]]:
        """Offers of help by their main concept (None: no concept), most first."""
        rows = await self._rows(
            "SELECT k.concept, COUNT(*) AS n FROM contributions c"
            " LEFT JOIN contribution_concepts k ON k.contribution_id = c.id AND k.position = 0"
            f" WHERE {{scope}} AND {OFFERS_HELP} GROUP BY k.concept ORDER BY n DESC, k.concept",
            scope,
        )
        return [(row[0], row[1]) for row in rows]

    async def candidates(
        self, scope: Scope, concepts: Sequence[str], per_language: int, ideas: bool = False
    ) -> list[Candidate]:
        """The shortest quotable words per concept and language (`ideas`: ideas on it only)."""
        if not concepts:
            return []
        marks = placeholders(len(concepts))
        only = " AND c.kind = 'idea' AND k.position = 0" if ideas else ""
        rows = await self._rows(
            "SELECT id, concept, language, text, personal_data, anonymised_with, author FROM ("
            " SELECT c.id, k.concept, c.language, c.text, c.personal_data, c.anonymised_with,"
            " c.text_length, r.person AS author, ROW_NUMBER() OVER ("
            "  PARTITION BY k.concept, c.language"
            f"  ORDER BY CASE WHEN c.text_length > {LONG_QUOTE} THEN 1 ELSE 0 END,"
            "  c.text_length, c.id) AS place"
            f" FROM {self._period_to_concepts()} JOIN residents r ON r.id = c.resident_id"
            f" WHERE {self._concept_hint()}k.concept IN ({marks})"
            f" AND c.may_quote = 1 AND c.text <> ''{only}"
            " AND {scope}"
            ") ranked WHERE place <= ?"
            f" ORDER BY CASE WHEN text_length > {LONG_QUOTE} THEN 1 ELSE 0 END,"
            " text_length, id",
            scope,
            before=concepts,
            after=(per_language,),
        )
        ring = await self.keys.ring({row[6] for row in rows})
        return [
            Candidate(row[0], row[1], row[2], ring.unseal(row[6], row[3]), row[4], row[5])
            for row in rows
        ]

    async def by_status(self, scope: Scope) -> list[tuple[str, int]]:
        """Contributions by the furthest step of their path."""
        rows = await self._rows(
            f"SELECT {STATUS} AS status, COUNT(*) FROM contributions c WHERE {{scope}}"
            " GROUP BY status",
            scope,
        )
        return [(row[0], row[1]) for row in rows]

    async def ended(self, scope: Scope) -> list[Ended]:
        """The paths workers ended, newest first, with what they wrote."""
        rows = await self._rows(
            "SELECT p.contribution_id, p.step, p.at, o.language, o.text FROM contributions c"
            " JOIN contribution_path p ON p.contribution_id = c.id AND p.step IN (?, ?)"
            " JOIN contribution_outcomes o ON o.contribution_id = c.id"
            " WHERE {scope} ORDER BY p.at DESC, p.contribution_id DESC",
            scope,
            before=ENDS,
        )
        found: dict[int, Ended] = {}
        for contribution_id, step, at, language, text in rows:
            found.setdefault(contribution_id, Ended(contribution_id, step, at, {}))
            found[contribution_id].texts[language] = text
        return list(found.values())

    async def heard(self, scope: Scope) -> list[Heard]:
        """Residents heard per neighbourhood, and of them how many never wrote before."""
        rows = await self._rows(
            "SELECT l.neighbourhood, COUNT(*) AS n, SUM(CASE WHEN EXISTS ("
            "  SELECT 1 FROM contributions o"
            "  WHERE o.resident_id = l.resident_id AND o.created_at < ?) THEN 0 ELSE 1 END)"
            " FROM (SELECT MAX(c.id) AS last FROM contributions c WHERE {scope}"
            "  GROUP BY c.resident_id) h"
            " JOIN contributions l ON l.id = h.last"
            " GROUP BY l.neighbourhood ORDER BY n DESC, l.neighbourhood",
            scope,
            before=(scope.since,),
        )
        return [Heard(row[0], row[1], row[2]) for row in rows]

    async def languages(self, scope: Scope) -> list[tuple[str | None, int]]:
        """Contributions per language (None: unsure), most first."""
        rows = await self._rows(
            "SELECT c.language, COUNT(*) AS n FROM contributions c WHERE {scope}"
            " GROUP BY c.language ORDER BY n DESC, c.language",
            scope,
        )
        return [(row[0], row[1]) for row in rows]

    async def listing(self, scope: Scope, offers: bool = False) -> AsyncIterator[Listed]:
        """Every contribution in the scope (or only offers of help), oldest first, in batches."""
        last = 0
        where = f"{{scope}} AND {OFFERS_HELP}" if offers else "{scope}"
        while True:
            rows = await self._rows(
                "SELECT c.id, c.created_at, c.kind, c.language, c.neighbourhood,"
                " CASE WHEN c.may_quote = 1 THEN c.text ELSE '' END, c.concepts,"
                f" CASE WHEN {OFFERS_HELP} THEN 1 ELSE 0 END, r.channel = ?,"
                " c.personal_data, c.anonymised_with, r.person"
                " FROM contributions c JOIN residents r ON r.id = c.resident_id"
                f" WHERE c.id > ? AND {where} ORDER BY c.id LIMIT {BATCH}",
                scope,
                before=(DEMO_CHANNEL, last),
            )
            if not rows:
                return
            pillars = await self._pillars(rows[0][0], rows[-1][0])
            ring = await self.keys.ring({row[11] for row in rows if row[5]})
            for row in rows:
                yield Listed(
                    id=row[0],
                    created_at=row[1],
                    kind=row[2],
                    language=row[3],
                    neighbourhood=row[4],
                    pillars=pillars.get(row[0], ()),
                    concepts=parse_concepts(row[6]),
                    words=ring.unseal(row[11], row[5]),
                    personal_data=row[9],
                    anonymised_with=row[10],
                    offers_help=bool(row[7]),
                    demo=bool(row[8]),
                )
            last = rows[-1][0]

    async def _pillars(self, first: int, last: int) -> dict[int, tuple[str, ...]]:
        """The final pillars of the contributions with ids from `first` to `last`."""
        rows = await self.db.fetch_all(
            "SELECT p.contribution_id, p.pillar FROM contribution_pillars p"
            " JOIN contributions c ON c.id = p.contribution_id"
            f" WHERE c.id BETWEEN ? AND ? AND {FINAL_PILLARS} ORDER BY p.pillar",
            (first, last),
        )
        found: dict[int, tuple[str, ...]] = {}
        for contribution_id, pillar in rows:
            found[contribution_id] = (*found.get(contribution_id, ()), pillar)
        return found
