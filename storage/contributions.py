"""Contributions: what residents shared, with the pillars each source gave them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from storage import audit, paths
from storage.database import Database, Transaction, now, placeholders
from storage.keys import KeyRing, Keys

KINDS = ("concern", "idea", "initiative")
SOURCES = ("auto", "resident", "worker")


def reference(contribution_id: int) -> str:
    """The short reference a resident is given, such as P-0042."""
    return f"P-{contribution_id:04d}"


@dataclass
class Contribution:
    """One concern, idea or initiative, in the resident's own words."""

    id: int
    resident_id: int
    kind: str
    text: str
    media_kind: str | None
    media_ref: str | None
    language: str | None
    neighbourhood: str | None
    may_quote: bool | None
    wants_contact: bool | None
    confirmed_at: str | None
    created_at: str
    channel_message_id: str | None
    reviewed_at: str | None = None
    hidden_at: str | None = None
    transcribed: bool = False
    concepts: list[str] = field(default_factory=list)
    pillars: dict[str, list[str]] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """The resident-facing reference."""
        return reference(self.id)

    @property
    def hidden(self) -> bool:
        """Hidden by a worker: counted, never shown or exported."""
        return self.hidden_at is not None

    @property
    def final_pillars(self) -> list[str]:
        """The pillars that count: a worker's over the resident's over the automatic ones."""
        return self.pillars.get(final_source(self.reviewed_at, self.confirmed_at), [])

    @classmethod
    def _from_row(cls, row: Any, pillar_rows: Iterable[Any], ring: KeyRing) -> Contribution:
        author = row["author"]
        contribution = cls(
            id=row["id"],
            resident_id=row["resident_id"],
            kind=row["kind"],
            text=ring.unseal(author, row["text"]),
            media_kind=row["media_kind"],
            media_ref=ring.unseal(author, row["media_ref"]) or None,
            transcribed=bool(row["transcribed"]),
            language=row["language"],
            neighbourhood=row["neighbourhood"],
            may_quote=_flag(row["may_quote"]),
            wants_contact=_flag(row["wants_contact"]),
            confirmed_at=row["confirmed_at"],
            created_at=row["created_at"],
            channel_message_id=row["channel_message_id"],
            reviewed_at=row["reviewed_at"],
            hidden_at=row["hidden_at"],
            concepts=json.loads(row["concepts"]),
        )
        for pillar_row in pillar_rows:
            source = pillar_row["source"]
            contribution.pillars.setdefault(source, []).append(pillar_row["pillar"])
            if source == "auto":
                contribution.terms[pillar_row["pillar"]] = json.loads(pillar_row["terms"])
        return contribution


# The tagger's score from which a pillar counts as sure; below it a worker takes a look.
SURE_AT = 0.75
# Not reviewed or hidden yet, and: not confirmed by the resident, or confirmed without any
# pillar, or the tagger's strongest pillar below the `sure_at` score (the one parameter).
NEEDS_REVIEW = """c.reviewed_at IS NULL AND c.hidden_at IS NULL AND (
    c.confirmed_at IS NULL
    OR NOT EXISTS (SELECT 1 FROM contribution_pillars p
                   WHERE p.contribution_id = c.id AND p.source = 'resident')
    OR COALESCE((SELECT MAX(p.score) FROM contribution_pillars p
                 WHERE p.contribution_id = c.id AND p.source = 'auto'), 0) < ?)"""


async def _add_concepts(
    tx: Transaction, contribution_id: int | None, concepts: Sequence[str]
) -> None:
    """Index a new contribution's concepts, strongest first, for the reports' counts."""
    await tx.execute_many(
        "INSERT INTO contribution_concepts (contribution_id, concept, position) VALUES (?, ?, ?)",
        [(contribution_id, c, place) for place, c in enumerate(dict.fromkeys(concepts))],
    )


async def _set_pillars(
    tx: Transaction, contribution_id: int, source: str, pillars: Iterable[str]
) -> None:
    await tx.execute(
        "DELETE FROM contribution_pillars WHERE contribution_id = ? AND source = ?",
        (contribution_id, source),
    )
    await tx.execute_many(
        "INSERT INTO contribution_pillars (contribution_id, source, pillar) VALUES (?, ?, ?)",
        [(contribution_id, source, pillar) for pillar in pillars],
    )


@cache
def parse_concepts(stored: str) -> tuple[str, ...]:
    """A contribution's stored concepts, strongest first."""
    # Few combinations of concepts recur across thousands of contributions: parse each once.
    return tuple(json.loads(stored))


def final_source(reviewed_at: str | None, confirmed_at: str | None) -> str:
    """Whose pillars count: a worker's once reviewed, else the resident's once confirmed."""
    if reviewed_at is not None:
        return "worker"
    return "resident" if confirmed_at is not None else "auto"


# The same choice in SQL, on `p` (contribution_pillars) of `c` (contributions).
FINAL_PILLARS = (
    "p.source = CASE WHEN c.reviewed_at IS NOT NULL THEN 'worker'"
    " WHEN c.confirmed_at IS NOT NULL THEN 'resident' ELSE 'auto' END"
)

# The programme's order of the pillars (insights.concepts.PILLARS), in which they are listed.
PILLAR_ORDER = ("positive_health", "livelihood_security", "equal_opportunities")
_IN_PILLAR_ORDER = (
    "CASE pillar "
    + " ".join(f"WHEN '{pillar}' THEN {place}" for place, pillar in enumerate(PILLAR_ORDER))
    + " END"
)


@dataclass(frozen=True, slots=True)
class Summary:
    """A contribution as reports read it: the final pillars, no tagger details."""

    id: int
    resident_id: int
    kind: str
    text: str
    language: str | None
    neighbourhood: str | None
    may_quote: bool
    wants_contact: bool
    created_at: str
    concepts: tuple[str, ...]
    hidden: bool
    pillars: tuple[str, ...]


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


class Contributions:
    """Reads and writes contributions and their pillars; their words and media references
    sealed with their author's key."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def _authors(self, resident_ids: Iterable[int]) -> dict[int, str]:
        """The person behind each of these residents."""
        ids = sorted(set(resident_ids))
        rows = await self.db.fetch_all(
            f"SELECT id, person FROM residents WHERE id IN ({placeholders(len(ids))})", ids
        )
        return {row[0]: row[1] for row in rows}

    async def add(
        self,
        *,
        resident_id: int,
        kind: str,
        text: str,
        language: str | None,
        neighbourhood: str | None,
        media_kind: str | None = None,
        media_ref: str | None = None,
        transcribed: bool = False,
        channel_message_id: str | None = None,
        auto_scores: Mapping[str, float] | None = None,
        auto_terms: Mapping[str, list[str]] | None = None,
        concepts: Sequence[str] = (),
        personal_data: str | None = None,
        anonymised_with: int | None = None,
    ) -> Contribution:
        """Store a contribution the moment its words arrive, with the tagger's pillars.

        `personal_data`: where the words hold personal data, found by detectors of version
        `anonymised_with` (see insights.anonymise).
        """
        auto_scores = auto_scores or {}
        auto_terms = auto_terms or {}
        author = (await self._authors([resident_id]))[resident_id]
        ring = await self.keys.ring([author], make=True)
        async with self.db.transaction() as tx:
            contribution_id = await tx.inserted_id(
                "INSERT INTO contributions (resident_id, kind, text, media_kind, media_ref,"
                " language, neighbourhood, created_at, channel_message_id, concepts, transcribed,"
                " personal_data, anonymised_with, text_length)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    resident_id,
                    kind,
                    ring.seal(author, text),
                    media_kind,
                    ring.seal(author, media_ref) if media_ref else None,
                    language,
                    neighbourhood,
                    now(),
                    channel_message_id,
                    json.dumps(list(concepts)),
                    transcribed,
                    personal_data,
                    anonymised_with,
                    len(text),
                ),
            )
            await _add_concepts(tx, contribution_id, concepts)
            await tx.execute_many(
                "INSERT INTO contribution_pillars (contribution_id, source, pillar, score, terms)"
                " VALUES (?, 'auto', ?, ?, ?)",
                [
                    (
                        contribution_id,
                        pillar,
                        score,
                        json.dumps(auto_terms.get(pillar, []), ensure_ascii=False),
                    )
                    for pillar, score in auto_scores.items()
                ],
            )
        assert contribution_id is not None
        contribution = await self.get(contribution_id)
        assert contribution is not None
        return contribution

    async def add_many(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Store many finished contributions in one transaction (demo data, imports)."""
        authors = await self._authors(item["resident_id"] for item in items)
        ring = await self.keys.ring(authors.values(), make=True)
        async with self.db.transaction() as tx:
            for item in items:
                added = await tx.inserted_id(
                    "INSERT INTO contributions (resident_id, kind, text, language, neighbourhood,"
                    " may_quote, wants_contact, confirmed_at, created_at, concepts, personal_data,"
                    " anonymised_with, text_length)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        item["resident_id"],
                        item["kind"],
                        ring.seal(authors[item["resident_id"]], item["text"]),
                        item["language"],
                        item["neighbourhood"],
                        item["may_quote"],
                        item["wants_contact"],
                        item["created_at"] if item["confirmed"] else None,
                        item["created_at"],
                        json.dumps(list(item["concepts"])),
                        item.get("personal_data"),
                        item.get("anonymised_with"),
                        len(item["text"]),
                    ),
                )
                await _add_concepts(tx, added, item["concepts"])
                pillars = [
                    (
                        added,
                        "auto",
                        p,
                        item["scores"][p],
                        json.dumps(item["terms"].get(p, []), ensure_ascii=False),
                    )
                    for p in item["pillars"]
                ]
                if item["confirmed"]:
                    pillars += [(added, "resident", p, 1.0, "[]") for p in item["pillars"]]
                await tx.execute_many(
                    "INSERT INTO contribution_pillars"
                    " (contribution_id, source, pillar, score, terms) VALUES (?, ?, ?, ?, ?)",
                    pillars,
                )

    async def unanonymised(self, version: int, after: int, limit: int) -> list[tuple[int, str]]:
        """Words after id `after` whose personal data detectors of `version` did not look for."""
        rows = await self.db.fetch_all(
            "SELECT c.id, c.text, r.person FROM contributions c"
            " JOIN residents r ON r.id = c.resident_id"
            " WHERE c.id > ? AND c.anonymised_with IS DISTINCT FROM ? ORDER BY c.id LIMIT ?",
            (after, version, limit),
        )
        ring = await self.keys.ring({row[2] for row in rows})
        return [(row[0], ring.unseal(row[2], row[1])) for row in rows]

    async def set_personal_data(self, found: Sequence[tuple[int, str]], version: int) -> None:
        """Where detectors of `version` found personal data in these contributions' words."""
        async with self.db.transaction() as tx:
            await tx.execute_many(
                "UPDATE contributions SET personal_data = ?, anonymised_with = ? WHERE id = ?",
                [
                    (personal_data, version, contribution_id)
                    for contribution_id, personal_data in found
                ],
            )

    async def confirm_pillars(self, contribution_id: int, pillars: Iterable[str]) -> None:
        """Record the pillars the resident confirmed (possibly none)."""
        async with self.db.transaction() as tx:
            await _set_pillars(tx, contribution_id, "resident", pillars)
            await tx.execute(
                "UPDATE contributions SET confirmed_at = ? WHERE id = ?", (now(), contribution_id)
            )

    async def review(
        self, contribution_id: int, pillars: Sequence[str], actor_id: int, actor_role: str
    ) -> None:
        """A worker's pillars (possibly none), which count over all others; audited."""
        async with self.db.transaction() as tx:
            await _set_pillars(tx, contribution_id, "worker", pillars)
            await tx.execute(
                "UPDATE contributions SET reviewed_at = ? WHERE id = ?", (now(), contribution_id)
            )
            await paths.reach(tx, [contribution_id], "read", None)
            await audit.record(
                tx, actor_id, actor_role, "set_pillars", contribution_id, pillars=list(pillars)
            )

    async def hide(self, contribution_id: int, actor_id: int, actor_role: str) -> None:
        """Hide a contribution (abuse, spam, personal attacks); audited."""
        stamp = now()
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE contributions SET hidden_at = ?, reviewed_at = COALESCE(reviewed_at, ?)"
                " WHERE id = ?",
                (stamp, stamp, contribution_id),
            )
            await audit.record(tx, actor_id, actor_role, "hide", contribution_id)

    async def next_for_review(
        self, after_id: int = 0, sure_at: float = SURE_AT
    ) -> Contribution | None:
        """The next contribution a worker should look at: untagged, unsure or unconfirmed."""
        found = await self._select(f"WHERE {NEEDS_REVIEW} AND c.id > ?", (sure_at, after_id), 1)
        return found[0] if found else None

    async def count_for_review(
        self,
        sure_at: float = SURE_AT,
        since: str | None = None,
        until: str | None = None,
        neighbourhood: str | None = None,
    ) -> int:
        """How many contributions wait for a worker's review (of a period and place, if given)."""
        sql = f"SELECT COUNT(*) FROM contributions c WHERE {NEEDS_REVIEW}"
        values: list[object] = [sure_at]
        for condition, value in (
            ("c.created_at >= ?", since),
            ("c.created_at < ?", until),
            ("c.neighbourhood = ?", neighbourhood),
        ):
            if value is not None:
                sql += f" AND {condition}"
                values.append(value)
        row = await self.db.fetch_one(sql, tuple(values))
        return row[0] if row else 0

    async def set_answer(self, contribution_id: int, question: str, answer: bool) -> None:
        """Store the resident's yes or no to `may_quote` or `wants_contact`."""
        if question not in ("may_quote", "wants_contact"):
            raise ValueError(f"unknown question {question!r}")
        async with self.db.transaction() as tx:
            await tx.execute(
                f"UPDATE contributions SET {question} = ? WHERE id = ?",
                (int(answer), contribution_id),
            )

    async def get(self, contribution_id: int) -> Contribution | None:
        """One contribution with its pillars."""
        found = await self._select("WHERE c.id = ?", (contribution_id,))
        return found[0] if found else None

    async def by_resident(self, resident_id: int) -> list[Contribution]:
        """A resident's contributions, oldest first."""
        return await self._select("WHERE c.resident_id = ?", (resident_id,))

    async def languages_of(self, resident_id: int) -> dict[str, int]:
        """How many of a resident's contributions were written in each detected language."""
        rows = await self.db.fetch_all(
            "SELECT language, COUNT(*) FROM contributions WHERE resident_id = ?"
            " AND language IS NOT NULL GROUP BY language",
            (resident_id,),
        )
        return {row[0]: row[1] for row in rows}

    async def count_confirmed(self) -> int:
        """How many visible messages with words a worker labelled or the resident confirmed."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM contributions c WHERE c.text != '' AND c.hidden_at IS NULL"
            " AND (c.confirmed_at IS NOT NULL OR EXISTS (SELECT 1 FROM contribution_pillars p"
            " WHERE p.contribution_id = c.id AND p.source = 'worker'))"
        )
        return row[0] if row else 0

    async def count_between(self, since: str, until: str, neighbourhood: str | None) -> int:
        """Contributions not hidden, created from `since` to before `until`, in a neighbourhood."""
        sql = (
            "SELECT COUNT(*) FROM contributions WHERE hidden_at IS NULL"
            " AND created_at >= ? AND created_at < ?"
        )
        params: tuple[str, ...] = (since, until)
        if neighbourhood is not None:
            sql, params = sql + " AND neighbourhood = ?", (*params, neighbourhood)
        row = await self.db.fetch_one(sql, params)
        return row[0] if row else 0

    async def summaries(self, since: str, until: str) -> list[Summary]:
        """Every contribution created from `since` to before `until`, read in two queries."""
        bounds = (since, until)
        pillar_rows = await self.db.fetch_all(
            "SELECT p.contribution_id, p.source, p.pillar FROM contribution_pillars p"
            " JOIN contributions c ON c.id = p.contribution_id"
            " WHERE c.created_at >= ? AND c.created_at < ?",
            bounds,
        )
        pillars: dict[tuple[int, str], list[str]] = {}
        for contribution_id, source, pillar in pillar_rows:
            pillars.setdefault((contribution_id, source), []).append(pillar)
        rows = await self.db.fetch_all(
            "SELECT c.id, c.resident_id, c.kind, c.text, c.language, c.neighbourhood,"
            " c.may_quote, c.wants_contact, c.created_at, c.concepts, c.hidden_at,"
            " c.reviewed_at, c.confirmed_at, r.person FROM contributions c"
            " JOIN residents r ON r.id = c.resident_id"
            " WHERE c.created_at >= ? AND c.created_at < ? ORDER BY c.id",
            bounds,
        )
        ring = await self.keys.ring({row[13] for row in rows})
        return [
            Summary(
                id=row[0],
                resident_id=row[1],
                kind=row[2],
                text=ring.unseal(row[13], row[3]),
                language=row[4],
                neighbourhood=row[5],
                may_quote=bool(row[6]),
                wants_contact=bool(row[7]),
                created_at=row[8],
                concepts=parse_concepts(row[9]),
                hidden=row[10] is not None,
                pillars=tuple(pillars.get((row[0], final_source(row[11], row[12])), ())),
            )
            for row in rows
        ]

    async def iterate(self, batch: int = 1000) -> AsyncIterator[Contribution]:
        """Every contribution, oldest first, read in batches."""
        last = 0
        while True:
            found = await self._select("WHERE c.id > ?", (last,), limit=batch)

            if not found:
                return
            for contribution in found:
                yield contribution
            last = found[-1].id

    async def _select(
        self, where: str, params: tuple[Any, ...], limit: int | None = None
    ) -> list[Contribution]:
        sql = (
            "SELECT c.*, r.person AS author FROM contributions c"
            f" JOIN residents r ON r.id = c.resident_id {where} ORDER BY c.id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = await self.db.fetch_all(sql, params)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        marks = placeholders(len(ids))
        pillar_rows = await self.db.fetch_all(
            "SELECT * FROM contribution_pillars WHERE contribution_id IN"
            f" ({marks}) ORDER BY contribution_id, source, {_IN_PILLAR_ORDER}",
            ids,
        )
        by_contribution: dict[int, list[Any]] = {}
        for pillar_row in pillar_rows:
            by_contribution.setdefault(pillar_row["contribution_id"], []).append(pillar_row)
        ring = await self.keys.ring({row["author"] for row in rows})
        return [
            Contribution._from_row(row, by_contribution.get(row["id"], []), ring) for row in rows
        ]
