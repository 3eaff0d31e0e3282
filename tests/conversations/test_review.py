"""Review by workers: pillars set by a worker count, hidden ones leave the export, all audited."""

from __future__ import annotations

import json
from dataclasses import replace

from conversations.engine import Conversation
from conversations.turn import Services
from insights.export import jsonl_lines
from insights.translation import Translator
from storage import Storage
from tests.conversations.dialogue import Chat, Tap
from tests.fakes.translate import FakeTranslate


async def share(chat: Chat, words: str, confirm: bool = True, found: bool = True) -> None:
    """Share a worry; confirm the topic (`found`) or, none found, say done without one."""
    await chat.send(Tap("😟 A worry"))
    await chat.send(words)
    if confirm:
        await chat.send(Tap("👍 That's right" if found else "👍 Done"))
        await chat.send(Tap("✅ Yes"))
    else:
        await chat.send("/cancel")


async def exported(storage: Storage) -> dict[str, dict]:
    records = [json.loads(line) async for line in jsonl_lines(storage)]
    return {record["id"]: record for record in records}


async def test_a_resident_cannot_review_and_the_attempt_is_logged(
    chat: Chat, storage: Storage
) -> None:
    await chat.onboard()
    await chat.dialog([("/review", "only for community workers")])
    [entry] = await storage.audit.entries()
    assert (entry.action, entry.actor_role, entry.detail) == (
        "refused",
        "resident",
        {"attempt": "/review"},
    )


async def test_a_worker_corrects_hides_and_the_export_follows(
    chat: Chat, conversation: Conversation, storage: Storage
) -> None:
    await chat.onboard()
    await share(chat, "I have debts and cannot pay the rent")  # sure and confirmed: no review
    await share(chat, "Again that thing at the corner", confirm=False)  # P-0002: no topic found
    await share(chat, "You are all idiots at the council", found=False)  # P-0003: no pillar
    before = await exported(storage)
    assert before["P-0002"]["pillars"] == []

    worker = Chat(conversation, user_id="900", language_code="en")
    await worker.onboard()
    await worker.dialog(
        [("/review", ("2 messages wait for review", "P-0002", "Again that thing at the corner"))]
    )
    await worker.send(Tap("⬜ 💚 Health and wellbeing"))
    await worker.dialog(
        [
            (Tap("✔ Save"), ("P-0002 saved", "💚 Health and wellbeing", "P-0003")),
            (Tap("🙈 Hide"), ("P-0003 is hidden", "Nothing left to review")),
        ]
    )
    after = await exported(storage)
    assert after["P-0002"]["pillars"] == ["positive_health"]
    assert "P-0003" not in after
    assert after["P-0001"] == before["P-0001"]
    actions = [(e.action, e.contribution_id, e.actor_role) for e in await storage.audit.entries()]
    assert actions == [("set_pillars", 2, "worker"), ("hide", 3, "worker")]


async def test_a_worker_can_skip_and_stop(chat: Chat, conversation: Conversation) -> None:
    await chat.onboard()
    await share(chat, "Something about nothing", confirm=False)
    await share(chat, "Another thing", confirm=False)
    worker = Chat(conversation, user_id="900", language_code="en")
    await worker.onboard()
    await worker.send("/review")
    await worker.dialog(
        [
            (Tap("⏭ Skip"), ("P-0001 skipped", "P-0002")),
            (Tap("⏹ Stop"), ("Stopped reviewing", "What would you like to share?")),
        ]
    )


async def test_a_skipped_message_still_waits_at_the_end(
    chat: Chat, conversation: Conversation
) -> None:
    await chat.onboard()
    await share(chat, "Something about nothing", confirm=False)
    worker = Chat(conversation, user_id="900", language_code="en")
    await worker.onboard()
    await worker.send("/review")
    reply = await worker.send(Tap("⏭ Skip"))
    assert "1 message waits for review" in reply and "Nothing left" not in reply
    await worker.dialog([("/review", "P-0001")])


async def test_a_worker_reads_words_in_another_language_with_a_machine_translation(
    services: Services,
) -> None:
    async with FakeTranslate() as service:
        conversation = Conversation(replace(services, translator=Translator(service.url)))
        resident = Chat(conversation, user_id="101", language_code="ar")
        await resident.onboard("ar", "Nazareth")
        await resident.send("المصعد في عمارتنا معطل منذ أسابيع ولا أحد يصلحه")
        await resident.send("1")  # typed: the first kind offered
        await resident.send("/cancel")  # kept as P-0001, not confirmed: a worker looks
        worker = Chat(conversation, user_id="900", language_code="en")
        await worker.onboard()
        await worker.dialog(
            [("/review", ("P-0001", "🌐 Machine translation: [en] المصعد في عمارتنا معطل"))]
        )
        await worker.send(Tap("⬜ 💶 Money and making ends meet"))
        assert len(service.requests) == 1, "kept: the same words are not asked for twice"
