"""Each person's key, kept apart from the database, so that `/forget` can destroy their words.

A person's words, media and conversation state are sealed (AES-256-GCM) with a key of their own
before they reach the database. `/forget` deletes the key first: whatever copies of the sealed
words a database keeps (deleted rows not yet vacuumed, its write-ahead log, its backups) can
no longer be read. The keys live in a small SQLite file of their own with `secure_delete`, so a
deleted key is overwritten in that file; it is never in the database or its backups.

Keys are looked up each time, never cached: a process must not seal a returning person's new
words with a key another process has just destroyed.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.database import DatabaseUnavailable, StorageFault, now, placeholders

log = logging.getLogger(__name__)

# Sealed text starts with this; text without it was written before sealing began.
SEALED = "sealed:1:"
# Sealed bytes start with this.
SEALED_BYTES = b"WJS1"
NONCE = 12
SCHEMA = """CREATE TABLE IF NOT EXISTS keys (
    id TEXT PRIMARY KEY,
    key BLOB NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID"""
# A busy key file (another process writing a key) is waited for this long, in milliseconds.
BUSY_TIMEOUT = 30_000


def key_id(person: str) -> str:
    """The name a person's key is filed under: no account number in the key file."""
    return hashlib.sha256(f"wijkstem key\n{person}".encode()).hexdigest()


def is_sealed(stored: str) -> bool:
    """Whether stored text is sealed (else it is from before sealing, or empty)."""
    return stored.startswith(SEALED)


@asynccontextmanager
async def _faults_named() -> AsyncIterator[None]:
    """The key file busy (another process writing), full or failing, as a StorageFault."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise StorageFault(f"the key file: {error}") from error


@dataclass(frozen=True)
class KeyRing:
    """The keys of some people, to seal and open their words with."""

    keys: dict[str, bytes]

    def _cipher(self, person: str) -> AESGCM | None:
        key = self.keys.get(key_id(person))
        return None if key is None else AESGCM(key)

    def seal(self, person: str, text: str) -> str:
        """`text` sealed with the person's key (empty text stays empty)."""
        if not text:
            return text
        nonce = os.urandom(NONCE)
        sealed = AESGCM(self.keys[key_id(person)]).encrypt(nonce, text.encode(), None)
        return SEALED + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, person: str, stored: str | None) -> str:
        """The words stored sealed for a person; empty when their key was destroyed."""
        if stored is None or not is_sealed(stored):
            return stored or ""
        key = self._cipher(person)
        if key is None:
            return ""
        try:
            raw = base64.urlsafe_b64decode(stored.removeprefix(SEALED))
            return key.decrypt(raw[:NONCE], raw[NONCE:], None).decode()
        except (binascii.Error, InvalidTag, ValueError):
            log.warning("sealed words could not be opened with their key")
            return ""

    def fingerprint(self, person: str, text: str) -> str:
        """What words were, to know them again, unreadable once the person's key is gone."""
        key = self.keys.get(key_id(person), b"")
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    def seal_bytes(self, person: str, content: bytes) -> bytes:
        """A file sealed with the person's key."""
        nonce = os.urandom(NONCE)
        return (
            SEALED_BYTES + nonce + AESGCM(self.keys[key_id(person)]).encrypt(nonce, content, None)
        )

    def unseal_bytes(self, person: str, stored: bytes) -> bytes | None:
        """A file stored sealed for a person; None when their key was destroyed."""
        if not stored.startswith(SEALED_BYTES):
            return stored
        key = self._cipher(person)
        raw = stored.removeprefix(SEALED_BYTES)
        try:
            return None if key is None else key.decrypt(raw[:NONCE], raw[NONCE:], None)
        except InvalidTag:
            log.warning("a sealed file could not be opened with its key")
            return None


class Keys:
    """The key file: a key made for a person when their first words are kept, destroyed when
    they ask to be forgotten."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._writing = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Keys:
        """Open the key file (made when missing)."""
        keys = cls(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            keys._connection = await aiosqlite.connect(path, isolation_level=None)
            # Overwrite a destroyed key in the file; wait for another process's write; a key
            # that was made is on disk before the words sealed with it are.
            for pragma in (
                "secure_delete = ON",
                f"busy_timeout = {BUSY_TIMEOUT}",
                "synchronous = FULL",
            ):
                await keys._db.execute(f"PRAGMA {pragma}")
            await keys._db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            await keys.close()
            raise DatabaseUnavailable(f"cannot open the key file {path}: {error}") from None
        return keys

    @property
    def _db(self) -> aiosqlite.Connection:
        assert self._connection is not None, "the key file is open"
        return self._connection

    async def ring(self, people: Iterable[str], make: bool = False) -> KeyRing:
        """The keys of these people (`make`: making the missing ones, to seal with)."""
        ids = {key_id(person) for person in people}
        found = await self._read(ids)
        missing = sorted(ids - found.keys())
        if make and missing:
            await self._write(
                "INSERT INTO keys (id, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(made, AESGCM.generate_key(256), now()) for made in missing],
            )
            found.update(await self._read(missing))  # another process may have made one first
        return KeyRing(found)

    async def _read(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The keys filed under these ids, of those there are."""
        found: dict[str, bytes] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sql = f"SELECT id, key FROM keys WHERE id IN ({placeholders(len(chunk))})"
            found.update({row[0]: bytes(row[1]) for row in await self._fetch_all(sql, chunk)})
        return found

    async def _fetch_all(self, sql: str, params: Iterable[object]) -> Iterable[sqlite3.Row]:
        """A query's rows read at once: a read left open between awaits would hold the file's
        shared lock while a write of this process waits for another's, which SQLite refuses
        at once as a deadlock rather than wait."""
        async with _faults_named():
            return await self._db.execute_fetchall(sql, tuple(params))

    async def seal(self, person: str, text: str) -> str:
        """`text` sealed with the person's key, made if they had none."""
        if not text:
            return text
        return (await self.ring([person], make=True)).seal(person, text)

    async def unseal(self, person: str, stored: str | None) -> str:
        """The words stored sealed for a person."""
        if stored is None or not is_sealed(stored):
            return stored or ""
        return (await self.ring([person])).unseal(person, stored)

    async def has(self, person: str) -> bool:
        """Whether the person has a key."""
        return bool(await self._fetch_all("SELECT 1 FROM keys WHERE id = ?", [key_id(person)]))

    async def destroy(self, people: Iterable[str]) -> int:
        """Destroy these people's keys: what was sealed with them is unreadable for good."""
        ids = [key_id(person) for person in people]
        if not ids:
            return 0
        return await self._write("DELETE FROM keys WHERE id = ?", [(found,) for found in ids])

    async def _write(self, sql: str, rows: list[tuple[object, ...]]) -> int:
        """One statement for each row, in one transaction of the key file; rows changed."""
        async with self._writing, _faults_named():
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = await self._db.executemany(sql, rows)
            except BaseException:
                if self._db.in_transaction:  # SQLite ends it itself on a full disk
                    await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
            return cursor.rowcount

    async def close(self) -> None:
        """Close the key file."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
