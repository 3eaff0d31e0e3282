"""The inbox: updates stored before they are acknowledged, handled from here, answered once.

A row goes received → handled → answered. It is written before the platform learns that it
arrived (polling: before the next offset is confirmed), so nothing a resident sent dies with
the process. The conversation marks it handled in the same transaction as the state it changed,
with the replies to send; once they went out, the row is answered and keeps no words, only its
update id, for a week, so a redelivered update is recognised and not handled twice. Its words
and replies are sealed with the sender's key (storage/keys.py): a sender who never became a
resident loses the key with their last row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.database import Database, now, placeholders
from storage.keys import Keys

KEEP_DAYS = 7
# What answering a row means: its words and replies erased, its id kept.
ANSWERED = "status = 'answered', payload = NULL, replies = NULL"


@dataclass(frozen=True)
class Received:
    """An update as it came from a channel: its id there, who sent it, and what it holds."""

    channel: str
    update_id: str
    sender: str
    payload: str


@dataclass(frozen=True)
class Waiting:
    """An update still to handle (replies None) or whose replies still have to go out."""

    id: int
    sender: str
    payload: str
    replies: str | None


class Inbox:
    """Updates in, once each; their replies kept until sent."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def receive(self, updates: Sequence[Received]) -> int:
        """Store updates in one transaction; one seen before is left out. How many were new."""
        ring = await self.keys.ring({u.sender for u in updates}, make=True)
        async with self.db.transaction() as tx:
            changed = await tx.execute_many(
                "INSERT INTO inbox (channel, update_id, sender, payload, received_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (u.channel, u.update_id, u.sender, ring.seal(u.sender, u.payload), now())
                    for u in updates
                ],
            )
            return changed

    async def to_handle(self, channel: str, after_id: int = 0, limit: int = 1000) -> list[Waiting]:
        """Updates received and not yet handled, oldest first, after a row id."""
        rows = await self.db.fetch_all(
            "SELECT id, sender, payload FROM inbox WHERE channel = ? AND status = 'received'"
            " AND id > ? ORDER BY id LIMIT ?",
            (channel, after_id, limit),
        )
        ring = await self.keys.ring({row[1] for row in rows})
        return [Waiting(row[0], row[1], ring.unseal(row[1], row[2]), None) for row in rows]

    async def to_answer(self, channel: str, handled_before: float) -> list[Waiting]:
        """Handled updates whose replies did not go out though they were handled more than
        `handled_before` seconds ago (before, their process may be sending them): the newest
        of each sender only."""
        cutoff = datetime.now(UTC) - timedelta(seconds=handled_before)
        rows = await self.db.fetch_all(
            "SELECT id, sender, payload, replies FROM inbox WHERE id IN ("
            " SELECT MAX(id) FROM inbox WHERE channel = ? AND status = 'handled' GROUP BY sender"
            ") AND (handled_at IS NULL OR handled_at < ?) ORDER BY id",
            (channel, cutoff.isoformat(timespec="microseconds")),
        )
        ring = await self.keys.ring({row[1] for row in rows})
        return [
            Waiting(row[0], row[1], ring.unseal(row[1], row[2]), ring.unseal(row[1], row[3]))
            for row in rows
        ]

    async def claim(self, inbox_id: int) -> bool:
        """Take an update to handle in the open turn, if it is still to handle and nobody else
        holds it or an older update of the same person (True); the turn keeps it until its end.

        On PostgreSQL, where several processes handle one inbox, the row is locked and the
        sender too, so two updates of one person never interleave; a crash rolls the claim
        back with the turn and leaves the update to be handled again. SQLite has one writer.
        """
        async with self.db.transaction() as tx:
            lock = " FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgresql" else ""
            row = await tx.fetch_one(
                f"SELECT channel, sender FROM inbox WHERE id = ? AND status = 'received'{lock}",
                (inbox_id,),
            )
            if row is None:
                return False
            channel, sender = row[0], row[1]
            if self.db.dialect == "postgresql":
                await tx.fetch_one(
                    "SELECT pg_advisory_xact_lock(hashtext(?))", (f"{channel}\n{sender}",)
                )
            older = await tx.fetch_one(
                "SELECT 1 FROM inbox WHERE channel = ? AND sender = ? AND status = 'received'"
                " AND id < ?",
                (channel, sender, inbox_id),
            )
            return older is None

    async def handled(self, inbox_id: int, replies: str) -> None:
        """The update was handled (inside the turn's transaction); keep its replies until sent."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one("SELECT sender FROM inbox WHERE id = ?", (inbox_id,))
            if row is None:
                return
            await tx.execute(
                "UPDATE inbox SET status = 'handled', replies = ?, handled_at = ? WHERE id = ?",
                (
                    await self.keys.seal(row[0], replies),
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                    inbox_id,
                ),
            )

    async def answered(self, inbox_id: int) -> None:
        """The replies went out (or nothing was to be said): erase the words, keep the id.

        Older replies to the same person that never went out are stale now: erased too.
        """
        async with self.db.transaction() as tx:
            await tx.execute(
                f"UPDATE inbox SET {ANSWERED}"
                " WHERE (id = ? OR (status = 'handled' AND id < ? AND (channel, sender) ="
                " (SELECT channel, sender FROM inbox WHERE id = ?)))",
                (inbox_id, inbox_id, inbox_id),
            )

    async def last_from(self, channel: str, sender: str) -> str | None:
        """When `sender` last wrote on `channel` (kept a week), if they did."""
        row = await self.db.fetch_one(
            "SELECT MAX(received_at) FROM inbox WHERE channel = ? AND sender = ?",
            (channel, sender),
        )
        return row[0] if row else None

    async def prune(self, keep_days: int = KEEP_DAYS) -> int:
        """Forget answered update ids older than `keep_days` (platforms redeliver for days)."""
        cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).isoformat(timespec="seconds")
        async with self.db.transaction() as tx:
            gone = await tx.fetch_all(
                "DELETE FROM inbox WHERE status = 'answered' AND received_at < ? RETURNING sender",
                (cutoff,),
            )
        senders = sorted({row[0] for row in gone})
        if senders:
            # Who wrote but never agreed to the terms keeps no key once their last row is gone.
            marks = placeholders(len(senders))
            kept = await self.db.fetch_all(
                f"SELECT person FROM residents WHERE person IN ({marks})"
                f" UNION SELECT sender FROM inbox WHERE sender IN ({marks})",
                [*senders, *senders],
            )
            await self.keys.destroy(set(senders) - {row[0] for row in kept})
        return len(gone)
