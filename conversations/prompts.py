"""The questions the bot asks at each step, and asking again where a resident left off."""

from __future__ import annotations

from conversations import event_prompts
from conversations.buttons import in_rows, kind_rows, menu_rows, yes_no
from conversations.labels import (
    ELSEWHERE,
    KIND_LABELS,
    NOT_SAID,
    PILLAR_LABELS,
    neighbourhood_label,
)
from conversations.messages import Button, Reply
from conversations.state import Step
from conversations.turn import Turn
from insights.concepts import BY_ID
from locales import _

WORKER_STEPS: tuple[Step, ...] = ("event", "audience", "link", "attendance")


def privacy_terms() -> str:
    """What is stored, who reads it and how to delete it, in plain words."""
    return _(
        "Before we start, about your privacy:\n"
        "• We keep what you send us, your language and your neighbourhood.\n"
        "• We also keep the number of your chat account, so we can answer you."
        " We do not keep your name.\n"
        "• Only the team of Veerkrachtige Wijken and community workers read your messages.\n"
        "• Your words are used without your name to make the neighbourhood better.\n"
        "• With /mydata you see everything we keep. With /forget you delete it all."
    )


def consent_question(lang: str, replace: bool = False) -> Reply:
    """The privacy terms with agree and disagree buttons."""
    return Reply(
        "\n\n".join((privacy_terms(), _("Do you agree?"))),
        (yes_no(f"consent:{lang}", _("✅ Yes, I agree"), _("❌ No")),),
        replace,
    )


def neighbourhood_question(neighbourhoods: tuple[str, ...]) -> Reply:
    """Ask where the resident lives, with a button per neighbourhood."""
    places = [Button(neighbourhood_label(name), f"hood:{name}") for name in neighbourhoods]
    return Reply(
        _("Where do you live?"),
        (
            *in_rows(places, 2),
            (
                Button(_("Somewhere else"), f"hood:{ELSEWHERE}"),
                Button(_("I'd rather not say"), f"hood:{NOT_SAID}"),
            ),
        ),
    )


def invitations_question() -> Reply:
    """Ask whether the resident wants invitations to activities; no is the default."""
    return Reply(
        _(
            "Would you like to get invitations to activities in your neighbourhood, such as"
            " coffee mornings and neighbourhood meetings? You can change this with /settings."
        ),
        (yes_no("invite", _("✅ Yes, invite me"), _("❌ No, thank you")),),
    )


def main_menu(text: str | None = None) -> Reply:
    """What the resident can do next."""
    return Reply(text or _("What would you like to share?"), menu_rows())


def words_question(kind: str) -> Reply:
    """Ask for the resident's own words for a concern, idea or initiative."""
    questions = {
        "concern": _("What worries you? Write it in your own words, in any language."),
        "idea": _("What is your idea? Write it in your own words, in any language."),
        "initiative": _("What do you want to do? Write it in your own words, in any language."),
    }
    hint = _("You can also send a photo with a few words, or a voice message.")
    return Reply(f"{questions[kind]}\n{hint}")


def draft_question(guess: str | None = None) -> Reply:
    """Ask what kind of contribution a message typed outside a flow is, the likely one first."""
    text = _("Shall I pass this on? Is it a worry, an idea or something you want to do?")
    rows = kind_rows("draft")
    if guess in KIND_LABELS:
        text += "\n" + _("I think it is: {kind}", kind=_(KIND_LABELS[guess]))
        rows = tuple(sorted(rows, key=lambda row: row[0].data != f"draft:{guess}"))
    return Reply(text, (*rows, (Button(_("🚫 No, don't pass it on"), "draft:drop"),)))


def pillars_question(chosen: list[str], concepts: list[str], replace: bool = False) -> Reply:
    """Show the pillars recognised, in plain words, with buttons to switch each on or off."""
    if chosen:
        lines = [_("I think this is about:")]
        for pillar in chosen:
            about = [_(BY_ID[c].label) for c in concepts if pillar in BY_ID[c].pillars]
            detail = f" ({', '.join(about)})" if about else ""
            lines.append(f"• {_(PILLAR_LABELS[pillar])}{detail}")
        lines.append(_("Is that right? Tap a topic to switch it on or off."))
    else:
        lines = [_("What is it about? Tap the topics that fit, or tap Done.")]
    rows = [
        (Button(("✅ " if pillar in chosen else "⬜ ") + _(label), f"pillar:{pillar}"),)
        for pillar, label in PILLAR_LABELS.items()
    ]
    done = _("👍 That's right") if chosen else _("👍 Done")
    return Reply("\n".join(lines), (*rows, (Button(done, "pillars:ok"),)), replace)


def quote_question(voice: bool = False) -> Reply:
    """Ask whether the words (or what the voice note says) may be used, without a name."""
    if voice:
        question = _(
            "May we tell the neighbourhood meeting what you said in your voice message?"
            " Without your name."
        )
    else:
        question = _("May we read out your words at the neighbourhood meeting? Without your name.")
    return Reply(question, (yes_no("quote", _("✅ Yes"), _("❌ No")),))


def contact_question() -> Reply:
    """Ask whether the resident wants to help or be contacted about their idea or initiative."""
    return Reply(
        _("Would you like to help, or may a community worker contact you about this?"),
        (yes_no("contact", _("✅ Yes, contact me"), _("❌ No, thank you")),),
    )


def forget_question() -> Reply:
    """Ask for confirmation before deleting everything."""
    return Reply(
        _(
            "Do you want us to delete everything we keep about you, with all your messages?"
            " This cannot be undone."
        ),
        (yes_no("forget", _("🗑 Yes, delete everything"), _("↩️ No, keep it")),),
    )


async def ask(turn: Turn) -> None:
    """Ask the question of the step the resident is at (the main menu when idle)."""
    state = turn.state
    if state.step in WORKER_STEPS and await event_prompts.ask(turn):
        return
    if state.step == "neighbourhood":
        turn.replies.append(neighbourhood_question(turn.services.neighbourhoods))
    elif state.step == "invitations":
        turn.replies.append(invitations_question())
    elif state.step == "words" and state.kind in KIND_LABELS:
        turn.replies.append(words_question(state.kind))
    elif state.step == "draft":
        turn.replies.append(draft_question(state.kind))
    elif state.step == "pillars":
        turn.replies.append(pillars_question(state.pillars, state.concepts))
    elif state.step == "quote":
        turn.replies.append(quote_question(voice=state.media_kind == "voice"))
    elif state.step == "contact":
        turn.replies.append(contact_question())
    elif state.step == "forget":
        turn.replies.append(forget_question())
    elif state.step == "review":
        turn.say(_("Send /review to go on reviewing."))
    else:
        state.clear()
        turn.replies.append(main_menu())


async def stale(turn: Turn) -> None:
    """A button from an earlier question: say so and ask the current question again."""
    turn.say(_("That button is no longer active. Here is where we are:"))
    await ask(turn)
