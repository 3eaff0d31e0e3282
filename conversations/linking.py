"""You said, we did: a worker links residents' messages to an event, and their authors hear it."""

from __future__ import annotations

import logging
import re
from functools import partial

from conversations import event_prompts, prompts
from conversations.invitations import linked, outgoing
from conversations.planning import event_at_hand
from conversations.turn import Turn
from locales import _, join_list, ngettext
from storage.contributions import reference
from storage.events import ANSWERS, Event

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"\bP-?\s?(\d{1,7})\b", re.IGNORECASE)


async def receive(turn: Turn) -> None:
    """References typed by the worker, such as P-0042 P-0107."""
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    ids = [int(number) for number in REFERENCE.findall(turn.event.text)]
    if not ids:
        turn.say(_("I found no references. Type them like P-0042."))
        await prompts.ask(turn)
        return
    await _link(turn, event, ids)


async def choose(turn: Turn, value: str) -> None:
    """Link the suggested messages."""
    event = await event_at_hand(turn, "sent")
    if event is None:
        return
    if value != "suggested":
        await prompts.stale(turn)
        return
    await _link(turn, event, [s.id for s in await event_prompts.suggestions(turn, event)])


async def _link(turn: Turn, event: Event, ids: list[int]) -> None:
    found = [c for c in [await turn.storage.contributions.get(i) for i in ids] if c is not None]
    found = [c for c in found if not c.hidden]
    missing = sorted({reference(i) for i in ids} - {c.reference for c in found})
    if missing:
        turn.say(_("I could not find: {refs}", refs=join_list(missing)))
    new = set(
        await turn.storage.events.link(
            event.id, [c.id for c in found], turn.resident.id, turn.resident.role
        )
    )
    by_author: dict[int, list[str]] = {}
    for contribution in found:
        if contribution.id in new:
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
    await prompts.ask(turn)
