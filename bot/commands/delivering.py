"""`wijkstem send`: queue the reminders that are due, send the whole outbox, then stop."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from bot.settings import Settings
from bot.wording import counted
from storage import Storage


async def send(settings: Settings) -> int:
    """Work the outbox until nothing is left to send or retry; print what was done."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.channels.telegram import CHANNEL, TelegramTransport
    from bot.sending import Pace, Sender
    from conversations.reminders import queue_reminders

    if settings.telegram_token is None:
        print("wijkstem: sending needs WIJKSTEM_TELEGRAM_TOKEN", file=sys.stderr)
        return 2
    bot = Bot(
        settings.telegram_token.get_secret_value(),
        base_url=settings.telegram_api_url,
        base_file_url=settings.file_url,
        request=HTTPXRequest(connection_pool_size=settings.send_per_second * 2),
    )
    storage = await Storage.open(settings.db)
    try:
        async with bot:
            await queue_reminders(storage, datetime.now(UTC), settings.reminder_time)
            pace = Pace(settings.send_per_second, settings.send_per_chat_interval)
            sender = Sender(storage.outbox, TelegramTransport(bot), CHANNEL, pace)
            tally = await sender.drain()
    finally:
        await storage.close()
    print(
        f"sent {tally.sent}, unreachable {tally.unreachable}, failed {tally.failed},"
        f" waited on Telegram {counted(tally.rate_limited, 'time')}, retried {tally.retried},"
        f" resent after a crash {tally.recovered}"
    )
    return 0
