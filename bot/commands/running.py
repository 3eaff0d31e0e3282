"""`wijkstem run` and `wijkstem chat`: the bot on Telegram, or in this terminal."""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.services import open_conversation
from bot.settings import Settings
from storage import Storage


async def run_channels(settings: Settings) -> int:
    """Serve every channel the settings name (Telegram, WhatsApp, both) until SIGINT or SIGTERM."""
    from telegram.error import InvalidToken, NetworkError

    from bot.application import Channel, run_until
    from bot.web import serving

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_conversation(settings) as conversation:
        channels: list[Channel] = []
        routes = []
        if settings.telegram_token is not None:
            from bot.channels.telegram import TelegramChannel

            telegram = TelegramChannel(settings, conversation)
            channels.append(telegram)
            routes += telegram.routes()
        if settings.whatsapp:
            from bot.channels.whatsapp import WhatsAppChannel

            whatsapp = WhatsAppChannel(settings, conversation)
            channels.append(whatsapp)
            routes += whatsapp.routes()
        try:
            if routes:  # one web server for every channel that takes webhooks
                async with serving(settings.web_host, settings.web_port, routes):
                    await run_until(settings, conversation, channels, stop)
            else:
                await run_until(settings, conversation, channels, stop)
        except InvalidToken:
            print(
                "wijkstem: setting WIJKSTEM_TELEGRAM_TOKEN was refused by Telegram",
                file=sys.stderr,
            )
            return 2
        except NetworkError as error:
            print(
                f"wijkstem: cannot reach the Bot API at {settings.telegram_api_url}: {error}",
                file=sys.stderr,
            )
            return 1
    return 0


async def check(settings: Settings) -> int:
    """Open (and migrate) the database: the container's healthcheck."""
    storage = await Storage.open(settings.database, settings.keys)
    print(f"ok: {storage.location} at schema {storage.db.schema_version}")
    await storage.close()
    return 0


async def run_console(settings: Settings) -> int:
    """Chat in this terminal on the configured database."""
    from bot.channels.console import ConsoleChannel

    async with open_conversation(settings) as conversation:
        await ConsoleChannel(conversation, sys.stdin, sys.stdout).run()
    return 0
