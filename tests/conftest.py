"""Shared fixtures: a real database on each backend (a SQLite file, a throwaway PostgreSQL
server), migrations applied, and the real insights."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conversations.engine import Conversation
from conversations.turn import Services
from insights.analysis import Analyser
from insights.language import LanguageDetector, make_detector
from insights.pillars import PillarTagger
from storage import Storage
from tests.backends import (
    BACKENDS,
    TEMPLATE,
    admin,
    key_file,
    migrate,
    throwaway_server,
    with_database,
)
from tests.conversations.dialogue import Chat

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The default language detector, loaded once (it is the slow part)."""
    return make_detector()


@pytest.fixture(scope="session")
def tagger() -> PillarTagger:
    """The pillar tagger over the shipped lexicons."""
    return PillarTagger.load()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database file lives."""
    return tmp_path / "wijkstem.sqlite3"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the session, with a template database migrated once."""
    with throwaway_server() as url:
        admin(url, f"CREATE DATABASE {TEMPLATE}")
        # In a thread of its own: the fixture may be first asked for inside a running loop.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, migrate(with_database(url, TEMPLATE))).result()
        yield url
    key_file(TEMPLATE).unlink(missing_ok=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A PostgreSQL database of the test's own, copied from the migrated template."""
    name = f"wijkstem_test_{next(_numbers)}"
    admin(postgres_server, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield with_database(postgres_server, name)
    admin(postgres_server, f"DROP DATABASE {name} WITH (FORCE)")
    key_file(name).unlink(missing_ok=True)  # its people's keys, kept beside it in var/


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The test's database on each backend in turn (a test about the SQLite file itself
    parametrizes this with "sqlite" alone)."""
    if request.param == "sqlite":
        return f"sqlite:///{db_path}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[Storage]:
    """A freshly migrated database on the backend under test."""
    opened = await Storage.open(database_url)
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
def analyser(tagger: PillarTagger, detector: LanguageDetector) -> Analyser:
    """Language detection and lexicon tagging, without a trained model."""
    return Analyser(detector, tagger, "nl")


@pytest.fixture
def services(storage: Storage, analyser: Analyser) -> Services:
    """The services a conversation uses, with one worker and one team member."""
    return Services(
        storage=storage,
        analyser=analyser,
        neighbourhoods=("pottenberg", "nazareth"),
        default_language="nl",
        roles={"test:900": "worker", "test:901": "team"},
    )


@pytest.fixture
def conversation(services: Services) -> Conversation:
    """The conversation under test."""
    return Conversation(services)


@pytest.fixture
def chat(conversation: Conversation) -> Chat:
    """An English-speaking resident talking to the bot through the fake channel."""
    return Chat(conversation, user_id="101", language_code="en")
