"""`wijkstem tagger train`: learn from confirmed labels, and save the next model version.

With `--if-better` (as the bot's nightly run does), one confirmed label in five is kept out of
training, and the new model is saved only when the bot tags those better with it than with the
model it has now (or with the lexicons alone, before the first): a higher macro-F1 over the
pillars, and kinds right no less often.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bot.services import analyser
from bot.settings import Settings
from bot.wording import counted
from insights.analysis import Analyser
from insights.evaluation import evaluate, read_labelled
from insights.model import Example, TaggerModel, model_files
from storage import Storage

# Confirmed labels whose contribution id leaves this remainder are kept out to check a model.
CHECKED_EVERY = 5
CHECKED = CHECKED_EVERY - 1


async def confirmed_examples(settings: Settings) -> list[tuple[int, Example]]:
    """Contributions whose pillars a worker set or the resident confirmed, by id."""
    storage = await Storage.open(settings.database, settings.keys)
    try:
        return [
            (c.id, Example(c.text, frozenset(c.final_pillars), c.kind))
            async for c in storage.contributions.iterate()
            if c.text and not c.hidden and ("worker" in c.pillars or c.confirmed_at)
        ]
    finally:
        await storage.close()


async def train_tagger(settings: Settings, files: list[Path], if_better: bool = False) -> int:
    """Train on the database's confirmed labels plus labelled JSONL files."""
    confirmed = await confirmed_examples(settings)
    checking = [e for i, e in confirmed if if_better and i % CHECKED_EVERY == CHECKED]
    examples = [e for i, e in confirmed if not (if_better and i % CHECKED_EVERY == CHECKED)]
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
    learnt = (
        f"on {counted(len(examples), 'example')} ({from_database} confirmed in the database);"
        f" pillars learnt: {', '.join(model.pillars) or 'none (too few examples)'};"
        f" kinds learnt: {', '.join(model.kinds) or 'none'}"
    )
    if if_better:
        analysing = analyser(settings)
        before, after = _scored(analysing, checking), _scored(analysing, checking, model)
        compared = (
            f"on {counted(len(checking), 'confirmed label')} kept out: macro-F1 new"
            f" {after[0]:.3f}, now {before[0]:.3f}; kinds right new {after[1]:.3f},"
            f" now {before[1]:.3f}"
        )
        if not checking or after[0] <= before[0] or after[1] < before[1]:
            print(f"kept the model in use: a new one trained {learnt} is not better ({compared})")
            return 0
        learnt += f"; better ({compared})"
    path = model.save(settings.models)
    print(f"trained model version {model.version} {learnt}; saved to {path}")
    return 0


def _scored(
    analysing: Analyser, examples: list[Example], model: TaggerModel | None = None
) -> tuple[float, float]:
    """Macro-F1 of the bot's pillars and the share of kinds right on `examples`, with `model`
    (default: the one it has)."""
    if model is not None:
        analysing.model = model

    def tag(item: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
        analysis = analysing.analyse(str(item["text"]))
        return analysis.tagging.pillars, analysis.kind

    items = [{"text": e.text, "pillars": sorted(e.pillars), "kind": e.kind} for e in examples]
    evaluation = evaluate(items, tag)
    return evaluation.macro_f1, evaluation.kind_right or 0.0
