"""The `wijkstem` command (also `python -m bot`): run, chat, tag, export, report, and more."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.commands import (
    delivering,
    demo,
    evaluating,
    exporting,
    reporting,
    running,
    tagging,
    training,
)
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings, misspelt_settings
from insights.report.output import FORMATS
from storage.database import DatabaseUnavailable


def parser() -> argparse.ArgumentParser:
    """The command line, with help for every subcommand."""
    main = argparse.ArgumentParser(
        prog="wijkstem", description="Wijkstem: the neighbourhood voice chat bot."
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="start the bot: Telegram with a token, else the console chat")
    commands.add_parser("chat", help="chat with the bot in this terminal")
    commands.add_parser(
        "check", help="open the database and say whether all is well (healthcheck)"
    )
    commands.add_parser(
        "send", help="send what the outbox holds (invitations, reminders), then stop"
    )
    commands.add_parser("tag", help="tag texts from stdin (one a line, or JSON lines with text)")
    export = commands.add_parser("export", help="write every contribution, without personal ids")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("--out", type=Path, help="file to write (default: stdout)")
    evaluate = commands.add_parser("eval", help="measure the tagger on labelled messages")
    evaluate.add_argument("what", choices=["pillars"])
    evaluate.add_argument("file", type=Path, help="JSON lines with text, lang and pillars")
    evaluate.add_argument("--misses", type=int, default=10, help="how many misses to show")
    report = commands.add_parser("report", help="the dialogue session pack: html, xlsx, csv, json")
    report.add_argument("--format", choices=FORMATS, default="html")
    report.add_argument("--out", type=Path, help="file to write (default: a dated name here)")
    report.add_argument("--neighbourhood", help="only this neighbourhood")
    report.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days ago)")
    report.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")
    report.add_argument("--lang", help="report language (default: WIJKSTEM_DEFAULT_LANGUAGE)")
    demo_data = commands.add_parser("demo-data", help="fill the database with marked demo input")
    demo_data.add_argument("--residents", type=int, default=200)
    demo_data.add_argument("--contributions", type=int, default=1000)
    demo_data.add_argument("--days", type=int, default=90, help="spread over this many days")
    tagger = commands.add_parser("tagger", help="train the tagger's model")
    tagger.add_argument("action", choices=["train"])
    tagger.add_argument(
        "--jsonl", type=Path, action="append", default=[], help="also learn from this file"
    )
    tagger.add_argument(
        "--if-better",
        action="store_true",
        help="keep one confirmed label in five out, and save the new model only if it tags"
        " those better than the model in use",
    )
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    for warning in misspelt_settings(os.environ):
        print(warning, file=sys.stderr)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"wijkstem: {error}", file=sys.stderr)
        return 2
    secrets = [
        secret.get_secret_value()
        for secret in (
            settings.telegram_token,
            settings.whatsapp_token,
            settings.whatsapp_app_secret,
            settings.whatsapp_verify_token,
        )
        if secret is not None
    ]
    # The console chat shares the terminal with the log: only warnings may interrupt it.
    channels = settings.telegram_token is not None or settings.whatsapp
    serving = args.command == "send" or (args.command == "run" and channels)
    configure_logging(settings.log_level if serving else "WARNING", secrets)
    try:
        return _dispatch(args, settings)
    except DatabaseUnavailable as error:
        print(f"wijkstem: {error}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen subcommand."""
    if args.command == "run" and (settings.telegram_token is not None or settings.whatsapp):
        return asyncio.run(running.run_channels(settings))
    if args.command == "run" and not sys.stdin.isatty():
        # A container or service without a token: the console chat would greet nobody and stop.
        print(
            "wijkstem: no channel is configured: set WIJKSTEM_TELEGRAM_TOKEN or the"
            " WIJKSTEM_WHATSAPP_ settings (or start it in a terminal for the console chat)",
            file=sys.stderr,
        )
        return 2
    if args.command == "check":
        return asyncio.run(running.check(settings))
    if args.command in ("run", "chat"):
        return asyncio.run(running.run_console(settings))
    if args.command == "send":
        return asyncio.run(delivering.send(settings))
    if args.command == "tag":
        return tagging.tag(settings, sys.stdin, sys.stdout)
    if args.command == "eval":
        return evaluating.evaluate_pillars(settings, args.file, args.misses)
    if args.command == "tagger":
        return asyncio.run(training.train_tagger(settings, args.jsonl, args.if_better))
    if args.command == "report":
        return asyncio.run(
            reporting.report(
                settings,
                args.format,
                args.out,
                args.neighbourhood,
                args.since,
                args.until,
                args.lang or settings.default_language,
            )
        )
    if args.command == "demo-data":
        return asyncio.run(demo.demo_data(settings, args.residents, args.contributions, args.days))
    return asyncio.run(exporting.export(settings, args.out))
