"""Languages in the conversation: offering the language a resident writes in, dates, plurals."""

from __future__ import annotations

from datetime import UTC, datetime

from locales import _, format_date, ngettext, use
from storage import Storage
from tests.conversations.dialogue import Chat, Tap


async def share(chat: Chat, words: str, lang: str = "en") -> str:
    """Share a worry, confirm the topic found and say no to reading it out, in `lang`."""
    with use(lang):
        worry, right, no = _("😟 A worry"), _("👍 That's right"), _("❌ No")
    await chat.send(Tap(worry))
    await chat.send(words)
    await chat.send(Tap(right))
    return await chat.send(Tap(no))


async def test_writing_twice_in_another_language_offers_it_once(
    chat: Chat, storage: Storage
) -> None:
    await chat.onboard(lang="en")
    first = await share(chat, "Wij hebben al maanden schimmel in de badkamer")
    assert "lang:nl" not in [c.data for c in chat.buttons], first
    second = await share(chat, "Mijn zoon heeft hulp nodig met zijn huiswerk")
    with use("nl"):
        offer = _(
            "You often write in {language}. Shall I talk with you in {language}?",
            language="Nederlands",
        )
        keep = _("❌ No")
    assert offer in second and "lang:nl" in [c.data for c in chat.buttons]
    await chat.send(Tap(keep))
    third = await share(chat, "De huur is veel te hoog geworden dit jaar")
    assert offer not in third
    resident = await storage.residents.find("test:101")
    assert resident is not None and resident.language == "en"


async def test_accepting_the_offer_switches_language(chat: Chat, storage: Storage) -> None:
    await chat.onboard(lang="en")
    await share(chat, "Wij hebben al maanden schimmel in de badkamer")
    await share(chat, "Mijn zoon heeft hulp nodig met zijn huiswerk")
    with use("nl"):
        switch = _("✅ Yes")
    await chat.send(Tap(switch))
    resident = await storage.residents.find("test:101")
    assert resident is not None and resident.language == "nl"


async def test_mine_counts_and_dates_in_the_residents_language(chat: Chat) -> None:
    await chat.onboard(lang="nl")
    await share(chat, "Er ligt veel zwerfvuil bij de speeltuin", lang="nl")
    await share(chat, "Kan er een bankje komen bij de bushalte?", lang="nl")
    answer = await chat.send("/mine")
    with use("nl"):
        header = ngettext("You shared {n} message:", "You shared {n} messages:", 2)
        today = format_date(datetime.now(UTC))
    assert header != "You shared 2 messages:" and header in answer
    assert today in answer and today != format_date(datetime.now(UTC))
