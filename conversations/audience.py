"""Who an event or announcement goes to: filters, the count, a preview, and sending."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from conversations import event_prompts, prompts
from conversations.invitations import invitation, outgoing
from conversations.labels import NOT_SAID, PILLAR_LABELS
from conversations.planning import event_at_hand
from conversations.turn import Turn
from locales import _, available_languages, ngettext

log = logging.getLogger(__name__)

FILTERS = {"hood": "neighbourhoods", "pillar": "pillars", "lang": "languages"}


async def choose(turn: Turn, value: str) -> None:
    """A filter toggled, or send."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    action, _sep, option = value.partition(":")
    if action == "send":
        recipients = await turn.storage.residents.audience(event.audience)
        messages = [outgoing(r, partial(invitation, event)) for r in recipients]
        purpose = "invitation" if event.kind == "event" else "announcement"
        queued = await turn.storage.events.send(event, purpose, messages, turn.resident.role)
        log.info("%s %s queued for %s residents", event.kind, event.id, queued)
        turn.state.clear()
        turn.say(
            ngettext("📨 Sending to {n} resident.", "📨 Sending to {n} residents.", queued)
            + "\n"
            + (_("Their answers are in /events.") if event.kind == "event" else ""),
            replace=True,
        )
        turn.replies.append(event_prompts.after_sending(event))
        return
    valid = {
        "hood": (*turn.services.neighbourhoods, NOT_SAID),
        "pillar": tuple(PILLAR_LABELS),
        "lang": available_languages(),
    }
    if option not in valid.get(action, ()):
        await prompts.stale(turn)
        return
    field = FILTERS[action]
    chosen = getattr(event.audience, field)
    changed = tuple(c for c in chosen if c != option) if option in chosen else (*chosen, option)
    event.audience = replace(event.audience, **{field: changed})
    await turn.storage.events.save(event)
    replies = await event_prompts.audience_question(turn, event)
    turn.replies.append(replace(replies[-1], replace=True))
