"""Events in the chat: a worker makes one; residents who want invitations get it and answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from conversations.engine import Conversation
from conversations.invitations import ANSWER_LABELS
from conversations.messages import decode_question
from conversations.reminders import queue_reminders
from locales import (
    FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
    TIME_ZONE,
    _,
    format_day,
    join_list,
    use,
)
from storage import Storage
from tests.conversations.dialogue import Chat, Forged, Tap

NEXT_YEAR = datetime.now(TIME_ZONE).year + 1


async def resident(
    conversation: Conversation,
    user_id: str,
    lang: str,
    neighbourhood: str = "Pottenberg",
    invitations: bool = True,
) -> Chat:
    """A resident who went through onboarding, tapping their neighbourhood as shown."""
    chat = Chat(conversation, user_id=user_id, language_code=lang)
    await chat.onboard(lang, neighbourhood, invitations=invitations)
    return chat


async def worker(conversation: Conversation) -> Chat:
    """The community worker of the test settings (user 900), in Dutch."""
    chat = Chat(conversation, user_id="900", language_code="nl")
    await chat.onboard("en")
    return chat


async def make_event(chat: Chat, when: str = f"13-3-{NEXT_YEAR} 14:00") -> None:
    """Answer every question of /newevent up to the audience screen."""
    await chat.dialog(
        [
            ("/newevent", "What is its name?"),
            ("Koffieochtend", "Describe it"),
            ("Samen koffie drinken en praten over de wijk.", "When is it?"),
            (when, "Where is it?"),
            ("Buurthuis, Kastanjelaan 1", "Which neighbourhoods"),
            (Tap("⬜ Pottenberg"), "✅ Pottenberg"),
            (Tap("👍 Done"), "Which topics"),
            (Tap("⬜ 💚 Health and wellbeing"), "✅"),
            (Tap("👍 Done"), "How many people"),
            (Tap("♾ No limit"), "Add another language"),
        ]
    )


async def invite_everyone(chat: Chat, storage: Storage, *guests: Chat) -> int:
    """Make the event, send it to everyone who wants invitations; the guests get it."""
    await make_event(chat)
    await chat.send(Tap("➡ Next: who gets it"))
    await chat.send(Tap("📨 Send"))  # the short label: the count differs from test to test
    return await deliver(storage, *guests)


async def deliver(storage: Storage, *guests: Chat) -> int:
    """Hand each guest the invitation queued for them, with its buttons; the event's id."""
    [event_id] = {row[0] for row in await storage.db.fetch_all("SELECT event_id FROM outbox")}
    queued = await outbox(storage, "invitation")
    for guest in guests:
        invitation = queued[await resident_id(storage, guest.user_id)]
        buttons = invitation["buttons"]
        assert isinstance(buttons, dict), "an invitation comes with its answer buttons"
        guest.receive(str(invitation["text"]), decode_question(buttons))
    return event_id


def answer_label(answer: str, lang: str = "en") -> str:
    """An invitation's answer button as a resident reading `lang` sees it."""
    with use(lang):
        return _(ANSWER_LABELS[answer])


async def outbox(storage: Storage, purpose: str) -> dict[int, dict[str, object]]:
    """Queued messages of one purpose by resident id."""
    rows = await storage.db.fetch_all(
        "SELECT resident_id, text, buttons FROM outbox WHERE purpose = ?", (purpose,)
    )
    return {r[0]: {"text": r[1], "buttons": json.loads(r[2])} for r in rows}


async def resident_id(storage: Storage, user_id: str) -> int:
    found = await storage.residents.find(f"test:{user_id}")
    assert found is not None
    return found.id


async def test_invitations_are_off_unless_the_resident_says_yes(
    conversation: Conversation, storage: Storage
) -> None:
    await resident(conversation, "201", "en", invitations=False)
    chat = await resident(conversation, "202", "en", invitations=True)
    residents = [await storage.residents.find(f"test:{uid}") for uid in ("201", "202")]
    assert [r.invitations for r in residents if r] == [False, True]
    await chat.dialog(
        [
            ("/settings", ("Invitations to activities: yes", "[📨 Stop invitations]")),
            (Tap("📨 Stop invitations"), "no more invitations"),
            ("/settings", "Invitations to activities: no"),
        ]
    )
    found = await storage.residents.find("test:202")
    assert found is not None and found.invitations is False


async def test_settings_change_the_neighbourhood_without_asking_about_invitations_again(
    conversation: Conversation, storage: Storage
) -> None:
    chat = await resident(conversation, "203", "en")
    await chat.dialog(
        [
            ("/settings", "Neighbourhood: Pottenberg"),
            (Tap("🏠 Neighbourhood"), "Where do you live?"),
            (Tap("Nazareth"), ("Nazareth ✔", "What would you like to share?")),
        ]
    )
    found = await storage.residents.find("test:203")
    assert found is not None and (found.neighbourhood, found.invitations) == ("nazareth", True)


async def test_a_resident_cannot_make_an_event_and_the_attempt_is_logged(
    chat: Chat, storage: Storage
) -> None:
    await chat.onboard()
    for command in ("/newevent", "/broadcast", "/events"):
        answer = await chat.send(command)
        assert "only for community workers" in answer
    assert [e.detail["attempt"] for e in await storage.audit.entries()] == [
        "newevent",
        "broadcast",
        "events",
    ]
    assert await storage.events.upcoming("") == []
    assert await storage.db.fetch_all("SELECT id FROM events") == []


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("volgende week ergens", "cannot read that"),
        ("13 maart", "cannot read that"),
        (f"1-1-{NEXT_YEAR - 1} 10:00", "already passed"),
    ],
)
async def test_a_date_that_cannot_be_used_is_asked_again(
    conversation: Conversation, typed: str, answer: str
) -> None:
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/newevent", "What is its name?"),
            ("Buurtlunch", "Describe it"),
            (Tap("⏭ Skip"), "When is it?"),
            (typed, (answer, "When is it?")),
            (f"13 maart {NEXT_YEAR} 14u", ("March 13", "2:00", "Where is it?")),
        ]
    )


async def test_the_worker_sees_the_count_and_a_preview_then_each_resident_gets_their_language(
    conversation: Conversation, storage: Storage
) -> None:
    await resident(conversation, "301", "ar")
    await resident(conversation, "302", "tr")
    await resident(conversation, "303", "en", neighbourhood="Nazareth")
    await resident(conversation, "304", "en", invitations=False)
    chat = await worker(conversation)
    await make_event(chat)
    await chat.dialog(
        [
            (Tap("Arabic"), "name in Arabic"),
            ("قهوة الصباح", "text in Arabic"),
            ("نشرب القهوة معا", ("Written in: Arabic, Dutch", "[✅ Arabic]")),
            (
                Tap("➡ Next: who gets it"),
                ("Preview", "Koffieochtend", "2 residents will receive this", "[📨 Send to 2]"),
            ),
            (Tap("⬜ Nazareth"), "[📨 Send to 3]"),
            (Tap("⬜ Turkish"), "[📨 Send to 1]"),
            (Tap("✅ Turkish"), "[📨 Send to 3]"),
            (Tap("📨 Send to 3"), ("Sending to 3 residents", "/events", "[🔗 Link")),
        ]
    )
    queued = await outbox(storage, "invitation")
    arabic, turkish = [await resident_id(storage, u) for u in ("301", "302")]
    assert set(queued) == {arabic, turkish, await resident_id(storage, "303")}
    assert "قهوة الصباح" in str(queued[arabic]["text"])
    assert "Koffieochtend" in str(queued[turkish]["text"]), "no Turkish text: the Dutch one"
    with use("tr"):
        day = format_day(datetime(NEXT_YEAR, 3, 13, 14, tzinfo=TIME_ZONE))
        coming = _(ANSWER_LABELS["going"])
    assert day in str(queued[turkish]["text"]), "the date in Turkish"
    assert coming in json.dumps(queued[turkish]["buttons"], ensure_ascii=False)


async def test_answers_can_change_and_add_up_in_events(
    conversation: Conversation, storage: Storage
) -> None:
    first = await resident(conversation, "401", "en")
    second = await resident(conversation, "402", "en")
    await resident(conversation, "403", "en")
    chat = await worker(conversation)
    await invite_everyone(chat, storage, first, second)
    await first.dialog([(Tap("✅ I'm coming"), "Your answer: ✅ I'm coming")])
    await first.dialog([(Tap("❌ I can't"), "Your answer: ❌ I can't")])
    await second.dialog([(Tap("🤔 Maybe"), "Your answer: 🤔 Maybe")])
    await chat.dialog(
        [
            (
                "/events",
                ("Koffieochtend", "0 coming · 🤔 1 maybe · ❌ 1 can't · ⏳ 1 no answer"),
            )
        ]
    )


async def test_a_full_event_refuses_one_more_going(
    conversation: Conversation, storage: Storage
) -> None:
    first = await resident(conversation, "501", "en")
    second = await resident(conversation, "502", "en")
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/newevent", "name"),
            ("Naailes", "Describe"),
            (Tap("⏭ Skip"), "When"),
            (f"2-4-{NEXT_YEAR} 10:00", "Where"),
            ("Buurthuis", "neighbourhoods"),
            (Tap("👍 Done"), "topics"),
            (Tap("👍 Done"), "How many"),
            ("1", "Add another language"),
            (Tap("➡ Next: who gets it"), "[📨 Send to 2]"),
            (Tap("📨 Send to 2"), "Sending to 2"),
        ]
    )
    event_id = await deliver(storage, first, second)
    await first.dialog([(Tap("✅ I'm coming"), "I'm coming")])
    await second.dialog([(Tap("✅ I'm coming"), "this activity is full")])
    await second.dialog([(Tap("🤔 Maybe"), "Your answer: 🤔 Maybe")])
    assert (await storage.events.answers(event_id)).going == 1


async def test_cancelling_tells_those_coming_or_maybe_in_their_language(
    conversation: Conversation, storage: Storage
) -> None:
    going = await resident(conversation, "601", "pl")
    declined = await resident(conversation, "602", "en")
    chat = await worker(conversation)
    await invite_everyone(chat, storage, going, declined)
    await going.send(Tap(answer_label("going", "pl")))
    await declined.send(Tap(answer_label("no")))
    await chat.dialog(
        [
            ("/events", "[✖ Cancel it]"),
            (Tap("✖ Cancel it"), ("Cancel Koffieochtend", "1 resident")),
            (Tap("🗑 Yes, cancel it"), "Cancelled. 1 resident will be told."),
            ("/events", "No activities are coming up"),
        ]
    )
    told = await outbox(storage, "cancellation")
    assert list(told) == [await resident_id(storage, "601")]
    with use("pl"):
        assert _("❌ Sorry, this activity is cancelled:") in str(told[next(iter(told))]["text"])
    with use("pl"):
        too_late = _("Sorry, this activity is cancelled.")
    # Their answer, marked on the invitation they still have, tapped again.
    await going.dialog([(Tap("👉 " + answer_label("going", "pl")), too_late)])


async def test_the_reminder_goes_the_day_before_to_those_coming_or_maybe(
    conversation: Conversation, storage: Storage
) -> None:
    coming = await resident(conversation, "701", "uk")
    maybe = await resident(conversation, "702", "en")
    await resident(conversation, "703", "en")
    chat = await worker(conversation)
    await invite_everyone(chat, storage, coming, maybe)
    await coming.send(Tap(answer_label("going", "uk")))
    await maybe.send(Tap(answer_label("maybe")))
    day_before = datetime(NEXT_YEAR, 3, 12, 18, tzinfo=TIME_ZONE)
    assert await queue_reminders(storage, day_before - timedelta(minutes=1), time(18)) == 0
    assert await queue_reminders(storage, day_before.astimezone(UTC), time(18)) == 2
    assert await queue_reminders(storage, day_before + timedelta(hours=1), time(18)) == 0
    reminders = await outbox(storage, "reminder")
    ukrainian = await resident_id(storage, "701")
    assert set(reminders) == {ukrainian, await resident_id(storage, "702")}
    with use("uk"):
        assert _("⏰ Reminder: see you tomorrow!") in str(reminders[ukrainian]["text"])


async def test_attendance_is_recorded_after_the_event(
    conversation: Conversation, storage: Storage
) -> None:
    chat = await worker(conversation)
    event = await storage.events.create("event", await resident_id(storage, "900"))
    await storage.events.set_text(event.id, "nl", title="Wijkfeest")
    event.starts_at = (datetime.now(UTC) - timedelta(days=2)).isoformat(timespec="seconds")
    await storage.events.save(event)
    await storage.events.send(event, "invitation", [], "worker")
    await chat.dialog(
        [
            ("/events", ("Took place", "Wijkfeest", "[🧮 How many came?]")),
            (Tap("🧮 How many came?"), "How many people came to Wijkfeest?"),
            ("veel", "Please type a number"),
            ("34", "Noted: 34 people came"),
            ("/events", "No activities are coming up"),
        ]
    )
    recorded = await storage.events.get(event.id)
    assert recorded is not None and recorded.attended == 34


async def test_you_said_we_did_tells_the_authors_of_linked_messages(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "801", "fa", invitations=False)
    with use("fa"):
        idea = _("💡 An idea")
    await author.send(Tap(idea))
    await author.send("یک باشگاه مشق شب برای بچه ها در مرکز محله")
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/broadcast", "What do you want to tell residents?"),
            ("Vanaf maandag is er huiswerkbegeleiding in het buurthuis.", "Add another"),
            (Tap("➡ Next: who gets it"), "[📨 Send to 0]"),
            (Tap("📨 Send to 0"), ("Sending to 0", "[🔗 Link residents' messages]")),
        ]
    )
    await chat.dialog(
        [
            (Tap("🔗 Link residents' messages"), "Type their references"),
            ("P-0001 en P-0999", ("could not find: P-0999", "Linked 1 message", "1 resident")),
        ]
    )
    told = await outbox(storage, "linked")
    persian = await resident_id(storage, "801")
    assert list(told) == [persian]
    text = str(told[persian]["text"])
    assert "P-0001" in text and "huiswerkbegeleiding" in text
    with use("fa"):
        assert _("🙌 You said, we did!") in text


async def test_mydata_shows_invitations_and_answers_and_forget_deletes_them(
    conversation: Conversation, storage: Storage
) -> None:
    guest = await resident(conversation, "911", "en")
    chat = await worker(conversation)
    await invite_everyone(chat, storage, guest)
    await guest.send(Tap("🤔 Maybe"))
    await guest.dialog(
        [
            (
                "/mydata",
                (
                    "Invitations to activities: yes",
                    "Messages we sent you, such as invitations: 1",
                    "Your answer to Koffieochtend: 🤔 Maybe",
                ),
            ),
            ("/forget", "delete everything"),
            (Tap("🗑 Yes, delete everything"), "Everything about you is deleted"),
        ]
    )
    for table in ("rsvps", "outbox"):
        assert await storage.db.fetch_all(f"SELECT * FROM {table}") == [], table


async def test_a_text_too_long_for_an_invitation_is_refused_kindly_and_asked_again(
    conversation: Conversation, storage: Storage
) -> None:
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/newevent", "What is its name?"),
            ("Buurtlunch", "Describe it"),
            (
                "lang verhaal " * 200,
                ("too long: at most 1500 characters, yours has 2599", "Describe"),
            ),
            ("Samen eten.", "When is it?"),
        ]
    )
    [event_id] = [row[0] for row in await storage.db.fetch_all("SELECT id FROM events")]
    event = await storage.events.get(event_id)
    assert event is not None and event.text_in("nl").description == "Samen eten."


async def test_forged_button_data_for_an_event_never_sent_is_refused_and_audited(
    conversation: Conversation, storage: Storage
) -> None:
    guest = await resident(conversation, "601", "en")
    outsider = await resident(conversation, "602", "en", invitations=False)
    chat = await worker(conversation)
    await make_event(chat)  # a draft: nobody was sent it
    [draft_id] = [row[0] for row in await storage.db.fetch_all("SELECT id FROM events")]
    reply = await guest.send(Forged(f"rsvp:{draft_id}:going"))
    assert "no longer active" in reply and "Koffieochtend" not in reply
    await chat.send(Tap("➡ Next: who gets it"))
    await chat.send(Tap("📨 Send to 1"))  # now sent, but not to the resident without invitations
    assert "no longer active" in await outsider.send(Forged(f"rsvp:{draft_id}:going"))
    assert (await storage.events.answers(draft_id)).going == 0
    refused = [e for e in await storage.audit.entries() if e.action == "refused"]
    assert [e.detail["attempt"] for e in refused] == [f"rsvp:{draft_id}"] * 2


async def test_you_said_we_did_shows_the_answer_already_given_and_counts_references(
    conversation: Conversation, storage: Storage
) -> None:
    author = await resident(conversation, "811", "en")
    shared = [
        ("We need a place for the children to play", "👍 Done"),  # no topic found
        ("And benches for the elderly", "👍 That's right"),
    ]
    for words, confirm in shared:
        await author.send(Tap("💡 An idea"))
        await author.send(words)
        await author.send(Tap(confirm))
        await author.send(Tap("✅ Yes"))
        await author.send(Tap("❌ No, thank you"))
    chat = await worker(conversation)
    event_id = await invite_everyone(chat, storage, author)
    await author.send(Tap("🤔 Maybe"))
    await chat.dialog(
        [
            (Tap("🔗 Link residents' messages"), "Type their references"),
            ("P-0001 P-0002", "Linked 2 messages"),
        ]
    )
    told: dict[str, Any] = (await outbox(storage, "linked"))[await resident_id(storage, "811")]
    text = str(told["text"])
    assert "Your messages P-0001, P-0002 are on the table" in text
    assert "Your answer: 🤔 Maybe" in text and "Are you coming?" not in text
    choices = told["buttons"]["choices"]
    assert [c["data"] for c in choices] == [f"rsvp:{event_id}:{a}" for a in ANSWER_LABELS]
    assert choices[1]["label"].startswith("👉")


async def test_an_arabic_invitation_keeps_dutch_words_in_their_direction_and_arabic_commas(
    conversation: Conversation, storage: Storage
) -> None:
    await resident(conversation, "821", "ar")
    chat = await worker(conversation)
    await chat.dialog(
        [
            ("/newevent", "What is its name?"),
            ("Buurtfeest!", "Describe it"),
            ("Kom allemaal 🎉", "When is it?"),
            (f"13-3-{NEXT_YEAR} 14:00", "Where is it?"),
            ("Buurthuis", "Which neighbourhoods"),
            (Tap("👍 Done"), "Which topics"),
            (Tap("👍 Done"), "How many people"),
            (Tap("♾ No limit"), "Add another language"),
            (Tap("➡ Next: who gets it"), "Send to"),
            (Tap("📨 Send to 1"), "Sending to"),
        ]
    )
    text = str((await outbox(storage, "invitation"))[await resident_id(storage, "821")]["text"])
    assert f"{FIRST_STRONG_ISOLATE}Buurtfeest!{POP_DIRECTIONAL_ISOLATE}" in text
    assert f"{FIRST_STRONG_ISOLATE}Kom allemaal 🎉{POP_DIRECTIONAL_ISOLATE}" in text
    with use("ar"):
        assert join_list(["P-0001", "P-0002"]) == "P-0001، P-0002"
    with use("nl"):
        assert join_list(["P-0001", "P-0002"]) == "P-0001, P-0002"
