"""`wijkstem export`: every contribution, without anything that identifies a resident."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.settings import Settings
from insights.export import jsonl_lines
from storage import Storage


async def export(settings: Settings, out: Path | None) -> int:
    """Write every contribution as JSON lines: to stdout, or to a file written whole or not."""
    storage = await Storage.open(settings.database, settings.keys)
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
