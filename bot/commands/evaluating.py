"""`wijkstem eval pillars FILE`: how well the tagger does on labelled messages."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.services import analyser
from bot.settings import Settings
from bot.wording import counted
from insights.evaluation import evaluate, read_labelled, render
from insights.model import TaggerModel


def evaluate_pillars(settings: Settings, path: Path, misses: int) -> int:
    """Tag every labelled message as the bot would and print the figures and the bars."""
    try:
        items = read_labelled(path)
    except (OSError, ValueError) as error:
        print(f"wijkstem: cannot read {path}: {error}", file=sys.stderr)
        return 1
    analysing = analyser(settings)
    model = analysing.model
    print(
        f"{counted(len(items), 'labelled message')} from {path}; lexicons: "
        f"{' '.join(analysing.tagger.languages)}; model: "
        + (_described(model) if model else "none")
    )

    def tag(item: dict[str, object]) -> tuple[tuple[str, ...], str | None]:
        analysis = analysing.analyse(str(item["text"]))
        return analysis.tagging.pillars, analysis.kind

    evaluation = evaluate(items, tag)
    print(render(evaluation, misses))
    return 0


def _described(model: TaggerModel) -> str:
    """A model's version and examples; the starter one named as such."""
    trained = f"{model.examples} examples"
    if model.is_starter:
        return f"the starter model ({trained} of the project's labelled sets)"
    return f"version {model.version} ({trained})"
