"""Storage: the embedded SQLite database, one module per aggregate."""

from __future__ import annotations

from pathlib import Path

from storage.audit import AuditLog
from storage.contributions import Contributions
from storage.database import Database
from storage.events import Events
from storage.invites import InviteCodes
from storage.outbox import Outbox
from storage.residents import Residents
from storage.updates import ProcessedUpdates


class Storage:
    """Every store over one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.residents = Residents(db)
        self.contributions = Contributions(db)
        self.updates = ProcessedUpdates(db)
        self.audit = AuditLog(db)
        self.invites = InviteCodes(db)
        self.events = Events(db)
        self.outbox = Outbox(db)

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        """Open (and migrate) the database file at `path`."""
        return cls(await Database(path).open())

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
