"""Where a resident is in a conversation; stored with the resident, so a restart continues."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Step = Literal[
    "idle",
    "neighbourhood",
    "invitations",
    "words",
    "draft",
    "pillars",
    "quote",
    "contact",
    "forget",
    "review",
    "event",
    "audience",
    "link",
    "attendance",
]


class State(BaseModel):
    """The step a resident is at and what the step needs to continue."""

    step: Step = "idle"
    kind: str | None = None
    text: str = ""
    media_kind: str | None = None
    media_ref: str | None = None
    message_id: str | None = None
    contribution_id: int | None = None
    pillars: list[str] = []
    concepts: list[str] = []
    event_id: int | None = None
    asking: str | None = None

    def clear(self) -> None:
        """Back to idle, forgetting the step's details."""
        for name, value in State().model_dump().items():
            setattr(self, name, value)
