"""Onboarding: language, privacy consent and neighbourhood, with nothing stored before consent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conversations.engine import Conversation
from locales import _, use
from storage import Storage
from tests.backends import SQLITE_FILE_ONLY
from tests.conversations.dialogue import Chat, Forged, Tap


def stored_bytes(db_path: Path) -> bytes:
    """Everything SQLite has written to disk for this database (file and write-ahead log)."""
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))


async def count(storage: Storage, table: str) -> int:
    row = await storage.db.fetch_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return row[0]


async def test_first_contact_suggests_the_phone_language(chat: Chat) -> None:
    await chat.dialog([("/start", ("Hello!", "Which language", "[Nederlands]", "[English]"))])
    assert {"Nederlands", "English"} <= {c.label for c in chat.buttons}


async def test_an_unsupported_phone_language_falls_back_to_the_default(
    conversation: Conversation,
) -> None:
    chat = Chat(conversation, user_id="102", language_code="pt-br")
    answer = await chat.send("/start")
    with use("nl"):
        welcome = _("Which language do you want to use?")
    assert welcome.splitlines()[-1] in answer


async def test_the_privacy_terms_come_in_the_chosen_language(chat: Chat) -> None:
    await chat.send("/start")
    answer = await chat.send(Tap("Nederlands"))
    with use("nl"):
        agree = _("✅ Yes, I agree")
    assert agree != "✅ Yes, I agree", "the Dutch catalogue translates the consent button"
    assert f"[{agree}]" in answer
    assert "/forget" in answer and "/mydata" in answer


@SQLITE_FILE_ONLY
async def test_nothing_is_stored_before_consent(chat: Chat, storage: Storage, db_path: Path):
    await chat.send("Er is schimmel in mijn slaapkamer, wie kan helpen?")
    await chat.send(Tap("English"))
    await chat.send(Tap("❌ No"))
    assert await count(storage, "residents") == 0
    assert await count(storage, "contributions") == 0
    assert b"schimmel" not in stored_bytes(db_path)


async def test_declining_says_nothing_was_saved(chat: Chat, storage: Storage) -> None:
    await chat.dialog(
        [
            ("/start", "Which language"),
            (Tap("English"), "Do you agree?"),
            (Tap("❌ No"), "Nothing has been saved"),
        ]
    )
    assert await count(storage, "residents") == 0


async def test_consenting_stores_the_resident_and_asks_the_neighbourhood(
    chat: Chat, storage: Storage
) -> None:
    await chat.dialog(
        [
            ("/start", "Which language"),
            (Tap("English"), "Do you agree?"),
            (Tap("✅ Yes, I agree"), ("Thank you", "Where do you live?", "[Pottenberg]")),
            (Tap("Nazareth"), ("Nazareth ✔", "invitations to activities", "[❌ No")),
            (
                Tap("❌ No, thank you"),
                ("No invitations", "/settings", "What would you like to share?"),
            ),
        ]
    )
    resident = await storage.residents.find("test:101")
    assert resident is not None
    assert (resident.language, resident.neighbourhood) == ("en", "nazareth")
    assert resident.consented_at


async def test_rather_not_say_stores_no_neighbourhood(chat: Chat, storage: Storage) -> None:
    await chat.onboard(neighbourhood="I'd rather not say")
    resident = await storage.residents.find("test:101")
    assert resident is not None and resident.neighbourhood is None


async def test_words_typed_while_asked_the_neighbourhood_are_kept(
    chat: Chat, storage: Storage
) -> None:
    await chat.send("/start")
    await chat.send(Tap("English"))
    await chat.send(Tap("✅ Yes, I agree"))
    await chat.dialog(
        [
            ("The playground is broken", ("I keep your message", "Where do you live?")),
            (Tap("Pottenberg"), "invitations to activities"),
            (Tap("✅ Yes, invite me"), ("You will get invitations", "Shall I pass this on?")),
            (Tap("😟 A worry"), "I think this is about"),
        ]
    )
    resident = await storage.residents.find("test:101")
    assert resident is not None
    [stored] = await storage.contributions.by_resident(resident.id)
    assert stored.text == "The playground is broken"


async def test_roles_come_from_the_settings_and_go_with_them(
    conversation: Conversation, storage: Storage
):
    worker = Chat(conversation, user_id="900", language_code="en")
    await worker.onboard(lang="en")
    await worker.dialog([("/review", "Nothing left to review")])
    # Restarted with 900 taken out of WIJKSTEM_WORKERS: the rights are gone.
    restarted = Conversation(replace(conversation.services, roles={"test:901": "team"}))
    again = Chat(restarted, user_id="900", language_code="en")
    await again.dialog([("/review", "only for community workers")])
    await again.dialog([("/help", "what this chat does")])
    assert "/review" not in await again.send("/help")


async def test_an_old_consent_button_after_agreeing_changes_nothing(
    chat: Chat, storage: Storage
) -> None:
    await chat.onboard()
    await chat.dialog([(Forged("consent:en:no"), "You already agreed")])
    assert await count(storage, "residents") == 1


async def test_a_first_message_before_start_is_said_to_be_not_kept(
    chat: Chat, storage: Storage
) -> None:
    await chat.dialog(
        [("The playground is broken", ("did not keep your message", "send it again", "language"))]
    )
    assert "did not keep" not in await chat.send("/start")  # a command is no lost message
    assert await count(storage, "residents") == 0
