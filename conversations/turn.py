"""One turn of a conversation: the inbound event, who sent it, and what the flows may use."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from conversations.messages import Document, Inbound, Question, Reply
from conversations.state import State
from insights.analysis import Analyser
from insights.report.reach import Inhabitants
from insights.transcription import Transcriber
from insights.translation import Translator
from locales import _
from storage import Storage
from storage.residents import Resident

if TYPE_CHECKING:
    from conversations.routing import Routes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What every flow may use: storage, the insights, and the programme's settings."""

    storage: Storage
    analyser: Analyser
    neighbourhoods: tuple[str, ...]
    default_language: str
    roles: Mapping[str, str] = field(default_factory=dict)
    translator: Translator | None = None
    transcriber: Transcriber | None = None
    inhabitants: Inhabitants = field(default_factory=Inhabitants)

    def role_of(self, person: str, joined: str = "resident") -> str:
        """A person's role (`telegram:123`): as the settings list it, else joined with a code."""
        return self.roles.get(person, joined)


@dataclass
class Turn:
    """The inbound event with the consenting resident and their conversation state."""

    event: Inbound
    resident: Resident
    services: Services
    state: State
    routes: Routes
    forgotten: bool = False
    replies: list[Reply] = field(default_factory=list)

    @property
    def storage(self) -> Storage:
        """Shortcut to the stores."""
        return self.services.storage

    def say(
        self,
        text: str,
        question: Question | None = None,
        replace: bool = False,
        short: str = "",
        documents: tuple[Document, ...] = (),
    ) -> None:
        """Add a reply, maybe with a question (and files to send along)."""
        self.replies.append(Reply(text, question, replace, short, documents=documents))

    async def ask(self) -> None:
        """Ask the question of the step the resident is at (the main menu when idle)."""
        self.replies += await self.routes.questions(self)

    async def stale(self) -> None:
        """A button from an earlier question: say so and ask the current question again."""
        log.info("stale or unknown choice at step %s", self.state.step)
        self.say(_("That button is no longer active. Here is where we are:"))
        await self.ask()
