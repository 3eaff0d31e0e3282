"""End to end over WhatsApp: signed webhooks into our own web server, pywa to a fake Graph API."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import aiohttp
import pytest

from bot.application import serving
from bot.channels.whatsapp import WhatsAppChannel
from bot.sending import Sender
from bot.services import open_conversation
from bot.settings import Settings, load_settings
from bot.web import bound_port
from bot.web import serving as web_serving
from conversations.invitations import invitation, outgoing
from locales import _, use
from storage import Storage
from storage.inbox import Received
from storage.residents import Resident
from tests.backends import POSTGRESQL_ONLY
from tests.bot.conftest import start
from tests.fakes.botapi import FakeBotApi
from tests.fakes.graphapi import FakeGraphApi, FakeUser, SentMessage
from tests.fakes.transcribe import FakeTranscribe
from tests.ports import free_port, healthy

SECRET = "app-secret-never-logged"
VERIFY = "verify-me"
TOKEN = "EAAG-token-never-logged"
WORKER = "31611111111"
TEAM = "31699999999"
PASS_ON = "Shall I pass this on? Is it a worry, an idea or something you want to do?"
QUOTE_VOICE = (
    "May we tell the neighbourhood meeting what you said in your voice message? Without your name."
)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphApi]:
    """A fake Graph API on 127.0.0.1 that signs its webhooks with the app secret."""
    async with FakeGraphApi(app_secret=SECRET, phone_number_id="1234", token=TOKEN) as fake:
        yield fake


@pytest.fixture
def whatsapp_settings(
    graph: FakeGraphApi, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """A deployment with WhatsApp only, pointed at the fake."""
    templates = tmp_path / "templates.toml"
    templates.write_text(
        'fallback = ["nl"]\n[invitation]\nname = "wijkstem_invitation"\n'
        'languages = { nl = "nl", ar = "ar" }\n',
        encoding="utf-8",
    )
    values = {
        "WIJKSTEM_WHATSAPP_TOKEN": TOKEN,
        "WIJKSTEM_WHATSAPP_PHONE_NUMBER_ID": "1234",
        "WIJKSTEM_WHATSAPP_APP_SECRET": SECRET,
        "WIJKSTEM_WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WIJKSTEM_WHATSAPP_API_URL": graph.base_url,
        "WIJKSTEM_WHATSAPP_TEMPLATES": str(templates),
        "WIJKSTEM_WHATSAPP_SEND_PER_CHAT_INTERVAL": "0",
        "WIJKSTEM_DATABASE_URL": database_url,
        "WIJKSTEM_WORKERS": f"whatsapp:{WORKER}",
        "WIJKSTEM_TEAM": f"whatsapp:{TEAM}",
        "WIJKSTEM_SEND_PER_CHAT_INTERVAL": "0",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("WIJKSTEM_TELEGRAM_TOKEN", raising=False)
    return load_settings()


@asynccontextmanager
async def running(settings: Settings, graph: FakeGraphApi) -> AsyncIterator[WhatsAppChannel]:
    """The bot as `wijkstem run` serves WhatsApp: the web server, the channel, its sender."""
    async with open_conversation(settings) as conversation:
        channel = WhatsAppChannel(settings, conversation)
        async with web_serving("127.0.0.1", 0, channel.routes()) as runner:
            graph.webhook_url = f"http://127.0.0.1:{bound_port(runner)}/whatsapp"
            async with serving(settings, conversation, [channel]):
                yield channel


def has(words: str):
    """A predicate for a message whose text contains `words`."""
    return lambda message: words in (message.text or "")


async def answer(graph: FakeGraphApi, user: FakeUser, message: SentMessage, title: str) -> None:
    """Tap a button or choose a list row, whichever the message shows."""
    if title in message.button_titles:
        await graph.tap(user, message, title)
    else:
        await graph.choose(user, message, title)


async def onboard_in_arabic(graph: FakeGraphApi, user: FakeUser) -> SentMessage:
    """From a first "hello" to the main menu, in Arabic; the menu message."""
    assert await graph.send_text(user, "مرحبا") == 200
    languages = await graph.wait_for_message(user)
    assert languages.row_titles[0] == "العربية", "a Syrian number sees Arabic first"
    await graph.choose(user, languages, "العربية")
    with use("ar"):
        terms = await graph.wait_for_message(user, has(_("Do you agree?")))
        whatsapp_line = _(
            "• On WhatsApp, that number is your phone number. Community workers and the team"
            " never see it."
        )
        assert whatsapp_line in (terms.text or ""), "the privacy terms name WhatsApp"
        await graph.tap(user, terms, terms.button_titles[0])
        where = await graph.wait_for_message(user, has(_("Where do you live?")))
        await answer(graph, user, where, "Nazareth")
        await graph.wait_for_message(user, has("/settings"))
        await graph.send_text(user, "لا")  # typed: no invitations
        return await graph.wait_for_message(user, has(_("What would you like to share?")))


async def test_an_arabic_resident_shares_a_voice_note_and_a_photo_a_worker_reviews_them(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    amina = graph.user("963912345678", "Amina")
    async with running(whatsapp_settings, graph):
        await onboard_in_arabic(graph, amina)
        await graph.send_voice(amina, b"OggS the voice of Amina")
        with use("ar"):
            await graph.wait_for_message(amina, has(_(PASS_ON)))
            await graph.send_text(amina, "1")  # the first kind: a worry
            await graph.wait_for_message(
                amina, has(_("What is it about? Tap the topics that fit, or tap Done."))
            )
            await graph.send_text(amina, _("👍 Done"))
            await graph.wait_for_message(amina, has(_(QUOTE_VOICE)))
            await graph.send_text(amina, "نعم")
        await graph.send_image(amina, b"\xff\xd8 a photo of the lift", caption="المصعد معطل")
        with use("ar"):
            await graph.wait_for_message(amina, has(_(PASS_ON)))
            await graph.send_text(amina, "1")
            await graph.wait_for_message(amina, lambda m: bool(m.rows))  # the topics
            await graph.send_text(amina, "/cancel")  # kept, unconfirmed: a worker looks
            await graph.wait_for_message(amina, has("P-0002"))

        worker = graph.user(WORKER, "Wim")
        await onboard(graph, worker, "ja", "nee", invited=False)
        await graph.send_text(worker, "review")
        voice = await graph.wait_for_message(worker, lambda m: m.type == "audio")
        item = await graph.wait_for_message(worker, has("P-0001"))
        assert len(item.rows) == 7, "three topics, save, hide, skip, stop: a list"
        with use("nl"):
            await graph.send_text(worker, _("✔ Save"))
        photo = await graph.wait_for_message(worker, lambda m: m.type == "image")
        await graph.wait_for_message(worker, has("P-0002"))
    assert graph.media[photo.media_id or ""].content == b"\xff\xd8 a photo of the lift"
    shown_to_worker = json.dumps([m.payload for m in graph.messages(worker)])
    assert "963912345678" not in shown_to_worker, "a worker never sees a phone number"

    resident = await storage.residents.find("whatsapp:963912345678")
    assert resident is not None and resident.language == "ar"
    note, photo_note = await storage.contributions.by_resident(resident.id)
    assert note.media_kind == "voice" and note.media_ref is not None
    assert photo_note.media_kind == "photo" and photo_note.text == "المصعد معطل"
    kept = await storage.media.get(note.media_ref)
    assert kept is not None and kept.content == b"OggS the voice of Amina"
    assert graph.media[voice.media_id or ""].content == b"OggS the voice of Amina"
    assert "963912345678" not in json.dumps(
        [c.text for c in await storage.contributions.by_resident(resident.id)]
    )


async def test_webhooks_are_checked_deduplicated_and_batched(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    ana, bo = graph.user("31622222222", "Ana"), graph.user("31633333333", "Bo")
    async with running(whatsapp_settings, graph):
        assert graph.webhook_url is not None
        assert await graph.verify(graph.webhook_url, VERIFY, "4242") == (200, "4242")
        assert (await graph.verify(graph.webhook_url, "guess", "4242"))[0] == 403

        forged = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
        assert await graph.post_raw(forged, "sha256=" + "0" * 64) == 401
        assert await graph.post_raw(forged, None) == 401

        assert (
            await graph.batch(graph.text_message(ana, "hoi"), graph.text_message(bo, "hi")) == 200
        )
        await graph.wait_for_message(ana)
        await graph.wait_for_message(bo)
        assert await graph.redeliver(last=True) == 200  # Meta sends the same POST again
        await graph.send_reaction(ana, graph.messages(ana)[0], "👍")
        await graph.send_text(ana, "hallo?")  # her messages go in order: the reaction first
        await graph.wait_for_message(ana)
        await graph.send_sticker(bo)
        again = await graph.wait_for_message(bo)  # before consent: the greeting again
        assert "Welke taal wil je gebruiken?" in (again.text or ""), "a Dutch number: Dutch"
    assert len(graph.messages(ana)) == 2, "a redelivered message and a reaction get no answer"
    assert len(graph.messages(bo)) == 2
    rows = await storage.db.fetch_all("SELECT COUNT(*) FROM inbox")
    assert rows[0][0] == 5, "each message kept once by its wamid; nothing from the forgeries"


async def onboard(graph: FakeGraphApi, user: FakeUser, yes: str, no: str, invited: bool) -> None:
    """Onboard by typing alone: the phone's language (first in the list), yes, a place, no."""
    await graph.send_text(user, "hoi")
    languages = await graph.wait_for_message(user)
    await graph.choose(user, languages, languages.row_titles[0])
    await graph.wait_for_message(user)  # the privacy terms
    await graph.send_text(user, yes)
    await graph.wait_for_message(user)  # agreed
    await graph.wait_for_message(user)  # where do you live?
    await graph.send_text(user, "Pottenberg")
    await graph.wait_for_message(user)  # neighbourhood ✔
    await graph.wait_for_message(user)  # invitations?
    await graph.send_text(user, yes if invited else no)
    await graph.wait_for_message(user)  # ✔
    await graph.wait_for_message(user)  # the menu


async def test_invitations_go_within_24_hours_and_after_a_template_outside_them(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    graph.approve("wijkstem_invitation", "nl")
    fatima, omar = graph.user("963933333333", "Fatima"), graph.user("31644444444", "Omar")
    worker = graph.user(WORKER, "Wim")
    async with running(whatsapp_settings, graph):
        await onboard(graph, fatima, "نعم", "لا", invited=True)
        await onboard(graph, omar, "ja", "nee", invited=True)
        await onboard(graph, worker, "ja", "nee", invited=False)
        # Omar last wrote two days ago, for Meta and for us.
        two_days_ago = time.time() - 2 * 86400
        graph.user_wrote(omar, at=two_days_ago)
        async with storage.db.transaction() as tx:
            await tx.execute(
                "UPDATE inbox SET received_at = ? WHERE sender = ?",
                (datetime.fromtimestamp(two_days_ago, UTC).isoformat(), "whatsapp:31644444444"),
            )

        for typed in (
            "nieuwe activiteit",
            "Buurtkoffie",
            "overslaan",
            "13-3-2099 10:00",
            "Buurthuis",
            "klaar",
            "klaar",
            "geen maximum",
        ):
            await graph.send_text(worker, typed)
            await graph.wait_for_message(worker)
        await graph.send_text(worker, "wie krijgt het")
        await graph.wait_for_message(worker, has("bewoners krijgen dit"))
        await graph.send_text(worker, "versturen")
        await graph.wait_for_message(worker, has("verstuurd naar 2 bewoners"))

        invitation = await graph.wait_for_message(fatima, lambda m: bool(m.buttons))
        assert invitation.template is None and "Buurtkoffie" in (invitation.text or "")
        teaser = await graph.wait_for_message(omar, lambda m: m.template is not None)
        assert teaser.template == ("wijkstem_invitation", "nl")
        assert graph.refusals == {}, "no message broke the 24 hours"
        payload = teaser.payload["template"]["components"][0]["parameters"][0]["payload"]
        await graph.tap_template(omar, teaser, "Laat zien", payload)
        follows = await graph.wait_for_message(omar, lambda m: bool(m.buttons))
        assert "Buurtkoffie" in (follows.text or "") and follows.template is None

        await graph.statuses(
            [graph.status(invitation, "delivered"), graph.status(invitation, "read")]
        )
        await graph.tap(fatima, invitation, invitation.button_titles[0])
        answered = await graph.wait_for_message(fatima)  # no edits: the news, not a copy
        assert answered.button_titles[0].startswith("👉")
        assert "Buurtkoffie" not in (answered.text or "")
        await graph.send_text(worker, "activiteiten")
        agenda = await graph.wait_for_message(worker, has("Buurtkoffie"))
        assert "📬 1 bezorgd · 👀 1 gelezen" in (agenda.text or "")
        assert "✅ 1" in (agenda.text or "")
    shown_to_worker = json.dumps([m.payload for m in graph.messages(worker)])
    assert "963933333333" not in shown_to_worker and "31644444444" not in shown_to_worker


async def residents_who_wrote(
    storage: Storage, graph: FakeGraphApi, ages_in_hours: list[float]
) -> list[Resident]:
    """Residents on WhatsApp who want invitations, each last writing `age` hours ago."""
    made = []
    for number, age in enumerate(ages_in_hours):
        wa_id = f"3165000{number:04d}"
        graph.user(wa_id, f"Resident {number}")
        resident = await storage.residents.create(f"whatsapp:{wa_id}", "nl")
        resident.invitations = True
        await storage.residents.save(resident)
        at = time.time() - age * 3600
        graph.user_wrote(wa_id, at=at)
        await storage.inbox.receive(
            [Received("whatsapp", f"wamid.{number}", f"whatsapp:{wa_id}", "{}")]
        )
        async with storage.db.transaction() as tx:
            await tx.execute(
                "UPDATE inbox SET received_at = ?, status = 'answered', payload = NULL"
                " WHERE update_id = ?",
                (datetime.fromtimestamp(at, UTC).isoformat(), f"wamid.{number}"),
            )
        made.append(resident)
    return made


async def invite(storage: Storage, people: list[Resident]) -> int:
    """An invitation for each of `people`, queued as /newevent queues it; the event id."""
    event = await storage.events.create("event", people[0].id)
    await storage.events.set_text(event.id, "nl", title="Buurtkoffie", description="Welkom!")
    event = await storage.events.get(event.id) or event
    event.starts_at = "2099-03-13T09:00:00+00:00"
    await storage.events.save(event)
    messages = [outgoing(r, partial(invitation, event)) for r in people]
    await storage.events.send(event, "invitation", messages, "worker")
    return event.id


async def storage_settles(storage: Storage, query: str, expected: int) -> None:
    """Wait (on the database, not the clock) until `query` counts `expected`."""
    for _attempt in range(200):
        if (await storage.db.fetch_one(query))[0] == expected:  # type: ignore[index]
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{query} never counted {expected}")


@asynccontextmanager
async def whatsapp_sender(settings: Settings) -> AsyncIterator[Sender]:
    """The sender `wijkstem run` gives WhatsApp, with the channel's transport and pace."""
    async with open_conversation(settings) as conversation:
        channel = WhatsAppChannel(settings, conversation)
        try:
            yield Sender(channel.storage.outbox, channel.transport, "whatsapp", channel.pace)
        finally:
            await channel.session.aclose()


async def test_meta_error_codes_are_handled_as_meta_defines_them(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    graph.approve("wijkstem_invitation", "nl")
    window, marketing_off, meta_knows_better = await residents_who_wrote(storage, graph, [1, 2, 3])
    graph.fail_next(131050, to=marketing_off.account)
    graph.fail_next(131047, to=meta_knows_better.account)
    await invite(storage, [window, marketing_off, meta_knows_better])
    async with whatsapp_sender(whatsapp_settings) as sender:
        tally = await sender.drain()
    assert tally.sent == 1 and tally.failed == 1
    assert len(graph.messages(window.account)) == 1
    stopped = await storage.residents.find(marketing_off.person)
    assert stopped is not None and stopped.invitations is False, "131050: invitations off"
    [teaser] = graph.messages(meta_knows_better.account)
    assert teaser.template == ("wijkstem_invitation", "nl"), "131047: a template instead"

    # Meta reports later that the delivered-looking message failed after all (131047).
    [sent] = graph.messages(window.account)
    graph.user_wrote(window.account, at=time.time() - 30 * 3600)
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE inbox SET received_at = '2000-01-01T00:00:00+00:00'")
    async with running(whatsapp_settings, graph):
        await graph.statuses([graph.status(sent, "failed", error_code=131047)])
        again = await graph.wait_for_message(window.account, lambda m: m is not sent)
        assert again.template == ("wijkstem_invitation", "nl"), "sent again, as a template"


async def test_the_daily_cap_holds_templates_over_to_the_next_day(
    whatsapp_settings: Settings,
    graph: FakeGraphApi,
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    graph.approve("wijkstem_invitation", "nl")
    monkeypatch.setenv("WIJKSTEM_WHATSAPP_DAILY_CAP", "2")
    people = await residents_who_wrote(storage, graph, [30, 40, 50, 2])
    await invite(storage, people)
    async with whatsapp_sender(load_settings()) as sender:
        stop = asyncio.Event()
        sending = asyncio.create_task(sender.run(stop))
        await graph.wait_until(lambda: sum(len(graph.messages(p.account)) for p in people) == 3)
        await storage_settles(
            storage,
            "SELECT COUNT(*) FROM outbox WHERE teased_at IS NOT NULL OR error IS NOT NULL",
            3,
        )
        stop.set()
        await sending
    templates = [m for p in people for m in graph.messages(p.account) if m.template]
    assert len(templates) == 2, "two templates today, the third waits for tomorrow"
    assert len(graph.messages(people[3].account)) == 1, "within 24 hours: no cap"
    waiting = await storage.db.fetch_all(
        "SELECT due_at FROM outbox WHERE status = 'pending' AND teased_at IS NULL"
    )
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert [row[0][:10] for row in waiting] == [tomorrow]


async def test_200_invitations_use_templates_exactly_where_the_24_hours_passed(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    graph.approve("wijkstem_invitation", "nl")
    ages = [2.0 if n % 2 else 30.0 for n in range(200)]  # half wrote today, half yesterday
    people = await residents_who_wrote(storage, graph, ages)
    await invite(storage, people)
    async with running(whatsapp_settings, graph):
        await graph.wait_until(lambda: all(graph.messages(p.account) for p in people), 60)
        sent = [graph.messages(p.account)[0] for p in people]
        # Statuses come late, out of order and twice, as Meta's do.
        updates = [graph.status(m, "read") for m in sent] + [
            graph.status(m, "delivered") for m in reversed(sent)
        ]
        for start in range(0, len(updates), 50):
            assert await graph.statuses(updates[start : start + 50]) == 200
        assert await graph.redeliver(last=True) == 200
    templated = [p for p, m in zip(people, sent, strict=True) if m.template]
    assert [p.id for p in templated] == [p.id for p, a in zip(people, ages, strict=True) if a > 24]
    assert graph.refusals == {}, "no free-form message outside the 24 hours"
    counts = await storage.db.fetch_one(
        "SELECT COUNT(delivered_at), COUNT(read_at), COUNT(DISTINCT message_id) FROM outbox"
    )
    assert tuple(counts) == (200, 200, 200)  # type: ignore[arg-type]
    waiting = await storage.db.fetch_all(
        "SELECT text FROM outbox WHERE status = 'pending' AND teased_at IS NOT NULL"
    )
    assert len(waiting) == 100 and all("Buurtkoffie" in row[0] for row in waiting), (
        "a template's statuses leave the invitation that waits for the resident"
    )


async def test_a_long_list_pages_and_a_business_scoped_id_is_kept_not_the_number(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    ayse = graph.user("905321234567", "Ayşe", bsuid="NL.1234567890123456")
    async with running(whatsapp_settings, graph):
        await graph.send_text(ayse, "merhaba")
        first = await graph.wait_for_message(ayse)
        assert first.row_titles[0] == "Türkçe", "a Turkish number sees Turkish first"
        await graph.choose(ayse, first, first.row_titles[-1])  # More…
        second = await graph.wait_for_message(ayse)
        assert second.row_titles[-1] == first.row_titles[-1], "the pages go round"
        assert set(first.row_titles[:-1]) | set(second.row_titles[:-1]) >= {
            "العربية",
            "Українська",
            "Nederlands",
        }
        await graph.choose(ayse, second, "Українська")
        await graph.wait_for_message(ayse, has("WhatsApp"))
        await graph.send_text(ayse, "так")
        await graph.wait_for_message(ayse)  # agreed
        await graph.wait_for_message(ayse)  # where?
        await graph.send_sticker(ayse)
        with use("uk"):
            explained = _(
                "Sorry, I cannot use this. Please type your message, or send a photo or a voice"
                " message."
            )
            await graph.wait_for_message(ayse, has(explained))
        async with aiohttp.ClientSession() as session:
            assert graph.webhook_url is not None
            health = graph.webhook_url.replace("/whatsapp", "/healthz")
            async with session.get(health) as answer:
                assert answer.status == 200
    resident = await storage.residents.find("whatsapp:NL.1234567890123456")
    assert resident is not None and resident.language == "uk"
    assert await storage.residents.find("whatsapp:905321234567") is None
    assert all(m.addressed == "NL.1234567890123456" for m in graph.messages(ayse))


async def test_the_team_gets_the_report_as_a_workbook_on_whatsapp(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    team = graph.user(TEAM, "Tess")
    async with running(whatsapp_settings, graph):
        await onboard(graph, team, "ja", "nee", invited=False)
        await graph.send_text(team, "rapport")
        await graph.wait_for_message(team, has("Rapport"))
        note = await graph.wait_for_message(team, has("/report"))
        workbook = await graph.wait_for_message(team, lambda m: m.type == "document")
    assert workbook.payload["document"]["filename"].endswith(".xlsx")
    assert ".html" in (note.text or ""), "the web page is named, not sent where it cannot go"
    assert graph.refusals == {}


def webhook_env(
    env: dict[str, str], graph: FakeGraphApi, tmp_path: Path, port: int
) -> dict[str, str]:
    """A deployment's environment with WhatsApp's webhook served on `port` as well."""
    return env | {
        "WIJKSTEM_WHATSAPP_TOKEN": TOKEN,
        "WIJKSTEM_WHATSAPP_PHONE_NUMBER_ID": "1234",
        "WIJKSTEM_WHATSAPP_APP_SECRET": SECRET,
        "WIJKSTEM_WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WIJKSTEM_WHATSAPP_API_URL": graph.base_url,
        "WIJKSTEM_WHATSAPP_TEMPLATES": str(tmp_path / "none.toml"),
        "WIJKSTEM_WEB_PORT": str(port),
    }


async def test_one_process_serves_telegram_and_whatsapp_and_logs_no_secret_or_number(
    env: dict[str, str], api: FakeBotApi, graph: FakeGraphApi, tmp_path: Path
) -> None:
    port = free_port()
    both = webhook_env(env, graph, tmp_path, port)
    graph.webhook_url = f"http://127.0.0.1:{port}/whatsapp"
    process = await start("run", both)
    await api.wait_until(lambda: api.waiting_polls > 0, timeout=60)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert health.status == 200
    telegram_user = api.user(3001, "Tom", language_code="nl")
    api.send_command(telegram_user, "start")
    whatsapp_user = graph.user("31677777777", "Wanda")
    assert await graph.send_text(whatsapp_user, "hallo") == 200
    await api.wait_for_message(telegram_user, lambda m: "Welke taal" in (m.text or ""))
    await graph.wait_for_message(whatsapp_user, has("Welke taal"))
    process.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    log = err.decode()
    assert process.returncode == 0, log
    assert "WhatsApp channel started" in log and "Telegram channel started" in log
    for secret in (TOKEN, SECRET, VERIFY, env["WIJKSTEM_TELEGRAM_TOKEN"], "31677777777"):
        assert secret not in log


@POSTGRESQL_ONLY
async def test_two_processes_behind_the_webhook_handle_each_message_once_and_in_order(
    env: dict[str, str], graph: FakeGraphApi, storage: Storage, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    processes = [await start("run", webhook_env(env, graph, tmp_path, port)) for port in ports]
    for port in ports:
        await healthy(port)
    wim = graph.user("31655555555", "Wim")
    await storage.residents.create("whatsapp:31655555555", "en")
    lines = [f"Line {n}: the lift in our flat is broken again" for n in range(6)]
    for number, line in enumerate(lines):
        # A load balancer sends each to either process, and Meta delivers some twice.
        graph.webhook_url = f"http://127.0.0.1:{ports[number % 2]}/whatsapp"
        assert await graph.send_text(wim, line) == 200
        graph.webhook_url = f"http://127.0.0.1:{ports[(number + 1) % 2]}/whatsapp"
        assert await graph.redeliver() == 200
    resident = None
    async with asyncio.timeout(120):
        while resident is None or resident.state.get("text") != "\n".join(lines):
            await asyncio.sleep(0.2)
            resident = await storage.residents.find("whatsapp:31655555555")
    await graph.wait_for_message(wim, has(PASS_ON))
    for process in processes:
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
    rows = await storage.db.fetch_all("SELECT status FROM inbox")
    assert [row[0] for row in rows] == ["answered"] * 6, "each message once, however delivered"


async def test_a_voice_note_on_whatsapp_is_written_down_when_a_service_is_set(
    whatsapp_settings: Settings,
    graph: FakeGraphApi,
    storage: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with FakeTranscribe() as service:
        service.hears[b"OggS lift"] = "De lift in onze flat is al weken kapot"
        monkeypatch.setenv("WIJKSTEM_TRANSCRIBE_URL", service.url)
        wim = graph.user("31688888888", "Wim")
        async with running(load_settings(), graph):
            await onboard(graph, wim, "ja", "nee", invited=False)
            await graph.send_voice(wim, b"OggS lift")
            await graph.wait_for_message(wim, lambda m: bool(m.rows))  # pass it on?
            await graph.send_text(wim, "1")
            with use("nl"):
                heard = _("I heard: “{words}”", words="De lift in onze flat is al weken kapot")
            await graph.wait_for_message(wim, has(heard))
    resident = await storage.residents.find("whatsapp:31688888888")
    assert resident is not None
    [note] = await storage.contributions.by_resident(resident.id)
    assert note.transcribed and note.text == "De lift in onze flat is al weken kapot"
    assert note.media_kind == "voice" and note.language == "nl"


async def share_an_idea_in_arabic(graph: FakeGraphApi, amina: FakeUser, contact: bool) -> None:
    """Onboard in Arabic and share an idea by typing, asking for contact or not."""
    await onboard_in_arabic(graph, amina)
    await graph.send_text(amina, "نريد نادي واجبات مدرسية للأطفال في المركز")
    with use("ar"):
        await graph.wait_for_message(amina, has(_(PASS_ON)))
        await graph.send_text(amina, "2")  # the second kind: an idea
        topics = await graph.wait_for_message(amina, lambda m: bool(m.button_titles or m.rows))
        [confirm] = [t for t in topics.button_titles + topics.row_titles if t[:1] == "👍"]
        await answer(graph, amina, topics, confirm)  # that's right, or done
        quote = "May we read out your words at the neighbourhood meeting? Without your name."
        await graph.wait_for_message(amina, has(_(quote)))
        await graph.send_text(amina, "نعم")
        await graph.wait_for_message(amina, lambda m: bool(m.button_titles))  # contact you?
        await graph.send_text(amina, "نعم" if contact else "لا")
        await graph.wait_for_message(amina, has("P-0001"))


async def test_on_whatsapp_a_worker_writes_what_happened_and_the_resident_hears_it_in_arabic(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    amina = graph.user("963912345678", "Amina")
    worker = graph.user(WORKER, "Wim")
    async with running(whatsapp_settings, graph):
        await share_an_idea_in_arabic(graph, amina, contact=False)
        await onboard(graph, worker, "ja", "nee", invited=False)
        await graph.send_text(worker, "/path P-0001")
        with use("nl"):
            await graph.wait_for_message(worker, has("P-0001"))
            await graph.send_text(worker, _("✍ What happened"))
            await graph.wait_for_message(worker, lambda m: bool(m.button_titles))  # write it
            await graph.send_text(worker, "De huiswerkclub begint op 12 januari.")
            await graph.wait_for_message(worker, has("De huiswerkclub"))
            await graph.send_text(worker, _("📣 Send to the resident"))
        with use("ar"):
            opening = _("📣 News about your message {ref}:", ref="P-0001")
            news = await graph.wait_for_message(amina, has(opening))
            await graph.send_text(amina, "/mine")
            mine = await graph.wait_for_message(amina, has(_("✅ What happened")))
            paths = await graph.wait_for_message(amina, lambda m: "📍 P-0001" in m.button_titles)
            await answer(graph, amina, paths, "📍 P-0001")
            path = await graph.wait_for_message(amina, has(_("📥 Received")))
    assert "De huiswerkclub begint op 12 januari." in (news.text or "")
    assert "De huiswerkclub" in (mine.text or "") and "De huiswerkclub" in (path.text or "")
    shown_to_worker = json.dumps([m.payload for m in graph.messages(worker)])
    assert "963912345678" not in shown_to_worker and "Amina" not in shown_to_worker


async def test_on_whatsapp_a_worker_and_an_arabic_resident_write_each_other_without_numbers(
    whatsapp_settings: Settings, graph: FakeGraphApi, storage: Storage
) -> None:
    amina = graph.user("963912345678", "Amina")
    worker = graph.user(WORKER, "Wim")
    async with running(whatsapp_settings, graph):
        await share_an_idea_in_arabic(graph, amina, contact=True)
        await onboard(graph, worker, "ja", "nee", invited=False)
        with use("nl"):
            await graph.send_text(worker, "/contact")
            await graph.wait_for_message(worker, lambda m: "💬 P-0001" in m.button_titles)
            await graph.send_text(worker, "P-0001")  # typed, as the list row says
            await graph.wait_for_message(worker, has(_("Nobody has written yet.")))
            await graph.send_text(worker, _("✍ Write"))
            asked = "Residents see you by a first name only. Which first name may they see?"
            await graph.wait_for_message(worker, has(_(asked)))
            await graph.send_text(worker, "Sanne")
            await graph.wait_for_message(
                worker, has(_("🪪 Residents see you as {name}.", name="Sanne"))
            )
            await graph.send_text(worker, "Mag ik je maandag bellen? Er is een tolk bij.")
            await graph.wait_for_message(worker, has("P-0001"))
        with use("ar"):
            frame = _(
                "💬 {name}, community worker, about your message {ref}. Answer here:",
                name="Sanne",
                ref="P-0001",
            )
            written = await graph.wait_for_message(amina, has(frame))
            await graph.send_text(amina, "نعم، يوم الاثنين صباحا")
            await graph.wait_for_message(amina, has(_("✉ Sent to {name}.", name="Sanne")))
        with use("nl"):
            heard = _("💬 The resident of {ref} answers:", ref="P-0001")
            answered = await graph.wait_for_message(worker, has(heard))
            [end] = [title for title in answered.button_titles if title.startswith("⏹")]
            await graph.tap(worker, answered, end)
            await graph.wait_for_message(
                worker, has(_("The conversation about {ref} has ended.", ref="P-0001"))
            )
        with use("ar"):
            ended = _(
                "{name} ended the conversation about your message {ref}. Thank you for talking"
                " with us!",
                name="Sanne",
                ref="P-0001",
            )
            await graph.wait_for_message(amina, has(ended))
    assert "Mag ik je maandag bellen?" in (written.text or "")
    assert "نعم، يوم الاثنين صباحا" in (answered.text or "")
    shown_to_worker = json.dumps([m.payload for m in graph.messages(worker)])
    assert "963912345678" not in shown_to_worker and "Amina" not in shown_to_worker
    shown_to_amina = json.dumps([m.payload for m in graph.messages(amina)])
    assert WORKER not in shown_to_amina and "Wim" not in shown_to_amina
    said = await storage.contacts.thread(1)
    assert said is not None and [s.sender for s in said.said] == ["worker", "resident", "worker"]
