"""You said, we did: a worker links residents' messages to an event, and their authors hear it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.event_work import event_at_hand, stop_choice
from conversations.invitations import linked, outgoing
from conversations.labels import NOT_SAID
from conversations.messages import Choice, Question, Reply
from conversations.routing import Router
from conversations.turn import Turn
from locales import S_, _, join_list, ngettext
from storage.contributions import Summary, reference
from storage.events import ANSWERS, Event

log = logging.getLogger(__name__)

router = Router("linking")

REFERENCE = re.compile(r"\bP-?\s?(\d{1,7})\b", re.IGNORECASE)
SUGGESTIONS = 5
SUGGEST_DAYS = 90
PREVIEW = 70


@dataclass(frozen=True)
class Link(ChoiceData):
    """Link the suggested messages."""

    prefix: ClassVar[str] = "link"
    what: str = "suggested"


async def link_question(turn: Turn, event: Event) -> Reply:
    """Which residents' messages this answers: type references, or take the suggestions."""
    suggested = await suggestions(turn, event)
    lines = [
        _("🔗 You said, we did."),
        _(
            "Which residents' messages does this answer? Type their references, like P-0042"
            " P-0107. Their authors get a message that their input is on the table."
        ),
    ]
    choices: list[tuple[Choice, ...]] = []
    if suggested:
        lines += ["", _("Recent messages that may fit:")]
        for summary in suggested:
            words = summary.text if len(summary.text) <= PREVIEW else summary.text[:PREVIEW] + "…"
            lines.append(f"{reference(summary.id)} · “{words}”")
        choices.append(
            (Link().choice(_("🔗 Link these {n}", n=len(suggested)), _(S_("🔗 Link these"))),)
        )
    choices.append((stop_choice(),))
    return Reply("\n".join(lines), Question.of(*choices))


async def suggestions(turn: Turn, event: Event) -> list[Summary]:
    """Recent visible messages on the event's topics and neighbourhoods, not linked yet."""
    until = datetime.now(UTC) + timedelta(seconds=1)
    since = until - timedelta(days=SUGGEST_DAYS)
    summaries = await turn.storage.contributions.summaries(since.isoformat(), until.isoformat())
    linked_ids = set(await turn.storage.events.linked(event.id))
    hoods = set(event.neighbourhoods) - {NOT_SAID}
    fitting = [
        s
        for s in summaries
        if not s.hidden
        and s.text
        and s.id not in linked_ids
        and (not event.pillars or set(s.pillars) & set(event.pillars))
        and (not hoods or s.neighbourhood in hoods)
    ]
    return sorted(fitting, key=lambda s: s.id, reverse=True)[:SUGGESTIONS]


@router.asks("link")
async def ask_link(turn: Turn) -> list[Reply]:
    """Which messages to link, while the event is there."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    return [await link_question(turn, event)] if event is not None else []


@router.text("link")
async def receive(turn: Turn) -> None:
    """References typed by the worker, such as P-0042 P-0107."""
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    ids = [int(number) for number in REFERENCE.findall(turn.event.text)]
    if not ids:
        turn.say(_("I found no references. Type them like P-0042."))
        await turn.ask()
        return
    await _link(turn, event, ids)


@router.choice(Link, steps=["link"])
async def choose(turn: Turn, chosen: Link) -> None:
    """Link the suggested messages."""
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    if chosen.what != "suggested":
        await turn.stale()
        return
    await _link(turn, event, [s.id for s in await suggestions(turn, event)])


async def _link(turn: Turn, event: Event, ids: list[int]) -> None:
    found = [c for c in [await turn.storage.contributions.get(i) for i in ids] if c is not None]
    found = [c for c in found if not c.hidden]
    missing = sorted({reference(i) for i in ids} - {c.reference for c in found})
    if missing:
        turn.say(_("I could not find: {refs}", refs=join_list(missing)))
    new, tabled = await turn.storage.events.link(
        event.id, [c.id for c in found], turn.resident.id, turn.resident.role
    )
    # Authors hear once that a message is on the table: at its first event, not at the next.
    by_author: dict[int, list[str]] = {}
    for contribution in found:
        if contribution.id in tabled:
            by_author.setdefault(contribution.resident_id, []).append(contribution.reference)
    answers = await turn.storage.events.answered(event.id, ANSWERS)
    messages = [
        outgoing(
            author,
            partial(linked, event, references=by_author[author.id], chosen=answers.get(author.id)),
        )
        for author in await turn.storage.residents.many(by_author)
    ]
    queued = await turn.storage.events.notify(event.id, "linked", messages)
    log.info("event %s linked to %s messages; %s authors told", event.id, len(new), queued)
    turn.state.clear()
    turn.say(
        ngettext("🔗 Linked {n} message.", "🔗 Linked {n} messages.", len(new))
        + "\n"
        + ngettext(
            "{n} resident will hear that their input is on the table.",
            "{n} residents will hear that their input is on the table.",
            queued,
        )
    )
    await turn.ask()
