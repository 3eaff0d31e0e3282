"""Machine translations of residents' quoted words, kept (sealed with the author's key) so each
is asked for once."""

from __future__ import annotations

from storage.database import Database, now
from storage.keys import Keys

AUTHOR = (
    "SELECT r.person FROM contributions c JOIN residents r ON r.id = c.resident_id WHERE c.id = ?"
)


class Translations:
    """Reads and writes kept translations."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def find(self, contribution_id: int, target: str, text: str) -> str | None:
        """The kept translation of `text` into `target`, if it was made of this very text."""
        row = await self.db.fetch_one(
            "SELECT t.translation, t.source_sha256, r.person FROM translations t"
            " JOIN contributions c ON c.id = t.contribution_id"
            " JOIN residents r ON r.id = c.resident_id"
            " WHERE t.contribution_id = ? AND t.target = ?",
            (contribution_id, target),
        )
        if row is None:
            return None
        ring = await self.keys.ring([row[2]])
        if row[1] != ring.fingerprint(row[2], text):
            return None  # made of other words: changed, or newly anonymised
        return ring.unseal(row[2], row[0]) or None

    async def keep(self, contribution_id: int, target: str, text: str, translation: str) -> None:
        """Keep a translation of `text` into `target`."""
        author = await self.db.fetch_one(AUTHOR, (contribution_id,))
        if author is None:
            return  # forgotten meanwhile
        ring = await self.keys.ring([author[0]], make=True)
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO translations (contribution_id, target, source_sha256, translation,"
                " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (contribution_id, target)"
                " DO UPDATE SET source_sha256 = excluded.source_sha256,"
                " translation = excluded.translation, created_at = excluded.created_at",
                (
                    contribution_id,
                    target,
                    ring.fingerprint(author[0], text),
                    ring.seal(author[0], translation),
                    now(),
                ),
            )
