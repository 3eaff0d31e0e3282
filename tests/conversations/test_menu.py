"""Help, a resident's own messages, switching language, cancelling and unusable input."""

from __future__ import annotations

from locales import _, use
from storage import Storage
from tests.conversations.dialogue import Chat, Tap


async def test_help_lists_every_command(chat: Chat) -> None:
    await chat.onboard()
    answer = await chat.send("/help")
    for command in ("/start", "/mine", "/language", "/mydata", "/forget", "/cancel", "/help"):
        assert command in answer


async def test_mine_lists_what_the_resident_shared(chat: Chat) -> None:
    await chat.onboard()
    await chat.dialog([("/mine", "You have not shared any messages yet")])
    await chat.send(Tap("💡 An idea"))
    await chat.send("A vegetable garden where neighbours meet each other every week on Saturday")
    await chat.send(Tap("👍 That's right"))
    await chat.dialog([("/mine", ("P-0001", "💡 An idea", "A vegetable garden", "…"))])


async def test_switching_language_answers_in_the_new_one(chat: Chat, storage: Storage):
    await chat.onboard()
    await chat.send("/language")
    answer = await chat.send(Tap("Nederlands"))
    with use("nl"):
        menu = _("What would you like to share?")
    assert menu in answer and menu != "What would you like to share?"
    resident = await storage.residents.find("test:101")
    assert resident is not None and resident.language == "nl"


async def test_cancel_leaves_the_flow_and_keeps_what_was_saved(
    chat: Chat, storage: Storage
) -> None:
    await chat.onboard()
    await chat.send(Tap("😟 A worry"))
    await chat.send("No money for school books")
    await chat.dialog([("/cancel", ("Stopped", "P-0001", "What would you like to share?"))])
    await chat.dialog([("Hello", "Shall I pass this on?")])


async def test_an_unknown_command_gets_a_friendly_answer(chat: Chat) -> None:
    await chat.onboard()
    await chat.dialog([("/weather", ("don't know that command", "/help"))])


async def test_a_sticker_is_explained_and_the_question_repeated(chat: Chat) -> None:
    await chat.onboard()
    await chat.send(Tap("😟 A worry"))
    answer = await chat.send("", kind="unsupported", unsupported="sticker")
    assert "cannot use this" in answer and "What worries you?" in answer


async def test_a_shared_location_is_not_kept(chat: Chat) -> None:
    await chat.onboard()
    answer = await chat.send("", kind="unsupported", unsupported="location")
    assert "do not keep locations" in answer


async def test_looking_at_your_messages_mid_question_asks_the_question_again(chat: Chat) -> None:
    await chat.onboard()
    await chat.send(Tap("💡 An idea"))
    await chat.dialog([("/mine", ("You have not shared any messages yet", "What is your idea?"))])
