"""SQLite: one file, one writer, parallel readers, numbered migrations applied at open."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from storage.database import DatabaseUnavailable, Row, StorageFault, migrations_after, redacted

log = logging.getLogger(__name__)

MIGRATIONS = resources.files("storage") / "migrations" / "sqlite"


def sqlite_path(where: Path | str) -> Path:
    """The file a database URL names (`sqlite:///relative`, `sqlite:////absolute`, as
    SQLAlchemy writes them), or a plain path as it is."""
    if isinstance(where, Path) or "://" not in where:
        return Path(where)
    scheme, _sep, rest = where.partition("://")
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        return Path(rest[1:])
    raise DatabaseUnavailable(
        f"not a database URL: {redacted(where)!r}; use sqlite:///<file> or postgresql://..."
    )


class _SqliteTransaction:
    """The statements of one open transaction on the writer connection."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        async with self._connection.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run one statement for each row of parameters; the number of rows changed in all."""
        batch = [tuple(row) for row in rows]
        if not batch:
            return 0
        async with self._connection.executemany(sql, batch) as cursor:
            return cursor.rowcount

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row a statement returns (a query, or a change with RETURNING), or None."""
        async with self._connection.execute(sql, tuple(params)) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Every row a statement returns."""
        async with self._connection.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def inserted_id(self, sql: str, params: Iterable[Any]) -> int:
        """Run an INSERT and return its row's id, by RETURNING (not SQLite's own lastrowid)."""
        row = await self.fetch_one(f"{sql} RETURNING id", params)
        assert row is not None, "an INSERT without conflict returns its row"
        return int(row[0])

    async def notify(self, topic: str) -> None:
        """Nothing: one process works a SQLite file, and it knows what it queued."""


def _try_to_open(path: Path) -> None:
    sqlite3.connect(path).close()


@dataclass
class _OpenTurn:
    """A turn in progress: its transaction begins at the first write and ends with the turn."""

    db: SqliteDatabase
    begun: bool = False
    depth: int = 0
    checkpoint: bool = False


_TURN: ContextVar[_OpenTurn | None] = ContextVar("wijkstem_turn", default=None)


@asynccontextmanager
async def _faults_named() -> AsyncIterator[None]:
    """sqlite3's operational errors (busy, full, I/O) as a StorageFault."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise StorageFault(str(error)) from error


class SqliteDatabase:
    """A SQLite file in WAL mode; every write goes through one connection and one lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._version = 0

    async def open(self) -> SqliteDatabase:
        """Open the file (creating it and its folder), then bring the schema up to date."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Try the file first: aiosqlite does not wait for its thread when a connect fails,
            # and that thread then outlives the event loop with a traceback.
            await asyncio.to_thread(_try_to_open, self.path)
            self._writer = await self._connect()
            await self._writer.execute("PRAGMA journal_mode = WAL")
            # In WAL mode a commit survives a crash of the process without waiting for the disk.
            await self._writer.execute("PRAGMA synchronous = NORMAL")
            await self._migrate()
            self._reader = await self._connect()
        except (OSError, sqlite3.Error) as error:
            # Close what did open: a connection left open keeps its thread, and the process.
            await self.close()
            raise DatabaseUnavailable(f"cannot open the database {self.path}: {error}") from None
        return self

    @asynccontextmanager
    async def exclusively(self, name: str) -> AsyncIterator[bool]:
        """True: one process writes a SQLite file, so it is always the one."""
        yield True

    async def listen(self, topic: str) -> AsyncGenerator[None, None]:
        """Never: no other process writes a SQLite file."""
        await asyncio.Future()
        yield  # pragma: no cover - the future above never ends

    async def checkpoint(self) -> None:
        """Move the write-ahead log into the file and empty it, so deleted words leave it too."""
        assert self._writer is not None, "database is not open"
        turn = self._open_turn()
        if turn is not None:  # the turn's own transaction holds the lock: after its commit
            turn.checkpoint = True
            return
        async with self._write_lock, _faults_named():
            await self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        """Close both connections."""
        for connection in (self._reader, self._writer):
            if connection is not None:
                await connection.close()
        self._reader = self._writer = None

    async def __aenter__(self) -> SqliteDatabase:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _connect(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute("PRAGMA busy_timeout = 5000")
        # Deleted rows are overwritten, so /forget leaves no trace in the file.
        await connection.execute("PRAGMA secure_delete = ON")
        return connection

    dialect = "sqlite"

    @property
    def url(self) -> str:
        """The URL another connection opens it with."""
        return f"sqlite:///{self.path}"

    @property
    def key_file(self) -> Path:
        """Beside the database file: `var/wijkstem.keys.sqlite3` for `var/wijkstem.sqlite3`."""
        return self.path.with_name(f"{self.path.stem}.keys.sqlite3")

    @property
    def location(self) -> str:
        """Where the database is, fit for a log line: its file."""
        return str(self.path)

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied (read at open)."""
        return self._version

    async def _migrate(self) -> None:
        assert self._writer is not None
        await self._writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
        )
        async with self._writer.execute("SELECT MAX(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        self._version = (row[0] if row else None) or 0
        for number, name, script in migrations_after(MIGRATIONS, self._version):
            log.info("applying migration %s", name)
            # A migration may rebuild a table (SQLite's way to change a column); with foreign
            # keys on, dropping the old one would delete every row that refers to it.
            await self._writer.execute("PRAGMA foreign_keys = OFF")
            try:
                await self._writer.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\n"
                    f"INSERT INTO schema_version (version) VALUES ({number});\nCOMMIT;"
                )
            except Exception:
                await self._writer.execute("ROLLBACK")
                raise
            finally:
                await self._writer.execute("PRAGMA foreign_keys = ON")
            self._version = number

    def _open_turn(self) -> _OpenTurn | None:
        turn = _TURN.get()
        return turn if turn is not None and turn.db is self else None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """One atomic turn: every transaction in the block joins one, committed at its end.

        The transaction begins at the first write, so a turn that only reads (a report being
        built) holds no lock; once it has written, its reads see its own writes.
        """
        assert self._writer is not None, "database is not open"
        turn = _OpenTurn(self)
        token = _TURN.set(turn)
        try:
            yield
        except BaseException:
            if turn.begun:
                await self._end_turn("ROLLBACK")
            raise
        else:
            if turn.begun:
                await self._end_turn("COMMIT")
        finally:
            _TURN.reset(token)
        if turn.checkpoint:
            await self.checkpoint()

    async def _end_turn(self, how: str) -> None:
        assert self._writer is not None
        try:
            async with _faults_named():
                await self._writer.execute(how)
        except StorageFault:
            if how == "COMMIT":  # nothing of the turn may stay half-done in the connection
                await self._writer.execute("ROLLBACK")
            raise
        finally:
            self._write_lock.release()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SqliteTransaction]:
        """The one write path: a transaction on the writer, committed if the block succeeds.

        Inside a turn it is a savepoint of the turn's transaction instead.
        """
        assert self._writer is not None, "database is not open"
        turn = self._open_turn()
        if turn is not None:
            async with self._savepoint(turn):
                yield _SqliteTransaction(self._writer)
            return
        async with self._write_lock, _faults_named():
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(self._writer)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    @asynccontextmanager
    async def _savepoint(self, turn: _OpenTurn) -> AsyncIterator[None]:
        assert self._writer is not None
        if not turn.begun:
            await self._write_lock.acquire()
            try:
                async with _faults_named():
                    await self._writer.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._write_lock.release()
                raise
            turn.begun = True
        name = f"step{turn.depth}"
        turn.depth += 1
        try:
            async with _faults_named():
                await self._writer.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    await self._writer.execute(f"ROLLBACK TO {name}")
                    await self._writer.execute(f"RELEASE {name}")
                    raise
                await self._writer.execute(f"RELEASE {name}")
        finally:
            turn.depth -= 1

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Rows of a read-only query (inside a turn that wrote: as the turn sees them)."""
        assert self._reader is not None and self._writer is not None, "database is not open"
        turn = self._open_turn()
        connection = self._writer if turn is not None and turn.begun else self._reader
        async with _faults_named(), connection.execute(sql, tuple(params)) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row of a read-only query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
