"""Where the shared evaluation data lives, and reading it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV_VAR = "WIJKSTEM_SHARED_DATA"
# The shared folder sits beside the checkout: /work/shared next to /work/main.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def data_dir() -> Path:
    """The shared data folder: $WIJKSTEM_SHARED_DATA, else `shared/data` beside the checkout."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else DEFAULT_DATA_DIR


def read_lines(path: Path, limit: int) -> list[str]:
    """The first `limit` non-empty lines of a text file, stripped."""
    lines: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(lines) == limit:
                break
            if text := line.strip():
                lines.append(text)
    return lines


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every JSON object of a file with one object a line."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def skipped(section: str, path: Path) -> str:
    """The line printed instead of a section whose data is missing."""
    return f"skipped {section}: {path} not found (set {ENV_VAR} to the shared data folder)"
