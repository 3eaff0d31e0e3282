"""A person answers: workers write to residents who asked for contact, and read their answers.

The worker is shown by a first name they choose; the resident as their message's reference.
Every message goes through the outbox with a line in the reader's language saying who writes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.invitations import outgoing
from conversations.menu import heading, main_menu, preview, wish
from conversations.messages import Choice, Question, Reply
from conversations.outcomes import MOST_CHARACTERS
from conversations.roles import REVIEWERS, TEAM, allowed
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, format_age, format_date, ngettext
from storage.contacts import Request, Thread
from storage.contributions import Contribution, reference

log = logging.getLogger(__name__)

router = Router("contact")

# The requests /contact shows at once (a WhatsApp list holds ten rows).
SHOWN = 8
# A first name: letters, with a space, hyphen or apostrophe between them; no digits or @.
FIRST_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+){0,2}")
LONGEST_NAME = 30


@dataclass(frozen=True)
class Talk(ChoiceData):
    """A contact action: open, write, end, name, list, stop; `bye` is the resident ending it."""

    prefix: ClassVar[str] = "talk"
    action: str
    contribution_id: int | None = None


@router.command(
    "contact",
    N_("residents who asked to be contacted: write to them"),
    N_("contact, contact requests"),
    shown_to=REVIEWERS,
)
async def start(turn: Turn) -> None:
    """`/contact`: the residents waiting to be contacted, the longest waiting first."""
    if not await _worker(turn, "/contact"):
        return
    turn.state.clear()
    turn.state.step = "contact_list"
    await turn.ask()


@router.asks("contact_list")
async def ask_list(turn: Turn) -> list[Reply]:
    """The open requests (for the team: first how many each worker has), each to open."""
    requests, total = await turn.storage.contacts.requests(SHOWN)
    replies = [Reply(await _loads(turn))] if turn.resident.role in TEAM and total else []
    if not requests:
        lines = [_("Nobody is waiting to be contacted. 🎉")]
    else:
        lines = [
            ngettext(
                "{n} resident asked to be contacted. The longest waiting first:",
                "{n} residents asked to be contacted. The longest waiting first:",
                total,
            )
        ]
    for request in requests:
        contribution = await turn.storage.contributions.get(request.contribution_id)
        if contribution is not None:
            lines += ["", heading(contribution), f"“{preview(contribution.text)}”"]
            lines += [*wish(contribution), _request_status(request)]
    opened = [
        (Talk("open", r.contribution_id).choice(f"💬 {reference(r.contribution_id)}"),)
        for r in requests
    ]
    name = turn.resident.signs_as
    question = Question.of(
        *opened,
        (
            Talk("name").choice(
                _("🪪 Residents see me as {name}", name=name) if name else _("🪪 My first name"),
                _(S_("🪪 My name")),
            ),
            _stop(),
        ),
    )
    return [*replies, Reply("\n".join(lines), question)]


@router.asks("contact_thread")
async def ask_thread(turn: Turn) -> list[Reply]:
    """One request: the message, the wish, what was said, and what the worker may do."""
    at_hand = await _at_hand(turn)
    if at_hand is None:
        return []
    contribution, thread = at_hand
    lines = [heading(contribution), f"“{contribution.text or preview('')}”", *wish(contribution)]
    lines.append("")
    lines += exchange(thread, _("Resident")) if thread else [_("Nobody has written yet.")]
    choices = []
    if _may_write(turn, thread):
        choices.append(Talk("write", contribution.id).choice(_("✍ Write"), _(S_("✍ Write"))))
    elif thread and thread.open:
        lines += ["", _("{name} talks with this resident.", name=_worker_name(thread))]
    if thread and thread.open and _may_end(turn, thread):
        choices.append(_end(contribution.id))
    if thread and not thread.open:
        lines += ["", _("This conversation has ended.")]
    return [Reply("\n".join(lines), Question.of(tuple(choices), (_back(), _stop())))]


@router.asks("contact_write")
async def ask_write(turn: Turn) -> list[Reply]:
    """What to write to the resident."""
    at_hand = await _at_hand(turn)
    if at_hand is None:
        return []
    contribution, thread = at_hand
    ending = (_end(contribution.id),) if thread and thread.open else ()
    asked = _(
        "Write to the resident of {ref}. They see it from {name}, never your account.",
        ref=contribution.reference,
        name=turn.resident.signs_as or "",
    )
    return [Reply(asked, Question.of((*ending, _back())))]


@router.asks("contact_name")
async def ask_name(turn: Turn) -> list[Reply]:
    """The first name residents see."""
    asked = _("Residents see you by a first name only. Which first name may they see?")
    return [Reply(asked, Question.of((_back(),)))]


@router.choice(Talk)
async def choose(turn: Turn, chosen: Talk) -> None:
    """A contact action; only `bye` is the resident's own."""
    if chosen.action == "bye":
        await _author_ends(turn, chosen.contribution_id or 0)
        return
    if not await _worker(turn, f"talk:{chosen.action}"):
        return
    state = turn.state
    if chosen.action == "stop":
        state.clear()
        turn.say(_("Stopped."), replace=True)
    elif chosen.action == "list":
        state.clear()
        state.step = "contact_list"
    elif chosen.action == "name":
        state.step = "contact_name"
    elif chosen.action in ("open", "write", "end"):
        await _about(turn, chosen)
        return
    else:
        await turn.stale()
        return
    await turn.ask()


async def _about(turn: Turn, chosen: Talk) -> None:
    """Open a request, start writing in it, or end it; from the list or a message's buttons."""
    state = turn.state
    contribution = await _request(turn, chosen.contribution_id or 0)
    if contribution is None:
        await turn.stale()
        return
    state.clear()
    state.contribution_id = contribution.id
    state.step = "contact_thread"
    thread = await turn.storage.contacts.thread(contribution.id)
    if chosen.action == "write" and _may_write(turn, thread):
        state.step = "contact_write" if turn.resident.signs_as else "contact_name"
    elif chosen.action == "end" and thread is not None and thread.open and _may_end(turn, thread):
        await _worker_ends(turn, contribution, thread)
        return
    await turn.ask()


@router.text("contact_name")
async def receive_name(turn: Turn) -> None:
    """The first name residents see; then on to writing, when the worker was about to."""
    if not await _worker(turn, "talk:name"):
        return
    name = " ".join(turn.event.text.split())
    if len(name) > LONGEST_NAME or not FIRST_NAME.fullmatch(name):
        turn.say(_("Please type only a first name, in letters."))
        await turn.ask()
        return
    turn.resident.signs_as = name
    log.info("a worker chose the name residents see")
    turn.say(_("🪪 Residents see you as {name}.", name=name))
    turn.state.step = "contact_write" if turn.state.contribution_id else "contact_list"
    await turn.ask()


@router.text("contact_write")
async def receive_words(turn: Turn) -> None:
    """The worker's words: to the resident, through the outbox."""
    if not await _worker(turn, "talk:words"):
        return
    text = turn.event.text.strip()
    contribution = await _request_at_hand(turn)
    if contribution is None or not turn.resident.signs_as:
        turn.state.step = "contact_name" if contribution else "contact_list"
        await turn.ask()
        return
    if not text or len(text) > MOST_CHARACTERS:
        turn.say(_("Please keep it under {n} characters.", n=MOST_CHARACTERS))
        await turn.ask()
        return
    [author] = await turn.storage.residents.many([contribution.resident_id])
    words = outgoing(author, partial(_to_author, contribution.id, turn.resident.signs_as, text))
    if not await turn.storage.contacts.from_worker(
        contribution.id, turn.resident.id, turn.resident.role, text, words
    ):
        turn.state.step = "contact_thread"
        await turn.ask()
        return
    log.info("a worker wrote to the author of %s", contribution.reference)
    turn.say(
        _("✉ Sent to the resident of {ref}. Write more, or:", ref=contribution.reference),
        Question.of((_end(contribution.id), _back())),
    )


@router.takes_before_sharing
async def receive_answer(turn: Turn) -> bool:
    """A resident in a conversation with a worker: their typed words go to that worker."""
    contacts = turn.storage.contacts
    thread = await contacts.open_with_author(turn.resident.id)
    if thread is None:
        return False
    text = turn.event.text.strip()
    if len(text) > MOST_CHARACTERS:
        turn.say(_("Please keep it under {n} characters.", n=MOST_CHARACTERS))
        return True
    worker = await turn.storage.residents.get(thread.worker_id) if thread.worker_id else None
    to_worker = (
        outgoing(worker, partial(_to_worker, thread.contribution_id, text)) if worker else None
    )
    if not await contacts.from_author(thread, turn.resident.id, text, to_worker):
        return False
    log.info("a resident answered in the conversation about %s", reference(thread.contribution_id))
    sent = (
        _("✉ Sent to {name}.", name=_worker_name(thread))
        if worker
        else _("✉ Saved. A community worker will read it.")
    )
    turn.say(sent, Question.of((_bye(thread.contribution_id),)))
    return True


@router.answers_anytime
async def ending(turn: Turn) -> list[Reply]:
    """A resident in a conversation may end it by typing too."""
    thread = await turn.storage.contacts.open_with_author(turn.resident.id)
    return [Reply("", Question.of((_bye(thread.contribution_id),)))] if thread else []


async def _author_ends(turn: Turn, contribution_id: int) -> None:
    """The resident ends the conversation about their message; its worker hears."""
    contribution = await turn.storage.contributions.get(contribution_id)
    thread = await turn.storage.contacts.thread(contribution_id)
    if (
        contribution is None
        or contribution.resident_id != turn.resident.id
        or thread is None
        or not thread.open
    ):
        await turn.stale()
        return
    worker = await turn.storage.residents.get(thread.worker_id) if thread.worker_id else None
    notice = outgoing(worker, partial(_ended_to_worker, contribution.id)) if worker else None
    await turn.storage.contacts.end(thread, "resident", turn.resident.id, "resident", notice)
    log.info("a resident ended the conversation about %s", contribution.reference)
    turn.replies.append(main_menu(_("Thank you! The conversation has ended.")))


async def _worker_ends(turn: Turn, contribution: Contribution, thread: Thread) -> None:
    """The worker ends the conversation; the resident hears who ended it."""
    [author] = await turn.storage.residents.many([contribution.resident_id])
    notice = outgoing(author, partial(_ended_to_author, contribution.id, _worker_name(thread)))
    await turn.storage.contacts.end(thread, "worker", turn.resident.id, turn.resident.role, notice)
    log.info("a worker ended the conversation about %s", contribution.reference)
    turn.say(_("The conversation about {ref} has ended.", ref=contribution.reference))
    turn.state.clear()
    turn.state.step = "contact_list"
    await turn.ask()


def exchange(thread: Thread, resident: str) -> list[str]:
    """What was said in a conversation, a line each, the resident called `resident`."""
    lines = []
    for said in thread.said:
        who = _worker_name(thread) if said.sender == "worker" else resident
        when = format_date(said.at)
        if said.kind == "end":
            lines.append(_("{who} ended the conversation ({date}).", who=who, date=when))
        else:
            lines.append(f"{who} · {when}: {said.text}")
    return lines


def _to_author(contribution_id: int, name: str, text: str, lang: str) -> Reply:
    """The worker's words, with a line in the resident's language saying who writes."""
    frame = _(
        "💬 {name}, community worker, about your message {ref}. Answer here:",
        name=name,
        ref=reference(contribution_id),
    )
    return Reply(f"{frame}\n\n{text}", Question.of((_bye(contribution_id),)))


def _ended_to_author(contribution_id: int, name: str, lang: str) -> Reply:
    """Telling the resident the worker ended the conversation."""
    return Reply(
        _(
            "{name} ended the conversation about your message {ref}. Thank you for talking"
            " with us!",
            name=name,
            ref=reference(contribution_id),
        )
    )


def _to_worker(contribution_id: int, text: str, lang: str) -> Reply:
    """The resident's words, framed for their worker."""
    frame = _("💬 The resident of {ref} answers:", ref=reference(contribution_id))
    return Reply(
        f"{frame}\n\n“{text}”",
        Question.of(
            (
                Talk("write", contribution_id).choice(_("✍ Answer"), _(S_("✍ Answer"))),
                _end(contribution_id),
            )
        ),
    )


def _ended_to_worker(contribution_id: int, lang: str) -> Reply:
    """Telling the worker the resident ended the conversation."""
    return Reply(
        _("The resident of {ref} ended the conversation.", ref=reference(contribution_id))
    )


def _request_status(request: Request) -> str:
    """Who has a request and how long the resident waits, on one line."""
    if request.worker_id is None:  # never picked up, or its worker left
        waited = format_age(request.waiting_since or request.created_at)
        return _("⏳ Not picked up yet · waiting {time}", time=waited)
    if request.waiting_since is None:
        return _("💬 With {name}", name=request.worker_name or "")
    return _(
        "💬 With {name} · an answer waits {time}",
        name=request.worker_name or "",
        time=format_age(request.waiting_since),
    )


async def _loads(turn: Turn) -> str:
    """For the team: open requests per worker, and how long the oldest has waited."""
    lines = [_("Open contact requests per worker:")]
    for load in await turn.storage.contacts.loads():
        waited = format_age(load.oldest_waiting) if load.oldest_waiting else ""
        if load.worker_name is None:
            lines.append(
                _("• Not picked up yet: {n} · the oldest waits {time}", n=load.open, time=waited)
            )
        elif load.waiting:
            lines.append(
                _(
                    "• {name}: {n} open · waiting for an answer: {waiting}, the oldest {time}",
                    name=load.worker_name,
                    n=load.open,
                    waiting=load.waiting,
                    time=waited,
                )
            )
        else:
            lines.append(_("• {name}: {n} open", name=load.worker_name, n=load.open))
    return "\n".join(lines)


async def _worker(turn: Turn, attempt: str) -> bool:
    """Whether the sender (still) has a worker's rights; if not, refused and back to the menu."""
    if turn.resident.role not in REVIEWERS:
        turn.state.clear()
    return await allowed(turn, REVIEWERS, attempt)


async def _request(turn: Turn, contribution_id: int) -> Contribution | None:
    """A contribution whose author asked for contact (not hidden); None otherwise."""
    contribution = await turn.storage.contributions.get(contribution_id)
    if contribution is None or contribution.hidden or not contribution.wants_contact:
        return None
    return contribution


async def _request_at_hand(turn: Turn) -> Contribution | None:
    return await _request(turn, turn.state.contribution_id or 0)


async def _at_hand(turn: Turn) -> tuple[Contribution, Thread | None] | None:
    """The request the worker is busy with and its conversation, if one was opened."""
    contribution = await _request_at_hand(turn)
    if contribution is None:
        return None
    return contribution, await turn.storage.contacts.thread(contribution.id)


def _may_write(turn: Turn, thread: Thread | None) -> bool:
    """Nobody wrote yet, or the worker's own open conversation (or one whose worker left)."""
    return thread is None or (thread.open and thread.worker_id in (None, turn.resident.id))


def _may_end(turn: Turn, thread: Thread) -> bool:
    """Its worker may end it; the team may end any."""
    return thread.worker_id == turn.resident.id or turn.resident.role in TEAM


def _worker_name(thread: Thread) -> str:
    return thread.worker_name or _("a community worker")


def _end(contribution_id: int) -> Choice:
    return Talk("end", contribution_id).choice(_("⏹ End the conversation"), _(S_("⏹ End")))


def _bye(contribution_id: int) -> Choice:
    return Talk("bye", contribution_id).choice(_("⏹ End the conversation"), _(S_("⏹ End")))


def _back() -> Choice:
    return Talk("list").choice(_("↩ Back to the list"), _(S_("↩ The list")))


def _stop() -> Choice:
    return Talk("stop").choice(_("⏹ Stop"), _(S_("⏹ Stop")))
