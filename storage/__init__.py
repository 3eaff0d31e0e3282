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
from storage.keys import Keys
from storage.media import Media
from storage.outbox import Outbox
from storage.paths import Paths
from storage.residents import Residents
from storage.sealing import seal_older_words
from storage.translations import Translations


class Storage:
    """Every store over one open database and the key file that seals its people's words."""

    def __init__(self, db: Database, keys: Keys) -> None:
        self.db = db
        self.keys = keys
        self.residents = Residents(db, keys)
        self.contributions = Contributions(db, keys)
        self.inbox = Inbox(db, keys)
        self.audit = AuditLog(db)
        self.invites = InviteCodes(db)
        self.events = Events(db)
        self.outbox = Outbox(db, keys)
        self.media = Media(db, keys)
        self.translations = Translations(db, keys)
        self.figures = Figures(db, keys)
        self.paths = Paths(db)
        self.contacts = Contacts(db, keys)

    @classmethod
    async def open(cls, where: Path | str, key_file: Path | None = None) -> Storage:
        """Open (and migrate) the database a URL (`sqlite:///var/w.sqlite3`) or a path names,
        with its key file (by default the database's own, see `Database.key_file`)."""
        db = await open_database(where)
        try:
            keys = await Keys.open(key_file or db.key_file)
        except BaseException:
            await db.close()
            raise
        await seal_older_words(db, keys)
        return cls(db, keys)

    @property
    def url(self) -> str:
        """The database's URL (its keys are found the same way unless WIJKSTEM_KEYS says)."""
        return self.db.url

    async def another(self) -> Storage:
        """The same database and keys over connections of its own, for work in another thread
        (its own event loop)."""
        return await Storage.open(self.db.url, self.keys.path)

    @property
    def location(self) -> str:
        """Where the database is, fit for a log line (no password)."""
        return self.db.location

    def exclusively(self, name: str) -> AbstractAsyncContextManager[bool]:
        """True for the one process of a deployment that holds `name` while the block runs."""
        return self.db.exclusively(name)

    async def close(self) -> None:
        """Close the database and the key file."""
        await self.keys.close()
        await self.db.close()
