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


class OneLineFormatter(logging.Formatter):
    """Writes each message on one line: a newline in user input cannot forge another entry."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record).translate(CONTROL_ESCAPES)


# Line breaks and other control characters, shown escaped.
CONTROL_ESCAPES = {
    code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, 0x85, 0x2028, 0x2029] if code != 9
} | {ord("\n"): "\\n", ord("\r"): "\\r"}
# Libraries that log whole requests and updates (texts, names, chat ids) below INFO.
CHATTY_LIBRARIES = ("telegram", "httpcore", "aiosqlite", "asyncio", "hpack")


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at `level`, one line an entry, secrets redacted, no personal data."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    redact_secrets(secrets)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
    # httpx logs every request URL at INFO; nobody needs that in the bot's log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
