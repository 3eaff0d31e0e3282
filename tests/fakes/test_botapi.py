"""The fake Bot API server works with the real python-telegram-bot over HTTP."""

import asyncio
import json
import sys
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.botapi import Button, FakeBotApi, SendLimits


def seconds(retry_after: int | timedelta) -> float:
    """A 429's retry_after in seconds, whether PTB gives an int or (PTB_TIMEDELTA) a timedelta."""
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after


TOKEN = "123456:test-token"
VOTE_KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Yes", callback_data="vote:yes")],
        [InlineKeyboardButton("No", callback_data="vote:no")],
    ]
)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with the vote keyboard."""
    await update.effective_message.reply_text("Welcome", reply_markup=VOTE_KEYBOARD)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo the text with the vote keyboard."""
    text = update.effective_message.text
    await update.effective_message.reply_text(f"echo: {text}", reply_markup=VOTE_KEYBOARD)


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and replace the keyboard with the choice."""
    query = update.callback_query
    await query.answer("Thanks")
    await query.edit_message_text(f"You chose {query.data.removeprefix('vote:')}")


def build_app(api: FakeBotApi, token: str = TOKEN) -> Application:
    """Build the tiny echo bot against the fake server."""
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_vote, pattern=r"^vote:"))
    return app


@pytest.fixture
async def api():
    """A running fake Bot API server."""
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def app(api):
    """The echo bot, polling the fake server."""
    application = build_app(api)
    await application.initialize()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    await application.start()
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


@pytest.fixture
async def bot(api):
    """A bare PTB Bot talking to the fake server, for calls without an Application."""
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


# --- the real Application ------------------------------------------------------------------


async def test_text_gets_an_echo_with_a_keyboard(api, app):
    user = api.user(1001, "Amina", language_code="ar")
    api.send_text(user, "hello")

    reply = await api.wait_for_message(user.id)

    assert reply.text == "echo: hello"
    assert reply.button_data() == ["vote:yes", "vote:no"]
    assert reply.buttons[0] == [Button("Yes", "vote:yes")]
    assert api.tokens == {TOKEN}
    assert {"getMe", "deleteWebhook", "getUpdates"} <= {call.method for call in api.calls}


async def test_consecutive_waits_return_consecutive_messages(api, app):
    user = api.user(1001, "Amina")
    api.send_command(user, "start")
    api.send_text(user, "one")
    api.send_text(user, "two")

    texts = [(await api.wait_for_message(user)).text for _ in range(3)]

    assert texts == ["Welcome", "echo: one", "echo: two"]


async def test_pressed_button_is_answered_and_message_edited(api, app):
    user = api.user(1002, "Joost", language_code="nl")
    api.send_text(user, "hoi")
    message = await api.wait_for_message(user.id)

    update = api.press(user, message, message.find_button("vote:y").callback_data)
    await api.wait_until(lambda: message.edits == 1)

    assert update["callback_query"]["message"]["reply_markup"]["inline_keyboard"][0][0] == {
        "text": "Yes",
        "callback_data": "vote:yes",
    }
    assert [(a.callback_data, a.text) for a in api.answered_callbacks] == [("vote:yes", "Thanks")]
    assert message.text == "You chose yes"
    assert message.buttons == []  # Telegram drops the keyboard when an edit sends none
    assert len(api.messages(user.id)) == 1


async def test_pressing_a_button_that_does_not_exist_fails_loudly(api, app):
    user = api.user(1003, "Fatma")
    api.send_text(user, "hi")
    message = await api.wait_for_message(user)

    with pytest.raises(AssertionError, match="no button with callback_data 'vote:maybe'"):
        api.press(user, message, "vote:maybe")


async def test_repeated_update_is_delivered_twice(api, app):
    user = api.user(1004, "Piotr")
    update = api.send_text(user, "once")
    first = await api.wait_for_message(user)

    api.push_update(update)
    second = await api.wait_for_message(user)

    assert first.text == second.text == "echo: once"
    assert api.delivered_update_ids.count(update["update_id"]) == 2


async def test_too_long_message_is_refused(api, app):
    user = api.user(1005, "Amina")

    with pytest.raises(BadRequest, match="Message is too long"):
        await app.bot.send_message(user.id, "x" * 4097)
    await app.bot.send_message(user.id, "x" * 4096)

    assert [len(m.text) for m in api.messages(user)] == [4096]
    assert api.calls_to("sendMessage")[0].status == 400


async def test_commands_are_stored_per_language(api, app):
    await app.bot.set_my_commands([("start", "Begin"), ("privacy", "Your data")])
    await app.bot.set_my_commands([("start", "Beginnen")], language_code="nl")

    assert api.commands() == [("start", "Begin"), ("privacy", "Your data")]
    assert api.commands("nl") == [("start", "Beginnen")]
    assert api.commands("ar") == []
    dutch = await app.bot.get_my_commands(language_code="nl")
    assert [(c.command, c.description) for c in dutch] == [("start", "Beginnen")]


async def test_bad_token_fails_initialize(api):
    application = build_app(api, token="123456:bad-token")

    with pytest.raises(InvalidToken):
        await application.initialize()
    await application.bot.shutdown()  # a failed initialize leaves PTB's HTTP clients open

    assert [(c.method, c.status, c.token) for c in api.calls] == [
        ("getMe", 401, "123456:bad-token")
    ]


# --- requests made directly with a PTB Bot ----------------------------------------------------


async def test_long_poll_wakes_up_when_an_update_arrives():
    async with (
        FakeBotApi(poll_cap=30) as api,
        Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client,
    ):
        poll = asyncio.create_task(client.get_updates(timeout=30, read_timeout=40))
        await api.wait_until(lambda: api.waiting_polls == 1)
        sent = api.send_text(api.user(1006, "Sanne"), "wake up")

        async with asyncio.timeout(5):
            updates = await poll

    assert [u.update_id for u in updates] == [sent["update_id"]]
    assert updates[0].message.text == "wake up"


async def test_offset_acknowledges_and_limit_caps(api, bot):
    user = api.user(1007, "Noor")
    ids = [api.send_text(user, text)["update_id"] for text in ("a", "b", "c")]

    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]  # not acknowledged
    assert [u.update_id for u in await bot.get_updates(offset=ids[1] + 1)] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1, timeout=0) == ()


async def test_every_user_update_kind_is_understood_by_ptb(api, bot):
    user = api.user(1008, "Amina", language_code="ar")
    api.send_sticker(user)
    api.send_photo(user, caption="damp wall")
    api.send_voice(user)
    api.send_location(user)
    api.send_contact(user)
    api.send_document(user, filename="rent.pdf", content=b"%PDF rent")
    api.send_command(user, "start", args="pottenberg")

    messages = [u.message for u in await bot.get_updates()]

    assert messages[0].sticker.emoji == "👍"
    assert messages[1].photo[-1].width == 800 and messages[1].caption == "damp wall"
    assert messages[2].voice.mime_type == "audio/ogg"
    assert messages[3].location.latitude == pytest.approx(50.8466)
    assert messages[4].contact.user_id == user.id
    assert messages[5].document.file_name == "rent.pdf"
    assert (
        messages[6].text == "/start pottenberg" and messages[6].entities[0].type == "bot_command"
    )
    assert messages[6].from_user.language_code == "ar"
    downloaded = await (await bot.get_file(messages[5].document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"%PDF rent"


async def test_document_upload_keeps_name_and_bytes(api, bot):
    user = api.user(1009, "Joost")

    result = await bot.send_document(user.id, b"pillar;count\n", filename="export.csv")

    [sent] = api.messages(user)
    assert sent.document.filename == "export.csv"
    assert sent.document.content == b"pillar;count\n"
    assert result.document.file_name == "export.csv"


async def test_reply_to_a_user_message(api, bot):
    user = api.user(1010, "Fatma")
    sent = api.send_text(user, "my idea")["message"]

    result = await bot.send_message(user.id, "thanks", reply_to_message_id=sent["message_id"])

    assert api.messages(user)[0].reply_to_message_id == sent["message_id"]
    assert result.reply_to_message.text == "my idea"
    assert api.calls_to("sendMessage")[0].params["reply_parameters"]["message_id"] == 1
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(user.id, "x", reply_to_message_id=99)


async def test_telegram_refusals(api, bot):
    user = api.user(1011, "Sanne")
    too_long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])

    with pytest.raises(BadRequest, match="Button_data_invalid"):  # PTB capitalizes
        await bot.send_message(user.id, "hi", reply_markup=too_long_data)
    assert api.calls[-1].description == "Bad Request: BUTTON_DATA_INVALID"
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(user.id, " ")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hi")
    with pytest.raises(BadRequest, match="reserved and must be escaped"):
        await bot.send_message(user.id, "Thanks.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match="can't find end tag"):
        await bot.send_message(user.id, "<b>bold", parse_mode="HTML")
    sent = await bot.send_message(user.id, "Thanks", reply_markup=VOTE_KEYBOARD)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await sent.edit_text("Thanks", reply_markup=VOTE_KEYBOARD)
    assert api.messages(user)[0].edits == 0


async def test_parse_modes_show_plain_text(api, bot):
    user = api.user(1012, "Noor")

    await bot.send_message(user.id, "<b>Pottenberg</b> &amp; Nazareth", parse_mode="HTML")
    await bot.send_message(user.id, r"*Zorg* gedeeld\. Dank\!", parse_mode="MarkdownV2")

    assert [m.text for m in api.messages(user)] == ["Pottenberg & Nazareth", "Zorg gedeeld. Dank!"]
    assert api.messages(user)[1].raw_text == r"*Zorg* gedeeld\. Dank\!"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_failure_injection_and_blocking(api, bot):
    user = api.user(1013, "Piotr")
    api.fail_next("sendMessage", retry_after=3)

    with pytest.raises(RetryAfter) as refused:
        await bot.send_message(user.id, "first try")
    assert seconds(refused.value.retry_after) == 3
    await bot.send_message(user.id, "second try")
    api.block(user)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(user.id, "third try")

    assert [m.text for m in api.messages(user)] == ["second try"]


async def test_unknown_method_is_404_and_recorded(api, bot):
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendPigeon", api_kwargs={"chat_id": 1})

    assert api.unknown_methods == ["sendPigeon"]
    assert api.calls[-1].params == {"chat_id": 1}


async def test_answering_a_query_twice_is_refused(api, bot):
    user = api.user(1014, "Amina")
    sent = await bot.send_message(user.id, "vote", reply_markup=VOTE_KEYBOARD)
    [message] = api.messages(user)
    query_id = api.press(user, message, "vote:no")["callback_query"]["id"]

    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    assert sent.message_id == message.message_id


async def test_wait_for_message_timeout_says_what_arrived(api, bot):
    user = api.user(1015, "Joost")
    await bot.send_message(user.id, "not what you want")

    with pytest.raises(AssertionError, match=r"(?s)no new bot message.*not what you want"):
        await api.wait_for_message(user, lambda m: m.text == "wanted", timeout=0.05)


async def test_malformed_requests_get_400_and_the_server_lives_on(api):
    user = api.user(1016, "Sanne")
    url = f"{api.base_url}{TOKEN}"
    bad_requests: list[tuple[str, dict[str, Any]]] = [
        ("sendMessage", {"data": {"text": "no chat"}}),
        ("sendMessage", {"data": {"chat_id": "1016", "text": "x", "reply_markup": "{oops"}}),
        ("sendMessage", {"data": {"chat_id": "1016", "text": "x", "reply_markup": "[1]"}}),
        ("sendMessage", {"data": {"chat_id": "[1]", "text": "x"}}),
        ("getUpdates", {"data": {"timeout": "soon"}}),
        ("editMessageText", {"data": {"chat_id": "1016", "message_id": "1", "text": "x"}}),
        ("sendMessage", {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}),
        ("sendMessage", {"json": [1, 2]}),
        (
            "sendMessage",
            {"data": b"--x\r\ngarbage", "headers": {"Content-Type": "multipart/form-data"}},
        ),
        (
            "sendMessage",
            {
                "data": b"--x\r\ngarbage",
                "headers": {"Content-Type": "multipart/form-data; boundary=x"},
            },
        ),
    ]
    async with aiohttp.ClientSession() as session:
        for method, kwargs in bad_requests:
            async with session.post(f"{url}/{method}", **kwargs) as response:
                body = json.loads(await response.text())
                assert (response.status, body["ok"]) == (400, False), (method, kwargs, body)
                assert body["error_code"] == 400 and body["description"].startswith("Bad Request")
        async with session.post(f"{url}/sendMessage", json={"chat_id": user.id, "text": "ok"}):
            pass

    assert [m.text for m in api.messages(user)] == ["ok"]


# --- sending under load ------------------------------------------------------------------------


class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    """The clock the limited server reads arrivals from."""
    return ManualClock()


@pytest.fixture
async def limited(clock):
    """A fake server enforcing 3 sends a second and 1 s between sends to one chat."""
    async with FakeBotApi(limits=SendLimits(per_second=3), clock=clock) as fake:
        yield fake


@pytest.fixture
async def limited_bot(limited):
    """A PTB Bot talking to the limited server."""
    async with Bot(TOKEN, base_url=limited.base_url) as client:
        yield client


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_the_per_second_window_slides(limited, limited_bot, clock):
    users = [limited.user(2001 + n, f"User{n}") for n in range(6)]
    for user, at in zip(users, (0.0, 0.4, 0.8), strict=False):
        clock.now = 100.0 + at
        await limited_bot.send_message(user.id, "news")

    with pytest.raises(RetryAfter) as refused:
        await limited_bot.send_message(users[3].id, "one too many")
    assert seconds(refused.value.retry_after) == 1
    clock.now = 101.0  # the send at 100.0 is a full second old
    await limited_bot.send_message(users[4].id, "fits again")
    clock.now = 101.1  # 100.4, 100.8 and 101.0 are within the last second
    with pytest.raises(RetryAfter):
        await limited_bot.send_message(users[5].id, "over again")

    assert limited.flood_refusals == 2
    assert limited.messages(users[3]) == [] and limited.messages(users[5]) == []
    assert [len(limited.messages(u)) for u in users] == [1, 1, 1, 0, 1, 0]
    refused = limited.calls_to("sendMessage")[3]
    assert (refused.status, refused.description) == (429, "Too Many Requests: retry after 1")
    assert limited.send_times == [100.0, 100.4, 100.8, 101.0]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_one_chat_gets_a_message_a_second(limited, limited_bot, clock):
    amina, joost = limited.user(2011, "Amina"), limited.user(2012, "Joost")
    sent = await limited_bot.send_message(amina.id, "first")

    clock.now += 0.5
    with pytest.raises(RetryAfter):
        await limited_bot.send_message(amina.id, "too soon")
    with pytest.raises(RetryAfter):
        await limited_bot.send_document(amina.id, b"x", filename="too-soon.csv")
    await limited_bot.send_message(joost.id, "another chat")
    await sent.edit_text("edited")  # edits are not sends
    clock.now += 0.5
    await limited_bot.send_message(amina.id, "second")

    assert [m.text for m in limited.messages(amina)] == ["edited", "second"]
    assert limited.flood_refusals == 2
    assert [c.status for c in limited.calls_to("sendDocument")] == [429]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_send_rate_counts_accepted_sends_only(limited, limited_bot, clock):
    users = [limited.user(2021 + n, f"User{n}") for n in range(3)]
    assert limited.send_rate() == 0.0
    for user in users:
        await limited_bot.send_message(user.id, "news")
        with pytest.raises(RetryAfter):
            await limited_bot.send_message(user.id, "refused")
        clock.now += 0.5

    assert limited.send_times == [100.0, 100.5, 101.0]
    assert limited.send_rate() == pytest.approx(2.0)


async def test_limits_are_off_by_default(api, bot):
    user = api.user(2031, "Sanne")

    for n in range(40):
        await bot.send_message(user.id, f"message {n}")

    assert len(api.messages(user)) == 40
    assert api.flood_refusals == 0
    assert len(api.send_times) == 40


async def test_latency_delays_the_answer_and_the_delivery():
    async with (
        FakeBotApi(latency=0.2) as api,
        Bot(TOKEN, base_url=api.base_url) as client,
    ):
        user = api.user(2041, "Noor")
        sending = asyncio.create_task(client.send_message(user.id, "slow"))

        await api.wait_until(lambda: api.delayed_sends == 1)
        assert api.messages(user) == []
        assert not sending.done()
        # Nothing else waits: getMe is answered while the send is still on its way.
        assert (await client.get_me()).username == "wijkstem_test_bot"
        assert api.calls_to("sendMessage") == []

        result = await sending

    assert result.text == "slow"
    assert [m.text for m in api.messages(user)] == ["slow"]
    assert api.delayed_sends == 0


async def test_held_send_is_answered_bad_gateway_and_not_delivered(api, bot):
    user = api.user(2051, "Fatma")
    api.hold_sends_after(1)
    await bot.send_message(user.id, "before")

    sending = asyncio.create_task(bot.send_message(user.id, "on the wire"))
    await api.wait_for_held()

    assert api.held_requests == 1
    assert not sending.done()
    assert [m.text for m in api.messages(user)] == ["before"]
    assert len(api.calls_to("sendMessage")) == 1  # the held one is not recorded yet
    assert api.release_held() == 1
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await sending
    await bot.send_message(user.id, "after")  # only one send is held

    assert [m.text for m in api.messages(user)] == ["before", "after"]
    assert [c.status for c in api.calls_to("sendMessage")] == [200, 502, 200]
    assert api.held_requests == 0


async def test_close_answers_a_held_send():
    async with FakeBotApi() as api:
        user = api.user(2061, "Piotr")
        api.hold_sends_after(0)
        client = Bot(TOKEN, base_url=api.base_url)
        await client.initialize()
        sending = asyncio.create_task(client.send_message(user.id, "held"))
        await api.wait_for_held()

        await api.close()

        with pytest.raises(NetworkError, match="Bad Gateway"):
            await sending
        await client.shutdown()

    assert api.messages(user) == []
    assert api.held_requests == 0


async def test_held_send_of_a_killed_sender_is_dropped(api):
    user = api.user(2071, "Amina")
    api.hold_sends_after(0)
    sender = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], sys.argv[2].encode())",
        f"{api.base_url}{TOKEN}/sendMessage",
        f"chat_id={user.id}&text=lost",
    )
    try:
        await api.wait_for_held()
    finally:
        sender.kill()  # kill -9 with the request on the wire
        await sender.wait()

    await api.wait_until(lambda: api.held_requests == 0)
    await api.close()  # nothing is left hanging on the dropped request

    assert api.messages(user) == []
    assert api.calls_to("sendMessage") == []
