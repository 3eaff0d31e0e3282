"""Sharing: kind, the resident's own words, the pillars, quoting, helping, and a reference."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData, yes_no
from conversations.labels import KIND_LABELS, PILLAR_LABELS, Kind, kind_choices, pillar_toggles
from conversations.menu import MenuItem, main_menu
from conversations.messages import Question, Reply
from conversations.onboarding import Lang
from conversations.routing import Router
from conversations.turn import Turn
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from insights.concepts import BY_ID
from locales import S_, _, available_languages, join_list, language_name, use
from storage.contributions import reference
from storage.database import now
from storage.media import is_kept

log = logging.getLogger(__name__)

router = Router("share")

MEDIA_KINDS = ("photo", "voice")
# Contributions in another language before the bot offers to switch to it.
OFFER_AFTER = 2


@dataclass(frozen=True)
class Pillar(ChoiceData):
    """Switch a pillar on or off for the message just shared."""

    prefix: ClassVar[str] = "pillar"
    pillar: str


@dataclass(frozen=True)
class PillarsRight(ChoiceData):
    """The pillars shown are right."""

    prefix: ClassVar[str] = "pillars"
    answer: str = "ok"


@dataclass(frozen=True)
class Quote(ChoiceData):
    """The words may be read out, or not."""

    prefix: ClassVar[str] = "quote"
    answer: str


@dataclass(frozen=True)
class Contact(ChoiceData):
    """The resident wants to help or be contacted, or not."""

    prefix: ClassVar[str] = "contact"
    answer: str


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
    if guess in KIND_LABELS:
        text += "\n" + _("I think it is: {kind}", kind=_(KIND_LABELS[guess]))
    drop = Kind("drop").choice(_("🚫 No, don't pass it on"), _(S_("🚫 Don't pass on")))
    return Reply(text, Question.of(*kind_choices(guess), (drop,)))


def pillars_question(chosen: list[str], concepts: list[str], replace: bool = False) -> Reply:
    """Show the pillars recognised, in plain words, with choices to switch each on or off."""
    if chosen:
        lines = [_("I think this is about:")]
        for pillar in chosen:
            about = [_(BY_ID[c].label) for c in concepts if pillar in BY_ID[c].pillars]
            detail = f" ({', '.join(about)})" if about else ""
            lines.append(f"• {_(PILLAR_LABELS[pillar])}{detail}")
        lines.append(_("Is that right? Tap a topic to switch it on or off."))
    else:
        lines = [_("What is it about? Tap the topics that fit, or tap Done.")]
    done = (
        PillarsRight().choice(_("👍 That's right"), _(S_("👍 That's right")))
        if chosen
        else PillarsRight().choice(_("👍 Done"), _(S_("👍 Done")))
    )
    question = Question.of(*pillar_toggles(Pillar, chosen), (done,), multi=True)
    return Reply("\n".join(lines), question, replace)


def quote_question(voice: bool = False) -> Reply:
    """Ask whether the words (or what the voice note says) may be used, without a name."""
    if voice:
        question = _(
            "May we tell the neighbourhood meeting what you said in your voice message?"
            " Without your name."
        )
    else:
        question = _("May we read out your words at the neighbourhood meeting? Without your name.")
    return Reply(
        question,
        yes_no(
            Quote("yes"), Quote("no"), (_("✅ Yes"), _("❌ No")), (_(S_("✅ Yes")), _(S_("❌ No")))
        ),
    )


def contact_question() -> Reply:
    """Ask whether the resident wants to help or be contacted about their idea or initiative."""
    return Reply(
        _("Would you like to help, or may a community worker contact you about this?"),
        yes_no(
            Contact("yes"),
            Contact("no"),
            (_("✅ Yes, contact me"), _("❌ No, thank you")),
            (_(S_("✅ Contact me")), _(S_("❌ No, thanks"))),
        ),
    )


@router.asks("words")
async def ask_words(turn: Turn) -> list[Reply]:
    """The resident's own words for the kind they chose."""
    kind = turn.state.kind
    return [words_question(kind)] if kind in KIND_LABELS else []


@router.asks("draft")
async def ask_draft(turn: Turn) -> list[Reply]:
    """What kind of message the draft is."""
    return [draft_question(turn.state.kind)]


@router.asks("pillars")
async def ask_pillars(turn: Turn) -> list[Reply]:
    """The pillars of the message just shared."""
    return [pillars_question(turn.state.pillars, turn.state.concepts)]


@router.asks("quote")
async def ask_quote(turn: Turn) -> list[Reply]:
    """Whether the words may be read out."""
    return [quote_question(voice=turn.state.media_kind == "voice")]


@router.asks("contact")
async def ask_contact(turn: Turn) -> list[Reply]:
    """Whether the resident wants to help or be contacted."""
    return [contact_question()]


@router.choice(Kind)
async def choose_kind(turn: Turn, chosen: Kind) -> None:
    """Start sharing a concern, idea or initiative; at a draft, say what the draft is."""
    if turn.state.step == "draft":
        await choose_draft_kind(turn, chosen.kind)
        return
    if chosen.kind not in KIND_LABELS:
        await turn.stale()
        return
    turn.state.clear()
    turn.state.step = "words"
    turn.state.kind = chosen.kind
    turn.say(_("{kind} ✔", kind=_(KIND_LABELS[chosen.kind])), replace=True)
    turn.replies.append(words_question(chosen.kind))


async def receive(turn: Turn) -> None:
    """Words, a photo or a voice note arrived: store them or keep them as a draft."""
    state = turn.state
    event = turn.event
    heard = await _transcript(turn)
    words = heard or event.text
    if state.step == "words" and state.kind:
        await _store(
            turn, state.kind, words, _media_kind(turn), event.media_ref, transcribed=bool(heard)
        )
        return
    if state.step in ("pillars", "quote", "contact") and state.contribution_id:
        turn.say(
            _("Your earlier message is saved as {ref}.", ref=reference(state.contribution_id))
        )
        state.clear()
    if state.step == "draft" and event.media_ref and state.media_ref:
        turn.say(_("First tell me about the photo or voice message before. Then send this one."))
        turn.replies.append(draft_question(state.kind))
        return
    if state.step != "neighbourhood":
        state.step = "draft"
    state.text = "\n".join(part for part in (state.text, words) if part)
    state.transcribed = state.transcribed or bool(heard)
    if event.media_ref:
        state.media_kind, state.media_ref = _media_kind(turn), event.media_ref
    state.message_id = state.message_id or event.message_id
    state.kind = turn.services.analyser.guess_kind(state.text, turn.resident.language)
    if state.step == "neighbourhood":
        turn.say(_("I keep your message. First one question:"))
    await turn.ask()


async def choose_draft_kind(turn: Turn, kind: str) -> None:
    """The resident said what their typed message is: store it, or drop it."""
    state = turn.state
    if kind == "drop":
        state.clear()
        turn.say(_("Okay, I will not pass it on."), replace=True)
        turn.replies.append(main_menu())
        return
    if kind not in KIND_LABELS:
        await turn.stale()
        return
    turn.say(_("{kind} ✔", kind=_(KIND_LABELS[kind])), replace=True)
    await _store(
        turn,
        kind,
        state.text,
        state.media_kind,
        state.media_ref,
        state.message_id,
        transcribed=state.transcribed,
    )


async def _store(
    turn: Turn,
    kind: str,
    text: str,
    media_kind: str | None,
    media_ref: str | None,
    message_id: str | None = None,
    transcribed: bool = False,
) -> None:
    resident = turn.resident
    analysis = turn.services.analyser.analyse(text, prior=resident.language)
    language, tagging = analysis.lang, analysis.tagging
    contribution = await turn.storage.contributions.add(
        resident_id=resident.id,
        kind=kind,
        text=text,
        language=language,
        neighbourhood=resident.neighbourhood,
        media_kind=media_kind,
        media_ref=media_ref,
        transcribed=transcribed,
        channel_message_id=message_id or turn.event.message_id,
        auto_scores={pillar: tagging.scores[pillar] for pillar in tagging.pillars},
        auto_terms={pillar: tagging.matched.get(pillar, []) for pillar in tagging.pillars},
        concepts=tagging.concepts,
        personal_data=found_in(text),
        anonymised_with=ANONYMISER,
    )
    log.info("stored %s %s (lang %s)", kind, contribution.reference, language)
    turn.state.clear()
    turn.state.step = "pillars"
    turn.state.kind = kind
    turn.state.contribution_id = contribution.id
    # A voice note (without words, or written down for us) is asked about as a voice note.
    turn.state.media_kind = (
        "voice" if media_kind == "voice" and (transcribed or not text) else None
    )
    turn.state.pillars = list(tagging.pillars)
    turn.state.concepts = list(tagging.concepts)
    if media_kind == "voice" and not text:
        turn.say(_("Thank you for your voice message. A community worker will listen to it."))
    if transcribed:
        turn.say(_("I heard: “{words}”", words=text))
    turn.replies.append(pillars_question(turn.state.pillars, turn.state.concepts))


async def _transcript(turn: Turn) -> str | None:
    """A voice note's words, when a transcription service is set and can say."""
    event, transcriber = turn.event, turn.services.transcriber
    if transcriber is None or event.kind != "voice" or event.text or not is_kept(event.media_ref):
        return None
    kept = await turn.storage.media.get(event.media_ref or "")
    if kept is None:
        return None
    heard = await transcriber.transcribe(kept.content, kept.mime_type)
    log.info("a voice note was %s", "transcribed" if heard else "not transcribed")
    return heard


def _media_kind(turn: Turn) -> str | None:
    return turn.event.kind if turn.event.kind in MEDIA_KINDS else None


@router.choice(Pillar, steps=["pillars"])
async def toggle_pillar(turn: Turn, chosen: Pillar) -> None:
    """Switch one pillar on or off and show the question again in place."""
    if chosen.pillar not in PILLAR_LABELS:
        await turn.stale()
        return
    turn.state.pillars = toggled(turn.state.pillars, chosen.pillar, tuple(PILLAR_LABELS))
    turn.replies.append(pillars_question(turn.state.pillars, turn.state.concepts, replace=True))


def toggled(chosen: list[str], option: str, order: tuple[str, ...] = ()) -> list[str]:
    """`chosen` with `option` switched on or off, in `order` when given."""
    switched = [c for c in chosen if c != option] if option in chosen else [*chosen, option]
    return [o for o in order if o in switched] if order else switched


@router.choice(PillarsRight, steps=["pillars"])
async def confirm_pillars(turn: Turn, _chosen: PillarsRight) -> None:
    """Store the pillars the resident confirmed, then ask about quoting."""
    state = turn.state
    assert state.contribution_id is not None
    await turn.storage.contributions.confirm_pillars(state.contribution_id, state.pillars)
    chosen = join_list(_(PILLAR_LABELS[p]) for p in state.pillars) or _("no topic")
    turn.say(_("Topics: {topics} ✔", topics=chosen), replace=True)
    state.step = "quote"
    turn.replies.append(quote_question(voice=state.media_kind == "voice"))


@router.choice(Quote, steps=["quote"])
async def answer_quote(turn: Turn, chosen: Quote) -> None:
    """Store whether the words may be quoted; ideas and initiatives go on to helping."""
    state = turn.state
    assert state.contribution_id is not None
    await turn.storage.contributions.set_answer(
        state.contribution_id, "may_quote", chosen.answer == "yes"
    )
    turn.say(
        _("✔ We may read out your words.")
        if chosen.answer == "yes"
        else _("✔ We will not read them out."),
        replace=True,
    )
    if state.kind in ("idea", "initiative"):
        state.step = "contact"
        turn.replies.append(contact_question())
    else:
        await _thank(turn)


@router.choice(Contact, steps=["contact"])
async def answer_contact(turn: Turn, chosen: Contact) -> None:
    """Store whether the resident wants to help or be contacted, then thank them."""
    state = turn.state
    assert state.contribution_id is not None
    wants = chosen.answer == "yes"
    await turn.storage.contributions.set_answer(state.contribution_id, "wants_contact", wants)
    turn.say(
        _("✔ A community worker will contact you here.") if wants else _("✔ Okay, no contact."),
        replace=True,
    )
    await _thank(turn)


async def _thank(turn: Turn) -> None:
    ref = reference(turn.state.contribution_id or 0)
    turn.state.clear()
    turn.say(
        _(
            "Thank you! 🙏 Your message is saved as {ref}. The team reads every message and"
            " takes it to the meeting in your neighbourhood. See your messages with /mine.",
            ref=ref,
        )
    )
    turn.replies.append(main_menu(_("Anything else?")))
    await _offer_language(turn)


async def _offer_language(turn: Turn) -> None:
    """Once: offer the language a resident keeps writing in, when it is not the one chosen."""
    resident = turn.resident
    if resident.language_offered_at is not None:
        return
    counts = await turn.storage.contributions.languages_of(resident.id)
    written = [
        lang
        for lang, n in sorted(counts.items(), key=lambda item: -item[1])
        if n >= OFFER_AFTER and lang != resident.language and lang in available_languages()
    ]
    if not written:
        return
    resident.language_offered_at = now()
    turn.state.step = "offer"
    turn.state.offered = written[0]
    turn.replies.append(offer_question(written[0]))


def offer_question(lang: str) -> Reply:
    """Whether to talk in the language the resident keeps writing in; asked in that language."""
    with use(lang):
        return Reply(
            _(
                "You often write in {language}. Shall I talk with you in {language}?",
                language=language_name(lang),
            ),
            yes_no(
                Lang(lang),
                MenuItem("keep-language"),
                (_("✅ Yes"), _("❌ No")),
                (_(S_("✅ Yes")), _(S_("❌ No"))),
            ),
            lang=lang,
        )


@router.asks("offer")
async def ask_offer(turn: Turn) -> list[Reply]:
    """The main menu, and the offer of the language the resident writes in."""
    offered = turn.state.offered or turn.resident.language
    return [main_menu(), offer_question(offered)]
