"""A statistical model over character n-grams, learnt from confirmed labels, beside the lexicon.

Character n-grams work across languages and scripts without a tokenizer. The model is stored
as plain arrays (numpy .npz, no pickle), one numbered file per training run: the newest wins.
Predicting needs numpy only; scikit-learn and scipy are loaded where a model is trained
(`insights.training`).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from insights.starter import STARTER, STARTER_VERSION
from insights.text import normalise

KINDS = ("concern", "idea", "initiative", "other")
FILE = re.compile(r"^tagger-(\d{4})\.npz$")
# Below these counts a pillar (or the kind) is left to the lexicon: too little to learn from.
MIN_EXAMPLES = 30
MIN_POSITIVES = 5


@dataclass(frozen=True)
class Example:
    """A labelled message: its text, its pillars, and its kind when known."""

    text: str
    pillars: frozenset[str]
    kind: str | None = None


N_FEATURES = 2**18
# A kind the model learnt is proposed only when more likely than all the others together.
KIND_SURE_AT = 0.5
SHORTEST_GRAM, LONGEST_GRAM = 2, 4


def ngrams(text: str) -> Iterator[str]:
    """The normalised words, each padded with spaces, cut into 2- to 4-letter pieces.

    The same pieces as scikit-learn's `char_wb` analyser, so models trained before keep working:
    a word shorter than a piece is counted once, whole.
    """
    for word in normalise(text).split():
        padded = f" {word} "
        for n in range(SHORTEST_GRAM, LONGEST_GRAM + 1):
            yield padded[:n]
            for offset in range(1, len(padded) - n + 1):
                yield padded[offset : offset + n]
            if len(padded) <= n:
                break


def features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The hashed n-gram columns of a text and their l2-normalised counts.

    A stable hash (crc32) keeps columns the same across processes; building the sparse row by
    hand is several times faster than a vectorizer's transform for one message at a time.
    """
    counts = Counter(zlib.crc32(gram.encode()) % N_FEATURES for gram in ngrams(text))
    columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
    norm = float(np.sqrt(values @ values)) or 1.0
    return columns, values / norm


@dataclass(frozen=True)
class Prediction:
    """What the model says of one text."""

    pillars: dict[str, float]
    kind: str | None


@dataclass
class TaggerModel:
    """Per-pillar and kind classifiers as weight arrays; `version` numbers the training run."""

    version: int
    trained_at: str
    examples: int
    pillars: tuple[str, ...]
    pillar_weights: np.ndarray  # (N_FEATURES, len(pillars)): one row per n-gram column
    pillar_bias: np.ndarray
    kinds: tuple[str, ...]
    kind_weights: np.ndarray  # (N_FEATURES, len(kinds)); no columns when kinds were not learnt
    kind_bias: np.ndarray

    @property
    def is_starter(self) -> bool:
        """Whether this is the starter model, trained on the project's sets, not the deployment's
        confirmed labels."""
        return self.version == STARTER_VERSION

    def predict(self, text: str) -> Prediction:
        """The probability of each pillar the model learnt, and the most likely kind when it is
        more likely than all the others together."""
        columns, values = features(text)
        probabilities: dict[str, float] = {}
        if self.pillars:
            logits = values @ self.pillar_weights[columns] + self.pillar_bias
            probabilities = dict(
                zip(self.pillars, (1.0 / (1.0 + np.exp(-logits))).tolist(), strict=True)
            )
        kind = None
        if self.kinds:
            kind_logits = values @ self.kind_weights[columns] + self.kind_bias
            chances = np.exp(kind_logits - kind_logits.max())
            best = int(np.argmax(chances))
            if chances[best] >= KIND_SURE_AT * chances.sum():
                kind = self.kinds[best]
        return Prediction(probabilities, kind)

    def save(self, folder: Path) -> Path:
        """Write the model as the next numbered file in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"tagger-{self.version:04d}.npz"
        np.savez_compressed(
            path,
            version=self.version,
            trained_at=self.trained_at,
            examples=self.examples,
            pillars=np.array(self.pillars, dtype=str),
            pillar_weights=self.pillar_weights,
            pillar_bias=self.pillar_bias,
            kinds=np.array(self.kinds, dtype=str),
            kind_weights=self.kind_weights,
            kind_bias=self.kind_bias,
        )
        return path

    @classmethod
    def load(cls, path: Path) -> TaggerModel:
        """Read a model file."""
        with np.load(path, allow_pickle=False) as data:
            return cls(
                version=int(data["version"]),
                trained_at=str(data["trained_at"]),
                examples=int(data["examples"]),
                pillars=tuple(str(p) for p in data["pillars"]),
                pillar_weights=data["pillar_weights"],
                pillar_bias=data["pillar_bias"],
                kinds=tuple(str(k) for k in data["kinds"]),
                kind_weights=data["kind_weights"],
                kind_bias=data["kind_bias"],
            )


def model_files(folder: Path) -> list[tuple[int, Path]]:
    """The model files in a folder, by version."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := FILE.match(p.name))]
    return sorted(found)


def load_newest(folder: Path) -> TaggerModel | None:
    """The newest model the deployment trained into `folder`, or None when it trained none."""
    files = model_files(folder)
    return TaggerModel.load(files[-1][1]) if files else None


def load_starter() -> TaggerModel | None:
    """The starter model shipped with Wijkstem (None only when its file is missing)."""
    path = Path(str(STARTER))
    return TaggerModel.load(path) if path.is_file() else None


def load_latest(folder: Path) -> TaggerModel | None:
    """The newest model in `folder`; before the deployment trained one, the starter model."""
    return load_newest(folder) or load_starter()
