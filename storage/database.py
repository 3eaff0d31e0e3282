"""The storage interface: a database, its transactions and rows, whichever server runs it.

SQLite (`storage.sqlite`) is the embedded default; PostgreSQL (`storage.postgresql`) carries
several processes. Nothing outside `storage/` knows which one runs.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator, Iterable, Iterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol


def now() -> str:
    """The current UTC time as stored: ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def placeholders(count: int) -> str:
    """The marks of an IN list of `count` values; none is `IN (NULL)`, which matches nothing
    (an empty `IN ()` is SQLite's own)."""
    return ", ".join("?" * count) if count else "NULL"


class Row(Protocol):
    """A result row, read by position or by column name."""

    def __getitem__(self, key: Any, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> list[str]: ...


class Transaction(Protocol):
    """The statements of one open transaction; the only way storage modules write."""

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        ...

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run one statement for each row of parameters; the number of rows changed in all."""
        ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row a statement returns (a query, or a change with RETURNING), or None."""
        ...

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Every row a statement returns."""
        ...

    async def inserted_id(self, sql: str, params: Iterable[Any]) -> int:
        """Run an INSERT and return its row's id, by RETURNING."""
        ...

    async def notify(self, topic: str) -> None:
        """Tell every process listening for `topic`, once this transaction commits."""
        ...


class Database(Protocol):
    """An open database: atomic turns, transactions, and reads (written with `?` marks)."""

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied (read at open)."""
        ...

    @property
    def url(self) -> str:
        """The URL another connection opens it with (a secret: it may hold a password)."""
        ...

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`, for the few statements that must be written for one."""
        ...

    @property
    def location(self) -> str:
        """Where the database is, fit for a log line (no password)."""
        ...

    @property
    def key_file(self) -> Path:
        """Where its people's keys live unless set elsewhere: never inside the database."""
        ...

    def turn(self) -> AbstractAsyncContextManager[None]:
        """One atomic turn: every transaction in the block joins one, committed at its end."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """A transaction, committed if the block succeeds; inside a turn, a savepoint of it."""
        ...

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Rows of a read-only query (inside a turn that wrote: as the turn sees them)."""
        ...

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row of a read-only query, or None."""
        ...

    async def checkpoint(self) -> None:
        """Make deleted words leave the files the database keeps besides its tables."""
        ...

    def exclusively(self, name: str) -> AbstractAsyncContextManager[bool]:
        """True for the one process of a deployment that holds `name` while the block runs
        (False for the others); a process that dies lets go of it."""
        ...

    def listen(self, topic: str) -> AsyncGenerator[None, None]:
        """Each time another process notified `topic` (never, where one process is all)."""
        ...

    async def close(self) -> None:
        """Close every connection."""
        ...


def migrations_after(folder: Traversable, version: int) -> list[tuple[int, str, str]]:
    """The migrations in `folder` numbered above `version`, in order: number, name, script."""
    steps = sorted(
        (int(entry.name.split("_", 1)[0]), entry)
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
    return [
        (number, entry.name, entry.read_text(encoding="utf-8"))
        for number, entry in steps
        if number > version
    ]


def redacted(url: str) -> str:
    """A database URL fit for a log line: its password, if any, replaced by ***."""
    url = re.sub(r"([?&]password=)[^&]*", r"\1***", url)
    scheme, sep, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{place}"


class DatabaseUnavailable(Exception):
    """The database cannot be opened or written; the message names it in one line."""


class StorageFault(Exception):
    """The database cannot be used just now (locked by another process, disk full, I/O)."""


async def open_database(where: Path | str) -> Database:
    """Open (and migrate) the database a URL names (`sqlite:///…`, `postgresql://…`) or the
    SQLite file a path names."""
    # Each backend's driver is imported only when it is the one: SQLite never loads psycopg.
    text = str(where)
    if text.startswith(("postgresql://", "postgres://")):
        from storage.postgresql import PostgresDatabase

        return await PostgresDatabase(text).open()
    from storage.sqlite import SqliteDatabase, sqlite_path

    return await SqliteDatabase(sqlite_path(where)).open()
