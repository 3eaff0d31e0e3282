"""The web server: Meta's webhook for WhatsApp, and /healthz.

aiohttp, because the tests already run fake servers with it and it serves async handlers with
nothing more: no ASGI server to configure, one dependency for serving and for the fakes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from aiohttp import web

log = logging.getLogger(__name__)


async def healthz(_request: web.Request) -> web.Response:
    """Alive: the process answers."""
    return web.Response(text="ok")


@asynccontextmanager
async def serving(
    host: str, port: int, routes: Iterable[web.RouteDef]
) -> AsyncIterator[web.AppRunner]:
    """Serve `routes` and /healthz on host:port until the block ends."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.add_routes([web.get("/healthz", healthz), *routes])
    runner = web.AppRunner(app, access_log=None)  # access lines would carry ids and tokens
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.info("web server listening on %s:%s", host, bound_port(runner) or port)
    try:
        yield runner
    finally:
        await runner.cleanup()


def bound_port(runner: web.AppRunner) -> int | None:
    """The port the server listens on (useful when it was asked for any free port)."""
    for site in runner.sites:
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        for sock in sockets:
            return int(sock.getsockname()[1])
    return None
