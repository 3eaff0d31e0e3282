"""End to end over Telegram: a worker invites 200 residents, who answer in their own languages.

The residents are stored as onboarded (test_every_language walks onboarding, with the
invitations question, in each language); everything after that goes through the fake Bot API.
"""

from __future__ import annotations

from datetime import datetime

from bot.settings import Settings
from conversations.invitations import ANSWER_LABELS
from locales import TIME_ZONE, _, available_languages, use
from storage import Storage
from tests.bot.test_telegram import containing, labels, onboard, running_bot, showing, tap
from tests.fakes.botapi import FakeBotApi, FakeUser, SendLimits, SentMessage

FIRST_USER = 50_000
INVITED = 200
NEXT_YEAR = datetime.now(TIME_ZONE).year + 1


async def residents(api: FakeBotApi, storage: Storage) -> list[tuple[FakeUser, str]]:
    """200 residents across every language who want invitations, and 10 who do not."""
    languages = available_languages()
    people = []
    for number in range(INVITED + 10):
        lang = languages[number % len(languages)]
        user = api.user(FIRST_USER + number, "Resident", language_code=lang)
        resident = await storage.residents.create(f"telegram:{user.id}", lang)
        resident.neighbourhood = "pottenberg" if number % 2 else "nazareth"
        resident.invitations = number < INVITED
        await storage.residents.save(resident)
        people.append((user, lang))
    return people


async def answer(api: FakeBotApi, worker: FakeUser, question: str, text: str) -> None:
    await api.wait_for_message(worker, containing(question))
    api.send_text(worker, text)


async def tap_on(api: FakeBotApi, worker: FakeUser, label: str) -> SentMessage:
    """Wait for the worker's message with a button saying `label`, tap it, return the message."""
    message = await api.wait_for_message(worker, showing(label))
    await tap(api, worker, message, label)
    return message


def answer_label(choice: str, lang: str) -> str:
    """An invitation's answer button as a resident reading `lang` sees it."""
    with use(lang):
        return _(ANSWER_LABELS[choice])


async def test_a_worker_invites_200_residents_who_answer_in_their_own_languages(
    api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    # Telegram's 30 a second over all chats; the worker's replies come two at a time.
    api.limits = SendLimits(per_second=30, per_chat_interval=0.0)
    people = await residents(api, storage)
    worker = api.user(900, "Worker", language_code="en")
    async with running_bot(settings):
        await onboard(api, worker)
        api.send_command(worker, "newevent")
        await answer(api, worker, "What is its name?", "Koffieochtend")
        await answer(api, worker, "Describe it", "Samen koffie drinken en praten.")
        await answer(api, worker, "When is it?", f"13 maart {NEXT_YEAR} 10u")
        await answer(api, worker, "Where is it?", "Buurthuis Pottenberg")
        await tap_on(api, worker, "👍 Done")  # no neighbourhood ticked: both
        topics = await tap_on(api, worker, "👍 Done")
        assert "Which topics" in (topics.text or "")
        await tap_on(api, worker, "♾ No limit")
        await tap_on(api, worker, "Arabic")
        await answer(api, worker, "The name in", "قهوة الصباح")
        await answer(api, worker, "The text in", "نشرب القهوة ونتحدث عن الحي")
        await tap_on(api, worker, "➡ Next: who gets it")
        audience = await api.wait_for_message(worker, showing("📨 Send to 200"))
        assert "200 residents will receive this" in (audience.text or "")
        assert any("Koffieochtend" in (m.text or "") for m in api.messages(worker))
        await tap(api, worker, audience, "📨 Send to 200")
        await api.wait_until(
            lambda: all(len(api.messages(user)) == 1 for user, _lang in people[:INVITED]),
            timeout=60,
        )

        invitations = [api.messages(user)[0] for user, _lang in people[:INVITED]]
        for (_user, lang), invitation in zip(people, invitations, strict=False):
            with use(lang):
                assert _("📨 You are invited!") in (invitation.text or ""), lang
                assert labels(invitation) == [_(label) for label in ANSWER_LABELS.values()]
            title = "قهوة الصباح" if lang == "ar" else "Koffieochtend"
            assert title in (invitation.text or ""), lang

        # A third each: coming, maybe, can't; the last 50 do not answer; one changes their mind.
        answering = zip(people[:150], invitations[:150], strict=True)
        for number, ((user, lang), invitation) in enumerate(answering):
            choice = ("going", "maybe", "no")[number % 3]
            await tap(api, user, invitation, answer_label(choice, lang))
        first_user, first_lang = people[0]
        await tap(api, first_user, invitations[0], answer_label("no", first_lang))
        with use(first_lang):
            changed = _("Your answer: {answer}", answer=_(ANSWER_LABELS["no"]))
        await api.wait_until(lambda: changed in (invitations[0].text or ""))

        api.send_command(worker, "events")
        listed = await api.wait_for_message(worker, containing("no answer"))
        outsider, outsider_lang = people[1]
        api.send_command(outsider, "newevent")
        with use(outsider_lang):
            refusal = _("Sorry, this is only for community workers.")
        await api.wait_for_message(outsider, containing(refusal))

    assert "✅ 49 coming · 🤔 50 maybe · ❌ 51 can't · ⏳ 50 no answer" in (listed.text or "")
    assert all(api.messages(user) == [] for user, _lang in people[INVITED:]), "asked for none"
    assert api.flood_refusals == 0
    assert [e.action for e in await storage.audit.entries()][-1] == "refused"
