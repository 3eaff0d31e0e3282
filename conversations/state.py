"""Where a resident is in a conversation; stored with the resident, so a restart continues."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, model_validator

# The question a worker is at while making an event or announcement.
EventQuestion = Literal[
    "title",
    "description",
    "when",
    "place",
    "hoods",
    "pillars",
    "capacity",
    "languages",
    "title_in",
    "text_in",
]


class State(BaseModel):
    """The step a resident is at (a step some router asks) and what the step needs to go on."""

    step: str = "idle"
    kind: str | None = None
    text: str = ""
    media_kind: str | None = None
    media_ref: str | None = None
    transcribed: bool = False
    message_id: str | None = None
    contribution_id: int | None = None
    pillars: list[str] = []
    concepts: list[str] = []
    event_id: int | None = None
    asking: EventQuestion | None = None
    asking_in: str | None = None
    offered: str | None = None
    # What a worker wrote at the end of a message's path, by language.
    outcomes: dict[str, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _split_old_asking(cls, stored: Any) -> Any:
        """A state stored before questions were typed said `title_in:ar` in one string."""
        if isinstance(stored, dict) and ":" in str(stored.get("asking") or ""):
            asking, _sep, lang = stored["asking"].partition(":")
            stored = stored | {"asking": asking, "asking_in": lang}
        return stored

    def clear(self) -> None:
        """Back to idle, forgetting the step's details."""
        for name, value in State().model_dump().items():
            setattr(self, name, value)
