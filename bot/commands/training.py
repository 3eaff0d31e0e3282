"""`wijkstem tagger train`: learn from confirmed labels, and save the next model version."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.settings import Settings
from bot.wording import counted
from insights.evaluation import read_labelled
from insights.model import Example, model_files
from storage import Storage


async def confirmed_examples(settings: Settings) -> list[Example]:
    """Contributions whose pillars a worker set or the resident confirmed."""
    storage = await Storage.open(settings.db)
    try:
        return [
            Example(c.text, frozenset(c.final_pillars), c.kind)
            async for c in storage.contributions.iterate()
            if c.text and not c.hidden and ("worker" in c.pillars or c.confirmed_at)
        ]
    finally:
        await storage.close()


async def train_tagger(settings: Settings, files: list[Path]) -> int:
    """Train on the database's confirmed labels plus labelled JSONL files."""
    examples = await confirmed_examples(settings)
    from_database = len(examples)
    for path in files:
        try:
            items = read_labelled(path)
        except (OSError, ValueError) as error:
            print(f"wijkstem: cannot read {path}: {error}", file=sys.stderr)
            return 1
        examples += [Example(i["text"], frozenset(i["pillars"]), i.get("kind")) for i in items]
    # Here only: scikit-learn and scipy cost every process that loads them 80 MiB and a second.
    from insights.training import train

    existing = model_files(settings.models)
    model = train(examples, version=(existing[-1][0] + 1) if existing else 1)
    path = model.save(settings.models)
    print(
        f"trained model version {model.version} on {counted(len(examples), 'example')} "
        f"({from_database} confirmed in the database); pillars learnt: "
        f"{', '.join(model.pillars) or 'none (too few examples: the lexicon decides)'}; "
        f"kinds learnt: {', '.join(model.kinds) or 'none'}; saved to {path}"
    )
    return 0
