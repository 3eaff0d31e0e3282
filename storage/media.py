"""Photos and voice notes residents sent, kept in the database (sealed with the sender's key)
until they are forgotten."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database, now
from storage.keys import Keys

PREFIX = "media:"


@dataclass(frozen=True)
class Stored:
    """One kept file: its type and its bytes."""

    mime_type: str
    content: bytes


class Media:
    """Reads and writes kept media; a reference to one is `media:<id>`."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def keep(self, person: str, mime_type: str, content: bytes) -> str:
        """Keep a file a person sent; its reference."""
        sealed = (await self.keys.ring([person], make=True)).seal_bytes(person, content)
        async with self.db.transaction() as tx:
            kept = await tx.inserted_id(
                "INSERT INTO media (person, mime_type, content, created_at) VALUES (?, ?, ?, ?)",
                (person, mime_type, sealed, now()),
            )
            return f"{PREFIX}{kept}"

    async def get(self, ref: str) -> Stored | None:
        """The file behind a reference, if it is (still) kept."""
        number = ref.removeprefix(PREFIX)
        if not ref.startswith(PREFIX) or not number.isdigit():
            return None
        row = await self.db.fetch_one(
            "SELECT mime_type, content, person FROM media WHERE id = ?", (int(number),)
        )
        if row is None:
            return None
        content = (await self.keys.ring([row[2]])).unseal_bytes(row[2], bytes(row[1]))
        return None if content is None else Stored(row[0], content)


def is_kept(ref: str | None) -> bool:
    """Whether a media reference points into our own store (not a platform's file id)."""
    return bool(ref and ref.startswith(PREFIX))
