"""Which language a resident wrote in, with an honest "unsure" when the text does not tell."""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from threading import Lock
from typing import Any, Protocol

from insights.text import ethiopic_share, letters, strip_links, word_count

DETECTABLE = ("nl", "en", "ar", "fa", "tr", "pl", "uk", "ru", "de", "fr", "es", "so", "ti")

# Below this score the best candidate is too often wrong to act on: on the langid word lists
# it turns 3% of single words into "unsure" and lifts the precision of the rest from 0.88 to 0.90.
UNSURE_BELOW = 0.3
# A text of at most this many words is too short to outvote what the resident told us.
SHORT_TEXT_WORDS = 2
# The prior wins a short text when it is among the best candidates and at least half as likely
# as the best one: a right prior then fixes most short misses, a wrong one breaks few answers.
PRIOR_TOP_N = 3
PRIOR_MIN_SCORE = 0.1
PRIOR_MIN_SHARE_OF_BEST = 0.5
# Tigrinya is recognised by its script: at least half of the words must be Ethiopic, so a
# message in another language quoting one Tigrinya word stays that language.
ETHIOPIC_MIN_SHARE = 0.5

# A sentence in each modelled language: detecting them loads every model a backend loads lazily.
WARM_UP = {
    "nl": "Ik heb schulden en slaap er slecht van",
    "en": "My son needs help with his homework",
    "ar": "عندي ديون ولا أستطيع النوم",
    "fa": "بدهی دارم و نمی توانم بخوابم",
    "tr": "Borçlarım var ve uyuyamıyorum",
    "pl": "Mam długi i nie mogę spać",
    "uk": "У мене борги і я не можу спати",
    "ru": "У меня долги и я не могу спать",
    "de": "Ich habe Schulden und kann nicht schlafen",
    "fr": "J'ai des dettes et je ne dors plus",
    "es": "Tengo deudas y no puedo dormir",
    "so": "Waxaan qabaa deyn mana seexan karo",
}

Candidates = list[tuple[str, float]]  # best first, only requested languages
Scorer = Callable[[str], Candidates]


@dataclass(frozen=True)
class LanguageGuess:
    """A detected language (ISO 639-1) or None when unsure, with the detector's confidence."""

    lang: str | None
    confidence: float


class LanguageDetector(Protocol):
    """Anything that tells the language of a text, optionally helped by the resident's choice."""

    def detect(self, text: str, prior: str | None = None) -> LanguageGuess:
        """Guess the language of `text`; `prior` is the language the resident chose."""
        ...

    def warm_up(self) -> None:
        """Load now what would otherwise load on the first message (seconds of waiting)."""
        ...


class _RuleDetector:
    """The rules every backend shares, around a backend that scores candidate languages."""

    def __init__(self, score: Scorer, languages: Sequence[str]) -> None:
        self._score = score
        self._languages = frozenset(languages)

    def warm_up(self) -> None:
        """Detect a sentence in each language, so the backend loads all its models now."""
        for lang, text in WARM_UP.items():
            if lang in self._languages:
                self._score(text)

    def detect(self, text: str, prior: str | None = None) -> LanguageGuess:
        """Guess the language of `text`; `prior` is the language the resident chose."""
        text = strip_links(text)
        if not letters(text):
            return LanguageGuess(None, 0.0)
        share = ethiopic_share(text)
        if share >= ETHIOPIC_MIN_SHARE:
            return LanguageGuess("ti" if "ti" in self._languages else None, share)
        candidates = self._score(text)
        if not candidates:
            return LanguageGuess(None, 0.0)
        lang, score = candidates[0]
        if prior in self._languages and word_count(text) <= SHORT_TEXT_WORDS:
            floor = max(PRIOR_MIN_SCORE, PRIOR_MIN_SHARE_OF_BEST * score)
            for candidate, candidate_score in candidates[:PRIOR_TOP_N]:
                if candidate == prior and candidate_score >= floor:
                    return LanguageGuess(prior, candidate_score)
        if score < UNSURE_BELOW:
            return LanguageGuess(None, score)
        return LanguageGuess(lang, score)


def _candidates(values: Iterable[Any]) -> Candidates:
    """lingua's confidence values as (ISO 639-1 code, score) pairs, best first."""
    return [(v.language.iso_code_639_1.name.lower(), v.value) for v in values]


@cache
def _lingua_scorer(languages: tuple[str, ...], low_accuracy: bool = False) -> Scorer:
    # Building loads large models on first use, so one detector per language set is kept.
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [IsoCode639_1.from_str(lang) for lang in languages]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    # Low accuracy: trigrams only, a tenth of the memory, less sure of two-word texts.
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def score(text: str) -> Candidates:
        return _candidates(detector.compute_language_confidence_values(text))

    return score


# lingua-light: texts of up to this many words whose best low-accuracy guess does not lead the
# next by this much are decided again in high-accuracy mode among the best few. The high-accuracy
# models of the languages decided last stay loaded, the rest are unloaded: memory stays bounded
# whatever residents write, and a neighbourhood's usual languages cost no loading.
REFINED_UP_TO_WORDS = 3
REFINED_BELOW_LEAD = 0.95
REFINED_AMONG = 3
REFINED_KEEP_LOADED = 5
# A longer text is decided again only when its best guess leads the next by less than this.
REFINED_LONGER_BELOW_LEAD = 0.6


def _give_back_memory() -> None:
    """Hand freed memory back to the system (glibc keeps it otherwise; elsewhere a no-op)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _RecentModels:
    """lingua's high-accuracy models of the languages used last; older ones are unloaded."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._loaded: OrderedDict[str, None] = OrderedDict()
        self._lock = Lock()

    def use(self, languages: Sequence[str]) -> Any:
        """A high-accuracy detector among `languages`, unloading the languages used longest ago."""
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        with self._lock:
            for lang in languages:
                self._loaded[lang] = None
                self._loaded.move_to_end(lang)
            unloaded = False
            while len(self._loaded) > max(self._keep, len(languages)):
                oldest, _ = self._loaded.popitem(last=False)
                code = IsoCode639_1.from_str(oldest)
                LanguageDetectorBuilder.from_iso_codes_639_1(code).build().unload_language_models()
                unloaded = True
            if unloaded:
                _give_back_memory()
        codes = [IsoCode639_1.from_str(lang) for lang in languages]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


@cache
def _lingua_light_scorer(languages: tuple[str, ...]) -> Scorer:
    first = _lingua_scorer(languages, low_accuracy=True)
    recent = _RecentModels(REFINED_KEEP_LOADED)

    def score(text: str) -> Candidates:
        candidates = first(text)
        # Languages the low-accuracy models gave no chance stay out: "ok" is nobody's.
        likely = [lang for lang, score in candidates[:REFINED_AMONG] if score > 0]
        lead = candidates[0][1] - candidates[1][1] if len(likely) >= 2 else 1.0
        short = word_count(text) <= REFINED_UP_TO_WORDS
        if lead >= (REFINED_BELOW_LEAD if short else REFINED_LONGER_BELOW_LEAD):
            return candidates
        detector = recent.use(likely)
        return _candidates(detector.compute_language_confidence_values(text))

    return score


@cache
def _langdetect_scorer(languages: tuple[str, ...]) -> Scorer:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    # langdetect samples n-grams at random; a fixed seed makes the same text give the same answer.
    factory.set_seed(0)
    wanted = set(languages)
    # A prior of zero for every other language keeps them out of the computation itself, so
    # probability is not lost to Afrikaans or Catalan and then filtered away (0.88 instead of
    # 0.79 on word pairs); the filter below is only a safeguard.
    prior = dict.fromkeys(languages, 1.0)

    def score(text: str) -> Candidates:
        detector = factory.create()
        detector.set_prior_map(prior)
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:
            return []
        kept = [(p.lang, p.prob) for p in found if p.lang in wanted]
        return sorted(kept, key=lambda pair: pair[1], reverse=True)

    return score


_BACKENDS: dict[str, Callable[[tuple[str, ...]], Scorer]] = {
    "lingua": _lingua_scorer,
    "lingua-low": partial(_lingua_scorer, low_accuracy=True),
    "lingua-light": _lingua_light_scorer,
    "langdetect": _langdetect_scorer,
}


def _only(lang: str | None) -> Scorer:
    # With a single modelled language there is nothing to choose between.
    return lambda _text: [(lang, 1.0)] if lang else []


def make_detector(
    backend: str = "lingua-light", languages: Iterable[str] = DETECTABLE
) -> LanguageDetector:
    """A language detector on `backend` ("lingua-light", "lingua", "lingua-low" or "langdetect")
    for the given languages."""
    if backend not in _BACKENDS:
        valid = ", ".join(sorted(_BACKENDS))
        raise ValueError(f"unknown language detection backend {backend!r}; choose one of {valid}")
    languages = tuple(dict.fromkeys(languages))
    unknown = [lang for lang in languages if lang not in DETECTABLE]
    if unknown:
        raise ValueError(
            f"cannot detect {', '.join(unknown)}; choose from {', '.join(DETECTABLE)}"
        )
    # Tigrinya is found by its script, never by a backend's model.
    modelled = tuple(sorted(lang for lang in languages if lang != "ti"))
    if len(modelled) < 2:
        return _RuleDetector(_only(modelled[0] if modelled else None), languages)
    return _RuleDetector(_BACKENDS[backend](modelled), languages)
