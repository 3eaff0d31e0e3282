"""Who may use the worker and team commands; everyone else gets a polite no, on the record."""

from __future__ import annotations

import logging

from conversations.turn import Turn
from locales import _

log = logging.getLogger(__name__)

REVIEWERS = ("worker", "team")
TEAM = ("team",)


async def allowed(turn: Turn, roles: tuple[str, ...], attempt: str) -> bool:
    """Whether the sender has one of `roles`; if not, say so kindly and log the attempt."""
    if turn.resident.role in roles:
        return True
    log.warning("resident %s without rights tried %r", turn.resident.id, attempt[:40])
    await turn.storage.audit.add(turn.resident.id, turn.resident.role, "refused", attempt=attempt)
    if roles == TEAM:
        turn.say(_("Sorry, this is only for the programme team."))
    else:
        turn.say(_("Sorry, this is only for community workers."))
    await turn.ask()
    return False
