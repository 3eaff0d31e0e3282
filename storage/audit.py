"""The audit log: what workers and the team did, and refused attempts to do it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.database import Database, Transaction, now


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    at: str
    actor_id: int | None
    actor_role: str
    action: str
    contribution_id: int | None
    detail: dict[str, Any]


async def record(
    tx: Transaction,
    actor_id: int | None,
    actor_role: str,
    action: str,
    contribution_id: int | None = None,
    **detail: Any,
) -> None:
    """Add an entry inside the caller's transaction, so the action and its record go together."""
    await tx.execute(
        "INSERT INTO audit_log (at, actor_id, actor_role, action, contribution_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (now(), actor_id, actor_role, action, contribution_id, json.dumps(detail)),
    )


class AuditLog:
    """Reads and writes the audit log."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        actor_id: int | None,
        actor_role: str,
        action: str,
        contribution_id: int | None = None,
        **detail: Any,
    ) -> None:
        """Record an action on its own (such as a refused command)."""
        async with self.db.transaction() as tx:
            await record(tx, actor_id, actor_role, action, contribution_id, **detail)

    async def entries(self, contribution_id: int | None = None) -> list[AuditEntry]:
        """Every entry, oldest first, or those about one contribution."""
        where, params = (
            ("WHERE contribution_id = ?", (contribution_id,)) if contribution_id else ("", ())
        )
        rows = await self.db.fetch_all(f"SELECT * FROM audit_log {where} ORDER BY id", params)
        return [
            AuditEntry(
                row["at"],
                row["actor_id"],
                row["actor_role"],
                row["action"],
                row["contribution_id"],
                json.loads(row["detail"]),
            )
            for row in rows
        ]
