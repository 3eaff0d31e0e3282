"""The outbox on several senders: each row sent once, none missed."""

from __future__ import annotations

import asyncio

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
    """What one sender sends: due rows it could claim, until none is left."""
    sent = []
    while rows := await storage.outbox.due("telegram", 100, FAR_AHEAD):
        for row in rows:
            if await storage.outbox.sending(row.id):
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
