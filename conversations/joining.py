"""New colleagues: a team member makes a one-time code, the new worker joins with /join CODE."""

from __future__ import annotations

import logging

from conversations import prompts
from conversations.messages import Button
from conversations.roles import TEAM, allowed
from conversations.turn import Turn
from locales import _

log = logging.getLogger(__name__)

ROLES = ("worker", "team")


async def ask_role(turn: Turn) -> None:
    """`/invitecode`, for the team: which role the code gives."""
    if not await allowed(turn, TEAM, "/invitecode"):
        return
    turn.say(
        _("Which role is the code for?"),
        (
            Button(_("👷 Community worker"), "code:worker"),
            Button(_("🏛 Programme team"), "code:team"),
        ),
    )


async def make_code(turn: Turn, role: str) -> None:
    """Create the code and show how the new colleague uses it."""
    if not await allowed(turn, TEAM, f"code:{role}"):
        return
    if role not in ROLES:
        await prompts.stale(turn)
        return
    code = await turn.storage.invites.create(role, turn.resident.id, turn.resident.role)
    turn.say(
        _(
            "Code: {code}\nIt works once, for 7 days. The new colleague sends: /join {code}",
            code=code,
        ),
        replace=True,
    )


async def join(turn: Turn) -> None:
    """`/join CODE`: take the role the code gives."""
    code = turn.event.text.strip()
    if not code:
        turn.say(_("Send /join with the code, like this: /join ABCD-EFGH"))
        return
    if await turn.storage.invites.too_many_failures(turn.resident.id):
        # Guessing codes must not pay: no code is checked, and nothing more is logged, for now.
        turn.say(_("Too many wrong codes. Please try again in a quarter of an hour."))
        return
    role = await turn.storage.invites.redeem(code, turn.resident.id, turn.resident.role)
    if role is None:
        log.warning("resident %s tried an invalid invite code", turn.resident.id)
        turn.say(_("That code does not work. Ask the team for a new one."))
        return
    turn.resident.role = role
    if role == "team":
        turn.say(_("Welcome! You are now in the programme team. Send /help for your commands."))
    else:
        turn.say(_("Welcome! You are now a community worker. Send /help for your commands."))
