"""The main menu, help, a resident's own messages, cancelling, and input the bot cannot use."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import ClassVar

from conversations.choices import Again, ChoiceData
from conversations.labels import KIND_LABELS, PILLAR_LABELS, STEP_LABELS, kind_choices
from conversations.messages import Question, Reply
from conversations.onboarding import ask_language
from conversations.routing import Router
from conversations.turn import Turn
from locales import D_, N_, S_, _, format_date, join_list, language_name, ngettext
from storage.contributions import Contribution, reference
from storage.paths import Path

log = logging.getLogger(__name__)

router = Router("menu")

PREVIEW = 60
# The newest messages /mine offers to show the whole path of.
PATHS_SHOWN = 10
COMMAND_WORD = re.compile(r"[a-z_]{1,32}")


@dataclass(frozen=True)
class ShowPath(ChoiceData):
    """Show the whole path of one of the resident's own messages."""

    prefix: ClassVar[str] = "path"
    contribution_id: int


@dataclass(frozen=True)
class MenuItem(ChoiceData):
    """A main-menu choice: mine, help, language (or keep the language offered against)."""

    prefix: ClassVar[str] = "menu"
    item: str


def main_menu(text: str | None = None) -> Reply:
    """What the resident can do next: share something, or look at what they shared."""
    return Reply(
        text or _("What would you like to share?"),
        Question.of(
            *kind_choices(),
            (
                MenuItem("mine").choice(
                    _("📋 My messages"),
                    _(S_("📋 My messages")),
                    _(D_("What you shared, and where it is now")),
                ),
                MenuItem("language").choice(
                    _("🌐 Language"), _(S_("🌐 Language")), _(D_("The language I write in"))
                ),
            ),
            (
                MenuItem("help").choice(
                    _("❓ Help"),
                    _(S_("❓ Help")),
                    _(D_("What this chat does, and all you can say")),
                ),
            ),
        ),
    )


@router.choice(Again)
async def ask_again(turn: Turn, again: Again) -> None:
    """Show the current question again, from page `page` (More…, Change)."""
    before = len(turn.replies)
    await turn.ask()
    turn.replies[before:] = [
        replace(reply, page=again.page) if reply.question else reply
        for reply in turn.replies[before:]
    ]


@router.asks("idle")
async def ask_idle(turn: Turn) -> list[Reply]:
    """The main menu."""
    return [main_menu()]


@router.command("start", N_("start, or continue where you were"), N_("start, begin"))
async def start(turn: Turn) -> None:
    """Welcome back a known resident and continue where they were."""
    turn.say(_("Welcome back! 👋"))
    await turn.ask()


@router.command("help", N_("what this chat does"), N_("help, info, what can you do"))
async def show_help(turn: Turn) -> None:
    """Explain what the bot does and list the commands, with the words that also say them."""
    lines = []
    for command in turn.routes.listed(turn.resident.role):
        said = _(command.words).split(",")[0].strip() if command.words else ""
        also = f" ({said})" if said and said != command.name else ""
        lines.append(f"/{command.name}{also}: {_(command.description)}")
    commands = "\n".join(lines)
    turn.say(
        _(
            "With Wijkstem you tell the team of Veerkrachtige Wijken what worries you,"
            " your ideas and what you want to do in Pottenberg and Nazareth."
            " Tap a button, or just type your message."
        )
        + "\n\n"
        + commands
    )
    turn.replies.append(main_menu())


@router.command("mine", N_("see your messages"), N_("my messages, mine, messages"))
async def mine(turn: Turn) -> None:
    """List the resident's own contributions: reference, words, topics and where each is."""
    contributions = await turn.storage.contributions.by_resident(turn.resident.id)
    if not contributions and turn.state.step == "idle":
        turn.replies.append(main_menu(_("You have not shared any messages yet.")))
        return
    if not contributions:
        turn.say(_("You have not shared any messages yet."))
        await turn.ask()
        return

    paths = await turn.storage.paths.of(c.id for c in contributions)
    lines = [ngettext("You shared {n} message:", "You shared {n} messages:", len(contributions))]
    for contribution in contributions:
        topics = join_list(_(PILLAR_LABELS[p]) for p in contribution.final_pillars)
        path = paths[contribution.id]
        where = path.furthest
        lines += ["", heading(contribution), f"“{preview(contribution.text)}”"]
        lines += [topics] if topics else []
        lines.append(f"{_(STEP_LABELS[where.name])} · {format_date(where.at)}")
        ended = path.text_in(turn.resident.language)
        lines += [f"“{preview(ended)}”"] if ended else []
    newest = contributions[-PATHS_SHOWN:][::-1]
    choices = [(ShowPath(c.id).choice(f"📍 {c.reference}", c.reference),) for c in newest]
    turn.say("\n".join(lines))
    turn.say(_("Tap a message to see its whole path."), Question.of(*choices))
    if turn.state.step == "idle":
        turn.replies.append(main_menu(_("Anything else?")))
    else:
        await turn.ask()


@router.choice(ShowPath)
async def show_path(turn: Turn, chosen: ShowPath) -> None:
    """The whole path of one of the resident's own messages."""
    contribution = await turn.storage.contributions.get(chosen.contribution_id)
    if contribution is None or contribution.resident_id != turn.resident.id:
        await turn.stale()  # forged, or deleted since
        return
    [path] = (await turn.storage.paths.of([contribution.id])).values()
    lines = [heading(contribution), f"“{contribution.text}”" if contribution.text else ""]
    turn.say("\n".join([*filter(None, lines), "", *await path_lines(turn, path)]))
    await turn.ask()


async def path_lines(turn: Turn, path: Path) -> list[str]:
    """Each step reached, with its date (and event), then what a worker wrote at the end."""
    lines = []
    for step in path.steps:
        line = f"{_(STEP_LABELS[step.name])} · {format_date(step.at)}"
        event = await turn.storage.events.get(step.event_id) if step.event_id else None
        if event is not None:  # an event by its name, an announcement by its words
            text = event.text_in(turn.resident.language)
            line += f" · {text.title or preview(text.description)}"
        lines.append(line)
    ended = path.text_in(turn.resident.language)
    return [*lines, f"“{ended}”"] if ended else lines


def preview(words: str) -> str:
    """A message's words cut to a line, or what it was when it had none."""
    if not words:
        return _("(photo or voice message)")
    return words if len(words) <= PREVIEW else words[:PREVIEW].rstrip() + "…"


@router.command("cancel", N_("stop what you are doing"), N_("cancel, back"))
async def cancel(turn: Turn) -> None:
    """Leave any flow; what was already saved stays saved."""
    saved = turn.state.contribution_id
    turn.state.clear()
    if saved:
        turn.say(_("Stopped. Your message is saved as {ref}.", ref=reference(saved)))
    else:
        turn.say(_("Stopped."))
    turn.replies.append(main_menu())


@router.choice(MenuItem)
async def choose(turn: Turn, chosen: MenuItem) -> None:
    """A main-menu choice."""
    if chosen.item == "mine":
        await mine(turn)
    elif chosen.item == "help":
        await show_help(turn)
    elif chosen.item == "language":
        await ask_language(turn)
    elif chosen.item == "keep-language":
        if turn.state.step == "offer":
            turn.state.clear()
        turn.say(
            _(
                "Okay, I keep writing in {language}.",
                language=language_name(turn.resident.language),
            ),
            replace=True,
        )
    else:
        await turn.stale()


async def unknown_command(turn: Turn) -> None:
    """A command the bot does not know."""
    # Only a command-like word is logged: people type phone numbers and names after a slash.
    command = turn.event.command
    log.info("unknown command %s", f"/{command}" if COMMAND_WORD.fullmatch(command) else "(other)")
    turn.say(_("I don't know that command. Send /help to see what I can do."))
    await turn.ask()


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
    await turn.ask()


def heading(contribution: Contribution) -> str:
    """Reference, date and kind of a contribution, on one line."""
    return _(
        "{ref} · {date} · {kind}",
        ref=contribution.reference,
        date=format_date(contribution.created_at),
        kind=_(KIND_LABELS[contribution.kind]),
    )


def wish(contribution: Contribution) -> list[str]:
    """The author's wish to help or to be contacted, as a line for workers, if they have it."""
    return [_("🙋 Would like to help, or to be contacted.")] if contribution.wants_contact else []
