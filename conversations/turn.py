"""One turn of a conversation: the inbound event, who sent it, and what the flows may use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from conversations.messages import Button, Document, Inbound, Reply
from conversations.state import State
from insights.analysis import Analyser
from storage import Storage
from storage.residents import Resident


@dataclass(frozen=True)
class Services:
    """What every flow may use: storage, the insights, and the programme's settings."""

    storage: Storage
    analyser: Analyser
    neighbourhoods: tuple[str, ...]
    default_language: str
    roles: Mapping[str, str] = field(default_factory=dict)

    def role_of(self, user_id: str, joined: str = "resident") -> str:
        """A user's role: as the settings list it, else the one they joined with a code."""
        return self.roles.get(user_id, joined)


@dataclass
class Turn:
    """The inbound event with the consenting resident and their conversation state."""

    event: Inbound
    resident: Resident
    services: Services
    state: State
    forgotten: bool = False
    replies: list[Reply] = field(default_factory=list)

    @property
    def storage(self) -> Storage:
        """Shortcut to the stores."""
        return self.services.storage

    def say(
        self,
        text: str,
        *rows: tuple[Button, ...],
        replace: bool = False,
        documents: tuple[Document, ...] = (),
    ) -> None:
        """Add a reply with rows of buttons (and files to send along)."""
        self.replies.append(Reply(text, tuple(rows), replace, documents=documents))
