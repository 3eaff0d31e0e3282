"""Sharing: kind, the resident's own words, the pillars, quoting, helping, and a reference."""

from __future__ import annotations

import logging

from conversations import prompts
from conversations.labels import KIND_LABELS, PILLAR_LABELS
from conversations.messages import Button
from conversations.turn import Turn
from locales import _, available_languages, join_list, language_name, use
from storage.contributions import reference
from storage.database import now

log = logging.getLogger(__name__)

MEDIA_KINDS = ("photo", "voice")
# Contributions in another language before the bot offers to switch to it.
OFFER_AFTER = 2


async def choose_kind(turn: Turn, kind: str) -> None:
    """Start sharing a concern, idea or initiative: ask for the words."""
    if kind not in KIND_LABELS:
        await prompts.stale(turn)
        return
    turn.state.clear()
    turn.state.step = "words"
    turn.state.kind = kind
    turn.say(_("{kind} ✔", kind=_(KIND_LABELS[kind])), replace=True)
    turn.replies.append(prompts.words_question(kind))


async def receive(turn: Turn) -> None:
    """Words, a photo or a voice note arrived: store them or keep them as a draft."""
    state = turn.state
    event = turn.event
    if state.step == "words" and state.kind:
        await _store(turn, state.kind, event.text, _media_kind(turn), event.media_ref)
        return
    if state.step in ("pillars", "quote", "contact") and state.contribution_id:
        turn.say(
            _("Your earlier message is saved as {ref}.", ref=reference(state.contribution_id))
        )
        state.clear()
    if state.step == "draft" and event.media_ref and state.media_ref:
        turn.say(_("First tell me about the photo or voice message before. Then send this one."))
        turn.replies.append(prompts.draft_question(state.kind))
        return
    if state.step != "neighbourhood":
        state.step = "draft"
    state.text = "\n".join(part for part in (state.text, event.text) if part)
    if event.media_ref:
        state.media_kind, state.media_ref = _media_kind(turn), event.media_ref
    state.message_id = state.message_id or event.message_id
    state.kind = turn.services.analyser.guess_kind(state.text)
    if state.step == "neighbourhood":
        turn.say(_("I keep your message. First one question:"))
    await prompts.ask(turn)


async def choose_draft_kind(turn: Turn, kind: str) -> None:
    """The resident said what their typed message is: store it, or drop it."""
    state = turn.state
    if kind == "drop":
        state.clear()
        turn.say(_("Okay, I will not pass it on."), replace=True)
        turn.replies.append(prompts.main_menu())
        return
    if kind not in KIND_LABELS:
        await prompts.stale(turn)
        return
    turn.say(_("{kind} ✔", kind=_(KIND_LABELS[kind])), replace=True)
    await _store(turn, kind, state.text, state.media_kind, state.media_ref, state.message_id)


async def _store(
    turn: Turn,
    kind: str,
    text: str,
    media_kind: str | None,
    media_ref: str | None,
    message_id: str | None = None,
) -> None:
    resident = turn.resident
    analysis = turn.services.analyser.analyse(text, prior=resident.language)
    language, tagging = analysis.lang, analysis.tagging
    contribution = await turn.storage.contributions.add(
        resident_id=resident.id,
        kind=kind,
        text=text,
        language=language,
        neighbourhood=resident.neighbourhood,
        media_kind=media_kind,
        media_ref=media_ref,
        channel_message_id=message_id or turn.event.message_id,
        auto_scores={pillar: tagging.scores[pillar] for pillar in tagging.pillars},
        auto_terms={pillar: tagging.matched.get(pillar, []) for pillar in tagging.pillars},
        concepts=tagging.concepts,
    )
    log.info("stored %s %s (lang %s)", kind, contribution.reference, language)
    turn.state.clear()
    turn.state.step = "pillars"
    turn.state.kind = kind
    turn.state.contribution_id = contribution.id
    # A voice note without words is asked about its quoting as a voice note.
    turn.state.media_kind = "voice" if media_kind == "voice" and not text else None
    turn.state.pillars = list(tagging.pillars)
    turn.state.concepts = list(tagging.concepts)
    if media_kind == "voice" and not text:
        turn.say(_("Thank you for your voice message. A community worker will listen to it."))
    turn.replies.append(prompts.pillars_question(turn.state.pillars, turn.state.concepts))


def _media_kind(turn: Turn) -> str | None:
    return turn.event.kind if turn.event.kind in MEDIA_KINDS else None


async def toggle_pillar(turn: Turn, pillar: str) -> None:
    """Switch one pillar on or off and show the question again in place."""
    if pillar not in PILLAR_LABELS:
        await prompts.stale(turn)
        return
    chosen = set(turn.state.pillars) ^ {pillar}
    turn.state.pillars = [p for p in PILLAR_LABELS if p in chosen]
    turn.replies.append(
        prompts.pillars_question(turn.state.pillars, turn.state.concepts, replace=True)
    )


async def confirm_pillars(turn: Turn, _value: str) -> None:
    """Store the pillars the resident confirmed, then ask about quoting."""
    state = turn.state
    assert state.contribution_id is not None
    await turn.storage.contributions.confirm_pillars(state.contribution_id, state.pillars)
    chosen = join_list(_(PILLAR_LABELS[p]) for p in state.pillars) or _("no topic")
    turn.say(_("Topics: {topics} ✔", topics=chosen), replace=True)
    state.step = "quote"
    turn.replies.append(prompts.quote_question(voice=state.media_kind == "voice"))


async def answer_quote(turn: Turn, answer: str) -> None:
    """Store whether the words may be quoted; ideas and initiatives go on to helping."""
    state = turn.state
    assert state.contribution_id is not None
    await turn.storage.contributions.set_answer(
        state.contribution_id, "may_quote", answer == "yes"
    )
    turn.say(
        _("✔ We may read out your words.")
        if answer == "yes"
        else _("✔ We will not read them out."),
        replace=True,
    )
    if state.kind in ("idea", "initiative"):
        state.step = "contact"
        turn.replies.append(prompts.contact_question())
    else:
        await _thank(turn)


async def answer_contact(turn: Turn, answer: str) -> None:
    """Store whether the resident wants to help or be contacted, then thank them."""
    state = turn.state
    assert state.contribution_id is not None
    wants = answer == "yes"
    await turn.storage.contributions.set_answer(state.contribution_id, "wants_contact", wants)
    turn.say(
        _("✔ A community worker will contact you here.") if wants else _("✔ Okay, no contact."),
        replace=True,
    )
    await _thank(turn)


async def _thank(turn: Turn) -> None:
    ref = reference(turn.state.contribution_id or 0)
    turn.state.clear()
    turn.say(
        _(
            "Thank you! 🙏 Your message is saved as {ref}. The team reads every message and"
            " takes it to the meeting in your neighbourhood. See your messages with /mine.",
            ref=ref,
        )
    )
    turn.replies.append(prompts.main_menu(_("Anything else?")))
    await _offer_language(turn)


async def _offer_language(turn: Turn) -> None:
    """Once: offer the language a resident keeps writing in, when it is not the one chosen."""
    resident = turn.resident
    if resident.language_offered_at is not None:
        return
    counts = await turn.storage.contributions.languages_of(resident.id)
    written = [
        lang
        for lang, n in sorted(counts.items(), key=lambda item: -item[1])
        if n >= OFFER_AFTER and lang != resident.language and lang in available_languages()
    ]
    if not written:
        return
    resident.language_offered_at = now()
    with use(written[0]):
        turn.say(
            _(
                "You often write in {language}. Shall I talk with you in {language}?",
                language=language_name(written[0]),
            ),
            (
                Button(_("✅ Yes"), f"lang:{written[0]}"),
                Button(_("❌ No"), "menu:keep-language"),
            ),
        )
