"""A fake OpenAI-compatible transcription server on 127.0.0.1: `/v1/audio/transcriptions`.

It answers the words registered for an audio file's bytes (as whisper.cpp's server would hear
them), records what it was sent, and can be made to be down.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.web import bound_port


class FakeTranscribe:
    """Use as ``async with FakeTranscribe() as fake``; ``fake.hears[audio] = "words"``."""

    def __init__(self) -> None:
        self.hears: dict[bytes, str] = {}
        self.requests: list[dict[str, Any]] = []
        self.down = False
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeTranscribe:
        app = web.Application()
        app.router.add_post("/v1/audio/transcriptions", self._transcribe)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{bound_port(self._runner)}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _transcribe(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField) or not form.get("model"):
            return web.json_response({"error": {"message": "file and model needed"}}, status=400)
        audio = upload.file.read()
        self.requests.append({"model": form.get("model"), "type": upload.content_type})
        if self.down:
            return web.json_response({"error": {"message": "down"}}, status=503)
        return web.json_response({"text": self.hears.get(audio, "")})
