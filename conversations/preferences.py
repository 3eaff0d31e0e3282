"""/settings: a resident's language, neighbourhood and invitations, each changeable."""

from __future__ import annotations

from conversations import prompts
from conversations.labels import neighbourhood_label
from conversations.messages import Button
from conversations.onboarding import ask_language
from conversations.turn import Turn
from locales import _, language_name


async def show(turn: Turn) -> None:
    """What the resident chose, with a button to change each."""
    resident = turn.resident
    wants = bool(resident.invitations)
    turn.say(
        "\n".join(
            (
                _("Your settings:"),
                _("🌐 Language: {language}", language=language_name(resident.language)),
                _("🏠 Neighbourhood: {name}", name=neighbourhood_label(resident.neighbourhood)),
                _("📨 Invitations to activities: yes")
                if wants
                else _("📨 Invitations to activities: no"),
            )
        ),
        (
            Button(_("📨 Stop invitations"), "set:invite-off")
            if wants
            else Button(_("📨 Get invitations"), "set:invite-on"),
        ),
        (Button(_("🌐 Language"), "set:language"), Button(_("🏠 Neighbourhood"), "set:hood")),
    )


async def choose(turn: Turn, value: str) -> None:
    """A settings button."""
    if value in ("invite-on", "invite-off"):
        turn.resident.invitations = value == "invite-on"
        if turn.resident.invitations:
            turn.say(_("✔ You will get invitations."), replace=True)
        else:
            turn.say(_("✔ You will get no more invitations."), replace=True)
        await prompts.ask(turn)
    elif value == "language":
        await ask_language(turn)
    elif value == "hood":
        turn.state.clear()
        turn.state.step = "neighbourhood"
        await prompts.ask(turn)
    else:
        await prompts.stale(turn)
