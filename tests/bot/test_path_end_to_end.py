"""End to end over Telegram: a worker answers a resident who asked for contact; the message
goes from received to what happened, and its author hears each step once, in their language."""

from __future__ import annotations

from bot.settings import Settings
from storage import Storage
from tests.bot.test_events_end_to_end import answer, tap_on
from tests.bot.test_telegram import containing, labels, onboard, running_bot, share, tap
from tests.fakes.botapi import FakeBotApi


async def test_a_worker_answers_the_message_moves_along_its_path_its_author_hears_each_step(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    resident = api.user(1101, "Amina", language_code="en")
    worker = api.user(900, "Wijkwerker", language_code="en")
    async with running_bot(settings):
        topics = await share(api, resident, "💡 An idea", "A homework club for the children")
        confirm = [label for label in labels(topics) if label in ("👍 That's right", "👍 Done")]
        await tap(api, resident, topics, confirm[0])
        await tap_on(api, resident, "✅ Yes")  # may be quoted
        await tap_on(api, resident, "✅ Yes, contact me")
        api.send_command(resident, "mine")
        await api.wait_for_message(resident, containing("📥 Received"))

        await onboard(api, worker)
        api.send_command(worker, "contact")
        await tap_on(api, worker, "💬 P-0001")
        await tap_on(api, worker, "✍ Write")
        await answer(api, worker, "Which first name", "Anna")
        await answer(api, worker, "Write to the resident of P-0001", "May I call you?")
        await api.wait_for_message(worker, containing("✉ Sent to the resident of P-0001"))
        written = await api.wait_for_message(resident, containing("💬 Anna, community worker"))
        api.send_text(resident, "Yes, on Monday morning.")
        await api.wait_for_message(resident, containing("✉ Sent to Anna."))
        answered = await api.wait_for_message(worker, containing("answers"))
        await tap(api, worker, answered, "⏹ End the conversation")
        ended = await api.wait_for_message(resident, containing("Anna ended the conversation"))

        api.send_command(worker, "path", "P-0001")
        await tap_on(api, worker, "👀 Mark as read")
        await tap_on(api, worker, "⏹ Stop")

        for words in ("Huiswerkclub vanaf maandag in het buurthuis.", "Nog een keer: de club."):
            api.send_command(worker, "broadcast")
            await answer(api, worker, "What do you want to tell residents?", words)
            await tap_on(api, worker, "➡ Next: who gets it")
            await tap_on(api, worker, "📨 Send to 0")
            await tap_on(api, worker, "🔗 Link residents' messages")
            await answer(api, worker, "Type their references", "P-0001")
            await api.wait_for_message(worker, containing("Linked 1 message"))
        tabled = await api.wait_for_message(resident, containing("You said, we did"))

        api.send_command(worker, "path", "P-0001")
        await tap_on(api, worker, "✍ What happened")
        await answer(api, worker, "in Dutch", "De club begint op 12 januari.")
        await tap_on(api, worker, "🌐 Also in English")
        await answer(api, worker, "in English", "The club starts on 12 January.")
        await tap_on(api, worker, "📣 Send to the resident")
        news = await api.wait_for_message(resident, containing("News about your message"))

        api.send_command(resident, "mine")
        await api.wait_for_message(resident, containing("✅ What happened"))
        await tap_on(api, resident, "📍 P-0001")
        path = await api.wait_for_message(resident, containing("🗣 On the table"))
        api.send_command(worker, "path", "P-0001")
        await api.wait_for_message(worker, containing("already has its answer"))

    assert "May I call you?" in (written.text or "") and "1101" not in (written.text or "")
    assert "Monday morning" in (answered.text or "") and "Amina" not in (answered.text or "")
    assert "P-0001" in (ended.text or "")
    assert "P-0001" in (tabled.text or "") and "Huiswerkclub" in (tabled.text or "")
    assert "The club starts on 12 January." in (news.text or "")
    assert "De club" not in (news.text or "")
    for step in ("📥 Received", "👀 Read by the team", "✅ What happened", "Huiswerkclub"):
        assert step in (path.text or ""), step
    told = [m.text or "" for m in api.messages(resident)]
    assert sum("You said, we did" in text for text in told) == 1
    assert sum("News about your message" in text for text in told) == 1
    assert sum("💬 Anna" in text for text in told) == 1
    assert sum("ended the conversation" in text for text in told) == 1
    actions = [entry.action for entry in await storage.audit.entries()]
    assert actions.count("read") == 1 and actions.count("outcome") == 1
    assert actions.count("contact_written") == 1 and actions.count("contact_answered") == 1
    assert actions.count("contact_ended") == 1
