"""The outbox on several senders: each row sent once, none missed."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

from storage import Storage
from storage.database import now
from storage.outbox import Outgoing, queue

FAR_AHEAD = "9999-12-31T00:00:00+00:00"


async def queued(storage: Storage, residents: int, events: int) -> list[int]:
    """`residents` × `events` invitations queued on Telegram; their row ids."""
    async with storage.db.transaction() as tx:
        people = [
            await tx.inserted_id(
                "INSERT INTO residents (channel, person, language, consented_at, created_at)"
                " VALUES ('telegram', ?, 'nl', ?, ?)",
                (f"telegram:{number}", now(), now()),
            )
            for number in range(residents)
        ]
        for _ in range(events):
            event = await tx.inserted_id(
                "INSERT INTO events (kind, status, created_at) VALUES ('event', 'sent', ?)",
                (now(),),
            )
            await queue(tx, event, "invitation", [Outgoing(p, "Welkom") for p in people])
    rows = await storage.db.fetch_all("SELECT id FROM outbox ORDER BY id")
    return [row[0] for row in rows]


async def send_all(storage: Storage) -> list[int]:
    """What one sender sends: batches of 30 due rows it claimed, until none is left."""
    sent = []
    while rows := await storage.outbox.claim("telegram", 30, FAR_AHEAD, FAR_AHEAD):
        for row in rows:
            sent.append(row.id)
            await storage.outbox.sent(row.id, "m")
    return sent


async def test_four_senders_on_20000_rows_send_none_twice_and_miss_none(
    postgres_url: str,
) -> None:
    senders = [await Storage.open(postgres_url) for _ in range(4)]
    ids = await queued(senders[0], residents=100, events=200)
    assert len(ids) == 20_000
    done = await asyncio.gather(*(send_all(sender) for sender in senders))
    everything = [row_id for sent in done for row_id in sent]
    assert sorted(everything) == ids, "each row sent exactly once"
    assert all(sent for sent in done), "every sender took a share"
    for sender in senders:
        await sender.close()


async def test_a_batch_is_the_oldest_due_rows_in_order_and_leased_to_one_sender(
    storage: Storage,
) -> None:
    ids = await queued(storage, residents=5, events=1)
    first = await storage.outbox.claim("telegram", 3, FAR_AHEAD, FAR_AHEAD)
    assert [row.id for row in first] == ids[:3]
    assert [row.chat_id for row in first] == ["0", "1", "2"]
    assert (first[0].text, first[0].attempts, first[0].language) == ("Welkom", 0, "nl")
    other_sender = await Storage.open(storage.url)
    second = await other_sender.outbox.claim("telegram", 3, FAR_AHEAD, FAR_AHEAD)
    assert [row.id for row in second] == ids[3:], "what one holds, the other does not get"
    assert await other_sender.outbox.claim("telegram", 3, FAR_AHEAD, FAR_AHEAD) == []
    await other_sender.close()


async def test_a_row_not_yet_due_or_to_an_unreachable_resident_is_not_claimed(
    storage: Storage,
) -> None:
    later, blocked, due = await queued(storage, residents=3, events=1)
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE outbox SET due_at = ? WHERE id = ?", (FAR_AHEAD, later))
        await tx.execute(
            "UPDATE residents SET unreachable_at = ? WHERE id ="
            " (SELECT resident_id FROM outbox WHERE id = ?)",
            (now(), blocked),
        )
    claimed = await storage.outbox.claim("telegram", 10, now(), FAR_AHEAD)
    assert [row.id for row in claimed] == [due]
    assert await storage.outbox.claim("whatsapp", 10, FAR_AHEAD, FAR_AHEAD) == []


async def test_a_released_row_goes_again_with_its_attempts_unchanged(storage: Storage) -> None:
    busy_chat, stopped = await queued(storage, residents=2, events=1)
    await storage.outbox.claim("telegram", 10, FAR_AHEAD, FAR_AHEAD)
    in_a_minute = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    await storage.outbox.release([busy_chat], in_a_minute)
    await storage.outbox.release([stopped])
    assert [row.id for row in await storage.outbox.claim("telegram", 10, now(), FAR_AHEAD)] == [
        stopped
    ], "the row put back as it was is due at once; the other waits for its chat"
    [again] = await storage.outbox.claim("telegram", 10, FAR_AHEAD, FAR_AHEAD)
    assert (again.id, again.attempts) == (busy_chat, 0), "a release is no attempt"
    assert await storage.outbox.next_due_at("telegram") == FAR_AHEAD, "leased, not pending"


async def test_only_a_row_whose_lease_ran_out_is_taken_back(storage: Storage) -> None:
    stalled, live = await queued(storage, residents=2, events=1)
    [lost] = await storage.outbox.claim("telegram", 1, FAR_AHEAD, "2026-12-07T10:00:10+00:00")
    [held] = await storage.outbox.claim("telegram", 1, FAR_AHEAD, "2026-12-07T10:01:00+00:00")
    assert (lost.id, held.id) == (stalled, live)
    assert await storage.outbox.claim("telegram", 10, FAR_AHEAD, FAR_AHEAD) == [], "taken once"
    assert await storage.outbox.recover("telegram", "2026-12-07T10:00:30+00:00") == 1
    again = await storage.outbox.claim("telegram", 10, FAR_AHEAD, FAR_AHEAD)
    assert [(row.id, row.attempts) for row in again] == [(stalled, 1)], (
        "the live sender's row stays with it; the lost attempt counts"
    )
    assert await storage.outbox.recover("telegram", "2026-12-07T10:01:00+00:00") == 1


async def listening(storage: Storage) -> int:
    """How many sessions listen for queued rows (the server shows a session's last statement)."""
    row = await storage.db.fetch_one(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %outbox%'"
    )
    return row[0] if row else 0


async def test_a_process_hears_when_another_queues_a_message(postgres_url: str) -> None:
    sender, worker = await Storage.open(postgres_url), await Storage.open(postgres_url)
    async with aclosing(sender.outbox.news()) as news:
        heard = asyncio.ensure_future(anext(news))
        for _look in range(600):  # until its LISTEN is in place, at most half a minute
            if await listening(worker):
                break
            await asyncio.sleep(0.05)
        assert not heard.done(), "nothing was queued yet"
        await queued(worker, residents=1, events=1)
        await asyncio.wait_for(heard, 30)
    await sender.close()
    await worker.close()
