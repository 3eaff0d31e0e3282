"""What flows in from a channel and what flows back: no platform types."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

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

    @property
    def person(self) -> str:
        """Who did it, with their channel: `telegram:123`, `console:local`."""
        return f"{self.channel}:{self.user_id}"

    def __post_init__(self) -> None:
        # Keep what can be stored and mark what cannot, rather than lose the whole message.
        for name in ("text", "command", "choice"):
            value = getattr(self, name)
            if LONE_SURROGATE.search(value):
                object.__setattr__(self, name, LONE_SURROGATE.sub("\ufffd", value))


@dataclass(frozen=True)
class Choice:
    """One answer to a question: the data it sends back (never translated) and its labels.

    `label` is shown where there is room, `short` (at most 20 UTF-16 units) where there is
    not, `description` under it in a list; `words` are what a resident may type to choose it.
    `ticked` marks a multi-select toggle as on or off (None: not a toggle).
    """

    data: str
    label: str
    short: str = ""
    description: str = ""
    words: tuple[str, ...] = ()
    ticked: bool | None = None

    @property
    def compact(self) -> str:
        """The label for a tight place: the short one when there is one."""
        return self.short or self.label


@dataclass(frozen=True)
class Question:
    """The choices a reply offers; `rows` hints how a channel with room lays them out."""

    choices: tuple[Choice, ...]
    multi: bool = False
    rows: tuple[int, ...] = ()

    @classmethod
    def of(cls, *rows: tuple[Choice, ...], multi: bool = False) -> Question:
        """A question from rows of choices, keeping the rows as a layout hint."""
        return cls(
            tuple(choice for row in rows for choice in row), multi, tuple(len(r) for r in rows)
        )

    @property
    def toggles(self) -> tuple[Choice, ...]:
        """The choices switched on and off (multi-select)."""
        return tuple(c for c in self.choices if c.ticked is not None)

    @property
    def actions(self) -> tuple[Choice, ...]:
        """The choices that do something at once (done, send, stop)."""
        return tuple(c for c in self.choices if c.ticked is None)

    def laid_out(self) -> tuple[tuple[Choice, ...], ...]:
        """The choices in their rows: the hinted ones, else one to a row."""
        sizes = self.rows or (1,) * len(self.choices)
        rows, start = [], 0
        for size in sizes:
            rows.append(self.choices[start : start + size])
            start += size
        if start < len(self.choices):
            rows += [(choice,) for choice in self.choices[start:]]
        return tuple(row for row in rows if row)


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
    """A message to send, maybe with a question.

    `replace`: it takes the place of the question just answered, where the channel can edit;
    a channel that cannot sends `short` instead (the whole text when empty). `page`: which
    page of a long question to show first.
    """

    text: str
    question: Question | None = None
    replace: bool = False
    short: str = ""
    lang: str = field(default_factory=current)
    attachment: Attachment | None = None
    documents: tuple[Document, ...] = ()
    page: int = 0

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The choices offered, if any."""
        return self.question.choices if self.question else ()

    def directed(self) -> Reply:
        """The reply with every line set in its language's reading direction."""
        return replace(
            self,
            text=in_reading_order(self.text, self.lang),
            short=in_reading_order(self.short, self.lang),
        )


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


def decode_question(fields: dict[str, Any] | None) -> Question | None:
    """A question kept as JSON (asdict), as it was."""
    if not fields:
        return None
    choices = tuple(
        Choice(**(c | {"words": tuple(c.get("words", ()))})) for c in fields["choices"]
    )
    return Question(choices, fields.get("multi", False), tuple(fields.get("rows", ())))


def decode_replies(text: str) -> list[Reply]:
    """Replies kept by encode_replies, as they were."""
    return [
        Reply(
            text=fields["text"],
            question=decode_question(fields.get("question")),
            replace=fields["replace"],
            short=fields.get("short", ""),
            lang=fields["lang"],
            attachment=Attachment(**fields["attachment"]) if fields["attachment"] else None,
            documents=tuple(
                Document(d["filename"], base64.b64decode(d["content"]))
                for d in fields["documents"]
            ),
            page=fields.get("page", 0),
        )
        for fields in json.loads(text)
    ]


@dataclass(frozen=True)
class Command:
    """A command for a menu: its description and the words that also say it, to translate."""

    name: str
    description: str
    words: str = ""


def parse_command(text: str) -> tuple[str, str]:
    """`/Report@wijkstem_bot nazareth` → ("report", "nazareth"): the command and its arguments."""
    word, _space, rest = text.removeprefix("/").partition(" ")
    return word.split("@")[0].lower(), rest.strip()
