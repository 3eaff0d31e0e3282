"""Fixtures for the outside world: a fake Bot API server and settings pointing at it."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import pytest

from bot.settings import Settings, load_settings
from tests.fakes.botapi import FakeBotApi

TOKEN = "123456:TEST-token-never-logged"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Telegram Bot API server on 127.0.0.1."""
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def env(api: FakeBotApi, database_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment a deployment would set, pointing the bot at the fake server."""
    values = {
        "WIJKSTEM_TELEGRAM_TOKEN": TOKEN,
        "WIJKSTEM_TELEGRAM_API_URL": api.base_url,
        "WIJKSTEM_DATABASE_URL": database_url,
        "WIJKSTEM_WORKERS": "900",
        "WIJKSTEM_TEAM": "901",
        # The fake enforces no pace unless a test gives it limits; those tests set 1 s.
        "WIJKSTEM_SEND_PER_CHAT_INTERVAL": "0.1",
        # A message interrupted by a kill goes again after this; a standby looks this often.
        "WIJKSTEM_SENDING_LEASE": "3",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    """Settings read from that environment, as the bot reads them."""
    return load_settings()


async def start(command: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`wijkstem COMMAND` in a process of its own, pointed at the fake server."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        command,
        # langdetect: the bot starts faster than with lingua, which changes nothing here
        env={**os.environ, **env, "WIJKSTEM_LANGUAGE_DETECTOR": "langdetect"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
