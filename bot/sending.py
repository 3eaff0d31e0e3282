"""The sender: works the outbox at Telegram's pace, with retries, and survives a crash.

Batches: it claims one second's sending at a time (`per_second` rows, leased to it). A claimed
row's request starts within about that second; if a 429 pause holds the batch until half its
lease is gone, the rows not started go back to the queue. A message claimed before its resident
used /forget may still go: within about a second of the claim, longer during a pause.

Pace: sends start at least 1/`per_second` apart, and a send may only start a full second after
the send `per_second` places before it was answered. Telegram saw that earlier send before it
answered, so no window of one second at Telegram's end ever holds more than `per_second`, however
the network jitters. A chat gets a next message `per_chat_interval` after its last was answered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol

from bot.waiting import backoff, nap, rest, while_holding
from conversations.messages import Reply, decode_question
from storage.database import StorageFault
from storage.outbox import Due, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0
IDLE_POLL = 1.0
# How often a sender looks whether another process of the deployment was told to pause.
PAUSE_READ_EVERY = 1.0
CHATS_REMEMBERED = 10_000
# The write that notes what became of a sent row.
Note = Callable[[], Awaitable[None]]


class RateLimited(Exception):
    """The channel asked us to wait (Telegram's 429)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


class Unreachable(Exception):
    """The person blocked the bot or deleted their account (Telegram's 403)."""


class Rejected(Exception):
    """The channel refused this message for good (such as Telegram's 400)."""


class Postponed(Exception):
    """This message waits until `until` (such as WhatsApp's daily cap), nothing else does."""

    def __init__(self, until: str, why: str) -> None:
        super().__init__(why)
        self.until = until


class Teased(Exception):
    """The message cannot go as it is (WhatsApp's 24 hours): a template told the resident."""

    def __init__(self, message_id: str | None) -> None:
        super().__init__("waiting for the resident to answer a template")
        self.message_id = message_id


class Transport(Protocol):
    """Sends one message to one chat; raises the errors above, or any other to retry."""

    async def send(self, chat_id: str, reply: Reply, row: Due) -> str | None:
        """Send (the message id the channel gave it, if any), or raise."""


@dataclass(frozen=True)
class Pace:
    """Telegram's limits (per second overall, seconds between two to a chat); the first retry;
    how long a batch of messages being sent is leased to its sender."""

    per_second: int = 30
    per_chat_interval: float = 1.0
    first_retry: float = 2.0
    # A request starts within the first half of it and gets the other half; after a crash the
    # batch goes again once it ran out, and a standby looks this often whether the channel's
    # sender died.
    lease: float = 60.0


@dataclass
class Tally:
    """What a run of the sender did."""

    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    rate_limited: int = 0
    retried: int = 0
    recovered: int = 0


def _stamp(seconds_from_now: float = 0.0) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return moment.isoformat(timespec="microseconds")


class Sender:
    """Sends what the outbox holds for one channel."""

    def __init__(
        self,
        outbox: Outbox,
        transport: Transport,
        channel: str,
        pace: Pace = Pace(),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.outbox = outbox
        self.transport = transport
        self.channel = channel
        self.pace = pace
        self.clock = clock
        self.tally = Tally()
        self.wake = asyncio.Event()
        self._next_start = 0.0
        self._paused_until = 0.0
        self._pause_read_at = float("-inf")
        self._answered: deque[asyncio.Future[float]] = deque()
        self._turns = asyncio.Lock()
        self._replies_waiting = 0
        self._no_replies_waiting = asyncio.Event()
        self._no_replies_waiting.set()
        self._chat_free_at: dict[str, float] = {}
        self._in_flight: dict[int, asyncio.Task[None]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, as the one sender of the channel in the deployment; a
        standby looks once a lease whether the holder of that duty died."""
        duty = partial(self.outbox.sending_duty, self.channel)
        await while_holding(duty, self._send_until, stop, self.pace.lease)

    async def _send_until(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, waking when work is queued (`wake`) or falls due."""
        for pause in backoff(1.0):
            try:
                await self._recover()
                break
            except StorageFault as fault:  # another process holds the database: wait it out
                log.warning("the outbox cannot be read yet (%s); trying again", fault)
                if await rest(stop, pause):
                    return
        listening = asyncio.create_task(self._wake_on_news())
        try:
            while not stop.is_set():
                try:
                    if not await self._dispatch_due(stop):
                        await self._idle(stop)
                except StorageFault as fault:  # another process writing: the queue waits
                    log.warning("the outbox cannot be written just now (%s); trying again", fault)
                    await rest(stop, IDLE_POLL)
            await self._settle()
        finally:
            listening.cancel()
            with suppress(asyncio.CancelledError):
                await listening

    async def _wake_on_news(self) -> None:
        """Wake at once when another process queued something (or made it due)."""
        async for _news in self.outbox.news():
            self.wake.set()

    async def drain(self, longest_wait: float = MAX_BACKOFF) -> Tally:
        """Send until nothing is left to send or retry, then return what was done.

        A message due later than `longest_wait` from now (such as one held over to tomorrow by
        WhatsApp's daily cap) is left for the running bot; so is everything while a running bot
        holds the channel's sending duty.
        """
        async with self.outbox.sending_duty(self.channel) as mine:
            if not mine:
                log.warning("a running bot sends the %s outbox; nothing sent here", self.channel)
                return self.tally
            return await self._drain(longest_wait)

    async def _drain(self, longest_wait: float) -> Tally:
        await self._recover()
        while True:
            if await self._dispatch_due():
                continue
            if self._in_flight:
                await asyncio.wait(self._in_flight.values(), return_when=asyncio.FIRST_COMPLETED)
                continue
            next_due = await self.outbox.next_due_at(self.channel)
            if next_due is None or _seconds_until(next_due) > longest_wait:
                return self.tally
            await asyncio.sleep(_seconds_until(next_due))
            await self._recover()

    async def _recover(self) -> None:
        recovered = await self.outbox.recover(self.channel, _stamp())
        self.tally.recovered += recovered
        if recovered:
            log.warning(
                "%s messages were on their way when their sender stopped; sending them again",
                recovered,
            )

    async def _idle(self, stop: asyncio.Event) -> None:
        next_due = await self.outbox.next_due_at(self.channel)
        if next_due is not None and _seconds_until(next_due) == 0:
            # Nothing pending is due, so what ran out is a lease: its sender died mid-send.
            await self._recover()
            return
        timeout = IDLE_POLL if next_due is None else min(_seconds_until(next_due), IDLE_POLL)
        self.wake.clear()
        await nap(stop, self.wake, max(timeout, 0.01))

    async def _settle(self) -> None:
        if self._in_flight:
            await asyncio.wait(self._in_flight.values())

    async def _dispatch_due(self, stop: asyncio.Event | None = None) -> bool:
        """Claim a batch of one second's sending and start its requests; the rows not started
        when `stop` is set or half the batch's lease is gone go back. Whether any was claimed."""
        half_lease_gone_at = self.clock() + self.pace.lease / 2
        rows = await self.outbox.claim(
            self.channel, self.pace.per_second, _stamp(), _stamp(self.pace.lease)
        )
        for index, row in enumerate(rows):
            stopped = stop is not None and stop.is_set()
            if stopped or not await self._start(row, half_lease_gone_at):
                await self.outbox.release(rest.id for rest in rows[index:])
                break
        return bool(rows)

    async def _start(self, row: Due, half_lease_gone_at: float) -> bool:
        """Start a claimed row's request (or send the row back to wait for its busy chat);
        False if its turn came only after `half_lease_gone_at` (a 429 pause may hold it), as
        a request started then might still be on its way when the lease runs out."""
        free_at = self._chat_free_at.get(row.chat_id, 0.0)
        if free_at > self.clock():
            wait = min(free_at - self.clock(), self.pace.per_chat_interval)
            await self.outbox.release([row.id], _stamp(wait))
            return True
        self._chat_free_at[row.chat_id] = float("inf")  # until its answer comes
        await self._no_replies_waiting.wait()  # replies go first
        answered = await self._wait_for_turn()
        if self.clock() >= half_lease_gone_at:
            answered.set_result(self.clock())  # its place in the budget goes unused
            self._chat_free_at[row.chat_id] = 0.0
            return False
        task = asyncio.create_task(self._deliver(row, answered))
        self._in_flight[row.id] = task
        task.add_done_callback(partial(self._forget_task, row.id))
        return True

    def _forget_task(self, row_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(row_id, None)

    @asynccontextmanager
    async def turn(self, chat_id: str | None = None) -> AsyncIterator[None]:
        """A place in the same budget for a reply, before any queued broadcast; paced per chat."""
        if chat_id is not None:
            await self._wait_for_chat(chat_id)
            self._chat_free_at[chat_id] = float("inf")  # until its answer comes
        self._replies_waiting += 1
        self._no_replies_waiting.clear()
        try:
            answered = await self._wait_for_turn()
        except BaseException:
            if chat_id is not None:
                self._chat_free_at[chat_id] = 0.0  # nothing is on its way after all
            raise
        finally:
            self._replies_waiting -= 1
            if not self._replies_waiting:
                self._no_replies_waiting.set()
        try:
            yield
        finally:
            answered.set_result(self.clock())
            if chat_id is not None:
                self._chat_free_at[chat_id] = self.clock() + self.pace.per_chat_interval

    async def _wait_for_chat(self, chat_id: str) -> None:
        # inf: a message to this chat is on its way; look again after a while.
        free_at = self._chat_free_at.get(chat_id, 0.0)
        while free_at > self.clock():
            await asyncio.sleep(min(free_at - self.clock(), self.pace.per_chat_interval))
            free_at = self._chat_free_at.get(chat_id, 0.0)

    def pause(self, seconds: float) -> None:
        """The channel asked us to wait (a 429): no send of any kind starts before then."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    async def pause_everywhere(self, seconds: float) -> None:
        """Pause here, and every other process sending with this channel's token too."""
        self.pause(seconds)
        try:
            await self.outbox.pause_all(self.channel, _stamp(seconds))
        except StorageFault as fault:  # this process still pauses; the others find their 429
            log.warning("the pause could not be shared: %s", fault)

    async def shared_pause(self) -> None:
        """Take up a pause another process asked for (read at most once a second)."""
        if self.clock() - self._pause_read_at < PAUSE_READ_EVERY:
            return
        self._pause_read_at = self.clock()
        try:
            until = await self.outbox.paused_until(self.channel)
        except StorageFault:
            return
        if until is not None:
            self.pause(_seconds_until(until))

    def paused_for(self) -> float:
        """Seconds until sending may start again (0 when not paused)."""
        return max(self._paused_until - self.clock(), 0.0)

    async def _wait_for_turn(self) -> asyncio.Future[float]:
        """Wait for a place in the per-second budget (not during a 429 pause) and take it."""
        async with self._turns:
            await self.shared_pause()
            if len(self._answered) >= self.pace.per_second:
                answered_at = await self._answered.popleft()
                await self._sleep_until(answered_at + 1.0)
            # Spaced from the planned start, not the wake-up, so timer lateness does not add up.
            start = max(self._next_start, self._paused_until, self.clock())
            await self._sleep_until(start)
            self._next_start = start + 1.0 / self.pace.per_second
            answered: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            self._answered.append(answered)
            return answered

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self.clock()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _deliver(self, row: Due, answered: asyncio.Future[float]) -> None:
        """Send a claimed row, then note what became of it, waiting out a busy database: a row
        not noted goes again once its lease runs out."""
        note = await self._outcome(row, answered)
        gives_up_at = self.clock() + self.pace.lease / 2
        for pause in backoff(0.5, 5.0):
            try:
                await note()
                return
            except StorageFault as fault:
                if self.clock() + pause >= gives_up_at:
                    log.error("outbox row %s not noted (%s): it goes again", row.id, fault)
                    return
                log.warning("outbox row %s: waiting to note what became of it (%s)", row.id, fault)
                await asyncio.sleep(pause)

    async def _outcome(self, row: Due, answered: asyncio.Future[float]) -> Note:
        """Send the row; the write that notes what became of it."""
        try:
            message_id = await self._send(row, answered)
        except Postponed as postponed:
            log.info("outbox row %s waits until %s: %s", row.id, postponed.until, postponed)
            return partial(self.outbox.later, row.id, postponed.until, str(postponed))
        except Teased as teased:
            log.info("outbox row %s waits until the resident answers a template", row.id)
            return partial(self.outbox.teased, row.id, teased.message_id)
        except RateLimited as limited:
            await self.pause_everywhere(limited.retry_after)
            self.tally.rate_limited += 1
            log.warning("rate limited: pausing all sending for %s s", limited.retry_after)
            return partial(self.outbox.later, row.id, _stamp(limited.retry_after), str(limited))
        except Unreachable as error:
            self.tally.unreachable += 1
            log.info("outbox row %s: the resident blocked the bot", row.id)
            return partial(self.outbox.unreachable, row.id, str(error))
        except Rejected as error:
            self.tally.failed += 1
            log.error("outbox row %s refused for good: %s", row.id, error)
            return partial(self.outbox.failed, row.id, str(error))
        except Exception as error:  # network trouble: try again later
            return self._retry(row, error)
        self.tally.sent += 1
        return partial(self.outbox.sent, row.id, message_id)

    async def _send(self, row: Due, answered: asyncio.Future[float]) -> str | None:
        """One request; the moment its answer (or error) came frees its place in the budget."""
        try:
            async with asyncio.timeout(self.pace.lease / 2):  # answered well within the lease
                return await self.transport.send(row.chat_id, queued(row), row)
        finally:
            now = self.clock()
            answered.set_result(now)
            self._chat_free_at[row.chat_id] = now + self.pace.per_chat_interval
            if len(self._chat_free_at) > CHATS_REMEMBERED:
                self._chat_free_at = {c: t for c, t in self._chat_free_at.items() if t > now}

    def _retry(self, row: Due, error: Exception) -> Note:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            self.tally.failed += 1
            log.error("outbox row %s failed %s times, giving up: %r", row.id, attempts, error)
            return partial(self.outbox.failed, row.id, repr(error))
        backoff = min(self.pace.first_retry * 2.0 ** (attempts - 1), MAX_BACKOFF)
        self.tally.retried += 1
        log.warning("outbox row %s: %r; trying again in %s s", row.id, error, backoff)
        return partial(self.outbox.later, row.id, _stamp(backoff), repr(error))


def _seconds_until(stamp: str) -> float:
    return max((datetime.fromisoformat(stamp) - datetime.now(UTC)).total_seconds(), 0.0)


def queued(row: Due) -> Reply:
    """An outbox row as the reply it is, its question as the conversation made it."""
    return Reply(row.text, decode_question(row.question), lang=row.language)
