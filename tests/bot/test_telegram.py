"""End to end over Telegram: the real python-telegram-bot stack against a fake Bot API."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.application import serving
from bot.channels.layout import split
from bot.channels.telegram import CHANNEL, TelegramChannel
from bot.services import open_conversation
from bot.settings import Settings, load_settings
from bot.web import bound_port
from bot.web import serving as web_serving
from insights.analysis import Analyser
from insights.demo import fill
from insights.export import jsonl_lines
from locales import _, use
from storage import Storage
from tests.backends import SQLITE_FILE_ONLY
from tests.bot.conftest import TOKEN
from tests.fakes.botapi import Button, FakeBotApi, FakeUser, SendLimits, SentMessage


@asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[TelegramChannel]:
    """The bot as `wijkstem run` starts it, stopped at the end of the block."""
    async with open_conversation(settings) as conversation:
        channel = TelegramChannel(settings, conversation)
        async with serving(settings, conversation, [channel]):
            yield channel


def containing(words: str):
    """A predicate for a bot message whose text contains `words`."""

    def matches(message: SentMessage) -> bool:
        return words in (message.text or "")

    matches.__qualname__ = f"containing({words!r})"
    return matches


def labels(message: SentMessage) -> list[str]:
    """What the buttons of a message say, row by row."""
    return [button.text for row in message.buttons for button in row]


def showing(*choices: str):
    """A predicate for a bot message with a button saying one of `choices`."""

    def matches(message: SentMessage) -> bool:
        return any(choice in labels(message) for choice in choices)

    matches.__qualname__ = f"showing{choices!r}"
    return matches


def button(message: SentMessage, label: str) -> Button:
    """The one button of a message that says `label`."""
    found = [b for row in message.buttons for b in row if b.text == label and b.callback_data]
    assert found, f"message {message.message_id} has no button {label!r}: {labels(message)}"
    assert len(found) == 1, f"message {message.message_id} has {len(found)} buttons {label!r}"
    return found[0]


async def tap(api: FakeBotApi, user: FakeUser, message: SentMessage, label: str) -> None:
    """Press the button that says `label` and wait until Telegram has the callback answered."""
    data = button(message, label).callback_data
    assert data is not None
    update = api.press(user, message, data)
    query_id = update["callback_query"]["id"]
    await api.wait_until(lambda: any(a.query_id == query_id for a in api.answered_callbacks))


async def onboard(api: FakeBotApi, user: FakeUser, invitations: bool = False) -> SentMessage:
    """From /start to the main menu in English; returns the menu message."""
    api.send_command(user, "start")
    welcome = await api.wait_for_message(user, containing("Which language"))
    await tap(api, user, welcome, "English")
    await api.wait_until(lambda: "Do you agree?" in (welcome.text or ""))
    await tap(api, user, welcome, "✅ Yes, I agree")
    where = await api.wait_for_message(user, containing("Where do you live?"))
    await tap(api, user, where, "Pottenberg")
    invite = await api.wait_for_message(user, showing("❌ No, thank you"))
    await tap(api, user, invite, "✅ Yes, invite me" if invitations else "❌ No, thank you")
    return await api.wait_for_message(user, containing("What would you like to share?"))


async def share(api: FakeBotApi, user: FakeUser, kind: str, words: str) -> SentMessage:
    """From /start to the topics question about `words` (kind as tapped); returns it."""
    menu = await onboard(api, user)
    await tap(api, user, menu, kind)
    await api.wait_for_message(user)
    api.send_text(user, words)
    # A topic found is confirmed with "That's right"; with none, topics are ticked, then "Done".
    return await api.wait_for_message(user, showing("👍 That's right", "👍 Done"))


async def test_a_resident_goes_from_start_to_a_stored_tagged_contribution(
    api: FakeBotApi, settings: Settings, storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = api.user(1001, "Amina", language_code="en")
    async with running_bot(settings):
        menu = await onboard(api, user)
        await tap(api, user, menu, "😟 A worry")
        await api.wait_for_message(user, containing("What worries you?"))
        api.send_text(user, "I have debts and cannot pay the rent this month")
        pillars = await api.wait_for_message(user, containing("I think this is about"))
        assert "Money and making ends meet" in (pillars.text or "")
        await tap(api, user, pillars, "👍 That's right")
        quote = await api.wait_for_message(user, containing("May we read out"))
        await tap(api, user, quote, "✅ Yes")
        thanks = await api.wait_for_message(user, containing("P-0001"))
    assert "/mine" in (thanks.text or "")
    assert pillars.buttons == [], "answered buttons are taken away"
    [contribution] = [c async for c in storage.contributions.iterate()]
    assert contribution.text == "I have debts and cannot pay the rent this month"
    assert contribution.language == "en"
    assert contribution.final_pillars == ["livelihood_security"]
    assert contribution.channel_message_id is not None
    resident = await storage.residents.find("telegram:1001")
    assert resident is not None and resident.neighbourhood == "pottenberg"
    assert TOKEN not in caplog.text


async def test_the_command_menu_is_set_in_every_language(
    api: FakeBotApi, settings: Settings
) -> None:
    async with running_bot(settings):
        pass
    english = dict(api.commands("en"))
    dutch = dict(api.commands("nl"))
    assert set(english) == set(dutch) >= {"start", "mine", "language", "mydata", "forget"}
    assert english["forget"] != dutch["forget"]
    assert dict(api.commands("")) == dutch, "residents with other phone languages get Dutch"
    assert "review" not in english and "review" not in dutch
    worker_menu = dict(api.commands("", scope={"type": "chat", "chat_id": 900}))
    assert "review" in worker_menu and "forget" in worker_menu


async def test_a_repeated_update_is_handled_once(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1002, "Piotr", language_code="en")
    async with running_bot(settings):
        menu = await onboard(api, user)
        update = api.send_text(user, "Our street is full of litter")
        api.push_update(update)
        api.send_command(user, "help")
        await api.wait_for_message(user, containing("/forget"))
        # Pressed once, then the same update delivered again: pressed by the data it carries.
        help_data = button(menu, "❓ Help").callback_data
        assert help_data is not None
        tapped = api.press(user, menu, help_data)
        api.push_update(tapped)
        api.send_command(user, "help")
        await api.wait_for_message(user, containing("/forget"))
    drafts = [m for m in api.messages(user) if "Shall I pass this on?" in (m.text or "")]
    assert len(drafts) == 1, api.describe(user)
    assert api.delivered_update_ids.count(update["update_id"]) == 2
    query = tapped["callback_query"]["id"]
    assert [a.query_id for a in api.answered_callbacks].count(query) == 1, "answered once"
    assert all(call.ok for call in api.calls_to("answerCallbackQuery"))


async def test_a_restart_in_the_middle_of_sharing_continues(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1003, "Oksana", language_code="en")
    async with running_bot(settings):
        words = "A language café for newcomers in the community centre"
        pillars = await share(api, user, "💡 An idea", words)
    async with running_bot(settings):
        await tap(api, user, pillars, "👍 That's right")
        quote = await api.wait_for_message(user, containing("May we read out"))
        await tap(api, user, quote, "❌ No")
        helping = await api.wait_for_message(user, containing("Would you like to help"))
        await tap(api, user, helping, "✅ Yes, contact me")
        await api.wait_for_message(user, containing("P-0001"))
    [contribution] = [c async for c in storage.contributions.iterate()]
    assert (contribution.may_quote, contribution.wants_contact) == (False, True)


async def test_stickers_and_locations_get_a_friendly_answer(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1004, "Mehmet", language_code="en")
    async with running_bot(settings):
        await onboard(api, user)
        api.send_sticker(user)
        await api.wait_for_message(user, containing("cannot use this"))
        api.send_location(user)
        await api.wait_for_message(user, containing("do not keep locations"))
        api.send_photo(user, caption="Broken glass in the playground")
        await api.wait_for_message(user, containing("Shall I pass this on?"))
    assert [c async for c in storage.contributions.iterate()] == []


async def test_someone_new_typing_is_welcomed_in_their_language(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1005, "Sanne", language_code="nl")
    async with running_bot(settings):
        api.send_text(user, "hallo")
        welcome = await api.wait_for_message(user)
    assert "Nederlands" in str(welcome.buttons)
    assert "Which language" not in (welcome.text or ""), "a Dutch phone gets Dutch"
    assert await storage.residents.find("telegram:1005") is None


async def test_a_long_mydata_is_split_within_telegrams_limit(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1006, "Lena", language_code="en")
    resident = await storage.residents.create("telegram:1006", "en")
    texts = [f"Message {n}: " + "the bins are overflowing again " * 8 for n in range(30)]
    for text in texts:
        await storage.contributions.add(
            resident_id=resident.id, kind="concern", text=text, language="en", neighbourhood=None
        )
    async with running_bot(settings):
        api.send_command(user, "mydata")
        await api.wait_for_message(user, containing("/forget"))
    pieces = [m.text or "" for m in api.messages(user)]
    assert len(pieces) >= 3
    assert all(len(piece) <= 4096 for piece in pieces)
    assert all(text.strip() in "\n".join(pieces) for text in texts)


def test_split_text_keeps_every_character() -> None:
    text = "a" * 5000
    assert "".join(split(text, 4096)) == text
    assert [len(p) for p in split(text, 4096)] == [4096, 904]


async def test_a_reply_refused_with_a_500_is_sent_again_and_the_words_are_kept(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1007, "Yusuf", language_code="en")
    async with running_bot(settings):
        menu = await onboard(api, user)
        await tap(api, user, menu, "😟 A worry")
        await api.wait_for_message(user, containing("What worries you?"))
        api.fail_next("sendMessage", status=500, description="Internal Server Error", times=2)
        api.send_text(user, "The lift in our flat has been broken for weeks")
        await api.wait_for_message(user, containing("I think this is about"))
    asked = [m for m in api.messages(user) if "I think this is about" in (m.text or "")]
    assert len(asked) == 1, api.describe(user)
    [contribution] = [c async for c in storage.contributions.iterate()]
    assert contribution.text == "The lift in our flat has been broken for weeks"


async def test_a_worker_reviews_over_telegram_and_the_export_changes(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    resident = api.user(1008, "Jan", language_code="en")
    worker = api.user(900, "Wijkwerker", language_code="en")
    async with running_bot(settings):
        asked = await share(
            api, resident, "😟 A worry", "The entrance of our building is a disgrace"
        )
        assert "What is it about?" in (asked.text or "")

        before = [line async for line in jsonl_lines(storage)]

        api.send_command(resident, "review")
        await api.wait_for_message(resident, containing("only for community workers"))

        await onboard(api, worker)
        api.send_command(worker, "review")
        item = await api.wait_for_message(worker, containing("P-0001"))
        await tap(api, worker, item, "⬜ 💚 Health and wellbeing")
        await api.wait_until(lambda: "✅ 💚 Health and wellbeing" in labels(item))
        await tap(api, worker, item, "✔ Save")
        await api.wait_for_message(worker, containing("Nothing left to review"))
    after = [line async for line in jsonl_lines(storage)]

    assert '"pillars": []' in before[0] and '"pillars": ["positive_health"]' in after[0]
    actions = [entry.action for entry in await storage.audit.entries()]
    assert actions == ["refused", "set_pillars"]


async def test_a_voice_note_reaches_the_reviewing_worker(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    resident = api.user(1009, "Hawa", language_code="en")
    worker = api.user(900, "Wijkwerker", language_code="en")
    async with running_bot(settings):
        menu = await onboard(api, resident)
        await tap(api, resident, menu, "😟 A worry")
        await api.wait_for_message(resident, containing("What worries you?"))
        voice = api.send_voice(resident)["message"]["voice"]["file_id"]
        await api.wait_for_message(resident, containing("A community worker will listen"))
        await onboard(api, worker)
        api.send_command(worker, "review")
        item = await api.wait_for_message(worker, containing("P-0001"))
    [played] = [m for m in api.messages(worker) if m.media is not None]
    assert played.media == ("voice", voice)
    assert played.message_id < item.message_id, "the voice note comes right before its item"
    [contribution] = [c async for c in storage.contributions.iterate()]
    assert (contribution.media_kind, contribution.media_ref) == ("voice", voice)


async def test_a_team_member_gets_the_report_pack_and_others_do_not(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    resident = api.user(1010, "Sara", language_code="en")
    team = api.user(901, "Programmateam", language_code="nl")
    async with running_bot(settings):
        words = "A homework club in the community centre for our children"
        pillars = await share(api, resident, "💡 An idea", words)
        await tap(api, resident, pillars, "👍 That's right")
        quote = await api.wait_for_message(resident, containing("May we read out"))
        await tap(api, resident, quote, "✅ Yes")
        await api.wait_for_message(resident, containing("Would you like to help"))
        api.send_command(resident, "report")
        await api.wait_for_message(resident, containing("only for the programme team"))

        with use("nl"):
            agree, rather_not_say, no_thanks = (
                _("✅ Yes, I agree"),
                _("I'd rather not say"),
                _("❌ No, thank you"),
            )
        api.send_command(team, "start")
        welcome = await api.wait_for_message(team)
        await tap(api, team, welcome, "Nederlands")
        await api.wait_until(lambda: agree in labels(welcome))
        await tap(api, team, welcome, agree)
        where = await api.wait_for_message(team, showing(rather_not_say))
        await tap(api, team, where, rather_not_say)
        invite = await api.wait_for_message(team, showing(no_thanks))
        await tap(api, team, invite, no_thanks)
        api.send_command(team, "report pottenberg")
        await api.wait_until(lambda: sum(m.document is not None for m in api.messages(team)) == 2)
    summary = [m for m in api.messages(team) if "1 bijdrage" in (m.text or "")]
    assert summary, api.describe(team)
    files = {m.document.filename: m.document.content for m in api.messages(team) if m.document}
    [page] = [content for name, content in files.items() if name.endswith(".html")]
    assert "A homework club in the community centre" in page.decode()
    assert any(name.endswith(".xlsx") and content[:2] == b"PK" for name, content in files.items())
    assert [e.action for e in await storage.audit.entries()] == ["refused"]


async def test_a_role_joined_by_code_gets_its_menu_and_loses_it_when_revoked(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(1011, "Joost", language_code="en")
    chat_scope = {"type": "chat", "chat_id": 1011}
    async with running_bot(settings):
        await onboard(api, user)
    joined = await storage.residents.find("telegram:1011")
    assert joined is not None
    code = await storage.invites.create("worker", joined.id, "team")
    assert await storage.invites.redeem(code, joined.id, "resident") == "worker"
    async with running_bot(settings):
        await api.wait_until(lambda: "review" in dict(api.commands("", scope=chat_scope)))
    await storage.residents.revoke(joined.id, joined.id, "team")
    async with running_bot(settings):
        await api.wait_until(lambda: not api.commands("", scope=chat_scope))
    # The worker of the settings keeps theirs.
    assert "review" in dict(api.commands("", scope={"type": "chat", "chat_id": 900}))


async def test_a_resident_is_answered_while_a_big_report_is_being_built(
    api: FakeBotApi, settings: Settings, storage: Storage, analyser: Analyser
) -> None:
    await fill(storage, analyser, residents=5_000, contributions=100_000, days=28)
    team = api.user(901, "Programmateam", language_code="nl")
    await storage.residents.create(f"{CHANNEL}:{team.id}", "nl")
    resident = api.user(1021, "Amal", language_code="en")
    async with running_bot(settings):
        await onboard(api, resident)
        report = api.send_command(team, "report")
        await api.wait_until(lambda: report["update_id"] in api.delivered_update_ids)
        api.send_command(resident, "help")
        await api.wait_for_message(resident, containing("/forget"))
        assert not any(m.document for m in api.messages(team)), "answered before the report"
        documents = lambda: sum(m.document is not None for m in api.messages(team))  # noqa: E731
        await api.wait_until(lambda: documents() == 2, timeout=180)
    [summary] = [m for m in api.messages(team) if "bijdragen" in (m.text or "")]
    assert "100.000 bijdragen" in (summary.text or ""), summary.text


async def test_a_two_message_answer_keeps_telegrams_pace_in_one_chat(
    api: FakeBotApi, storage: Storage, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    monkeypatch.setenv("WIJKSTEM_SEND_PER_CHAT_INTERVAL", "1.0")
    api.limits = SendLimits(per_second=30, per_chat_interval=1.0)
    user = api.user(1022, "Noor", language_code="en")
    async with running_bot(load_settings()):
        pillars = await share(api, user, "😟 A worry", "The stairs in our flat are never cleaned")
        await tap(api, user, pillars, "👍 Done")  # no topic found in these words
        quote = await api.wait_for_message(user, containing("May we read out"))
        await tap(api, user, quote, "✅ Yes")
        await api.wait_for_message(user, containing("Thank you!"))
        await api.wait_for_message(user, containing("Anything else?"))
        api.send_command(user, "mine")
        await api.wait_for_message(user, containing("You shared 1 message"))
        await api.wait_for_message(user, containing("Anything else?"))
    assert api.flood_refusals == 0, api.describe(user)


@SQLITE_FILE_ONLY
async def test_forget_leaves_no_words_or_names_in_any_file_while_the_bot_runs(
    api: FakeBotApi, settings: Settings, db_path: Path
) -> None:
    user = api.user(1023, "Wilhelmina", "en", "Vermeulen", "wilhelmina_pottenberg")
    async with running_bot(settings):
        words = "The playground by Annelies's house is broken"
        pillars = await share(api, user, "😟 A worry", words)
        await tap(api, user, pillars, "👍 That's right")
        await api.wait_for_message(user, containing("May we read out"))
        api.send_command(user, "forget")
        sure = await api.wait_for_message(user, showing("🗑 Yes, delete everything"))
        await tap(api, user, sure, "🗑 Yes, delete everything")
        await api.wait_until(lambda: "Everything about you is deleted" in (sure.text or ""))
        files = list(db_path.parent.glob(f"{db_path.name}*"))
        assert db_path.with_name(db_path.name + "-wal") in files  # the bot is still running
        for path in files:
            content = path.read_bytes()
            for personal in (b"Annelies", b"Wilhelmina", b"Vermeulen", b"wilhelmina_pottenberg"):
                assert personal not in content, (personal, path.name)


async def test_replies_kept_while_telegram_is_away_go_out_once_and_only_the_newest(
    api: FakeBotApi,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("WIJKSTEM_REPLY_PATIENCE", "1")
    user = api.user(1024, "Ilse", language_code="en")
    async with running_bot(load_settings()):
        await onboard(api, user)
        api.fail_next("sendMessage", status=502, times=6)
        api.send_text(user, "The bus stop has no roof")
        api.send_text(user, "and no bench either")
        await api.wait_for_message(user, containing("Shall I pass this on?"), timeout=30)
        api.send_command(user, "help")
        await api.wait_for_message(user, containing("/forget"))
    assert "replies kept to send later" in caplog.text
    refused = [c for c in api.calls_to("sendMessage") if not c.ok]
    assert len(refused) == 6
    drafts = [m for m in api.messages(user) if "Shall I pass this on?" in (m.text or "")]
    assert len(drafts) == 1, "the older reply was stale by then: " + api.describe(user)


async def test_in_webhook_mode_telegram_pushes_updates_with_its_secret(
    api: FakeBotApi, settings: Settings
) -> None:
    async with open_conversation(settings) as conversation:
        async with web_serving("127.0.0.1", 0, []) as runner:
            port = bound_port(runner) or 0  # a free port, for the URL set before serving
        url = f"http://127.0.0.1:{port}/telegram"
        pushed = settings.model_copy(update={"telegram_webhook_url": url})
        channel = TelegramChannel(pushed, conversation)
        async with web_serving("127.0.0.1", port, channel.routes()):
            async with serving(pushed, conversation, [channel]):
                assert api.webhook is not None and api.webhook[0] == url
                user = api.user(2001, "Amira", language_code="en")
                api.send_command(user, "start")
                await api.wait_for_message(user, containing("Which language"))
                async with aiohttp.ClientSession() as session:
                    forged = {"update_id": 9, "message": {"message_id": 1, "date": 0}}
                    async with session.post(url, json=forged) as answer:
                        assert answer.status == 403
    assert api.calls_to("getUpdates") == [], "pushed, not polled"
    assert api.webhook_answers and set(api.webhook_answers) == {200}
