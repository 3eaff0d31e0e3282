"""Shared fixtures: a real SQLite file with migrations applied, and the real insights."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from conversations.engine import Conversation
from conversations.turn import Services
from insights.analysis import Analyser
from insights.language import LanguageDetector, make_detector
from insights.pillars import PillarTagger
from storage import Storage
from tests.conversations.dialogue import Chat


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """The default language detector, loaded once (it is the slow part)."""
    return make_detector("lingua")


@pytest.fixture(scope="session")
def tagger() -> PillarTagger:
    """The pillar tagger over the shipped lexicons."""
    return PillarTagger.load()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database file lives."""
    return tmp_path / "wijkstem.sqlite3"


@pytest.fixture
async def storage(db_path: Path) -> AsyncIterator[Storage]:
    """A freshly migrated database in a temporary file."""
    opened = await Storage.open(db_path)
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
