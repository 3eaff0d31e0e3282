"""Onboarding: language, privacy consent, neighbourhood. Nothing is stored before consent."""

from __future__ import annotations

import logging

from conversations import prompts
from conversations.buttons import language_rows
from conversations.labels import ELSEWHERE, NOT_SAID, neighbourhood_label
from conversations.messages import Inbound, Reply
from conversations.turn import Services, Turn
from locales import _, available_languages, best_language, language_name, use

log = logging.getLogger(__name__)


async def before_consent(services: Services, event: Inbound) -> list[Reply]:
    """Talk to someone not yet stored: choose a language, read the privacy terms, agree."""
    step, _sep, value = event.choice.partition(":")
    lang, _sep, chosen = value.rpartition(":") if step == "consent" else (value, "", "")
    if lang not in available_languages():
        lang = best_language(event.language_code, services.default_language)
    with use(lang):
        if event.kind == "choice" and step == "lang":
            return [prompts.consent_question(lang, replace=True)]
        if event.kind == "choice" and step == "consent" and chosen == "yes":
            return await _consent_given(services, event, lang)
        if event.kind == "choice" and step == "consent":
            return [
                Reply(
                    _("Okay. Nothing has been saved. Send /start if you change your mind."),
                    replace=True,
                )
            ]
        not_kept = (
            [
                _(
                    "I did not keep your message: nothing is kept before you agree."
                    " Please send it again after that."
                )
            ]
            if event.kind in ("text", "photo", "voice")
            else []
        )
        greeting = _(
            "Hello! 👋 I am Wijkstem, the chat of Veerkrachtige Wijken in Pottenberg"
            " and Nazareth. Tell us what worries you, your ideas and what you want to"
            " do in the neighbourhood."
        )
        question = _("Which language do you want to use?")
        return [Reply("\n\n".join([greeting, *not_kept, question]), language_rows(lang))]


async def _consent_given(services: Services, event: Inbound, lang: str) -> list[Reply]:
    resident = await services.storage.residents.create(event.channel, event.user_id, lang)
    resident.state = {"step": "neighbourhood"}
    await services.storage.residents.save(resident)
    log.info("resident %s consented", resident.id)
    return [
        Reply(
            "\n\n".join((prompts.privacy_terms(), _("✔ You agreed. Thank you! 🙏"))), replace=True
        ),
        prompts.neighbourhood_question(services.neighbourhoods),
    ]


async def choose_neighbourhood(turn: Turn, value: str) -> None:
    """Store the neighbourhood, then go on to sharing (or to a message typed meanwhile)."""
    if value not in (*turn.services.neighbourhoods, ELSEWHERE, NOT_SAID):
        await prompts.stale(turn)
        return
    turn.resident.neighbourhood = None if value == NOT_SAID else value
    turn.say(_("Neighbourhood: {name} ✔", name=neighbourhood_label(value)), replace=True)
    if turn.resident.invitations is None:
        turn.state.step = "invitations"
    else:
        go_on(turn)
    await prompts.ask(turn)


async def choose_invitations(turn: Turn, value: str) -> None:
    """Store whether the resident wants invitations, then go on to sharing."""
    turn.resident.invitations = value == "yes"
    if turn.resident.invitations:
        turn.say(_("✔ You will get invitations. Stop them any time with /settings."), replace=True)
    else:
        turn.say(_("✔ No invitations. You can change this with /settings."), replace=True)
    go_on(turn)
    await prompts.ask(turn)


def go_on(turn: Turn) -> None:
    """After onboarding: the message typed meanwhile, else the main menu."""
    turn.state.step = "draft" if turn.state.text or turn.state.media_ref else "idle"


async def ask_language(turn: Turn) -> None:
    """Offer every language."""
    turn.say(_("Which language do you want to use?"), *language_rows(turn.resident.language))


async def choose_language(turn: Turn, value: str) -> None:
    """Switch the resident's language and continue where they were, in the new language."""
    if value not in available_languages():
        await prompts.stale(turn)
        return
    turn.resident.language = value
    with use(value):
        turn.say(
            _("Okay, I will write in {language}.", language=language_name(value)), replace=True
        )
        await prompts.ask(turn)


async def already_agreed(turn: Turn, value: str) -> None:
    """A consent button tapped again after agreeing."""
    turn.say(_("You already agreed. Thank you!"), replace=True)
    await prompts.ask(turn)
