"""The inbox: each update once, kept until answered, and then without its words."""

from __future__ import annotations

import asyncio

import pytest

from storage import Storage
from storage.inbox import Received


def update(number: int, sender: str = "telegram:7", channel: str = "telegram") -> Received:
    return Received(channel, str(number), sender, f'{{"text": "words {number}"}}')


async def test_an_update_is_received_once_per_channel(storage: Storage) -> None:
    assert await storage.inbox.receive([update(5), update(6)]) == 2
    assert await storage.inbox.receive([update(5)]) == 0, "a redelivered update is left out"
    assert await storage.inbox.receive([update(5, channel="whatsapp")]) == 1
    waiting = await storage.inbox.to_handle("telegram")
    assert [row.payload for row in waiting] == ['{"text": "words 5"}', '{"text": "words 6"}']


async def test_an_answered_update_keeps_no_words_and_is_still_recognised(
    storage: Storage,
) -> None:
    await storage.inbox.receive([update(1)])
    [row] = await storage.inbox.to_handle("telegram")
    async with storage.db.turn():
        await storage.inbox.handled(row.id, '[{"text": "thanks"}]')
    assert await storage.inbox.to_handle("telegram") == []
    [unsent] = await storage.inbox.to_answer("telegram", 0)
    assert unsent.replies == '[{"text": "thanks"}]'
    await storage.inbox.answered(row.id)
    assert await storage.inbox.to_answer("telegram", 0) == []
    stored = await storage.db.fetch_all("SELECT payload, replies FROM inbox")
    assert [tuple(r) for r in stored] == [(None, None)]
    assert await storage.inbox.receive([update(1)]) == 0


async def test_a_reply_handled_moments_ago_is_left_to_the_process_sending_it(
    storage: Storage,
) -> None:
    await storage.inbox.receive([update(1)])
    [row] = await storage.inbox.to_handle("telegram")
    await storage.inbox.handled(row.id, '["thanks"]')
    assert await storage.inbox.to_answer("telegram", 60) == [], "on its way from its process"
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE inbox SET handled_at = '2026-01-01T00:00:00+00:00'")
    [kept] = await storage.inbox.to_answer("telegram", 60)
    assert kept.replies == '["thanks"]', "kept long enough ago: any process sends it"


async def test_a_newer_reply_makes_older_unsent_ones_stale(storage: Storage) -> None:
    await storage.inbox.receive([update(1), update(2), update(3, sender="telegram:8")])
    rows = await storage.inbox.to_handle("telegram")
    for row in rows:
        await storage.inbox.handled(row.id, f'["reply {row.id}"]')
    newest = await storage.inbox.to_answer("telegram", 0)
    assert [(r.sender, r.replies) for r in newest] == [
        ("telegram:7", f'["reply {rows[1].id}"]'),
        ("telegram:8", f'["reply {rows[2].id}"]'),
    ], "only the newest unsent reply of each person is sent again"
    await storage.inbox.answered(rows[1].id)
    assert [r.sender for r in await storage.inbox.to_answer("telegram", 0)] == ["telegram:8"]


async def test_old_answered_ids_are_pruned(storage: Storage) -> None:
    async with storage.db.transaction() as tx:
        await tx.execute(
            "INSERT INTO inbox (channel, update_id, sender, status, received_at)"
            " VALUES ('telegram', '1', '7', 'answered', '2020-01-01T00:00:00+00:00')"
        )
    await storage.inbox.receive([update(2)])
    assert await storage.inbox.prune(keep_days=7) == 1
    assert await storage.inbox.receive([update(1)]) == 1
    assert await storage.inbox.receive([update(2)]) == 0


async def test_forget_erases_replies_still_waiting_to_go_out(storage: Storage) -> None:
    resident = await storage.residents.create("telegram:7", "en")
    await storage.inbox.receive([update(1)])
    [row] = await storage.inbox.to_handle("telegram")
    await storage.inbox.handled(row.id, '["You wrote: words 1"]')
    await storage.residents.forget(resident.id)
    assert await storage.inbox.to_answer("telegram", 0) == []
    stored = await storage.db.fetch_all("SELECT payload, replies, status FROM inbox")
    assert [tuple(r) for r in stored] == [(None, None, "answered")]


async def test_an_update_is_claimed_once_and_an_older_one_of_its_sender_first(
    storage: Storage,
) -> None:
    await storage.inbox.receive([update(1), update(2), update(3, sender="telegram:8")])
    first, second, other = await storage.inbox.to_handle("telegram")
    async with storage.db.turn():
        assert not await storage.inbox.claim(second.id), "the sender's older update goes first"
        assert await storage.inbox.claim(other.id)
    async with storage.db.turn():
        assert await storage.inbox.claim(first.id)
        await storage.inbox.handled(first.id, "[]")
    async with storage.db.turn():
        assert not await storage.inbox.claim(first.id), "handled already"
        assert await storage.inbox.claim(second.id)


async def _someone_waits_for_a_lock(storage: Storage) -> None:
    """Until the server shows a lock asked for and not granted (it tells nobody: looked at)."""
    async with asyncio.timeout(10):
        while True:
            row = await storage.db.fetch_one("SELECT COUNT(*) FROM pg_locks WHERE NOT granted")
            if row is not None and row[0] > 0:
                return
            await asyncio.sleep(0.01)


async def _two_processes(url: str) -> tuple[Storage, Storage]:
    return await Storage.open(url), await Storage.open(url)


async def test_of_two_processes_one_handles_an_update_and_a_crash_hands_it_over(
    postgres_url: str,
) -> None:
    one, two = await _two_processes(postgres_url)
    await one.inbox.receive([update(1)])
    [row] = await one.inbox.to_handle("telegram")
    with pytest.raises(RuntimeError):
        async with one.db.turn():
            assert await one.inbox.claim(row.id)
            async with two.db.turn():
                assert not await two.inbox.claim(row.id), "held by the other process"
            raise RuntimeError("the process dies mid-turn")
    async with two.db.turn():
        assert await two.inbox.claim(row.id), "the crash left it to be handled again"
        await two.inbox.handled(row.id, "[]")
    async with one.db.turn():
        assert not await one.inbox.claim(row.id)
    await one.close()
    await two.close()


async def test_two_updates_of_one_person_never_interleave_across_processes(
    postgres_url: str,
) -> None:
    one, two = await _two_processes(postgres_url)
    await one.inbox.receive([update(1), update(2)])
    first, second = await one.inbox.to_handle("telegram")
    order: list[str] = []
    first_claimed = asyncio.Event()
    let_go = asyncio.Event()

    async def handle_first() -> None:
        async with one.db.turn():
            assert await one.inbox.claim(first.id)
            first_claimed.set()
            await let_go.wait()
            order.append("first")
            await one.inbox.handled(first.id, "[]")

    async def handle_second() -> None:
        await first_claimed.wait()
        async with two.db.turn():
            claimed = await two.inbox.claim(second.id)
            order.append(f"second claimed={claimed}")

    tasks = [asyncio.create_task(handle_first()), asyncio.create_task(handle_second())]
    await _someone_waits_for_a_lock(one)
    let_go.set()
    await asyncio.gather(*tasks)
    assert order == ["first", "second claimed=True"]
    await one.close()
    await two.close()
