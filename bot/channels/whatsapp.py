"""The WhatsApp channel: Meta's signed webhooks in, through the inbox; pywa's Cloud API calls out.

pywa (`pywa_async`) gives the Cloud API's types and calls (messages, buttons, lists, media); the
webhook route, deduplication by `wamid`, pacing and limit checks stay ours, as on Telegram.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace
from mimetypes import guess_type
from typing import Any

import httpx
from aiohttp import web
from pywa_async.errors import WhatsAppError

from bot.channels.layout import WHATSAPP, Shown, lay_out
from bot.channels.whatsapp_sending import (
    WINDOW_CLOSED,
    WhatsAppTransport,
    connect,
    meta_errors,
    send_shown,
)
from bot.channels.whatsapp_templates import Templates
from bot.channels.whatsapp_updates import (
    CHANNEL,
    Status,
    received,
    signed,
    statuses,
    to_inbound,
)
from bot.dispatching import Dispatcher, Incoming
from bot.logs import redact_secrets
from bot.sending import RateLimited, Sender, Transport
from bot.settings import Settings
from conversations.engine import Conversation
from conversations.messages import Attachment, Reply
from locales import _, use
from storage.database import StorageFault, now
from storage.media import is_kept

log = logging.getLogger(__name__)

MEDIA_TRIES = 3
# The documents Meta takes (its Cloud API's supported media types); a web page is not one.
DOCUMENT_TYPES = frozenset(
    {
        "text/plain",
        "application/pdf",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)


class WhatsAppChannel:
    """Runs the conversation over WhatsApp: webhooks into the inbox, replies through pywa."""

    name = CHANNEL
    can = WHATSAPP

    def __init__(self, settings: Settings, conversation: Conversation) -> None:
        assert settings.whatsapp, "the WhatsApp channel needs its four settings"
        token, secret, verify = (
            settings.whatsapp_token,
            settings.whatsapp_app_secret,
            settings.whatsapp_verify_token,
        )
        assert token is not None and secret is not None and verify is not None
        redact_secrets([token.get_secret_value(), secret.get_secret_value()])
        redact_secrets([verify.get_secret_value()])
        self.app_secret = secret.get_secret_value()
        self.verify_token = verify.get_secret_value()
        self.conversation = conversation
        self.storage = conversation.services.storage
        self.client, self.session = connect(settings)
        self.transport: Transport = WhatsAppTransport(
            self.client,
            self.storage,
            Templates.read(settings.whatsapp_templates),
            settings.whatsapp_daily_cap,
        )
        self.pace = settings.whatsapp_pace
        self.dispatcher = Dispatcher(conversation, self, settings.reply_patience)
        self.sender: Sender | None = None
        self._stopping = asyncio.Event()
        self._dispatching: asyncio.Task[None] | None = None

    def routes(self) -> list[web.RouteDef]:
        """The web server's routes for Meta's webhook."""
        return [web.get("/whatsapp", self.verify), web.post("/whatsapp", self.receive)]

    async def start(self, sender: Sender) -> None:
        """Start handling what the webhook keeps; replies keep `sender`'s pace."""
        self.sender = sender
        self._dispatching = asyncio.create_task(self.dispatcher.run(self._stopping))
        log.info("WhatsApp channel started")

    async def stop(self) -> None:
        """Finish the messages in hand and close the connections."""
        self._stopping.set()
        if self._dispatching is not None:
            await self._dispatching
        await self.session.aclose()

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's check of the webhook URL: repeat its challenge when the token is ours."""
        query = request.query
        if query.get("hub.mode") == "subscribe" and query.get("hub.verify_token") == (
            self.verify_token
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("a webhook check with a wrong verify token was refused")
        return web.Response(status=403)

    async def receive(self, request: web.Request) -> web.Response:
        """A signed webhook: keep its messages (once each), record statuses, answer at once."""
        body = await request.read()
        if not signed(body, request.headers.get("X-Hub-Signature-256"), self.app_secret):
            log.warning("a webhook without a valid signature was refused")
            return web.Response(status=401)
        try:
            update = json.loads(body)
        except ValueError:
            log.warning("a signed webhook that is not JSON was refused")
            return web.Response(status=400)
        try:
            messages = received(update)
            kept = await self.storage.inbox.receive(messages)
            opened = [await self.storage.outbox.window_opened(m.sender) for m in messages]
            for status in statuses(update):
                await self._record(status)
        except StorageFault as fault:  # Meta delivers again later: nothing is lost
            log.warning("a webhook waits: the inbox cannot be written (%s)", fault)
            return web.Response(status=503)
        if kept:
            self.dispatcher.wake.set()
        if any(opened) and self.sender is not None:
            self.sender.wake.set()  # messages that waited for the resident go now
        return web.Response(text="ok")

    async def _record(self, status: Status) -> None:
        """A status of a message we sent: delivered and read are counted; failed is acted on."""
        outbox = self.storage.outbox
        if status.status != "failed":
            await outbox.status(status.message_id, status.status, now())
            return
        log.warning("WhatsApp reports a message failed: codes %s", status.codes)
        again = WINDOW_CLOSED in status.codes  # sent again, as a template first
        await outbox.failed_later(status.message_id, f"WhatsApp {status.codes}", again)
        if again and self.sender is not None:
            self.sender.wake.set()

    def decode(self, payload: str) -> Incoming | None:
        """A kept message as an inbound event."""
        event = to_inbound(json.loads(payload))
        return Incoming(event) if event is not None else None

    async def acknowledge(self, incoming: Incoming) -> None:
        """Mark the message read and keep its photo or voice note (Meta's URL lasts minutes)."""
        event = incoming.event
        if event.message_id:
            try:
                await self.client.mark_message_as_read(event.message_id)
            except (WhatsAppError, httpx.HTTPError) as error:
                log.info("a message could not be marked read: %r", error)
        if event.media_ref is None or is_kept(event.media_ref):
            return
        if await self.storage.residents.find(event.person) is None:
            return  # nothing is kept before consent
        incoming.event = replace(
            event, media_ref=await self._keep_media(event.person, event.media_ref)
        )

    async def _keep_media(self, person: str, media_id: str) -> str | None:
        for attempt in range(1, MEDIA_TRIES + 1):
            try:
                found = await self.client.get_media_url(media_id)
                content = await self.client.get_media_bytes(found.url)
                return await self.storage.media.keep(person, found.mime_type, content)
            except (WhatsAppError, httpx.HTTPError) as error:
                log.warning("media could not be fetched (try %s): %r", attempt, error)
        return None

    async def deliver(self, incoming: Incoming, reply: Reply) -> None:
        """Send one reply: its photo or voice note, its messages, its files."""
        try:
            await self._send_reply(incoming.event.user_id, reply)
        except RateLimited as limited:  # every process sending with this number waits too
            assert self.sender is not None, "the channel is started with its sender"
            await self.sender.pause_everywhere(limited.retry_after)
            raise

    async def _send_reply(self, to: str, reply: Reply) -> None:
        """Send a reply's photo or voice note, its messages and its files, each in its turn."""
        if reply.attachment is not None:
            await self._send_attachment(to, reply.attachment)
        for shown in lay_out(reply, WHATSAPP):
            await self.send(to, shown)
        for document in reply.documents:
            mime_type = guess_type(document.filename)[0] or "application/octet-stream"
            if mime_type not in DOCUMENT_TYPES:
                with use(reply.lang):
                    note = _(
                        "WhatsApp takes no web pages: get the printable report with /report"
                        " on Telegram, or ask for it from the team."
                    )
                await self.send(to, Shown(f"{note} ({document.filename})"))
                continue
            async with self._turn(to):
                with meta_errors():
                    await self.client.send_document(
                        to, document.content, filename=document.filename, mime_type=mime_type
                    )

    async def finish(self, incoming: Incoming) -> None:
        """A worker may just have queued invitations: the sender looks at once."""
        if self.sender is not None:
            self.sender.wake.set()

    async def send(self, to: str, shown: Shown) -> str:
        """One reply, in its turn of the pace."""
        async with self._turn(to):
            return await send_shown(self.client, to, shown)

    async def _send_attachment(self, to: str, attachment: Attachment) -> None:
        kept = await self.storage.media.get(attachment.ref)
        if kept is None:
            log.info("a %s to show again is not in our store", attachment.kind)
            return
        async with self._turn(to):
            with meta_errors():
                if attachment.kind == "photo":
                    await self.client.send_image(to, kept.content, mime_type=kept.mime_type)
                else:
                    await self.client.send_voice(to, kept.content, mime_type=kept.mime_type)

    def _turn(self, to: str) -> Any:
        assert self.sender is not None, "the channel is started with its sender"
        return self.sender.turn(to)
