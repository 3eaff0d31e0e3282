"""The fake WhatsApp Cloud API works with the real pywa client over HTTP, and its webhooks with
pywa's own signature check and update parser."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from pywa_async import WhatsApp, utils
from pywa_async.errors import WhatsAppError
from pywa_async.handlers import (
    CallbackButtonHandler,
    CallbackSelectionHandler,
    MessageHandler,
    MessageStatusHandler,
)
from pywa_async.types import Button, Section, SectionList, SectionRow
from pywa_async.types.templates import TemplateLanguage

from tests.fakes.graphapi import FakeGraphApi, FakeUser, SentMessage, utf16_len

VERSION = "23.0"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
TEMPLATE = ("wijkstem_herinnering", "nl")
AMINA = "31612345678"
AMINA_BSUID = "NL.1410018717833190"


class Receiver:
    """A tiny bot webhook on aiohttp: pywa checks the signature and parses the update."""

    def __init__(self, wa: WhatsApp):
        self.wa = wa
        self.bodies: list[bytes] = []
        self.updates: list[Any] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Serve POST and GET /webhook on a free port."""
        app = web.Application()
        app.router.add_post("/webhook", self._post)
        app.router.add_get("/webhook", self._get)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/webhook"
        for handler in (
            MessageHandler,
            CallbackButtonHandler,
            CallbackSelectionHandler,
            MessageStatusHandler,
        ):
            self.wa.add_handlers(handler(self._on_update))

    async def close(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _on_update(self, _: Any, update: Any) -> None:
        self.updates.append(update)

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.read()
        signature = request.headers.get("X-Hub-Signature-256")
        refused = await self.wa.webhook_update_validator(body, signature)
        if refused is not None:
            return web.Response(status=refused[1], text=refused[0])
        self.bodies.append(body)
        text, status = await self.wa.webhook_update_handler(body)
        return web.Response(status=status, text=text)

    async def _get(self, request: web.Request) -> web.Response:
        challenge, status = await self.wa.webhook_challenge_handler(
            request.query.get("hub.verify_token"), request.query.get("hub.challenge")
        )
        return web.Response(status=status, text=challenge or "")


@pytest.fixture
async def fake() -> AsyncIterator[FakeGraphApi]:
    """The fake, with one approved template."""
    async with FakeGraphApi(app_secret=APP_SECRET, approved_templates=[TEMPLATE]) as server:
        yield server


@contextlib.asynccontextmanager
async def pywa_client(fake: FakeGraphApi, token: str | None = None) -> AsyncIterator[WhatsApp]:
    """pywa_async's real client on our own httpx session, pointed at the fake after pywa set
    the session's base URL to graph.facebook.com."""
    async with httpx.AsyncClient(timeout=10) as session:
        wa = WhatsApp(
            phone_id=fake.phone_number_id,
            token=token or fake.token,
            session=session,
            server=None,
            api_version=VERSION,
            app_secret=APP_SECRET,
            verify_token=VERIFY_TOKEN,
        )
        session.base_url = httpx.URL(f"{fake.base_url}/v{VERSION}")
        yield wa


@pytest.fixture
async def wa(fake: FakeGraphApi) -> AsyncIterator[WhatsApp]:
    """The pywa client of the tests."""
    async with pywa_client(fake) as client:
        yield client


@pytest.fixture
async def receiver(fake: FakeGraphApi, wa: WhatsApp) -> AsyncIterator[Receiver]:
    """The bot's webhook, which the fake posts to."""
    server = Receiver(wa)
    await server.start()
    fake.webhook_url = server.url
    yield server
    await server.close()


@pytest.fixture
def amina(fake: FakeGraphApi) -> FakeUser:
    """A resident who wrote a moment ago (inside the service window)."""
    user = fake.user(AMINA, "Amina", bsuid=AMINA_BSUID)
    fake.user_wrote(user)
    return user


async def refused(call: Any) -> WhatsAppError:
    """Await a pywa call that must fail; return its WhatsAppError."""
    with pytest.raises(WhatsAppError) as caught:
        await call
    return caught.value


# --- sending with pywa ------------------------------------------------------------------


async def test_pywa_sends_a_text(fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser) -> None:
    sent = await wa.send_message(to=amina.wa_id, text="Hallo Amina")

    message = await fake.wait_for_message(amina)
    assert message.wamid == sent.id and message.wamid.startswith("wamid.")
    assert sent.chat.id == amina.wa_id
    assert (message.type, message.text, message.to) == ("text", "Hallo Amina", amina.wa_id)
    assert message.payload["messaging_product"] == "whatsapp"
    assert message.payload["recipient_type"] == "individual"
    call = fake.calls[-1]
    assert (call.method, call.path, call.status) == (
        "POST",
        f"/v{VERSION}/{fake.phone_number_id}/messages",
        200,
    )


async def test_any_graph_version_is_served(fake: FakeGraphApi, amina: FakeUser) -> None:
    headers = {"Authorization": f"Bearer {fake.token}"}
    body = {"messaging_product": "whatsapp", "to": amina.wa_id, "text": {"body": "hoi"}}
    async with httpx.AsyncClient(base_url=fake.base_url, headers=headers) as client:
        for version in ("v17.0", "v99.9"):
            answer = await client.post(f"/{version}/{fake.phone_number_id}/messages", json=body)
            assert answer.status_code == 200, answer.text
            assert answer.json()["contacts"] == [{"input": amina.wa_id, "wa_id": amina.wa_id}]
        unversioned = await client.post(f"/{fake.phone_number_id}/messages", json=body)
        other_phone = await client.post(f"/v{VERSION}/999/messages", json=body)
    assert unversioned.json()["error"]["code"] == 2500
    assert other_phone.json()["error"]["code"] == 100
    assert [m.text for m in fake.messages(amina)] == ["hoi", "hoi"]


async def test_a_wrong_token_is_refused_with_190(fake: FakeGraphApi, amina: FakeUser) -> None:
    async with pywa_client(fake, token="not-the-token") as wa:
        error = await refused(wa.send_message(to=amina.wa_id, text="hoi"))

    assert (error.code, error.status_code, error.type) == (190, 401, "OAuthException")
    assert fake.refusals[190] == 1
    assert fake.messages(amina) == []


async def test_sending_to_a_bsuid_answers_with_the_user_id(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    sent = await wa.send_message(to=AMINA_BSUID, text="via BSUID")

    assert sent.chat.id == AMINA_BSUID
    message = await fake.wait_for_message(amina)
    assert (message.addressed, message.payload["recipient"]) == (AMINA_BSUID, AMINA_BSUID)
    assert "to" not in message.payload


async def test_reply_buttons_are_recorded(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    buttons = [
        Button("Ja", "vote:yes"),
        Button("Nee", "vote:no"),
        Button("Weet niet 🤷", "vote:?"),
    ]
    await wa.send_message(
        amina.wa_id, "Doe je mee?", header="Vraag", footer="Wijkstem", buttons=buttons
    )

    message = await fake.wait_for_message(amina)
    assert message.type == "interactive"
    assert message.buttons == [("vote:yes", "Ja"), ("vote:no", "Nee"), ("vote:?", "Weet niet 🤷")]
    assert (message.text, message.header, message.footer) == ("Doe je mee?", "Vraag", "Wijkstem")


@pytest.mark.parametrize(
    ("buttons", "detail"),
    [
        ([Button(f"Keuze {n}", f"c{n}") for n in range(4)], "1 to 3 buttons"),
        ([Button("x" * 19 + "👍", "c")], "at most 20"),  # 21 UTF-16 units
        ([Button("Ja", "c"), Button("Nee", "c")], "Button ids must be unique"),
        ([Button("Ja", "c" * 257)], "at most 256"),
    ],
)
async def test_reply_buttons_over_the_limits_are_refused(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser, buttons: list[Button], detail: str
) -> None:
    error = await refused(wa.send_message(amina.wa_id, "Kies", buttons=buttons))

    assert (error.code, error.status_code) == (131009, 400)
    assert error.details is not None and detail in error.details
    assert fake.messages(amina) == []
    assert fake.refusals[131009] == 1


async def test_a_title_of_exactly_20_utf16_units_is_accepted(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    title = "x" * 18 + "👍"
    assert utf16_len(title) == 20
    await wa.send_message(amina.wa_id, "Kies", buttons=[Button(title, "ok")])

    assert (await fake.wait_for_message(amina)).button_titles == [title]


def rows(count: int, title: str = "Rij", prefix: str = "r") -> list[SectionRow]:
    """count list rows with ids prefix0, prefix1 ..."""
    return [SectionRow(f"{title} {n}", f"{prefix}{n}", f"Uitleg {n}") for n in range(count)]


async def test_a_list_is_recorded(fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser) -> None:
    sections = [Section("Wonen", rows(2)), Section("Groen", rows(1, "Park", "p"))]
    await wa.send_message(
        amina.wa_id, "Waar gaat het over?", buttons=SectionList("Kies", sections)
    )

    message = await fake.wait_for_message(amina)
    assert message.list_button == "Kies"
    assert message.rows == [
        ("r0", "Rij 0", "Uitleg 0"),
        ("r1", "Rij 1", "Uitleg 1"),
        ("p0", "Park 0", "Uitleg 0"),
    ]


@pytest.mark.parametrize(
    ("sections", "detail"),
    [
        ([Section("A", rows(6)), Section("B", rows(5, prefix="b"))], "max allowed count: 10"),
        ([Section("A", [SectionRow("t" * 25, "r")])], "at most 24"),
        ([Section("A", [SectionRow("Rij", "r", "d" * 73)])], "at most 72"),
        ([Section("A", rows(2)), Section("B", rows(1))], "Row ids must be unique"),
        ([Section("A", rows(1)), Section("", rows(1, prefix="b"))], "title"),
    ],
)
async def test_lists_over_the_limits_are_refused(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser, sections: list[Section], detail: str
) -> None:
    error = await refused(
        wa.send_message(amina.wa_id, "Kies", buttons=SectionList("Kies", sections))
    )

    assert error.code == 131009
    assert error.details is not None and detail in error.details
    assert fake.messages(amina) == []


async def test_too_long_texts_are_refused(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    text_error = await refused(wa.send_message(amina.wa_id, "x" * 4097))
    body_error = await refused(
        wa.send_message(amina.wa_id, "x" * 1025, buttons=[Button("Ja", "y")])
    )
    list_button = SectionList("x" * 21, [Section("A", rows(1))])
    button_error = await refused(wa.send_message(amina.wa_id, "Kies", buttons=list_button))

    assert (text_error.code, body_error.code, button_error.code) == (100, 131009, 131009)
    await wa.send_message(amina.wa_id, "x" * 4096)
    assert [len(m.text or "") for m in fake.messages(amina)] == [4096]


# --- the customer service window and templates -------------------------------------------


async def test_the_24_hour_window(fake: FakeGraphApi, wa: WhatsApp) -> None:
    user = fake.user("31687654321", "Daan")
    never = await refused(wa.send_message(user.wa_id, "hoi"))
    fake.user_wrote(user, at=time.time() - 24 * 3600 - 60)
    expired = await refused(wa.send_message(user.wa_id, "hoi"))
    await wa.send_template(user.wa_id, name=TEMPLATE[0], language=TemplateLanguage.DUTCH)
    unknown = await refused(
        wa.send_template(user.wa_id, name="onbekend", language=TemplateLanguage.DUTCH)
    )
    fake.user_wrote(user, at=time.time() - 23 * 3600)
    await wa.send_message(user.wa_id, "weer binnen het venster")

    assert (never.code, never.status_code, expired.code) == (131047, 400, 131047)
    assert (unknown.code, unknown.status_code) == (132001, 404)
    assert [(m.type, m.template or m.text) for m in fake.messages(user)] == [
        ("template", TEMPLATE),
        ("text", "weer binnen het venster"),
    ]
    assert fake.refusals == {131047: 2, 132001: 1}


async def test_a_user_message_opens_the_window(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver
) -> None:
    user = fake.user("31687654321", "Daan", bsuid="NL.99887766")
    await refused(wa.send_message(user.wa_id, "hoi"))
    assert await fake.send_text(user, "Hallo") == 200

    await wa.send_message(user.wa_id, "Welkom")
    assert [m.text for m in fake.messages(user)] == ["Welkom"]


# --- media -------------------------------------------------------------------------------


async def test_media_upload_send_and_download(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    content = b"\xff\xd8\xff a small jpeg"
    media = await wa.upload_media(content, mime_type="image/jpeg", filename="foto.jpg")
    await wa.send_image(amina.wa_id, image=media.id, caption="Het park")
    url = await wa.get_media_url(media.id)
    downloaded = await wa.get_media_bytes(url.url)

    message = await fake.wait_for_message(amina)
    assert (message.type, message.media_id, message.text) == ("image", media.id, "Het park")
    assert downloaded == content
    assert (url.mime_type, url.file_size) == ("image/jpeg", len(content))
    assert url.url == fake.media_url(media.id)
    assert fake.media[media.id].uploaded and fake.media[media.id].filename == "foto.jpg"


async def test_user_media_downloads_with_the_token_only(fake: FakeGraphApi, wa: WhatsApp) -> None:
    media_id = fake.add_media(b"OggS voice", "audio/ogg; codecs=opus")
    url = await wa.get_media_url(media_id)
    assert await wa.get_media_bytes(url.url) == b"OggS voice"
    async with httpx.AsyncClient() as anonymous:
        assert (await anonymous.get(url.url)).status_code == 401


async def test_expired_media_urls_answer_404(fake: FakeGraphApi, wa: WhatsApp) -> None:
    media_id = fake.add_media(b"\xff\xd8\xff", "image/jpeg")
    url = await wa.get_media_url(media_id)
    fake.expire_media(media_id)

    with pytest.raises(httpx.HTTPStatusError) as caught:
        await wa.get_media_bytes(url.url)
    assert caught.value.response.status_code == 404


async def test_uploads_of_unsupported_types_are_refused(fake: FakeGraphApi, wa: WhatsApp) -> None:
    error = await refused(wa.upload_media(b"<html>", mime_type="text/html", filename="r.html"))
    assert error.code == 100 and "text/html" in (error.details or "")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    media = await wa.upload_media(b"PK\x03\x04", mime_type=xlsx, filename="rapport.xlsx")
    assert fake.media[media.id].mime_type == xlsx


async def test_a_media_id_the_fake_does_not_know_is_refused(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    error = await refused(wa.send_image(amina.wa_id, image="123456789"))
    audio_id = fake.add_media(b"OggS", "audio/ogg")
    mismatch = await refused(wa.send_image(amina.wa_id, image=audio_id))

    assert (error.code, mismatch.code) == (100, 131053)


# --- webhooks into the bot ---------------------------------------------------------------


async def test_a_signed_webhook_verifies_and_pywa_parses_it(
    fake: FakeGraphApi, receiver: Receiver, amina: FakeUser
) -> None:
    assert await fake.send_text(amina, "Hé, de lift / het park 👋") == 200

    body = receiver.bodies[-1]
    assert utils.webhook_updates_validator(APP_SECRET, body, fake.webhooks[-1].signature or "")
    assert b"\\u00e9" in body and b"\\/" in body  # Meta's escaping: sign the raw bytes
    payload = json.loads(body)
    assert payload["object"] == "whatsapp_business_account"
    entry = payload["entry"][0]
    assert entry["id"] == fake.waba_id
    value = entry["changes"][0]["value"]
    assert entry["changes"][0]["field"] == "messages"
    assert value["metadata"]["phone_number_id"] == fake.phone_number_id
    assert value["contacts"] == [
        {"profile": {"name": "Amina"}, "wa_id": AMINA, "user_id": AMINA_BSUID}
    ]
    assert value["messages"][0]["from_user_id"] == AMINA_BSUID
    (message,) = receiver.updates
    assert message.text == "Hé, de lift / het park 👋"
    assert (message.from_user.wa_id, message.from_user.bsuid) == (AMINA, AMINA_BSUID)
    assert message.id == fake.inbound[-1].wamid


async def test_a_user_without_bsuid_gets_the_older_contact(
    fake: FakeGraphApi, receiver: Receiver
) -> None:
    user = fake.user("31611112222", "Piet")
    await fake.send_text(user, "hoi")

    value = json.loads(receiver.bodies[-1])["entry"][0]["changes"][0]["value"]
    assert value["contacts"] == [{"profile": {"name": "Piet"}, "wa_id": "31611112222"}]
    assert "from_user_id" not in value["messages"][0]


async def test_bad_signatures_are_posted_as_given(
    fake: FakeGraphApi, receiver: Receiver, amina: FakeUser
) -> None:
    await fake.send_text(amina, "hoi")
    body = fake.webhooks[-1].body

    assert await fake.post_raw(body, "sha256=" + "0" * 64) == 403
    assert await fake.post_raw(body, None) == 401
    assert await fake.post_raw(body + b" ", fake.sign(body)) == 403
    assert await fake.post_raw(body, fake.sign(body)) == 200
    assert receiver.bodies == [body, body]
    assert [w.status for w in fake.webhooks] == [200, 403, 401, 403, 200]


async def test_every_kind_of_user_message_is_parsed_by_pywa(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await fake.send_image(amina, b"\xff\xd8\xff", caption="Kapotte lamp")
    await fake.send_voice(amina, b"OggS stem")
    await fake.send_sticker(amina)
    await fake.send_location(amina)
    await fake.send_contacts(amina)
    await fake.send_reaction(amina, "wamid.earlier", "👍")
    await fake.send_unsupported(amina)

    kinds = [str(update.type) for update in receiver.updates]
    assert kinds == [
        "image",
        "audio",
        "sticker",
        "location",
        "contacts",
        "reaction",
        "unsupported",
    ]
    image, voice = receiver.updates[0], receiver.updates[1]
    assert image.caption == "Kapotte lamp"
    assert voice.audio.voice is True
    assert await wa.get_media_bytes((await wa.get_media_url(voice.audio.id)).url) == b"OggS stem"
    assert receiver.updates[5].reaction.emoji == "👍"
    assert receiver.updates[6].error.code == 131051


async def test_tap_and_choose_answer_the_bots_messages(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await wa.send_message(
        amina.wa_id, "Mee?", buttons=[Button("Ja", "vote:yes"), Button("Nee", "n")]
    )
    question = await fake.wait_for_message(amina)
    sections = [Section("Thema", [SectionRow("Groen", "t:groen", "Parken en bomen")])]
    await wa.send_message(amina.wa_id, "Thema?", buttons=SectionList("Kies", sections))
    menu = await fake.wait_for_message(amina)

    assert await fake.tap(amina, question, "Ja") == 200
    assert await fake.choose(amina, menu, "Groen") == 200

    tapped, chosen = receiver.updates
    assert (tapped.data, tapped.title, tapped.reply_to_message.id) == (
        "vote:yes",
        "Ja",
        question.wamid,
    )
    assert (chosen.data, chosen.description) == ("t:groen", "Parken en bomen")
    with pytest.raises(AssertionError, match=r"\['Ja', 'Nee'\]"):
        await fake.tap(amina, question, "Misschien")
    with pytest.raises(AssertionError, match=r"\['Groen'\]"):
        await fake.choose(amina, menu, "Wonen")


async def test_a_template_quick_reply_is_a_button_message(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await wa.send_template(amina.wa_id, name=TEMPLATE[0], language=TemplateLanguage.DUTCH)
    reminder = await fake.wait_for_message(amina)

    assert await fake.tap_template(amina, reminder, "Verder", "resume") == 200

    (tapped,) = receiver.updates
    assert (tapped.data, tapped.title, tapped.reply_to_message.id) == (
        "resume",
        "Verder",
        reminder.wamid,
    )
    assert fake.inbound[-1].message["button"] == {"text": "Verder", "payload": "resume"}


async def test_redelivery_posts_the_same_body(
    fake: FakeGraphApi, receiver: Receiver, amina: FakeUser
) -> None:
    await fake.send_text(amina, "één keer")
    assert await fake.redeliver() == 200

    assert fake.webhooks[0].body == fake.webhooks[1].body
    assert len(receiver.bodies) == 2
    assert len(receiver.updates) == 1  # pywa skips the duplicate


async def test_a_batch_and_statuses_in_one_post(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    sent = await wa.send_message(amina.wa_id, "Bedankt")
    message = await fake.wait_for_message(amina)
    daan = fake.user("31687654321", "Daan")

    status = await fake.batch(
        fake.text_message(amina, "één"),
        fake.text_message(daan, "twee"),
        fake.status(message, "read"),
    )

    assert status == 200
    changes = fake.webhooks[-1].payload["entry"][0]["changes"]
    messages, statuses = changes[0]["value"], changes[1]["value"]
    assert [m["text"]["body"] for m in messages["messages"]] == ["één", "twee"]
    assert [c["wa_id"] for c in messages["contacts"]] == [AMINA, "31687654321"]
    assert statuses["statuses"][0]["id"] == sent.id
    assert statuses["statuses"][0]["recipient_user_id"] == AMINA_BSUID
    assert fake.inbound[-1].wamid != fake.inbound[-2].wamid


async def test_failed_statuses_carry_the_error_code(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await wa.send_message(amina.wa_id, "Bedankt")
    message = await fake.wait_for_message(amina)

    assert await fake.statuses([fake.status(message, "sent")]) == 200
    assert await fake.statuses([fake.status(message, "failed", error_code=131026)]) == 200

    sent, failed = receiver.updates
    assert (str(sent.status), sent.id) == ("sent", message.wamid)
    assert (str(failed.status), failed.error.code) == ("failed", 131026)


async def test_the_verification_handshake(fake: FakeGraphApi, receiver: Receiver) -> None:
    assert await fake.verify(receiver.url, VERIFY_TOKEN, "8517") == (200, "8517")
    assert (await fake.verify(receiver.url, "wrong", "8517"))[0] == 403


async def test_mark_as_read_and_typing(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await fake.send_text(amina, "hoi")
    wamid = fake.inbound[-1].wamid

    await wa.mark_message_as_read(wamid)
    await wa.indicate_typing(wamid)
    error = await refused(wa.mark_message_as_read("wamid.unknown"))

    assert (fake.read_marks, fake.typing, error.code) == ([wamid], [wamid], 100)
    assert fake.refusals == {}  # read marks are no sends


async def test_reactions_and_documents_with_pywa(
    fake: FakeGraphApi, wa: WhatsApp, receiver: Receiver, amina: FakeUser
) -> None:
    await fake.send_text(amina, "Hier is mijn vraag")
    await wa.send_reaction(amina.wa_id, "👍", fake.inbound[-1].wamid)
    await wa.send_document(
        amina.wa_id, b"%PDF-1.4", filename="verslag.pdf", mime_type="application/pdf"
    )

    reaction, document = fake.messages(amina)
    assert (reaction.type, reaction.text) == ("reaction", "👍")
    assert document.type == "document" and document.media_id in fake.media
    assert document.payload["document"]["filename"] == "verslag.pdf"


# --- injected errors and limits ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "http_status"),
    [
        (131026, 400),
        (131047, 400),
        (131050, 400),
        (130429, 400),
        (131056, 400),
        (132001, 404),
        (132015, 400),
        (190, 401),
        (131000, 500),
        (500, 500),
    ],
)
async def test_injected_errors(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser, code: int, http_status: int
) -> None:
    fake.fail_next(code)
    error = await refused(wa.send_message(amina.wa_id, "hoi"))
    await wa.send_message(amina.wa_id, "nog eens")

    assert (error.code, error.status_code) == (code, http_status)
    assert fake.refusals == {code: 1}
    assert [m.text for m in fake.messages(amina)] == ["nog eens"]


async def test_injected_errors_for_one_user_and_several_times(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    daan = fake.user("31687654321", "Daan")
    fake.user_wrote(daan)
    fake.fail_next(131026, count=2, to=amina)

    await wa.send_message(daan.wa_id, "aan Daan")
    first = await refused(wa.send_message(amina.wa_id, "1"))
    second = await refused(wa.send_message(amina.wa_id, "2"))
    await wa.send_message(amina.wa_id, "3")

    assert (first.code, second.code) == (131026, 131026)
    assert [m.text for m in fake.messages(amina)] == ["3"]
    assert [m.text for m in fake.messages(daan)] == ["aan Daan"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_the_per_user_pace_limit() -> None:
    clock = Clock()
    async with FakeGraphApi(per_user_interval=6.0, clock=clock) as fake, pywa_client(fake) as wa:
        amina, daan = fake.user(AMINA, "Amina"), fake.user("31687654321", "Daan")
        fake.user_wrote(amina)
        fake.user_wrote(daan)

        await wa.send_message(amina.wa_id, "1")
        too_soon = await refused(wa.send_message(amina.wa_id, "2"))
        await wa.send_message(daan.wa_id, "other user")
        clock.now += 6.0
        await wa.send_message(amina.wa_id, "3")

    assert too_soon.code == 131056
    assert fake.refusals == {131056: 1}
    assert [m.text for m in fake.messages(amina)] == ["1", "3"]


async def test_the_throughput_limit() -> None:
    clock = Clock()
    async with FakeGraphApi(per_second=2, clock=clock) as fake, pywa_client(fake) as wa:
        amina = fake.user(AMINA, "Amina")
        fake.user_wrote(amina)

        await wa.send_message(amina.wa_id, "1")
        await wa.send_message(amina.wa_id, "2")
        over = await refused(wa.send_message(amina.wa_id, "3"))
        clock.now += 1.0
        await wa.send_message(amina.wa_id, "4")

    assert over.code == 130429
    assert fake.send_times == [clock.now - 1.0, clock.now - 1.0, clock.now]


# --- helpers for tests -------------------------------------------------------------------


async def test_wait_for_message_fails_with_a_listing(
    fake: FakeGraphApi, wa: WhatsApp, amina: FakeUser
) -> None:
    await wa.send_message(amina.wa_id, "eerste")
    await fake.wait_for_message(amina)

    def is_second(message: SentMessage) -> bool:
        return message.text == "tweede"

    with pytest.raises(AssertionError) as caught:
        await fake.wait_for_message(amina, is_second, timeout=0.05)
    listing = str(caught.value)
    assert "matching" in listing and "is_second" in listing
    assert "'eerste'" in listing and "the first 1 already read" in listing


async def test_latency_delays_the_answer() -> None:
    async with FakeGraphApi(latency=0.05) as fake, pywa_client(fake) as wa:
        fake.user_wrote(AMINA)
        started = time.monotonic()
        sent = await wa.send_message(AMINA, "traag")
        elapsed = time.monotonic() - started

    assert elapsed >= 0.05
    assert sent.id == fake.messages(AMINA)[0].wamid
