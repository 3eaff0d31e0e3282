"""Our own processes' web ports: one free to serve on, and waiting until a process answers."""

from __future__ import annotations

import asyncio
import socket

import aiohttp


def free_port() -> int:
    """A port nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthy(port: int, seconds: float = 60) -> None:
    """Wait (`seconds` at most) until a process answers on its web port."""
    async with aiohttp.ClientSession() as session, asyncio.timeout(seconds):
        while True:
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                    if health.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.2)
