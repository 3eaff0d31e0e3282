"""Storage: the database behind one interface, one module per aggregate."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

from storage.audit import AuditLog
from storage.contacts import Contacts
from storage.contributions import Contributions
from storage.database import Database, open_database
from storage.events import Events
from storage.figures import Figures
from storage.inbox import Inbox
from storage.invites import InviteCodes
from storage.media import Media
from storage.outbox import Outbox
from storage.paths import Paths
from storage.residents import Residents
from storage.translations import Translations


class Storage:
    """Every store over one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.residents = Residents(db)
        self.contributions = Contributions(db)
        self.inbox = Inbox(db)
        self.audit = AuditLog(db)
        self.invites = InviteCodes(db)
        self.events = Events(db)
        self.outbox = Outbox(db)
        self.media = Media(db)
        self.translations = Translations(db)
        self.figures = Figures(db)
        self.paths = Paths(db)
        self.contacts = Contacts(db)

    @classmethod
    async def open(cls, where: Path | str) -> Storage:
        """Open (and migrate) the database a URL (`sqlite:///var/w.sqlite3`) or a path names."""
        return cls(await open_database(where))

    @property
    def url(self) -> str:
        """The database's URL, for work that opens its own connections off the event loop."""
        return self.db.url

    @property
    def location(self) -> str:
        """Where the database is, fit for a log line (no password)."""
        return self.db.location

    def exclusively(self, name: str) -> AbstractAsyncContextManager[bool]:
        """True for the one process of a deployment that holds `name` while the block runs."""
        return self.db.exclusively(name)

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()
