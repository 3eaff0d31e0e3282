"""Every flow on a channel with WhatsApp's limits, by typing alone: no tap, no slash, no edit.

Each reply is laid out as that channel would (3 buttons of 20 units, lists of 10 rows of 24 with
descriptions of 72, bodies of 1,024 with choices), and every message is checked against those
limits before the resident reads it.
"""

from __future__ import annotations

import pytest

from bot.channels.layout import WHATSAPP, Shown, lay_out, utf16
from conversations.engine import Conversation
from conversations.matching import NO_WORDS, YES_WORDS
from conversations.messages import Inbound, parse_command
from locales import _, available_languages, language_name, use
from storage import Storage

CHANNEL = "test"


def within_limits(shown: Shown) -> None:
    """Fail when a message breaks one of WhatsApp's limits."""
    labels = [b.label for row in shown.buttons for b in row]
    assert len(labels) <= WHATSAPP.buttons, labels
    assert all(utf16(label) <= WHATSAPP.button_label for label in labels), labels
    assert len(shown.rows) <= WHATSAPP.list_rows, [r.title for r in shown.rows]
    assert all(utf16(r.title) <= WHATSAPP.row_title for r in shown.rows), shown.rows
    assert all(len(r.description) <= WHATSAPP.row_description for r in shown.rows), shown.rows
    assert not (labels and shown.rows), "a message has buttons or a list, not both"
    limit = WHATSAPP.body if labels or shown.rows else WHATSAPP.text
    assert len(shown.text) <= limit, shown.text[:80]


class Phone:
    """A person who only types, on a channel that shows what WhatsApp shows."""

    def __init__(self, conversation: Conversation, user_id: str, language_code: str = "en"):
        self.conversation = conversation
        self.user_id = user_id
        self.language_code = language_code
        self.transcript: list[str] = []

    async def type(self, text: str, *expected: str) -> str:
        """Type `text`; what came back must contain each of `expected`."""
        if text.startswith("/"):  # typed, as a channel without a command menu takes it
            command, arguments = parse_command(text)
            event = Inbound(
                CHANNEL,
                self.user_id,
                "command",
                command=command,
                text=arguments,
                language_code=self.language_code,
            )
        else:
            event = Inbound(
                CHANNEL, self.user_id, "text", text=text, language_code=self.language_code
            )
        lines = []
        for reply in await self.conversation.handle(event):
            for shown in lay_out(reply, WHATSAPP):
                within_limits(shown)
                lines.append(shown.text)
                lines += [f"[{b.label}]" for row in shown.buttons for b in row]
                lines += [f"- {r.title} ({r.description})" for r in shown.rows]
        answer = "\n".join(lines)
        self.transcript += [f"> {text}", answer]
        for part in expected:
            assert part in answer, f"after {text!r} expected {part!r}:\n" + "\n".join(
                self.transcript
            )
        return answer


async def onboarded(conversation: Conversation, user_id: str, invitations: str = "no") -> Phone:
    """A resident who typed their way through onboarding, in English."""
    phone = Phone(conversation, user_id)
    await phone.type("hi", "Which language", "- English", "- More…")
    await phone.type("english", "Do you agree?")
    await phone.type("yes", "You agreed", "Where do you live?")
    await phone.type("Pottenberg", "Neighbourhood: Pottenberg ✔", "invitations")
    await phone.type(invitations, "What would you like to share?")
    return phone


async def test_a_resident_shares_by_typing_alone(
    conversation: Conversation, storage: Storage
) -> None:
    phone = await onboarded(conversation, "301")
    await phone.type("a worry", "What worries you?")
    await phone.type("The lift in our flat has been broken for weeks", "I think this is about")
    await phone.type("money", "✔ ", "[👍 That's right]", "[✏️ Change]")
    await phone.type("change", "Tap a topic", "- ✅ 💶 Money")
    await phone.type("that's right", "May we read out your words")
    await phone.type("no", "will not read them out", "P-0001")
    await phone.type("idea", "What is your idea?")
    await phone.type("A homework club in the community centre", "I think this is about")
    await phone.type("that's right", "May we read out")
    await phone.type("ja", "We may read out")
    await phone.type("yes please", "will contact you", "P-0002")
    await phone.type("Nobody cleans the playground near the school", "Shall I pass this on?")
    await phone.type("worry", "I think this is about")
    await phone.type("4", "May we read out")  # the fourth choice: that's right
    await phone.type("nope", "P-0003")
    await phone.type("my messages", "You shared 3 messages", "P-0002")
    resident = await storage.residents.find("test:301")
    assert resident is not None
    stored = await storage.contributions.by_resident(resident.id)
    assert [c.kind for c in stored] == ["concern", "idea", "concern"]
    assert "livelihood_security" in stored[0].final_pillars
    assert [c.may_quote for c in stored] == [False, True, False]
    assert stored[1].wants_contact is True
    assert not any(c.text in ("money", "ja", "nope", "worry") for c in stored)


async def test_settings_language_data_and_forgetting_by_typing_alone(
    conversation: Conversation, storage: Storage
) -> None:
    phone = await onboarded(conversation, "302", invitations="yes")
    await phone.type("settings", "Invitations to activities: yes")
    await phone.type("stop invitations", "no more invitations")
    await phone.type("settings", "Invitations to activities: no")
    await phone.type("neighbourhood", "Where do you live?")
    await phone.type("nazareth", "Neighbourhood: Nazareth ✔")
    await phone.type("language", "Which language")
    await phone.type("Nederlands", "Nederlands")
    await phone.type("help", "/mine")
    await phone.type("mijn gegevens", "Taal")
    with use("nl"):
        await phone.type(
            "vergeet mij",
            _(
                "Do you want us to delete everything we keep about you,"
                " with all your messages? This cannot be undone."
            ),
        )
        await phone.type(
            "ja",
            _(
                "Done. Everything about you is deleted. Goodbye! Send /start"
                " if you want to come back."
            ),
        )
    assert await storage.residents.find("test:302") is None


async def test_stop_alone_ends_invitations(conversation: Conversation, storage: Storage) -> None:
    phone = await onboarded(conversation, "303", invitations="yes")
    await phone.type("STOP", "no more invitations")
    resident = await storage.residents.find("test:303")
    assert resident is not None and resident.invitations is False


async def test_a_worker_makes_sends_follows_and_cancels_an_event_by_typing_alone(
    conversation: Conversation, storage: Storage
) -> None:
    guest = await onboarded(conversation, "304", invitations="yes")
    await guest.type("idea", "What is your idea?")
    await guest.type("A coffee morning for lonely neighbours", "I think this is about")
    await guest.type("that's right", "May we read out")
    await guest.type("yes", "Would you like to help")
    await guest.type("no", "P-0001")

    worker = await onboarded(conversation, "900")
    await worker.type("new event", "What is its name?")
    await worker.type("Buurtkoffie", "Describe it")
    await worker.type("skip", "When is it?")
    await worker.type("13-3-2099 10:00", "Where is it?")
    await worker.type("Buurthuis Pottenberg", "Which neighbourhoods")
    await worker.type("pottenberg", "✔ Pottenberg", "[👍 Done]")
    await worker.type("done", "Which topics")
    await worker.type("health", "✔ 💚 Health")
    await worker.type("done", "How many people")
    await worker.type("25", "Written in")
    await worker.type("arabic", "The name in")
    await worker.type("قهوة الحي", "The text in")
    await worker.type("تعالوا", "Written in")
    await worker.type("who gets it", "will receive this")
    await worker.type("send", "Sending to 1 resident")

    await guest.type("I'm coming", "Your answer: ✅ I'm coming")
    await worker.type("events", "1 coming")
    await worker.type("link messages", "Type their references")
    await worker.type("P-0001", "Linked 1 message")
    await worker.type("events", "Buurtkoffie")
    await worker.type("cancel it", "Cancel Buurtkoffie")
    await worker.type("yes", "Cancelled. 1 resident will be told.")


async def test_review_broadcast_and_roles_by_typing_alone(
    conversation: Conversation, storage: Storage
) -> None:
    resident = await onboarded(conversation, "305")
    await resident.type("worry", "What worries you?")
    await resident.type("I have no money for the rent", "I think this is about")
    await resident.type("cancel", "saved as P-0001")  # unconfirmed: it waits for review

    worker = await onboarded(conversation, "900")
    await worker.type("review", "waits for review")
    await worker.type("health", "✔ ")
    await worker.type("save", "P-0001 saved")
    author = await storage.residents.find("test:305")
    assert author is not None
    [saved] = await storage.contributions.by_resident(author.id)
    assert set(saved.final_pillars) == {"livelihood_security", "positive_health"}

    await worker.type("announcement", "What do you want to tell residents?")
    await worker.type("De speeltuin is weer open!", "Written in")
    await worker.type("who gets it", "will receive this")
    await worker.type("stop", "Nothing was sent")

    team = await onboarded(conversation, "901")
    await team.type("invite code", "Which role is the code for?")
    code = await team.type("worker", "Code:")
    newcomer = await onboarded(conversation, "306")
    await newcomer.type(f"/join {code.split()[1]}", "You are now a community worker")
    await team.type("roles", "Revoke #")
    await team.type("1", "no longer has a role")


@pytest.mark.parametrize("lang", available_languages())
async def test_no_message_breaks_whatsapps_limits_in_any_language(
    conversation: Conversation, lang: str
) -> None:
    """Onboarding, sharing, settings, help and data in each language, by typing alone."""
    phone = Phone(conversation, f"4{available_languages().index(lang):02d}", language_code=lang)
    with use(lang):
        yes, no = _(YES_WORDS).split(",")[0], _(NO_WORDS).split(",")[0]
        await phone.type("hello", _("Which language do you want to use?"))
        await phone.type(language_name(lang), _("Do you agree?"))
        await phone.type(yes, _("Where do you live?"))
        await phone.type("Pottenberg")
        await phone.type(no, _("What would you like to share?"))
        await phone.type("1", _("What worries you? Write it in your own words, in any language."))
        await phone.type("Since my wife died I feel so lonely, nobody visits me")
        await phone.type("4")
        await phone.type(yes, "P-0001")
        for keyword in (
            "settings, my settings",
            "help, info, what can you do",
            "my data, privacy",
        ):
            await phone.type(_(keyword).split(",")[0])
        await phone.type("/events", _("Sorry, this is only for community workers."))
