"""A person answers: a worker writes to a resident who asked for contact, and reads the answers."""

from __future__ import annotations

import json

from conversations.engine import Conversation
from conversations.messages import decode_question
from storage import Storage
from tests.conversations.dialogue import Chat, Forged, Tap
from tests.conversations.test_events import resident, worker
from tests.conversations.test_joining import worker_code
from tests.conversations.test_path import share_idea


async def delivered(storage: Storage, chat: Chat) -> list[str]:
    """Hand a chat the contact messages queued for them, as the sender would; their texts."""
    rows = await storage.db.fetch_all(
        "SELECT o.id, o.text, o.buttons, o.sealed_for FROM outbox o"
        " JOIN residents r ON r.id = o.resident_id WHERE o.purpose = 'contact'"
        " AND o.status = 'pending' AND r.person = ? ORDER BY o.id",
        (f"test:{chat.user_id}",),
    )
    # Sealed with the author's key, as the sender opens them.
    ring = await storage.keys.ring(row[3] for row in rows)
    texts = [ring.unseal(row[3], row[1]) for row in rows]
    for row, text in zip(rows, texts, strict=True):
        chat.receive(text, decode_question(json.loads(row[2])))
        await storage.outbox.sent(row[0])
    return texts


async def asked_for_contact(conversation: Conversation, user_id: str, lang: str = "en") -> Chat:
    """A resident who shared an idea and asked to be contacted about it."""
    author = await resident(conversation, user_id, lang)
    await share_idea(author, lang, "A homework club in the community centre", contact=True)
    return author


async def picked_up(conversation: Conversation, storage: Storage, author: Chat) -> Chat:
    """The worker (Anna) opens P-0001 and writes to its author, who receives it."""
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/contact", ("1 resident asked to be contacted", "⏳ Not picked up yet", "🙋")),
            (Tap("💬 P-0001"), ("A homework club", "Nobody has written yet", "[✍ Write]")),
            (Tap("✍ Write"), "Which first name may they see?"),
            ("Anna 06-12345678", "only a first name"),
            ("Anna", ("Residents see you as Anna", "Write to the resident of P-0001")),
            ("Hello! I run the homework club. May I call you?", "✉ Sent to the resident"),
        ]
    )
    assert len(await delivered(storage, author)) == 1
    return chat


async def test_a_worker_writes_the_resident_answers_and_the_worker_ends_it(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "701", "en")
    chat = await picked_up(conversation, storage, author)
    framed = author.transcript[-1]
    assert framed.startswith("💬 Anna, community worker, about your message P-0001")
    assert "May I call you?" in framed and "[⏹ End the conversation]" in framed
    assert "900" not in framed  # never the worker's account

    await author.dialog([("Yes, on Monday morning please.", "✉ Sent to Anna.")])
    [answer] = await delivered(storage, chat)
    assert "The resident of P-0001 answers" in answer and "Monday morning" in answer
    assert "701" not in answer  # never the resident's account
    await chat.dialog(
        [
            (Tap("✍ Answer"), "Write to the resident of P-0001"),
            ("I will call you on Monday at ten.", "✉ Sent"),
            (Tap("⏹ End the conversation"), ("has ended", "Nobody is waiting to be contacted")),
        ]
    )
    words, ended = await delivered(storage, author)
    assert "Monday at ten" in words
    assert "Anna ended the conversation about your message P-0001" in ended

    # The conversation is over: the next words are a new message, not Anna's.
    await author.dialog([("A bench by the playground", "Shall I pass this on?")])
    assert await delivered(storage, chat) == []
    await author.dialog(
        [
            (
                "/mydata",
                (
                    "Your conversation about P-0001",
                    "Anna · ",
                    "May I call you?",
                    "You · ",
                    "Monday morning",
                    "Anna ended the conversation",
                ),
            )
        ]
    )
    actions = [entry.action for entry in await storage.audit.entries(1)]
    assert actions.count("contact_opened") == 1
    assert actions.count("contact_written") == 2
    assert actions.count("contact_answered") == 1
    assert actions.count("contact_ended") == 1


async def test_the_resident_ends_it_by_button_or_by_typing_and_the_worker_hears(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "702")
    chat = await picked_up(conversation, storage, author)
    await author.dialog([("end the conversation", "The conversation has ended")])
    [told] = await delivered(storage, chat)
    assert "The resident of P-0001 ended the conversation" in told
    await author.dialog([(Forged("talk:bye:1"), "no longer active")])  # ended already
    await chat.dialog([("/contact", "Nobody is waiting")])

    second = await asked_for_contact(conversation, "703")
    await chat.dialog(
        [
            ("/contact", "[💬 P-0002]"),
            (Tap("💬 P-0002"), "[✍ Write]"),
            (Tap("✍ Write"), "Write to the resident of P-0002"),  # the name is kept
            ("Hello from the team!", "✉ Sent"),
        ]
    )
    await delivered(storage, second)
    await second.dialog([(Tap("⏹ End the conversation"), "The conversation has ended")])
    assert "ended the conversation" in (await delivered(storage, chat))[0]


async def test_only_its_worker_writes_and_the_team_sees_who_has_what_and_how_long(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "704")
    await picked_up(conversation, storage, author)
    await author.send("Thank you, yes.")
    await asked_for_contact(conversation, "705")

    team = Chat(conversation, user_id="901", language_code="en")
    await team.onboard()
    await team.dialog(
        [
            (
                "/contact",
                (
                    "Open contact requests per worker",
                    "• Not picked up yet: 1",
                    "• Anna: 1 open · waiting for an answer: 1, the oldest",
                    "💬 With Anna · an answer waits",
                ),
            ),
            (Tap("💬 P-0001"), ("Anna talks with this resident", "Thank you, yes.")),
        ]
    )
    assert "✍ Write" not in [choice.label for choice in team.buttons]
    await team.dialog([(Forged("talk:write:1"), "Anna talks with this resident")])


async def test_residents_cannot_use_contact_and_forged_requests_are_refused(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "706")
    await author.dialog(
        [
            ("/contact", "only for community workers"),
            (Forged("talk:write:1"), "only for community workers"),
        ]
    )
    refused = [e for e in await storage.audit.entries() if e.action == "refused"]
    assert len(refused) == 2
    chat = await worker(conversation)
    nobody_asked = await resident(conversation, "707", "en")
    await share_idea(nobody_asked, "en", "More benches", contact=False)
    await chat.dialog([(Forged("talk:open:2"), "no longer active")])  # did not ask for contact
    await chat.dialog([(Forged("talk:open:99"), "no longer active")])


async def test_when_its_worker_leaves_the_request_waits_for_another_and_nothing_is_lost(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "708")
    chat = await picked_up(conversation, storage, author)
    await chat.dialog([("/forget", "delete everything"), (Tap("🗑 Delete all"), "Goodbye")])
    await author.dialog([("Are you still there?", "A community worker will read it")])

    team = Chat(conversation, user_id="901", language_code="en")
    await team.onboard()
    await team.dialog(
        [
            ("/contact", "⏳ Not picked up yet"),
            (Tap("💬 P-0001"), ("Are you still there?", "[✍ Write]")),
            (Tap("✍ Write"), "Which first name"),
            ("Sanne", "Write to the resident of P-0001"),
            ("Yes! I took over from Anna.", "✉ Sent"),
        ]
    )
    [words] = await delivered(storage, author)
    assert words.startswith("💬 Sanne, community worker")


async def test_forget_deletes_the_conversation_and_what_waits_to_be_sent(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "709")
    chat = await picked_up(conversation, storage, author)
    await author.send("Please call me at 06-12345678.")
    await author.dialog([("/forget", "delete everything"), (Tap("🗑 Delete all"), "Goodbye")])
    for table in ("contact_threads", "contact_messages"):
        row = await storage.db.fetch_one(f"SELECT COUNT(*) FROM {table}")
        assert row is not None and row[0] == 0, table
    assert await delivered(storage, chat) == []  # the number waiting for Anna went with it
    await chat.dialog([("/contact", "Nobody is waiting")])


async def test_a_revoked_worker_hands_their_conversations_back_to_the_queue(
    conversation: Conversation, storage: Storage
) -> None:
    author = await asked_for_contact(conversation, "710")
    newcomer = Chat(conversation, user_id="559", language_code="en")
    await newcomer.onboard()
    await newcomer.send(f"/join {await worker_code(conversation)}")
    await newcomer.dialog(
        [
            ("/contact", "[💬 P-0001]"),
            (Tap("💬 P-0001"), "[✍ Write]"),
            (Tap("✍ Write"), "Which first name"),
            ("Joost", "Write to the resident"),
            ("Hello, this is Joost.", "✉ Sent"),
        ]
    )
    await delivered(storage, author)
    team = Chat(conversation, user_id="901", language_code="en")
    newcomer_id = (await storage.residents.find("test:559")).id
    await team.dialog(
        [
            ("/contact", "💬 With Joost"),
            ("/roles", "Revoke"),
            (Tap(f"Revoke #{newcomer_id}"), "no longer has a role"),
            ("/contact", ("⏳ Not picked up yet", "• Not picked up yet: 1")),
        ]
    )
    await newcomer.dialog([("Hello?", "only for community workers")])  # words not sent on
    assert await delivered(storage, author) == []
    await author.dialog([("Hello Joost?", "A community worker will read it")])
