"""Pillar tagging: precision, recall and F1 on the development set, and throughput."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from benchmarks.datasets import read_jsonl, skipped
from benchmarks.measure import one_core
from insights.concepts import PILLARS
from insights.pillars import PillarTagger
from insights.tables import number, table

DEV_SET = "pillars-dev.jsonl"
# The Dutch lexicon always joins in: residents of any language use Dutch loanwords.
ALSO_LANGUAGES = ("nl",)
THROUGHPUT_SECONDS = 2.0


@dataclass(frozen=True)
class Outcome:
    """One item of the development set: its language, gold pillars and tagged pillars."""

    lang: str
    gold: frozenset[str]
    tagged: frozenset[str]


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


def score(outcomes: Iterable[Outcome], pillars: Iterable[str]) -> Scores:
    """True positives, false positives and misses over `pillars`, pooled over `outcomes`."""
    tp = fp = fn = 0
    for outcome in outcomes:
        for pillar in pillars:
            tp += pillar in outcome.gold and pillar in outcome.tagged
            fp += pillar not in outcome.gold and pillar in outcome.tagged
            fn += pillar in outcome.gold and pillar not in outcome.tagged
    return Scores(tp, fp, fn)


def untagged_right(outcomes: Iterable[Outcome]) -> tuple[int, int]:
    """Of the items without a gold pillar, how many were left untagged, and how many there are."""
    empty = [outcome for outcome in outcomes if not outcome.gold]
    return sum(not outcome.tagged for outcome in empty), len(empty)


def languages_for(item: dict) -> list[str]:
    """The lexicons to tag an item with: its own language's, then Dutch."""
    return [item["lang"], *ALSO_LANGUAGES]


def tag_all(tagger: PillarTagger, items: Sequence[dict]) -> list[Outcome]:
    """Tag every item and pair the result with its gold pillars."""
    return [
        Outcome(
            item["lang"],
            frozenset(item["pillars"]),
            frozenset(tagger.tag(item["text"], languages_for(item)).pillars),
        )
        for item in items
    ]


def throughput(tagger: PillarTagger, items: Sequence[dict]) -> tuple[int, float]:
    """Messages tagged and seconds taken, tagging all items over and over for a while."""
    work = [(item["text"], languages_for(item)) for item in items]
    done, start = 0, perf_counter()
    while (elapsed := perf_counter() - start) < THROUGHPUT_SECONDS:
        for text, languages in work:
            tagger.tag(text, languages)
        done += len(work)
    return done, elapsed


def _cells(scores: Scores) -> list[str]:
    counts = [scores.tp + scores.fn, scores.tp + scores.fp, scores.tp]
    figures = [scores.precision, scores.recall, scores.f1]
    return [str(count) for count in counts] + [number(figure) for figure in figures]


def run(data: Path) -> None:
    """Tag the development set and print quality and speed figures."""
    path = data / DEV_SET
    print("== Pillar tagging ==")
    if not path.is_file():
        print(skipped("pillar tagging", path))
        return
    started = perf_counter()
    items = read_jsonl(path)
    load_start = perf_counter()
    tagger = PillarTagger.load()
    load_ms = 1000 * (perf_counter() - load_start)
    print(
        f"{len(items)} items of {path}, each tagged with the lexicons of its language and "
        f"{', '.join(ALSO_LANGUAGES)}; lexicons for {len(tagger.languages)} languages "
        f"({' '.join(tagger.languages)}) loaded in {load_ms:.0f} ms"
    )
    outcomes = tag_all(tagger, items)

    header = ["", "gold", "tagged", "right", "precision", "recall", "F1"]
    per_pillar = [score(outcomes, [pillar]) for pillar in PILLARS]
    f1s = [scores.f1 for scores in per_pillar]
    macro = None if None in f1s else sum(f1s) / len(f1s)
    rows = [[pillar, *_cells(scores)] for pillar, scores in zip(PILLARS, per_pillar, strict=True)]
    rows.append(["all (micro)", *_cells(score(outcomes, PILLARS))])
    print("\nper pillar")
    print(table(header, rows))
    print(f"macro-F1 (mean of the three pillar F1s): {number(macro)}")

    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.lang] = counts.get(outcome.lang, 0) + 1
    langs = sorted(counts, key=lambda lang: (-counts[lang], lang))
    rows = [
        [lang, str(counts[lang]), *_cells(score([o for o in outcomes if o.lang == lang], PILLARS))]
        for lang in langs
    ]
    print("\nper language (gold `lang`; counts and figures pooled over the three pillars)")
    print(table(["lang", "n", *header[1:]], rows))

    right, total = untagged_right(outcomes)
    share = right / total if total else None
    print(f"\nno-pillar items left untagged: {right}/{total} = {number(share)}")

    with one_core() as pinned:
        done, seconds = throughput(tagger, items)
    print(
        f"throughput: {done / seconds:,.0f} messages/s ({done} tag calls over the "
        f"{len(items)} texts in {seconds:.2f} s, time.perf_counter, lexicons already loaded, "
        f"one core, {pinned})"
    )
    print(f"section took {perf_counter() - started:.1f} s")
