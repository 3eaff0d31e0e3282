"""A fake Meta WhatsApp Cloud API (Graph API) on 127.0.0.1 that the real pywa talks HTTP to.

Usage::

    async with FakeGraphApi(webhook_url=bot_url) as fake:
        session = httpx.AsyncClient()
        wa = WhatsApp(
            phone_id=fake.phone_number_id, token=fake.token, session=session,
            server=None, api_version="23.0",
        )
        session.base_url = f"{fake.base_url}/v23.0"  # pywa set graph.facebook.com
        amina = fake.user("31612345678", "Amina")
        await fake.send_text(amina, "hallo")  # a signed webhook into the bot
        reply = await fake.wait_for_message(amina)  # what the bot sent back
        await fake.tap(amina, reply, "Ja")

The bot's side (Graph API):

- ``POST /v{ver}/{phone_number_id}/messages`` sends text, interactive (reply buttons, list,
  cta_url), image, audio, video, document, sticker, template and reaction messages, checked
  against Meta's documented limits (lengths counted in UTF-16 code units, as WhatsApp does).
  The same path takes pywa's "mark as read" and typing-indicator bodies (``"status": "read"``).
- ``POST /v{ver}/{phone_number_id}/media`` uploads, ``GET /v{ver}/{media_id}`` gives the download
  URL, ``GET /media-download/{media_id}`` the bytes, ``DELETE /v{ver}/{media_id}`` removes it.
- Every request needs ``Authorization: Bearer <token>`` (or ``?access_token=``); errors are
  Graph error bodies ``{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}``
  with Meta's HTTP status for the code (401 for 190, 404 for 132001, 400 for most).

What Meta enforces and the fake models: the 24-hour customer service window (a non-template
message to a user who has not written for 24 hours is refused with 131047; templates must be
approved, else 132001), optional throughput limits (``per_second`` -> 130429,
``per_user_interval`` -> 131056), injected failures (``fail_next``) and ``latency``. Every
refused send is counted by code in ``refusals``.

Simplifications, on purpose: Meta reports some failures (131047, 131026, unknown media)
asynchronously in a ``failed`` status webhook after accepting the send; the fake refuses them
synchronously, and tests can still post ``failed`` statuses with ``statuses()``. Error
``details`` are written for humans; Meta asks clients to rely on ``code`` only.

The user's side (webhooks): ``send_text``, ``send_image``, ``tap``, ``choose`` ... build Meta's
webhook envelope, serialise it as Meta does (compact, non-ASCII as ``\\uXXXX``, ``/`` as
``\\/``, so a bot must check the signature over the raw body), sign it with
``X-Hub-Signature-256: sha256=<hmac>`` and POST it to ``webhook_url``. Each builder
(``text_message``, ``button_reply`` ...) makes one event without posting, for ``batch()``.

Note for pywa: pywa 4.5 reads ``contacts[0]["user_id"]`` of every message and status webhook,
which Meta's payloads carry since the business-scoped user ids (BSUIDs) came; give users a
``bsuid`` when pywa's own parser reads the webhooks, or it raises KeyError.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import hashlib
import hmac
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from tests.fakes.waiting import Changes, next_unread, until

_LOGGER = logging.getLogger(__name__)

# --- Meta's limits -----------------------------------------------------------------------

SERVICE_WINDOW_SECONDS = 24 * 60 * 60
MAX_TEXT_BODY = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_HEADER_TEXT = 60
MAX_FOOTER_TEXT = 60
MAX_CAPTION = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_BUTTON = 20
MAX_LIST_SECTIONS = 10
MAX_LIST_ROWS = 10
MAX_SECTION_TITLE = 24
MAX_ROW_ID = 200
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_TRACKER = 512

_MB = 1024 * 1024
_DOCUMENT_TYPES = (
    "text/plain",
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
# Upload mime types the Cloud API supports, with their size limits.
MEDIA_SIZE_LIMITS: dict[str, int] = {
    **dict.fromkeys(("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"), 16 * _MB),
    **dict.fromkeys(("image/jpeg", "image/png"), 5 * _MB),
    "image/webp": 500 * 1024,
    **dict.fromkeys(("video/mp4", "video/3gpp"), 16 * _MB),
    **dict.fromkeys(_DOCUMENT_TYPES, 100 * _MB),
}
# Which uploaded mime types (before any ";") each media message type can carry.
_MEDIA_KINDS: dict[str, Callable[[str], bool]] = {
    "image": lambda mime: mime in ("image/jpeg", "image/png"),
    "sticker": lambda mime: mime == "image/webp",
    "audio": lambda mime: mime.startswith("audio/"),
    "video": lambda mime: mime.startswith("video/"),
    "document": lambda mime: True,
}
STATUSES = ("sent", "delivered", "read", "failed")

_VERSION = r"/v\d+\.\d+"
_MESSAGES_PATH = re.compile(rf"{_VERSION}/(?P<phone>[^/]+)/messages/?")
_UPLOAD_PATH = re.compile(rf"{_VERSION}/(?P<phone>[^/]+)/media/?")
_NODE_PATH = re.compile(rf"{_VERSION}/(?P<node>[^/]+)/?")
_VERSION_PREFIX = re.compile(rf"{_VERSION}/")
_DOWNLOAD_PATH = re.compile(r"/media-download/(?P<media_id>[^/]+)")
_BSUID = re.compile(r"[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]+")
_PHONE_PUNCTUATION = re.compile(r"[+\-\s().]")


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, as WhatsApp counts (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


# --- Graph errors ------------------------------------------------------------------------

# code: (title, HTTP status, default details), after Meta's error code reference.
_ERRORS: dict[int, tuple[str, int, str]] = {
    0: ("AuthException", 401, "We were unable to authenticate the app user."),
    100: ("Invalid parameter", 400, "Invalid parameter."),
    190: ("Invalid OAuth access token - Cannot parse access token", 401, ""),
    2500: ("Unknown path components", 400, "Unknown path components"),
    130429: ("Rate limit hit", 400, "Cloud API message throughput has been reached."),
    131000: ("Something went wrong", 500, "Message failed to send due to an unknown error."),
    131005: ("Access denied", 403, "Permission is either not granted or has been removed."),
    131008: ("Required parameter is missing", 400, "A required parameter is missing."),
    131009: ("Parameter value is not valid", 400, "A parameter value is not valid."),
    131016: ("Service unavailable", 503, "A service is temporarily unavailable."),
    131026: ("Message Undeliverable", 400, "Unable to deliver message."),
    131047: (
        "Re-engagement message",
        400,
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131048: ("Spam rate limit hit", 400, "Message failed to send because of spam restrictions."),
    131050: (
        "Unable to deliver the message. This recipient has chosen to stop receiving marketing "
        "messages on WhatsApp from your business",
        400,
        "The user has stopped marketing messages.",
    ),
    131051: ("Unsupported message type", 400, "Unsupported message type."),
    131053: ("Media upload error", 400, "Unable to upload the media used in the message."),
    131056: (
        "(Business Account, Consumer Account) pair rate limit hit",
        400,
        "Too many messages sent from the sender phone number to the same recipient phone "
        "number in a short period of time.",
    ),
    132000: (
        "Number of parameters does not match the expected number of params",
        400,
        "The number of template parameters does not match the template.",
    ),
    132001: (
        "Template name does not exist in the translation",
        404,
        "The template does not exist in that language or is not approved.",
    ),
    132015: ("Template is Paused", 400, "Template is paused due to low quality."),
    132016: ("Template is Disabled", 400, "Template has been paused too many times."),
    133010: ("Account not registered", 400, "The phone number is not registered."),
}
# fail_next(500): a bare HTTP 500 without a Graph body, as an overloaded edge answers.
HTTP_500 = 500


class GraphError(Exception):
    """A Graph API error answer: the code, Meta's HTTP status for it and the details."""

    def __init__(self, code: int, details: str | None = None, *, subcode: int | None = None):
        title, status, default_details = _ERRORS.get(code, ("Error", 400, ""))
        if code == HTTP_500:
            title, status, default_details = "Internal Server Error", 500, ""
        self.code = code
        self.status = status
        self.title = title
        self.details = default_details if details is None else details
        self.subcode = subcode
        super().__init__(f"({code}) {title}: {self.details}")

    def to_json(self, fbtrace_id: str) -> dict[str, Any]:
        """Return the body the Graph API answers for this error."""
        error: dict[str, Any] = {"message": self._message(), "type": "OAuthException"}
        error["code"] = self.code
        if self.code not in _PLAIN_ERRORS and self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["fbtrace_id"] = fbtrace_id
        return {"error": error}

    def _message(self) -> str:
        if self.code == 190:
            return self.title
        if self.code == 2500 or self.subcode is not None:
            return self.details  # Graph's own errors say what is wrong in the message
        return f"(#{self.code}) {self.title}"


# Graph errors that are not the Cloud API's: no error_data.
_PLAIN_ERRORS = frozenset({190, 2500})


def _param_error(details: str) -> GraphError:
    return GraphError(100, details)


def _invalid(details: str) -> GraphError:
    return GraphError(131009, details)


def _no_such_object(node: str, method: str) -> GraphError:
    return GraphError(
        100,
        f"Unsupported {method.lower()} request. Object with ID '{node}' does not exist, cannot "
        "be loaded due to missing permissions, or does not support this operation.",
        subcode=33,
    )


# --- records handed to tests -------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A WhatsApp user: wa_id is the phone number without "+", bsuid the business-scoped id."""

    wa_id: str
    name: str
    bsuid: str | None = None

    def contact(self) -> dict[str, Any]:
        """Return the user as an entry of a webhook's ``contacts``."""
        contact: dict[str, Any] = {"profile": {"name": self.name}, "wa_id": self.wa_id}
        if self.bsuid is not None:
            contact["user_id"] = self.bsuid
        return contact


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent and the fake accepted.

    to is the user's wa_id (or the BSUID a message was addressed to, for an unknown user);
    addressed is the ``to`` or ``recipient`` exactly as the request gave it. text is the body
    text (text body, interactive body, media caption), buttons the reply buttons as
    (id, title), rows the list rows as (id, title, description), template (name, language).
    """

    to: str
    type: str
    payload: dict[str, Any]
    wamid: str
    time: float
    addressed: str
    text: str | None = None
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)
    header: str | None = None
    footer: str | None = None
    list_button: str | None = None
    template: tuple[str, str] | None = None
    media_id: str | None = None
    media_link: str | None = None
    reply_to: str | None = None

    @property
    def button_titles(self) -> list[str]:
        """Return the titles of the reply buttons, in order."""
        return [title for _, title in self.buttons]

    @property
    def row_titles(self) -> list[str]:
        """Return the titles of the list rows, over all sections, in order."""
        return [title for _, title, _ in self.rows]

    def describe(self) -> str:
        """Return a one-line summary for failure messages."""
        parts = [f"{self.wamid[-10:]} {self.type}"]
        if self.text is not None:
            parts.append(repr(self.text if len(self.text) <= 80 else self.text[:77] + "..."))
        if self.buttons:
            parts.append(f"buttons={self.button_titles}")
        if self.rows:
            parts.append(f"rows={self.row_titles}")
        if self.template:
            parts.append(f"template={self.template}")
        if self.media_id or self.media_link:
            parts.append(f"media={self.media_id or self.media_link}")
        return " ".join(parts)


@dataclass
class StoredMedia:
    """A media file the fake keeps: uploaded by the bot, or sent by a user (add_media)."""

    media_id: str
    content: bytes
    mime_type: str
    filename: str | None = None
    uploaded: bool = False
    expired: bool = False
    deleted: bool = False

    @property
    def sha256(self) -> str:
        """Return the hex SHA-256 of the content, as Meta reports it."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass(frozen=True)
class Call:
    """One request the fake received and how it answered (error_code for Graph errors)."""

    method: str
    path: str
    payload: Any
    status: int
    error_code: int | None = None


@dataclass(frozen=True)
class Inbound:
    """A message from a user, built but not yet posted (see FakeGraphApi.batch)."""

    user: FakeUser
    message: dict[str, Any]

    @property
    def wamid(self) -> str:
        """Return the message's WhatsApp message id."""
        return str(self.message["id"])


@dataclass(frozen=True)
class StatusUpdate:
    """A status of a message the bot sent, built but not yet posted."""

    status: dict[str, Any]
    user: FakeUser | None = None


@dataclass(frozen=True)
class Webhook:
    """One POST the fake made to the bot's webhook and the bot's answer."""

    body: bytes
    signature: str | None
    status: int
    answer: str

    @property
    def payload(self) -> Any:
        """Return the decoded JSON body."""
        return json.loads(self.body)


@dataclass(frozen=True)
class _Recipient:
    addressed: str
    key: str  # the wa_id, or the BSUID of a user the fake does not know
    by_bsuid: bool


@dataclass
class _Failure:
    code: int
    to: str | None


@dataclass
class _Content:
    """What a send shows the user, read from the payload while it is validated."""

    text: str | None = None
    buttons: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str, str | None]] = field(default_factory=list)
    header: str | None = None
    footer: str | None = None
    list_button: str | None = None
    template: tuple[str, str] | None = None
    media_id: str | None = None
    media_link: str | None = None


# --- reading and checking request payloads -----------------------------------------------


class _Fields:
    """A JSON object of a request and where it sits, for checked reads.

    A missing or wrong value is refused with `code`: 100 (Graph's invalid parameter) by
    default, 131009 inside interactive messages, as Meta does.
    """

    def __init__(self, value: Any, where: str = "", code: int = 100):
        if not isinstance(value, dict):
            raise GraphError(code, f"Param {where or 'body'} must be a JSON object.")
        self.value: dict[str, Any] = value
        self.where = where
        self.code = code

    def at(self, key: str) -> str:
        """Return where value[key] sits, as Graph error details name it."""
        return f"{self.where}['{key}']" if self.where else key

    def child(self, key: str, code: int | None = None) -> _Fields:
        """Return the object under key."""
        return _Fields(self.value.get(key), self.at(key), code or self.code)

    def children(self, key: str, most: int, what: str) -> list[_Fields]:
        """Return the 1..most objects of the array under key."""
        items = self.value.get(key)
        if not isinstance(items, list) or not 1 <= len(items) <= most:
            count = len(items) if isinstance(items, list) else items
            raise self.error(f"Param {self.at(key)} must hold 1 to {most} {what}; got {count!r}.")
        return [_Fields(item, f"{self.at(key)}[{i}]", self.code) for i, item in enumerate(items)]

    def text(self, key: str, max_len: int) -> str:
        """Return the non-empty string under key, at most max_len UTF-16 units long."""
        value = self.optional_text(key, max_len)
        if not value:
            raise self.error(f"Param {self.at(key)} is required and must be a non-empty string.")
        return value

    def optional_text(self, key: str, max_len: int) -> str | None:
        """Return the string under key (None if absent), at most max_len UTF-16 units long."""
        value = self.value.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f"Param {self.at(key)} must be a string, got {value!r}.")
        if utf16_len(value) > max_len:
            raise self.error(
                f"Param {self.at(key)} must be at most {max_len} characters long; "
                f"it is {utf16_len(value)}: {value!r}."
            )
        return value

    def error(self, details: str) -> GraphError:
        """Return the error for a wrong value here."""
        return GraphError(self.code, details)


def _http_url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^\s/]+", value):
        raise _param_error(f"Param {where} must be an http(s) URL, got {value!r}.")
    return value


def _check_unique(values: list[str], what: str) -> None:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise _invalid(f"{what} must be unique; repeated: {duplicates}.")


def _text_content(body: _Fields) -> _Content:
    text = body.child("text")
    if not isinstance(text.value.get("preview_url", False), bool):
        raise _param_error("Param text['preview_url'] must be a boolean.")
    return _Content(text=text.text("body", MAX_TEXT_BODY))


def _reply_buttons(action: _Fields) -> list[tuple[str, str]]:
    buttons = []
    for button in action.children("buttons", MAX_REPLY_BUTTONS, "buttons"):
        if button.value.get("type") != "reply":
            raise _invalid(f"Param {button.at('type')} must be 'reply'.")
        reply = button.child("reply")
        buttons.append((reply.text("id", MAX_BUTTON_ID), reply.text("title", MAX_BUTTON_TITLE)))
    _check_unique([button_id for button_id, _ in buttons], "Button ids")
    _check_unique([title for _, title in buttons], "Button titles")
    return buttons


def _list_rows(action: _Fields) -> tuple[str, list[tuple[str, str, str | None]]]:
    button = action.text("button", MAX_LIST_BUTTON)
    sections = action.children("sections", MAX_LIST_SECTIONS, "sections")
    rows: list[tuple[str, str, str | None]] = []
    for section in sections:
        title = section.optional_text("title", MAX_SECTION_TITLE)
        if len(sections) > 1 and not title:
            raise _invalid(f"Param {section.at('title')} is required with several sections.")
        for row in section.children("rows", MAX_LIST_ROWS, "rows"):
            description = row.optional_text("description", MAX_ROW_DESCRIPTION)
            rows.append(
                (row.text("id", MAX_ROW_ID), row.text("title", MAX_ROW_TITLE), description)
            )
    if len(rows) > MAX_LIST_ROWS:
        raise _invalid(
            f"Total row count exceed max allowed count: {MAX_LIST_ROWS} (got {len(rows)})."
        )
    _check_unique([row[0] for row in rows], "Row ids")
    return button, rows


def _template_content(body: _Fields) -> _Content:
    template = body.child("template")
    name = template.text("name", 512)
    language = template.child("language").text("code", 15)
    if not isinstance(template.value.get("components", []), list):
        raise _param_error("Param template['components'] must be an array.")
    return _Content(template=(name, language))


def _reaction_content(body: _Fields) -> _Content:
    reaction = body.child("reaction")
    reaction.text("message_id", 256)
    emoji = reaction.value.get("emoji")
    if not isinstance(emoji, str):
        raise _param_error("Param reaction['emoji'] must be a string (empty removes it).")
    return _Content(text=emoji)


class _Validator:
    """Checks a send's payload against Meta's rules; knows the fake's media for media ids."""

    def __init__(self, media: dict[str, StoredMedia]):
        self._media = media

    def content(self, kind: str, body: _Fields) -> _Content:
        """Return what a send of this type shows, or raise the Graph error Meta answers."""
        if kind == "text":
            return _text_content(body)
        if kind == "interactive":
            return self._interactive(body.child("interactive", code=131009))
        if kind in _MEDIA_KINDS:
            return self._media_message(kind, body.child(kind))
        if kind == "template":
            return _template_content(body)
        if kind == "reaction":
            return _reaction_content(body)
        raise GraphError(131051, f"Message type {kind!r} is not supported (by the fake).")

    def _media_message(self, kind: str, media: _Fields) -> _Content:
        media_id, link = media.value.get("id"), media.value.get("link")
        if (media_id is None) == (link is None):
            raise media.error(f"Param {media.where} must have exactly one of 'id' and 'link'.")
        caption = None
        if kind in ("image", "video", "document"):
            caption = media.optional_text("caption", MAX_CAPTION)
        if link is not None:
            return _Content(text=caption, media_link=_http_url(link, media.at("link")))
        stored = self._media.get(str(media_id))
        if stored is None or stored.deleted:
            raise _param_error(f"Param {media.at('id')} is not a valid media id: {media_id!r}.")
        if not _MEDIA_KINDS[kind](stored.mime_type.split(";")[0].strip()):
            raise GraphError(131053, f"Media {media_id} is {stored.mime_type}, not an {kind}.")
        return _Content(text=caption, media_id=stored.media_id)

    def _interactive(self, interactive: _Fields) -> _Content:
        kind = interactive.value.get("type")
        action = interactive.child("action")
        content = _Content()
        if kind == "button":
            content.buttons = _reply_buttons(action)
        elif kind == "list":
            content.list_button, content.rows = _list_rows(action)
        elif kind == "cta_url":
            parameters = action.child("parameters")
            parameters.text("display_text", MAX_BUTTON_TITLE)
            _http_url(parameters.value.get("url"), parameters.at("url"))
        else:
            raise _invalid(f"Interactive type {kind!r} is not supported (by the fake).")
        content.text = interactive.child("body").text("text", MAX_INTERACTIVE_BODY)
        if "footer" in interactive.value:
            content.footer = interactive.child("footer").text("text", MAX_FOOTER_TEXT)
        if "header" in interactive.value:
            content.header = self._header(interactive.child("header"), kind)
        return content

    def _header(self, header: _Fields, kind: str) -> str | None:
        header_type = header.value.get("type")
        if header_type == "text":
            return header.text("text", MAX_HEADER_TEXT)
        if header_type in ("image", "video", "document") and kind != "list":
            self._media_message(header_type, header.child(header_type))
            return None
        raise _invalid(f"A {kind} message cannot have a header of type {header_type!r}.")


async def _read_body(request: web.Request) -> tuple[Any, dict[str, UploadedFile]]:
    """Read a JSON, form or multipart body; return (payload, files)."""
    files: dict[str, UploadedFile] = {}
    try:
        if not request.can_read_body:
            return None, files
        if request.content_type == "application/json":
            return await request.json(), files
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            fields: dict[str, Any] = {}
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    upload = UploadedFile(value.filename, value.file.read(), value.content_type)
                    files[name] = upload
                    fields[name] = upload
                else:
                    fields[name] = value
            return fields, files
        return (await request.read()).decode(errors="replace"), files
    except (ValueError, HttpProcessingError) as exc:  # JSON, Unicode and multipart errors
        raise _param_error(f"Could not read the request body: {exc}") from exc


def meta_json(payload: Any) -> bytes:
    """Serialise a webhook body as Meta does: compact, ASCII-only, with "/" escaped."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode()


# --- the server --------------------------------------------------------------------------


class FakeGraphApi:
    """A fake WhatsApp Cloud API on 127.0.0.1; use it as ``async with FakeGraphApi()``."""

    def __init__(
        self,
        *,
        app_secret: str = "fake-app-secret",
        phone_number_id: str = "106540352242922",
        webhook_url: str | None = None,
        token: str = "fake-access-token",
        waba_id: str = "102290129340398",
        display_phone_number: str = "31850001234",
        approved_templates: Iterable[tuple[str, str]] = (),
        per_second: int | None = None,
        per_user_interval: float | None = None,
        latency: float = 0.0,
        clock: Callable[[], float] = time.time,
    ):
        """Set up the fake; nothing listens until start() (or ``async with``).

        approved_templates: (name, language code) pairs a template send may use.
        per_second: refuse sends over this many per second over all users with 130429.
        per_user_interval: refuse a send to a user sooner than this many seconds after the last
            accepted one with 131056.
        latency: seconds every Graph API request waits before it is handled.
        clock: seconds since the epoch; for the service window, limits and timestamps.
        """
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.webhook_url = webhook_url
        self.token = token
        self.waba_id = waba_id
        self.display_phone_number = display_phone_number
        self.approved_templates: set[tuple[str, str]] = set(approved_templates)
        self.per_second = per_second
        self.per_user_interval = per_user_interval
        self.latency = latency
        self.calls: list[Call] = []
        self.refusals: Counter[int] = Counter()
        self.webhooks: list[Webhook] = []
        self.inbound: list[Inbound] = []
        self.read_marks: list[str] = []  # wamids the bot marked as read
        self.typing: list[str] = []  # wamids the bot showed a typing indicator for
        self.send_times: list[float] = []  # clock() of every accepted send, in order
        self.media: dict[str, StoredMedia] = {}
        self._clock = clock
        self._users: dict[str, FakeUser] = {}
        self._by_bsuid: dict[str, FakeUser] = {}
        self._last_wrote: dict[str, float] = {}
        self._last_send: dict[str, float] = {}
        self._sent: dict[str, list[SentMessage]] = {}
        self._cursors: dict[str, int] = {}
        self._failures: list[_Failure] = []
        self._serial = 0
        self._changes = Changes()
        self._validator = _Validator(self.media)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._client: aiohttp.ClientSession | None = None

    # lifecycle

    async def __aenter__(self) -> FakeGraphApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=max(MEDIA_SIZE_LIMITS.values()) + _MB)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Stop the server and the webhook client."""
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Return the server's root; pywa's session.base_url is f"{base_url}/v{version}"."""
        if self._port is None:
            raise RuntimeError("FakeGraphApi is not started; use `async with FakeGraphApi()`")
        return f"http://127.0.0.1:{self._port}"

    # users and the customer service window

    def user(
        self, wa_id: str = "31612345678", name: str = "Amina", bsuid: str | None = None
    ) -> FakeUser:
        """Create a user; with a bsuid its webhooks carry Meta's business-scoped ``user_id``."""
        if not wa_id.isdigit():
            raise ValueError(f"wa_id is a phone number in digits without '+', got {wa_id!r}")
        if bsuid is not None and not _BSUID.fullmatch(bsuid):
            raise ValueError(f"a BSUID looks like 'NL.1234567890', got {bsuid!r}")
        user = FakeUser(wa_id, name, bsuid)
        self._users[wa_id] = user
        if bsuid is not None:
            self._by_bsuid[bsuid] = user
        return user

    def user_wrote(self, who: str | FakeUser, at: float | None = None) -> None:
        """Record that a user wrote at clock time `at` (now), opening the 24-hour window."""
        self._last_wrote[self._key(who)] = self._clock() if at is None else at

    def approve(self, name: str, language: str) -> None:
        """Approve a template in a language, so sends of it are accepted any time."""
        self.approved_templates.add((name, language))

    # what tests inspect

    def messages(self, who: str | FakeUser) -> list[SentMessage]:
        """Return the accepted messages to a user (wa_id, BSUID or FakeUser), in order."""
        return list(self._sent.get(self._key(who), []))

    def calls_to(self, path_part: str) -> list[Call]:
        """Return the calls whose path contains path_part, in order."""
        return [call for call in self.calls if path_part in call.path]

    def describe(self, who: str | FakeUser | None = None) -> str:
        """Return a summary of messages, refusals, calls and webhooks for failure messages."""
        lines = []
        if who is not None:
            key = self._key(who)
            cursor = self._cursors.get(key, 0)
            lines.append(f"bot messages to {key} (the first {cursor} already read):")
            lines += [f"  {m.describe()}" for m in self._sent.get(key, [])] or ["  (none)"]
            wrote = self._last_wrote.get(key)
            ago = "never" if wrote is None else f"{self._clock() - wrote:.0f}s ago"
            lines.append(f"user last wrote: {ago}")
        lines.append(f"refusals by code: {dict(self.refusals)}")
        failed = [
            f"{c.method} {c.path} -> {c.status} ({c.error_code})"
            for c in self.calls
            if c.status >= 400
        ]
        lines.append(f"failed calls: {failed[-20:]}")
        lines.append(f"last calls: {[f'{c.method} {c.path}' for c in self.calls[-20:]]}")
        lines.append(f"webhook answers: {[w.status for w in self.webhooks][-20:]}")
        return "\n".join(lines)

    # waiting

    async def wait_until(
        self,
        predicate: Callable[[], Any],
        timeout: float = 20.0,  # noqa: ASYNC109 - reads best in tests
    ) -> Any:
        """Return predicate()'s first truthy value, re-checked on every recorded request."""
        return await until(self._changes, predicate, timeout, self.describe)

    async def wait_for_message(
        self,
        who: str | FakeUser,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 20.0,  # noqa: ASYNC109 - reads best in tests
    ) -> SentMessage:
        """Return the next unread accepted message to a user that matches predicate."""
        key = self._key(who)
        return await next_unread(
            self._changes,
            self._sent,
            self._cursors,
            key,
            predicate,
            timeout,
            lambda: self.describe(key),
        )

    # failure injection

    def fail_next(self, code: int, count: int = 1, to: str | FakeUser | None = None) -> None:
        """Refuse the next `count` sends (to one user, if given) with a Graph error code.

        Any code works; Meta's HTTP status is used for known ones (190 -> 401, 132001 -> 404,
        131000 -> 500 ...). Code 500 answers a bare HTTP 500 without a Graph body.
        """
        key = None if to is None else self._key(to)
        self._failures += [_Failure(code, key) for _ in range(count)]

    # media

    def add_media(self, content: bytes, mime_type: str, filename: str | None = None) -> str:
        """Store media as a user's upload (for webhooks); return its media id."""
        media_id = str(1_000_000_000_000_000 + self._next_serial())
        self.media[media_id] = StoredMedia(media_id, content, mime_type, filename)
        return media_id

    def expire_media(self, media_id: str) -> None:
        """Make the media's download URL answer 404, as Meta's URLs do after minutes."""
        if media_id not in self.media:
            raise KeyError(f"no media {media_id!r}; the fake has {sorted(self.media)}")
        self.media[media_id].expired = True

    def media_url(self, media_id: str) -> str:
        """Return the download URL the fake gives for a media id."""
        return f"{self.base_url}/media-download/{media_id}"

    # webhook events (built, not posted)

    def text_message(self, user: FakeUser, text: str) -> Inbound:
        """Build a text message from user."""
        return self._inbound(user, "text", {"body": text})

    def image_message(
        self,
        user: FakeUser,
        content: bytes = b"\xff\xd8\xff fake jpeg",
        caption: str = "",
        mime_type: str = "image/jpeg",
    ) -> Inbound:
        """Build an image message from user; its bytes are in the fake's media store."""
        image = self._media_object(content, mime_type)
        if caption:
            image["caption"] = caption
        return self._inbound(user, "image", image)

    def voice_message(self, user: FakeUser, content: bytes = b"OggS fake voice") -> Inbound:
        """Build a voice note (audio with voice true) from user."""
        audio = {**self._media_object(content, "audio/ogg; codecs=opus"), "voice": True}
        return self._inbound(user, "audio", audio)

    def sticker_message(self, user: FakeUser, content: bytes = b"RIFF fake WEBP") -> Inbound:
        """Build a (static) sticker message from user."""
        sticker = {**self._media_object(content, "image/webp"), "animated": False}
        return self._inbound(user, "sticker", sticker)

    def location_message(
        self,
        user: FakeUser,
        latitude: float = 50.8466,
        longitude: float = 5.6603,
        name: str | None = None,
        address: str | None = None,
    ) -> Inbound:
        """Build a location from user (Pottenberg, Maastricht, by default)."""
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        location.update({k: v for k, v in (("name", name), ("address", address)) if v is not None})
        return self._inbound(user, "location", location)

    def contacts_message(
        self, user: FakeUser, contacts: list[dict[str, Any]] | None = None
    ) -> Inbound:
        """Build a contacts message from user; by default the user's own card."""
        if contacts is None:
            contacts = [
                {
                    "name": {"formatted_name": user.name, "first_name": user.name},
                    "phones": [{"phone": f"+{user.wa_id}", "wa_id": user.wa_id, "type": "CELL"}],
                }
            ]
        return self._inbound(user, "contacts", contacts)

    def reaction_message(self, user: FakeUser, wamid: str | SentMessage, emoji: str) -> Inbound:
        """Build a reaction of user to a message (emoji "" removes a reaction)."""
        message_id = wamid.wamid if isinstance(wamid, SentMessage) else wamid
        return self._inbound(user, "reaction", {"message_id": message_id, "emoji": emoji})

    def unsupported_message(self, user: FakeUser, kind: str = "unknown") -> Inbound:
        """Build a message of a type the Cloud API does not support (e.g. a poll)."""
        error = {
            "code": 131051,
            "title": "Message type unknown",
            "message": "Message type unknown",
            "error_data": {"details": "Message type is currently not supported."},
        }
        inbound = self._inbound(user, "unsupported", {"type": kind})
        inbound.message["errors"] = [error]
        return inbound

    def button_reply(self, user: FakeUser, message: SentMessage, title: str) -> Inbound:
        """Build user's tap on the reply button titled `title` of a message the bot sent."""
        self._check_addressed(user, message)
        ids = [button_id for button_id, button_title in message.buttons if button_title == title]
        if not ids:
            raise AssertionError(
                f"message {message.describe()} has no reply button titled {title!r}; "
                f"its buttons are {message.button_titles}"
            )
        reply = {"type": "button_reply", "button_reply": {"id": ids[0], "title": title}}
        return self._inbound(user, "interactive", reply, context=message.wamid)

    def list_reply(self, user: FakeUser, message: SentMessage, title: str) -> Inbound:
        """Build user's choice of the list row titled `title` of a message the bot sent."""
        self._check_addressed(user, message)
        rows = [row for row in message.rows if row[1] == title]
        if not rows:
            raise AssertionError(
                f"message {message.describe()} has no list row titled {title!r}; "
                f"its rows are {message.row_titles}"
            )
        row_id, _, description = rows[0]
        chosen = {"id": row_id, "title": title}
        if description is not None:
            chosen["description"] = description
        reply = {"type": "list_reply", "list_reply": chosen}
        return self._inbound(user, "interactive", reply, context=message.wamid)

    def template_button_reply(
        self, user: FakeUser, message: SentMessage, text: str, payload: str
    ) -> Inbound:
        """Build user's tap on a quick-reply button of a template the bot sent."""
        self._check_addressed(user, message)
        if message.type != "template":
            raise AssertionError(f"message {message.describe()} is not a template")
        return self._inbound(
            user, "button", {"text": text, "payload": payload}, context=message.wamid
        )

    def status(
        self,
        message: SentMessage | str,
        status: str = "delivered",
        error_code: int | None = None,
        recipient: str | FakeUser | None = None,
    ) -> StatusUpdate:
        """Build a status of a sent message (or wamid); failed needs an error_code."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        if (status == "failed") != (error_code is not None):
            raise ValueError("a failed status needs an error_code, and only a failed one")
        wamid = message.wamid if isinstance(message, SentMessage) else message
        if recipient is None:
            if not isinstance(message, SentMessage):
                raise ValueError("give the recipient of a status built from a bare wamid")
            recipient = message.to
        key = self._key(recipient)
        user = self._users.get(key)
        entry: dict[str, Any] = {"id": wamid, "status": status, "timestamp": self._timestamp()}
        entry["recipient_id"] = user.wa_id if user else key
        if user is not None and user.bsuid is not None:
            entry["recipient_user_id"] = user.bsuid
        if status in ("sent", "delivered"):
            entry["pricing"] = {
                "billable": False,
                "pricing_model": "PMP",
                "category": "service",
                "type": "free_customer_service",
            }
        if error_code is not None:
            error = GraphError(error_code)
            entry["errors"] = [
                {
                    "code": error_code,
                    "title": error.title,
                    "message": error.title,
                    "error_data": {"details": error.details},
                    "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
                }
            ]
        return StatusUpdate(entry, user)

    # webhooks (posted)

    async def send_text(self, user: FakeUser, text: str) -> int:
        """Post a text message from user; return the webhook's HTTP status."""
        return await self.batch(self.text_message(user, text))

    async def send_image(
        self, user: FakeUser, content: bytes = b"\xff\xd8\xff fake jpeg", caption: str = ""
    ) -> int:
        """Post an image from user."""
        return await self.batch(self.image_message(user, content, caption))

    async def send_voice(self, user: FakeUser, content: bytes = b"OggS fake voice") -> int:
        """Post a voice note from user."""
        return await self.batch(self.voice_message(user, content))

    async def send_sticker(self, user: FakeUser, content: bytes = b"RIFF fake WEBP") -> int:
        """Post a sticker from user."""
        return await self.batch(self.sticker_message(user, content))

    async def send_location(
        self, user: FakeUser, latitude: float = 50.8466, longitude: float = 5.6603
    ) -> int:
        """Post a location from user."""
        return await self.batch(self.location_message(user, latitude, longitude))

    async def send_contacts(
        self, user: FakeUser, contacts: list[dict[str, Any]] | None = None
    ) -> int:
        """Post a contacts message from user."""
        return await self.batch(self.contacts_message(user, contacts))

    async def send_reaction(self, user: FakeUser, wamid: str | SentMessage, emoji: str) -> int:
        """Post a reaction of user to a message."""
        return await self.batch(self.reaction_message(user, wamid, emoji))

    async def send_unsupported(self, user: FakeUser, kind: str = "unknown") -> int:
        """Post a message of an unsupported type from user."""
        return await self.batch(self.unsupported_message(user, kind))

    async def tap(self, user: FakeUser, message: SentMessage, title: str) -> int:
        """Post user's tap on the reply button titled `title` of a message the bot sent."""
        return await self.batch(self.button_reply(user, message, title))

    async def choose(self, user: FakeUser, message: SentMessage, title: str) -> int:
        """Post user's choice of the list row titled `title` of a message the bot sent."""
        return await self.batch(self.list_reply(user, message, title))

    async def tap_template(
        self, user: FakeUser, message: SentMessage, text: str, payload: str
    ) -> int:
        """Post user's tap on a template's quick-reply button."""
        return await self.batch(self.template_button_reply(user, message, text, payload))

    async def statuses(self, updates: Iterable[StatusUpdate]) -> int:
        """Post status updates in one webhook."""
        return await self.batch(*updates)

    async def batch(self, *events: Inbound | StatusUpdate, to: str | None = None) -> int:
        """Post several events in one webhook, as Meta may: one change with the messages (and
        their senders in ``contacts``), one with the statuses, to ``to`` (by default
        ``webhook_url``: one of several processes behind a load balancer); the HTTP status."""
        messages = [e for e in events if isinstance(e, Inbound)]
        statuses = [e for e in events if isinstance(e, StatusUpdate)]
        changes = []
        if messages:
            senders = [m.user for m in messages]
            changes.append(self._change(senders, {"messages": [m.message for m in messages]}))
        if statuses:
            known = [s.user for s in statuses if s.user is not None]
            changes.append(self._change(known, {"statuses": [s.status for s in statuses]}))
        if not changes:
            raise ValueError("batch() needs at least one event")
        now = self._clock()
        for inbound in messages:  # the bot may answer before the POST returns
            self._last_wrote[inbound.user.wa_id] = now
            self.inbound.append(inbound)
        body = meta_json(
            {
                "object": "whatsapp_business_account",
                "entry": [{"id": self.waba_id, "changes": changes}],
            }
        )
        return await self.post_raw(body, self.sign(body), to)

    async def redeliver(self, webhook: Webhook | None = None, *, last: bool = True) -> int:
        """Post a webhook's body again, as Meta redelivers (by default the last one)."""
        if webhook is None:
            if not last or not self.webhooks:
                raise ValueError("no webhook to redeliver; pass one")
            webhook = self.webhooks[-1]
        return await self.post_raw(webhook.body, self.sign(webhook.body))

    def sign(self, body: bytes) -> str:
        """Return the X-Hub-Signature-256 value Meta sends for body."""
        digest = hmac.new(self.app_secret.encode(), body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    async def post_raw(self, body: bytes, signature: str | None, to: str | None = None) -> int:
        """POST body to the webhook (`to`, or `webhook_url`) with this signature header (None:
        no header)."""
        url = to or self.webhook_url
        if url is None:
            raise RuntimeError("set fake.webhook_url before posting webhooks")
        headers = {"Content-Type": "application/json", "User-Agent": "facebookexternalua"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self._session().post(url, data=body, headers=headers) as response:
            answer = await response.text()
        self.webhooks.append(Webhook(body, signature, response.status, answer))
        self._changes.notify()
        return response.status

    async def verify(self, url: str, token: str, challenge: str = "1158201444") -> tuple[int, str]:
        """Do Meta's subscription handshake GET against url; return (status, text)."""
        params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge}
        async with self._session().get(url, params=params) as response:
            return response.status, await response.text()

    def _session(self) -> aiohttp.ClientSession:
        if self._client is None:
            self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self._client

    def _inbound(
        self, user: FakeUser, kind: str, content: Any, context: str | None = None
    ) -> Inbound:
        self._users.setdefault(user.wa_id, user)
        if user.bsuid is not None:
            self._by_bsuid.setdefault(user.bsuid, user)
        message: dict[str, Any] = {"from": user.wa_id}
        if user.bsuid is not None:
            message["from_user_id"] = user.bsuid
        if context is not None:
            message["context"] = {"from": self.display_phone_number, "id": context}
        message.update(
            {
                "id": self._wamid(user.wa_id),
                "timestamp": self._timestamp(),
                "type": kind,
                kind: content,
            }
        )
        return Inbound(user, message)

    def _media_object(self, content: bytes, mime_type: str) -> dict[str, Any]:
        media_id = self.add_media(content, mime_type)
        return {"mime_type": mime_type, "sha256": self.media[media_id].sha256, "id": media_id}

    def _change(self, users: list[FakeUser], value: dict[str, Any]) -> dict[str, Any]:
        metadata = {
            "display_phone_number": self.display_phone_number,
            "phone_number_id": self.phone_number_id,
        }
        full: dict[str, Any] = {"messaging_product": "whatsapp", "metadata": metadata}
        unique = list({user.wa_id: user for user in users}.values())
        if unique:
            full["contacts"] = [user.contact() for user in unique]
        return {"value": {**full, **value}, "field": "messages"}

    def _check_addressed(self, user: FakeUser, message: SentMessage) -> None:
        if message not in self._sent.get(message.to, []):
            raise AssertionError(f"message {message.describe()} is not one the fake accepted")
        if message.to not in (user.wa_id, user.bsuid):
            raise AssertionError(
                f"message {message.describe()} went to {message.to}, not to {user.wa_id}"
            )

    # HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        payload: Any = None
        try:
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            payload, files = await _read_body(request)
            # No await from here on: concurrent sends are checked and counted one at a time.
            response = self._dispatch(request, payload, files)
        except GraphError as error:
            self._record(Call(request.method, request.path, payload, error.status, error.code))
            return self._error_response(error)
        self._record(Call(request.method, request.path, payload, response.status))
        return response

    def _dispatch(
        self, request: web.Request, payload: Any, files: dict[str, UploadedFile]
    ) -> web.StreamResponse:
        path, method = request.path, request.method
        if match := _DOWNLOAD_PATH.fullmatch(path):
            self._authorize(request)
            return self._download(match["media_id"])
        if (match := _MESSAGES_PATH.fullmatch(path)) and method == "POST":
            return self._post_message(request, match["phone"], payload)
        self._authorize(request)
        if (match := _UPLOAD_PATH.fullmatch(path)) and method == "POST":
            self._check_phone(match["phone"], method)
            return self._upload(payload, files)
        if (match := _NODE_PATH.fullmatch(path)) and method in ("GET", "DELETE"):
            return self._media_node(match["node"], method)
        if _VERSION_PREFIX.match(path) and method in ("GET", "POST", "DELETE"):
            raise _no_such_object(path.split("/")[2] if path.count("/") > 1 else "", method)
        raise GraphError(2500, f"Unknown path components: {path}")

    def _authorize(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        token = token or request.query.get("access_token")
        if token != self.token:
            raise GraphError(190)

    def _check_phone(self, phone: str, method: str) -> None:
        if phone != self.phone_number_id:
            raise _no_such_object(phone, method)

    def _post_message(self, request: web.Request, phone: str, payload: Any) -> web.Response:
        is_status = isinstance(payload, dict) and "status" in payload
        try:
            self._authorize(request)
            self._check_phone(phone, "POST")
            if not isinstance(payload, dict):
                raise _param_error("The request body must be a JSON object.")
            if payload.get("messaging_product") != "whatsapp":
                raise _param_error(
                    "The parameter messaging_product is required and must be 'whatsapp'."
                )
            if is_status:
                return self._mark_read(payload)
            return self._send(payload)
        except GraphError as error:
            if not is_status:
                self.refusals[error.code] += 1
            raise

    def _send(self, body: dict[str, Any]) -> web.Response:
        recipient = self._recipient(body)
        self._injected_failure(recipient.key)
        kind = str(body.get("type", "text"))
        content = self._validator.content(kind, _Fields(body))
        tracker = body.get("biz_opaque_callback_data")
        if tracker is not None and (not isinstance(tracker, str) or len(tracker) > MAX_TRACKER):
            raise _param_error(
                f"Param biz_opaque_callback_data must be at most {MAX_TRACKER} characters."
            )
        if content.template is not None:
            self._check_template(content.template)
        else:
            self._check_window(recipient.key)
        now = self._clock()
        self._check_limits(recipient.key, now)
        context = body.get("context")
        sent = SentMessage(
            to=recipient.key,
            type=kind,
            payload=body,
            wamid=self._wamid(recipient.key),
            time=now,
            addressed=recipient.addressed,
            text=content.text,
            buttons=content.buttons,
            rows=content.rows,
            header=content.header,
            footer=content.footer,
            list_button=content.list_button,
            template=content.template,
            media_id=content.media_id,
            media_link=content.media_link,
            reply_to=context.get("message_id") if isinstance(context, dict) else None,
        )
        self.send_times.append(now)
        self._last_send[recipient.key] = now
        self._sent.setdefault(recipient.key, []).append(sent)
        # Meta answers a BSUID send with the BSUID, a phone number send with the wa_id.
        identity = (
            ("user_id", recipient.addressed) if recipient.by_bsuid else ("wa_id", recipient.key)
        )
        contact = {"input": recipient.addressed, identity[0]: identity[1]}
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [contact],
                "messages": [{"id": sent.wamid}],
            }
        )

    def _recipient(self, body: dict[str, Any]) -> _Recipient:
        if body.get("recipient_type", "individual") != "individual":
            raise _param_error("Only recipient_type 'individual' is faked.")
        to, bsuid = body.get("to"), body.get("recipient")
        if to is not None:
            digits = _PHONE_PUNCTUATION.sub("", str(to))
            if not digits.isdigit():
                raise _param_error(f"Param to must be a phone number, got {to!r}.")
            return _Recipient(str(to), digits, by_bsuid=False)
        if bsuid is not None:
            if not isinstance(bsuid, str) or not _BSUID.fullmatch(bsuid):
                raise _param_error(
                    f"Param recipient must be a business-scoped user id, got {bsuid!r}."
                )
            user = self._by_bsuid.get(bsuid)
            return _Recipient(bsuid, user.wa_id if user else bsuid, by_bsuid=True)
        raise _param_error("The parameter to is required.")

    def _injected_failure(self, key: str) -> None:
        for failure in self._failures:
            if failure.to is None or failure.to == key:
                self._failures.remove(failure)
                raise GraphError(failure.code)

    def _check_template(self, template: tuple[str, str]) -> None:
        if template not in self.approved_templates:
            name, language = template
            raise GraphError(132001, f"template name ({name}) does not exist in {language}")

    def _check_window(self, key: str) -> None:
        wrote = self._last_wrote.get(key)
        if wrote is None or self._clock() - wrote > SERVICE_WINDOW_SECONDS:
            raise GraphError(131047)

    def _check_limits(self, key: str, now: float) -> None:
        if self.per_second is not None:
            window_start = bisect.bisect_right(self.send_times, now - 1.0)
            if len(self.send_times) - window_start >= self.per_second:
                raise GraphError(130429)
        last = self._last_send.get(key)
        if self.per_user_interval is not None and last is not None:
            if now - last < self.per_user_interval:
                raise GraphError(131056)

    def _mark_read(self, body: dict[str, Any]) -> web.Response:
        wamid = body.get("message_id")
        if body.get("status") != "read" or not any(i.wamid == wamid for i in self.inbound):
            raise _param_error(
                f"Param message_id must be the id of a received message, got {wamid!r}."
            )
        assert isinstance(wamid, str)
        indicator = body.get("typing_indicator")
        (self.typing if indicator is not None else self.read_marks).append(wamid)
        return web.json_response({"success": True})

    def _upload(self, fields: Any, files: dict[str, UploadedFile]) -> web.Response:
        if not isinstance(fields, dict) or fields.get("messaging_product") != "whatsapp":
            raise _param_error(
                "The parameter messaging_product is required and must be 'whatsapp'."
            )
        upload = files.get("file")
        mime_type = fields.get("type")
        if upload is None:
            raise _param_error("The parameter file is required.")
        if not isinstance(mime_type, str) or not mime_type:
            raise _param_error("The parameter type is required.")
        base = mime_type.split(";")[0].strip().lower()
        limit = MEDIA_SIZE_LIMITS.get(base)
        if limit is None:
            supported = ", ".join(sorted(MEDIA_SIZE_LIMITS))
            raise _param_error(
                f"Param file must be a file with one of the following types: {supported}. "
                f"Received file of type '{mime_type}'."
            )
        if len(upload.content) > limit:
            raise GraphError(
                131053, f"{len(upload.content)} bytes is over the {limit} byte limit for {base}."
            )
        media_id = self.add_media(upload.content, mime_type, upload.filename)
        self.media[media_id].uploaded = True
        return web.json_response({"id": media_id})

    def _media_node(self, node: str, method: str) -> web.Response:
        stored = self.media.get(node)
        if stored is None or stored.deleted:
            raise _no_such_object(node, method)
        if method == "DELETE":
            stored.deleted = True
            return web.json_response({"success": True})
        return web.json_response(
            {
                "url": self.media_url(node),
                "mime_type": stored.mime_type,
                "sha256": stored.sha256,
                "file_size": len(stored.content),
                "id": node,
                "messaging_product": "whatsapp",
            }
        )

    def _download(self, media_id: str) -> web.Response:
        stored = self.media.get(media_id)
        if stored is None or stored.expired or stored.deleted:
            return web.Response(status=HTTPStatus.NOT_FOUND, text="URL signature expired")
        return web.Response(body=stored.content, headers={"Content-Type": stored.mime_type})

    def _error_response(self, error: GraphError) -> web.Response:
        if error.code == HTTP_500:
            return web.Response(status=500, text="Internal Server Error")
        return web.json_response(
            error.to_json(f"A{self._next_serial():08x}fake"), status=error.status
        )

    def _record(self, call: Call) -> None:
        _LOGGER.debug("%s %s -> %s %s", call.method, call.path, call.status, call.error_code)
        self.calls.append(call)
        self._changes.notify()

    # identifiers

    def _key(self, who: str | FakeUser) -> str:
        """Return the key the fake files a user's messages under: the wa_id if known."""
        if isinstance(who, FakeUser):
            return who.wa_id
        if who in self._by_bsuid:
            return self._by_bsuid[who].wa_id
        digits = _PHONE_PUNCTUATION.sub("", who)
        return digits if digits.isdigit() else who

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _wamid(self, key: str) -> str:
        raw = f"fake:{key}:{self._next_serial():012d}".encode()
        return "wamid." + base64.b64encode(raw).decode()

    def _timestamp(self) -> str:
        return str(int(self._clock()))
