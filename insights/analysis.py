"""Analysing a resident's words: language, pillars with their explanation, and likely kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from insights.concepts import BY_ID, PILLARS
from insights.kinds import WITHOUT_PILLARS, KindGuesser
from insights.language import LanguageDetector
from insights.model import TaggerModel, load_latest
from insights.pillars import PillarTagger, Tagging

# How the model joins the lexicon: it adds a pillar only when quite sure, and removes one the
# lexicon found only when quite sure it is wrong; in between the lexicon has the last word.
MODEL_ADDS_AT = 0.8
MODEL_REMOVES_BELOW = 0.1


@dataclass(frozen=True)
class Analysis:
    """Language (None when unsure), the tagging, and the kind it most likely is."""

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
        kinds: KindGuesser | None = None,
    ) -> None:
        self.detector = detector
        self.tagger = tagger
        self.default_language = default_language
        self.model = model
        self.kinds = kinds or KindGuesser.load()

    @classmethod
    def with_latest_model(
        cls,
        detector: LanguageDetector,
        default_language: str,
        models: Path,
    ) -> Analyser:
        """An analyser over the shipped lexicons and the newest model in `models`, if any."""
        return cls(detector, PillarTagger.load(), default_language, load_latest(models))

    def guess_kind(self, text: str, prior: str | None = None) -> str | None:
        """The kind a resident's draft tells (an idea or initiative by its cues, or what a model
        learnt); None when nothing tells, so the resident is asked without a proposal."""
        if not text.strip():
            return None
        languages = self._languages(self._detected(text, prior), prior)
        cued = self.kinds.cued(text, languages)
        if cued == WITHOUT_PILLARS:
            return None
        learnt = self.model.predict(text).kind if self.model else None
        return cued or (learnt if learnt != WITHOUT_PILLARS else None)

    def analyse(self, text: str, prior: str | None = None) -> Analysis:
        """What a text is about and its kind; `prior` is the language the writer chose."""
        lang = self._detected(text, prior)
        languages = self._languages(lang, prior)
        tagging = self.tagger.tag(text, languages)
        learnt = None
        if self.model is not None:
            prediction = self.model.predict(text)
            tagging, learnt = _refine(tagging, prediction.pillars), prediction.kind
        kind = self.kinds.guess(text, languages, tagging.pillars, learnt) if text.strip() else None
        if kind == WITHOUT_PILLARS and tagging.pillars:
            # Spam, thanks or a practical question: its topic words are not what it is about.
            tagging = Tagging((), tagging.scores, {}, ())
        return Analysis(lang, tagging, kind)

    def _detected(self, text: str, prior: str | None) -> str | None:
        return self.detector.detect(text, prior=prior).lang if text.strip() else None

    def _languages(self, lang: str | None, prior: str | None) -> list[str]:
        """The languages whose lexicons and cues are read: the detected one, the writer's
        chosen one, and the default (Dutch loanwords are used in every language)."""
        wanted = [lang or prior or self.default_language, prior, self.default_language]
        return [x for x in dict.fromkeys(wanted) if x]


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
