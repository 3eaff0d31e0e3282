"""What the fake servers share: waking tests on every change, and reading messages in order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

Message = TypeVar("Message")


class Changes:
    """Wakes waiters whenever a fake records something; usable from sync code."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Something changed: every waiter looks again."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], Any]) -> Any:
        """Return predicate()'s first truthy value, re-checked after every notify()."""
        while not (result := predicate()):
            await self._event.wait()
        return result


async def until(
    changes: Changes, predicate: Callable[[], Any], seconds: float, describe: Callable[[], str]
) -> Any:
    """predicate()'s first truthy value within `seconds`, else an AssertionError that says why."""
    try:
        async with asyncio.timeout(seconds):
            return await changes.wait_for(predicate)
    except TimeoutError:
        if result := predicate():
            return result
        name = getattr(predicate, "__qualname__", repr(predicate))
        raise AssertionError(f"{name} still false after {seconds}s\n{describe()}") from None


async def next_unread(
    changes: Changes,
    sent: dict[Any, list[Message]],
    cursors: dict[Any, int],
    key: Hashable,
    predicate: Callable[[Message], bool] | None,
    seconds: float,
    describe: Callable[[], str],
) -> Message:
    """The next message to `key` not read yet that matches `predicate`; read from then on."""

    def next_match() -> int:
        messages = sent.get(key, [])
        for index in range(cursors.get(key, 0), len(messages)):
            if predicate is None or predicate(messages[index]):
                return index + 1
        return 0

    try:
        async with asyncio.timeout(seconds):
            position = await changes.wait_for(next_match)
    except TimeoutError:
        position = next_match()
        if not position:
            name = getattr(predicate, "__qualname__", repr(predicate))
            matching = f" matching {name}" if predicate else ""
            raise AssertionError(
                f"no new bot message to {key}{matching} within {seconds}s\n{describe()}"
            ) from None
    cursors[key] = position
    return sent[key][position - 1]
