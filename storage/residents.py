"""Residents: who agreed to the privacy terms, their language, neighbourhood and conversation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storage import audit
from storage.database import Database, now, placeholders
from storage.inbox import ANSWERED
from storage.keys import KeyRing, Keys

ROLES = ("resident", "worker", "team")
NOT_SAID = "none"

# A resident is interested in a pillar when a visible contribution of theirs has it, by the
# source that counts (storage.contributions.final_source, in SQL).
INTERESTED_IN = """AND EXISTS (
    SELECT 1 FROM contributions c JOIN contribution_pillars p ON p.contribution_id = c.id
    WHERE c.resident_id = r.id AND c.hidden_at IS NULL AND p.pillar IN ({marks})
    AND p.source = CASE WHEN c.reviewed_at IS NOT NULL THEN 'worker'
        WHEN c.confirmed_at IS NOT NULL THEN 'resident' ELSE 'auto' END)"""

# Demo residents (`wijkstem demo`) live on a channel of their own, marked in every export.
DEMO_CHANNEL = "demo"


@dataclass(frozen=True)
class Audience:
    """Who an invitation goes to; an empty filter lets everyone through."""

    neighbourhoods: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()


@dataclass
class Resident:
    """One person on one channel, stored only after consent."""

    id: int
    channel: str
    person: str
    language: str
    neighbourhood: str | None
    consented_at: str
    role: str
    created_at: str
    state: dict[str, Any] = field(default_factory=dict)
    language_offered_at: str | None = None
    invitations: bool | None = None
    unreachable_at: str | None = None
    signs_as: str | None = None  # the first name a worker is shown by to residents
    # Lists of residents leave their conversation state sealed and unread: saving one of them
    # leaves the state as it is.
    state_read: bool = True

    @property
    def account(self) -> str:
        """Their id on their channel (a Telegram chat id), without the channel's name."""
        return self.person.partition(":")[2]

    @classmethod
    def _from_row(cls, row: Any, ring: KeyRing | None = None) -> Resident:
        state = json.loads(ring.unseal(row["person"], row["state"]) or "{}") if ring else {}
        return cls(
            id=row["id"],
            channel=row["channel"],
            person=row["person"],
            language=row["language"],
            neighbourhood=row["neighbourhood"],
            consented_at=row["consented_at"],
            role=row["role"],
            created_at=row["created_at"],
            state=state,
            state_read=ring is not None,
            language_offered_at=row["language_offered_at"],
            invitations=None if row["invitations"] is None else bool(row["invitations"]),
            unreachable_at=row["unreachable_at"],
            signs_as=row["signs_as"],
        )


class Residents:
    """Reads and writes residents."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys

    async def find(self, person: str) -> Resident | None:
        """The resident behind a person id such as `telegram:123`, if they consented."""
        row = await self.db.fetch_one("SELECT * FROM residents WHERE person = ?", (person,))
        return await self._with_state(row)

    async def get(self, resident_id: int) -> Resident | None:
        """A resident by internal id."""
        row = await self.db.fetch_one("SELECT * FROM residents WHERE id = ?", (resident_id,))
        return await self._with_state(row)

    async def _with_state(self, row: Any) -> Resident | None:
        """A resident with their conversation state unsealed."""
        if row is None:
            return None
        return Resident._from_row(row, await self.keys.ring([row["person"]]))

    async def create(self, person: str, language: str, role: str = "resident") -> Resident:
        """Store a resident (`telegram:123`) as they consent (or return the one already there)."""
        stamp = now()
        channel = person.partition(":")[0]
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO residents (channel, person, language, consented_at, role,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (channel, person) DO NOTHING",
                (channel, person, language, stamp, role, stamp),
            )
        resident = await self.find(person)
        assert resident is not None
        return resident

    async def save(self, resident: Resident) -> None:
        """Write back language, neighbourhood, invitations, the name shown, and conversation state.

        The role is not written: the settings give theirs afresh each turn, and a role given by
        a code is written where the code is used. The state is sealed with the resident's key.
        """
        state = json.dumps(resident.state, ensure_ascii=False)
        sealed = await self.keys.seal(resident.person, state) if resident.state_read else None
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE residents SET language = ?, neighbourhood = ?,"
                " state = COALESCE(?, state), language_offered_at = ?, invitations = ?,"
                " unreachable_at = ?, signs_as = ? WHERE id = ?",
                (
                    resident.language,
                    resident.neighbourhood,
                    sealed,
                    resident.language_offered_at,
                    resident.invitations,
                    resident.unreachable_at,
                    resident.signs_as,
                    resident.id,
                ),
            )

    async def count_on_channel(self, channel: str) -> int:
        """How many residents a channel has."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM residents WHERE channel = ?", (channel,)
        )
        return row[0] if row else 0

    async def create_demo(
        self, user_id: str, language: str, neighbourhood: str | None
    ) -> Resident:
        """A demo resident on the `demo` channel, as if onboarded."""
        resident = await self.create(f"{DEMO_CHANNEL}:{user_id}", language)
        resident.neighbourhood = neighbourhood
        await self.save(resident)
        return resident

    async def ids_on_channel(self, channel: str) -> set[int]:
        """The internal ids of every resident on one channel (such as the demo channel)."""
        rows = await self.db.fetch_all("SELECT id FROM residents WHERE channel = ?", (channel,))
        return {row[0] for row in rows}

    async def many(self, resident_ids: Iterable[int]) -> list[Resident]:
        """The residents with these internal ids that still exist, in id order (one query)."""
        ids = list(resident_ids)
        rows = await self.db.fetch_all(
            f"SELECT * FROM residents WHERE id IN ({placeholders(len(ids))}) ORDER BY id", ids
        )
        return [Resident._from_row(row) for row in rows]

    async def audience(self, audience: Audience) -> list[Resident]:
        """Reachable residents who want invitations and fit the audience's filters."""
        sql = ["SELECT * FROM residents r WHERE invitations = 1 AND unreachable_at IS NULL"]
        params: list[Any] = []
        places = [p for p in audience.neighbourhoods if p != NOT_SAID]
        if audience.neighbourhoods:
            said = f"neighbourhood IN ({placeholders(len(places))})"
            unsaid = " OR neighbourhood IS NULL" if NOT_SAID in audience.neighbourhoods else ""
            sql.append(f"AND ({said}{unsaid})")
            params += places
        if audience.languages:
            sql.append(f"AND language IN ({placeholders(len(audience.languages))})")
            params += audience.languages
        if audience.pillars:
            sql.append(INTERESTED_IN.format(marks=placeholders(len(audience.pillars))))
            params += audience.pillars
        rows = await self.db.fetch_all(" ".join(sql) + " ORDER BY id", params)
        return [Resident._from_row(row) for row in rows]

    async def with_joined_roles(self) -> list[Resident]:
        """People who hold a role joined with a one-time code, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT * FROM residents WHERE role != 'resident' ORDER BY id"
        )
        return [Resident._from_row(row) for row in rows]

    async def revoke(self, resident_id: int, actor_id: int, actor_role: str) -> str | None:
        """Take a joined role away (on the record); the role it was, or None if there was none.

        Their open contact conversations go back to the queue, as when a worker leaves.
        """
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT role FROM residents WHERE id = ? AND role != 'resident'", (resident_id,)
            )
            if row is None:
                return None
            await tx.execute("UPDATE residents SET role = 'resident' WHERE id = ?", (resident_id,))
            # Their open contact conversations wait for another worker to take them up.
            await tx.execute(
                "UPDATE contact_threads SET worker_id = NULL"
                " WHERE worker_id = ? AND ended_at IS NULL",
                (resident_id,),
            )
            await audit.record(tx, actor_id, actor_role, "revoked", role=row[0], who=resident_id)
        return str(row[0])

    async def stale_menus(
        self, channel: str, settings_roles: Mapping[str, str]
    ) -> list[tuple[str, str | None]]:
        """(person, role) of chats whose command menu is not the one their role wants."""
        ids = list(settings_roles)
        rows = await self.db.fetch_all(
            "SELECT person, role, menu_role FROM residents WHERE channel = ? AND"
            f" (role != 'resident' OR menu_role IS NOT NULL OR person IN"
            f" ({placeholders(len(ids))}))",
            (channel, *ids),
        )
        stale = []
        for user_id, role, shown in rows:
            wanted = settings_roles.get(user_id, role)
            menu = None if wanted == "resident" else wanted
            if menu != shown:
                stale.append((user_id, menu))
        return stale

    async def menu_shown(self, person: str, role: str | None) -> None:
        """Record which role's command menu a chat now has."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE residents SET menu_role = ? WHERE person = ?", (role, person))

    async def no_invitations(self, person: str) -> None:
        """The person asked their app for no more business messages: invitations off."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE residents SET invitations = 0 WHERE person = ?", (person,))

    async def forget(self, resident_id: int) -> None:
        """Delete a resident and, through the foreign keys, all they contributed; no trace left.

        Their key goes first: every copy of their sealed words the database still keeps (in
        its log, its free pages, a backup) is unreadable from then on.
        """
        row = await self.db.fetch_one("SELECT person FROM residents WHERE id = ?", (resident_id,))
        if row is not None:
            await self.keys.destroy([row[0]])
        async with self.db.transaction() as tx:
            # Replies kept for sending may quote their words: erased with the rest.
            await tx.execute(
                f"UPDATE inbox SET {ANSWERED}"
                " WHERE status = 'handled' AND (channel, sender) ="
                " (SELECT channel, person FROM residents WHERE id = ?)",
                (resident_id,),
            )
            await tx.execute(
                "DELETE FROM media WHERE person = (SELECT person FROM residents WHERE id = ?)",
                (resident_id,),
            )
            await tx.execute("DELETE FROM residents WHERE id = ?", (resident_id,))
        # secure_delete overwrote the rows in the file; the log still holds the old pages.
        await self.db.checkpoint()
