"""A worker moves a message along its path (read, what happened, closed); its author hears."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.invitations import outgoing
from conversations.linking import REFERENCE
from conversations.menu import heading, path_lines, preview, wish
from conversations.messages import Question, Reply
from conversations.roles import REVIEWERS, allowed
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, language_name_here
from storage.contributions import Contribution
from storage.paths import Path
from storage.residents import Resident

log = logging.getLogger(__name__)

router = Router("outcomes")

# Dutch first: the team's language, and what a resident reads when theirs was not written.
FIRST_LANGUAGE = "nl"
# The longest outcome or reason: a few sentences a resident reads on a phone.
MOST_CHARACTERS = 1000


@dataclass(frozen=True)
class End(ChoiceData):
    """An action on the message at hand: read, outcome, closed, also, send or stop."""

    prefix: ClassVar[str] = "end"
    action: str


@router.command(
    "path",
    N_("move a message forward: read, what happened, closed (add its reference: P-0042)"),
    N_("path, outcome"),
    shown_to=REVIEWERS,
)
async def start(turn: Turn) -> None:
    """`/path P-0042`: a message's path, and how the worker may move it forward."""
    if not await allowed(turn, REVIEWERS, "/path"):
        return
    turn.state.clear()
    turn.state.step = "outcome_which"
    if REFERENCE.search(turn.event.text):
        await which(turn)
    else:
        await turn.ask()


@router.asks("outcome_which")
async def ask_which(turn: Turn) -> list[Reply]:
    """Which message."""
    return [Reply(_("Which message? Type its reference, like P-0042."), _stop_only())]


@router.text("outcome_which")
async def which(turn: Turn) -> None:
    """The reference typed by the worker."""
    found = REFERENCE.search(turn.event.text)
    contribution = await turn.storage.contributions.get(int(found.group(1))) if found else None
    if contribution is None or contribution.hidden:
        turn.say(_("I could not find that message. Type its reference, like P-0042."))
        await turn.ask()
        return
    turn.state.step = "outcome_what"
    turn.state.contribution_id = contribution.id
    await turn.ask()


@router.asks("outcome_what", "outcome_text", "outcome_send")
async def ask_outcome(turn: Turn) -> list[Reply]:
    """The message with its path, then what to write, or what to do with what was written."""
    at_hand = await _at_hand(turn)
    if at_hand is None:
        return []
    contribution, path = at_hand
    step, state = turn.state.step, turn.state
    if step == "outcome_text":
        language = language_name_here(state.asking_in or FIRST_LANGUAGE)
        asked = (
            _(
                "Write what happened, in {language}. The resident reads it in their chat.",
                language=language,
            )
            if state.kind == "outcome"
            else _(
                "Write why it is closed, in {language}. The resident reads it in their chat.",
                language=language,
            )
        )
        return [Reply(asked, _stop_only())]
    if step == "outcome_send":
        return [await _to_send(turn, contribution)]
    lines = [
        heading(contribution),
        f"“{preview(contribution.text)}”",
        *wish(contribution),
        "",
        *await path_lines(turn, path),
    ]
    if path.ended:
        turn.state.clear()
        return [Reply("\n".join([*lines, "", _("This message already has its answer.")]))]
    read = (
        ()
        if path.status != "received"
        else (End("read").choice(_("👀 Mark as read"), _(S_("👀 Read"))),)
    )
    question = Question.of(
        (
            *read,
            End("outcome").choice(_("✍ What happened"), _(S_("✍ What happened"))),
            End("closed").choice(_("✖ Close with a reason"), _(S_("✖ Close"))),
        ),
        (End("stop").choice(_("⏹ Stop"), _(S_("⏹ Stop"))),),
    )
    return [Reply("\n".join(lines), question)]


@router.choice(End, steps=["outcome_which", "outcome_what", "outcome_text", "outcome_send"])
async def choose(turn: Turn, chosen: End) -> None:
    """Write an outcome or a reason, add the author's language, send, or stop."""
    if not await allowed(turn, REVIEWERS, f"end:{chosen.action}"):
        return
    state = turn.state
    if chosen.action == "stop":
        state.clear()
        turn.say(_("Stopped. Nothing was sent."), replace=True)
        await turn.ask()
    elif chosen.action == "read" and state.step == "outcome_what":
        contribution_id = state.contribution_id or 0
        await turn.storage.paths.read(contribution_id, turn.resident.id, turn.resident.role)
        turn.say(_("👀 Marked as read."), replace=True)
        await turn.ask()
    elif chosen.action in ("outcome", "closed") and state.step == "outcome_what":
        state.kind, state.asking_in, state.step = chosen.action, FIRST_LANGUAGE, "outcome_text"
        await turn.ask()
    elif chosen.action == "also" and state.step == "outcome_send":
        at_hand = await _at_hand(turn)
        if at_hand is None:
            await turn.stale()
            return
        author = await _author(turn, at_hand[0])
        state.asking_in, state.step = author.language, "outcome_text"
        await turn.ask()
    elif chosen.action == "send" and state.step == "outcome_send":
        await _send(turn)
    else:
        await turn.stale()


@router.text("outcome_text")
async def receive_text(turn: Turn) -> None:
    """The outcome or reason in one language."""
    text = turn.event.text.strip()
    if len(text) > MOST_CHARACTERS:
        turn.say(_("Please keep it under {n} characters.", n=MOST_CHARACTERS))
        await turn.ask()
        return
    state = turn.state
    state.outcomes = {**state.outcomes, state.asking_in or FIRST_LANGUAGE: text}
    state.step = "outcome_send"
    await turn.ask()


async def _to_send(turn: Turn, contribution: Contribution) -> Reply:
    """What was written, to send; or to write again in the author's language too."""
    state = turn.state
    written = [f"{language_name_here(lang)}: “{text}”" for lang, text in state.outcomes.items()]
    choices = [End("send").choice(_("📣 Send to the resident"), _(S_("📣 Send")))]
    theirs = (await _author(turn, contribution)).language
    if theirs not in state.outcomes:
        choices.append(
            End("also").choice(
                _("🌐 Also in {language}", language=language_name_here(theirs)),
                _(S_("🌐 Also in theirs")),
            )
        )
    return Reply(
        "\n".join([contribution.reference, *written]),
        Question.of(tuple(choices), (End("stop").choice(_("⏹ Stop"), _(S_("⏹ Stop"))),)),
    )


async def _send(turn: Turn) -> None:
    state = turn.state
    at_hand = await _at_hand(turn)
    if at_hand is None or state.kind not in ("outcome", "closed") or not state.outcomes:
        await turn.stale()
        return
    contribution, _path = at_hand
    author = await _author(turn, contribution)
    news = outgoing(
        author, partial(_news, contribution, state.kind, dict(state.outcomes), FIRST_LANGUAGE)
    )
    ended = await turn.storage.paths.end(
        contribution.id,
        state.kind,
        state.outcomes,
        turn.resident.id,
        turn.resident.role,
        news,
    )
    reference = contribution.reference
    state.clear()
    if not ended:
        turn.say(_("{ref} already has its answer; nothing was sent.", ref=reference))
    else:
        log.info("%s ended by a worker; its author will hear", reference)
        turn.say(_("📣 Sent. The resident of {ref} will hear it.", ref=reference), replace=True)
    await turn.ask()


def _news(
    contribution: Contribution, kind: str, texts: dict[str, str], fallback: str, lang: str
) -> Reply:
    """The author's news, in their language: what happened with their message, or why closed."""
    said = texts.get(lang) or texts[fallback]
    opening = (
        _("📣 News about your message {ref}:", ref=contribution.reference)
        if kind == "outcome"
        else _("Your message {ref} is closed:", ref=contribution.reference)
    )
    lines = [opening, f"“{preview(contribution.text)}”", "", said]
    if lang not in texts:
        lines += ["", _("(The team wrote this in Dutch.)")]
    lines += ["", _("Send /mine to see all your messages and where they are.")]
    return Reply("\n".join(lines))


async def _at_hand(turn: Turn) -> tuple[Contribution, Path] | None:
    """The message the worker is busy with and its path; else None (and start again)."""
    contribution = await turn.storage.contributions.get(turn.state.contribution_id or 0)
    if contribution is None:
        turn.state.clear()
        return None
    paths = await turn.storage.paths.of([contribution.id])
    return contribution, paths[contribution.id]


async def _author(turn: Turn, contribution: Contribution) -> Resident:
    """Who wrote the message (kept until they /forget it, and the message with them)."""
    [author] = await turn.storage.residents.many([contribution.resident_id])
    return author


def _stop_only() -> Question:
    return Question.of((End("stop").choice(_("⏹ Stop"), _(S_("⏹ Stop"))),))
