"""The database file: migrations, the version table, and the stores against real SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from insights.concepts import PILLARS
from storage import Storage
from storage.contributions import PILLAR_ORDER
from storage.database import redacted
from storage.figures import Scope
from storage.postgresql import MIGRATIONS as POSTGRESQL_MIGRATIONS
from storage.sqlite import MIGRATIONS, SqliteDatabase


@contextmanager
def migrated_up_to(db_path: Path, last: int) -> Iterator[sqlite3.Connection]:
    """A database as an older Wijkstem left it: migrations 1 to `last` applied, then committed."""
    steps = sorted(
        (p for p in MIGRATIONS.iterdir() if p.name.endswith(".sql")), key=lambda p: p.name
    )
    with sqlite3.connect(db_path) as old:
        old.execute("PRAGMA foreign_keys = ON")
        old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for number, step in enumerate(steps[:last], start=1):
            old.executescript(step.read_text(encoding="utf-8"))
            old.execute("INSERT INTO schema_version VALUES (?)", (number,))
        yield old
    old.close()


def newest_migration() -> int:
    """The number of the newest migration."""
    return max(int(p.name.split("_")[0]) for p in MIGRATIONS.iterdir() if p.name.endswith(".sql"))


async def test_migrations_apply_once_and_record_their_version(db_path: Path) -> None:
    newest = newest_migration()
    async with SqliteDatabase(db_path) as db:
        assert db.schema_version == newest
    async with SqliteDatabase(db_path) as db:
        rows = await db.fetch_all("SELECT version FROM schema_version")
        assert [row[0] for row in rows] == list(range(1, newest + 1))


async def test_the_sqlite_file_is_in_wal_mode(db_path: Path) -> None:
    storage = await Storage.open(db_path)
    row = await storage.db.fetch_one("PRAGMA journal_mode")
    await storage.close()
    assert row is not None and row[0] == "wal"


async def _sqlite_columns(db_path: Path) -> dict[str, set[str]]:
    storage = await Storage.open(db_path)
    tables = await storage.db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    )
    found = {}
    for (table,) in tables:
        found[table] = {
            row[1] for row in await storage.db.fetch_all(f"PRAGMA table_info({table})")
        }
    await storage.close()
    return found


async def _postgresql_columns(url: str) -> dict[str, set[str]]:
    storage = await Storage.open(url)
    rows = await storage.db.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public'"
    )
    await storage.close()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


async def test_both_backends_have_the_same_tables_columns_and_version(
    db_path: Path, postgres_url: str
) -> None:
    assert await _sqlite_columns(db_path) == await _postgresql_columns(postgres_url)
    sqlite = await Storage.open(db_path)
    postgresql = await Storage.open(postgres_url)
    assert sqlite.db.schema_version == postgresql.db.schema_version == newest_migration()
    await sqlite.close()
    await postgresql.close()


def test_every_migration_has_the_same_number_on_both_backends() -> None:
    names = {entry.name for entry in MIGRATIONS.iterdir()}
    assert names == {entry.name for entry in POSTGRESQL_MIGRATIONS.iterdir()}


async def test_a_failed_write_is_rolled_back(storage: Storage) -> None:
    try:
        async with storage.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO inbox (channel, update_id, sender, payload, received_at)"
                " VALUES ('t', '1', '5', '{}', 'now')"
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert await storage.db.fetch_all("SELECT * FROM inbox") == []


async def test_final_pillars_prefer_the_resident_over_the_tagger(storage: Storage) -> None:
    resident = await storage.residents.create("test:1", "nl")
    added = await storage.contributions.add(
        resident_id=resident.id,
        kind="concern",
        text="schulden en eenzaam",
        language="nl",
        neighbourhood=None,
        auto_scores={"positive_health": 0.5, "livelihood_security": 1.0},
        auto_terms={"livelihood_security": ["schulden"], "positive_health": ["eenzaam"]},
    )
    assert added.final_pillars == ["positive_health", "livelihood_security"]
    assert added.terms["livelihood_security"] == ["schulden"]
    await storage.contributions.confirm_pillars(added.id, ["livelihood_security"])
    confirmed = await storage.contributions.get(added.id)
    assert confirmed is not None and confirmed.final_pillars == ["livelihood_security"]
    assert confirmed.reference == "P-0001"


async def test_iterate_reads_every_contribution_in_batches(storage: Storage) -> None:
    resident = await storage.residents.create("test:1", "nl")
    for number in range(5):
        await storage.contributions.add(
            resident_id=resident.id,
            kind="idea",
            text=f"idee {number}",
            language="nl",
            neighbourhood="nazareth",
        )
    texts = [c.text async for c in storage.contributions.iterate(batch=2)]
    assert texts == [f"idee {n}" for n in range(5)]


async def test_creating_a_resident_twice_keeps_one(storage: Storage) -> None:
    first = await storage.residents.create("telegram:42", "en")
    second = await storage.residents.create("telegram:42", "nl")
    assert first.id == second.id and second.language == "en"


async def test_the_lasting_references_migration_keeps_rows_and_never_reuses_ids(
    db_path: Path,
) -> None:
    with migrated_up_to(db_path, 6) as old:  # a database of stop 8, before migration 7
        old.execute(
            "INSERT INTO residents (channel, channel_user_id, language, consented_at,"
            " created_at) VALUES ('telegram', '7', 'nl', 'x', 'x')"
        )
        for user, role in (("8", "worker"), ("9", "team")):  # 8 from the settings, 9 by a code
            old.execute(
                "INSERT INTO residents (channel, channel_user_id, language, consented_at,"
                " created_at, role) VALUES ('telegram', ?, 'nl', 'x', 'x', ?)",
                (user, role),
            )
        old.execute(
            "INSERT INTO audit_log (at, actor_id, actor_role, action)"
            " VALUES ('x', 3, 'resident', 'joined')"
        )
        for words in ("eerste", "tweede", "derde"):
            old.execute(
                "INSERT INTO contributions (resident_id, kind, text, created_at)"
                " VALUES (1, 'concern', ?, 'x')",
                (words,),
            )
        old.execute(
            "INSERT INTO contribution_pillars VALUES (1, 'auto', 'positive_health', 1, '[]')"
        )
    storage = await Storage.open(db_path)
    try:
        texts = [c.text for c in await storage.contributions.by_resident(1)]
        assert texts == ["eerste", "tweede", "derde"]
        assert (await storage.contributions.get(1)).pillars == {"auto": ["positive_health"]}
        roles = [r.role for r in await storage.residents.many([1, 2, 3])]
        assert roles == ["resident", "resident", "team"]  # the settings give theirs afresh
        found = await storage.residents.find("telegram:7")  # people are named with their channel
        assert found is not None and found.id == 1 and found.account == "7"
        async with storage.db.transaction() as tx:  # the newest one is forgotten
            await tx.execute("DELETE FROM contributions WHERE id = 3")
        added = await storage.contributions.add(
            resident_id=1, kind="idea", text="vierde", language="nl", neighbourhood=None
        )
        assert added.reference == "P-0004"  # P-0003 was given once; it stays taken
    finally:
        await storage.close()


async def test_a_turn_that_fails_keeps_none_of_its_writes(storage: Storage) -> None:
    with pytest.raises(RuntimeError):
        async with storage.db.turn():
            resident = await storage.residents.create("telegram:42", "en")
            found = await storage.residents.find("telegram:42")
            assert found is not None and found.id == resident.id, "a turn reads its own writes"
            raise RuntimeError("the process dies here")
    assert await storage.residents.find("telegram:42") is None


async def test_a_turn_commits_all_its_writes_together(storage: Storage) -> None:
    async with storage.db.turn():
        await storage.residents.create("telegram:42", "en")
        await storage.residents.create("telegram:43", "nl")
        outside = await storage.another()
        try:
            assert await outside.residents.find("telegram:42") is None, "not before the end"
        finally:
            await outside.close()
    assert await storage.residents.find("telegram:43") is not None


async def test_the_concepts_migration_indexes_what_was_already_said(db_path: Path) -> None:
    with migrated_up_to(db_path, 13) as old:  # a database of stop 13, before migration 14
        old.execute(
            "INSERT INTO residents (channel, person, language, consented_at, created_at)"
            " VALUES ('telegram', 'telegram:7', 'nl', 'x', 'x')"
        )
        for words, concepts in (
            ("te weinig bankjes in het park", '["green_space", "loneliness"]'),
            ("ik voel me alleen", '["loneliness"]'),
        ):
            old.execute(
                "INSERT INTO contributions (resident_id, kind, text, created_at, concepts)"
                " VALUES (1, 'concern', ?, '2026-11-02', ?)",
                (words, concepts),
            )
    storage = await Storage.open(db_path)
    try:
        counted = await storage.figures.concepts(Scope("2026-11-01", "2026-12-01"))
        assert counted == [("loneliness", 2), ("green_space", 1)]  # themes count older words
    finally:
        await storage.close()


async def test_an_empty_list_of_ids_finds_nothing_and_an_insert_gives_its_id(
    storage: Storage,
) -> None:
    # Portable SQL: no `IN ()` (SQLite's own) and no lastrowid; the same on every database.
    assert await storage.residents.many([]) == []
    assert await storage.paths.of([]) == {}
    first = await storage.media.keep("telegram:1", "image/jpeg", b"1")
    second = await storage.media.keep("telegram:1", "image/jpeg", b"2")
    assert first != second and (await storage.media.get(second)) is not None


def test_storage_lists_pillars_in_the_programmes_order() -> None:
    assert PILLAR_ORDER == PILLARS


async def test_one_process_of_a_deployment_holds_a_duty_and_another_takes_over(
    postgres_url: str,
) -> None:
    one, two = await Storage.open(postgres_url), await Storage.open(postgres_url)
    async with one.exclusively("reminders") as first:
        async with two.exclusively("reminders") as second:
            assert (first, second) == (True, False)
        async with two.exclusively("anonymising") as other_duty:
            assert other_duty
    async with two.exclusively("reminders") as after_it_let_go:
        assert after_it_let_go
    async with one.exclusively("reminders") as held:
        assert held
        # The holder dies (its connection ends, as with kill -9; waited for up to 5 s): the
        # server lets go of what it held.
        await two.db.fetch_one(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks"
            " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
        )
        async with two.exclusively("reminders") as taken_over:
            assert taken_over
    await one.close()
    await two.close()


def test_a_database_url_is_logged_without_its_password() -> None:
    assert redacted("postgresql://wijkstem:geheim@db/w") == "postgresql://wijkstem:***@db/w"
    assert redacted("postgresql://db/w?user=w&password=geheim&sslmode=require") == (
        "postgresql://db/w?user=w&password=***&sslmode=require"
    )
    assert redacted("sqlite:///var/wijkstem.sqlite3") == "sqlite:///var/wijkstem.sqlite3"
