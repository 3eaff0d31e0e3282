"""The trained model: learns pillars and kinds from labelled messages, saved without pickle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from insights.analysis import Analyser
from insights.evaluation import read_labelled
from insights.language import LanguageDetector
from insights.model import Example, load_latest, model_files
from insights.pillars import PillarTagger
from insights.training import train

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "labelled-sample.jsonl"


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return [
        Example(item["text"], frozenset(item["pillars"]), item["kind"])
        for item in read_labelled(SAMPLE)
    ]


def test_the_model_learns_kinds_and_pillars_it_has_enough_examples_of(examples) -> None:
    model = train(examples, version=1)
    assert model.kinds == ("concern", "idea", "initiative", "other")
    assert set(model.pillars) == {"positive_health", "livelihood_security", "equal_opportunities"}


def test_a_learnt_kind_is_proposed_only_when_the_model_is_sure_of_it(tmp_path: Path) -> None:
    starter = load_latest(tmp_path)
    assert starter is not None
    assert starter.predict("We started a walking group on Sundays, everyone can join").kind == (
        "initiative"
    )
    assert starter.predict("Thanks for the soup yesterday!").kind == "other"
    # Asking for help sounds like offering it: the model is torn, so it proposes nothing.
    assert starter.predict("My son needs help with homework and Dutch lessons").kind is None


def test_too_few_examples_leave_everything_to_the_lexicon(examples) -> None:
    model = train(examples[:10], version=1)
    assert model.pillars == () and model.kinds == ()
    assert model.predict("anything").pillars == {} and model.predict("anything").kind is None


def test_saved_models_are_numbered_and_the_newest_is_loaded(examples, tmp_path: Path) -> None:
    first = train(examples, version=1)
    first.save(tmp_path)
    second = train(examples[:40], version=2)
    second.save(tmp_path)
    assert [version for version, _path in model_files(tmp_path)] == [1, 2]
    loaded = load_latest(tmp_path)
    assert loaded is not None and (loaded.version, loaded.examples) == (2, 40)
    text = "Idea: a swap shop for children's clothes"
    assert loaded.predict(text) == second.predict(text)
    with np.load(model_files(tmp_path)[0][1], allow_pickle=False) as data:
        assert "pillar_weights" in data  # plain arrays, readable without pickle


def test_before_a_deployment_trained_a_model_the_starter_model_tags(tmp_path: Path) -> None:
    starter = load_latest(tmp_path / "missing")
    assert starter is not None and starter.version == 0
    assert set(starter.pillars) == {
        "positive_health",
        "livelihood_security",
        "equal_opportunities",
    }
    assert starter.examples >= 2_000, "trained on the project's labelled sets"
    assert (
        starter.predict("We cannot pay the rent and the energy bill").pillars[
            "livelihood_security"
        ]
        > 0.5
    )


def test_cues_propose_a_kind_and_a_model_proposes_one_where_no_cue_tells(
    detector: LanguageDetector, tagger: PillarTagger, tmp_path: Path
) -> None:
    without = Analyser(detector, tagger, "nl")
    assert without.guess_kind("Why not put a bench in the park") == "idea"
    assert without.guess_kind("A bench in the park for the elderly") is None
    with_model = Analyser(detector, tagger, "nl", load_latest(tmp_path))
    assert with_model.guess_kind("A bench in the park for the elderly") == "idea"
    assert with_model.guess_kind("") is None


def test_the_pieces_are_scikit_learns_so_models_trained_before_keep_working() -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    from insights.model import ngrams
    from insights.text import normalise

    theirs = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), preprocessor=normalise
    ).build_analyzer()
    for text in ("Ik ben kapot 😩", "a", "ab cd", "", "مرحبا بكم", "ጽቡቕ", "  x  "):
        assert list(ngrams(text)) == theirs(text), text


def test_the_bot_tagging_with_a_model_loads_neither_scikit_learn_nor_scipy(
    examples, tmp_path: Path
) -> None:
    train(examples, version=1).save(tmp_path)
    script = (
        "import sys; from pathlib import Path; import bot.cli;"
        "from insights.analysis import Analyser;"
        "from insights.language import make_detector;"
        f"a = Analyser.with_latest_model(make_detector(), 'nl', Path({str(tmp_path)!r}));"
        "print(a.analyse('Ik heb schulden en slaap slecht').kind);"
        "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kind, loaded = done.stdout.splitlines()
    assert kind in ("concern", "idea", "initiative", "other")
    assert loaded == "[]"
