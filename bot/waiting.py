"""Waiting that a stop cuts short: a rest, a nap until woken, back-off delays, and standing by
for a duty one process of a deployment holds."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, suppress


async def rest(stop: asyncio.Event, seconds: float) -> bool:
    """Wait `seconds` unless `stop` comes first; whether it came."""
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def nap(stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
    """Wait until `stop` or `wake` is set, or `seconds` have passed."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


def backoff(first: float, longest: float = 30.0) -> Iterator[float]:
    """Delays between tries: `first`, then twice the one before, never above `longest`."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, longest)


async def while_holding(
    duty: Callable[[], AbstractAsyncContextManager[bool]],
    work: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    look_every: float,
) -> None:
    """Run `work` until `stop` in the one process holding `duty`; the others stand by, looking
    every `look_every` seconds whether its holder died, to take over."""
    while not stop.is_set():
        async with duty() as mine:
            if mine:
                await work(stop)
                return
        await rest(stop, look_every)
