"""Machine translations of residents' quoted words, kept so each is asked for once."""

from __future__ import annotations

import hashlib

from storage.database import Database, now


def fingerprint(text: str) -> str:
    """What a translation was made of: a changed (or newly anonymised) text is asked again."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Translations:
    """Reads and writes kept translations."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def find(self, contribution_id: int, target: str, text: str) -> str | None:
        """The kept translation of `text` into `target`, if it was made of this very text."""
        row = await self.db.fetch_one(
            "SELECT translation FROM translations WHERE contribution_id = ? AND target = ?"
            " AND source_sha256 = ?",
            (contribution_id, target, fingerprint(text)),
        )
        return str(row[0]) if row else None

    async def keep(self, contribution_id: int, target: str, text: str, translation: str) -> None:
        """Keep a translation of `text` into `target`."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO translations (contribution_id, target, source_sha256, translation,"
                " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (contribution_id, target)"
                " DO UPDATE SET source_sha256 = excluded.source_sha256,"
                " translation = excluded.translation, created_at = excluded.created_at",
                (contribution_id, target, fingerprint(text), translation, now()),
            )
