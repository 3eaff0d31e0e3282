"""`wijkstem demo-data`: fill the database with marked demo input to try the reports."""

from __future__ import annotations

import sys

from rich.progress import Progress

from bot.services import analyser
from bot.settings import Settings
from bot.wording import counted
from insights.demo import fill
from storage import Storage


async def demo_data(settings: Settings, residents: int, contributions: int, days: int) -> int:
    """Add demo residents and contributions (channel `demo`, never real people)."""
    if residents < 1 or contributions < 0 or days < 1:
        print("wijkstem: --residents and --days must be at least 1", file=sys.stderr)
        return 2
    storage = await Storage.open(settings.database, settings.keys)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("adding demo contributions", total=contributions)
            await fill(
                storage,
                analyser(settings),
                residents,
                contributions,
                days,
                progress=lambda n: progress.advance(task, n),
            )
    finally:
        await storage.close()
    print(
        f"added {counted(residents, 'demo resident')} and"
        f" {counted(contributions, 'demo contribution')} "
        f"(channel 'demo') to {storage.location}"
    )
    return 0
