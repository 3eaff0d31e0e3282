"""`python -m benchmarks`: print speed and quality figures; never asserts anything."""

from __future__ import annotations

import argparse
import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from time import perf_counter

from benchmarks import (
    invitations,
    language,
    pillars,
    processes,
    reports,
    sealing,
    updates,
    webhooks,
    whatsapp,
)
from benchmarks.datasets import ENV_VAR, data_dir

SECTIONS = (
    "language",
    "pillars",
    "reports",
    "scale",
    "invitations",
    "updates",
    "whatsapp",
    "processes",
    "webhooks",
    "sealing",
)
DEFAULT_LINES = 300  # per language per set: a couple of minutes on two cores


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m benchmarks`."""
    result = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=f"Print speed and quality figures. Data: shared/data beside the checkout, "
        f"or ${ENV_VAR}.",
    )
    result.add_argument(
        "--lines",
        type=_positive,
        default=DEFAULT_LINES,
        help=f"lines per language per langid set (default {DEFAULT_LINES})",
    )
    result.add_argument("--only", choices=SECTIONS, help="run one section only")
    result.add_argument(
        "--contributions",
        type=_positive,
        default=reports.DEFAULT_CONTRIBUTIONS,
        help=f"contributions in the report benchmark (default {reports.DEFAULT_CONTRIBUTIONS:,})",
    )
    result.add_argument(
        "--recipients",
        type=_positive,
        default=invitations.DEFAULT_RECIPIENTS,
        help=f"residents invited in the sending benchmark (default"
        f" {invitations.DEFAULT_RECIPIENTS:,})",
    )
    return result


def main(argv: list[str] | None = None) -> None:
    """Run the chosen benchmark sections and print their figures."""
    args = parser().parse_args(argv)
    # Figures appear as each section finishes, also when piped to a file.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    data = data_dir()
    started = perf_counter()
    print(
        f"Wijkstem benchmarks: Python {platform.python_version()}, "
        f"lingua {_version('lingua-language-detector')}, langdetect {_version('langdetect')}, "
        f"{os.cpu_count()} CPUs, data {data}"
    )
    if args.only in (None, "language"):
        print()
        language.run(data, args.lines)
    if args.only in (None, "pillars"):
        print()
        pillars.run(data)
    if args.only in (None, "reports"):
        print()
        reports.run(args.contributions)
    if args.only in (None, "scale"):
        print()
        reports.run_scale()
    if args.only in (None, "invitations"):
        print()
        invitations.run(args.recipients)
    if args.only in (None, "whatsapp"):
        print()
        whatsapp.run()
    if args.only in (None, "updates"):
        print()
        updates.run()
    if args.only in (None, "processes"):
        print()
        processes.run()
    if args.only in (None, "webhooks"):
        print()
        webhooks.run()
    if args.only in (None, "sealing"):
        print()
        sealing.run()
    print(f"\ntotal {perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
