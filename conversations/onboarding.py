"""Onboarding: language, privacy consent, neighbourhood. Nothing is stored before consent."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import cache
from typing import ClassVar

from conversations.choices import Again, ChoiceData, yes_no
from conversations.labels import ELSEWHERE, NOT_SAID, neighbourhood_label
from conversations.matching import match
from conversations.messages import Inbound, Question, Reply
from conversations.routing import Router
from conversations.turn import Services, Turn
from locales import (
    N_,
    S_,
    _,
    available_languages,
    best_language,
    language_name,
    language_name_here,
    use,
)

log = logging.getLogger(__name__)

router = Router("onboarding")

# People who were shown the privacy terms and have not answered yet, by language: only in
# memory, since nothing is stored before consent. After a restart the terms are shown again.
REMEMBERED = 10_000


@dataclass(frozen=True)
class Lang(ChoiceData):
    """Write in this language."""

    prefix: ClassVar[str] = "lang"
    lang: str


@dataclass(frozen=True)
class Consent(ChoiceData):
    """Agree (or not) to the privacy terms read in `lang`."""

    prefix: ClassVar[str] = "consent"
    lang: str
    answer: str


@dataclass(frozen=True)
class Hood(ChoiceData):
    """Live in this neighbourhood (or elsewhere, or rather not say)."""

    prefix: ClassVar[str] = "hood"
    name: str


@dataclass(frozen=True)
class Invite(ChoiceData):
    """Get invitations to activities, or not."""

    prefix: ClassVar[str] = "invite"
    answer: str


class AwaitingConsent:
    """Who was shown the terms in which language, so a typed "evet" can be their consent."""

    def __init__(self, most: int = REMEMBERED) -> None:
        self.most = most
        self.languages: OrderedDict[str, str] = OrderedDict()

    def asked(self, person: str, lang: str) -> None:
        """`person` was shown the terms in `lang`."""
        self.languages[person] = lang
        self.languages.move_to_end(person)
        while len(self.languages) > self.most:
            self.languages.popitem(last=False)

    def language(self, person: str) -> str | None:
        """The language `person` was shown the terms in, if they were."""
        return self.languages.get(person)

    def answered(self, person: str) -> None:
        """`person` agreed or declined."""
        self.languages.pop(person, None)


def privacy_terms(channel: str = "") -> str:
    """What is stored, who reads it and how to delete it, in plain words (naming WhatsApp)."""
    terms = _(
        "Before we start, about your privacy:\n"
        "• We keep what you send us, your language and your neighbourhood.\n"
        "• We also keep the number of your chat account, so we can answer you."
        " We do not keep your name.\n"
        "• Only the team of Veerkrachtige Wijken and community workers read your messages.\n"
        "• Your words are used without your name to make the neighbourhood better.\n"
        "• With /mydata you see everything we keep. With /forget you delete it all."
    )
    if channel == "whatsapp":
        terms += "\n" + _(
            "• On WhatsApp, that number is your phone number. Community workers and the team"
            " never see it."
        )
    return terms


def consent_question(lang: str, channel: str = "", replace: bool = False) -> Reply:
    """The privacy terms with agree and disagree choices."""
    return Reply(
        "\n\n".join((privacy_terms(channel), _("Do you agree?"))),
        yes_no(
            Consent(lang, "yes"),
            Consent(lang, "no"),
            (_("✅ Yes, I agree"), _("❌ No")),
            (_(S_("✅ I agree")), _(S_("❌ No"))),
        ),
        replace,
    )


@cache
def language_words(lang: str) -> tuple[str, ...]:
    """A language's names in every language of the bot, and its code: what may be typed."""
    names = {lang, language_name(lang)}
    for reader in available_languages():
        with use(reader):
            names.add(language_name_here(lang))
    return tuple(sorted(names))


def language_question(first: str | None = None) -> Question:
    """One choice per language, each named in its own language; `first` (the likely one) first."""
    languages = sorted(available_languages(), key=lambda lang: lang != first)
    choices = [
        Lang(lang).choice(language_name(lang), words=language_words(lang)) for lang in languages
    ]
    return Question.of(*(tuple(choices[i : i + 2]) for i in range(0, len(choices), 2)))


def greeting(lang: str, not_kept: bool) -> Reply:
    """The first words to someone new: who we are, and which language they want."""
    lines = [
        _(
            "Hello! 👋 I am Wijkstem, the chat of Veerkrachtige Wijken in Pottenberg"
            " and Nazareth. Tell us what worries you, your ideas and what you want to"
            " do in the neighbourhood."
        )
    ]
    if not_kept:
        lines.append(
            _(
                "I did not keep your message: nothing is kept before you agree."
                " Please send it again after that."
            )
        )
    lines.append(_("Which language do you want to use?"))
    return Reply("\n\n".join(lines), language_question(lang))


async def before_consent(
    services: Services, event: Inbound, awaiting: AwaitingConsent
) -> list[Reply]:
    """Talk to someone not yet stored: choose a language, read the privacy terms, agree."""
    phone = best_language(event.language_code, services.default_language)
    shown = awaiting.language(event.person)
    data = event.choice
    if event.kind == "text":
        typed = match(language_question(), event.text, digits=False)
        if typed is None and shown is not None:
            with use(shown):
                typed = match(consent_question(shown).question, event.text, digits=False)
        data = typed.data if typed is not None else ""
    for kind in (Lang, Consent):
        try:
            chosen = kind.unpack(data)
        except ValueError:
            continue
        if isinstance(chosen, Lang) and chosen.lang in available_languages():
            awaiting.asked(event.person, chosen.lang)
            with use(chosen.lang):
                return [consent_question(chosen.lang, event.channel, replace=True)]
        if isinstance(chosen, Consent) and chosen.lang in available_languages():
            awaiting.answered(event.person)
            with use(chosen.lang):
                if chosen.answer == "yes":
                    return await _consent_given(services, event, chosen.lang)
                return [
                    Reply(
                        _("Okay. Nothing has been saved. Send /start if you change your mind."),
                        replace=True,
                    )
                ]
    page = _page(data)
    with use(shown or phone):
        if page is not None:  # More…: the next page of the language list
            return [replace(greeting(shown or phone, not_kept=False), page=page)]
        if shown is not None and event.kind == "text":
            # They were shown the terms: ask again, in the language they chose.
            return [consent_question(shown, event.channel)]
        return [greeting(shown or phone, not_kept=event.kind in ("text", "photo", "voice"))]


def _page(data: str) -> int | None:
    """The page a More… choice asks for, if it is one."""
    try:
        return Again.unpack(data).page
    except ValueError:
        return None


async def _consent_given(services: Services, event: Inbound, lang: str) -> list[Reply]:
    resident = await services.storage.residents.create(event.person, lang)
    resident.state = {"step": "neighbourhood"}
    await services.storage.residents.save(resident)
    log.info("resident %s consented", resident.id)
    agreed = _("✔ You agreed. Thank you! 🙏")
    return [
        Reply("\n\n".join((privacy_terms(event.channel), agreed)), replace=True, short=agreed),
        neighbourhood_question(services.neighbourhoods),
    ]


def neighbourhood_question(neighbourhoods: tuple[str, ...]) -> Reply:
    """Ask where the resident lives, with a choice per neighbourhood."""
    places = [Hood(name).choice(neighbourhood_label(name)) for name in neighbourhoods]
    return Reply(
        _("Where do you live?"),
        Question.of(
            *(tuple(places[i : i + 2]) for i in range(0, len(places), 2)),
            (
                Hood(ELSEWHERE).choice(_("Somewhere else"), _(S_("Somewhere else"))),
                Hood(NOT_SAID).choice(_("I'd rather not say"), _(S_("Rather not say"))),
            ),
        ),
    )


def invitations_question() -> Reply:
    """Ask whether the resident wants invitations to activities; no is the default."""
    return Reply(
        _(
            "Would you like to get invitations to activities in your neighbourhood, such as"
            " coffee mornings and neighbourhood meetings? You can change this with /settings."
        ),
        yes_no(
            Invite("yes"),
            Invite("no"),
            (_("✅ Yes, invite me"), _("❌ No, thank you")),
            (_(S_("✅ Invite me")), _(S_("❌ No, thanks"))),
        ),
    )


@router.asks("neighbourhood")
async def ask_neighbourhood(turn: Turn) -> list[Reply]:
    """Where the resident lives."""
    return [neighbourhood_question(turn.services.neighbourhoods)]


@router.asks("invitations")
async def ask_invitations(turn: Turn) -> list[Reply]:
    """Whether they want invitations."""
    return [invitations_question()]


@router.asks("language")
async def ask_language_again(turn: Turn) -> list[Reply]:
    """Which language, with theirs first."""
    return [
        Reply(_("Which language do you want to use?"), language_question(turn.resident.language))
    ]


@router.choice(Hood, steps=["neighbourhood"])
async def choose_neighbourhood(turn: Turn, chosen: Hood) -> None:
    """Store the neighbourhood, then go on to sharing (or to a message typed meanwhile)."""
    if chosen.name not in (*turn.services.neighbourhoods, ELSEWHERE, NOT_SAID):
        await turn.stale()
        return
    turn.resident.neighbourhood = None if chosen.name == NOT_SAID else chosen.name
    turn.say(_("Neighbourhood: {name} ✔", name=neighbourhood_label(chosen.name)), replace=True)
    if turn.resident.invitations is None:
        turn.state.step = "invitations"
    else:
        go_on(turn)
    await turn.ask()


@router.choice(Invite, steps=["invitations"])
async def choose_invitations(turn: Turn, chosen: Invite) -> None:
    """Store whether the resident wants invitations, then go on to sharing."""
    turn.resident.invitations = chosen.answer == "yes"
    if turn.resident.invitations:
        turn.say(_("✔ You will get invitations. Stop them any time with /settings."), replace=True)
    else:
        turn.say(_("✔ No invitations. You can change this with /settings."), replace=True)
    go_on(turn)
    await turn.ask()


def go_on(turn: Turn) -> None:
    """After onboarding: the message typed meanwhile, else the main menu."""
    turn.state.step = "draft" if turn.state.text or turn.state.media_ref else "idle"


@router.command("language", N_("choose your language"), N_("language, languages, change language"))
async def ask_language(turn: Turn) -> None:
    """Offer every language; from the menu it is a step of its own, so a name may be typed."""
    if turn.state.step == "idle":
        turn.state.step = "language"
    turn.say(_("Which language do you want to use?"), language_question(turn.resident.language))


@router.choice(Lang)
async def choose_language(turn: Turn, chosen: Lang) -> None:
    """Switch the resident's language and continue where they were, in the new language."""
    if chosen.lang not in available_languages():
        await turn.stale()
        return
    turn.resident.language = chosen.lang
    if turn.state.step in ("language", "offer"):
        turn.state.clear()
    with use(chosen.lang):
        turn.say(
            _("Okay, I will write in {language}.", language=language_name(chosen.lang)),
            replace=True,
        )
        await turn.ask()


@router.choice(Consent)
async def already_agreed(turn: Turn, _chosen: Consent) -> None:
    """A consent choice tapped again after agreeing."""
    turn.say(_("You already agreed. Thank you!"), replace=True)
    await turn.ask()
