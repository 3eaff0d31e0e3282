"""A fake channel for dialogue tests: a person sends, taps and reads, as in a transcript."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.engine import Conversation
from conversations.messages import Choice, Inbound, Reply, parse_command

CHANNEL = "test"


@dataclass(frozen=True)
class Tap:
    """Tapping a choice of the latest replies: by what it says (label or short label).

    Button data works too, for data a person cannot see, such as a forged or stale button.
    """

    data: str


class Chat:
    """One person in a chat with the conversation; keeps the buttons last shown."""

    def __init__(self, conversation: Conversation, user_id: str, language_code: str | None):
        self.conversation = conversation
        self.user_id = user_id
        self.language_code = language_code
        self.buttons: list[Choice | str] = []
        self.transcript: list[str] = []

    async def send(self, said: str | Tap, **extra: object) -> str:
        """Send text, a /command or a tap; return the replies' text joined."""
        event = self._event(said, **extra)
        replies = await self.conversation.handle(event)
        shown: list[Choice | str] = [choice for reply in replies for choice in reply.choices]
        if shown:
            self.buttons = shown
        text = render(replies)
        self.transcript += [f"> {said}", text]
        return text

    def _event(self, said: str | Tap, **extra: object) -> Inbound:
        fields: dict[str, object] = {
            "channel": CHANNEL,
            "user_id": self.user_id,
            "language_code": self.language_code,
        }
        if isinstance(said, Tap):
            fields |= {"kind": "choice", "choice": self.tapped(said)}
        elif said.startswith("/"):
            command, arguments = parse_command(said)
            fields |= {"kind": "command", "command": command, "text": arguments}
        else:
            fields |= {"kind": "text", "text": said}
        return Inbound(**(fields | extra))  # type: ignore[arg-type]

    def tapped(self, tap: Tap) -> str:
        """The data of the choice a tap names, by its label, short label or data."""
        for choice in self.buttons:
            if isinstance(choice, Choice) and tap.data in (
                choice.label,
                choice.short,
                choice.data,
            ):
                return choice.data
        if ":" in tap.data and " " not in tap.data:
            return tap.data  # data no choice shows: a stale or forged button
        shown = [c.label for c in self.buttons if isinstance(c, Choice)]
        raise AssertionError(f"no choice {tap.data!r} among {shown}")

    async def dialog(self, steps: list[tuple[str | Tap, str | tuple[str, ...]]]) -> None:
        """Play a transcript: each step is what is said and what the answer must contain."""
        for said, expected in steps:
            answer = await self.send(said)
            for part in (expected,) if isinstance(expected, str) else expected:
                assert part in answer, (
                    f"after {said!r} expected {part!r} in:\n{answer}\n\n"
                    + "\n".join(self.transcript)
                )

    async def onboard(
        self, lang: str = "en", neighbourhood: str = "pottenberg", invitations: bool = False
    ) -> None:
        """Go through onboarding: language, consent, neighbourhood, invitations."""
        await self.send("/start")
        await self.send(Tap(f"lang:{lang}"))
        await self.send(Tap(f"consent:{lang}:yes"))
        await self.send(Tap(f"hood:{neighbourhood}"))
        await self.send(Tap("invite:yes" if invitations else "invite:no"))


def render(replies: list[Reply]) -> str:
    """Replies as a person reads them: texts, then button labels in brackets."""
    lines = []
    for reply in replies:
        lines.append(reply.text)
        if reply.question:
            lines += ["  ".join(f"[{c.label}]" for c in row) for row in reply.question.laid_out()]
    return "\n".join(lines)
