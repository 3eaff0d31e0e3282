"""A fake channel for dialogue tests: a person sends, taps and reads, as in a transcript."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.engine import Conversation
from conversations.messages import Choice, Inbound, Question, Reply, parse_command
from locales import _, language_name, use

CHANNEL = "test"


@dataclass(frozen=True)
class Tap:
    """Tapping a choice of the latest replies by what it says: its label or short label."""

    label: str

    def __str__(self) -> str:
        return f"[{self.label}]"


@dataclass(frozen=True)
class Forged:
    """Sending button data that no shown choice carries: a stale, replayed or forged button."""

    data: str

    def __str__(self) -> str:
        return f"[forged {self.data}]"


class Chat:
    """One person in a chat with the conversation; keeps the choices last shown."""

    def __init__(self, conversation: Conversation, user_id: str, language_code: str | None):
        self.conversation = conversation
        self.user_id = user_id
        self.language_code = language_code
        self.buttons: list[Choice] = []
        self.transcript: list[str] = []

    async def send(self, said: str | Tap | Forged, **extra: object) -> str:
        """Send text, a /command, a tap or forged data; return the replies' text joined."""
        event = self._event(said, **extra)
        replies = await self.conversation.handle(event)
        shown = [choice for reply in replies for choice in reply.choices]
        if shown:
            self.buttons = shown
        text = render(replies)
        self.transcript += [f"> {said}", text]
        return text

    def receive(self, text: str, question: Question | None) -> None:
        """A message that reached the person another way (sent from the outbox)."""
        if question is not None and question.choices:
            self.buttons = list(question.choices)
        self.transcript.append(render([Reply(text, question)]))

    def _event(self, said: str | Tap | Forged, **extra: object) -> Inbound:
        fields: dict[str, object] = {
            "channel": CHANNEL,
            "user_id": self.user_id,
            "language_code": self.language_code,
        }
        if isinstance(said, Tap):
            fields |= {"kind": "choice", "choice": self.tapped(said)}
        elif isinstance(said, Forged):
            shown = [c.data for c in self.buttons]
            assert said.data not in shown, f"{said.data!r} is shown: tap it by its label"
            fields |= {"kind": "choice", "choice": said.data}
        elif said.startswith("/"):
            command, arguments = parse_command(said)
            fields |= {"kind": "command", "command": command, "text": arguments}
        else:
            fields |= {"kind": "text", "text": said}
        return Inbound(**(fields | extra))  # type: ignore[arg-type]

    def tapped(self, tap: Tap) -> str:
        """The data of the shown choice a tap names, by its label, else its short label."""
        named = [c for c in self.buttons if c.label == tap.label] or [
            c for c in self.buttons if c.short == tap.label
        ]
        data = {c.data for c in named}
        shown = [c.label for c in self.buttons]
        assert data, f"no choice {tap.label!r} among {shown}"
        assert len(data) == 1, f"more than one choice {tap.label!r} among {shown}"
        return data.pop()

    async def dialog(self, steps: list[tuple[str | Tap | Forged, str | tuple[str, ...]]]) -> None:
        """Play a transcript: each step is what is said and what the answer must contain."""
        for said, expected in steps:
            answer = await self.send(said)
            for part in (expected,) if isinstance(expected, str) else expected:
                assert part in answer, (
                    f"after {said!r} expected {part!r} in:\n{answer}\n\n"
                    + "\n".join(self.transcript)
                )

    async def onboard(
        self, lang: str = "en", neighbourhood: str = "Pottenberg", invitations: bool = False
    ) -> None:
        """Go through onboarding: language, consent, neighbourhood (as shown), invitations."""
        await self.send("/start")
        await self.send(Tap(language_name(lang)))
        with use(lang):
            agree = _("✅ Yes, I agree")
            invite = _("✅ Yes, invite me") if invitations else _("❌ No, thank you")
        await self.send(Tap(agree))
        await self.send(Tap(neighbourhood))
        await self.send(Tap(invite))


def render(replies: list[Reply]) -> str:
    """Replies as a person reads them: texts, then button labels in brackets."""
    lines = []
    for reply in replies:
        lines.append(reply.text)
        if reply.question:
            lines += ["  ".join(f"[{c.label}]" for c in row) for row in reply.question.laid_out()]
    return "\n".join(lines)
