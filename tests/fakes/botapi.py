"""A fake Telegram Bot API server on 127.0.0.1 that the real python-telegram-bot talks HTTP to.

Usage::

    async with FakeBotApi() as api:
        app = (
            ApplicationBuilder()
            .token("123:abc")
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
            .build()
        )
        user = api.user(1001, "Amina", language_code="ar")
        api.send_text(user, "hello")
        reply = await api.wait_for_message(user.id)

PTB posts every call to ``{base_url}{token}/{method}`` as a form in which strings are sent as
they are and every other value JSON-encoded; with a file upload the same fields come as
multipart/form-data. A string field cannot be told from a JSON one by looking at it (the text
"42" would decode to a number), so fields are decoded by name, as Telegram does (_STRING_FIELDS).

Sending can be made to behave like Telegram under load: ``FakeBotApi(limits=SendLimits())``
refuses sends over the flood limits with 429 (counted in ``flood_refusals``), ``latency=`` delays
every send's answer like a network round trip, and ``hold_sends_after(n)`` keeps a sendMessage
on the wire unanswered, to crash the sender while Telegram has not taken the message.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import html
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from tests.fakes.waiting import Changes, next_unread, until

_LOGGER = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
WEBHOOK_RETRY = 0.2

BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
LANGUAGE_CODE = re.compile(r"([a-z]{2})?")

# Methods that put a new message in a chat, and so count against the flood limits.
_SEND_METHODS = frozenset({"sendmessage", "sendphoto", "sendvoice", "senddocument"})
# How often a held request looks whether its client went away (aiohttp does not tell).
_HOLD_POLL_SECONDS = 0.02

_METHOD_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")

# Fields that Telegram reads as plain strings; every other form field is JSON.
_STRING_FIELDS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "description",
        "document",
        "emoji",
        "file_id",
        "first_name",
        "inline_message_id",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "parse_mode",
        "phone_number",
        "photo",
        "query",
        "short_description",
        "sticker",
        "text",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "voice",
    }
)

_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "callback_game",
        "copy_text",
        "login_url",
        "pay",
        "switch_inline_query",
        "switch_inline_query_chosen_chat",
        "switch_inline_query_current_chat",
        "url",
        "web_app",
    }
)

_QUERY_INVALID = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """An error answer of the fake server: HTTP status, description, optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(f"{status} {description}")
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """Return the body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(detail: str) -> ApiError:
    return ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {detail}")


def _bad_gateway() -> ApiError:
    return ApiError(HTTPStatus.BAD_GATEWAY, "Bad Gateway")


@dataclass(frozen=True)
class SendLimits:
    """Telegram's flood limits as the fake enforces them."""

    per_second: int = 30  # messages over all chats in any sliding 1-second window
    per_chat_interval: float = 1.0  # seconds between two messages to the same chat
    retry_after: int = 1


# --- records handed to tests -------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user talking to the bot in a private chat (chat id == user id)."""

    id: int
    first_name: str
    language_code: str | None = None
    last_name: str | None = None
    username: str | None = None

    @property
    def chat_id(self) -> int:
        """Return the id of the private chat with the bot."""
        return self.id

    def to_dict(self) -> dict[str, Any]:
        """Return the user as a Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        optional = {
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
        }
        user.update({key: value for key, value in optional.items() if value is not None})
        return user

    def chat_dict(self) -> dict[str, Any]:
        """Return the private chat as a Bot API Chat object."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the bot sent it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SentDocument:
    """A document the bot sent: the uploaded file name and bytes."""

    filename: str
    content: bytes
    mime_type: str | None
    file_id: str


@dataclass
class SentMessage:
    """A message the bot sent; text (the caption for a document) and buttons follow edits."""

    message_id: int
    chat_id: int
    text: str | None
    buttons: list[list[Button]] = field(default_factory=list)
    edits: int = 0
    reply_to_message_id: int | None = None
    document: SentDocument | None = None
    parse_mode: str | None = None
    raw_text: str | None = None
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    media: tuple[str, str] | None = None  # ("photo" or "voice", file_id) for sendPhoto/sendVoice

    def button_data(self) -> list[str]:
        """Return the callback_data of every button, row by row."""
        return [b.callback_data for row in self.buttons for b in row if b.callback_data]

    def find_button(self, data_prefix: str) -> Button:
        """Return the first button whose callback_data starts with data_prefix."""
        for row in self.buttons:
            for button in row:
                if button.callback_data and button.callback_data.startswith(data_prefix):
                    return button
        raise AssertionError(
            f"message {self.message_id} ({self.text!r}) has no button with callback_data "
            f"starting with {data_prefix!r}; it has {self.button_data()}"
        )

    def describe(self) -> str:
        """Return a one-line summary for failure messages."""
        buttons = f" buttons={self.button_data()}" if self.buttons else ""
        document = f" document={self.document.filename!r}" if self.document else ""
        edits = f" edits={self.edits}" if self.edits else ""
        return f"#{self.message_id} {self.text!r}{buttons}{document}{edits}"


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass(frozen=True)
class Call:
    """One request the server received and how it answered."""

    method: str
    params: dict[str, Any]
    token: str
    status: int
    description: str | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Return whether the call was answered with ok true."""
        return self.status == HTTPStatus.OK


@dataclass(frozen=True)
class AnsweredCallback:
    """An answerCallbackQuery the bot made for a pressed button."""

    query_id: str
    callback_data: str
    message_id: int
    text: str | None
    show_alert: bool


@dataclass
class _Queued:
    update: dict[str, Any]
    delivered: bool = False


@dataclass
class _Query:
    callback_data: str
    message_id: int
    answered: bool = False


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


# --- parse modes -------------------------------------------------------------------------


def _entity_error(detail: str) -> ApiError:
    return _bad_request(f"can't parse entities: {detail}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)
_HTML_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[^\s<>/]*)[^<>]*>|&(?P<entity>#x[0-9a-f]+|#[0-9]+|[a-z]+);|<",
    re.IGNORECASE,
)
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _parse_html(text: str) -> str:
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _HTML_TOKEN.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        offset = _byte_offset(text, match.start())
        if match["entity"] is not None:
            entity = match["entity"].lower()
            if entity.startswith("#"):
                out.append(html.unescape(match.group(0)))
            else:
                out.append(_HTML_ENTITIES.get(entity, match.group(0)))
            continue
        tag = (match["tag"] or "").lower()
        if match.group(0) == "<" or tag not in _HTML_TAGS:
            raise _entity_error(f'unsupported start tag "{tag}" at byte offset {offset}')
        if not match["end"]:
            open_tags.append(tag)
        elif open_tags and open_tags[-1] == tag:
            open_tags.pop()
        else:
            raise _entity_error(f'unexpected end tag "{tag}" at byte offset {offset}')
    out.append(text[position:])
    if open_tags:
        raise _entity_error(f'can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_MARKERS = (
    ("||", "Spoiler"),
    ("__", "Underline"),
    ("*", "Bold"),
    ("_", "Italic"),
    ("~", "Strikethrough"),
)


def _scan_to(text: str, start: int, terminator: str, kind: str, opened_at: int) -> tuple[str, int]:
    """Read escaped text from start up to terminator; return it and the index after it."""
    out: list[str] = []
    index = start
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
        elif text.startswith(terminator, index):
            return "".join(out), index + len(terminator)
        else:
            out.append(text[index])
            index += 1
    raise _entity_error(
        f"can't find end of {kind} entity at byte offset {_byte_offset(text, opened_at)}"
    )


def _code_block(text: str, index: int) -> tuple[str, int]:
    if text.startswith("```", index):
        content, end = _scan_to(text, index + 3, "```", "Pre", index)
        if "\n" in content:  # the first line names the language
            content = content.split("\n", 1)[1]
        return content, end
    return _scan_to(text, index + 1, "`", "Code", index)


def _parse_markdown_v2(text: str) -> str:
    out: list[str] = []
    open_entities: list[tuple[str, int]] = []
    index = 0
    while index < len(text):
        char = text[index]
        marker = next((m for m in _MDV2_MARKERS if text.startswith(m[0], index)), None)
        if char == "\\":
            if index + 1 == len(text):
                raise _entity_error("character '\\' at the end of the text must be escaped")
            out.append(text[index + 1])
            index += 2
        elif char == "`":
            content, index = _code_block(text, index)
            out.append(content)
        elif marker is not None:
            if open_entities and open_entities[-1][0] == marker[1]:
                open_entities.pop()
            else:
                open_entities.append((marker[1], index))
            index += len(marker[0])
        elif char == "[" or text.startswith("![", index):
            open_entities.append(("TextUrl", index))
            index += 2 if char == "!" else 1
        elif char == "]" and open_entities and open_entities[-1][0] == "TextUrl":
            opened_at = open_entities.pop()[1]
            if not text.startswith("(", index + 1):
                raise _entity_error(f"can't find URL of the link at byte offset {opened_at}")
            _, index = _scan_to(text, index + 2, ")", "TextUrl", opened_at)
        elif char == ">" and (index == 0 or text[index - 1] == "\n"):
            index += 1  # blockquote
        elif char in _MDV2_RESERVED:
            raise _entity_error(
                f"character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.append(char)
            index += 1
    if open_entities:
        kind, opened_at = open_entities[-1]
        raise _entity_error(
            f"can't find end of {kind} entity at byte offset {_byte_offset(text, opened_at)}"
        )
    return "".join(out)


def _parse_markdown(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "_*`[":
            out.append(text[index + 1])
            index += 2
            continue
        if char not in "_*`[":
            out.append(char)
            index += 1
            continue
        closing = {"_": "_", "*": "*", "`": "`", "[": "]"}[char]
        if text.startswith("```", index):
            closing = "```"
        end = text.find(closing, index + len(closing))
        if end < 0:
            offset = _byte_offset(text, index)
            raise _entity_error(f"can't find end of the entity starting at byte offset {offset}")
        out.append(text[index + len(closing) : end])
        index = end + len(closing)
        if char == "[" and text.startswith("(", index):
            url_end = text.find(")", index)
            index = url_end + 1 if url_end >= 0 else len(text)
    return "".join(out)


def visible_text(text: str, parse_mode: str | None) -> str:
    """Return the text Telegram would show for text in parse_mode, or raise its ApiError."""
    if not parse_mode:
        return text
    parsers = {"html": _parse_html, "markdownv2": _parse_markdown_v2, "markdown": _parse_markdown}
    parser = parsers.get(parse_mode.lower())
    if parser is None:
        raise _bad_request(f"unsupported parse_mode {parse_mode!r}")
    return parser(text)


# --- request parameters ------------------------------------------------------------------


def _decode_field(name: str, value: str | bytes | bytearray) -> Any:
    if isinstance(value, bytes | bytearray):
        value = value.decode()
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Read the query string and the form, multipart or JSON body of a Bot API request."""
    params: dict[str, Any] = {k: _decode_field(k, v) for k, v in request.query.items()}
    files: dict[str, UploadedFile] = {}
    try:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise _bad_request("the JSON body must be an object")
            params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    files[name] = UploadedFile(value.filename, content, value.content_type)
                else:
                    params[name] = _decode_field(name, value)
    except web.HTTPException as exc:
        raise ApiError(exc.status, exc.reason) from exc
    except (ValueError, HttpProcessingError) as exc:  # JSON, Unicode and multipart errors
        raise _bad_request(f"can't read the request body: {exc}") from exc
    return params, files


def _int_param(params: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None:
        if required:
            raise _bad_request(f"{name} is empty")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_request(f"{name} must be an integer, got {value!r}")
    return value


def _str_param(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _bad_request(f"{name} must be a string, got {value!r}")


def _parse_button(raw: Any) -> Button:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise _bad_request("can't parse inline keyboard button: a button must have a text")
    if not _BUTTON_ACTIONS & raw.keys():
        raise _bad_request("text buttons are unallowed in the inline keyboard")
    data = raw.get("callback_data")
    if "callback_data" in raw:
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise _bad_request("BUTTON_DATA_INVALID")
    return Button(raw["text"], data, raw.get("url"))


def _parse_markup(raw: Any, *, inline_only: bool = False) -> list[list[Button]]:
    """Validate a reply_markup and return its inline buttons (none for other keyboards)."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in raw:
        if inline_only:
            raise _bad_request("inline keyboard expected")
        return []
    rows = raw["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request('field "inline_keyboard" must be an Array of Arrays')
    return [[_parse_button(button) for button in row] for row in rows if row]


def _chat_id(chat: int | FakeUser) -> int:
    return chat.id if isinstance(chat, FakeUser) else chat


# --- the server --------------------------------------------------------------------------

_Params = dict[str, Any]
_Files = dict[str, UploadedFile]
_Handler = Callable[[_Params, _Files], Awaitable[Any]]


class FakeBotApi:
    """A fake Telegram Bot API server on 127.0.0.1; use it as ``async with FakeBotApi()``."""

    def __init__(
        self,
        *,
        bot_id: int = 5_000_000_001,
        bot_username: str = "wijkstem_test_bot",
        poll_cap: float = 1.0,
        limits: SendLimits | None = None,
        latency: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        """Set up the server; limits, latency and clock only concern sends (_SEND_METHODS).

        limits: refuse sends over Telegram's flood limits with 429 (None: never).
        latency: seconds every send waits before it is handled and answered.
        clock: when a send arrives, for the limits and send_times; tests may pass their own.
        """
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Wijkstem",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.poll_cap = poll_cap
        self.limits = limits
        self.latency = latency
        self.calls: list[Call] = []
        self.send_times: list[float] = []  # clock() of every accepted send, in order
        self.flood_refusals = 0
        self.delayed_sends = 0  # sends waiting out the latency right now
        self.answered_callbacks: list[AnsweredCallback] = []
        self.delivered_update_ids: list[int] = []
        self.waiting_polls = 0
        self._users: dict[int, FakeUser] = {}
        self._queue: list[_Queued] = []
        self._next_update_id = 1
        self._next_message_id: dict[int, int] = {}
        self._next_query_id = 4_380_000_001
        self._sent: dict[int, list[SentMessage]] = {}
        self._user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._cursors: dict[int, int] = {}
        self._queries: dict[str, _Query] = {}
        self._failures: dict[str, deque[ApiError]] = {}
        self._blocked: set[int] = set()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._clock = clock
        self._last_send: dict[int, float] = {}
        self._hold_countdown: int | None = None
        self._held: list[asyncio.Event] = []
        self._changes = Changes()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self.webhook: tuple[str, str | None] | None = None
        self.webhook_answers: list[int] = []
        self._pushing: asyncio.Task[None] | None = None
        self._methods: dict[str, _Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "sendvoice": self._send_voice,
            "sendchataction": self._send_chat_action,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getfile": self._get_file,
        }

    # lifecycle

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Wake pending long polls, answer held sends and stop the server."""
        self._closing = True
        if self._pushing is not None:
            self._pushing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pushing
        self.release_held()
        self._changes.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Return the value for ApplicationBuilder.base_url."""
        return f"http://127.0.0.1:{self._started_port()}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the value for ApplicationBuilder.base_file_url."""
        return f"http://127.0.0.1:{self._started_port()}/file/bot"

    def _started_port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started; use `async with FakeBotApi() as api`")
        return self._port

    # what tests inspect

    @property
    def tokens(self) -> set[str]:
        """Return every token the bot has called with."""
        return {call.token for call in self.calls}

    @property
    def unknown_methods(self) -> list[str]:
        """Return the names of called methods the fake does not know, in order."""
        return [c.method for c in self.calls if c.method.lower() not in self._methods]

    def calls_to(self, method: str) -> list[Call]:
        """Return the calls of one method, in order."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def messages(self, chat_id: int | FakeUser) -> list[SentMessage]:
        """Return the bot's messages to a chat, in order, as they are now."""
        return list(self._sent.get(_chat_id(chat_id), []))

    def send_rate(self) -> float:
        """Return the accepted sends per second between the first and the last accepted send."""
        if len(self.send_times) < 2:
            return 0.0
        span = self.send_times[-1] - self.send_times[0]
        return (len(self.send_times) - 1) / span if span > 0 else math.inf

    @property
    def held_requests(self) -> int:
        """Return how many sendMessage requests are held on the wire right now."""
        return len(self._held)

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        """Return the (command, description) pairs set for a language and scope."""
        stored = self._commands.get((_scope_key(scope), language_code), [])
        return [(c["command"], c["description"]) for c in stored]

    def describe(self, chat_id: int | FakeUser | None = None) -> str:
        """Return a summary of messages, pending updates and calls for failure messages."""
        lines = []
        if chat_id is not None:
            chat = _chat_id(chat_id)
            cursor = self._cursors.get(chat, 0)
            lines.append(f"bot messages to chat {chat} (the first {cursor} already read):")
            lines += [f"  {m.describe()}" for m in self._sent.get(chat, [])] or ["  (none)"]
        pending = [q.update["update_id"] for q in self._queue if not q.delivered]
        lines.append(f"updates not yet fetched by the bot: {pending}")
        failed = [f"{c.method} {c.status} {c.description}" for c in self.calls if not c.ok]
        lines.append(f"failed calls: {failed}")
        recent = [c.method for c in self.calls if c.method != "getUpdates"][-20:]
        lines.append(f"last calls other than getUpdates: {recent}")
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
        chat_id: int | FakeUser,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 20.0,  # noqa: ASYNC109 - reads best in tests
    ) -> SentMessage:
        """Return the next unread bot message to chat_id that matches predicate."""
        chat = _chat_id(chat_id)
        return await next_unread(
            self._changes,
            self._sent,
            self._cursors,
            chat,
            predicate,
            timeout,
            lambda: self.describe(chat),
        )

    # failure injection

    def fail_next(
        self,
        method: str,
        status: int = HTTPStatus.TOO_MANY_REQUESTS,
        description: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of method with an error (retry_after only for 429)."""
        too_many = status == HTTPStatus.TOO_MANY_REQUESTS
        if description is None:
            phrase = HTTPStatus(status).phrase
            description = f"{phrase}: retry after {retry_after}" if too_many else phrase
        failures = self._failures.setdefault(method.lower(), deque())
        for _ in range(times):
            failures.append(ApiError(status, description, retry_after if too_many else None))

    def hold_sends_after(self, n: int) -> None:
        """Hold every sendMessage after the next n accepted ones on the wire, unanswered.

        A held request is neither delivered nor recorded until release_held() (or close())
        answers it with 502 Bad Gateway, or its client goes away. Holding goes on until
        release_held(), so a sender crashed while holding has sent exactly n.
        """
        if n < 0:
            raise ValueError(f"n must be at least 0, got {n}")
        self._hold_countdown = n

    def release_held(self) -> int:
        """Stop holding; answer every held sendMessage with 502, undelivered; return how many."""
        self._hold_countdown = None
        released, self._held = self._held, []
        for event in released:
            event.set()
        self._changes.notify()
        return len(released)

    async def wait_for_held(
        self,
        timeout: float = 20.0,  # noqa: ASYNC109 - reads best in tests
    ) -> None:
        """Return once a sendMessage request is being held (see hold_sends_after)."""

        def holding() -> bool:
            return bool(self._held)

        await self.wait_until(holding, timeout)

    def block(self, chat_id: int | FakeUser) -> None:
        """Make sends to this chat fail with 403 as if the user blocked the bot."""
        self._blocked.add(_chat_id(chat_id))

    def unblock(self, chat_id: int | FakeUser) -> None:
        """Undo block()."""
        self._blocked.discard(_chat_id(chat_id))

    # users and their updates

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Amina",
        language_code: str | None = "nl",
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """Create a user whose private chat with the bot exists."""
        user = FakeUser(user_id, first_name, language_code, last_name, username)
        self._users[user_id] = user
        return user

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for getUpdates; an update without update_id gets the next one."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._queue.append(_Queued(update))
        self._changes.notify()
        return update

    def send_text(
        self, user: FakeUser, text: str, *, reply_to: SentMessage | None = None
    ) -> dict[str, Any]:
        """Queue a text message from user, optionally replying to a bot message."""
        content: dict[str, Any] = {"text": text}
        if reply_to is not None:
            content["reply_to_message"] = self._message_dict(reply_to, with_reply=False)
        return self._from_user(user, content)

    def send_command(self, user: FakeUser, command: str, args: str = "") -> dict[str, Any]:
        """Queue a /command (with a bot_command entity) from user."""
        command = "/" + command.removeprefix("/")
        text = f"{command} {args}" if args else command
        entity = {"type": "bot_command", "offset": 0, "length": len(command)}
        return self._from_user(user, {"text": text, "entities": [entity]})

    def send_sticker(self, user: FakeUser, emoji: str = "👍") -> dict[str, Any]:
        """Queue a sticker from user."""
        sticker = {
            **self._register_file("stickers", b"fake sticker", ".webp"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._from_user(user, {"sticker": sticker})

    def send_photo(self, user: FakeUser, caption: str | None = None) -> dict[str, Any]:
        """Queue a photo (two sizes) from user."""
        sizes = [
            {**self._register_file("photos", b"small photo", ".jpg"), "width": 90, "height": 67},
            {**self._register_file("photos", b"large photo", ".jpg"), "width": 800, "height": 600},
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self._from_user(user, content)

    def send_voice(self, user: FakeUser, duration: int = 3) -> dict[str, Any]:
        """Queue a voice note from user."""
        voice = {
            **self._register_file("voice", b"OggS fake voice", ".oga"),
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._from_user(user, {"voice": voice})

    def send_location(
        self, user: FakeUser, latitude: float = 50.8466, longitude: float = 5.6603
    ) -> dict[str, Any]:
        """Queue a location from user (Pottenberg, Maastricht, by default)."""
        return self._from_user(user, {"location": {"latitude": latitude, "longitude": longitude}})

    def send_contact(self, user: FakeUser, phone_number: str = "+31612345678") -> dict[str, Any]:
        """Queue the user's own contact card."""
        contact = {"phone_number": phone_number, "first_name": user.first_name, "user_id": user.id}
        return self._from_user(user, {"contact": contact})

    def send_document(
        self,
        user: FakeUser,
        filename: str = "brief.pdf",
        content: bytes = b"%PDF-1.4 fake",
        mime_type: str = "application/pdf",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Queue a document from user; the bot can download its bytes with getFile."""
        document = {
            **self._register_file("documents", content, "." + filename.rsplit(".", 1)[-1]),
            "file_name": filename,
            "mime_type": mime_type,
        }
        message: dict[str, Any] = {"document": document}
        if caption is not None:
            message["caption"] = caption
        return self._from_user(user, message)

    def press(self, user: FakeUser, message: SentMessage, callback_data: str) -> dict[str, Any]:
        """Queue a callback_query for an existing button of a message the bot sent."""
        if message not in self._sent.get(message.chat_id, []) or message.deleted:
            raise AssertionError(f"message {message.describe()} is not a live bot message")
        if message.chat_id != user.id:
            raise AssertionError(
                f"message {message.message_id} is in chat {message.chat_id}, "
                f"not in the private chat of user {user.id}"
            )
        if callback_data not in message.button_data():
            raise AssertionError(
                f"message {message.describe()} has no button with callback_data {callback_data!r}"
            )
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        self._queries[query_id] = _Query(callback_data, message.message_id)
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "chat_instance": f"-{user.id}",
            "data": callback_data,
            "message": self._message_dict(message),
        }
        return self.push_update({"callback_query": query})

    def _from_user(self, user: FakeUser, content: dict[str, Any]) -> dict[str, Any]:
        self._users.setdefault(user.id, user)
        message = {
            "message_id": self._take_message_id(user.id),
            "from": user.to_dict(),
            "chat": user.chat_dict(),
            "date": int(time.time()),
            **content,
        }
        self._user_messages[(user.id, message["message_id"])] = message
        return self.push_update({"message": message})

    def _take_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _register_file(self, folder: str, content: bytes, suffix: str) -> dict[str, Any]:
        number = len(self._files) + 1
        stored = _StoredFile(
            file_id=f"fake-{folder}-{number}",
            file_unique_id=f"u{number}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
        )
        self._files[stored.file_id] = stored
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(content),
        }

    # HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        if file_match := _FILE_PATH.fullmatch(request.path):
            return self._serve_file(file_match["path"])
        match = _METHOD_PATH.fullmatch(request.path)
        if match is None:
            return _error_response(ApiError(HTTPStatus.NOT_FOUND, "Not Found"))
        token, method = match["token"], match["method"]
        params: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        try:
            params, files = await _read_params(request)
            if method.lower() == "sendmessage" and self._hold_countdown == 0:
                if not await self._hold(request):
                    return _error_response(_bad_gateway())  # no one is left to read it
                raise _bad_gateway()
            result = await self._dispatch(token, method, params, files)
        except ApiError as error:
            self._record(Call(method, params, token, error.status, error.description, files))
            return _error_response(error)
        self._record(Call(method, params, token, HTTPStatus.OK, None, files))
        return web.json_response({"ok": True, "result": result})

    async def _hold(self, request: web.Request) -> bool:
        """Leave a request unanswered until release_held() (True) or its client leaves (False)."""
        released = asyncio.Event()
        self._held.append(released)
        self._changes.notify()
        try:
            while not released.is_set():
                # A client killed mid-request is only seen as a closed transport.
                if request.transport is None or request.transport.is_closing():
                    _LOGGER.debug("held %s abandoned by its client", request.path)
                    return False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(released.wait(), _HOLD_POLL_SECONDS)
            return True
        finally:
            if released in self._held:
                self._held.remove(released)
                self._changes.notify()

    async def _dispatch(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        sending = method.lower() in _SEND_METHODS
        if sending and self.latency > 0:
            await self._delay()
        if "bad" in token:
            raise ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized")
        if failures := self._failures.get(method.lower()):
            raise failures.popleft()
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(HTTPStatus.NOT_FOUND, f"Not Found: method {method} is not faked")
        # No await from here to the end of the handler (send handlers never wait), so
        # concurrent sends are checked against the limits and counted one at a time.
        arrival = self._clock()
        if sending:
            self._check_limits(params, arrival)
        try:
            result = await handler(params, files)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            # a parameter of the wrong shape that no explicit check caught
            raise _bad_request(f"malformed parameters for {method}: {exc!r}") from exc
        if sending:
            self._accept_send(method, result["chat"]["id"], arrival)
        return result

    async def _delay(self) -> None:
        self.delayed_sends += 1
        self._changes.notify()
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.delayed_sends -= 1

    def _check_limits(self, params: dict[str, Any], arrival: float) -> None:
        """Refuse a send over the flood limits with 429, as Telegram does."""
        limits = self.limits
        if limits is None:
            return
        window_start = bisect.bisect_right(self.send_times, arrival - 1.0)
        over_all_chats = len(self.send_times) - window_start >= limits.per_second
        chat_id = params.get("chat_id")
        last = self._last_send.get(chat_id) if isinstance(chat_id, int) else None
        over_chat = last is not None and arrival - last < limits.per_chat_interval
        if over_all_chats or over_chat:
            self.flood_refusals += 1
            raise ApiError(
                HTTPStatus.TOO_MANY_REQUESTS,
                f"Too Many Requests: retry after {limits.retry_after}",
                limits.retry_after,
            )

    def _accept_send(self, method: str, chat_id: int, arrival: float) -> None:
        self.send_times.append(arrival)
        self._last_send[chat_id] = arrival
        if method.lower() == "sendmessage" and self._hold_countdown:
            self._hold_countdown -= 1

    def _record(self, call: Call) -> None:
        _LOGGER.debug("%s %s -> %s %s", call.method, call.params, call.status, call.description)
        self.calls.append(call)
        self._changes.notify()

    def _serve_file(self, file_path: str) -> web.Response:
        for stored in self._files.values():
            if stored.file_path == file_path:
                return web.Response(body=stored.content)
        return _error_response(ApiError(HTTPStatus.NOT_FOUND, "Not Found"))

    # Bot API methods

    async def _get_me(self, params: _Params, files: _Files) -> Any:
        return self.bot_user

    async def _delete_webhook(self, params: _Params, files: _Files) -> Any:
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self.webhook = None
        return True

    async def _set_webhook(self, params: _Params, files: _Files) -> Any:
        url = params.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://127.0.0.1")):
            raise _bad_request("bad webhook: an HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        self.webhook = (url, None if secret is None else str(secret))
        if self._pushing is None:
            self._pushing = asyncio.create_task(self._push_to_webhook())
        self._changes.notify()
        return True

    async def _push_to_webhook(self) -> None:
        """POST queued updates to the webhook in order, as Telegram does; retry until a 2xx."""
        async with aiohttp.ClientSession() as session:
            while True:
                await self._changes.wait_for(lambda: self.webhook and self._queue)
                assert self.webhook is not None
                url, secret = self.webhook
                queued = self._queue[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
                try:
                    async with session.post(url, json=queued.update, headers=headers) as answer:
                        status = answer.status
                except aiohttp.ClientError:
                    status = 0
                self.webhook_answers.append(status)
                if 200 <= status < 300:
                    self.delivered_update_ids.append(queued.update["update_id"])
                    self._queue.remove(queued)
                else:
                    await asyncio.sleep(WEBHOOK_RETRY)  # Telegram retries a refused update

    async def _get_updates(self, params: _Params, files: _Files) -> Any:
        if self.webhook is not None:
            raise ApiError(
                HTTPStatus.CONFLICT,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset", required=False) or 0
        limit = min(max(_int_param(params, "limit", required=False) or 100, 1), 100)
        timeout = params.get("timeout") or 0
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise _bad_request(f"timeout must be a number, got {timeout!r}")
        timeout = min(max(timeout, 0), self.poll_cap)
        if offset > 0:  # confirms delivered updates; never-delivered repeats stay queued
            self._queue = [
                q for q in self._queue if not (q.delivered and q.update["update_id"] < offset)
            ]
        elif offset < 0:
            self._queue = self._queue[offset:]
        self.waiting_polls += 1
        self._changes.notify()  # tests may wait for a poll to be pending
        try:
            async with asyncio.timeout(timeout):
                await self._changes.wait_for(lambda: self._closing or self._queue)
        except TimeoutError:
            return []
        finally:
            self.waiting_polls -= 1
        batch = self._queue[:limit]
        for queued in batch:
            queued.delivered = True
            self.delivered_update_ids.append(queued.update["update_id"])
        return [queued.update for queued in batch]

    async def _set_my_commands(self, params: _Params, files: _Files) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not BOT_COMMAND.fullmatch(
                str(command.get("command"))
            ):
                raise _bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise _bad_request("command description is empty or too long")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: _Params, files: _Files) -> Any:
        return self._commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: _Params, files: _Files) -> Any:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        language_code = _str_param(params, "language_code") or ""
        if not LANGUAGE_CODE.fullmatch(language_code):
            raise _bad_request("invalid language code specified")
        scope = params.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise _bad_request("can't parse BotCommandScope JSON object")
        return _scope_key(scope), language_code

    async def _send_message(self, params: _Params, files: _Files) -> Any:
        chat_id = self._target_chat(params)
        raw_text = _str_param(params, "text") or ""
        parse_mode = _str_param(params, "parse_mode")
        text = visible_text(raw_text, parse_mode)
        if not text.strip():
            raise _bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        buttons = _parse_markup(params.get("reply_markup"))
        sent = SentMessage(
            message_id=self._take_message_id(chat_id),
            chat_id=chat_id,
            text=text,
            buttons=buttons,
            reply_to_message_id=self._reply_to(chat_id, params),
            parse_mode=parse_mode,
            raw_text=raw_text,
            date=int(time.time()),
        )
        self._sent.setdefault(chat_id, []).append(sent)
        return self._message_dict(sent)

    async def _send_document(self, params: _Params, files: _Files) -> Any:
        chat_id = self._target_chat(params)
        document = self._document(params, files)
        raw_caption = _str_param(params, "caption")
        parse_mode = _str_param(params, "parse_mode")
        caption = None if raw_caption is None else visible_text(raw_caption, parse_mode)
        if caption is not None and len(caption) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        buttons = _parse_markup(params.get("reply_markup"))
        sent = SentMessage(
            message_id=self._take_message_id(chat_id),
            chat_id=chat_id,
            text=caption,
            buttons=buttons,
            reply_to_message_id=self._reply_to(chat_id, params),
            document=document,
            parse_mode=parse_mode,
            raw_text=raw_caption,
            date=int(time.time()),
        )
        self._sent.setdefault(chat_id, []).append(sent)
        return self._message_dict(sent)

    async def _send_photo(self, params: _Params, files: _Files) -> Any:
        return self._send_media("photo", params)

    async def _send_voice(self, params: _Params, files: _Files) -> Any:
        return self._send_media("voice", params)

    def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        """A photo or voice note sent again by file_id, as a bot forwards what a user sent."""
        chat_id = self._target_chat(params)
        file_id = params.get(kind)
        if not isinstance(file_id, str) or file_id not in self._files:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        caption = _str_param(params, "caption")
        if caption is not None and len(caption) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        sent = SentMessage(
            message_id=self._take_message_id(chat_id),
            chat_id=chat_id,
            text=caption,
            buttons=_parse_markup(params.get("reply_markup")),
            media=(kind, file_id),
            date=int(time.time()),
        )
        self._sent.setdefault(chat_id, []).append(sent)
        return self._message_dict(sent)

    def _document(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> SentDocument:
        value = params.get("document")
        upload = files.get("document")
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            filename = upload.filename or "document"
            stored = self._register_file("documents", upload.content, "")
            return SentDocument(filename, upload.content, upload.content_type, stored["file_id"])
        if isinstance(value, str) and value in self._files:
            stored_file = self._files[value]
            name = stored_file.file_path.rsplit("/", 1)[-1]
            return SentDocument(name, stored_file.content, None, value)
        if value is None:
            raise _bad_request("there is no document in the request")
        raise _bad_request("wrong file identifier/HTTP URL specified")

    async def _send_chat_action(self, params: _Params, files: _Files) -> Any:
        self._target_chat(params)
        if not _str_param(params, "action"):
            raise _bad_request("action is empty")
        return True

    async def _edit_message_text(self, params: _Params, files: _Files) -> Any:
        sent = self._editable(params)
        if sent.document is not None:
            raise _bad_request("there is no text in the message to edit")
        raw_text = _str_param(params, "text") or ""
        parse_mode = _str_param(params, "parse_mode")
        text = visible_text(raw_text, parse_mode)
        if not text.strip():
            raise _bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        buttons = _parse_markup(params.get("reply_markup"), inline_only=True)
        current = (sent.text, sent.raw_text, sent.parse_mode, sent.buttons)
        if current == (text, raw_text, parse_mode, buttons):
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        sent.text, sent.raw_text, sent.parse_mode = text, raw_text, parse_mode
        sent.buttons = buttons
        return self._mark_edited(sent)

    async def _edit_message_reply_markup(self, params: _Params, files: _Files) -> Any:
        sent = self._editable(params)
        buttons = _parse_markup(params.get("reply_markup"), inline_only=True)
        if buttons == sent.buttons:
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        sent.buttons = buttons
        return self._mark_edited(sent)

    def _mark_edited(self, sent: SentMessage) -> dict[str, Any]:
        sent.edits += 1
        sent.edit_date = int(time.time())
        return self._message_dict(sent)

    async def _delete_message(self, params: _Params, files: _Files) -> Any:
        chat_id = self._known_chat(params)
        message_id = _int_param(params, "message_id")
        assert message_id is not None
        if self._user_messages.pop((chat_id, message_id), None) is not None:
            return True
        sent = self._find_sent(chat_id, message_id)
        if sent is None:
            raise _bad_request("message to delete not found")
        sent.deleted = True
        return True

    async def _answer_callback_query(self, params: _Params, files: _Files) -> Any:
        query_id = _str_param(params, "callback_query_id") or ""
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise ApiError(HTTPStatus.BAD_REQUEST, _QUERY_INVALID)
        text = _str_param(params, "text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        answer = AnsweredCallback(
            query_id, query.callback_data, query.message_id, text, bool(params.get("show_alert"))
        )
        self.answered_callbacks.append(answer)
        return True

    async def _get_file(self, params: _Params, files: _Files) -> Any:
        stored = self._files.get(_str_param(params, "file_id") or "")
        if stored is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # shared method helpers

    def _known_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int | str) or chat_id not in self._users:
            raise _bad_request("chat not found")
        return chat_id

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = self._known_chat(params)
        if chat_id in self._blocked:
            raise ApiError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
        return chat_id

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        if params.get("inline_message_id") is not None:
            raise _bad_request("inline messages are not faked")
        chat_id = self._known_chat(params)
        message_id = _int_param(params, "message_id")
        if (chat_id, message_id) in self._user_messages:
            raise _bad_request("message can't be edited")
        sent = self._find_sent(chat_id, message_id)
        if sent is None:
            raise _bad_request("message to edit not found")
        return sent

    def _find_sent(self, chat_id: int, message_id: int | None) -> SentMessage | None:
        for sent in self._sent.get(chat_id, []):
            if sent.message_id == message_id and not sent.deleted:
                return sent
        return None

    def _reply_to(self, chat_id: int, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            reply = {
                "message_id": params["reply_to_message_id"],
                "allow_sending_without_reply": params.get("allow_sending_without_reply", False),
            }
        if reply is None:
            return None
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise _bad_request("can't parse reply parameters JSON object")
        message_id = reply["message_id"]
        if self._replied_message(chat_id, message_id) is not None:
            return message_id
        if reply.get("allow_sending_without_reply"):
            return None
        raise _bad_request("message to be replied not found")

    def _replied_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        user_message = self._user_messages.get((chat_id, message_id))
        if user_message is not None:
            return {k: v for k, v in user_message.items() if k != "reply_to_message"}
        sent = self._find_sent(chat_id, message_id)
        return None if sent is None else self._message_dict(sent, with_reply=False)

    def _message_dict(self, sent: SentMessage, *, with_reply: bool = True) -> dict[str, Any]:
        """Return a bot message as Telegram shows it now."""
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "from": self.bot_user,
            "chat": self._users[sent.chat_id].chat_dict(),
            "date": sent.date,
        }
        if sent.edit_date is not None:
            message["edit_date"] = sent.edit_date
        if sent.document is not None:
            document = sent.document
            message["document"] = {
                "file_id": document.file_id,
                "file_unique_id": self._files[document.file_id].file_unique_id,
                "file_name": document.filename,
                "file_size": len(document.content),
            }
            if document.mime_type:
                message["document"]["mime_type"] = document.mime_type
            if sent.text is not None:
                message["caption"] = sent.text
        elif sent.media is not None:
            kind, file_id = sent.media
            media = {"file_id": file_id, "file_unique_id": self._files[file_id].file_unique_id}
            if kind == "photo":
                message["photo"] = [{**media, "width": 800, "height": 600}]
            else:
                message["voice"] = {**media, "duration": 3}
            if sent.text is not None:
                message["caption"] = sent.text
        elif sent.text is not None:
            message["text"] = sent.text
        if sent.buttons:
            message["reply_markup"] = {
                "inline_keyboard": [[_button_dict(b) for b in row] for row in sent.buttons]
            }
        if with_reply and sent.reply_to_message_id is not None:
            replied = self._replied_message(sent.chat_id, sent.reply_to_message_id)
            if replied is not None:
                message["reply_to_message"] = replied
        return message


def _button_dict(button: Button) -> dict[str, str]:
    result = {"text": button.text}
    if button.callback_data is not None:
        result["callback_data"] = button.callback_data
    if button.url is not None:
        result["url"] = button.url
    return result


def _scope_key(scope: dict[str, Any] | None) -> str:
    if scope is None or scope == {"type": "default"}:
        return "default"
    return json.dumps(scope, sort_keys=True)


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.status)
