"""Logging set-up: one format, quiet HTTP libraries, and secrets never written out."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[redacted]"


class _RedactingFactory:
    """Wraps the log record factory so every record, for every handler, is redacted at birth."""

    def __init__(self, wrapped: logging._LogRecordFactory) -> None:  # type: ignore[name-defined]
        self.wrapped = wrapped
        self.secrets: set[str] = set()

    def __call__(self, *args: object, **kwargs: object) -> logging.LogRecord:
        record = self.wrapped(*args, **kwargs)
        if not self.secrets:
            return record
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return record

    def redact(self, text: str) -> str:
        """The text with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def redact_secrets(secrets: Iterable[str]) -> None:
    """Make sure these secrets (such as the bot token, part of every Bot API URL) never appear."""
    factory = logging.getLogRecordFactory()
    if not isinstance(factory, _RedactingFactory):
        factory = _RedactingFactory(factory)
        logging.setLogRecordFactory(factory)
    factory.secrets.update(secret for secret in secrets if secret)


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level`, with every secret redacted."""
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    redact_secrets(secrets)
    # httpx logs every request URL at INFO; nobody needs that in the bot's log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
