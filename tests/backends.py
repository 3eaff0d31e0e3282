"""The backends the tests run on: a SQLite file, and a throwaway PostgreSQL server (data in a
temporary folder, fsync off)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from storage import Storage

BACKENDS = ("sqlite", "postgresql")
# For a test about the SQLite file itself: its bytes, its write-ahead log, its lock, a full disk.
SQLITE_FILE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
# For several processes on one database, which only PostgreSQL serves.
POSTGRESQL_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

# Debian puts the server's programs under a versioned folder; a source build puts them on PATH.
SEARCHED = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
SERVER_USER = "postgres"
SPEED_OVER_SAFETY = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
# Migrated once per session; each test's database is a copy of it.
TEMPLATE = "wijkstem_template"


def server_programs() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    for folder in [*SEARCHED, *(Path(p) for p in os.environ.get("PATH", "").split(os.pathsep))]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _as_server_user(command: list[str]) -> list[str]:
    # The server refuses to run as root: as root, run it as the `postgres` user.
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *command]
    return command


def _exit_on_sigterm(_signal: int, _frame: object) -> None:
    raise SystemExit(143)


def _run(command: list[str]) -> None:
    subprocess.run(
        _as_server_user(command), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a server listening on a socket in a temporary folder; yield its URL."""
    programs = server_programs()
    if programs is None:
        raise RuntimeError("PostgreSQL is not installed: .ci/run installs it (apt postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="wijkstem-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_USER)
    data = folder / "data"
    initdb = [str(programs / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    _run([*initdb, "--no-sync", "-E", "UTF8"])
    options = f"-c listen_addresses='' -c unix_socket_directories={folder} {SPEED_OVER_SAFETY}"
    pg_ctl = [str(programs / "pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
    _run([*pg_ctl, "-o", options, "-w", "start"])
    # A run stopped with SIGTERM (a CI timeout) still stops the server and removes its folder.
    stopped_by = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield f"postgresql://postgres@/postgres?host={folder}"
    finally:
        signal.signal(signal.SIGTERM, stopped_by)
        _run([*pg_ctl, "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    """The URL of another database on the same server."""
    return url.replace("/postgres?", f"/{name}?", 1)


def key_file(name: str) -> Path:
    """Where the keys of a PostgreSQL database of that name live (`Database.key_file`)."""
    return Path("var") / f"{name}.keys.sqlite3"


def admin(url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE DATABASE cannot run inside one)."""
    with psycopg.connect(url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.encode())


async def migrate(url: str) -> None:
    """Bring a database's schema up to date."""
    storage = await Storage.open(url)
    await storage.close()
