"""Language detection: accuracy, unsure answers, speed and memory of each backend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from time import perf_counter

from benchmarks.datasets import read_lines, skipped
from benchmarks.measure import MIB, Footprint, footprint, one_core, rss_source
from insights.language import DETECTABLE, LanguageDetector, make_detector
from insights.tables import number, table

BACKENDS = ("lingua", "lingua-light", "lingua-low", "langdetect")
SETS = ("sentences", "word-pairs", "single-words")
# What the product needs: word pairs are the closest to a short chat message.
BARS = {"sentences": 0.99, "word-pairs": 0.96, "single-words": 0.85}
BARS_FOR = "lingua-light"  # the default
WARM_UP_LINES = 5  # per language per set, before anything is timed

Texts = dict[str, dict[str, list[str]]]  # set -> language -> lines
Answers = dict[str, dict[str, list[str | None]]]  # set -> language -> detected language


def accuracy(pairs: Iterable[tuple[str | None, str]]) -> float:
    """The share of (answer, expected) pairs answered right; None is a wrong answer."""
    pairs = list(pairs)
    return sum(answer == expected for answer, expected in pairs) / len(pairs)


def unsure_share(answers: Sequence[str | None]) -> float:
    """The share of answers that are None (the detector was unsure)."""
    return sum(answer is None for answer in answers) / len(answers)


def load_texts(root: Path, lines: int) -> Texts:
    """The first `lines` lines of every detectable language in every set under `root`."""
    return {
        name: {
            lang: read_lines(root / name / f"{lang}.txt", lines)
            for lang in DETECTABLE
            if (root / name / f"{lang}.txt").exists()
        }
        for name in SETS
    }


def load_and_detect(backend: str, texts: Sequence[str]) -> None:
    """Build a detector for every detectable language and detect `texts` with it."""
    detector = make_detector(backend, DETECTABLE)
    for text in texts:
        detector.detect(text)


def detect_all(detector: LanguageDetector, texts: Texts) -> tuple[Answers, dict[str, float]]:
    """Every line's detected language (no prior), and the seconds each set took."""
    answers: Answers = {}
    seconds: dict[str, float] = {}
    for name, by_lang in texts.items():
        answers[name] = {}
        start = perf_counter()
        for lang, lines in by_lang.items():
            answers[name][lang] = [detector.detect(line).lang for line in lines]
        seconds[name] = perf_counter() - start
    return answers, seconds


def _pairs(
    answers: dict[str, list[str | None]], langs: Iterable[str]
) -> list[tuple[str | None, str]]:
    return [(answer, lang) for lang in langs for answer in answers[lang]]


def _accuracy_table(answers: dict[str, Answers], langs: Sequence[str]) -> str:
    header = ["lang"] + [backend for _ in SETS for backend in BACKENDS]
    rows = [
        [lang] + [number(accuracy(_pairs(answers[b][s], [lang]))) for s in SETS for b in BACKENDS]
        for lang in langs
    ]
    rows.append(
        ["all"] + [number(accuracy(_pairs(answers[b][s], langs))) for s in SETS for b in BACKENDS]
    )
    rows.append(
        ["None share"]
        + [
            number(unsure_share([a for lang in langs for a in answers[b][s][lang]]))
            for s in SETS
            for b in BACKENDS
        ]
    )
    groups = [(name.replace("-", " "), len(BACKENDS)) for name in SETS]
    return table(header, rows, groups)


def _bars_table(answers: Answers, langs: Sequence[str]) -> str:
    rows = []
    for name in SETS:
        value = accuracy(_pairs(answers[name], langs))
        met = "met" if value >= BARS[name] else "NOT MET"
        rows.append([name.replace("-", " "), number(value), f">= {BARS[name]:.2f}", met])
    return table(["set", "accuracy", "bar", ""], rows)


def _cost_table(
    seconds: dict[str, dict[str, float]], sizes: dict[str, int], memory: dict[str, Footprint]
) -> str:
    header = ["backend"] + [f"ms/{name.rstrip('s').replace('-', ' ')}" for name in SETS]
    header += ["tracemalloc peak MiB", "RSS growth MiB"]
    rows = [
        [backend]
        + [number(1000 * seconds[backend][name] / sizes[name], 3) for name in SETS]
        + [number(memory[backend].traced_peak / MIB, 1)]
        + [number(memory[backend].rss_growth / MIB, 1)]
        for backend in BACKENDS
    ]
    return table(header, rows)


def run(data: Path, lines: int) -> None:
    """Measure both backends on the langid sets and print the figures."""
    root = data / "langid"
    print("== Language detection ==")
    if not root.is_dir():
        print(skipped("language detection", root))
        return
    started = perf_counter()
    found = load_texts(root, lines)
    # Only languages present in every set, so the sets compare like with like.
    langs = [lang for lang in DETECTABLE if all(lang in by_lang for by_lang in found.values())]
    texts = {name: {lang: by_lang[lang] for lang in langs} for name, by_lang in found.items()}
    sizes = {name: sum(len(by_lang[lang]) for lang in langs) for name, by_lang in texts.items()}
    print(
        f"{lines} lines per language per set from {root}; {len(langs)} languages "
        f"({' '.join(langs)}); detectors built for all {len(DETECTABLE)} detectable languages; "
        "no prior; None counts as wrong"
    )
    # Short texts make lingua load more of its models than sentences do: memory as it settles.
    samples = [line for by_lang in texts.values() for lang in langs for line in by_lang[lang][:20]]
    memory = {b: footprint(partial(load_and_detect, b, samples)) for b in BACKENDS}
    answers: dict[str, Answers] = {}
    seconds: dict[str, dict[str, float]] = {}
    warm_up = {
        name: {lang: some[:WARM_UP_LINES] for lang, some in by_lang.items()}
        for name, by_lang in texts.items()
    }
    with one_core() as pinned:
        for backend in BACKENDS:
            detector = make_detector(backend, DETECTABLE)
            detect_all(detector, warm_up)
            answers[backend], seconds[backend] = detect_all(detector, texts)

    print("\naccuracy per language (share of lines detected right)")
    print(_accuracy_table(answers, langs))
    print(f"\nbars for {BARS_FOR}")
    print(_bars_table(answers[BARS_FOR], langs))
    print("\nspeed and memory")
    print(_cost_table(seconds, sizes, memory))
    print(
        f"ms: time.perf_counter over every line of a set, one core ({pinned}), after a warm-up "
        f"of {WARM_UP_LINES} lines per language per set"
    )
    print(
        "memory: a fresh interpreter per figure, around building the detector (imports "
        f"included) and detecting 20 lines per language of each set; RSS growth is {rss_source()} "
        "after minus before; tracemalloc sees Python allocations only (lingua keeps its models "
        "in Rust)"
    )
    print(f"section took {perf_counter() - started:.1f} s")
