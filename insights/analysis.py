"""Analysing a resident's words: language, pillars with their explanation, and likely kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from insights.concepts import BY_ID, PILLARS
from insights.language import LanguageDetector
from insights.model import TaggerModel, load_latest
from insights.pillars import PillarTagger, Tagging

# How the model joins the lexicon: it adds a pillar only when quite sure, and removes one the
# lexicon found only when quite sure it is wrong; in between the lexicon has the last word.
MODEL_ADDS_AT = 0.8
MODEL_REMOVES_BELOW = 0.1


@dataclass(frozen=True)
class Analysis:
    """Language (None when unsure), the tagging, and the kind the model expects."""

    lang: str | None
    tagging: Tagging
    kind: str | None = None


class Analyser:
    """Detects the language, tags with the lexicons, and lets a trained model refine the tags."""

    def __init__(
        self,
        detector: LanguageDetector,
        tagger: PillarTagger,
        default_language: str,
        model: TaggerModel | None = None,
    ) -> None:
        self.detector = detector
        self.tagger = tagger
        self.default_language = default_language
        self.model = model

    @classmethod
    def with_latest_model(
        cls,
        detector: LanguageDetector,
        default_language: str,
        models: Path,
    ) -> Analyser:
        """An analyser over the shipped lexicons and the newest model in `models`, if any."""
        return cls(detector, PillarTagger.load(), default_language, load_latest(models))

    def guess_kind(self, text: str) -> str | None:
        """The kind of contribution a text most likely is, when a model learnt kinds."""
        return self.model.predict(text).kind if self.model and text.strip() else None

    def analyse(self, text: str, prior: str | None = None) -> Analysis:
        """What a text is about; `prior` is the language the writer chose."""
        lang = self.detector.detect(text, prior=prior).lang if text.strip() else None
        lexicons = [lang or prior or self.default_language, prior, self.default_language]
        tagging = self.tagger.tag(text, [x for x in dict.fromkeys(lexicons) if x])
        if self.model is None:
            return Analysis(lang, tagging)
        prediction = self.model.predict(text)
        return Analysis(lang, _refine(tagging, prediction.pillars), prediction.kind)


def _refine(tagging: Tagging, probabilities: dict[str, float]) -> Tagging:
    tagged = set(tagging.pillars)
    for pillar, probability in probabilities.items():
        if probability >= MODEL_ADDS_AT:
            tagged.add(pillar)
        elif probability < MODEL_REMOVES_BELOW:
            tagged.discard(pillar)
    scores = {
        p: round((tagging.scores[p] + probabilities[p]) / 2, 3)
        if p in probabilities
        else tagging.scores[p]
        for p in PILLARS
    }
    pillars = tuple(p for p in PILLARS if p in tagged)
    concepts = tuple(c for c in tagging.concepts if set(BY_ID[c].pillars) & tagged)
    return Tagging(pillars, scores, {p: tagging.matched.get(p, []) for p in pillars}, concepts)
