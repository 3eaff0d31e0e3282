"""The `wijkstem` command (also `python -m bot`): run, chat, tag, export."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.logs import configure_logging
from bot.services import open_conversation
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("wijkstem")


def parser() -> argparse.ArgumentParser:
    """The command line, with help for every subcommand."""
    main = argparse.ArgumentParser(
        prog="wijkstem", description="Wijkstem: the neighbourhood voice chat bot."
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="start the bot: Telegram with a token, else the console chat")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    commands.add_parser("tag", help="tag texts from stdin (one a line, or JSON lines with text)")
    export = commands.add_parser("export", help="write every contribution, without personal ids")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("--out", type=Path, help="file to write (default: stdout)")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"wijkstem: {error}", file=sys.stderr)
        return 2
    secrets = [settings.telegram_token.get_secret_value()] if settings.telegram_token else []
    configure_logging(settings.log_level if args.command == "run" else "WARNING", secrets)
    if args.command == "run" and settings.telegram_token is not None:
        return asyncio.run(run_telegram(settings))
    if args.command in ("run", "chat"):
        return asyncio.run(run_console(settings))
    if args.command == "tag":
        return tag(settings, sys.stdin, sys.stdout)
    return asyncio.run(export(settings, args.out))


async def run_telegram(settings: Settings) -> int:
    """Long-poll Telegram until SIGINT or SIGTERM."""
    from telegram.error import InvalidToken, NetworkError

    from bot.channels.telegram import TelegramChannel

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with open_conversation(settings) as conversation:
        try:
            await TelegramChannel(settings, conversation).run_until(stop)
        except InvalidToken:
            print(
                "wijkstem: setting WIJKSTEM_TELEGRAM_TOKEN was refused by Telegram",
                file=sys.stderr,
            )
            return 2
        except NetworkError as error:
            print(
                f"wijkstem: cannot reach the Bot API at {settings.telegram_api_url}: {error}",
                file=sys.stderr,
            )
            return 1
    return 0


async def run_console(settings: Settings) -> int:
    """Chat in this terminal on the configured database."""
    from bot.channels.console import ConsoleChannel

    async with open_conversation(settings) as conversation:
        await ConsoleChannel(conversation, sys.stdin, sys.stdout).run()
    return 0


def tag(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Detect the language and pillars of each input line; write one JSON line each."""
    from insights.language import make_detector
    from insights.pillars import PillarTagger

    detector = make_detector(settings.language_detector)
    tagger = PillarTagger.load()
    for number, line in enumerate(stdin, start=1):
        line = line.strip()
        if not line:
            continue
        text = line
        if line.startswith("{"):
            try:
                text = str(json.loads(line)["text"])
            except (ValueError, KeyError, TypeError):
                print(f"wijkstem: line {number} is not JSON with a text field", file=sys.stderr)
                return 1
        lang = detector.detect(text).lang
        tagging = tagger.tag(
            text,
            list(dict.fromkeys([lang or settings.default_language, settings.default_language])),
        )
        result = {
            "text": text,
            "lang": lang,
            "pillars": list(tagging.pillars),
            "scores": {p: round(tagging.scores[p], 3) for p in tagging.pillars},
            "matched": {p: tagging.matched.get(p, []) for p in tagging.pillars},
        }
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


async def export(settings: Settings, out: Path | None) -> int:
    """Write every contribution as JSON lines: to stdout, or to a file written whole or not."""
    from insights.export import jsonl_lines
    from storage import Storage

    storage = await Storage.open(settings.db)
    try:
        if out is None:
            async for line in jsonl_lines(storage):
                sys.stdout.write(line)
            return 0
        partial = out.with_name(out.name + ".part")
        with partial.open("w", encoding="utf-8") as file:
            async for line in jsonl_lines(storage):
                file.write(line)
        partial.replace(out)
        return 0
    finally:
        await storage.close()
