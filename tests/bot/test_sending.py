"""The outbox sender against the fake Bot API: pace, 429, 403, retries, and a kill -9 mid-run."""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels.telegram import CHANNEL, TelegramTransport
from bot.sending import Pace, Sender
from storage import Storage
from storage.outbox import Outgoing
from storage.residents import Audience, Resident
from tests.backends import POSTGRESQL_ONLY, SQLITE_FILE_ONLY
from tests.bot.conftest import TOKEN, start
from tests.fakes.botapi import FakeBotApi, FakeUser, SendLimits

FIRST_USER = 70_000
QUICK = Pace(per_second=30, per_chat_interval=1.0, first_retry=0.05)


async def residents(storage: Storage, count: int) -> list[Resident]:
    """Residents on Telegram who want invitations, users FIRST_USER, FIRST_USER + 1, …"""
    made = []
    for number in range(count):
        resident = await storage.residents.create(f"{CHANNEL}:{FIRST_USER + number}", "nl")
        resident.invitations = True
        await storage.residents.save(resident)
        made.append(resident)
    return made


async def queue(storage: Storage, people: list[Resident], purpose: str = "invitation") -> int:
    """An announcement to each of `people`; the event id."""
    event = await storage.events.create("announcement", people[0].id)
    messages = [Outgoing(r.id, f"Bericht {r.account}") for r in people]
    await storage.events.send(event, purpose, messages, "worker")
    return event.id


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """python-telegram-bot's Bot pointed at the fake server."""
    async with Bot(TOKEN, base_url=api.base_url) as started:
        yield started


def known(api: FakeBotApi, people: list[Resident]) -> None:
    """Make the fake server know each resident's chat, as Telegram knows who started the bot."""
    for resident in people:
        api.user(int(resident.account), "Resident", language_code=resident.language)


async def invited(api: FakeBotApi, storage: Storage, count: int) -> list[Resident]:
    """`count` residents known to the fake server, an announcement queued for each."""
    people = await residents(storage, count)
    known(api, people)
    await queue(storage, people)
    return people


def sender(storage: Storage, bot: Bot, pace: Pace = QUICK) -> Sender:
    return Sender(storage.outbox, TelegramTransport(bot), CHANNEL, pace)


def received(api: FakeBotApi, people: list[Resident]) -> list[int]:
    """How many messages each resident got, in order."""
    return [len(api.messages(int(r.account))) for r in people]


async def statuses(storage: Storage) -> dict[str, int]:
    rows = await storage.db.fetch_all("SELECT status, COUNT(*) FROM outbox GROUP BY status")
    return {row[0]: row[1] for row in rows}


async def test_every_queued_message_arrives_once_and_is_marked_sent(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await invited(api, storage, 12)
    tally = await sender(storage, bot).drain()
    assert received(api, people) == [1] * 12
    assert api.messages(FIRST_USER)[0].text == f"Bericht {FIRST_USER}"
    assert (tally.sent, await statuses(storage)) == (12, {"sent": 12})
    assert (await sender(storage, bot).drain()).sent == 0, "a second run sends nothing again"


async def test_a_resident_who_blocked_the_bot_is_marked_and_skipped_from_then_on(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await residents(storage, 3)
    known(api, people)
    api.block(int(people[1].account))
    await queue(storage, people)
    tally = await sender(storage, bot).drain()
    assert (tally.sent, tally.unreachable) == (2, 1)
    blocked = await storage.residents.get(people[1].id)
    assert blocked is not None and blocked.unreachable_at is not None
    assert [r.id for r in await storage.residents.audience(Audience())] == [
        people[0].id,
        people[2].id,
    ]
    await storage.events.notify(
        (await queue(storage, [people[0]])), "linked", [Outgoing(people[1].id, "Later")]
    )
    await sender(storage, bot).drain()
    assert api.calls_to("sendMessage")[-1].params["chat_id"] != int(people[1].account)
    assert received(api, people) == [2, 0, 1]


async def test_a_429_pauses_sending_for_retry_after_then_delivers_once(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await invited(api, storage, 4)
    api.fail_next("sendMessage", 429, retry_after=1)
    tally = await sender(storage, bot).drain()
    assert tally.rate_limited == 1
    assert received(api, people) == [1, 1, 1, 1]
    assert await statuses(storage) == {"sent": 4}


async def test_a_429_met_by_one_process_pauses_the_others_sending_with_that_token(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    await invited(api, storage, 1)
    api.fail_next("sendMessage", 429, retry_after=30)
    tally = await sender(storage, bot).drain(longest_wait=0)
    assert tally.rate_limited == 1
    other_process = await storage.another()
    other = sender(other_process, bot)
    assert other.paused_for() == 0
    await other.shared_pause()
    assert 25 < other.paused_for() <= 30
    await other_process.close()


async def test_while_one_process_sends_a_channel_another_sends_nothing_of_it(
    api: FakeBotApi, bot: Bot, postgres_url: str
) -> None:
    running, other_process = await Storage.open(postgres_url), await Storage.open(postgres_url)
    people = await invited(api, running, 2)
    async with running.outbox.sending_duty(CHANNEL) as held:
        assert held
        tally = await sender(other_process, bot).drain()
        assert (tally.sent, received(api, people)) == (0, [0, 0])
    tally = await sender(other_process, bot).drain()  # the running one stopped: its turn now
    assert (tally.sent, received(api, people)) == (2, [1, 1])
    await running.close()
    await other_process.close()


async def test_network_errors_are_retried_and_a_refused_message_is_not(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await residents(storage, 2)
    known(api, people)
    await queue(storage, people[:1])
    api.fail_next("sendMessage", 502, times=2)
    tally = await sender(storage, bot).drain()
    assert (tally.retried, tally.sent, received(api, people[:1])) == (2, 1, [1])

    await queue(storage, people[1:])
    api.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    tally = await sender(storage, bot).drain()
    assert (tally.failed, tally.retried, received(api, people[1:])) == (1, 0, [0])
    assert await statuses(storage) == {"sent": 1, "failed": 1}


async def test_the_pace_keeps_within_telegrams_limits(storage: Storage) -> None:
    # This fake refuses an 11th message within a second, and a second one to a chat within 1 s.
    limits = SendLimits(per_second=10, per_chat_interval=1.0)
    people = await residents(storage, 24)
    event_id = await queue(storage, people)
    await storage.events.notify(
        event_id, "linked", [Outgoing(r.id, "Nog een bericht") for r in people[:4]]
    )
    async with (
        FakeBotApi(limits=limits) as limited,
        Bot(TOKEN, base_url=limited.base_url) as bot,
    ):
        known(limited, people)
        tally = await sender(storage, bot, Pace(per_second=10, first_retry=0.05)).drain()
    assert limited.flood_refusals == 0 and tally.rate_limited == 0
    assert received(limited, people) == [2] * 4 + [1] * 20


async def test_a_sender_stopped_mid_batch_leaves_the_rest_to_go_at_once_next_time(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await invited(api, storage, 10)
    batch_of_ten = Pace(per_second=10, first_retry=0.05, lease=60.0)
    stop = asyncio.Event()
    running = asyncio.create_task(sender(storage, bot, batch_of_ten).run(stop))
    await api.wait_until(lambda: sum(received(api, people)) >= 1)
    stop.set()
    await running
    first_run = sum(received(api, people))
    assert 1 <= first_run < 10, "stopped within the first batch"
    left = await storage.db.fetch_all("SELECT status, attempts FROM outbox WHERE status != 'sent'")
    assert [tuple(row) for row in left] == [("pending", 0)] * (10 - first_run)
    tally = await sender(storage, bot, batch_of_ten).drain(longest_wait=0)
    assert (tally.sent, tally.recovered) == (10 - first_run, 0), "no lease to wait for"
    assert received(api, people) == [1] * 10


async def test_a_batch_held_by_a_pause_past_half_its_lease_goes_under_a_fresh_one(
    storage: Storage,
) -> None:
    lease = 4.0
    people = await residents(storage, 5)
    await queue(storage, people)
    paused_until = datetime.now(UTC) + timedelta(seconds=lease * 3 / 4)
    await storage.outbox.pause_all(CHANNEL, paused_until.isoformat())
    async with (
        FakeBotApi(clock=time.time) as api,  # arrivals as wall-clock seconds, like leases
        Bot(TOKEN, base_url=api.base_url) as bot,
    ):
        known(api, people)
        pace = Pace(per_second=5, first_retry=0.05, lease=lease)
        tally = await sender(storage, bot, pace).drain()
    assert (tally.sent, received(api, people)) == (5, [1] * 5)
    assert min(api.send_times) >= paused_until.timestamp()
    rows = await storage.db.fetch_all("SELECT lease_until, attempts FROM outbox")
    leased_until = min(datetime.fromisoformat(row[0]).timestamp() for row in rows)
    # A request starts in the first half of its lease: it ends, or times out, within it.
    assert max(api.send_times) < leased_until - lease / 2 + 0.5
    assert {row[1] for row in rows} == {1}, "a batch given back is no attempt"


async def crash_while_sending(
    api: FakeBotApi, storage: Storage, env: dict[str, str], command: str, count: int, sent: int
) -> list[Resident]:
    """Queue an invitation to `count` residents; kill -9 `wijkstem COMMAND` after `sent`."""
    people = await invited(api, storage, count)
    api.hold_sends_after(sent)  # every send after these waits on the wire, untaken
    process = await start(command, env)
    await asyncio.wait_for(api.wait_for_held(), 60)
    process.send_signal(signal.SIGKILL)
    assert await process.wait() == -signal.SIGKILL
    api.release_held()
    got = received(api, people)
    assert sum(got) == sent and set(got) == {0, 1}, f"killed with {sent} sent"
    return people


async def test_killed_mid_run_and_restarted_every_resident_gets_it_exactly_once(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await crash_while_sending(api, storage, env, "send", count=40, sent=15)
    second = await start("send", env)
    out, err = await asyncio.wait_for(second.communicate(), 120)
    assert second.returncode == 0, err.decode()
    assert received(api, people) == [1] * 40, "nobody skipped, nobody twice"
    resent = re.search(r"resent after a crash (\d+)", out.decode())
    assert "sent 25" in out.decode() and resent and int(resent[1]) >= 1, out.decode()
    assert await statuses(storage) == {"sent": 40}
    assert TOKEN not in err.decode(), "the token never reaches the logs"


async def test_the_bot_killed_mid_broadcast_sends_the_rest_once_after_a_restart(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await crash_while_sending(api, storage, env, "run", count=30, sent=10)
    restarted = await start("run", env)
    await api.wait_until(lambda: sum(received(api, people)) == 30, timeout=60)
    restarted.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(restarted.communicate(), 30)
    assert restarted.returncode == 0, err.decode()
    assert received(api, people) == [1] * 30
    assert await statuses(storage) == {"sent": 30}
    assert TOKEN not in err.decode()


@POSTGRESQL_ONLY
async def test_the_sender_killed_mid_broadcast_is_taken_over_by_a_standby_process(
    api: FakeBotApi, storage: Storage, env: dict[str, str]
) -> None:
    people = await residents(storage, 30)
    known(api, people)
    holder = await start("run", env)
    try:
        await api.wait_until(lambda: api.waiting_polls == 1, timeout=60)  # it holds the duty
        standby = await start("run", env)
        try:
            await api.wait_until(lambda: api.waiting_polls == 2, timeout=60)  # both are up
            # Queued only now: the holder dies with messages on the wire, well within a lease.
            api.hold_sends_after(10)
            await queue(storage, people)
            await asyncio.wait_for(api.wait_for_held(), 60)
            holder.send_signal(signal.SIGKILL)
            assert await holder.wait() == -signal.SIGKILL
            assert api.release_held() >= 1
            await api.wait_until(lambda: sum(received(api, people)) == 30, timeout=60)
            standby.send_signal(signal.SIGTERM)
            _out, err = await asyncio.wait_for(standby.communicate(), 30)
        finally:
            if standby.returncode is None:
                standby.kill()
                await standby.wait()
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
    assert standby.returncode == 0, err.decode()
    assert received(api, people) == [1] * 30, "the standby sent the rest, nobody twice"
    assert await statuses(storage) == {"sent": 30}
    assert "on their way when their sender stopped" in err.decode()


async def test_replies_go_before_the_invitations_still_queued(
    api: FakeBotApi, bot: Bot, storage: Storage
) -> None:
    people = await invited(api, storage, 20)
    chatting = [api.user(FIRST_USER + 100 + n, "Resident", "nl") for n in range(4)]
    busy = sender(storage, bot, Pace(per_second=4, per_chat_interval=1.0, first_retry=0.05))
    stop = asyncio.Event()
    running = asyncio.create_task(busy.run(stop))
    await api.wait_until(lambda: sum(received(api, people)) >= 2)

    async def reply(user: FakeUser) -> None:
        async with busy.turn(str(user.id)):
            await bot.send_message(user.id, "Your answer")

    invited_before = sum(received(api, people))
    await asyncio.gather(*(reply(user) for user in chatting))
    invited_meanwhile = sum(received(api, people)) - invited_before
    await api.wait_until(lambda: sum(received(api, people)) == 20, timeout=30)
    stop.set()
    await running
    assert invited_meanwhile <= 1, "four replies took the next places in the budget"


@SQLITE_FILE_ONLY
async def test_a_message_sent_while_another_process_writes_is_noted_once_it_is_done(
    api: FakeBotApi, bot: Bot, storage: Storage, db_path: Path
) -> None:
    people = await invited(api, storage, 1)
    api.latency = 1.0
    draining = asyncio.create_task(sender(storage, bot).drain())
    await api.wait_until(lambda: api.delayed_sends == 1)
    other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    # Another process writing while the message is on its way (taken in a thread, as the
    # sender may be in the middle of a transaction of its own just now).
    await asyncio.to_thread(other.execute, "BEGIN IMMEDIATE")
    try:
        await asyncio.sleep(8)  # longer than the database waits for a lock
    finally:
        other.execute("COMMIT")
        other.close()
    tally = await draining
    assert received(api, people) == [1]
    assert (tally.sent, await statuses(storage)) == (1, {"sent": 1}), "noted, not sent again"
