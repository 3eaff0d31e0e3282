"""The outbox: one row per message to one resident, queued in the database and worked by a sender.

A row goes pending → sending → sent. The sender claims rows in batches (one second's sending):
each is marked `sending` (committed, with a lease) before its request leaves, and `sent` as soon
as the channel answers; a claimed row whose request never started is given back, `pending` as it
was. The Bot API has no idempotency key, so a crash between Telegram taking a message and the
`sent` commit cannot be told from a crash just before the request left; such a row is taken back
when its lease runs out and sent again, as is the rest of its batch. We take that side on
purpose: a resident may (rarely) see an invitation twice, but is never left out. Everywhere else
a crash loses nothing and repeats nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from storage.database import Database, Transaction, now, placeholders
from storage.keys import Keys

# What a sender listens for: rows were queued or fell due, in this process or another.
QUEUED = "outbox"
# Due when the resident answers a template, not by the clock.
LATER = "9999-12-31T00:00:00+00:00"
# A question as plain data (the conversation's `Question`, as a dict), kept until it is sent.
QuestionData = dict[str, Any] | None

PENDING = """FROM outbox o JOIN residents r ON r.id = o.resident_id
    WHERE o.status = 'pending' AND r.channel = ? AND r.unreachable_at IS NULL"""
# The chat and language of an outbox row's resident, read in a RETURNING clause (which on
# SQLite may name no table but the one it changes).
RECIPIENT = "FROM residents WHERE residents.id = outbox.resident_id"


@dataclass(frozen=True)
class Outgoing:
    """A message to one resident: its text and the question it asks, if any."""

    resident_id: int
    text: str
    question: QuestionData = None


@dataclass(frozen=True)
class Due:
    """A queued message ready to go, with the chat it goes to (its id on the channel)."""

    id: int
    chat_id: str
    text: str
    question: QuestionData
    attempts: int
    purpose: str = "invitation"
    language: str = "nl"
    teased: bool = False


async def queue(tx: Transaction, event_id: int, purpose: str, messages: Iterable[Outgoing]) -> int:
    """Queue messages inside the caller's transaction; one already queued is left as it is."""
    stamp = now()
    rows = [
        (m.resident_id, event_id, purpose, m.text, json.dumps(m.question), stamp, stamp)
        for m in messages
    ]
    changed = await tx.execute_many(
        "INSERT INTO outbox (resident_id, event_id, purpose, text, buttons, due_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        rows,
    )
    if changed:
        await tx.notify(QUEUED)
    return changed


async def queue_one(
    tx: Transaction,
    purpose: str,
    message: Outgoing,
    contribution_id: int | None = None,
    contact_message_id: int | None = None,
    sealed_for: str | None = None,
) -> int:
    """Queue one message about a contribution (news, once per purpose) or carrying a contact
    message (once per message), inside the caller's transaction; its text sealed with the key
    of the person `sealed_for` names, if any."""
    stamp = now()
    changed = await tx.execute(
        "INSERT INTO outbox (resident_id, contribution_id, contact_message_id, purpose, text,"
        " buttons, due_at, created_at, sealed_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (
            message.resident_id,
            contribution_id,
            contact_message_id,
            purpose,
            message.text,
            json.dumps(message.question),
            stamp,
            stamp,
            sealed_for,
        ),
    )
    if changed:
        await tx.notify(QUEUED)
    return changed


class Outbox:
    """What the sender reads and records."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    def sending_duty(self, channel: str) -> AbstractAsyncContextManager[bool]:
        """True for the one process of a deployment that sends `channel`'s outbox."""
        return self.db.exclusively(f"outbox {channel}")

    def news(self) -> AsyncGenerator[None, None]:
        """Each time another process queued rows or made some due."""
        return self.db.listen(QUEUED)

    async def recover(self, channel: str, at: str) -> int:
        """Put a channel's rows whose lease ran out by `at` back in the queue; how many.

        A row is leased to its sender while its request is on the way: one still leased may be
        in the hands of a live sender elsewhere, one whose lease ran out lost its sender.
        """
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending'"
                " AND (lease_until IS NULL OR lease_until <= ?) AND resident_id IN"
                " (SELECT id FROM residents WHERE channel = ?)",
                (at, channel),
            )
            return changed

    async def claim(self, channel: str, limit: int, at: str, lease_until: str) -> list[Due]:
        """Take up to `limit` pending rows due at `at`, oldest first, for reachable residents on
        `channel`: marked `sending`, leased to this sender until `lease_until`.

        On PostgreSQL a row another sender is claiming is skipped, not waited for; SQLite has
        one writer. A row's attempts are those before this claim.
        """
        lock = " FOR UPDATE OF o SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        async with self.db.transaction() as tx:
            rows = await tx.fetch_all(
                # Materialised: chosen once, or PostgreSQL may run it again as it updates and,
                # skipping the rows it just locked, take more.
                f"WITH batch AS MATERIALIZED (SELECT o.id {PENDING} AND o.due_at <= ?"
                f" ORDER BY o.due_at, o.id LIMIT ?{lock})"
                " UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = ?"
                " WHERE status = 'pending' AND id IN (SELECT id FROM batch)"
                # RETURNING sees a row as changed: its attempts before this claim are one less.
                f" RETURNING id, (SELECT person {RECIPIENT}), text, buttons, attempts - 1,"
                f" purpose, (SELECT language {RECIPIENT}), teased_at IS NOT NULL, due_at,"
                " sealed_for",
                (channel, at, limit, lease_until),
            )
        # RETURNING keeps no order.
        rows.sort(key=lambda row: (row[8], row[0]))
        ring = await self.keys.ring({row[9] for row in rows if row[9] is not None})
        return [
            Due(
                row[0],
                row[1].partition(":")[2],
                ring.unseal(row[9], row[2]) if row[9] is not None else row[2],
                _question(row[3]),
                row[4],
                row[5],
                row[6],
                bool(row[7]),
            )
            for row in rows
        ]

    async def release(self, row_ids: Iterable[int], due_at: str | None = None) -> None:
        """Put claimed rows whose requests never started back in the queue, as they were before
        the claim; due at `due_at` if given."""
        released = list(row_ids)
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE outbox SET status = 'pending', attempts = attempts - 1,"
                " lease_until = NULL, due_at = COALESCE(?, due_at)"
                f" WHERE status = 'sending' AND id IN ({placeholders(len(released))})",
                (due_at, *released),
            )

    async def pause_all(self, channel: str, until: str) -> None:
        """Every process sending on `channel` waits until `until` (the platform said 429)."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO pauses (channel, until) VALUES (?, ?) ON CONFLICT (channel)"
                " DO UPDATE SET until = excluded.until WHERE pauses.until < excluded.until",
                (channel, until),
            )

    async def paused_until(self, channel: str) -> str | None:
        """Until when sending on `channel` is paused, if a pause was ever asked for."""
        row = await self.db.fetch_one("SELECT until FROM pauses WHERE channel = ?", (channel,))
        return row[0] if row else None

    async def next_due_at(self, channel: str) -> str | None:
        """When the next pending row on `channel` is due, or the next lease runs out, if any (not
        counting rows that wait for the resident to answer a template)."""
        row = await self.db.fetch_one(
            f"SELECT MIN(o.due_at) {PENDING} AND o.due_at < ?", (channel, LATER)
        )
        leased = await self.db.fetch_one(
            "SELECT MIN(o.lease_until) FROM outbox o JOIN residents r ON r.id = o.resident_id"
            " WHERE o.status = 'sending' AND r.channel = ?",
            (channel,),
        )
        moments = [found[0] for found in (row, leased) if found and found[0] is not None]
        return min(moments) if moments else None

    async def sent(self, row_id: int, message_id: str | None = None) -> None:
        """The channel took the message.

        Without a message id its words are no longer needed here, so they go; with one, they
        stay until the channel says it was delivered (WhatsApp may still report it failed).
        """
        erase = ", text = '', buttons = 'null'" if message_id is None else ""
        await self._set(
            row_id,
            f"status = 'sent', sent_at = ?, error = NULL, message_id = ?{erase}",
            now(),
            message_id,
        )

    async def failed_later(self, message_id: str, error: str, again: bool) -> bool:
        """The channel reports a sent message failed: send it `again`, else give it up."""
        assignments = (
            "status = 'pending', due_at = ?, teased_at = NULL, error = ?"
            if again
            else "status = 'failed', due_at = ?, error = ?"
        )
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                f"UPDATE outbox SET {assignments} WHERE message_id = ? AND status = 'sent'"
                " AND text != ''",
                (now(), error, message_id),
            )
            if changed and again:
                await tx.notify(QUEUED)
            return changed > 0

    async def teased_since(self, since: str) -> int:
        """How many templates went out since `since` (WhatsApp counts them against a cap)."""
        row = await self.db.fetch_one("SELECT COUNT(*) FROM outbox WHERE teased_at >= ?", (since,))
        return row[0] if row else 0

    async def teased(self, row_id: int, message_id: str | None) -> None:
        """A template told the resident; the message itself waits until they answer."""
        await self._set(
            row_id,
            "status = 'pending', teased_at = ?, due_at = ?, message_id = ?",
            now(),
            LATER,
            message_id,
        )

    async def window_opened(self, person: str) -> int:
        """The resident wrote: messages that waited for that are due now; how many."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "UPDATE outbox SET due_at = ? WHERE status = 'pending' AND teased_at IS NOT NULL"
                " AND resident_id = (SELECT id FROM residents WHERE person = ?)",
                (now(), person),
            )
            if changed:
                await tx.notify(QUEUED)
            return changed

    async def status(self, message_id: str, status: str, at: str) -> bool:
        """Record a channel's status of a sent message (delivered, read); False if not ours."""
        column = {"delivered": "delivered_at", "read": "read_at"}.get(status)
        if column is None:
            return False
        # Delivered: the words are no longer needed here. A status may come twice or late.
        also = ", delivered_at = COALESCE(delivered_at, ?)" if column == "read_at" else ""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                f"UPDATE outbox SET {column} = COALESCE({column}, ?){also},"
                # A template's status leaves the message that waits for the resident intact.
                " text = CASE WHEN status = 'sent' THEN '' ELSE text END,"
                " buttons = CASE WHEN status = 'sent' THEN 'null' ELSE buttons END"
                " WHERE message_id = ?",
                (at, at, message_id) if also else (at, message_id),
            )
            return changed > 0

    async def later(self, row_id: int, due_at: str, error: str) -> None:
        """Try again at `due_at`."""
        await self._set(row_id, "status = 'pending', due_at = ?, error = ?", due_at, error)

    async def failed(self, row_id: int, error: str) -> None:
        """Give up on this row."""
        await self._set(row_id, "status = 'failed', error = ?", error)

    async def unreachable(self, row_id: int, error: str) -> None:
        """The resident blocked the bot: mark them, and this and their other queued rows."""
        async with self.db.transaction() as tx:
            stamp = now()
            await tx.execute(
                "UPDATE residents SET unreachable_at = ? WHERE id ="
                " (SELECT resident_id FROM outbox WHERE id = ?)",
                (stamp, row_id),
            )
            await tx.execute(
                "UPDATE outbox SET status = 'unreachable', error = ? WHERE id = ? OR"
                " (status = 'pending' AND resident_id = (SELECT resident_id FROM outbox"
                " WHERE id = ?))",
                (error, row_id, row_id),
            )

    async def reached(self, event_id: int, resident_id: int) -> bool:
        """Whether a message about this event was queued for this resident (its buttons too)."""
        row = await self.db.fetch_one(
            "SELECT 1 FROM outbox WHERE event_id = ? AND resident_id = ?", (event_id, resident_id)
        )
        return row is not None

    async def latest_event(self, resident_id: int, purpose: str) -> int | None:
        """The event of the newest message of `purpose` queued for a resident, if any."""
        row = await self.db.fetch_one(
            "SELECT event_id FROM outbox WHERE resident_id = ? AND purpose = ?"
            " ORDER BY id DESC LIMIT 1",
            (resident_id, purpose),
        )
        return row[0] if row else None

    async def count_for(self, resident_id: int) -> int:
        """How many messages were queued for a resident."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM outbox WHERE resident_id = ?", (resident_id,)
        )
        return row[0] if row else 0

    async def progress(self, event_id: int, purpose: str) -> dict[str, int]:
        """How many rows of one event and purpose are in each status, delivered and read."""
        rows = await self.db.fetch_all(
            "SELECT status, COUNT(*) FROM outbox WHERE event_id = ? AND purpose = ?"
            " GROUP BY status"
            " UNION ALL SELECT 'delivered', COUNT(delivered_at) FROM outbox"
            " WHERE event_id = ? AND purpose = ?"
            " UNION ALL SELECT 'read', COUNT(read_at) FROM outbox"
            " WHERE event_id = ? AND purpose = ?",
            (event_id, purpose) * 3,
        )
        return {row[0]: row[1] for row in rows}

    async def _set(self, row_id: int, assignments: str, *values: Any) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(f"UPDATE outbox SET {assignments} WHERE id = ?", (*values, row_id))


def _question(stored: str) -> QuestionData:
    """The question kept with a row; rows queued before questions had meaning kept button rows."""
    kept = json.loads(stored)
    if isinstance(kept, list):
        rows = [[{"data": data, "label": label} for label, data in row] for row in kept]
        choices = [choice for row in rows for choice in row]
        return {"choices": choices, "rows": [len(row) for row in rows]} if choices else None
    return kept
