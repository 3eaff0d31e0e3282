"""Pillar tagging: which programme pillars a message is about, explained by the words found."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from insights.concepts import CONCEPTS, PILLARS
from insights.pillars import LexiconError, PillarTagger
from locales import LOCALES_DIR

HEALTH, LIVELIHOOD, EQUAL = PILLARS
DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "data" / "pillars-dev.jsonl"


def test_a_dutch_message_about_loneliness_is_health_and_says_why(tagger: PillarTagger) -> None:
    tagging = tagger.tag("Sinds mijn vrouw er niet meer is voel ik me zo eenzaam", ["nl"])
    assert tagging.pillars == (HEALTH,)
    assert tagging.matched == {HEALTH: ["eenzaam*"]}
    assert tagging.concepts[0] == "loneliness"
    assert tagging.scores[HEALTH] == 1.0


def test_an_emoji_stuck_to_a_word_leaves_the_word_readable(tagger: PillarTagger) -> None:
    # Phones put an invisible variation selector after "⚠️": it must not cling to "Schulden".
    tagging = tagger.tag("Help ⚠️Schulden", ["nl"])
    assert tagging.pillars == ("livelihood_security",)


def test_an_english_message_about_debts_is_livelihood(tagger: PillarTagger) -> None:
    tagging = tagger.tag("Debt collectors keep calling me about my debts", ["en", "nl"])
    assert tagging.pillars == (LIVELIHOOD,)
    assert "debts" in tagging.concepts
    assert tagging.matched[LIVELIHOOD] == ["debt collector*", "debts"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Dank u wel!", "nl"),
        ("Goeiemorgen allemaal ☀️", "nl"),
        ("hi", "en"),
        ("thanks a lot!!", "en"),
        ("Test", "nl"),
        ("Wanneer komt het grofvuil weer ophalen?", "nl"),
        ("Where do I park my car for the market?", "en"),
    ],
)
def test_greetings_thanks_and_off_topic_questions_have_no_pillar(
    tagger: PillarTagger, text: str, lang: str
) -> None:
    tagging = tagger.tag(text, [lang, "nl"])
    assert tagging.pillars == ()
    assert tagging.matched == {}
    assert tagging.concepts == ()


def test_a_kids_club_the_family_cannot_afford_is_livelihood_and_equal_opportunities(
    tagger: PillarTagger,
) -> None:
    text = "Mijn dochter wil graag op zwemles maar dat kunnen we niet betalen"
    tagging = tagger.tag(text, ["nl"])
    assert tagging.pillars == (LIVELIHOOD, EQUAL)
    assert set(tagging.concepts) == {"making_ends_meet", "clubs_and_activities"}


def test_stress_about_money_is_health_and_livelihood(tagger: PillarTagger) -> None:
    tagging = tagger.tag("Ik heb zoveel geldzorgen, ik slaap er niet van", ["nl"])
    assert tagging.pillars == (HEALTH, LIVELIHOOD)
    assert tagging.concepts[0] == "money_worries"


def test_a_passing_word_does_not_tag_a_pillar(tagger: PillarTagger) -> None:
    # "school" only says where it happened: the message is about speeding traffic.
    tagging = tagger.tag("Ze rijden veel te hard langs de school", ["nl"])
    assert tagging.pillars == (HEALTH,)
    assert 0 < tagging.scores[EQUAL] < 1


@pytest.mark.parametrize(
    "text",
    ["Ik ben heeeeel EENZAAAAM", "so loooonely here", "SCHÍMMEL in de badkamer!!! 😭😭"],
)
def test_stretched_letters_accents_and_capitals_are_read_through(
    tagger: PillarTagger, text: str
) -> None:
    assert tagger.tag(text, ["en", "nl"]).pillars == (HEALTH,)


def test_dutch_loanwords_are_found_inside_other_languages(tagger: PillarTagger) -> None:
    text = "مرحبا، وصلتني رسالة من الـ Belastingdienst إنو لازم رجّع toeslagen"
    tagging = tagger.tag(text, ["ar", "nl"])
    assert tagging.pillars == (LIVELIHOOD,)
    assert "toeslagen" in tagging.matched[LIVELIHOOD]


def test_languages_without_a_lexicon_are_ignored(tagger: PillarTagger) -> None:
    assert tagger.tag("schulden", ["xx", "nl"]).pillars == (LIVELIHOOD,)
    assert tagger.tag("schulden", ["xx"]).pillars == ()


def test_scores_cover_every_pillar_and_pillars_keep_their_order(tagger: PillarTagger) -> None:
    text = "Idee: betaald werk voor jongeren in het groenonderhoud, goed tegen zwerfvuil"
    tagging = tagger.tag(text, ["nl"])
    assert set(tagging.scores) == set(PILLARS)
    assert all(0.0 <= score <= 1.0 for score in tagging.scores.values())
    assert tagging.pillars == tuple(p for p in PILLARS if p in tagging.pillars)
    assert tagging.pillars == PILLARS


def test_the_shipped_lexicons_cover_every_concept_in_dutch_and_english() -> None:
    tagger = PillarTagger.load()
    assert {"nl", "en"} <= set(tagger.languages)
    for lang in ("nl", "en"):
        lexicon = tomllib.loads((LOCALES_DIR / lang / "pillars.toml").read_text("utf-8"))
        missing = [c.id for c in CONCEPTS if not lexicon.get(c.id, {}).get("terms")]
        assert missing == [], f"{lang} has no terms for {missing}"


def test_concept_labels_are_a_few_plain_words() -> None:
    for concept in CONCEPTS:
        assert 1 <= len(concept.label.split()) <= 4, concept.id


def _write_lexicon(root: Path, lang: str, body: str) -> None:
    (root / lang).mkdir(parents=True)
    (root / lang / "pillars.toml").write_text(body, encoding="utf-8")


def test_a_lexicon_naming_an_unknown_concept_fails_loading(tmp_path: Path) -> None:
    _write_lexicon(tmp_path, "nl", '[schulden]\nterms = ["schuld*"]\n')
    with pytest.raises(LexiconError, match=r"unknown concept \[schulden\]") as raised:
        PillarTagger.load(tmp_path)
    assert "pillars.toml" in str(raised.value)


def test_a_lexicon_with_a_misplaced_star_fails_loading(tmp_path: Path) -> None:
    _write_lexicon(tmp_path, "nl", '[debts]\nterms = ["*schuld"]\n')
    with pytest.raises(LexiconError, match="only at the end"):
        PillarTagger.load(tmp_path)


def test_prefixes_phrases_and_hints_in_a_lexicon(tmp_path: Path) -> None:
    _write_lexicon(
        tmp_path,
        "nl",
        '[debts]\nterms = ["schuld*", "rood staan"]\n'
        '[school]\nterms = ["huiswerk"]\nhints = ["school", "klas"]\n',
    )
    tagger = PillarTagger.load(tmp_path)
    assert tagger.languages == ("nl",)
    assert tagger.tag("Schuldhulpverlening", ["nl"]).matched == {LIVELIHOOD: ["schuld*"]}
    assert tagger.tag("we staan rood", ["nl"]).pillars == ()
    assert tagger.tag("we rood staan", ["nl"]).pillars == (LIVELIHOOD,)
    assert tagger.tag("op school", ["nl"]).pillars == ()
    assert tagger.tag("op school in de klas", ["nl"]).pillars == (EQUAL,)


def test_words_saying_a_topic_is_no_trouble_take_its_terms_back(tagger: PillarTagger) -> None:
    said = "no money problems thank god, but my mum is so lonely since dad died"
    assert tagger.tag(said, ["en", "nl"]).pillars == (HEALTH,)
    geen = "Geen geldzorgen hoor, maar mijn moeder is eenzaam"
    assert tagger.tag(geen, ["nl"]).pillars == (HEALTH,)
    fine = "Pas de souci d'argent chez nous, mais mon fils reste seul dans sa chambre"
    assert LIVELIHOOD not in tagger.tag(fine, ["fr", "nl"]).pillars
    # Saying there is no money, or no work, is the trouble itself.
    assert tagger.tag("Ik heb geen geld en geen werk", ["nl"]).pillars == (LIVELIHOOD,)


def test_a_negation_with_a_slot_takes_back_only_what_it_spans(tmp_path: Path) -> None:
    _write_lexicon(
        tmp_path,
        "en",
        '[debts]\nterms = ["debts"]\n[loneliness]\nterms = ["lonely"]\n'
        '[negations]\nphrases = ["no ... problems", "... is fine"]\n',
    )
    tagger = PillarTagger.load(tmp_path)
    assert tagger.tag("no problems with debts", ["en"]).pillars == (LIVELIHOOD,)
    assert tagger.tag("no debts problems but lonely", ["en"]).pillars == (HEALTH,)
    assert tagger.tag("lonely is fine, debts", ["en"]).pillars == (LIVELIHOOD,)


def test_a_negation_without_words_fails_loading(tmp_path: Path) -> None:
    _write_lexicon(tmp_path, "en", '[negations]\nphrases = ["..."]\n')
    with pytest.raises(LexiconError, match="has no words"):
        PillarTagger.load(tmp_path)


def _f1(gold: list[set[str]], found: list[set[str]], pillar: str) -> float:
    tp = sum(pillar in g and pillar in f for g, f in zip(gold, found, strict=True))
    fp = sum(pillar not in g and pillar in f for g, f in zip(gold, found, strict=True))
    fn = sum(pillar in g and pillar not in f for g, f in zip(gold, found, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.mark.skipif(
    not DEV_SET.exists() and os.environ.get("CI") != "true",
    reason="shared/data is not beside the repository",
)
def test_quality_floor_on_the_dutch_and_english_dev_items(tagger: PillarTagger) -> None:
    items = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line]
    items = [item for item in items if item["lang"] in ("nl", "en")]
    gold = [set(item["pillars"]) for item in items]
    found = [set(tagger.tag(item["text"], [item["lang"], "nl"]).pillars) for item in items]
    macro_f1 = sum(_f1(gold, found, pillar) for pillar in PILLARS) / len(PILLARS)
    untagged = [f for g, f in zip(gold, found, strict=True) if not g]
    assert len(items) == 89
    assert macro_f1 >= 0.70
    assert sum(not f for f in untagged) / len(untagged) >= 0.75


def test_a_pillar_named_in_passing_beside_a_clear_topic_is_not_tagged(tmp_path: Path) -> None:
    _write_lexicon(
        tmp_path,
        "en",
        '[noise_nuisance]\nterms = ["barking", "noise", "can t sleep", "all day"]\n'
        '[school]\nterms = ["school"]\n'
        '[making_ends_meet]\nterms = ["cannot afford"]\n',
    )
    tagger = PillarTagger.load(tmp_path)
    noise = "the noise, barking all day near my son's school, I can't sleep"
    assert tagger.tag(noise, ["en"]).pillars == (HEALTH,)
    assert tagger.tag("the noise near the school", ["en"]).pillars == (HEALTH, EQUAL)
    # Saying one cannot afford something is never said in passing.
    afford = "the noise, barking all day, I can't sleep and cannot afford to move"
    assert tagger.tag(afford, ["en"]).pillars == (HEALTH, LIVELIHOOD)
