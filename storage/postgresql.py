"""PostgreSQL: the storage interface over a connection pool, for several bot processes."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as sql_names
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import RowMaker
from psycopg_pool import AsyncConnectionPool

from storage.database import (
    DatabaseUnavailable,
    Row,
    StorageFault,
    migrations_after,
    redacted,
)

log = logging.getLogger(__name__)

MIGRATIONS = resources.files("storage") / "migrations" / "postgresql"
# Held while migrating, so processes starting together migrate once, one after the other.
MIGRATION_LOCK = 0x57696A6B  # "Wijk"
# Connections per process: turns side by side, plus one for each duty held (see exclusively).
POOL_SIZE = 20
CONNECT_TIMEOUT = 10
# Rows of one batch after which its table is analysed at once (see _Transaction.execute_many).
ANALYSE_AFTER = 1_000
INSERT_INTO = re.compile(r"\s*INSERT INTO (\w+)", re.IGNORECASE)
# Seconds before a lost listening connection is opened again.
RELISTEN = 5.0


@lru_cache(maxsize=1024)
def as_postgresql(sql: str) -> str:
    """A statement written for SQLite with `?` marks, in psycopg's `%s` style."""
    out, quoted = [], False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


def _params(values: Iterable[Any]) -> tuple[Any, ...]:
    # Flags are stored as 0 and 1 on both backends (SQLite has no booleans).
    return tuple(int(value) if isinstance(value, bool) else value for value in values)


class _Row(tuple[Any, ...]):
    """A row read by position or by column name, as SQLite's rows are."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self.names.index(key))
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self.names)


def _rows(cursor: psycopg.AsyncCursor[Any]) -> RowMaker[_Row]:
    names = tuple(column.name for column in cursor.description or ())

    def make(values: Sequence[Any]) -> _Row:
        row = _Row(values)
        row.names = names
        return row

    return make


@asynccontextmanager
async def _faults_named() -> AsyncIterator[None]:
    """The server's operational errors (gone, full, too many clients) as a StorageFault."""
    try:
        yield
    except psycopg.OperationalError as error:
        raise StorageFault(str(error).splitlines()[0]) from error


def _notified(topic: str) -> str:
    """The server's notification channel of a topic."""
    return f"wijkstem {topic}"


class _Transaction:
    """The statements of one open transaction on one pooled connection."""

    def __init__(self, connection: psycopg.AsyncConnection[Any]) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        async with self._connection.cursor(row_factory=_rows) as cursor:
            await cursor.execute(as_postgresql(sql), _params(params))
            return max(cursor.rowcount, 0)

    async def execute_many(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run one statement for each row of parameters; the number of rows changed in all.

        A batch big enough to change a table's shape (a broadcast queued to thousands) is
        followed by analysing that table: until autovacuum did, the planner would plan the next
        queries on it for the table it was, which can take minutes instead of milliseconds.
        """
        batch = [_params(row) for row in rows]
        if not batch:
            return 0
        async with self._connection.cursor(row_factory=_rows) as cursor:
            await cursor.executemany(as_postgresql(sql), batch)
            changed = max(cursor.rowcount, 0)
        inserted = INSERT_INTO.match(sql)
        if inserted and len(batch) >= ANALYSE_AFTER:
            table = sql_names.Identifier(inserted[1])
            await self._connection.execute(sql_names.SQL("ANALYZE {}").format(table))
        return changed

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row a statement returns, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Every row a statement returns."""
        async with self._connection.cursor(row_factory=_rows) as cursor:
            await cursor.execute(as_postgresql(sql), _params(params))
            return list(await cursor.fetchall()) if cursor.description else []

    async def inserted_id(self, sql: str, params: Iterable[Any]) -> int:
        """Run an INSERT and return its row's id, by RETURNING."""
        row = await self.fetch_one(f"{sql} RETURNING id", params)
        assert row is not None, "an INSERT without conflict returns its row"
        return int(row[0])

    async def notify(self, topic: str) -> None:
        """Tell every process listening for `topic`, once this transaction commits."""
        await self.execute("SELECT pg_notify(?, '')", (_notified(topic),))


@dataclass
class _OpenTurn:
    """A turn in progress: one connection and one transaction, from its first write on."""

    db: PostgresDatabase
    connection: psycopg.AsyncConnection[Any] | None = None
    outer: Any = None


_TURN: ContextVar[_OpenTurn | None] = ContextVar("wijkstem_pg_turn", default=None)


class PostgresDatabase:
    """A PostgreSQL database shared by any number of processes, through a connection pool."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
        self._version = 0

    dialect = "postgresql"

    @property
    def url(self) -> str:
        """The URL another connection opens it with (a secret: it may hold a password)."""
        return self._url

    @property
    def key_file(self) -> Path:
        """In `var/`, named after the database: `var/wijkstem.keys.sqlite3`."""
        name = conninfo_to_dict(self._url).get("dbname") or "postgres"
        return Path("var") / f"{name}.keys.sqlite3"

    @property
    def location(self) -> str:
        """Where the database is, fit for a log line (no password)."""
        return redacted(self._url)

    async def open(self) -> PostgresDatabase:
        """Connect, then bring the schema up to date (one process at a time)."""
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
            self._url, min_size=1, max_size=POOL_SIZE, open=False, kwargs={"autocommit": True}
        )
        try:
            # One connection first: a wrong address or password fails at once, in one line,
            # where the pool would retry until its timeout.
            probe = await psycopg.AsyncConnection.connect(
                self._url, connect_timeout=CONNECT_TIMEOUT
            )
            await probe.close()
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
            self._pool = pool
            await self._migrate()
        except (psycopg.Error, TimeoutError, OSError) as error:
            await pool.close()
            self._pool = None
            first = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise DatabaseUnavailable(
                f"cannot open the database {self.location}: {first}"
            ) from None
        return self

    async def close(self) -> None:
        """Close every pooled connection."""
        if self._pool is not None:
            await self._pool.close()
        self._pool = None

    async def __aenter__(self) -> PostgresDatabase:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied (read at open)."""
        return self._version

    async def checkpoint(self) -> None:
        """Nothing it can do: deleted rows stay in the server's files until vacuumed and in its
        write-ahead log until recycled (crypto-shredding, which would close that, is not yet
        built: see the README)."""

    @asynccontextmanager
    async def exclusively(self, name: str) -> AsyncIterator[bool]:
        """True for the one process holding the advisory lock `name` on a connection of its
        own while the block runs; the server lets go of it when that process dies."""
        assert self._pool is not None, "database is not open"
        async with self._pool.connection() as connection:
            cursor = await connection.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (name,))
            row = await cursor.fetchone()
            held = bool(row and row[0])
            try:
                yield held
            finally:
                if held:
                    # A connection the server ended has let go already.
                    with suppress(psycopg.OperationalError):
                        await connection.execute(
                            "SELECT pg_advisory_unlock(hashtext(%s))", (name,)
                        )

    async def listen(self, topic: str) -> AsyncGenerator[None, None]:
        """Each time a process notified `topic`, on a connection of its own; once more after a
        lost connection came back, since a notification may have gone by meanwhile."""
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                )
                async with connection:
                    channel = sql_names.Identifier(_notified(topic))
                    await connection.execute(sql_names.SQL("LISTEN {}").format(channel))
                    async for _notification in connection.notifies():
                        yield
            except (psycopg.OperationalError, OSError) as error:
                first = str(error).splitlines()[0] if str(error) else type(error).__name__
                log.warning("listening for %s stopped (%s); again in %s s", topic, first, RELISTEN)
            await asyncio.sleep(RELISTEN)
            yield

    async def _migrate(self) -> None:
        assert self._pool is not None
        async with self._pool.connection() as connection:
            await connection.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            try:
                await connection.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"
                )
                cursor = await connection.execute("SELECT MAX(version) FROM schema_version")
                row = await cursor.fetchone()
                self._version = (row[0] if row else None) or 0
                for number, name, script in migrations_after(MIGRATIONS, self._version):
                    log.info("applying migration %s", name)
                    async with connection.transaction():
                        await connection.execute(script.encode())
                        await connection.execute(
                            "INSERT INTO schema_version (version) VALUES (%s)", (number,)
                        )
                    self._version = number
            finally:
                await connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))

    def _open_turn(self) -> _OpenTurn | None:
        turn = _TURN.get()
        return turn if turn is not None and turn.db is self else None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """One atomic turn: every transaction in the block joins one, committed at its end."""
        assert self._pool is not None, "database is not open"
        turn = _OpenTurn(self)
        token = _TURN.set(turn)
        try:
            yield
        except BaseException as error:
            await self._end_turn(turn, error)
            raise
        else:
            await self._end_turn(turn, None)
        finally:
            _TURN.reset(token)

    async def _end_turn(self, turn: _OpenTurn, error: BaseException | None) -> None:
        if turn.connection is None:
            return
        assert self._pool is not None
        try:
            async with _faults_named():
                if error is None:
                    await turn.outer.__aexit__(None, None, None)
                else:
                    await turn.outer.__aexit__(type(error), error, error.__traceback__)
        finally:
            await self._pool.putconn(turn.connection)
            turn.connection = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_Transaction]:
        """A transaction, committed if the block succeeds; inside a turn, a savepoint of it."""
        assert self._pool is not None, "database is not open"
        turn = self._open_turn()
        if turn is not None:
            if turn.connection is None:
                turn.connection = await self._pool.getconn()
                turn.outer = turn.connection.transaction()
                await turn.outer.__aenter__()
            async with _faults_named(), turn.connection.transaction():
                yield _Transaction(turn.connection)
            return
        async with _faults_named(), self._pool.connection() as connection:
            async with connection.transaction():
                yield _Transaction(connection)

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Rows of a read-only query (inside a turn that wrote: as the turn sees them)."""
        assert self._pool is not None, "database is not open"
        turn = self._open_turn()
        if turn is not None and turn.connection is not None:
            return await _Transaction(turn.connection).fetch_all(sql, params)
        async with _faults_named(), self._pool.connection() as connection:
            return await _Transaction(connection).fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        """The first row of a read-only query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
