"""The dispatcher: each person's updates in order, different people's side by side.

A person's updates are handled one after another (their conversation state is read, changed
and written by each), different people's at the same time. A database that cannot be written
just now (locked by another process, a full disk) keeps the update waiting: it is handled when
the fault clears, and the person is told once that the answer comes a little later. Replies
are retried on network errors and 5xx, wait out a 429, and when the platform stays away they
are kept with the update and sent when it answers again, unless a newer reply made them stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.sending import RateLimited, Rejected, Unreachable
from bot.waiting import backoff, nap, rest
from conversations.engine import Conversation
from conversations.messages import Inbound, Reply, decode_replies
from storage.database import StorageFault
from storage.inbox import Waiting

log = logging.getLogger(__name__)

# People whose updates are handled at the same moment; more wait for a place.
SIDE_BY_SIDE = 100
# How long a reply is retried before it is kept for later; kept ones are tried each quarter.
REPLY_PATIENCE = 120.0
FIRST_RETRY = 0.5
LONGEST_RETRY = 30.0
IDLE_POLL = 1.0
# How often ids of answered updates older than a week are forgotten.
PRUNE_EVERY = 3600.0
# After stop, how long updates in hand may take to finish.
GRACE = 10.0


@dataclass
class Incoming:
    """An inbound event with what its channel needs to answer it (such as the tapped message)."""

    event: Inbound
    context: object = None


class Inlet(Protocol):
    """What the dispatcher needs of a channel: read a stored update, and answer it."""

    name: str

    def decode(self, payload: str) -> Incoming | None:
        """The stored update as an inbound event (None: nothing to answer)."""

    async def acknowledge(self, incoming: Incoming) -> None:
        """Tell the platform the update is being handled (such as a tapped button)."""

    async def deliver(self, incoming: Incoming, reply: Reply) -> None:
        """Send one reply, or raise RateLimited, Unreachable, Rejected or any error to retry."""

    async def finish(self, incoming: Incoming) -> None:
        """After the last reply (such as taking the buttons off the tapped message)."""


class Dispatcher:
    """Works one channel's inbox: handles each update once and sends its replies."""

    def __init__(
        self,
        conversation: Conversation,
        inlet: Inlet,
        patience: float = REPLY_PATIENCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.conversation = conversation
        self.inbox = conversation.services.storage.inbox
        self.inlet = inlet
        self.patience = patience
        self.clock = clock
        self.wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._cursor = 0
        self._queues: dict[str, deque[Waiting]] = {}
        self._queued: set[int] = set()  # inbox ids in the queues, not yet done
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(SIDE_BY_SIDE)
        self._told_later: set[str] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Handle updates as they arrive until `stop`; then let those in hand finish."""
        self._stop = stop
        resend_every = self.patience / 4
        resent_at = self.clock() - resend_every  # kept replies go at once after a start
        pruned_at = self.clock()  # pruned as the database opened
        while not stop.is_set():
            try:
                await self._take_new()
                if self.clock() - resent_at >= resend_every:
                    resent_at = self.clock()
                    await self._take_unanswered()
                    await self._take_new(again=True)
                if self.clock() - pruned_at >= PRUNE_EVERY:
                    pruned_at = self.clock()
                    await self.inbox.prune()
            except StorageFault as fault:
                log.warning("the inbox cannot be read just now: %s", fault)
            self.wake.clear()
            await nap(stop, self.wake, IDLE_POLL)
        await self._settle()

    async def _settle(self) -> None:
        workers = list(self._workers.values())
        if not workers:
            return
        _done, late = await asyncio.wait(workers, timeout=GRACE)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def _take_new(self, again: bool = False) -> None:
        """Updates that arrived since the last look; `again`: every update still to handle,
        such as one another process held when it stopped (a claim sorts out who handles it)."""
        for row in await self.inbox.to_handle(self.inlet.name, 0 if again else self._cursor):
            self._cursor = max(self._cursor, row.id)
            if row.id not in self._queued:
                self._enqueue(row)

    async def _take_unanswered(self) -> None:
        """Replies kept when the platform was away: try again (only for people not in hand).
        A reply is kept once its process tried it for `patience`; younger ones may be on their
        way from another process."""
        kept = self.patience + self.patience / 4
        for row in await self.inbox.to_answer(self.inlet.name, kept):
            if row.sender not in self._workers:
                self._enqueue(row)

    def _enqueue(self, row: Waiting) -> None:
        self._queued.add(row.id)
        self._queues.setdefault(row.sender, deque()).append(row)
        if row.sender not in self._workers:
            self._workers[row.sender] = asyncio.create_task(self._work(row.sender))

    async def _work(self, sender: str) -> None:
        """Handle one person's updates in the order they came."""
        queue = self._queues[sender]
        try:
            while queue and not self._stop.is_set():
                row = queue[0]
                try:
                    async with self._slots:
                        await self._process(row)
                except Exception:  # a bug: drop this update, not the person's next ones
                    log.exception("update %s could not be processed and is dropped", row.id)
                    await self._answered(row.id)
                self._queued.discard(queue.popleft().id)
        finally:
            # No await since the loop's last look at the queue: nothing was added meanwhile.
            del self._queues[sender], self._workers[sender]

    async def _process(self, row: Waiting) -> None:
        incoming = self.inlet.decode(row.payload)
        if incoming is None:
            await self._answered(row.id)
            return
        replies = (
            decode_replies(row.replies)
            if row.replies is not None
            else await self._handle(row, incoming)
        )
        if replies is not None and await self._deliver(incoming, replies):
            await self._answered(row.id)

    async def _handle(self, row: Waiting, incoming: Incoming) -> list[Reply] | None:
        """The conversation's replies, once the database takes the turn (None: stopped, failed)."""
        await self.inlet.acknowledge(incoming)
        delays = backoff(FIRST_RETRY, LONGEST_RETRY)
        while True:
            try:
                replies = await self.conversation.handle(incoming.event, row.id)
            except StorageFault as fault:
                log.warning("update %s waits: the database cannot be written (%s)", row.id, fault)
                await self.reassure(incoming)
                if await rest(self._stop, next(delays)):
                    return None
                continue
            except Exception:
                log.exception("handling update %s failed", row.id)
                apology = self.conversation.apology(incoming.event.language_code)
                await self._deliver(incoming, [apology])
                await self._answered(row.id)
                return None
            self._told_later.discard(row.sender)
            return replies

    async def reassure(self, incoming: Incoming) -> None:
        """Tell a person once that their message is safe and the answer comes later."""
        sender = incoming.event.person
        if sender in self._told_later:
            return
        self._told_later.add(sender)
        later = self.conversation.later(incoming.event.language_code)
        try:
            await self.inlet.deliver(Incoming(incoming.event), later)
        except Exception as error:  # the platform may be away too; the answer still comes
            log.info("could not say that the answer comes later: %r", error)

    async def _deliver(self, incoming: Incoming, replies: list[Reply]) -> bool:
        """Send the replies in order, retrying; False when they are kept for later."""
        give_up_at = self.clock() + self.patience
        delays = backoff(FIRST_RETRY, LONGEST_RETRY)
        delay = next(delays)
        index = 0
        while index < len(replies):
            try:
                await self.inlet.deliver(incoming, replies[index])
            except Unreachable:
                log.info("a person blocked the bot; their replies are dropped")
                return True
            except Rejected as error:
                log.error("a reply was refused for good: %s", error)
            except Exception as error:
                wait = error.retry_after if isinstance(error, RateLimited) else delay
                if self.clock() + wait > give_up_at:
                    log.warning("replies kept to send later: %r", error)
                    return False
                log.warning("a reply could not be sent (%r); trying again in %s s", error, wait)
                if await rest(self._stop, wait):
                    return False
                if not isinstance(error, RateLimited):
                    delay = next(delays)
                continue
            index += 1
        await self.inlet.finish(incoming)
        return True

    async def _answered(self, inbox_id: int) -> None:
        """Mark the row answered; a database fault is waited out, or the stop leaves it."""
        for delay in backoff(FIRST_RETRY, LONGEST_RETRY):
            try:
                await self.inbox.answered(inbox_id)
                return
            except StorageFault as fault:
                log.warning("update %s cannot be marked answered yet: %s", inbox_id, fault)
                if await rest(self._stop, delay):
                    return
