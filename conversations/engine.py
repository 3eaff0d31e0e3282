"""The conversation: routes an inbound event to its flow and keeps the resident's state."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from pydantic import ValidationError

from conversations import (
    agenda,
    audience,
    invitations,
    joining,
    linking,
    menu,
    onboarding,
    planning,
    preferences,
    privacy,
    prompts,
    reporting,
    review,
    share,
)
from conversations.messages import Inbound, Reply, encode_replies
from conversations.state import State, Step
from conversations.turn import Services, Turn
from locales import _, best_language, use

log = logging.getLogger(__name__)

Handler = Callable[[Turn], Awaitable[None]]
ChoiceHandler = Callable[[Turn, str], Awaitable[None]]

COMMAND_FLOWS: dict[str, Handler] = {
    "start": menu.start,
    "help": menu.show_help,
    "mine": menu.mine,
    "language": onboarding.ask_language,
    "mydata": privacy.my_data,
    "forget": privacy.ask_forget,
    "cancel": menu.cancel,
    "review": review.start,
    "report": reporting.send_report,
    "invitecode": joining.ask_role,
    "join": joining.join,
    "roles": joining.list_roles,
    "settings": preferences.show,
    "newevent": planning.new_event,
    "broadcast": planning.broadcast,
    "events": agenda.show,
}

# What typed words (or a photo) mean at each step; anywhere else they are something to share.
TEXT_FLOWS: dict[str, Handler] = {
    "event": planning.receive,
    "link": linking.receive,
    "attendance": agenda.receive_attendance,
}


# Callback data is `name:value`; a choice only counts at the steps named here (None: any step).
CHOICE_FLOWS: dict[str, tuple[ChoiceHandler, frozenset[Step] | None]] = {
    "lang": (onboarding.choose_language, None),
    "consent": (onboarding.already_agreed, None),
    "hood": (onboarding.choose_neighbourhood, frozenset({"neighbourhood"})),
    "menu": (menu.choose, None),
    "kind": (share.choose_kind, None),
    "draft": (share.choose_draft_kind, frozenset({"draft"})),
    "pillar": (share.toggle_pillar, frozenset({"pillars"})),
    "pillars": (share.confirm_pillars, frozenset({"pillars"})),
    "quote": (share.answer_quote, frozenset({"quote"})),
    "contact": (share.answer_contact, frozenset({"contact"})),
    "forget": (privacy.answer_forget, frozenset({"forget"})),
    "rev": (review.choose, frozenset({"review"})),
    "code": (joining.make_code, None),
    "roles": (joining.revoke, None),
    "invite": (onboarding.choose_invitations, frozenset({"invitations"})),
    "set": (preferences.choose, None),
    "rsvp": (invitations.answer, None),
    "ev": (planning.choose, frozenset({"event"})),
    "aud": (audience.choose, frozenset({"audience"})),
    "agenda": (agenda.choose, None),
    "link": (linking.choose, frozenset({"link"})),
    "work": (planning.stop, frozenset(prompts.WORKER_STEPS)),
}


class Conversation:
    """Channel-agnostic: takes what a person did, returns what to say, stores what to keep."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle(self, event: Inbound, inbox_id: int | None = None) -> list[Reply]:
        """Answer one inbound event in one transaction; with its inbox row marked handled.

        The row, the resident's new state and everything the turn stored commit together, so
        an update is handled once: a crash before the commit leaves it to be handled again.
        """
        storage = self.services.storage
        async with storage.db.turn():
            replies = [reply.directed() for reply in await self._answer(event)]
            if inbox_id is not None:
                await storage.inbox.handled(inbox_id, encode_replies(replies))
        return replies

    async def _answer(self, event: Inbound) -> list[Reply]:
        storage = self.services.storage
        resident = await storage.residents.find(event.channel, event.user_id)
        if resident is None:
            return await onboarding.before_consent(self.services, event)
        # The settings name roles afresh each turn; only a role given by a code is stored.
        resident.role = self.services.role_of(event.user_id, resident.role)
        turn = Turn(event, resident, self.services, _load_state(resident.state))
        with use(resident.language):
            await _route(turn)
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

    def _language(self, language_code: str | None) -> str:
        return best_language(language_code, self.services.default_language)


def _load_state(stored: dict[str, object]) -> State:
    try:
        return State.model_validate(stored)
    except ValidationError:
        log.warning("unreadable conversation state, starting again from the menu")
        return State()


async def _route(turn: Turn) -> None:
    event = turn.event
    if event.kind == "command":
        await COMMAND_FLOWS.get(event.command, menu.unknown_command)(turn)
    elif event.kind == "choice":
        name, _sep, value = event.choice.partition(":")
        flow, steps = CHOICE_FLOWS.get(name, (None, None))
        if flow is None or (steps is not None and turn.state.step not in steps):
            log.info("stale or unknown choice %r at step %s", name[:20], turn.state.step)
            await prompts.stale(turn)
        else:
            await flow(turn, value)
    elif event.kind in ("text", "photo", "voice"):
        await TEXT_FLOWS.get(turn.state.step, share.receive)(turn)
    else:
        await menu.unsupported(turn)
