"""Crypto-shredding: words reach the database sealed with their author's key, and `/forget`
destroys the key, so no copy the database keeps (its files, its log, a backup) reads again."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
from pathlib import Path

from storage import Storage
from storage.inbox import Received
from storage.keys import Keys, key_id
from storage.outbox import Outgoing
from tests.backends import POSTGRESQL_ONLY, admin, server_programs, with_database

# A name no other test writes, so that the server's shared log cannot hold it from elsewhere.
SECRET = f"Annelies{secrets.token_hex(4)}".encode()
WORDS = f"Mijn buurvrouw {SECRET.decode()} is zo eenzaam"
PERSON = "telegram:4242"


async def everything_said(storage: Storage) -> int:
    """A resident who shared words, a voice note, a conversation state, and a contact
    conversation with a worker whose answer still waits to be sent; the resident's id."""
    resident = await storage.residents.create(PERSON, "nl")
    resident.state = {"draft": WORDS}
    await storage.residents.save(resident)
    voice = await storage.media.keep(PERSON, "audio/ogg", b"OggS " + SECRET)
    contribution = await storage.contributions.add(
        resident_id=resident.id,
        kind="concern",
        text=WORDS,
        language="nl",
        neighbourhood="nazareth",
        media_kind="voice",
        media_ref=voice,
    )
    await storage.contributions.set_answer(contribution.id, "wants_contact", True)
    await storage.translations.keep(
        contribution.id, "en", WORDS, f"My neighbour {SECRET.decode()}"
    )
    worker = await storage.residents.create("telegram:900", "nl", role="worker")
    await storage.contacts.from_worker(
        contribution.id, worker.id, "worker", "Dag!", Outgoing(resident.id, "Dag!")
    )
    thread = await storage.contacts.open_with_author(resident.id)
    assert thread is not None
    await storage.contacts.from_author(
        thread, resident.id, WORDS, Outgoing(worker.id, f"P-0001: {WORDS}")
    )
    payload = f'{{"text": "{WORDS}"}}'
    await storage.inbox.receive([Received("telegram", "1", PERSON, payload)])
    return resident.id


async def readable(storage: Storage, resident_id: int) -> list[str]:
    """Every place the resident's words are read back from, as the bot reads them."""
    [contribution] = await storage.contributions.by_resident(resident_id)
    resident = await storage.residents.get(resident_id)
    assert resident is not None and contribution.media_ref is not None
    kept = await storage.media.get(contribution.media_ref)
    translated = await storage.translations.find(contribution.id, "en", WORDS)
    [thread] = await storage.contacts.of_author(resident_id)
    [waiting] = await storage.inbox.to_handle("telegram")
    return [
        contribution.text,
        str(resident.state.get("draft")),
        kept.content.decode() if kept else "",
        translated or "",
        thread.said[-1].text,
        waiting.payload,
    ]


def database_files(storage: Storage) -> bytes:
    """Every byte the database server keeps on disk: tables, write-ahead log, free pages."""
    if storage.db.dialect == "sqlite":
        path = Path(storage.location)
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    data = Path(storage.url.split("host=", 1)[1].split("&", 1)[0]) / "data"
    return b"".join(
        p.read_bytes()
        for folder in ("base", "pg_wal")
        for p in (data / folder).rglob("*")
        if p.is_file()
    )


async def test_words_reach_the_database_only_sealed(storage: Storage) -> None:
    resident_id = await everything_said(storage)
    assert all(SECRET.decode() in words for words in await readable(storage, resident_id))
    if storage.db.dialect == "postgresql":
        async with storage.db.transaction() as tx:
            await tx.execute("CHECKPOINT")  # the tables written to their files
    assert SECRET not in database_files(storage), "no file of the database holds the words"


async def test_after_forget_no_copy_of_the_words_reads_again(storage: Storage) -> None:
    resident_id = await everything_said(storage)
    # What a backup or the write-ahead log keeps: the rows as they were before /forget.
    copies = await storage.db.fetch_all(
        "SELECT text FROM contributions UNION ALL SELECT state FROM residents"
        " WHERE person = ? UNION ALL SELECT text FROM contact_messages"
        " UNION ALL SELECT payload FROM inbox",
        (PERSON,),
    )
    assert len(copies) == 5
    await storage.residents.forget(resident_id)
    ring = await storage.keys.ring([PERSON])
    assert [ring.unseal(PERSON, row[0]) for row in copies] == [""] * 5
    assert not await storage.keys.has(PERSON)


async def test_a_destroyed_key_is_gone_from_the_key_file(storage: Storage) -> None:
    resident_id = await everything_said(storage)
    key = (await storage.keys.ring([PERSON])).keys[key_id(PERSON)]
    files = list(storage.keys.path.parent.glob(storage.keys.path.name + "*"))
    assert key in b"".join(path.read_bytes() for path in files)
    await storage.residents.forget(resident_id)
    files = list(storage.keys.path.parent.glob(storage.keys.path.name + "*"))
    kept = b"".join(path.read_bytes() for path in files)
    assert key not in kept, "overwritten in the file, not only unlinked"
    assert key_id(PERSON).encode() not in kept


async def test_words_kept_before_sealing_began_are_sealed_when_opened(
    storage: Storage,
) -> None:
    words = "Kept in the clear by an older version"
    resident = await storage.residents.create(PERSON, "nl")
    async with storage.db.transaction() as tx:  # as version 21 and older wrote them
        await tx.execute(
            "INSERT INTO contributions (resident_id, kind, text, created_at)"
            " VALUES (?, 'idea', ?, '2026-01-01T00:00:00+00:00')",
            (resident.id, words),
        )
        await tx.execute(
            "UPDATE residents SET state = ? WHERE id = ?", (f'{{"draft": "{words}"}}', resident.id)
        )
    reopened = await storage.another()
    stored = await reopened.db.fetch_all(
        "SELECT text FROM contributions UNION ALL SELECT state FROM residents"
    )
    assert all(words not in row[0] for row in stored), "sealed in place"
    [contribution] = await reopened.contributions.by_resident(resident.id)
    assert contribution.text == words
    again = await reopened.residents.find(PERSON)
    assert again is not None and again.state == {"draft": words}
    await reopened.close()


async def test_a_sender_who_never_agreed_keeps_no_key_once_their_updates_are_pruned(
    storage: Storage,
) -> None:
    await storage.residents.create("telegram:1", "nl")
    for number, sender in enumerate(("telegram:1", "telegram:2")):
        await storage.inbox.receive([Received("telegram", str(number), sender, "{}")])
    async with storage.db.transaction() as tx:
        await tx.execute(
            "UPDATE inbox SET status = 'answered', payload = NULL,"
            " received_at = '2020-01-01T00:00:00+00:00'"
        )
    assert await storage.inbox.prune() == 2
    assert await storage.keys.has("telegram:1"), "a resident keeps theirs"
    assert not await storage.keys.has("telegram:2")


@POSTGRESQL_ONLY
async def test_a_backup_made_before_forget_is_unreadable_after_it(
    storage: Storage, postgres_server: str, tmp_path: Path
) -> None:
    resident_id = await everything_said(storage)
    programs = server_programs()
    assert programs is not None
    backup = tmp_path / "backup.sql"
    dump = [str(programs / "pg_dump"), "--no-owner", "-f", str(backup), storage.url]
    await asyncio.to_thread(subprocess.run, dump, check=True)
    assert SECRET not in backup.read_bytes(), "the backup holds the words sealed"
    await storage.residents.forget(resident_id)

    server = postgres_server
    restored_url = with_database(server, "restored_backup")
    admin(server, "DROP DATABASE IF EXISTS restored_backup", "CREATE DATABASE restored_backup")
    restore = [str(programs / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-f", str(backup)]
    await asyncio.to_thread(
        subprocess.run, [*restore, restored_url], check=True, stdout=subprocess.DEVNULL
    )
    restored = await Storage.open(restored_url, storage.keys.path)
    try:
        [contribution] = await restored.contributions.by_resident(resident_id)
        assert contribution.text == "", "restored, and still unreadable"
        resident = await restored.residents.get(resident_id)
        assert resident is not None and resident.state == {}
    finally:
        await restored.close()
        admin(server, "DROP DATABASE restored_backup WITH (FORCE)")


async def test_processes_sharing_the_key_file_wait_for_each_other_and_never_fail(
    tmp_path: Path,
) -> None:
    # Two connections stand for two processes: while one reads many keys, the other makes one.
    first, second = [await Keys.open(tmp_path / "shared.keys.sqlite3") for _ in range(2)]
    everyone = [f"whatsapp:3164{number:07}" for number in range(600)]
    await first.ring(everyone, make=True)

    async def newcomers_and_reports(keys: Keys, side: int) -> None:
        for number in range(60):
            newcomer = f"telegram:{side}{number:05}"
            await asyncio.gather(
                keys.ring(everyone), keys.ring([newcomer], make=True), keys.ring(everyone)
            )
            assert await keys.has(newcomer)

    try:
        await asyncio.gather(newcomers_and_reports(first, 1), newcomers_and_reports(second, 2))
        assert len((await second.ring(everyone)).keys) == len(everyone)
    finally:
        await first.close()
        await second.close()
