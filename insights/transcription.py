"""Voice notes written down by an OpenAI-compatible `/v1/audio/transcriptions` service.

whisper.cpp's server, faster-whisper-server and LocalAI speak it. A service that is down or slow
leaves the voice note as it was: a worker listens to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transcriber:
    """An OpenAI-compatible transcription service: `POST {url}/v1/audio/transcriptions`."""

    url: str
    key: str | None = None
    model: str = "whisper-1"
    timeout: float = 60.0

    async def transcribe(self, audio: bytes, mime_type: str) -> str | None:
        """What the voice note says (None when the service cannot say)."""
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        suffix = mime_type.split("/")[-1].split(";")[0] or "ogg"
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.post(
                    f"{self.url.rstrip('/')}/v1/audio/transcriptions",
                    files={"file": (f"voice.{suffix}", audio, mime_type)},
                    data={"model": self.model, "response_format": "json"},
                    headers=headers,
                )
                answer.raise_for_status()
                text = answer.json().get("text")
        except (httpx.HTTPError, ValueError) as error:
            log.warning("a voice note could not be transcribed: %s", type(error).__name__)
            return None
        return text.strip() if isinstance(text, str) and text.strip() else None
