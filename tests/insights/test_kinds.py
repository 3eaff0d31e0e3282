"""The kind of a message from its cues: an initiative, an idea, a concern, or other."""

from __future__ import annotations

from pathlib import Path

import pytest

from insights.analysis import Analyser
from insights.kinds import KindGuesser
from insights.pillars import LexiconError

HEALTH = ("positive_health",)


@pytest.fixture(scope="module")
def kinds() -> KindGuesser:
    """The shipped cues of every language."""
    return KindGuesser.load()


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("Ik wil graag een naaiclub starten in het buurthuis", "nl", "initiative"),
        ("Ik wil hulp met mijn huur, ik kom niet rond", "nl", "concern"),
        ("Waarom niet een bankje bij de speeltuin?", "nl", "idea"),
        ("I can help kids with their homework on Wednesdays", "en", "initiative"),
        ("Can you help me with my energy bill", "en", "concern"),
        ("There should be more light in the park at night", "en", "idea"),
        ("Je voudrais organiser un repas pour les voisins", "fr", "initiative"),
        ("Ich biete an, älteren Nachbarn beim Einkaufen zu helfen", "de", "initiative"),
    ],
)
def test_cues_tie_the_writer_to_what_they_offer_and_leave_requests_concerns(
    kinds: KindGuesser, text: str, lang: str, kind: str
) -> None:
    assert kinds.guess(text, [lang, "nl"], HEALTH, None) == kind


def test_an_initiative_wins_over_an_idea_and_other_needs_no_pillar(kinds: KindGuesser) -> None:
    assert kinds.guess("Idee: ik wil zelf een moestuin beginnen", ["nl"], HEALTH, None) == (
        "initiative"
    )
    assert kinds.guess("Hoi, goedemorgen!", ["nl"], (), None) == "other"
    assert kinds.guess("Waarom niet een moestuin?", ["nl"], (), None) == "idea"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("SNEL GELD LENEN zonder BKR!! tot €5000 op je rekening, ook met schulden", "nl"),
        ("Earn 300 euro per day from home, no experience needed, click the link", "en"),
        ("bedankt voor de huiswerkklas gisteren, mn dochter was zo blij", "nl"),
        ("what time does the GP practice open on saturday", "en"),
        ("Danke für den Gesundheitsspaziergang gestern!", "de"),
    ],
)
def test_spam_thanks_and_practical_questions_are_other_whatever_words_they_use(
    kinds: KindGuesser, text: str, lang: str
) -> None:
    assert kinds.guess(text, [lang, "nl"], HEALTH, None) == "other"


def test_spam_full_of_money_words_is_tagged_with_no_pillar(analyser: Analyser) -> None:
    analysis = analyser.analyse("SNEL GELD LENEN zonder BKR!! tot €5000 ook met schulden. app nu")
    assert (analysis.tagging.pillars, analysis.kind) == ((), "other")


def test_a_models_kind_counts_where_no_cue_tells(kinds: KindGuesser) -> None:
    assert kinds.guess("Een moestuin achter de flat", ["nl"], HEALTH, "idea") == "idea"
    assert kinds.guess("Een moestuin achter de flat", ["nl"], HEALTH, "other") == "concern"


def test_the_gap_holds_at_most_six_words(kinds: KindGuesser) -> None:
    near = "Ik wil met de buren een club starten"
    far = "Ik wil niet dat mijn zoon de hele dag op straat hangt, kunnen ze een club starten"
    assert kinds.cued(near, ["nl"]) == "initiative"
    assert kinds.cued(far, ["nl"]) != "initiative"


def test_a_cue_file_with_an_unknown_kind_is_named(tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "kinds.toml").write_text('[wish]\ncues = ["ik wens"]\n', "utf-8")
    with pytest.raises(LexiconError, match="only \\[other\\], \\[initiative\\] and \\[idea\\]"):
        KindGuesser.load(tmp_path)


def test_every_language_with_a_lexicon_has_cues() -> None:
    locales = Path(__file__).resolve().parents[2] / "locales"
    lexicons = {p.parent.name for p in locales.glob("*/pillars.toml")}
    cues = {p.parent.name for p in locales.glob("*/kinds.toml")}
    assert lexicons <= cues, sorted(lexicons - cues)
