"""Measuring the tagger against labelled messages: pillars per pillar and language, no-pillar,
and the kind it guesses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from insights.concepts import PILLARS
from insights.model import KINDS
from insights.tables import number, table

# The bars the programme team set for messages the tagger was not tuned on.
MACRO_F1_BAR = 0.90
PILLAR_F1_BAR = 0.85
LANGUAGE_F1_BAR = 0.80
LANGUAGE_MIN_ITEMS = 10
NO_PILLAR_BAR = 0.93
KIND_RIGHT_BAR = 0.80
KIND_RECALL_BAR = 0.60
KINDS_RECALLED = ("idea", "initiative")


@dataclass(frozen=True)
class Outcome:
    """One labelled message: its language, gold and tagged pillars, gold and guessed kind."""

    text: str
    lang: str
    gold: frozenset[str]
    tagged: frozenset[str]
    kind: str | None = None
    guessed_kind: str | None = None

    @property
    def errors(self) -> int:
        """Pillars wrongly given plus pillars missed."""
        return len(self.gold ^ self.tagged)


@dataclass(frozen=True)
class Scores:
    """Pooled counts over some pillars and items, and the figures that follow from them."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """The share of tags given that were right, None when nothing was tagged."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """The share of gold pillars that were tagged, None when there were none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """The harmonic mean of precision and recall, None when there is nothing to score."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None


def score(outcomes: Iterable[Outcome], pillars: Iterable[str] = PILLARS) -> Scores:
    """True positives, false positives and misses over `pillars`, pooled over `outcomes`."""
    tp = fp = fn = 0
    for outcome in outcomes:
        for pillar in pillars:
            tp += pillar in outcome.gold and pillar in outcome.tagged
            fp += pillar not in outcome.gold and pillar in outcome.tagged
            fn += pillar in outcome.gold and pillar not in outcome.tagged
    return Scores(tp, fp, fn)


@dataclass(frozen=True)
class Evaluation:
    """Every figure of one evaluation run."""

    outcomes: tuple[Outcome, ...]

    def pillar(self, pillar: str) -> Scores:
        """Scores of one pillar over every item."""
        return score(self.outcomes, [pillar])

    @property
    def macro_f1(self) -> float:
        """The mean of the pillar F1s (an undefined F1 counts as 0)."""
        return sum(self.pillar(p).f1 or 0.0 for p in PILLARS) / len(PILLARS)

    def languages(self) -> dict[str, tuple[int, Scores]]:
        """Per language: how many items, and their scores pooled over the pillars."""
        langs = sorted({o.lang for o in self.outcomes}, key=lambda lang: (-self._n(lang), lang))
        return {
            lang: (self._n(lang), score(o for o in self.outcomes if o.lang == lang))
            for lang in langs
        }

    def _n(self, lang: str) -> int:
        return sum(o.lang == lang for o in self.outcomes)

    @property
    def no_pillar(self) -> tuple[int, int]:
        """Of the items without a gold pillar: how many got none, and how many there are."""
        empty = [o for o in self.outcomes if not o.gold]
        return sum(not o.tagged for o in empty), len(empty)

    @property
    def kinds_labelled(self) -> list[Outcome]:
        """The items whose kind is labelled."""
        return [o for o in self.outcomes if o.kind in KINDS]

    @property
    def kind_right(self) -> float | None:
        """The share of labelled kinds guessed right (None when no kind is labelled)."""
        labelled = self.kinds_labelled
        return (
            sum(o.kind == o.guessed_kind for o in labelled) / len(labelled) if labelled else None
        )

    def kind_recall(self, kind: str) -> float | None:
        """The share of items of `kind` guessed as that kind."""
        of_kind = [o for o in self.outcomes if o.kind == kind]
        return sum(o.guessed_kind == kind for o in of_kind) / len(of_kind) if of_kind else None

    def confusion(self) -> dict[tuple[str, str], int]:
        """How many items of each labelled kind were guessed as each kind (or "none")."""
        counted: dict[tuple[str, str], int] = {}
        for o in self.kinds_labelled:
            key = (str(o.kind), o.guessed_kind or "none")
            counted[key] = counted.get(key, 0) + 1
        return counted

    def worst(self, count: int = 10) -> list[Outcome]:
        """The items with the most pillars wrong."""
        wrong = [o for o in self.outcomes if o.errors]
        return sorted(wrong, key=lambda o: -o.errors)[:count]

    def bars(self) -> list[tuple[str, float | None, float]]:
        """Each bar: what is measured, the figure, and the bar it must reach."""
        right, total = self.no_pillar
        found: list[tuple[str, float | None, float]] = [("macro-F1", self.macro_f1, MACRO_F1_BAR)]
        found += [(f"F1 {p}", self.pillar(p).f1, PILLAR_F1_BAR) for p in PILLARS]
        found += [
            (f"F1 language {lang}", scores.f1, LANGUAGE_F1_BAR)
            for lang, (n, scores) in self.languages().items()
            if n >= LANGUAGE_MIN_ITEMS
        ]
        found.append(("no-pillar left untagged", right / total if total else None, NO_PILLAR_BAR))
        if self.kinds_labelled:
            found.append(("kind right", self.kind_right, KIND_RIGHT_BAR))
            found += [
                (f"recall {k}", self.kind_recall(k), KIND_RECALL_BAR) for k in KINDS_RECALLED
            ]
        return found

    @property
    def passed(self) -> bool:
        """Whether every bar holds."""
        return all(value is not None and value >= bar for _name, value, bar in self.bars())


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """Labelled messages, one JSON object a line, each with `text`, `lang` and `pillars`."""
    items = []
    with path.open(encoding="utf-8") as lines:
        for number_, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if not isinstance(item, dict) or not {"text", "pillars"} <= set(item):
                raise ValueError(f"{path}:{number_}: needs at least `text` and `pillars`")
            items.append(item)
    return items


Guess = tuple[Iterable[str], str | None]  # the pillars tagged, and the kind guessed


def evaluate(items: Sequence[dict[str, Any]], tag: Callable[[dict[str, Any]], Guess]):
    """Tag every item and compare with its gold pillars and kind."""
    outcomes = []
    for item in items:
        pillars, kind = tag(item)
        outcomes.append(
            Outcome(
                item["text"],
                item.get("lang") or "?",
                frozenset(item["pillars"]),
                frozenset(pillars),
                item.get("kind"),
                kind,
            )
        )
    return Evaluation(tuple(outcomes))


def _cells(scores: Scores) -> list[str]:
    counts = [scores.tp + scores.fn, scores.tp + scores.fp, scores.tp]
    figures = [scores.precision, scores.recall, scores.f1]
    return [str(count) for count in counts] + [number(figure) for figure in figures]


def render(evaluation: Evaluation, misses: int = 10) -> str:
    """The evaluation as plain-text tables: pillars, languages, bars and the worst misses."""
    header = ["", "gold", "tagged", "right", "precision", "recall", "F1"]
    rows = [[p, *_cells(evaluation.pillar(p))] for p in PILLARS]
    rows.append(["all (micro)", *_cells(score(evaluation.outcomes))])
    parts = ["per pillar", table(header, rows), f"macro-F1: {number(evaluation.macro_f1)}", ""]
    rows = [[lang, str(n), *_cells(s)] for lang, (n, s) in evaluation.languages().items()]
    parts += ["per language (pooled over the pillars)", table(["lang", "n", *header[1:]], rows)]
    right, total = evaluation.no_pillar
    parts += ["", f"no-pillar messages left untagged: {right}/{total}"]
    if evaluation.kinds_labelled:
        parts += [
            "",
            f"kind right: {number(evaluation.kind_right)} (rows: labelled, columns: guessed)",
        ]
        confusion = evaluation.confusion()
        guessed = [*KINDS, "none"]
        rows = [
            [
                kind,
                *(str(confusion.get((kind, g), 0)) for g in guessed),
                number(evaluation.kind_recall(kind)),
            ]
            for kind in KINDS
        ]
        parts.append(table(["", *guessed, "recall"], rows))
    parts += ["", "bars"]
    parts.append(
        table(
            ["", "figure", "bar", ""],
            [
                [
                    name,
                    number(value),
                    f">= {bar:.2f}",
                    "met" if value is not None and value >= bar else "NOT MET",
                ]
                for name, value, bar in evaluation.bars()
            ],
        )
    )
    worst = evaluation.worst(misses)
    if worst:
        parts += ["", "worst misses (gold -> tagged)"]
        parts += [
            f"  {o.lang}  {sorted(o.gold)} -> {sorted(o.tagged)}  {o.text[:80]!r}" for o in worst
        ]
    return "\n".join(parts)
