"""WhatsApp webhooks as plain data: messages to keep and handle, statuses of what we sent.

Meta's webhook body (`object: whatsapp_business_account`) carries, per change, `messages`,
`statuses` and `contacts`. A message is kept in the inbox by its `wamid`, without the profile
name Meta sends along; who sent it is the business-scoped user id when Meta gives one, else the
WhatsApp id (the phone number), never shown to anyone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import phonenumbers
from babel.languages import get_official_languages

from conversations.messages import Inbound, parse_command
from locales import available_languages
from storage.inbox import Received

CHANNEL = "whatsapp"
MEDIA_KINDS = {"image": "photo", "audio": "voice"}
UNSUPPORTED = ("sticker", "location", "contacts", "document", "video", "unsupported", "order")


@dataclass(frozen=True)
class Status:
    """What Meta says of a message we sent: sent, delivered, read or failed (with codes)."""

    message_id: str
    status: str
    codes: tuple[int, ...] = ()


def signed(body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `X-Hub-Signature-256` is the app secret's HMAC of the raw body (constant time)."""
    if not signature or not signature.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256="))


def changes(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The `value` of every messages change in a webhook body."""
    if body.get("object") != "whatsapp_business_account":
        return []
    return [
        change.get("value") or {}
        for entry in body.get("entry") or []
        for change in entry.get("changes") or []
        if change.get("field") == "messages"
    ]


def received(body: dict[str, Any]) -> list[Received]:
    """The messages of a webhook body, ready for the inbox (names left out)."""
    kept = []
    for value in changes(body):
        ids = {c.get("wa_id"): c.get("user_id") for c in value.get("contacts") or []}
        for message in value.get("messages") or []:
            wa_id = str(message.get("from") or "")
            person = f"{CHANNEL}:{ids.get(wa_id) or message.get('from_user_id') or wa_id}"
            payload = {"message": message, "to": ids.get(wa_id) or wa_id, "person": person}
            kept.append(Received(CHANNEL, str(message.get("id")), person, json.dumps(payload)))
    return kept


def statuses(body: dict[str, Any]) -> list[Status]:
    """The statuses of a webhook body."""
    return [
        Status(
            str(status.get("id")),
            str(status.get("status")),
            tuple(int(e.get("code", 0)) for e in status.get("errors") or []),
        )
        for value in changes(body)
        for status in value.get("statuses") or []
    ]


def to_inbound(payload: dict[str, Any]) -> Inbound | None:
    """A kept message as an inbound event (None: nothing to answer, such as a reaction)."""
    message = payload["message"]
    kind = message.get("type")
    if kind == "reaction":
        return None
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "user_id": str(payload["to"]),
        "language_code": language_of(str(message.get("from") or "")),
        "message_id": str(message.get("id")),
    }
    if kind == "text":
        text = str((message.get("text") or {}).get("body") or "")
        if text.startswith("/"):
            command, arguments = parse_command(text)
            return Inbound(kind="command", command=command, text=arguments, **common)
        return Inbound(kind="text", text=text, **common)
    if kind == "interactive":
        answer = message.get("interactive") or {}
        chosen = answer.get("button_reply") or answer.get("list_reply") or {}
        return Inbound(kind="choice", choice=str(chosen.get("id") or ""), **common)
    if kind == "button":  # a template's quick reply
        return Inbound(
            kind="choice", choice=str((message.get("button") or {}).get("payload")), **common
        )
    if kind in MEDIA_KINDS:
        media = message.get(kind) or {}
        return Inbound(
            kind=MEDIA_KINDS[kind],  # type: ignore[arg-type]
            text=str(media.get("caption") or ""),
            media_ref=str(media.get("id")),
            **common,
        )
    what = kind if kind in UNSUPPORTED else "other"
    return Inbound(
        kind="unsupported", unsupported="contact" if what == "contacts" else what, **common
    )


@cache
def language_of(number: str) -> str | None:
    """The likely language of a phone number's country, as a language code (None: unknown)."""
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(f"+{number}"))
    except phonenumbers.NumberParseException:
        return None
    for lang in get_official_languages(region or "", de_facto=True):
        code = lang.split("_")[0]
        if code in available_languages():
            return code
    return None
