"""Nothing lost: the bot in a process of its own, killed, refused or locked out."""

from __future__ import annotations

import asyncio
import resource
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.channels.telegram import CHANNEL
from storage import Storage
from tests.backends import SQLITE_FILE_ONLY
from tests.bot.conftest import TOKEN, start
from tests.fakes.botapi import FakeBotApi, FakeUser, SentMessage

FIRST_USER = 80_000
DRAFT_QUESTION = "Shall I pass this on?"
SAFE_WITH_US = "your message is safe with us"


async def residents(api: FakeBotApi, storage: Storage, count: int) -> list[FakeUser]:
    """Residents who agreed already and wait at the menu, known to the fake server."""
    users = []
    for number in range(count):
        user = api.user(FIRST_USER + number, "Resident", language_code="en")
        await storage.residents.create(f"{CHANNEL}:{user.id}", "en")
        users.append(user)
    return users


def asked(api: FakeBotApi, user: FakeUser, words: str = DRAFT_QUESTION) -> list[SentMessage]:
    """The bot's messages to `user` that contain `words`."""
    return [m for m in api.messages(user) if words in (m.text or "")]


async def draft_of(storage: Storage, user: FakeUser) -> str:
    """The words a resident has typed so far, as the bot keeps them."""
    resident = await storage.residents.find(f"{CHANNEL}:{user.id}")
    assert resident is not None
    return str(resident.state.get("text", ""))


async def unanswered(storage: Storage) -> int:
    """Inbox rows whose update is not handled or whose replies did not go out."""
    row = await storage.db.fetch_one("SELECT COUNT(*) FROM inbox WHERE status != 'answered'")
    assert row is not None
    return int(row[0])


async def until_answered(storage: Storage, total: int) -> None:
    """Wait (two minutes at most) until the inbox holds `total` updates, each one answered."""
    async with asyncio.timeout(120):
        while True:
            row = await storage.db.fetch_one("SELECT COUNT(*) FROM inbox")
            if row is not None and row[0] == total and await unanswered(storage) == 0:
                return
            await asyncio.sleep(0.2)


async def stop(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, and the log once it stopped cleanly."""
    process.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    log = err.decode()
    assert process.returncode == 0, log
    assert TOKEN not in log
    return log


async def polling(env: dict[str, str], api: FakeBotApi) -> asyncio.subprocess.Process:
    """`wijkstem run` in its own process, once it waits for updates."""
    process = await start("run", env)
    await api.wait_until(lambda: api.waiting_polls > 0, timeout=60)
    return process


async def sent_during_a_fault(api: FakeBotApi, people: list[FakeUser], words: str) -> None:
    """Each resident sends `words`; each is told it is safe with us, and nothing is answered."""
    for user in people:
        api.send_text(user, words)
    await api.wait_until(lambda: all(asked(api, user, SAFE_WITH_US) for user in people), 60)
    assert not any(asked(api, user) for user in people), "nothing handled during the fault"


async def answered_once_after_it(
    api: FakeBotApi,
    storage: Storage,
    process: asyncio.subprocess.Process,
    people: list[FakeUser],
    words: str,
) -> None:
    """Once the fault cleared: each resident answered once, told once, and `words` kept."""
    await api.wait_until(lambda: all(asked(api, user) for user in people), timeout=60)
    await stop(process)
    for user in people:
        assert len(asked(api, user, SAFE_WITH_US)) == 1, "told once that the answer comes later"
        assert len(asked(api, user)) == 1
        assert await draft_of(storage, user) == words


async def test_killed_with_a_backlog_every_update_is_handled_once_and_in_order(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await residents(api, storage, 50)
    lines = [f"line {n}" for n in range(1, 21)]
    for line in lines:
        for user in people:
            api.send_text(user, line)
    process = await start("run", env)
    replies = lambda: sum(len(asked(api, user)) for user in people)  # noqa: E731
    await api.wait_until(lambda: replies() >= 300, timeout=120)
    process.send_signal(signal.SIGKILL)
    assert await process.wait() == -signal.SIGKILL
    assert replies() < 1000, "killed with a backlog"

    restarted = await start("run", env)
    await until_answered(storage, 1000)
    await stop(restarted)
    for user in people:
        assert await draft_of(storage, user) == "\n".join(lines), "each line once, in order"
        # Each update was answered; a reply cut off by the kill may be stale by then.
        assert DRAFT_QUESTION in (api.messages(user)[-1].text or ""), "answered at the end"


async def test_replies_refused_with_502_then_429_arrive_once_afterwards(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await residents(api, storage, 10)
    process = await polling(env, api)
    api.fail_next("sendMessage", status=502, times=40)
    api.fail_next("sendMessage", status=429, retry_after=2, times=10)
    for user in people:
        api.send_text(user, f"The lift is broken again, says {user.id}")
    await api.wait_until(lambda: all(asked(api, user) for user in people), timeout=120)
    await stop(process)
    refused = [c for c in api.calls_to("sendMessage") if not c.ok]
    assert len(refused) == 50, "the platform refused 40 times with 502 and 10 with 429"
    assert [len(asked(api, user)) for user in people] == [1] * 10


async def test_a_429_met_by_a_reply_pauses_every_process_sending_with_that_token(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await residents(api, storage, 1)
    process = await polling(env, api)
    api.fail_next("sendMessage", status=429, retry_after=30)
    api.send_text(people[0], "The lift is broken again")
    await api.wait_until(lambda: api.calls_to("sendMessage"), timeout=60)
    for _look in range(600):  # the pause is written right after the refusal
        until = await storage.outbox.paused_until(CHANNEL)
        if until is not None:
            break
        await asyncio.sleep(0.05)
    assert until is not None, "the pause is shared through the database"
    left = (datetime.fromisoformat(until) - datetime.now(UTC)).total_seconds()
    assert 20 < left <= 30, "another process waits as long as Telegram asked"
    await stop(process)


@SQLITE_FILE_ONLY
async def test_a_write_lock_held_for_15_seconds_loses_nothing(
    api: FakeBotApi, storage: Storage, env: dict[str, str], db_path: Path
) -> None:
    people = await residents(api, storage, 5)
    process = await polling(env, api)
    words = "Rats near the containers behind our flat"
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing, for 15 s
    loop = asyncio.get_running_loop()
    locked_until = loop.time() + 15
    try:
        await sent_during_a_fault(api, people, words)
        await asyncio.sleep(max(locked_until - loop.time(), 0))
    finally:
        other.execute("COMMIT")
        other.close()
    await answered_once_after_it(api, storage, process, people, words)


@SQLITE_FILE_ONLY
async def test_a_full_disk_loses_nothing(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await residents(api, storage, 5)
    process = await polling(env, api)
    words = "The heating in our flat is broken"
    _soft, hard = resource.prlimit(process.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (0, hard))  # no byte more fits
    try:
        await sent_during_a_fault(api, people, words)
    finally:
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (hard, hard))
    await answered_once_after_it(api, storage, process, people, words)
