"""Processed updates: a platform update id is handled once, however often it is delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.database import Database, now


class ProcessedUpdates:
    """Claims update ids; only the first claim of an id succeeds."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, channel: str, update_id: str) -> bool:
        """True the first time an update id is seen on a channel, False on every repeat."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO processed_updates (channel, update_id, handled_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (channel, update_id, now()),
            )
            return cursor.rowcount == 1

    async def prune(self, keep_days: int = 7) -> int:
        """Forget update ids older than `keep_days` (Telegram redelivers for a day at most)."""
        cutoff = (datetime.now(UTC) - timedelta(days=keep_days)).isoformat(timespec="seconds")
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM processed_updates WHERE handled_at < ?", (cutoff,)
            )
            return cursor.rowcount
