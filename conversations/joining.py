"""New colleagues: a team member makes a one-time code, the new worker joins with /join CODE."""

from __future__ import annotations

import logging

from conversations import prompts
from conversations.messages import Button
from conversations.roles import TEAM, allowed
from conversations.turn import Turn
from locales import N_, _

log = logging.getLogger(__name__)

ROLES = ("worker", "team")
ROLE_LABELS = {"worker": N_("👷 Community worker"), "team": N_("🏛 Programme team")}


async def ask_role(turn: Turn) -> None:
    """`/invitecode`, for the team: which role the code gives."""
    if not await allowed(turn, TEAM, "/invitecode"):
        return
    turn.say(
        _("Which role is the code for?"),
        (
            Button(_(ROLE_LABELS["worker"]), "code:worker"),
            Button(_(ROLE_LABELS["team"]), "code:team"),
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


async def list_roles(turn: Turn) -> None:
    """`/roles`, for the team: who holds a role by code (to revoke), and what the settings give."""
    if not await allowed(turn, TEAM, "/roles"):
        return
    settings = list(turn.services.roles.values())
    lines = [
        _(
            "From the settings: community workers {workers}, programme team {team}.",
            workers=settings.count("worker"),
            team=settings.count("team"),
        )
    ]
    joined = [
        r
        for r in await turn.storage.residents.with_joined_roles()
        if r.channel_user_id not in turn.services.roles
    ]
    rows = []
    for person in joined:
        label = _(ROLE_LABELS[person.role]) if person.role in ROLE_LABELS else person.role
        lines.append(_("#{id} · {role}", id=person.id, role=label))
        rows.append((Button(_("Revoke #{id}", id=person.id), f"roles:revoke:{person.id}"),))
    if not joined:
        lines.append(_("Nobody holds a role by code."))
    turn.say("\n".join(lines), *rows)


async def revoke(turn: Turn, value: str) -> None:
    """A team member takes a role joined by code away again."""
    if not await allowed(turn, TEAM, f"roles:{value}"):
        return
    action, _sep, ref = value.partition(":")
    if action != "revoke" or not ref.isdigit():
        await prompts.stale(turn)
        return
    if await turn.storage.residents.revoke(int(ref), turn.resident.id, turn.resident.role):
        log.info("team member %s revoked the role of %s", turn.resident.id, ref)
        turn.say(_("✔ #{id} no longer has a role.", id=int(ref)), replace=True)
    else:
        turn.say(_("#{id} has no role to take away.", id=int(ref)), replace=True)
