"""The starter model: trained on the project's labelled messages, used until a deployment has
trained a model of its own from what its residents and workers confirmed.

Rebuild it (scikit-learn needed) with
`python -m insights.starter ../shared/data/pillars-dev.jsonl benchmarks/data/pillars-tuning.jsonl`;
the held-out set (`benchmarks/data/pillars-heldout.jsonl`) is never trained on.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

STARTER_VERSION = 0
STARTER = resources.files("insights") / "starter-tagger.npz"


def main(paths: list[str]) -> None:
    """Train the starter model on labelled JSONL files and write it into this package."""
    from insights.evaluation import read_labelled
    from insights.model import Example
    from insights.training import train

    items = [item for path in paths for item in read_labelled(Path(path))]
    examples = [Example(i["text"], frozenset(i["pillars"]), i.get("kind")) for i in items]
    model = train(examples, version=STARTER_VERSION)
    written = model.save(Path(str(STARTER)).parent)
    written.replace(str(STARTER))
    print(f"starter model trained on {len(examples)} examples, written to {STARTER}")


if __name__ == "__main__":
    main(sys.argv[1:])
