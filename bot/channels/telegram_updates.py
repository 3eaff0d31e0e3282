"""Telegram updates as plain data: inbound events without names, replies as keyboards."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.channels.layout import Shown
from conversations.messages import Inbound, parse_command

CHANNEL = "telegram"
NAMES = frozenset({"first_name", "last_name", "username"})
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


def keyboard(shown: Shown) -> InlineKeyboardMarkup | None:
    """A message's buttons as an inline keyboard (None without buttons)."""
    if not shown.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in shown.buttons
        ]
    )


def sender_of(update: Update) -> str:
    """Whose update this is (`telegram:123`): their updates are handled in order."""
    user = update.effective_user
    return f"{CHANNEL}:{user.id}" if user is not None else f"{CHANNEL}:update:{update.update_id}"


def without_names(value: Any) -> Any:
    """An update as JSON without the names Telegram sends along: we never keep them."""
    if isinstance(value, list):
        return [without_names(item) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {key: without_names(item) for key, item in value.items() if key not in NAMES}
    if "first_name" in value:
        kept["first_name"] = ""  # PTB requires it of a user
    return kept
