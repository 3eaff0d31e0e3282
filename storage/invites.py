"""Invite codes: a team member creates one, a new worker or team member uses it once."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from storage import audit
from storage.database import Database, now

# No 0/O, 1/I/L: the code is read aloud or typed from a phone screen.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
VALID_DAYS = 7
# Wrong codes a person may try within the window before the bot stops checking for a while.
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)


def _new_code() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


class InviteCodes:
    """Creates and redeems one-time role codes, every step in the audit log."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, role: str, created_by: int, creator_role: str) -> str:
        """A fresh code for `role`, valid once for a week."""
        code = _new_code()
        expires = (datetime.now(UTC) + timedelta(days=VALID_DAYS)).isoformat(timespec="seconds")
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO invite_codes (code, role, created_by, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (code, role, created_by, now(), expires),
            )
            await audit.record(tx, created_by, creator_role, "invite_code", role=role)
        return code

    async def too_many_failures(self, resident_id: int) -> bool:
        """Whether this person tried enough wrong codes lately to be slowed down."""
        since = (datetime.now(UTC) - FAILURE_WINDOW).isoformat(timespec="seconds")
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND action = 'join_refused'"
            " AND at >= ?",
            (resident_id, since),
        )
        return row is not None and row[0] >= MAX_FAILURES

    async def redeem(self, code: str, resident_id: int, resident_role: str) -> str | None:
        """The role a valid, unused, unexpired code gives (and it is used up), else None."""
        normalised = code.strip().upper().replace(" ", "")
        if len(normalised) == 8:
            normalised = f"{normalised[:4]}-{normalised[4:]}"
        stamp = now()
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "UPDATE invite_codes SET used_by = ?, used_at = ? WHERE code = ?"
                " AND used_at IS NULL AND expires_at > ? RETURNING role",
                (resident_id, stamp, normalised, stamp),
            )
            role = row[0] if row else None
            if role is not None:
                await tx.execute("UPDATE residents SET role = ? WHERE id = ?", (role, resident_id))
            await audit.record(
                tx, resident_id, resident_role, "joined" if role else "join_refused", role=role
            )
        return role
