"""What every worker flow about one event shares: the event at hand, and stopping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.labels import NOT_SAID, neighbourhood_label
from conversations.messages import Choice
from conversations.routing import Router
from conversations.turn import Turn
from locales import S_, _
from storage.events import Event

router = Router("event work")

# The steps of a worker busy with one event; the stop choice counts at each.
WORKER_STEPS = ("event", "audience", "link", "attendance")


@dataclass(frozen=True)
class Work(ChoiceData):
    """Stop making or following up an event."""

    prefix: ClassVar[str] = "work"
    action: str = "stop"


def stop_choice() -> Choice:
    """A choice to stop what the worker is doing."""
    return Work().choice(_("✖ Stop"), _(S_("✖ Stop")))


def place_options(neighbourhoods: tuple[str, ...]) -> dict[str, str]:
    """The programme's neighbourhoods and 'rather not say', by name."""
    return {name: neighbourhood_label(name) for name in (*neighbourhoods, NOT_SAID)}


async def event_at_hand(turn: Turn, status: str) -> Event | None:
    """The event the worker is busy with while it is `status`; else say so and return None."""
    event = await turn.storage.events.get(turn.state.event_id or 0)
    if event is None or event.status != status:
        turn.state.clear()
        await turn.stale()
        return None
    return event


@router.choice(Work, steps=WORKER_STEPS)
async def stop(turn: Turn, _chosen: Work) -> None:
    """Stop making or following up an event; a draft is left unsent."""
    turn.state.clear()
    turn.say(_("Stopped. Nothing was sent."), replace=True)
    await turn.ask()
