"""The Telegram channel: python-telegram-bot updates in, conversation replies out."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.background import every_minute
from bot.channels.layout import TELEGRAM, lay_out
from bot.channels.telegram_updates import (
    CHANNEL,
    keyboard,
    sender_of,
    to_inbound,
    without_names,
)
from bot.dispatching import Dispatcher, Incoming
from bot.logs import redact_secrets
from bot.sending import RateLimited, Rejected, Sender, Transport, Unreachable
from bot.settings import Settings
from bot.waiting import backoff, rest
from conversations.engine import Conversation
from conversations.messages import Command, Reply
from locales import _, available_languages, use
from storage.database import StorageFault
from storage.inbox import Received
from storage.media import is_kept
from storage.outbox import Due

log = logging.getLogger(__name__)

# Time periods such as a 429's retry_after come as timedelta, the type PTB 22 moves to (PTB
# reads this when it builds the error; without it, it warns about the old int on every 429).
os.environ.setdefault("PTB_TIMEDELTA", "true")

ALLOWED_UPDATES = ["message", "callback_query"]
POLL_TIMEOUT = 10


def _seconds(error: RetryAfter) -> float:
    retry_after = error.retry_after
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


@contextmanager
def _platform_errors() -> Iterator[None]:
    """PTB's errors as the sender's: RateLimited, Unreachable, Rejected (others to retry)."""
    try:
        yield
    except RetryAfter as error:
        raise RateLimited(_seconds(error)) from error
    except Forbidden as error:
        raise Unreachable(error.message) from error
    except BadRequest as error:
        raise Rejected(error.message) from error


class TelegramTransport:
    """Sends outbox messages with python-telegram-bot, its errors turned into the sender's."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply, row: Due) -> str | None:
        """Send one message, or raise RateLimited, Unreachable, Rejected or a network error.

        Telegram reports no delivery, so no message id is kept: the words go once it is sent.
        """
        shown = lay_out(reply, TELEGRAM)[-1]
        with _platform_errors():
            await self.bot.send_message(int(chat_id), shown.text, reply_markup=keyboard(shown))
        return None


@dataclass
class Tapped:
    """The button tap being answered: its query, and the message whose button it was."""

    query: CallbackQuery | None
    message: Message | None


class TelegramChannel:
    """Runs the conversation over Telegram long polling, through the inbox."""

    name = CHANNEL
    can = TELEGRAM

    def __init__(self, settings: Settings, conversation: Conversation) -> None:
        assert settings.telegram_token is not None, "the Telegram channel needs a token"
        self.settings = settings
        self.conversation = conversation
        redact_secrets([settings.telegram_token.get_secret_value()])
        redact_secrets([self.secret])
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .base_file_url(settings.file_url)
            .build()
        )
        self.bot = self.application.bot
        self.inbox = conversation.services.storage.inbox
        self.transport: Transport = TelegramTransport(self.bot)
        self.pace = settings.telegram_pace
        self.sender: Sender | None = None
        self.dispatcher = Dispatcher(conversation, self, settings.reply_patience)
        self._stopping = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []

    async def start(self, sender: Sender) -> None:
        """Connect, publish the command menu in every language, and start polling.

        `sender` works this channel's outbox; the replies keep its pace too.
        """
        self.sender = sender
        try:
            await self.application.initialize()
        except Exception:
            # A refused token leaves the HTTP clients open; close them before giving up.
            await self.bot.shutdown()
            raise
        await self.publish_commands()
        self._background = [
            asyncio.create_task(self.dispatcher.run(self._stopping)),
            asyncio.create_task(every_minute(self.sync_menus, "syncing menus", self._stopping)),
        ]
        if self.settings.telegram_webhook_url:
            await self.bot.set_webhook(
                self.settings.telegram_webhook_url,
                secret_token=self.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await self.bot.delete_webhook()
            self._background.append(asyncio.create_task(self.poll(self._stopping)))
        log.info("Telegram channel started as @%s", self.bot.username)

    async def stop(self) -> None:
        """Stop polling; finish the updates in hand."""
        self._stopping.set()
        await asyncio.gather(*self._background)
        await self.application.shutdown()

    @property
    def secret(self) -> str:
        """The secret Telegram sends with each webhook: made from the token, never logged."""
        assert self.settings.telegram_token is not None
        return hashlib.sha256(self.settings.telegram_token.get_secret_value().encode()).hexdigest()

    def routes(self) -> list[web.RouteDef]:
        """The web server's route for Telegram's webhook (when it pushes instead of polls)."""
        return [web.post("/telegram", self.receive)] if self.settings.telegram_webhook_url else []

    async def receive(self, request: web.Request) -> web.Response:
        """A pushed update: kept in the inbox (once) before Telegram hears it arrived."""
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("a Telegram webhook without the secret was refused")
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self.bot)
        except ValueError:
            return web.Response(status=400)
        try:
            await self.inbox.receive([self._received(update)])
        except StorageFault as fault:  # Telegram pushes it again: nothing is lost
            log.warning("a Telegram update waits: the inbox cannot be written (%s)", fault)
            return web.Response(status=503)
        self.dispatcher.wake.set()
        return web.Response(text="ok")

    def _received(self, update: Update) -> Received:
        return Received(
            CHANNEL,
            str(update.update_id),
            sender_of(update),
            json.dumps(without_names(update.to_dict())),
        )

    async def poll(self, stop: asyncio.Event) -> None:
        """Long-poll for updates; each batch is stored before its offset confirms it."""
        offset: int | None = None
        delays = backoff(1.0)
        while not stop.is_set():
            try:
                updates = await _unless_stopped(
                    self.bot.get_updates(
                        offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
                    ),
                    stop,
                )
            except InvalidToken:
                raise
            except Exception as error:  # the network, Telegram, or a bug: polling goes on
                delay = next(delays)
                log.warning("polling failed (%r); trying again in %s s", error, delay)
                await rest(stop, delay)
                continue
            delays = backoff(1.0)
            if updates and await self.store(updates, stop):
                offset = updates[-1].update_id + 1  # the next poll confirms these
                self.dispatcher.wake.set()

    async def store(self, updates: tuple[Update, ...], stop: asyncio.Event) -> bool:
        """Write a batch to the inbox, waiting out a database fault; False if stopped first."""
        received = [self._received(u) for u in updates]
        for delay in backoff(0.5):
            try:
                await self.inbox.receive(received)
                return True
            except StorageFault as fault:
                log.warning(
                    "%s updates wait: the inbox cannot be written (%s)", len(updates), fault
                )
                for update in updates:
                    incoming = self.incoming(update)
                    if incoming is not None:
                        await self.dispatcher.reassure(incoming)
                if await rest(stop, delay):
                    break
        return False

    def decode(self, payload: str) -> Incoming | None:
        """A stored update as an inbound event with the tap it answers."""
        return self.incoming(Update.de_json(json.loads(payload), self.bot))

    def incoming(self, update: Update) -> Incoming | None:
        """An update as an inbound event with the tap it answers (None: not for us)."""
        event = to_inbound(update)
        if event is None:
            log.info("ignored update %s (not a private message or button)", update.update_id)
            return None
        query = update.callback_query
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        return Incoming(event, Tapped(query, pressed))

    async def acknowledge(self, incoming: Incoming) -> None:
        """Answer the button tap, so the phone stops its spinner (too late after a restart)."""
        tapped = incoming.context
        if isinstance(tapped, Tapped) and tapped.query is not None:
            try:
                await tapped.query.answer()
            except TelegramError as error:
                log.info("a button tap could not be acknowledged: %s", error)
        await self._keep_voice(incoming)

    async def _keep_voice(self, incoming: Incoming) -> None:
        """With transcription on, a resident's voice note is kept in our store to be sent there."""
        event, services = incoming.event, self.conversation.services
        if services.transcriber is None or event.kind != "voice" or not event.media_ref:
            return
        if is_kept(event.media_ref) or await services.storage.residents.find(event.person) is None:
            return  # nothing is kept before consent
        try:
            found = await self.bot.get_file(event.media_ref)
            content = bytes(await found.download_as_bytearray())
        except TelegramError as error:
            log.warning("a voice note could not be fetched: %s", error)
            return
        ref = await services.storage.media.keep(event.person, "audio/ogg", content)
        incoming.event = replace(event, media_ref=ref)

    async def deliver(self, incoming: Incoming, reply: Reply) -> None:
        """Send one reply; a `replace` reply edits the message whose button was tapped.

        Each message takes its turn in the sender's budget, before queued invitations, and
        keeps the pace of one chat.
        """
        assert self.sender is not None, "the channel is started with its sender"
        try:
            with _platform_errors():
                await self._send_reply(self.sender, incoming, reply)
        except RateLimited as limited:  # every process sending with this token waits too
            await self.sender.pause_everywhere(limited.retry_after)
            raise

    async def _send_reply(self, sender: Sender, incoming: Incoming, reply: Reply) -> None:
        """Send one reply's pieces, each in its turn of `sender`'s pace."""
        chat = incoming.event.user_id
        chat_id = int(chat)
        tapped = incoming.context if isinstance(incoming.context, Tapped) else None
        pieces = lay_out(reply, TELEGRAM)
        if reply.attachment is not None:
            send = self.bot.send_photo if reply.attachment.kind == "photo" else self.bot.send_voice
            shown = await self._file(reply.attachment.ref)
            async with sender.turn(chat):
                await send(chat_id, shown)
        if reply.replace and tapped is not None and tapped.message is not None:
            try:
                async with sender.turn():  # an edit sends no new message
                    await tapped.message.edit_text(
                        pieces[-1].text, reply_markup=keyboard(pieces[-1])
                    )
                tapped.message = None
                return
            except BadRequest as error:
                log.info("could not edit a message: %s", error)
                tapped.message = None
        for piece in pieces:
            async with sender.turn(chat):
                await self.bot.send_message(chat_id, piece.text, reply_markup=keyboard(piece))
        for document in reply.documents:
            async with sender.turn(chat):
                await self.bot.send_document(chat_id, document.content, filename=document.filename)

    async def _file(self, ref: str) -> str | bytes:
        """A Telegram file id as it is; a file from our own store (sent on WhatsApp) as bytes."""
        if not is_kept(ref):
            return ref
        kept = await self.conversation.services.storage.media.get(ref)
        return kept.content if kept is not None else ref

    async def finish(self, incoming: Incoming) -> None:
        """The tapped question is answered: take its buttons away so they are not tapped twice."""
        if self.sender is not None:
            self.sender.wake.set()  # a worker may just have queued invitations
        tapped = incoming.context
        if not isinstance(tapped, Tapped) or tapped.message is None:
            return
        if tapped.message.reply_markup is not None:
            try:
                await tapped.message.edit_reply_markup(reply_markup=None)
            except TelegramError as error:
                log.info("could not clear the buttons of a message: %s", error)
        tapped.message = None

    async def publish_commands(self) -> None:
        """Set the command menu for every language; workers' chats also list their commands."""
        bot = self.bot
        for lang in available_languages():
            with use(lang):
                commands = _menu(self.conversation.routes.listed("resident"))
            await bot.set_my_commands(commands, language_code=lang)
            if lang == self.settings.default_language:
                await bot.set_my_commands(commands)
        for person, role in self.settings.roles.items():
            channel, _sep, user_id = person.partition(":")
            if channel != CHANNEL:
                continue
            try:
                await bot.set_my_commands(self.menu(role), scope=BotCommandScopeChat(int(user_id)))
            except BadRequest as error:  # a worker who never opened the chat yet
                log.info("a worker's menu waits until they open the chat: %s", error)

    def menu(self, role: str) -> list[BotCommand]:
        """The command menu of a worker or team member."""
        with use(self.settings.default_language):
            return _menu(self.conversation.routes.listed(role))

    async def sync_menus(self) -> None:
        """Give a role's menu to who holds it (by code too), and take it from who lost it."""
        residents = self.conversation.services.storage.residents
        for person, role in await residents.stale_menus(CHANNEL, self.settings.roles):
            scope = BotCommandScopeChat(int(person.partition(":")[2]))
            try:
                if role is None:
                    await self.bot.delete_my_commands(scope=scope)
                else:
                    await self.bot.set_my_commands(self.menu(role), scope=scope)
            except BadRequest as error:
                log.info("a chat's menu could not be changed: %s", error)
                continue
            await residents.menu_shown(person, role)


def _menu(commands: list[Command]) -> list[BotCommand]:
    """Commands as Telegram's menu, described in the current language."""
    return [BotCommand(c.name, _(c.description)) for c in commands]


async def _unless_stopped(request: Any, stop: asyncio.Event) -> Any:
    """The request's answer, or () when `stop` comes first (the request is then called off)."""
    task = asyncio.ensure_future(request)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait([task, stopped], return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if not task.done():
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        return ()
    return task.result()
