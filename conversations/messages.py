"""What flows in from a channel and what flows back: no platform types."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Literal

from locales import current, in_reading_order

InboundKind = Literal["text", "command", "choice", "photo", "voice", "unsupported"]
# Halves of a UTF-16 pair standing alone: no UTF-8 file or database can hold them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Inbound:
    """One thing a person did in a chat, as a channel understood it."""

    channel: str
    user_id: str
    kind: InboundKind
    text: str = ""
    command: str = ""
    choice: str = ""
    media_ref: str | None = None
    unsupported: str = ""
    language_code: str | None = None
    message_id: str | None = None

    def __post_init__(self) -> None:
        # Keep what can be stored and mark what cannot, rather than lose the whole message.
        for name in ("text", "command", "choice"):
            value = getattr(self, name)
            if LONE_SURROGATE.search(value):
                object.__setattr__(self, name, LONE_SURROGATE.sub("\ufffd", value))


@dataclass(frozen=True)
class Button:
    """A button: the label shown (translated) and the data it sends back (never translated)."""

    label: str
    data: str


@dataclass(frozen=True)
class Attachment:
    """A photo or voice note the resident sent, shown again (to a worker) by its channel id."""

    kind: Literal["photo", "voice"]
    ref: str


@dataclass(frozen=True)
class Document:
    """A file to send along, such as a report."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    """A message to send; `replace`: it takes the place of the message whose button was tapped."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    replace: bool = False
    lang: str = field(default_factory=current)
    attachment: Attachment | None = None
    documents: tuple[Document, ...] = ()

    def directed(self) -> Reply:
        """The reply with every line set in its language's reading direction."""
        return replace(self, text=in_reading_order(self.text, self.lang))


def encode_replies(replies: list[Reply]) -> str:
    """Replies as JSON, to keep until they are sent (files as base64)."""
    encoded = []
    for reply in replies:
        fields = asdict(reply)
        fields["documents"] = [
            {"filename": d.filename, "content": base64.b64encode(d.content).decode("ascii")}
            for d in reply.documents
        ]
        encoded.append(fields)
    return json.dumps(encoded, ensure_ascii=False)


def decode_replies(text: str) -> list[Reply]:
    """Replies kept by encode_replies, as they were."""
    return [
        Reply(
            text=fields["text"],
            buttons=tuple(tuple(Button(**b) for b in row) for row in fields["buttons"]),
            replace=fields["replace"],
            lang=fields["lang"],
            attachment=Attachment(**fields["attachment"]) if fields["attachment"] else None,
            documents=tuple(
                Document(d["filename"], base64.b64decode(d["content"]))
                for d in fields["documents"]
            ),
        )
        for fields in json.loads(text)
    ]


@dataclass(frozen=True)
class Command:
    """A command for the channel's menu, with its description to translate."""

    name: str
    description: str


def parse_command(text: str) -> tuple[str, str]:
    """`/Report@wijkstem_bot nazareth` → ("report", "nazareth"): the command and its arguments."""
    word, _space, rest = text.removeprefix("/").partition(" ")
    return word.split("@")[0].lower(), rest.strip()
