"""A fake LibreTranslate-compatible server on 127.0.0.1: `POST /translate`, as the real one.

It answers "[nl] words" for words and target nl, records every request, and can be made to be
down (HTTP 500) or slow (answers after `delay` seconds, for the client's timeout).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.web import bound_port


class FakeTranslate:
    """Use as ``async with FakeTranslate() as fake`` and point the bot at ``fake.url``."""

    def __init__(self, key: str | None = None) -> None:
        self.key = key
        self.requests: list[dict[str, Any]] = []
        self.down = False
        self.delay = 0.0
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> FakeTranslate:
        app = web.Application()
        app.router.add_post("/translate", self._translate)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{bound_port(self._runner)}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _translate(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.down:
            return web.json_response({"error": "down"}, status=500)
        if self.key is not None and body.get("api_key") != self.key:
            return web.json_response({"error": "Invalid API key"}, status=403)
        if not body.get("q") or not body.get("target"):
            return web.json_response({"error": "Invalid request"}, status=400)
        return web.json_response(
            {
                "translatedText": f"[{body['target']}] {body['q']}",
                "detectedLanguage": {"confidence": 90, "language": body.get("source", "auto")},
            }
        )
