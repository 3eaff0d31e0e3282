"""Typed answers and keywords, in every language: a word is a choice, never a message."""

from __future__ import annotations

import pytest

from conversations.engine import Conversation
from locales import _, available_languages, language_name, language_name_here, use
from storage import Storage
from tests.conversations.dialogue import Chat

# A yes and a no as residents type them, per language (the issue's own examples among them).
YES_NO = {
    "ar": ("نعم", "لا"),
    "de": ("ja", "nein"),
    "en": ("yes", "no"),
    "fa": ("بله", "نه"),
    "fr": ("oui", "non"),
    "nl": ("ja hoor", "nee"),
    "pl": ("tak", "nie"),
    "ru": ("да", "нет"),
    "ti": ("እወ", "ኣይ"),
    "tr": ("evet", "hayır"),
    "uk": ("так", "ні"),
}


def first_word(listed: str, lang: str) -> str:
    """The first of a translated list of typed words."""
    with use(lang):
        return _(listed).split(",")[0].strip()


def test_every_language_has_its_yes_and_no() -> None:
    assert set(YES_NO) == set(available_languages())


@pytest.mark.parametrize("lang", available_languages())
async def test_onboarding_typed_in_each_language_is_understood(
    conversation: Conversation, storage: Storage, lang: str
) -> None:
    chat = Chat(conversation, f"7{available_languages().index(lang)}", language_code=None)
    yes, no = YES_NO[lang]
    await chat.send("hello")
    await chat.send(language_name(lang))  # the language's own name
    await chat.send(yes)
    await chat.send("Nazareth")
    answer = await chat.send(no)
    resident = await storage.residents.find(f"test:{chat.user_id}")
    assert resident is not None, chat.transcript
    assert (resident.language, resident.neighbourhood, resident.invitations) == (
        lang,
        "nazareth",
        False,
    ), chat.transcript
    assert await storage.contributions.by_resident(resident.id) == [], "no answer is a message"
    with use(lang):
        assert _("What would you like to share?") in answer

        mine = await chat.send(first_word("my messages, mine, messages", lang))
        assert _("You have not shared any messages yet.") in mine, chat.transcript
        helped = await chat.send(first_word("help, info, what can you do", lang))
        assert "/forget" in helped and "/mine" in helped, chat.transcript
        await chat.send(first_word("forget me, delete my data", lang))
        gone = await chat.send(yes)
        assert "/start" in gone, chat.transcript
    assert await storage.residents.find(f"test:{chat.user_id}") is None


@pytest.mark.parametrize("lang", available_languages())
async def test_a_language_name_in_another_script_chooses_it(
    conversation: Conversation, lang: str
) -> None:
    """A language named in Dutch chooses it, in whatever script its own name is written."""
    chat = Chat(conversation, "80", language_code="nl")
    await chat.send("hallo")
    with use("nl"):
        dutch_name = language_name_here(lang)
    terms = await chat.send(dutch_name)
    with use(lang):
        assert _("Do you agree?") in terms, chat.transcript


async def test_a_typed_word_at_onboarding_never_switches_the_language(
    chat: Chat, storage: Storage
) -> None:
    await chat.send("/start")
    await chat.send("Türkçe")
    await chat.send("evet")
    answer = await chat.send("English")  # at the neighbourhood question: kept, not a language
    with use("tr"):
        assert _("Where do you live?") in answer
    resident = await storage.residents.find("test:101")
    assert resident is not None and resident.language == "tr"
