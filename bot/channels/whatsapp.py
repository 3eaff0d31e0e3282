"""The WhatsApp channel: Meta's signed webhooks in, through the inbox; pywa's Cloud API calls out.

pywa (`pywa_async`) gives the Cloud API's types and calls (messages, buttons, lists, media); the
webhook route, deduplication by `wamid`, pacing and limit checks stay ours, as on Telegram.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiohttp import web
from pywa_async import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types import Button, Section, SectionList, SectionRow
from pywa_async.types.templates import TemplateLanguage

from bot.channels.layout import WHATSAPP, Shown, lay_out
from bot.channels.whatsapp_templates import Template, Templates
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
from bot.sending import (
    Pace,
    Postponed,
    RateLimited,
    Rejected,
    Sender,
    Teased,
    Transport,
    Unreachable,
)
from bot.settings import Settings
from conversations.choices import Again
from conversations.engine import Conversation
from conversations.messages import Attachment, Reply
from storage.database import StorageFault, now
from storage.media import is_kept
from storage.outbox import Due

log = logging.getLogger(__name__)

# Meta's error codes, as its Cloud API documents them.
SLOW_DOWN = frozenset({130429, 131056, 4, 80007})
UNDELIVERABLE = 131026
WINDOW_CLOSED = 131047
MARKETING_STOPPED = 131050
TEMPLATE_PROBLEM = frozenset({132001, 132015})
TOKEN_REFUSED = 190
TOKEN_PAUSE = 600.0
TEMPLATE_PAUSE = timedelta(hours=1)
# Meta's customer service window: free-form messages up to 24 hours after the resident wrote.
WINDOW = timedelta(hours=24)
SLOW_DOWN_SECONDS = 5.0
MEDIA_TRIES = 3


class WindowClosed(Exception):
    """Meta's 131047: more than 24 hours since the resident wrote; only a template may go."""


class MarketingStopped(Exception):
    """Meta's 131050: the resident asked WhatsApp for no more business messages."""


class TemplateProblem(Exception):
    """Meta's 132001 or 132015: the template is missing or paused; the team must look."""


@contextmanager
def _platform_errors() -> Iterator[None]:
    """pywa's errors as the sender's, by Meta's codes (others are retried)."""
    try:
        yield
    except WhatsAppError as error:
        code = int(getattr(error, "code", 0) or 0)
        if code in SLOW_DOWN:
            raise RateLimited(SLOW_DOWN_SECONDS) from error
        if code == UNDELIVERABLE:
            raise Unreachable(f"WhatsApp error {code}") from error
        if code == WINDOW_CLOSED:
            raise WindowClosed(str(code)) from error
        if code == MARKETING_STOPPED:
            raise MarketingStopped(str(code)) from error
        if code in TEMPLATE_PROBLEM:
            raise TemplateProblem(str(code)) from error
        if code == TOKEN_REFUSED:  # one line; sending pauses, so nothing is lost meanwhile
            log.error("WhatsApp refused the token (190): set WIJKSTEM_WHATSAPP_TOKEN anew")
            raise RateLimited(TOKEN_PAUSE) from error
        raise Rejected(f"WhatsApp error {code}") from error


class WhatsAppTransport:
    """Sends outbox messages over WhatsApp: as they are within 24 hours, else a template first."""

    def __init__(self, channel: WhatsAppChannel, templates: Templates, daily_cap: int) -> None:
        self.channel = channel
        self.templates = templates
        self.daily_cap = daily_cap

    async def send(self, chat_id: str, reply: Reply, row: Due) -> str | None:
        """Send one message, or raise Teased, Postponed, RateLimited, Unreachable or Rejected."""
        person = f"{CHANNEL}:{chat_id}"
        if not row.teased and not await self.channel.within_window(person):
            await self._tease(chat_id, row)
        message_id = None
        try:
            for shown in lay_out(reply, WHATSAPP):
                message_id = await self.channel.send_raw(chat_id, shown)
        except WindowClosed:
            await self._tease(chat_id, row)  # Meta counts the 24 hours; it knows best
        except MarketingStopped as error:
            await self.channel.storage.residents.no_invitations(person)
            raise Rejected("the resident stopped business messages: invitations off") from error
        return message_id

    async def _tease(self, chat_id: str, row: Due) -> None:
        """Outside the 24 hours: the purpose's template, whose quick reply opens them."""
        template = self.templates.find(row.purpose, row.language)
        if template is None:
            raise Teased(None)  # no template: the message waits until the resident writes
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        if await self.channel.storage.outbox.teased_since(today.isoformat()) >= self.daily_cap:
            tomorrow = (today + timedelta(days=1)).isoformat()
            raise Postponed(tomorrow, f"the daily cap of {self.daily_cap} templates is reached")
        try:
            sent = await self._send_template(chat_id, template)
        except TemplateProblem as problem:
            log.error(
                "WhatsApp template %s (%s) cannot be used (error %s): the team must check it"
                " in WhatsApp Manager; the message waits",
                template.name,
                template.language,
                problem,
            )
            later = (datetime.now(UTC) + TEMPLATE_PAUSE).isoformat()
            raise Postponed(later, f"template problem {problem}") from problem
        raise Teased(sent)

    async def _send_template(self, chat_id: str, template: Template) -> str:
        with _platform_errors():
            sent = await self.channel.client.send_template(
                chat_id,
                template.name,
                TemplateLanguage(template.language),
                params=[
                    {
                        "type": "button",
                        "sub_type": "quick_reply",
                        "index": "0",
                        "parameters": [{"type": "payload", "payload": Again().pack()}],
                    }
                ],
            )
        return str(sent.id)


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
        self.session = httpx.AsyncClient(timeout=httpx.Timeout(30.0))
        self.client = WhatsApp(
            phone_id=settings.whatsapp_phone_number_id,
            token=token.get_secret_value(),
            session=self.session,
            server=None,
            api_version=settings.whatsapp_api_version,
        )
        # pywa points its session at graph.facebook.com; ours goes where the settings say.
        self.session.base_url = httpx.URL(
            f"{settings.whatsapp_api_url.rstrip('/')}/v{settings.whatsapp_api_version}/"
        )
        self.transport: Transport = WhatsAppTransport(
            self, Templates.read(settings.whatsapp_templates), settings.whatsapp_daily_cap
        )
        self.pace = Pace(
            settings.whatsapp_send_per_second, settings.whatsapp_send_per_chat_interval
        )
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
        to = incoming.event.user_id
        if reply.attachment is not None:
            await self._send_attachment(to, reply.attachment)
        for shown in lay_out(reply, WHATSAPP):
            await self.send(to, shown)
        for document in reply.documents:
            async with self._turn(to):
                with _platform_errors():
                    await self.client.send_document(
                        to,
                        document.content,
                        filename=document.filename,
                        mime_type=_mime(document.filename),
                    )

    async def finish(self, incoming: Incoming) -> None:
        """A worker may just have queued invitations: the sender looks at once."""
        if self.sender is not None:
            self.sender.wake.set()

    async def send(self, to: str, shown: Shown) -> str:
        """One reply, in its turn of the pace."""
        async with self._turn(to):
            return await self.send_raw(to, shown)

    async def send_raw(self, to: str, shown: Shown) -> str:
        """One message: text, with reply buttons or a list when it offers choices; its wamid."""
        with _platform_errors():
            if shown.buttons:
                buttons = [Button(b.label, b.data) for row in shown.buttons for b in row]
                sent = await self.client.send_message(to, shown.text, buttons=buttons)
            elif shown.rows:
                sent = await self.client.send_message(to, shown.text, buttons=_as_list(shown))
            else:
                sent = await self.client.send_message(to, shown.text)
        return str(sent.id)

    async def within_window(self, person: str) -> bool:
        """Whether `person` wrote in the last 24 hours, so anything may be sent to them."""
        last = await self.storage.inbox.last_from(CHANNEL, person)
        return last is not None and datetime.fromisoformat(last) > datetime.now(UTC) - WINDOW

    async def _send_attachment(self, to: str, attachment: Attachment) -> None:
        kept = await self.storage.media.get(attachment.ref)
        if kept is None:
            log.info("a %s to show again is not in our store", attachment.kind)
            return
        async with self._turn(to):
            with _platform_errors():
                if attachment.kind == "photo":
                    await self.client.send_image(to, kept.content, mime_type=kept.mime_type)
                else:
                    await self.client.send_voice(to, kept.content, mime_type=kept.mime_type)

    def _turn(self, to: str) -> Any:
        assert self.sender is not None, "the channel is started with its sender"
        return self.sender.turn(to)


def _as_list(shown: Shown) -> SectionList:
    """A message's rows as WhatsApp's list, behind a button to open it."""
    rows = [SectionRow(r.title, r.data, r.description or None) for r in shown.rows]
    return SectionList(
        button_title=shown.opener, sections=[Section(title=shown.opener, rows=rows)]
    )


def _mime(filename: str) -> str:
    if filename.endswith(".html"):
        return "text/html"
    if filename.endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/octet-stream"
