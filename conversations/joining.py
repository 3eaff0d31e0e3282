"""New colleagues: a team member makes a one-time code, the new worker joins with /join CODE."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.messages import Question, Reply
from conversations.roles import TEAM, allowed
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _

log = logging.getLogger(__name__)

router = Router("joining")

ROLES = ("worker", "team")
ROLE_LABELS = {"worker": N_("👷 Community worker"), "team": N_("🏛 Programme team")}
ROLE_SHORT = {"worker": S_("👷 Worker"), "team": S_("🏛 Team")}


@dataclass(frozen=True)
class CodeFor(ChoiceData):
    """Make a one-time code for this role."""

    prefix: ClassVar[str] = "code"
    role: str


@dataclass(frozen=True)
class Revoke(ChoiceData):
    """Take away the role of resident number `resident`."""

    prefix: ClassVar[str] = "roles"
    action: str
    resident: int


@router.command(
    "invitecode", N_("a one-time code for a new colleague"), N_("invite code"), shown_to=TEAM
)
async def ask_role(turn: Turn) -> None:
    """`/invitecode`, for the team: which role the code gives."""
    if not await allowed(turn, TEAM, "/invitecode"):
        return
    turn.state.clear()
    turn.state.step = "invitecode"
    await turn.ask()


@router.asks("invitecode")
async def role_question(turn: Turn) -> list[Reply]:
    """Which role the code is for."""
    return [
        Reply(
            _("Which role is the code for?"),
            Question.of(
                tuple(
                    CodeFor(role).choice(_(ROLE_LABELS[role]), _(ROLE_SHORT[role]))
                    for role in ROLES
                )
            ),
        )
    ]


@router.choice(CodeFor)
async def make_code(turn: Turn, chosen: CodeFor) -> None:
    """Create the code and show how the new colleague uses it."""
    role = chosen.role
    if not await allowed(turn, TEAM, f"code:{role}"):
        return
    if role not in ROLES:
        await turn.stale()
        return
    if turn.state.step == "invitecode":
        turn.state.clear()
    code = await turn.storage.invites.create(role, turn.resident.id, turn.resident.role)
    turn.say(
        _(
            "Code: {code}\nIt works once, for 7 days. The new colleague sends: /join {code}",
            code=code,
        ),
        replace=True,
    )


@router.command("join", N_("join the team with a code"), shown_to=())
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


@router.command("roles", N_("who has a role; take one away"), N_("roles"), shown_to=TEAM)
async def list_roles(turn: Turn) -> None:
    """`/roles`, for the team: who holds a role by code (to revoke), and what the settings give."""
    if not await allowed(turn, TEAM, "/roles"):
        return
    turn.state.clear()
    turn.state.step = "roles"
    await turn.ask()
    if not turn.replies[-1].question:
        turn.state.clear()  # nothing to revoke: nothing to answer


@router.asks("roles")
async def roles_listing(turn: Turn) -> list[Reply]:
    """Who holds a role, with a choice to revoke each role given by a code."""
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
        if r.person not in turn.services.roles
    ]
    choices = []
    for person in joined:
        label = _(ROLE_LABELS[person.role]) if person.role in ROLE_LABELS else person.role
        lines.append(_("#{id} · {role}", id=person.id, role=label))
        choices.append(
            (
                Revoke("revoke", person.id).choice(
                    _("Revoke #{id}", id=person.id), f"✖ #{person.id}"
                ),
            )
        )
    if not joined:
        lines.append(_("Nobody holds a role by code."))
    return [Reply("\n".join(lines), Question.of(*choices) if choices else None)]


@router.choice(Revoke)
async def revoke(turn: Turn, chosen: Revoke) -> None:
    """A team member takes a role joined by code away again."""
    if not await allowed(turn, TEAM, f"roles:{chosen.action}:{chosen.resident}"):
        return
    if chosen.action != "revoke":
        await turn.stale()
        return
    if turn.state.step == "roles":
        turn.state.clear()
    ref = chosen.resident
    if await turn.storage.residents.revoke(ref, turn.resident.id, turn.resident.role):
        log.info("team member %s revoked the role of %s", turn.resident.id, ref)
        turn.say(_("✔ #{id} no longer has a role.", id=ref), replace=True)
    else:
        turn.say(_("#{id} has no role to take away.", id=ref), replace=True)
