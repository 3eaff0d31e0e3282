"""WhatsApp's sending side: pywa pointed where the settings say, Meta's error codes as the
sender's, and the outbox transport that keeps to the 24 hours (a template outside them)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
from pywa_async import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types import Button, Section, SectionList, SectionRow
from pywa_async.types.templates import TemplateLanguage

from bot.channels.layout import WHATSAPP, Shown, lay_out
from bot.channels.whatsapp_templates import Template, Templates
from bot.channels.whatsapp_updates import CHANNEL
from bot.logs import redact_secrets
from bot.sending import Postponed, RateLimited, Rejected, Teased, Unreachable
from bot.settings import Settings
from conversations.choices import Again
from conversations.messages import Reply
from storage import Storage
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


class WindowClosed(Exception):
    """Meta's 131047: more than 24 hours since the resident wrote; only a template may go."""


class MarketingStopped(Exception):
    """Meta's 131050: the resident asked WhatsApp for no more business messages."""


class TemplateProblem(Exception):
    """Meta's 132001 or 132015: the template is missing or paused; the team must look."""


@contextmanager
def meta_errors() -> Iterator[None]:
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


def connect(settings: Settings) -> tuple[WhatsApp, httpx.AsyncClient]:
    """pywa's client and its HTTP session, pointed at the Graph API the settings name."""
    token = settings.whatsapp_token
    assert token is not None, "WhatsApp needs WIJKSTEM_WHATSAPP_TOKEN"
    redact_secrets([token.get_secret_value()])
    session = httpx.AsyncClient(timeout=httpx.Timeout(30.0))
    client = WhatsApp(
        phone_id=settings.whatsapp_phone_number_id,
        token=token.get_secret_value(),
        session=session,
        server=None,
        api_version=settings.whatsapp_api_version,
    )
    # pywa points its session at graph.facebook.com; ours goes where the settings say.
    session.base_url = httpx.URL(
        f"{settings.whatsapp_api_url.rstrip('/')}/v{settings.whatsapp_api_version}/"
    )
    return client, session


async def send_shown(client: WhatsApp, to: str, shown: Shown) -> str:
    """One message: text, with reply buttons or a list when it offers choices; its wamid."""
    with meta_errors():
        if shown.buttons:
            buttons = [Button(b.label, b.data) for row in shown.buttons for b in row]
            sent = await client.send_message(to, shown.text, buttons=buttons)
        elif shown.rows:
            sent = await client.send_message(to, shown.text, buttons=_as_list(shown))
        else:
            sent = await client.send_message(to, shown.text)
    return str(sent.id)


def _as_list(shown: Shown) -> SectionList:
    """A message's rows as WhatsApp's list, behind a button to open it."""
    rows = [SectionRow(r.title, r.data, r.description or None) for r in shown.rows]
    return SectionList(
        button_title=shown.opener, sections=[Section(title=shown.opener, rows=rows)]
    )


class WhatsAppTransport:
    """Sends outbox messages over WhatsApp: as they are within 24 hours, else a template first."""

    def __init__(
        self, client: WhatsApp, storage: Storage, templates: Templates, daily_cap: int
    ) -> None:
        self.client = client
        self.storage = storage
        self.templates = templates
        self.daily_cap = daily_cap

    async def send(self, chat_id: str, reply: Reply, row: Due) -> str | None:
        """Send one message, or raise Teased, Postponed, RateLimited, Unreachable or Rejected."""
        person = f"{CHANNEL}:{chat_id}"
        if not row.teased and not await self.within_window(person):
            await self._tease(chat_id, row)
        message_id = None
        try:
            for shown in lay_out(reply, WHATSAPP):
                message_id = await send_shown(self.client, chat_id, shown)
        except WindowClosed:
            await self._tease(chat_id, row)  # Meta counts the 24 hours; it knows best
        except MarketingStopped as error:
            await self.storage.residents.no_invitations(person)
            raise Rejected("the resident stopped business messages: invitations off") from error
        return message_id

    async def _tease(self, chat_id: str, row: Due) -> None:
        """Outside the 24 hours: the purpose's template, whose quick reply opens them."""
        template = self.templates.find(row.purpose, row.language)
        if template is None:
            raise Teased(None)  # no template: the message waits until the resident writes
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        if await self.storage.outbox.teased_since(today.isoformat()) >= self.daily_cap:
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
        with meta_errors():
            sent = await self.client.send_template(
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

    async def within_window(self, person: str) -> bool:
        """Whether `person` wrote in the last 24 hours, so anything may be sent to them."""
        last = await self.storage.inbox.last_from(CHANNEL, person)
        return last is not None and datetime.fromisoformat(last) > datetime.now(UTC) - WINDOW
