"""Events and announcements: drafts, texts per language, answers, links and attendance."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from storage import audit, outbox, paths
from storage.database import Database, now, placeholders
from storage.outbox import Outgoing
from storage.residents import Audience

ANSWERS = ("going", "maybe", "no")
SOURCE_LANGUAGE = "nl"


@dataclass(frozen=True)
class EventText:
    """The title and description in one language."""

    title: str = ""
    description: str = ""


@dataclass
class Event:
    """An event residents are invited to, or a plain announcement."""

    id: int
    kind: str
    created_by: int | None
    starts_at: str | None
    place: str
    neighbourhoods: list[str]
    pillars: list[str]
    capacity: int | None
    audience: Audience
    status: str
    created_at: str
    sent_at: str | None = None
    cancelled_at: str | None = None
    reminded_at: str | None = None
    attended: int | None = None
    texts: dict[str, EventText] = field(default_factory=dict)

    @property
    def starts(self) -> datetime | None:
        """When the event starts (aware, UTC), if it has a time."""
        return datetime.fromisoformat(self.starts_at) if self.starts_at else None

    def text_in(self, language: str) -> EventText:
        """The text in `language` when a worker wrote one, else the Dutch one."""
        return self.texts.get(language) or self.texts.get(SOURCE_LANGUAGE) or EventText()

    @classmethod
    def _from_row(cls, row: Any, text_rows: Iterable[Any]) -> Event:
        audience = json.loads(row["audience"])
        return cls(
            id=row["id"],
            kind=row["kind"],
            created_by=row["created_by"],
            starts_at=row["starts_at"],
            place=row["place"],
            neighbourhoods=json.loads(row["neighbourhoods"]),
            pillars=json.loads(row["pillars"]),
            capacity=row["capacity"],
            audience=Audience(**{k: tuple(v) for k, v in audience.items()}),
            status=row["status"],
            created_at=row["created_at"],
            sent_at=row["sent_at"],
            cancelled_at=row["cancelled_at"],
            reminded_at=row["reminded_at"],
            attended=row["attended"],
            texts={t["language"]: EventText(t["title"], t["description"]) for t in text_rows},
        )


@dataclass(frozen=True)
class Answers:
    """How the invited answered."""

    going: int = 0
    maybe: int = 0
    no: int = 0
    invited: int = 0

    @property
    def unanswered(self) -> int:
        """Invited residents who have not answered."""
        return max(self.invited - self.going - self.maybe - self.no, 0)


class Linked(NamedTuple):
    """The contributions newly linked to an event, and those of them now first on the table."""

    linked: list[int]
    tabled: list[int]


class Events:
    """Reads and writes events, their texts, answers and links."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, kind: str, created_by: int) -> Event:
        """A new draft."""
        async with self.db.transaction() as tx:
            event_id = await tx.inserted_id(
                "INSERT INTO events (kind, created_by, created_at) VALUES (?, ?, ?)",
                (kind, created_by, now()),
            )
        event = await self.get(event_id)
        assert event is not None
        return event

    async def get(self, event_id: int) -> Event | None:
        """An event with its texts."""
        row = await self.db.fetch_one("SELECT * FROM events WHERE id = ?", (event_id,))
        if row is None:
            return None
        texts = await self.db.fetch_all(
            "SELECT * FROM event_texts WHERE event_id = ?", (event_id,)
        )
        return Event._from_row(row, texts)

    async def save(self, event: Event) -> None:
        """Write back a draft's details."""
        audience = {k: list(v) for k, v in vars(event.audience).items()}
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE events SET starts_at = ?, place = ?, neighbourhoods = ?, pillars = ?,"
                " capacity = ?, audience = ? WHERE id = ?",
                (
                    event.starts_at,
                    event.place,
                    json.dumps(event.neighbourhoods),
                    json.dumps(event.pillars),
                    event.capacity,
                    json.dumps(audience),
                    event.id,
                ),
            )

    async def set_text(self, event_id: int, language: str, **text: str) -> None:
        """Set the title and/or description in one language."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO event_texts (event_id, language) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (event_id, language),
            )
            for name in ("title", "description"):
                if name in text:
                    await tx.execute(
                        f"UPDATE event_texts SET {name} = ? WHERE event_id = ? AND language = ?",
                        (text[name], event_id, language),
                    )

    async def send(
        self, event: Event, purpose: str, messages: list[Outgoing], actor_role: str
    ) -> int:
        """Mark a draft sent and queue its messages, together; the number queued."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE events SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'draft'",
                (now(), event.id),
            )
            if changed == 0:
                return 0
            queued = await outbox.queue(tx, event.id, purpose, messages)
            await audit.record(
                tx, event.created_by, actor_role, f"{event.kind}_sent", recipients=queued
            )
        return queued

    async def notify(self, event_id: int, purpose: str, messages: list[Outgoing]) -> int:
        """Queue follow-up messages (reminder, linked, cancellation); the number new."""
        async with self.db.transaction() as tx:
            return await outbox.queue(tx, event_id, purpose, messages)

    async def cancel(
        self, event_id: int, actor_id: int, actor_role: str, messages: list[Outgoing]
    ) -> bool:
        """Cancel a sent event and queue the news for those who answered going or maybe."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE events SET status = 'cancelled', cancelled_at = ?"
                " WHERE id = ? AND status = 'sent'",
                (now(), event_id),
            )
            if changed == 0:
                return False
            await outbox.queue(tx, event_id, "cancellation", messages)
            await audit.record(tx, actor_id, actor_role, "event_cancelled", event=event_id)
        return True

    async def record_attendance(
        self, event_id: int, attended: int, actor_id: int, actor_role: str
    ) -> None:
        """How many people came."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE events SET attended = ? WHERE id = ?", (attended, event_id))
            await audit.record(
                tx, actor_id, actor_role, "attendance", event=event_id, attended=attended
            )

    async def upcoming(self, after: str) -> list[Event]:
        """Sent events that have not started yet, soonest first."""
        return await self._select(
            "status = 'sent' AND kind = 'event' AND starts_at > ? ORDER BY starts_at", (after,)
        )

    async def recent_past(self, since: str, until: str) -> list[Event]:
        """Sent events that took place between `since` and `until`, latest first."""
        return await self._select(
            "status = 'sent' AND kind = 'event' AND starts_at > ? AND starts_at <= ?"
            " ORDER BY starts_at DESC",
            (since, until),
        )

    async def to_remind(self, before: str, after: str) -> list[Event]:
        """Sent events starting between `after` and `before` that had no reminder yet."""
        return await self._select(
            "status = 'sent' AND kind = 'event' AND reminded_at IS NULL"
            " AND starts_at > ? AND starts_at <= ? ORDER BY starts_at",
            (after, before),
        )

    async def mark_reminded(self, event_id: int, messages: list[Outgoing]) -> int:
        """Queue the reminders and note the event as reminded, together."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE events SET reminded_at = ? WHERE id = ?", (now(), event_id))
            return await outbox.queue(tx, event_id, "reminder", messages)

    async def answer(self, event_id: int, resident_id: int, answer: str) -> None:
        """Store (or change) a resident's answer."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO rsvps (event_id, resident_id, answer, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (event_id, resident_id)"
                " DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at",
                (event_id, resident_id, answer, now()),
            )

    async def answer_of(self, event_id: int, resident_id: int) -> str | None:
        """A resident's current answer, if any."""
        row = await self.db.fetch_one(
            "SELECT answer FROM rsvps WHERE event_id = ? AND resident_id = ?",
            (event_id, resident_id),
        )
        return row[0] if row else None

    async def answered(self, event_id: int, answers: tuple[str, ...]) -> dict[int, str]:
        """Residents whose answer is one of `answers`, with their answer."""
        rows = await self.db.fetch_all(
            f"SELECT resident_id, answer FROM rsvps WHERE event_id = ?"
            f" AND answer IN ({placeholders(len(answers))}) ORDER BY resident_id",
            (event_id, *answers),
        )
        return {row[0]: row[1] for row in rows}

    async def answers_by(self, resident_id: int) -> list[tuple[Event, str]]:
        """A resident's answers, with their events, soonest first."""
        rows = await self.db.fetch_all(
            "SELECT event_id, answer FROM rsvps WHERE resident_id = ?", (resident_id,)
        )
        answers = {row[0]: row[1] for row in rows}
        if not answers:
            return []
        marks = placeholders(len(answers))
        events = await self._select(f"id IN ({marks}) ORDER BY starts_at", tuple(answers))
        return [(event, answers[event.id]) for event in events]

    async def answers(self, event_id: int) -> Answers:
        """The answer counts and how many were invited."""
        rows = await self.db.fetch_all(
            "SELECT answer, COUNT(*) FROM rsvps WHERE event_id = ? GROUP BY answer", (event_id,)
        )
        invited = await self.db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE event_id = ? AND purpose = 'invitation'"
            " AND status NOT IN ('failed', 'unreachable')",
            (event_id,),
        )
        counts = {row[0]: row[1] for row in rows}
        return Answers(**counts, invited=invited[0] if invited else 0)

    async def link(
        self, event_id: int, contribution_ids: Iterable[int], actor_id: int, actor_role: str
    ) -> Linked:
        """Link contributions to the event, which puts them on the table (once)."""
        linked = []
        async with self.db.transaction() as tx:
            for contribution_id in contribution_ids:
                changed = await tx.execute(
                    "INSERT INTO event_links (event_id, contribution_id, linked_at)"
                    " SELECT ?, id, ? FROM contributions WHERE id = ? ON CONFLICT DO NOTHING",
                    (event_id, now(), contribution_id),
                )
                if changed:
                    linked.append(contribution_id)
            tabled = await paths.reach(tx, linked, "on_table", event_id)
            await audit.record(tx, actor_id, actor_role, "linked", event=event_id, ids=linked)
        return Linked(linked, tabled)

    async def linked(self, event_id: int) -> list[int]:
        """The contributions linked to an event."""
        rows = await self.db.fetch_all(
            "SELECT contribution_id FROM event_links WHERE event_id = ? ORDER BY contribution_id",
            (event_id,),
        )
        return [row[0] for row in rows]

    async def _select(self, where: str, params: tuple[Any, ...]) -> list[Event]:
        rows = await self.db.fetch_all(f"SELECT * FROM events WHERE {where}", params)
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        texts = await self.db.fetch_all(
            f"SELECT * FROM event_texts WHERE event_id IN ({placeholders(len(ids))})", ids
        )
        return [
            Event._from_row(row, [t for t in texts if t["event_id"] == row["id"]]) for row in rows
        ]
