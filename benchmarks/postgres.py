"""A throwaway PostgreSQL server for a benchmark, as the tests start one (fsync off)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.backends import (
    TEMPLATE,
    admin,
    key_file,
    migrate,
    server_programs,
    throwaway_server,
)
from tests.backends import with_database as on_database


@contextmanager
def postgresql_databases() -> Iterator[Callable[[str], str] | None]:
    """Yield a maker of fresh databases (name -> URL, each a copy of the migrated schema) on a
    throwaway server, or None, said so, when PostgreSQL is not installed."""
    if server_programs() is None:
        print("PostgreSQL: skipped, not installed (apt install postgresql)")
        yield None
        return
    made = [TEMPLATE]
    with throwaway_server() as server:
        admin(server, f"CREATE DATABASE {TEMPLATE}")
        asyncio.run(migrate(on_database(server, TEMPLATE)))

        def fresh(name: str) -> str:
            admin(server, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
            made.append(name)
            return on_database(server, name)

        try:
            yield fresh
        finally:
            for name in made:  # the keys kept beside each database in var/
                key_file(name).unlink(missing_ok=True)


def one_and_three_processes(name: str) -> Iterator[tuple[str, int, str]]:
    """(backend, processes, database URL): SQLite with 1 process, then PostgreSQL with 1 and 3
    (when installed), each on a fresh database."""
    with tempfile.TemporaryDirectory() as folder:
        yield "SQLite", 1, f"sqlite:///{Path(folder) / f'{name}.sqlite3'}"
    with postgresql_databases() as fresh:
        if fresh is None:
            return
        for number, processes in enumerate((1, 3)):
            yield "PostgreSQL", processes, fresh(f"{name}_{number}")
