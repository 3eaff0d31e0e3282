"""Machine translation through a LibreTranslate-compatible HTTP API, for the team's reading.

Only anonymised words are sent. A service that is down or slow never fails a report: after its
first failure nothing more is asked, the quotes show untranslated, and the caller counts them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Translator:
    """A LibreTranslate-compatible service: `POST {url}/translate`."""

    url: str
    key: str | None = None
    timeout: float = 10.0

    async def translate(
        self, texts: Sequence[tuple[str, str | None]], target: str
    ) -> list[str | None]:
        """Each (text, source language) in `target`; None where the service could not say."""
        found: list[str | None] = []
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            for text, source in texts:
                translated = await self._one(client, text, source, target)
                found.append(translated)
                if translated is None:  # down or slow: the rest stay untranslated
                    return found + [None] * (len(texts) - len(found))
        return found

    async def _one(
        self, client: httpx.AsyncClient, text: str, source: str | None, target: str
    ) -> str | None:
        body = {"q": text, "source": source or "auto", "target": target, "format": "text"}
        if self.key:
            body["api_key"] = self.key
        try:
            answer = await client.post(f"{self.url.rstrip('/')}/translate", json=body)
            answer.raise_for_status()
            translated = answer.json().get("translatedText")
        except (httpx.HTTPError, ValueError) as error:
            log.warning("quotes could not be translated: %s", type(error).__name__)
            return None
        return translated if isinstance(translated, str) and translated else None
