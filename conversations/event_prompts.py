"""The questions a worker answers to make an event or announcement, and to follow one up."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

from conversations.buttons import in_rows
from conversations.invitations import invitation
from conversations.labels import NOT_SAID, PILLAR_LABELS, neighbourhood_label
from conversations.messages import Button, Reply
from conversations.turn import Turn
from locales import _, available_languages, join_list, language_name_here, ngettext
from storage.contributions import Summary, reference
from storage.events import SOURCE_LANGUAGE, Event
from storage.residents import Audience

EVENT_QUESTIONS = ("title", "description", "when", "place", "hoods", "pillars", "capacity")
ANNOUNCEMENT_QUESTIONS = ("description",)
SUGGESTIONS = 5
SUGGEST_DAYS = 90
PREVIEW = 70


def questions(event: Event) -> tuple[str, ...]:
    """What a worker is asked, in order, before the languages and the audience."""
    return EVENT_QUESTIONS if event.kind == "event" else ANNOUNCEMENT_QUESTIONS


def toggles(
    prefix: str, options: Mapping[str, str], chosen: list[str] | tuple[str, ...]
) -> tuple[tuple[Button, ...], ...]:
    """One button per option, ticked when chosen; its data is `prefix:value`."""
    return in_rows(_ticks(prefix, options, tuple(chosen)), 1)


def place_options(neighbourhoods: tuple[str, ...]) -> dict[str, str]:
    """The programme's neighbourhoods and 'rather not say', by name."""
    return {name: neighbourhood_label(name) for name in (*neighbourhoods, NOT_SAID)}


def stop_row() -> tuple[Button, ...]:
    """A button to stop what the worker is doing."""
    return (Button(_("✖ Stop"), "work:stop"),)


def event_question(turn: Turn, event: Event) -> Reply:
    """The question the worker is at while making an event or announcement."""
    asking = turn.state.asking or ""
    name, _sep, lang = asking.partition(":")
    done = (Button(_("👍 Done"), "ev:next"),)
    if name == "title":
        return Reply(_("📝 New activity. What is its name? Write it in Dutch."), (stop_row(),))
    if name == "description" and event.kind == "announcement":
        return Reply(_("📢 What do you want to tell residents? Write it in Dutch."), (stop_row(),))
    if name == "description":
        return Reply(
            _("Describe it in one or two sentences, in Dutch."),
            ((Button(_("⏭ Skip"), "ev:skip"),), stop_row()),
        )
    if name == "when":
        return Reply(
            _("When is it? Type the day and time, like 13-3 14:00 or 13 maart 14u."),
            (stop_row(),),
        )
    if name == "place":
        return Reply(_("Where is it? Type the place and address."), (stop_row(),))
    if name == "hoods":
        options = place_options(turn.services.neighbourhoods)
        return Reply(
            _("Which neighbourhoods is it for? Tap to switch on or off, then tap Done."),
            (*toggles("ev:hood", options, event.neighbourhoods), done),
        )
    if name == "pillars":
        options = {pillar: _(label) for pillar, label in PILLAR_LABELS.items()}
        return Reply(
            _("Which topics does it touch? Tap to switch on or off, then tap Done."),
            (*toggles("ev:pillar", options, event.pillars), done),
        )
    if name == "capacity":
        return Reply(
            _("How many people can come at most? Type a number, or tap No limit."),
            ((Button(_("♾ No limit"), "ev:nolimit"),), stop_row()),
        )
    if name == "title_in":
        return Reply(
            _("The name in {language}?", language=language_name_here(lang)), (stop_row(),)
        )
    if name == "text_in":
        return Reply(
            _("The text in {language}?", language=language_name_here(lang)), (stop_row(),)
        )
    return languages_question(event)


def languages_question(event: Event) -> Reply:
    """Offer to add the text in more languages; residents get their own when there is one."""
    others = [lang for lang in available_languages() if lang != SOURCE_LANGUAGE]
    buttons = (
        Button(
            ("✅ " if lang in event.texts else "") + language_name_here(lang), f"ev:lang:{lang}"
        )
        for lang in others
    )
    written = join_list(language_name_here(lang) for lang in sorted(event.texts))
    return Reply(
        _("Written in: {languages}.", languages=written)
        + "\n"
        + _(
            "Residents get the text in their own language when you add it, else in Dutch."
            " Add another language, or tap Next."
        ),
        (*in_rows(buttons, 3), (Button(_("➡ Next: who gets it"), "ev:audience"),), stop_row()),
    )


async def audience_question(turn: Turn, event: Event) -> list[Reply]:
    """How many will receive it, the filters to change that, and a preview."""
    recipients = await turn.storage.residents.audience(event.audience)
    everyone = await turn.storage.residents.audience(Audience())
    languages = sorted({r.language for r in everyone} | set(event.audience.languages))
    places = place_options(turn.services.neighbourhoods)
    topics = {pillar: _(label) for pillar, label in PILLAR_LABELS.items()}
    text = "\n".join(
        (
            ngettext(
                "👥 {n} resident will receive this.",
                "👥 {n} residents will receive this.",
                len(recipients),
            ),
            ngettext(
                "({n} resident wants invitations.)",
                "({n} residents want invitations.)",
                len(everyone),
            ),
            _("Tap to change who gets it: no tick in a group means everyone."),
        )
    )
    rows = (
        *in_rows(_ticks("aud:hood", places, event.audience.neighbourhoods), 2),
        *in_rows(_ticks("aud:pillar", topics, event.audience.pillars), 1),
        *in_rows(
            _ticks(
                "aud:lang",
                {lang: language_name_here(lang) for lang in languages},
                event.audience.languages,
            ),
            3,
        ),
        (Button(_("📨 Send to {n}", n=len(recipients)), "aud:send"),),
        stop_row(),
    )
    return [preview(event, turn.resident.language), Reply(text, rows)]


def preview(event: Event, lang: str) -> Reply:
    """The message as a resident who speaks `lang` gets it (the buttons shown in brackets)."""
    shown = invitation(event, lang)
    buttons = "  ".join(f"[{b.label}]" for row in shown.buttons for b in row)
    return Reply("\n".join((_("👁 Preview:"), "", shown.text, buttons)).rstrip())


def after_sending(event: Event) -> Reply:
    """Offer to link the residents' messages this answers ("you said, we did")."""
    return Reply(
        _(
            "Does this answer messages residents sent? Link them, and their authors hear that"
            " their input is on the table."
        ),
        ((Button(_("🔗 Link residents' messages"), f"agenda:link:{event.id}"),),),
    )


def _ticks(prefix: str, options: Mapping[str, str], chosen: tuple[str, ...]) -> Iterator[Button]:
    return (
        Button(("✅ " if value in chosen else "⬜ ") + label, f"{prefix}:{value}")
        for value, label in options.items()
    )


async def link_question(turn: Turn, event: Event) -> Reply:
    """Which residents' messages this answers: type references, or take the suggestions."""
    suggested = await suggestions(turn, event)
    lines = [
        _("🔗 You said, we did."),
        _(
            "Which residents' messages does this answer? Type their references, like P-0042"
            " P-0107. Their authors get a message that their input is on the table."
        ),
    ]
    rows: list[tuple[Button, ...]] = []
    if suggested:
        lines += ["", _("Recent messages that may fit:")]
        for summary in suggested:
            words = summary.text if len(summary.text) <= PREVIEW else summary.text[:PREVIEW] + "…"
            lines.append(f"{reference(summary.id)} · “{words}”")
        rows.append((Button(_("🔗 Link these {n}", n=len(suggested)), "link:suggested"),))
    rows.append(stop_row())
    return Reply("\n".join(lines), tuple(rows))


async def suggestions(turn: Turn, event: Event) -> list[Summary]:
    """Recent visible messages on the event's topics and neighbourhoods, not linked yet."""
    until = datetime.now(UTC) + timedelta(seconds=1)
    since = until - timedelta(days=SUGGEST_DAYS)
    summaries = await turn.storage.contributions.summaries(since.isoformat(), until.isoformat())
    linked = set(await turn.storage.events.linked(event.id))
    hoods = set(event.neighbourhoods) - {NOT_SAID}
    fitting = [
        s
        for s in summaries
        if not s.hidden
        and s.text
        and s.id not in linked
        and (not event.pillars or set(s.pillars) & set(event.pillars))
        and (not hoods or s.neighbourhood in hoods)
    ]
    return sorted(fitting, key=lambda s: s.id, reverse=True)[:SUGGESTIONS]


def attendance_question(event: Event, lang: str) -> Reply:
    """How many came."""
    title = event.text_in(lang).title
    return Reply(
        _("How many people came to {title}? Type a number.", title=title),
        (stop_row(),),
    )


async def ask(turn: Turn) -> bool:
    """Ask the question of a worker's step again; False when its event is gone."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    if event is None:
        return False
    step = turn.state.step
    if step == "event":
        turn.replies.append(event_question(turn, event))
    elif step == "audience":
        turn.replies += await audience_question(turn, event)
    elif step == "link":
        turn.replies.append(await link_question(turn, event))
    else:
        turn.replies.append(attendance_question(event, turn.resident.language))
    return True
