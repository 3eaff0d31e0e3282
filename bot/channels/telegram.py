"""The Telegram channel: python-telegram-bot updates in, conversation replies out."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.background import every_minute, remind_every_minute
from bot.logs import redact_secrets
from bot.sending import Pace, RateLimited, Rejected, Sender, Unreachable
from bot.settings import Settings
from conversations.commands import COMMANDS, TEAM_COMMANDS, WORKER_COMMANDS
from conversations.engine import Conversation
from conversations.messages import Inbound, Reply, parse_command
from locales import _, available_languages, use
from storage.outbox import ButtonRows

log = logging.getLogger(__name__)

# Time periods such as a 429's retry_after come as timedelta, the type PTB 22 moves to (PTB
# reads this when it builds the error; without it, it warns about the old int on every 429).
os.environ.setdefault("PTB_TIMEDELTA", "true")

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
UNSUPPORTED_ATTACHMENTS = (
    "sticker",
    "location",
    "venue",
    "contact",
    "document",
    "video",
    "video_note",
    "animation",
    "audio",
    "poll",
    "dice",
)


def to_inbound(update: Update) -> Inbound | None:
    """Turn an update from a private chat into an inbound event (None for anything else)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != chat.PRIVATE:
        return None
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "user_id": str(user.id),
        "language_code": user.language_code,
        "update_id": str(update.update_id),
    }
    if update.callback_query is not None:
        return Inbound(kind="choice", choice=update.callback_query.data or "", **common)
    message = update.message
    if message is None:
        return None
    common["message_id"] = str(message.message_id)
    if message.text and message.text.startswith("/"):
        command, arguments = parse_command(message.text)
        return Inbound(kind="command", command=command, text=arguments, **common)
    if message.text:
        return Inbound(kind="text", text=message.text, **common)
    if message.photo:
        photo = message.photo[-1].file_id
        return Inbound(kind="photo", text=message.caption or "", media_ref=photo, **common)
    if message.voice is not None:
        return Inbound(
            kind="voice", text=message.caption or "", media_ref=message.voice.file_id, **common
        )
    what = next(
        (name for name in UNSUPPORTED_ATTACHMENTS if getattr(message, name, None)), "other"
    )
    return Inbound(kind="unsupported", unsupported=what, **common)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut a long text into pieces Telegram accepts, at line breaks where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard."""
    return markup([[(b.label, b.data) for b in row] for row in reply.buttons])


def markup(rows: ButtonRows) -> InlineKeyboardMarkup | None:
    """Rows of (label, data) buttons as an inline keyboard (None without buttons)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _seconds(error: RetryAfter) -> float:
    retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


class TelegramTransport:
    """Sends outbox messages with python-telegram-bot, its errors turned into the sender's."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, text: str, buttons: ButtonRows) -> None:
        """Send one message, or raise RateLimited, Unreachable, Rejected or a network error."""
        try:
            await self.bot.send_message(int(chat_id), text, reply_markup=markup(buttons))
        except RetryAfter as error:
            raise RateLimited(_seconds(error)) from error
        except Forbidden as error:
            raise Unreachable(error.message) from error
        except BadRequest as error:
            raise Rejected(error.message) from error


class TelegramChannel:
    """Runs the conversation over Telegram long polling."""

    def __init__(self, settings: Settings, conversation: Conversation) -> None:
        assert settings.telegram_token is not None, "the Telegram channel needs a token"
        self.settings = settings
        self.conversation = conversation
        redact_secrets([settings.telegram_token.get_secret_value()])
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .base_file_url(settings.file_url)
            .build()
        )
        self.sender = Sender(
            conversation.services.storage.outbox,
            TelegramTransport(self.application.bot),
            CHANNEL,
            Pace(settings.send_per_second, settings.send_per_chat_interval),
        )
        self._stopping = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []
        self.application.add_handler(TypeHandler(Update, self.on_update))
        self.application.add_error_handler(self.on_error)

    async def start(self) -> None:
        """Connect, publish the command menu in every language, and start polling."""
        try:
            await self.application.initialize()
        except Exception:
            # A refused token leaves the HTTP clients open; close them before giving up.
            await self.application.bot.shutdown()
            raise
        await self.publish_commands()
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES
        )
        await self.application.start()
        storage = self.conversation.services.storage
        self._background = [
            asyncio.create_task(self.sender.run(self._stopping)),
            asyncio.create_task(
                remind_every_minute(storage, self.settings.reminder_time, self._stopping)
            ),
            asyncio.create_task(every_minute(self.sync_menus, "syncing menus", self._stopping)),
        ]
        log.info("Telegram channel started as @%s", self.application.bot.username)

    async def stop(self) -> None:
        """Stop polling, sending and reminding; finish the updates and sends in hand."""
        self._stopping.set()
        await asyncio.gather(*self._background)
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def run_until(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set."""
        try:
            await self.start()
            await stop.wait()
        finally:
            await self.stop()

    async def publish_commands(self) -> None:
        """Set the command menu for every language; workers' chats also list their commands."""
        bot = self.application.bot
        for lang in available_languages():
            with use(lang):
                commands = [BotCommand(c.name, _(c.description)) for c in COMMANDS]
            await bot.set_my_commands(commands, language_code=lang)
            if lang == self.settings.default_language:
                await bot.set_my_commands(commands)
        for user_id, role in self.settings.roles.items():
            try:
                await bot.set_my_commands(self.menu(role), scope=BotCommandScopeChat(int(user_id)))
            except BadRequest as error:  # a worker who never opened the chat yet
                log.info("a worker's menu waits until they open the chat: %s", error)

    def menu(self, role: str) -> list[BotCommand]:
        """The command menu of a worker or team member."""
        extra = WORKER_COMMANDS + (TEAM_COMMANDS if role == "team" else ())
        with use(self.settings.default_language):
            return [BotCommand(c.name, _(c.description)) for c in COMMANDS + extra]

    async def sync_menus(self) -> None:
        """Give a role's menu to who holds it (by code too), and take it from who lost it."""
        residents = self.conversation.services.storage.residents
        for user_id, role in await residents.stale_menus(CHANNEL, self.settings.roles):
            scope = BotCommandScopeChat(int(user_id))
            try:
                if role is None:
                    await self.application.bot.delete_my_commands(scope=scope)
                else:
                    await self.application.bot.set_my_commands(self.menu(role), scope=scope)
            except BadRequest as error:
                log.info("a chat's menu could not be changed: %s", error)
                continue
            await residents.menu_shown(CHANNEL, user_id, role)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand an update to the conversation and send what it answers."""
        event = to_inbound(update)
        if event is None:
            log.info("ignored update %s (not a private message or button)", update.update_id)
            return
        query = update.callback_query
        if query is not None:
            await query.answer()
        replies = await self.conversation.handle(event)
        self.sender.wake.set()  # a worker may just have queued invitations
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        await self.deliver(int(event.user_id), replies, pressed)

    async def deliver(self, chat_id: int, replies: list[Reply], pressed: Message | None) -> None:
        """Send replies; the first `replace` reply edits the message whose button was tapped.

        Each new message takes its turn in the sender's budget, so replies and invitations
        together stay within Telegram's limit.
        """
        bot = self.application.bot
        for reply in replies:
            markup = keyboard(reply)
            if reply.attachment is not None:
                send = bot.send_photo if reply.attachment.kind == "photo" else bot.send_voice
                async with self.sender.turn():
                    await send(chat_id, reply.attachment.ref)
            if reply.replace and pressed is not None:
                try:
                    await pressed.edit_text(reply.text, reply_markup=markup)
                    pressed = None
                    continue
                except BadRequest as error:
                    log.info("could not edit a message: %s", error)
            pieces = split_text(reply.text)
            for number, piece in enumerate(pieces, start=1):
                async with self.sender.turn():
                    await bot.send_message(
                        chat_id, piece, reply_markup=markup if number == len(pieces) else None
                    )
            for document in reply.documents:
                async with self.sender.turn():
                    await bot.send_document(chat_id, document.content, filename=document.filename)
        if pressed is not None and pressed.reply_markup is not None:
            # The tapped question is answered: take its buttons away so they are not tapped twice.
            try:
                await pressed.edit_reply_markup(reply_markup=None)
            except BadRequest as error:
                log.info("could not clear the buttons of a message: %s", error)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what broke, and tell the resident something went wrong on our side."""
        log.error("error while handling an update", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        apology = self.conversation.apology(user.language_code if user else None)
        try:
            await self.application.bot.send_message(update.effective_chat.id, apology.text)
        except Forbidden:
            log.info("a resident blocked the bot before the apology")
