"""Pillar tagging: quality on the development set, as the bot tags, and throughput."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.datasets import read_jsonl, skipped
from benchmarks.measure import one_core
from insights.analysis import Analyser
from insights.evaluation import Evaluation, Outcome, evaluate, render
from insights.language import make_detector
from insights.model import Example, TaggerModel, load_starter
from insights.pillars import PillarTagger
from insights.tables import number, table
from insights.training import train

DEV_SET = "pillars-dev.jsonl"
# Written blind to the tagger and never tuned on (its README says how): the honest figures.
HELD_OUT = Path(__file__).resolve().parent / "data" / "pillars-heldout.jsonl"
# More development data, written the same way, tuned on like the dev set.
TUNING = Path(__file__).resolve().parent / "data" / "pillars-tuning.jsonl"
DEFAULT_LANGUAGE = "nl"
THROUGHPUT_SECONDS = 2.0
FOLDS = 5


def throughput(
    tagger: PillarTagger, model: TaggerModel | None, items: Sequence[dict[str, Any]]
) -> tuple[int, float]:
    """Messages tagged and seconds taken, tagging all items over and over for a while."""
    work = [(item["text"], [item["lang"], DEFAULT_LANGUAGE]) for item in items]
    done, start = 0, perf_counter()
    while (elapsed := perf_counter() - start) < THROUGHPUT_SECONDS:
        for text, languages in work:
            tagger.tag(text, languages)
            if model is not None:
                model.predict(text)
        done += len(work)
    return done, elapsed


def tagged(analyser: Analyser, item: dict[str, Any]) -> tuple[tuple[str, ...], str | None]:
    """The pillars and the kind the bot gives an item's text."""
    analysis = analyser.analyse(item["text"])
    return analysis.tagging.pillars, analysis.kind


def side_by_side(dev: Evaluation, tuning: Evaluation, held_out: Evaluation) -> str:
    """Every bar with its dev, tuning and held-out figures."""
    on_dev = {name: value for name, value, _bar in dev.bars()}
    on_tuning = {name: value for name, value, _bar in tuning.bars()}
    rows = [
        [
            name,
            number(on_dev.get(name)),
            number(on_tuning.get(name)),
            number(value),
            f">= {bar:.2f}",
            _met(value, bar),
        ]
        for name, value, bar in held_out.bars()
    ]
    return table(["", "dev", "tuning", "held-out", "bar", "held-out"], rows)


def _met(value: float | None, bar: float) -> str:
    return "met" if value is not None and value >= bar else "NOT MET"


def cross_validated(analyser: Analyser, items: Sequence[dict[str, Any]]) -> Evaluation:
    """Lexicons plus a model trained on the other folds: what the model adds, measured fairly."""
    outcomes: list[Outcome] = []
    for fold in range(FOLDS):
        held_out = [item for i, item in enumerate(items) if i % FOLDS == fold]
        learnt = [
            Example(item["text"], frozenset(item["pillars"]), item.get("kind"))
            for i, item in enumerate(items)
            if i % FOLDS != fold
        ]
        analyser.model = train(learnt, version=fold + 1)
        outcomes += evaluate(held_out, lambda item: tagged(analyser, item)).outcomes

    analyser.model = None
    return Evaluation(tuple(outcomes))


def run(data: Path) -> None:
    """Tag the development set as the bot does and print quality and speed figures."""
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
    analyser = Analyser(make_detector(), tagger, DEFAULT_LANGUAGE)
    print(
        f"{len(items)} items of {path}, tagged as the bot tags a message: language detected "
        f"(no prior), then the lexicons of that language and {DEFAULT_LANGUAGE}; lexicons "
        f"for {len(tagger.languages)} languages ({' '.join(tagger.languages)}) loaded in "
        f"{load_ms:.0f} ms"
    )
    print("\n-- lexicons only --")
    dev = evaluate(items, lambda item: tagged(analyser, item))
    print(render(dev))
    tuning = evaluate(read_jsonl(TUNING), lambda item: tagged(analyser, item))
    held_out = evaluate(read_jsonl(HELD_OUT), lambda item: tagged(analyser, item))
    print(
        f"\n-- held-out ({len(held_out.outcomes)} items, never tuned on) beside dev and tuning"
        f" ({len(tuning.outcomes)} items, tuned on) --"
    )
    print(side_by_side(dev, tuning, held_out))
    starting = Analyser(make_detector(), tagger, DEFAULT_LANGUAGE, load_starter())
    fresh = evaluate(read_jsonl(HELD_OUT), lambda item: tagged(starting, item))
    no_pillar_right, no_pillar_total = fresh.no_pillar
    print(
        "\n-- held-out with the starter model on top, as a fresh install tags (trained on dev and"
        " tuning, so only the held-out figures are honest) --\n"
        f"macro-F1 {number(fresh.macro_f1)}; no-pillar left untagged {no_pillar_right}/"
        f"{no_pillar_total}; kind right {number(fresh.kind_right)}; bars all met: {fresh.passed}"
    )

    with_model = cross_validated(analyser, items)
    print(f"\n-- lexicons plus a model, {FOLDS}-fold cross-validated on the same items --")
    print(f"macro-F1 {number(with_model.macro_f1)}; bars all met: {with_model.passed}")

    model = train(
        [Example(i["text"], frozenset(i["pillars"]), i.get("kind")) for i in items], version=1
    )
    with one_core() as pinned:
        lexicon_done, lexicon_seconds = throughput(tagger, None, items)
        model_done, model_seconds = throughput(tagger, model, items)
    print(
        f"\nthroughput on one core ({pinned}), time.perf_counter over {THROUGHPUT_SECONDS:.0f} s:"
        f" lexicons {lexicon_done / lexicon_seconds:,.0f} messages/s; lexicons plus model"
        f" {model_done / model_seconds:,.0f} messages/s (model loaded, pillars and kind)"
    )
    print(f"section took {perf_counter() - started:.1f} s")
