"""Who an event or announcement goes to: filters, the count, a preview, and sending."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import ClassVar

from conversations.agenda import Agenda
from conversations.choices import ChoiceData
from conversations.event_work import event_at_hand, place_options, stop_choice
from conversations.invitations import invitation, outgoing
from conversations.labels import NOT_SAID, PILLAR_LABELS, PILLAR_SHORT
from conversations.messages import Choice, Question, Reply
from conversations.routing import Router
from conversations.turn import Turn
from locales import S_, _, available_languages, language_name_here, ngettext
from storage.events import Event
from storage.residents import Audience

log = logging.getLogger(__name__)

router = Router("audience")

FILTERS = {"hood": "neighbourhoods", "pillar": "pillars", "lang": "languages"}


@dataclass(frozen=True)
class Aud(ChoiceData):
    """A filter of the audience switched, or send."""

    prefix: ClassVar[str] = "aud"
    action: str
    option: str = ""


def _toggles(
    action: str, options: Mapping[str, str], chosen: tuple[str, ...], per_row: int, shorts=None
) -> tuple[tuple[Choice, ...], ...]:
    toggles = [
        Aud(action, value).toggle(label, value in chosen, (shorts or {}).get(value, ""))
        for value, label in options.items()
    ]
    return tuple(tuple(toggles[i : i + per_row]) for i in range(0, len(toggles), per_row))


async def audience_question(turn: Turn, event: Event) -> list[Reply]:
    """How many will receive it, the filters to change that, and a preview."""
    recipients = await turn.storage.residents.audience(event.audience)
    everyone = await turn.storage.residents.audience(Audience())
    languages = sorted({r.language for r in everyone} | set(event.audience.languages))
    places = place_options(turn.services.neighbourhoods)
    topics = {pillar: _(label) for pillar, label in PILLAR_LABELS.items()}
    text = "\n".join(
        (
            ngettext(
                "👥 {n} resident will receive this.",
                "👥 {n} residents will receive this.",
                len(recipients),
            ),
            ngettext(
                "({n} resident wants invitations.)",
                "({n} residents want invitations.)",
                len(everyone),
            ),
            _("Tap to change who gets it: no tick in a group means everyone."),
        )
    )
    question = Question.of(
        *_toggles("hood", places, event.audience.neighbourhoods, 2),
        *_toggles(
            "pillar",
            topics,
            event.audience.pillars,
            1,
            {p: _(short) for p, short in PILLAR_SHORT.items()},
        ),
        *_toggles(
            "lang",
            {lang: language_name_here(lang) for lang in languages},
            event.audience.languages,
            3,
        ),
        (Aud("send").choice(_("📨 Send to {n}", n=len(recipients)), _(S_("📨 Send"))),),
        (stop_choice(),),
        multi=True,
    )
    return [preview(event, turn.resident.language), Reply(text, question)]


def preview(event: Event, lang: str) -> Reply:
    """The message as a resident who speaks `lang` gets it (the choices shown in brackets)."""
    shown = invitation(event, lang)
    choices = "  ".join(f"[{c.label}]" for c in shown.choices)
    return Reply("\n".join((_("👁 Preview:"), "", shown.text, choices)).rstrip())


def after_sending(event: Event) -> Reply:
    """Offer to link the residents' messages this answers ("you said, we did")."""
    return Reply(
        _(
            "Does this answer messages residents sent? Link them, and their authors hear that"
            " their input is on the table."
        ),
        Question.of(
            (
                Agenda("link", event.id).choice(
                    _("🔗 Link residents' messages"), _(S_("🔗 Link messages"))
                ),
            )
        ),
    )


@router.asks("audience")
async def ask_audience(turn: Turn) -> list[Reply]:
    """Who gets it, while the draft is there."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    return await audience_question(turn, event) if event is not None else []


@router.choice(Aud, steps=["audience"])
async def choose(turn: Turn, chosen: Aud) -> None:
    """A filter toggled, or send."""
    event = await event_at_hand(turn, "draft")
    if event is None:
        return
    action, option = chosen.action, chosen.option
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
        turn.replies.append(after_sending(event))
        return
    valid = {
        "hood": (*turn.services.neighbourhoods, NOT_SAID),
        "pillar": tuple(PILLAR_LABELS),
        "lang": available_languages(),
    }
    if option not in valid.get(action, ()):
        await turn.stale()
        return
    field = FILTERS[action]
    chosen_now = getattr(event.audience, field)
    changed = (
        tuple(c for c in chosen_now if c != option)
        if option in chosen_now
        else (*chosen_now, option)
    )
    event.audience = replace(event.audience, **{field: changed})
    await turn.storage.events.save(event)
    replies = await audience_question(turn, event)
    turn.replies.append(replace(replies[-1], replace=True))
