"""`wijkstem send`: queue the reminders that are due, send the whole outbox, then stop."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from bot.sending import Tally
from bot.settings import Settings
from bot.wording import counted
from storage import Storage


async def send(settings: Settings) -> int:
    """Work every channel's outbox until nothing is left to send or retry; print what was done."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.channels.telegram import CHANNEL, TelegramTransport
    from bot.sending import Sender
    from conversations.reminders import queue_reminders

    if settings.telegram_token is None and not settings.whatsapp:
        print(
            "wijkstem: sending needs WIJKSTEM_TELEGRAM_TOKEN or the WIJKSTEM_WHATSAPP_ settings",
            file=sys.stderr,
        )
        return 2
    storage = await Storage.open(settings.database, settings.keys)
    try:
        await queue_reminders(storage, datetime.now(UTC), settings.reminder_time)
        tallies: list[tuple[str, Tally]] = []
        if settings.telegram_token is not None:
            bot = Bot(
                settings.telegram_token.get_secret_value(),
                base_url=settings.telegram_api_url,
                base_file_url=settings.file_url,
                request=HTTPXRequest(connection_pool_size=settings.send_per_second * 2),
            )
            async with bot:
                pace = settings.telegram_pace
                sender = Sender(storage.outbox, TelegramTransport(bot), CHANNEL, pace)
                tallies.append(("Telegram", await sender.drain()))
        if settings.whatsapp:
            tallies.append(("WhatsApp", await _send_whatsapp(settings, storage)))
    finally:
        await storage.close()
    for name, tally in tallies:
        print(
            f"{name}: sent {tally.sent}, unreachable {tally.unreachable}, failed {tally.failed},"
            f" waited on {name} {counted(tally.rate_limited, 'time')}, retried {tally.retried},"
            f" resent after a crash {tally.recovered}"
        )
    return 0


async def _send_whatsapp(settings: Settings, storage: Storage) -> Tally:
    """WhatsApp's share of the outbox, as the running bot sends it."""
    from bot.channels.whatsapp_sending import WhatsAppTransport, connect
    from bot.channels.whatsapp_templates import Templates
    from bot.channels.whatsapp_updates import CHANNEL as WHATSAPP
    from bot.sending import Sender

    client, session = connect(settings)
    try:
        templates = Templates.read(settings.whatsapp_templates)
        transport = WhatsAppTransport(client, storage, templates, settings.whatsapp_daily_cap)
        return await Sender(storage.outbox, transport, WHATSAPP, settings.whatsapp_pace).drain()
    finally:
        await session.aclose()
