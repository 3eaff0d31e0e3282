"""/settings: a resident's language, neighbourhood and invitations, each changeable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.labels import neighbourhood_label
from conversations.messages import Question, Reply
from conversations.onboarding import ask_language
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, language_name

router = Router("preferences")


@dataclass(frozen=True)
class Setting(ChoiceData):
    """Change one setting."""

    prefix: ClassVar[str] = "set"
    setting: str


@router.command(
    "settings", N_("language, neighbourhood and invitations"), N_("settings, my settings")
)
async def show(turn: Turn) -> None:
    """What the resident chose, with a choice to change each."""
    turn.state.clear()
    turn.state.step = "settings"
    await turn.ask()


@router.asks("settings")
async def settings(turn: Turn) -> list[Reply]:
    """The resident's settings, each changeable."""
    resident = turn.resident
    wants = bool(resident.invitations)
    return [
        Reply(
            "\n".join(
                (
                    _("Your settings:"),
                    _("🌐 Language: {language}", language=language_name(resident.language)),
                    _(
                        "🏠 Neighbourhood: {name}",
                        name=neighbourhood_label(resident.neighbourhood),
                    ),
                    _("📨 Invitations to activities: yes")
                    if wants
                    else _("📨 Invitations to activities: no"),
                )
            ),
            Question.of(
                (
                    Setting("invite-off").choice(
                        _("📨 Stop invitations"), _(S_("📨 No invitations"))
                    )
                    if wants
                    else Setting("invite-on").choice(
                        _("📨 Get invitations"), _(S_("📨 Get invitations"))
                    ),
                ),
                (
                    Setting("language").choice(_("🌐 Language"), _(S_("🌐 Language"))),
                    Setting("hood").choice(_("🏠 Neighbourhood"), _(S_("🏠 Neighbourhood"))),
                ),
            ),
        )
    ]


@router.command("stop", N_("no more invitations"), N_("stop, unsubscribe"), shown_to=())
async def stop_invitations(turn: Turn) -> None:
    """`stop` (typed, as on WhatsApp): no more invitations, at once."""
    await choose(turn, Setting("invite-off"))


@router.choice(Setting)
async def choose(turn: Turn, chosen: Setting) -> None:
    """A settings choice."""
    value = chosen.setting
    if turn.state.step == "settings":
        turn.state.clear()
    if value in ("invite-on", "invite-off"):
        turn.resident.invitations = value == "invite-on"
        if turn.resident.invitations:
            turn.say(_("✔ You will get invitations."), replace=True)
        else:
            turn.say(_("✔ You will get no more invitations."), replace=True)
        await turn.ask()
    elif value == "language":
        await ask_language(turn)
    elif value == "hood":
        turn.state.clear()
        turn.state.step = "neighbourhood"
        await turn.ask()
    else:
        await turn.stale()
