"""The main menu, help, a resident's own messages, cancelling, and input the bot cannot use."""

from __future__ import annotations

import logging
import re

from conversations import prompts
from conversations.commands import COMMANDS, TEAM_COMMANDS, WORKER_COMMANDS
from conversations.labels import KIND_LABELS, PILLAR_LABELS
from conversations.onboarding import ask_language
from conversations.roles import REVIEWERS, TEAM
from conversations.turn import Turn
from locales import _, format_date, join_list, language_name, ngettext
from storage.contributions import Contribution, reference

log = logging.getLogger(__name__)

PREVIEW = 60
COMMAND_WORD = re.compile(r"[a-z_]{1,32}")


async def start(turn: Turn) -> None:
    """Welcome back a known resident and continue where they were."""
    turn.say(_("Welcome back! 👋"))
    await prompts.ask(turn)


async def show_help(turn: Turn) -> None:
    """Explain what the bot does and list the commands."""
    listed = COMMANDS + (WORKER_COMMANDS if turn.resident.role in REVIEWERS else ())
    listed += TEAM_COMMANDS if turn.resident.role in TEAM else ()
    commands = "\n".join(f"/{c.name}: {_(c.description)}" for c in listed)
    turn.say(
        _(
            "With Wijkstem you tell the team of Veerkrachtige Wijken what worries you,"
            " your ideas and what you want to do in Pottenberg and Nazareth."
            " Tap a button, or just type your message."
        )
        + "\n\n"
        + commands
    )
    turn.replies.append(prompts.main_menu())


async def mine(turn: Turn) -> None:
    """List the resident's own contributions with their reference and topics."""
    contributions = await turn.storage.contributions.by_resident(turn.resident.id)
    if not contributions and turn.state.step == "idle":
        turn.replies.append(prompts.main_menu(_("You have not shared any messages yet.")))
        return
    if not contributions:
        turn.say(_("You have not shared any messages yet."))
        await prompts.ask(turn)
        return

    lines = [ngettext("You shared {n} message:", "You shared {n} messages:", len(contributions))]
    for contribution in contributions:
        words = contribution.text or _("(photo or voice message)")
        if len(words) > PREVIEW:
            words = words[:PREVIEW].rstrip() + "…"
        topics = join_list(_(PILLAR_LABELS[p]) for p in contribution.final_pillars)
        lines += ["", heading(contribution), f"“{words}”"] + ([topics] if topics else [])
    turn.say("\n".join(lines))
    if turn.state.step == "idle":
        turn.replies.append(prompts.main_menu(_("Anything else?")))
    else:
        await prompts.ask(turn)


async def cancel(turn: Turn) -> None:
    """Leave any flow; what was already saved stays saved."""
    saved = turn.state.contribution_id
    turn.state.clear()
    if saved:
        turn.say(_("Stopped. Your message is saved as {ref}.", ref=reference(saved)))
    else:
        turn.say(_("Stopped."))
    turn.replies.append(prompts.main_menu())


async def choose(turn: Turn, value: str) -> None:
    """A main-menu button."""
    if value == "mine":
        await mine(turn)
    elif value == "help":
        await show_help(turn)
    elif value == "language":
        await ask_language(turn)
    elif value == "keep-language":
        turn.say(
            _(
                "Okay, I keep writing in {language}.",
                language=language_name(turn.resident.language),
            ),
            replace=True,
        )
    else:
        await prompts.stale(turn)


async def unknown_command(turn: Turn) -> None:
    """A command the bot does not know."""
    # Only a command-like word is logged: people type phone numbers and names after a slash.
    command = turn.event.command
    log.info("unknown command %s", f"/{command}" if COMMAND_WORD.fullmatch(command) else "(other)")
    turn.say(_("I don't know that command. Send /help to see what I can do."))
    await prompts.ask(turn)


async def unsupported(turn: Turn) -> None:
    """A sticker, location, contact, file or anything else the bot cannot use."""
    log.info("unsupported input: %s", turn.event.unsupported)
    if turn.event.unsupported in ("location", "contact"):
        turn.say(_("For your privacy I do not keep locations or phone numbers."))
    else:
        turn.say(
            _(
                "Sorry, I cannot use this. Please type your message, or send a photo or a voice"
                " message."
            )
        )
    await prompts.ask(turn)


def heading(contribution: Contribution) -> str:
    """Reference, date and kind of a contribution, on one line."""
    return _(
        "{ref} · {date} · {kind}",
        ref=contribution.reference,
        date=format_date(contribution.created_at),
        kind=_(KIND_LABELS[contribution.kind]),
    )
