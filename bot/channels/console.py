"""The console channel: the same conversations in a terminal, to try Wijkstem without a token."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, TextIO

from bot.channels.layout import CONSOLE, Button, lay_out
from bot.sending import Pace, Sender
from conversations.engine import Conversation
from conversations.messages import Inbound, Reply, parse_command
from locales import _, best_language, use
from storage.outbox import Due

CHANNEL = "console"
REPORTS = Path("var/reports")
# The one person at this terminal: `console:local`, which WIJKSTEM_WORKERS may name.
USER_ID = "local"
NO_SUCH_BUTTON = "console:none"


# Messages the outbox holds for the terminal go out at once, after each answer.
PACE = Pace(per_second=1000, per_chat_interval=0.0, first_retry=0.0)


class ConsoleChannel:
    """Reads lines from a terminal: a number taps a button, `/word` is a command, else text."""

    def __init__(
        self, conversation: Conversation, stdin: TextIO, stdout: TextIO, user_id: str = USER_ID
    ) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.user_id = user_id
        self.language_code = os.environ.get("LANG", "").split(".")[0] or None
        self.buttons: list[Button] = []
        outbox = conversation.services.storage.outbox
        self.sender = Sender(outbox, _Printed(self), CHANNEL, PACE)

    async def run(self) -> None:
        """Chat until the input ends (Ctrl-D)."""
        lang = best_language(self.language_code, self.conversation.services.default_language)
        with use(lang):
            self.write(
                _(
                    "Wijkstem console chat. Type a number to tap a button, /help for the commands,"
                    " Ctrl-D to stop."
                )
            )
        await self.send(
            Inbound(
                CHANNEL, self.user_id, "command", command="start", language_code=self.language_code
            )
        )
        while line := await asyncio.to_thread(self.stdin.readline):
            event = self.to_inbound(line.strip())
            if event is not None:
                await self.send(event)

    def to_inbound(self, line: str) -> Inbound | None:
        """What a typed line means."""
        common: dict[str, Any] = {
            "channel": CHANNEL,
            "user_id": self.user_id,
            "language_code": self.language_code,
        }
        if not line:
            return None
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            return Inbound(kind="choice", choice=self.buttons[int(line) - 1].data, **common)
        if line.isdigit() and len(line) <= 2 and self.buttons:
            # A number meant as a button that is not there: the question is asked again.
            return Inbound(kind="choice", choice=NO_SUCH_BUTTON, **common)
        if line.startswith("/"):
            command, arguments = parse_command(line)
            return Inbound(kind="command", command=command, text=arguments, **common)
        return Inbound(kind="text", text=line, **common)

    async def send(self, event: Inbound) -> None:
        """Pass an event to the conversation, print the replies, then what the outbox holds
        for this terminal (invitations, news about a message), as a resident would get it."""
        self.render(await self.conversation.handle(event))
        await self.sender.drain(longest_wait=0.0)

    def render(self, replies: list[Reply]) -> None:
        """Print replies; choices are numbered, and only the newest ones can be tapped."""
        numbered: list[Button] = []
        for reply in replies:
            if reply.attachment is not None:
                self.write(f"[{reply.attachment.kind} {reply.attachment.ref}]")
            for shown in lay_out(reply, CONSOLE):
                self.write(shown.text)
                for row in shown.buttons:
                    labels = []
                    for button in row:
                        numbered.append(button)
                        labels.append(f"[{len(numbered)}] {button.label}")
                    self.write("   " + "   ".join(labels))
            for document in reply.documents:
                path = REPORTS / document.filename
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(document.content)
                self.write(f"[{path}]")
        if numbered:
            self.buttons = numbered
        self.write("")

    def write(self, text: str) -> None:
        """One block of output."""
        print(text, file=self.stdout, flush=True)


class _Printed:
    """The console's transport: a message from the outbox is printed like a reply."""

    def __init__(self, channel: ConsoleChannel) -> None:
        self.channel = channel

    async def send(self, chat_id: str, reply: Reply, row: Due) -> str | None:
        """Print the message."""
        self.channel.render([reply])
        return None
