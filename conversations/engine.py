"""The conversation: routes an inbound event to its flow and keeps the resident's state."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import overload

from pydantic import ValidationError

from conversations import (
    agenda,
    audience,
    contact,
    event_work,
    invitations,
    joining,
    linking,
    menu,
    onboarding,
    outcomes,
    planning,
    preferences,
    privacy,
    reporting,
    review,
    share,
)
from conversations.matching import match
from conversations.messages import Inbound, Reply, encode_replies
from conversations.routing import Routes
from conversations.state import State
from conversations.turn import Services, Turn
from locales import _, best_language, use

log = logging.getLogger(__name__)

ROUTERS = (
    onboarding.router,
    menu.router,
    share.router,
    preferences.router,
    privacy.router,
    review.router,
    planning.router,
    audience.router,
    agenda.router,
    linking.router,
    outcomes.router,
    contact.router,
    event_work.router,
    invitations.router,
    reporting.router,
    joining.router,
)
# The order commands are listed in the menu and in help.
MENU_ORDER = (
    "start",
    "mine",
    "language",
    "settings",
    "mydata",
    "forget",
    "cancel",
    "help",
    "review",
    "path",
    "contact",
    "newevent",
    "broadcast",
    "events",
    "report",
    "invitecode",
    "roles",
)


class Conversation:
    """Channel-agnostic: takes what a person did, returns what to say, stores what to keep."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.routes = Routes(ROUTERS, MENU_ORDER)
        self.awaiting_consent = onboarding.AwaitingConsent()

    @overload
    async def handle(self, event: Inbound) -> list[Reply]: ...

    @overload
    async def handle(self, event: Inbound, inbox_id: int) -> list[Reply] | None: ...

    async def handle(self, event: Inbound, inbox_id: int | None = None) -> list[Reply] | None:
        """Answer one inbound event in one transaction; with its inbox row marked handled.

        The claim of the row, the resident's new state and everything the turn stored commit
        together, so an update is handled once: a crash before the commit leaves it to be
        handled again. None when the row is not this process's to handle (handled already, or
        another process holds it or an older update of the same person).
        """
        storage = self.services.storage
        async with storage.db.turn():
            if inbox_id is not None and not await storage.inbox.claim(inbox_id):
                return None
            replies = [reply.directed() for reply in await self._answer(event)]
            if inbox_id is not None:
                await storage.inbox.handled(inbox_id, encode_replies(replies))
        return replies

    async def _answer(self, event: Inbound) -> list[Reply]:
        storage = self.services.storage
        resident = await storage.residents.find(event.person)
        if resident is None:
            return await onboarding.before_consent(self.services, event, self.awaiting_consent)
        # The settings name roles afresh each turn; only a role given by a code is stored.
        resident.role = self.services.role_of(event.person, resident.role)
        turn = Turn(event, resident, self.services, _load_state(resident.state), self.routes)
        with use(resident.language):
            await self._route(turn)
        if not turn.forgotten:
            resident.unreachable_at = None  # they wrote, so they can be reached again
            resident.state = turn.state.model_dump(exclude_defaults=True)
            await storage.residents.save(resident)
        return turn.replies

    def apology(self, language_code: str | None) -> Reply:
        """What to say when something broke on our side."""
        with use(self._language(language_code)):
            text = _("Sorry, something went wrong on our side. Please try again in a moment.")
            return Reply(text).directed()

    def later(self, language_code: str | None) -> Reply:
        """What to say when a message is safe with us but cannot be answered just now."""
        with use(self._language(language_code)):
            text = _("Thank you, your message is safe with us. The answer comes a little later.")
            return Reply(text).directed()

    async def _route(self, turn: Turn) -> None:
        """Hand the event to the router that answers it; typed words may be an answer."""
        if turn.event.kind == "text":
            turn.event = await self._understood(turn)
        event = turn.event
        if event.kind == "command":
            route = self.routes.commands.get(event.command)
            await (route.handler if route else menu.unknown_command)(turn)
        elif event.kind == "choice":
            found = self.routes.data(event.choice)
            if found is None or (found[0].steps and turn.state.step not in found[0].steps):
                await turn.stale()
            else:
                await found[0].handler(turn, found[1])
        elif event.kind in ("text", "photo", "voice"):
            taker = self.routes.takes_text(turn.state.step)
            if taker is None and await self.routes.taken_before_sharing(turn):
                return
            await (taker or share.receive)(turn)
        else:
            await menu.unsupported(turn)

    async def _understood(self, turn: Turn) -> Inbound:
        """Typed words as what they mean: a keyword's command, or a choice of the question."""
        event = turn.event
        takes_text = self.routes.takes_text(turn.state.step) is not None
        # Where typed words are the answer (a title, a number), only a label is a choice.
        choice = match(await self.routes.question(turn), event.text, digits=not takes_text)
        if choice is not None:
            log.info("typed answer at step %s", turn.state.step)
            return replace(event, kind="choice", choice=choice.data)
        keyword = None if takes_text else self.routes.keyword(event.text, turn.resident.language)
        if keyword is not None:
            log.info("typed keyword for /%s", keyword.command.name)
            return replace(event, kind="command", command=keyword.command.name, text="")
        return event

    def _language(self, language_code: str | None) -> str:
        return best_language(language_code, self.services.default_language)


def _load_state(stored: dict[str, object]) -> State:
    try:
        return State.model_validate(stored)
    except ValidationError:
        log.warning("unreadable conversation state, starting again from the menu")
        return State()
