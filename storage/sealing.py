"""Words kept before sealing began (schema 22), sealed with their owner's key when a database
is opened; what is sealed already is left alone, so any process may run it at any time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from storage.database import Database
from storage.keys import SEALED, SEALED_BYTES, Keys

log = logging.getLogger(__name__)

AT_A_TIME = 500
# The person a contact message belongs to: the author of the contribution it is about.
THREAD_AUTHOR = """(SELECT r.person FROM contact_threads h
    JOIN contributions c ON c.id = h.contribution_id JOIN residents r ON r.id = c.resident_id
    WHERE h.id = {thread})"""


@dataclass(frozen=True)
class Column:
    """A column of words, the person whose key seals them (SQL on `t`), and the rows it holds
    words in."""

    table: str
    column: str
    owner: str
    where: str = "TRUE"
    marks_owner: bool = False  # the outbox names whose key sealed its text


COLUMNS = (
    Column("contributions", "text", "(SELECT person FROM residents WHERE id = t.resident_id)"),
    Column(
        "contributions", "media_ref", "(SELECT person FROM residents WHERE id = t.resident_id)"
    ),
    Column("contact_messages", "text", THREAD_AUTHOR.format(thread="t.thread_id")),
    Column(
        "outbox",
        "text",
        THREAD_AUTHOR.format(
            thread="(SELECT m.thread_id FROM contact_messages m WHERE m.id = t.contact_message_id)"
        ),
        where="t.contact_message_id IS NOT NULL",
        marks_owner=True,
    ),
    Column("residents", "state", "t.person", where="t.state <> '{}'"),
    Column("inbox", "payload", "t.sender"),
    Column("inbox", "replies", "t.sender"),
)


async def seal_older_words(db: Database, keys: Keys) -> int:
    """Seal every word kept in the clear; how many values were sealed."""
    sealed = 0
    for column in COLUMNS:
        sealed += await _seal_column(db, keys, column)
    sealed += await _seal_media(db, keys)
    # Kept translations are made again when asked for: their fingerprint needs the key.
    clear = (f"{SEALED}%",)
    if await db.fetch_one("SELECT 1 FROM translations WHERE translation NOT LIKE ?", clear):
        async with db.transaction() as tx:
            sealed += await tx.execute(
                "DELETE FROM translations WHERE translation NOT LIKE ?", clear
            )
    if sealed:
        log.info("%s values kept before sealing began are sealed now", sealed)
    return sealed


async def _seal_column(db: Database, keys: Keys, column: Column) -> int:
    """Seal one column's words in the clear, a batch at a time."""
    name, sealed, after = column.column, 0, 0
    while True:
        rows = await db.fetch_all(
            f"SELECT t.id, t.{name}, {column.owner} FROM {column.table} t"
            f" WHERE t.id > ? AND {column.where} AND t.{name} <> '' AND t.{name} NOT LIKE ?"
            f" ORDER BY t.id LIMIT {AT_A_TIME}",
            (after, f"{SEALED}%"),
        )
        if not rows:
            return sealed
        ring = await keys.ring({row[2] for row in rows if row[2] is not None}, make=True)
        also = ", sealed_for = ?" if column.marks_owner else ""
        async with db.transaction() as tx:
            for row_id, words, owner in rows:
                if owner is None:
                    continue
                values = (ring.seal(owner, words), *((owner,) if column.marks_owner else ()))
                # Only if nobody changed it meanwhile (another process sealing it too).
                sealed += await tx.execute(
                    f"UPDATE {column.table} SET {name} = ?{also} WHERE id = ? AND {name} = ?",
                    (*values, row_id, words),
                )
        after = rows[-1][0]


async def _seal_media(db: Database, keys: Keys) -> int:
    """Seal kept photos and voice notes still in the clear."""
    sealed, after = 0, 0
    while True:
        rows = await db.fetch_all(
            "SELECT id, person, content FROM media WHERE id > ? AND substr(content, 1, 4) <> ?"
            f" ORDER BY id LIMIT {AT_A_TIME}",
            (after, SEALED_BYTES),
        )
        if not rows:
            return sealed
        ring = await keys.ring({row[1] for row in rows}, make=True)
        async with db.transaction() as tx:
            for row_id, person, content in rows:
                sealed += await tx.execute(
                    "UPDATE media SET content = ? WHERE id = ? AND substr(content, 1, 4) <> ?",
                    (ring.seal_bytes(person, bytes(content)), row_id, SEALED_BYTES),
                )
        after = rows[-1][0]
