"""Contact: a worker and the author of a message who asked for it write to each other.

One conversation per contribution. A worker opens it by writing; the author's words go back to
that worker until either side ends it. Each message reaches the other side through the outbox;
neither side's account is ever part of what is written. Both sides' words are sealed with the
author's key: when the author is forgotten, the conversation is unreadable everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from storage import audit, outbox
from storage.database import Database, Transaction, now, placeholders
from storage.keys import Keys
from storage.outbox import Outgoing

# When the author's words wait for the worker: the first of theirs since the worker last wrote.
WAITING_SINCE = """(SELECT MIN(m.at) FROM contact_messages m WHERE m.thread_id = t.id
    AND m.sender = 'resident' AND m.kind = 'words' AND m.id > COALESCE((SELECT MAX(w.id)
    FROM contact_messages w WHERE w.thread_id = t.id AND w.sender = 'worker'), 0))"""
# Every request still open: not picked up (it waits since it was made), or in conversation.
OPEN_REQUESTS = f"""SELECT c.id, c.created_at, t.id AS thread_id, t.worker_id, r.signs_as,
    CASE WHEN t.id IS NULL THEN c.created_at ELSE {WAITING_SINCE} END AS waiting_since
    FROM contributions c
    LEFT JOIN contact_threads t ON t.contribution_id = c.id
    LEFT JOIN residents r ON r.id = t.worker_id
    WHERE c.wants_contact = 1 AND c.hidden_at IS NULL AND t.ended_at IS NULL"""


@dataclass(frozen=True)
class Said:
    """One message of a contact conversation: who wrote it, words or the end, and when."""

    sender: str
    kind: str
    text: str
    at: str


@dataclass(frozen=True)
class Thread:
    """A contact conversation about one contribution, with everything said in it."""

    id: int
    contribution_id: int
    worker_id: int | None
    worker_name: str | None
    opened_at: str
    ended_at: str | None
    ended_by: str | None
    said: tuple[Said, ...] = ()

    @property
    def open(self) -> bool:
        """Whether neither side ended it."""
        return self.ended_at is None


@dataclass(frozen=True)
class Request:
    """A contribution whose author asked for contact: who has it, and since when words wait."""

    contribution_id: int
    created_at: str
    thread_id: int | None
    worker_id: int | None
    worker_name: str | None
    waiting_since: str | None


@dataclass(frozen=True)
class Load:
    """A worker's open requests (no worker: not picked up) and how long the oldest waits."""

    worker_name: str | None
    open: int
    waiting: int
    oldest_waiting: str | None


class Contacts:
    """Reads and writes contact conversations."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def requests(self, limit: int) -> tuple[list[Request], int]:
        """Open requests, the longest waiting first (those answered last); and how many in all."""
        rows = await self.db.fetch_all(
            f"SELECT * FROM ({OPEN_REQUESTS}) AS requests"
            " ORDER BY waiting_since IS NULL, waiting_since, id LIMIT ?",
            (limit,),
        )
        total = await self.db.fetch_one(f"SELECT COUNT(*) FROM ({OPEN_REQUESTS}) AS requests")
        return [Request(*row) for row in rows], total[0] if total else 0

    async def loads(self) -> list[Load]:
        """Open requests per worker, those not picked up first; how many wait, and since when."""
        rows = await self.db.fetch_all(
            "SELECT signs_as, COUNT(*), COUNT(waiting_since), MIN(waiting_since)"
            f" FROM ({OPEN_REQUESTS}) AS requests GROUP BY worker_id, signs_as"
            " ORDER BY worker_id IS NOT NULL, MIN(waiting_since)"
        )
        return [Load(*row) for row in rows]

    async def thread(self, contribution_id: int) -> Thread | None:
        """The conversation about a contribution, with what was said, if one was opened."""
        threads = await self._threads("t.contribution_id = ?", (contribution_id,))
        return threads[0] if threads else None

    async def open_with_author(self, resident_id: int) -> Thread | None:
        """The newest open conversation about one of a resident's own contributions, if any."""
        threads = await self._threads(
            "t.ended_at IS NULL AND c.resident_id = ?", (resident_id,), newest=True
        )
        return threads[0] if threads else None

    async def of_author(self, resident_id: int) -> list[Thread]:
        """Every conversation about a resident's contributions, oldest first (for /mydata)."""
        return await self._threads("c.resident_id = ?", (resident_id,))

    async def from_worker(
        self, contribution_id: int, worker_id: int, worker_role: str, text: str, words: Outgoing
    ) -> bool:
        """A worker's words to the author, queued; the first opens the conversation (or takes
        up one whose worker left). False when another worker has it, or it ended."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT id, worker_id, ended_at FROM contact_threads WHERE contribution_id = ?",
                (contribution_id,),
            )
            if row is not None and (row[2] is not None or row[1] not in (None, worker_id)):
                return False
            if row is None:
                thread_id = await tx.inserted_id(
                    "INSERT INTO contact_threads (contribution_id, worker_id, opened_at)"
                    " VALUES (?, ?, ?)",
                    (contribution_id, worker_id, now()),
                )
                await audit.record(tx, worker_id, worker_role, "contact_opened", contribution_id)
            else:
                thread_id = row[0]
                await tx.execute(
                    "UPDATE contact_threads SET worker_id = ? WHERE id = ?", (worker_id, thread_id)
                )
            assert thread_id is not None
            await self._add(tx, thread_id, "worker", "words", words, text)
            await audit.record(tx, worker_id, worker_role, "contact_written", contribution_id)
        return True

    async def from_author(
        self, thread: Thread, author_id: int, text: str, to_worker: Outgoing | None
    ) -> bool:
        """The author's words in an open conversation, queued for its worker when it has one.

        False when the conversation ended meanwhile.
        """
        async with self.db.transaction() as tx:
            if not await _still_open(tx, thread.id):
                return False
            await self._add(tx, thread.id, "resident", "words", to_worker, text)
            await audit.record(
                tx, author_id, "resident", "contact_answered", thread.contribution_id
            )
        return True

    async def end(
        self,
        thread: Thread,
        sender: str,
        actor_id: int | None,
        actor_role: str,
        notice: Outgoing | None,
    ) -> bool:
        """End an open conversation and tell the other side (`notice`, when there is one to
        tell); False if it had ended already."""
        async with self.db.transaction() as tx:
            if not await _still_open(tx, thread.id):
                return False
            await tx.execute(
                "UPDATE contact_threads SET ended_at = ?, ended_by = ? WHERE id = ?",
                (now(), sender, thread.id),
            )
            await self._add(tx, thread.id, sender, "end", notice)
            await audit.record(
                tx, actor_id, actor_role, "contact_ended", thread.contribution_id, by=sender
            )
        return True

    async def _threads(
        self, where: str, params: tuple[object, ...], newest: bool = False
    ) -> list[Thread]:
        rows = await self.db.fetch_all(
            "SELECT t.id, t.contribution_id, t.worker_id, r.signs_as, t.opened_at, t.ended_at,"
            " t.ended_by, a.person FROM contact_threads t"
            " JOIN contributions c ON c.id = t.contribution_id"
            " JOIN residents a ON a.id = c.resident_id"
            f" LEFT JOIN residents r ON r.id = t.worker_id WHERE {where}"
            f" ORDER BY t.opened_at {'DESC' if newest else 'ASC'}, t.id",
            params,
        )
        if not rows:
            return []
        ids = [row[0] for row in rows]
        said = await self.db.fetch_all(
            "SELECT thread_id, sender, kind, text, at FROM contact_messages"
            f" WHERE thread_id IN ({placeholders(len(ids))}) ORDER BY id",
            ids,
        )
        ring = await self.keys.ring({row[7] for row in rows})
        return [
            Thread(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                tuple(
                    Said(s[1], s[2], ring.unseal(row[7], s[3]), s[4])
                    for s in said
                    if s[0] == row[0]
                ),
            )
            for row in rows
        ]

    async def _add(
        self,
        tx: Transaction,
        thread_id: int,
        sender: str,
        kind: str,
        to_other_side: Outgoing | None,
        text: str = "",
    ) -> None:
        """Keep what was said, and queue it for the other side when there is one to tell; both
        sealed with the author's key."""
        row = await tx.fetch_one(
            "SELECT r.person FROM contact_threads t JOIN contributions c"
            " ON c.id = t.contribution_id JOIN residents r ON r.id = c.resident_id"
            " WHERE t.id = ?",
            (thread_id,),
        )
        assert row is not None, "a thread belongs to a contribution of a resident"
        author = row[0]
        ring = await self.keys.ring([author], make=True)
        said = await tx.inserted_id(
            "INSERT INTO contact_messages (thread_id, sender, kind, text, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (thread_id, sender, kind, ring.seal(author, text), now()),
        )
        if to_other_side is not None:
            sealed = replace(to_other_side, text=ring.seal(author, to_other_side.text))
            await outbox.queue_one(
                tx, "contact", sealed, contact_message_id=said, sealed_for=author
            )


async def _still_open(tx: Transaction, thread_id: int) -> bool:
    row = await tx.fetch_one(
        "SELECT 1 FROM contact_threads WHERE id = ? AND ended_at IS NULL", (thread_id,)
    )
    return row is not None
