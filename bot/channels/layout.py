"""What a channel can show, and a reply laid out by it: buttons, a list, or words to type.

As RapidPro's courier: up to a channel's number of buttons become buttons, more become a list
(paged with "More…" past its rows), labels take the short form where the long one does not fit,
and a channel that cannot edit a message gets the news of a tap, not a copy of the question.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.choices import change, more
from conversations.messages import Choice, Question, Reply
from locales import S_, _, join_list, use


@dataclass(frozen=True)
class Capabilities:
    """What one channel can show; 0 means it cannot."""

    edits: bool
    buttons: int
    button_label: int
    list_rows: int
    row_title: int
    row_description: int
    text: int
    body: int
    command_menu: bool
    per_row: int = 0  # buttons in one row; 0: as the question hints


TELEGRAM = Capabilities(
    edits=True,
    buttons=100,
    button_label=64,
    list_rows=0,
    row_title=0,
    row_description=0,
    text=4096,
    body=4096,
    command_menu=True,
)
WHATSAPP = Capabilities(
    edits=False,
    buttons=3,
    button_label=20,
    list_rows=10,
    row_title=24,
    row_description=72,
    text=4096,
    body=1024,
    command_menu=False,
    per_row=3,
)
CONSOLE = Capabilities(
    edits=False,
    buttons=100,
    button_label=100,
    list_rows=0,
    row_title=0,
    row_description=0,
    text=100_000,
    body=100_000,
    command_menu=False,
)


@dataclass(frozen=True)
class Button:
    """A button as a channel shows it: its label, and the data it sends back."""

    label: str
    data: str


@dataclass(frozen=True)
class ListRow:
    """A row of a list message: title, description, and the data it sends back."""

    title: str
    description: str
    data: str


@dataclass(frozen=True)
class Shown:
    """One message as a channel sends it."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    rows: tuple[ListRow, ...] = ()
    opener: str = ""  # the label of the button that opens a list


def utf16(text: str) -> int:
    """A text's length as Meta and Telegram count it, in UTF-16 units."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, most: int) -> str:
    """The text, shortened with "…" to at most `most` UTF-16 units."""
    if utf16(text) <= most:
        return text
    while utf16(text) > most - 1:
        text = text[:-1]
    return text.rstrip() + "…"


def split(text: str, limit: int) -> list[str]:
    """Cut a long text into pieces a channel accepts, at line breaks where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        at = text.rfind("\n", 0, limit)
        at = at if at > 0 else limit
        pieces.append(text[:at])
        text = text[at:].lstrip("\n")
    return [*pieces, text]


def lay_out(reply: Reply, can: Capabilities) -> list[Shown]:
    """The messages a reply becomes on a channel that can do `can`."""
    with use(reply.lang):
        text, question = _what_to_show(reply, can)
        pieces = split(text, can.body if question else can.text)
        if question is None:
            return [Shown(piece) for piece in pieces]
        *before, last = pieces
        return [
            *(Shown(piece) for piece in before),
            _with_choices(last, question, reply.page, can),
        ]


def _what_to_show(reply: Reply, can: Capabilities) -> tuple[str, Question | None]:
    """The text and question; without edits a tap's answer is its news, not the question again."""
    question = reply.question if reply.question and reply.question.choices else None
    if not reply.replace or can.edits:
        return reply.text, question
    if question is not None and question.multi:
        ticked = [
            choice.compact.removeprefix("✅ ") for choice in question.toggles if choice.ticked
        ]
        return "✔ " + (join_list(ticked) or "—"), Question((*question.actions, change()))
    return reply.short or reply.text, question


def _with_choices(text: str, question: Question, page: int, can: Capabilities) -> Shown:
    choices = question.choices
    if len(choices) <= can.buttons:
        rows = (
            [choices[i : i + can.per_row] for i in range(0, len(choices), can.per_row)]
            if can.per_row
            else question.laid_out()
        )
        return Shown(
            text, tuple(tuple(Button(_label(c, can), c.data) for c in row) for row in rows)
        )
    if can.list_rows:
        opener = cut(_(S_("📋 Choose")), can.button_label)
        return Shown(text, rows=_page(choices, page, can), opener=opener)
    numbered = [f"{n}. {choice.label}" for n, choice in enumerate(choices, start=1)]
    return Shown("\n".join((text, "", *numbered)))


def _label(choice: Choice, can: Capabilities) -> str:
    if utf16(choice.label) <= can.button_label:
        return choice.label
    return cut(choice.compact, can.button_label)


def _page(choices: tuple[Choice, ...], page: int, can: Capabilities) -> tuple[ListRow, ...]:
    """One page of a list; past its rows the last row is "More…", and the pages go round."""
    if len(choices) <= can.list_rows:
        shown, next_page = choices, None
    else:
        size = can.list_rows - 1
        pages = -(-len(choices) // size)
        start = (page % pages) * size
        shown = choices[start : start + size]
        next_page = more((page + 1) % pages)
    rows = [
        ListRow(
            choice.label
            if utf16(choice.label) <= can.row_title
            else cut(choice.compact, can.row_title),
            cut(choice.description, can.row_description),
            choice.data,
        )
        for choice in (*shown, *((next_page,) if next_page else ()))
    ]
    return tuple(rows)
