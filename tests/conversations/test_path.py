"""The path of a message: read, on the table, what happened; its author sees it and hears it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl

from conversations.engine import Conversation
from conversations.menu import ShowPath
from insights.report.data import gather
from insights.report.output import write
from insights.report.period import Period, today
from locales import _, use
from storage import Storage
from tests.conversations.dialogue import Chat, Forged, Tap
from tests.conversations.test_events import outbox, resident, resident_id, worker


async def share_idea(chat: Chat, lang: str, words: str, contact: bool = False) -> None:
    """Share an idea in `lang`: confirm its topics, allow quoting, ask for contact or not."""
    with use(lang):
        idea, right, done, yes = _("💡 An idea"), _("👍 That's right"), _("👍 Done"), _("✅ Yes")
        answer = _("✅ Yes, contact me") if contact else _("❌ No, thank you")
    await chat.send(Tap(idea))
    await chat.send(words)
    found_topics = right in [choice.label for choice in chat.buttons]
    await chat.send(Tap(right if found_topics else done))
    await chat.send(Tap(yes))
    await chat.send(Tap(answer))


async def broadcast(chat: Chat, text: str, references: str) -> None:
    """Send an announcement and link residents' messages to it."""
    await chat.dialog(
        [
            ("/broadcast", "What do you want to tell residents?"),
            (text, "Add another"),
            (Tap("➡ Next: who gets it"), "will receive this"),
            (Tap("📨 Send"), "[🔗 Link residents' messages]"),
            (Tap("🔗 Link residents' messages"), "Type their references"),
            (references, "Linked"),
        ]
    )


async def test_a_message_goes_from_received_to_what_happened_and_its_author_hears_each_step(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "801", "en")
    await share_idea(author, "en", "A homework club for the children in the community centre")
    await author.dialog([("/mine", ("P-0001", "📥 Received", "[📍 P-0001]"))])

    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/path P-0001", ("A homework club", "📥 Received", "[👀 Mark as read]")),
            (Tap("👀 Mark as read"), ("Marked as read", "👀 Read by the team")),
            (Tap("⏹ Stop"), "Nothing was sent"),
        ]
    )
    await author.dialog([("/mine", "👀 Read by the team")])

    await broadcast(chat, "Huiswerkclub vanaf maandag in het buurthuis.", "P-0001")
    await broadcast(chat, "Nog een keer: de huiswerkclub.", "P-0001")
    told = await outbox(storage, "linked")
    author_id = await resident_id(storage, "801")
    assert list(told) == [author_id]  # on the table once, not at every event
    await author.dialog([("/mine", "🗣 On the table")])

    await chat.dialog(
        [
            ("/path P-0001", ("P-0001", "🗣 On the table", "[✍ What happened]")),
            (Tap("✍ What happened"), "Write what happened, in Dutch"),
            ("De club begint op 12 januari, elke woensdag.", ("[📣 Send", "[🌐 Also in English]")),
            (Tap("🌐 Also in English"), "Write what happened, in English"),
            ("The club starts on 12 January, every Wednesday.", "[📣 Send"),
            (Tap("📣 Send to the resident"), "will hear it"),
        ]
    )
    news = (await outbox(storage, "outcome"))[author_id]
    assert "P-0001" in str(news["text"])
    assert "The club starts on 12 January" in str(news["text"])
    assert "De club" not in str(news["text"])  # their language, not the team's
    await author.dialog(
        [
            ("/mine", ("✅ What happened", "The club starts on 12 January")),
            (
                Tap("📍 P-0001"),
                (
                    "📥 Received",
                    "👀 Read by the team",
                    "🗣 On the table",
                    "✅ What happened",
                    "The club starts on 12 January",
                ),
            ),
        ]
    )
    await chat.dialog([("/path P-0001", "already has its answer")])
    assert len(await outbox(storage, "outcome")) == 1  # one message per step


async def test_a_message_closed_with_a_reason_in_dutch_says_so_in_the_residents_language(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "802", "ar")
    await share_idea(author, "ar", "نريد مسبحا في الحي")
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/path", "Which message?"),
            ("P-0042", "could not find"),
            ("p 1", "[✖ Close with a reason]"),
            (Tap("✖ Close with a reason"), "Write why it is closed, in Dutch"),
            ("Een zwembad past niet in het budget van de wijk.", "[🌐 Also in Arabic]"),
            (Tap("📣 Send to the resident"), "will hear it"),
        ]
    )
    news = str((await outbox(storage, "outcome"))[await resident_id(storage, "802")]["text"])
    with use("ar"):
        assert _("Your message {ref} is closed:", ref="P-0001") in news
        assert _("(The team wrote this in Dutch.)") in news
    assert "Een zwembad past niet" in news
    with use("ar"):
        closed = _("✖ Closed")
    await author.dialog([("/mine", (closed, "Een zwembad past niet"))])


async def test_nobody_sees_the_path_of_someone_elses_message_or_writes_without_rights(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "803", "en")
    await share_idea(author, "en", "More benches on the square please")
    other = await resident(conversation, "804", "en")
    await other.dialog(
        [
            (Forged(ShowPath(1).pack()), "no longer active"),
            ("/path P-0001", "only for community workers"),
        ]
    )
    assert not any("More benches" in said for said in other.transcript)
    assert await outbox(storage, "outcome") == {}
    entries = await storage.audit.entries()
    assert [e.action for e in entries if e.action == "refused"] == ["refused"]


async def test_the_report_counts_messages_by_status_and_lists_what_happened(
    conversation: Conversation, storage: Storage, tmp_path: Path
) -> None:
    author = await resident(conversation, "805", "en", invitations=False)
    await share_idea(author, "en", "A repair cafe on Saturdays")
    await share_idea(author, "en", "Free bicycle lessons for women")
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/path P-0002", "[✍ What happened]"),
            (Tap("✍ What happened"), "Write what happened"),
            ("Fietsles start in maart; bel Jan de Vries op 06-12345678.", "[📣 Send"),
            (Tap("📣 Send to the resident"), "will hear it"),
        ]
    )
    until = today() + timedelta(days=1)
    report = await gather(storage, Period(until - timedelta(days=30), until), None, str)
    path = tmp_path / "report.xlsx"
    await write(report, "xlsx", path, "nl")
    sheets = openpyxl.load_workbook(path, read_only=True)
    outcomes = [row for row in sheets["Uitkomsten"].iter_rows(values_only=True)][1:]
    assert [(row[0], row[1]) for row in outcomes] == [("P-0002", "Uitkomst geschreven")]
    assert "Fietsles start in maart" in str(outcomes[0][3])
    assert "Jan de Vries" not in str(outcomes[0][3]) and "06-12345678" not in str(outcomes[0][3])
    summary = [row for row in sheets["Overzicht"].iter_rows(values_only=True)]
    assert ("Ontvangen", 1) in [(row[0], row[1]) for row in summary]
    assert ("Uitkomst geschreven", 1) in [(row[0], row[1]) for row in summary]


async def test_workers_see_who_would_like_to_help_or_be_contacted(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "806", "en", invitations=False)
    await share_idea(author, "en", "Free bicycle lessons for women")
    await share_idea(author, "en", "A choir for the neighbourhood", contact=True)
    chat = await worker(conversation)
    await chat.dialog([("/path P-0002", ("A choir", "🙋 Would like to help, or to be contacted"))])
    answer = await chat.send("/path P-0001")
    assert "Free bicycle lessons" in answer and "🙋" not in answer
