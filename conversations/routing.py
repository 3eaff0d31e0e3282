"""Routers: each feature declares its commands, keywords, steps and choices; the engine joins them.

As aiogram's `Router`: a flow module makes one, decorates its handlers with what they answer,
and `Routes` joins every router into the one table a turn is routed by.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from conversations.choices import ChoiceData, Unreadable, change, more
from conversations.matching import normalised, words_in
from conversations.messages import Command, Question, Reply
from conversations.turn import Turn
from locales import SOURCE_LANGUAGE

log = logging.getLogger(__name__)

Handler = Callable[[Turn], Awaitable[None]]
ChoiceHandler = Callable[[Turn, Any], Awaitable[None]]
Asker = Callable[[Turn], Awaitable[list[Reply]]]
# Takes typed words at the idle step before they become a new message; True when it took them.
Taker = Callable[[Turn], Awaitable[bool]]

EVERYONE = ("resident", "worker", "team")


@dataclass(frozen=True)
class CommandRoute:
    """A command, who sees it in the menu and help, and its handler."""

    command: Command
    shown_to: tuple[str, ...]
    handler: Handler


@dataclass(frozen=True)
class ChoiceRoute:
    """A kind of button data, the steps where it counts (None: any), and its handler."""

    data: type[ChoiceData]
    steps: frozenset[str] | None
    handler: ChoiceHandler


@dataclass(frozen=True)
class StepRoute:
    """A step: how its question is asked, and who takes typed words there (None: sharing)."""

    ask: Asker
    text: Handler | None


class Router:
    """One feature's part of the conversation."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: list[CommandRoute] = []
        self.choices: list[ChoiceRoute] = []
        self.askers: dict[str, Asker] = {}
        self.texts: dict[str, Handler] = {}
        self.anytime: list[Asker] = []
        self.before_sharing: list[Taker] = []

    def command(
        self, name: str, description: str, words: str = "", shown_to: tuple[str, ...] = EVERYONE
    ) -> Callable[[Handler], Handler]:
        """Handle `/name` and its typed words (a comma-separated list to translate)."""

        def register(handler: Handler) -> Handler:
            self.commands.append(
                CommandRoute(Command(name, description, words), shown_to, handler)
            )
            return handler

        return register

    def choice(
        self, data: type[ChoiceData], steps: Iterable[str] | None = None
    ) -> Callable[[ChoiceHandler], ChoiceHandler]:
        """Handle button data of one kind, at `steps` only when given."""

        def register(handler: ChoiceHandler) -> ChoiceHandler:
            allowed = frozenset(steps) if steps is not None else None
            self.choices.append(ChoiceRoute(data, allowed, handler))
            return handler

        return register

    def asks(self, *steps: str) -> Callable[[Asker], Asker]:
        """How the question of each of `steps` is asked (again)."""

        def register(asker: Asker) -> Asker:
            for step in steps:
                self.askers[step] = asker
            return asker

        return register

    def answers_anytime(self, asker: Asker) -> Asker:
        """Questions a typed word may answer at any step (such as the latest invitation)."""
        self.anytime.append(asker)
        return asker

    def takes_before_sharing(self, taker: Taker) -> Taker:
        """Typed words at the idle step that this feature may take (such as an answer to a
        worker) before they become a new message."""
        self.before_sharing.append(taker)
        return taker

    def text(self, *steps: str) -> Callable[[Handler], Handler]:
        """Who takes typed words (and photos, voice notes) at `steps`."""

        def register(handler: Handler) -> Handler:
            for step in steps:
                self.texts[step] = handler
            return handler

        return register


class Routes:
    """Every router joined: what the engine routes by."""

    def __init__(
        self, routers: Iterable[Router], order: tuple[str, ...] = (), idle: str = "idle"
    ) -> None:
        self.routers = tuple(routers)
        self.order = order
        self.idle = idle
        self.commands = {r.command.name: r for router in self.routers for r in router.commands}
        self.choices = {r.data.prefix: r for router in self.routers for r in router.choices}
        self.steps = {
            step: StepRoute(asker, _first(router.texts.get(step) for router in self.routers))
            for router in self.routers
            for step, asker in router.askers.items()
        }
        if len(self.choices) != sum(len(router.choices) for router in self.routers):
            raise ValueError("two routers claim the same button data prefix")

    def listed(self, role: str) -> list[Command]:
        """The commands someone with `role` sees in the menu and in help."""
        listed = [r.command for r in self.commands.values() if role in r.shown_to]
        return sorted(
            listed, key=lambda c: self.order.index(c.name) if c.name in self.order else 99
        )

    def keyword(self, text: str, lang: str) -> CommandRoute | None:
        """The command a typed word names (`help`, "mijn berichten"), in `lang` or English."""
        typed = normalised(text)
        if not typed:
            return None
        for route in self.commands.values():
            if typed == route.command.name:
                return route
            if route.command.words and typed in words_in(
                route.command.words, lang, SOURCE_LANGUAGE
            ):
                return route
        return None

    def data(self, packed: str) -> tuple[ChoiceRoute, ChoiceData] | None:
        """The route and unpacked data of a button's data; None when it is not ours."""
        route = self.choices.get(packed.partition(":")[0])
        if route is None:
            return None
        try:
            return route, route.data.unpack(packed)
        except Unreadable:
            log.info("unreadable button data for %s", route.data.prefix)
            return None

    async def questions(self, turn: Turn) -> list[Reply]:
        """The replies that ask the question of the step the turn is at (the menu when idle)."""
        route = self.steps.get(turn.state.step)
        replies = await route.ask(turn) if route else []
        if not replies:
            turn.state.clear()
            replies = await self.steps[self.idle].ask(turn)
        return replies

    async def question(self, turn: Turn) -> Question | None:
        """Every choice the step the turn is at offers, without asking (for typed answers)."""
        route = self.steps.get(turn.state.step)
        replies = await route.ask(turn) if route else []
        for router in self.routers:
            for asker in router.anytime:
                replies += await asker(turn)
        choices = tuple(choice for reply in replies for choice in reply.choices)
        # What a channel adds to a long or multi-select question may be typed too.
        return Question((*choices, change(), more(1))) if choices else None

    async def taken_before_sharing(self, turn: Turn) -> bool:
        """Whether a feature took the idle resident's typed words before they are shared."""
        if turn.state.step != self.idle or turn.event.kind != "text":
            return False
        for router in self.routers:
            for taker in router.before_sharing:
                if await taker(turn):
                    return True
        return False

    def takes_text(self, step: str) -> Handler | None:
        """Who takes typed words at `step`, when the step is not about sharing."""
        route = self.steps.get(step)
        return route.text if route else None


def _first(handlers: Iterable[Handler | None]) -> Handler | None:
    return next((h for h in handlers if h is not None), None)
