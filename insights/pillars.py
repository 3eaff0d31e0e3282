"""Tag a resident's message with the programme pillars it is about, and say which words told."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from insights.concepts import BY_ID, CONCEPTS, PILLARS
from insights.text import normalise
from locales import LOCALES_DIR

LEXICON_FILE = "pillars.toml"

# A term is telling on its own; a hint (a common word such as "school") needs company, so one
# passing word does not tag a pillar but two of them, or a hint with a term, do.
TERM_WEIGHT = 1.0
HINT_WEIGHT = 0.4
TAG_AT = 0.75
# A pillar found with at most this many terms, whose evidence is at most 1/PASSING_SHARE of the
# strongest pillar's, is a passing mention and not tagged.
PASSING_MOST_TERMS = 2
PASSING_SHARE = 3.0
NEVER_PASSING = frozenset({"making_ends_meet"})
# A lexicon's section of words that say a topic is no trouble; `...` stands for the topic.
NEGATIONS = "negations"
SLOT = " ... "
LONGEST_SLOT = 3

_CONCEPT_ORDER = {concept.id: index for index, concept in enumerate(CONCEPTS)}


class LexiconError(ValueError):
    """A pillar lexicon file that cannot be used as it is."""


@dataclass(frozen=True)
class Tagging:
    """The pillars a message is about, how strongly, and the words and concepts that told."""

    pillars: tuple[str, ...]
    scores: dict[str, float]
    matched: dict[str, list[str]]  # tagged pillar -> its terms found, in reading order
    concepts: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """A word or phrase of a lexicon, as normalised words (some matching any ending)."""

    text: str  # as written in the lexicon, to explain a tagging
    words: tuple[tuple[str, bool], ...]  # normalised word, and whether it is a prefix
    concept: str
    weight: float

    def matches_at(self, words: Sequence[str], start: int) -> bool:
        """Whether the term's words are found in `words` from `start` on."""
        if start + len(self.words) > len(words):
            return False
        for (want, prefix), word in zip(self.words, words[start:], strict=False):
            if not (word.startswith(want) if prefix else word == want):
                return False
        return True


@dataclass(frozen=True)
class Negation:
    """Words saying a topic is no trouble ("geen ... zorgen", "no problems with ...", "... is
    fine", "geen geldzorgen"): the terms found on them, or on the slot they leave, do not count.
    """

    before: Term | None  # the words before the slot (None: the slot opens the phrase)
    after: Term | None  # the words after it (None: the slot ends the phrase)
    slot: bool

    def covers(self, words: Sequence[str]) -> set[int]:
        """The positions of the words it takes back: its own and those in its slot."""
        covered: set[int] = set()
        anchor = self.before or self.after
        assert anchor is not None, "a negation has words"
        first, prefix = anchor.words[0]
        for at, word in enumerate(words):
            # Most words cannot begin the phrase: only where its first word stands is it tried.
            if word == first or (prefix and word.startswith(first)):
                covered |= self._from(words, at) if self.before else self._ending_at(words, at)
        return covered

    def _from(self, words: Sequence[str], start: int) -> set[int]:
        """Its words from `start`, where its words before the slot are, and the slot's."""
        before, after = self.before, self.after
        if before is None or not before.matches_at(words, start):
            return set()
        opened = start + len(before.words)
        if not self.slot:
            return set(range(start, opened))
        if after is None:
            return set(range(start, min(len(words), opened + LONGEST_SLOT)))
        for size in range(LONGEST_SLOT + 1):
            if after.matches_at(words, opened + size):
                return set(range(start, opened + size + len(after.words)))
        return set()

    def _ending_at(self, words: Sequence[str], at: int) -> set[int]:
        """Its words where the words after an opening slot ("... is fine") are found at `at`."""
        after = self.after
        if after is None or not after.matches_at(words, at):
            return set()
        return set(range(max(0, at - LONGEST_SLOT), at + len(after.words)))


class _Lexicon:
    """One language's terms, indexed by their first word for a quick scan of a message."""

    def __init__(self, terms: Iterable[Term], negations: Iterable[Negation] = ()) -> None:
        self.negations = tuple(negations)
        self._exact: dict[str, list[Term]] = {}
        self._prefix: dict[str, list[Term]] = {}
        for term in terms:
            first, prefix = term.words[0]
            (self._prefix if prefix else self._exact).setdefault(first, []).append(term)
        self._prefix_lengths = sorted({len(first) for first in self._prefix})

    def find(self, words: Sequence[str]) -> Iterable[tuple[int, int, Term]]:
        """Every (start, end, term) found in a list of normalised words."""
        for start, word in enumerate(words):
            candidates = list(self._exact.get(word, ()))
            for length in self._prefix_lengths:
                if length > len(word):
                    break
                candidates.extend(self._prefix.get(word[:length], ()))
            for term in candidates:
                if term.matches_at(words, start):
                    yield start, start + len(term.words), term


def parse_term(text: str, concept: str, weight: float, source: Path) -> Term:
    """A term as a lexicon writes it ("schuld*", "geen werk"); LexiconError if it is unusable."""
    words: list[tuple[str, bool]] = []
    for raw in text.split():
        prefix = raw.endswith("*")
        stem = raw.rstrip("*")
        if "*" in stem:
            raise LexiconError(f"{source}: [{concept}] {text!r}: '*' only at the end of a word")
        parts = normalise(stem).split()
        if not parts:
            raise LexiconError(f"{source}: [{concept}] {text!r} has a word without letters")
        words.extend((part, False) for part in parts[:-1])
        words.append((parts[-1], prefix))
    if not words:
        raise LexiconError(f"{source}: [{concept}] has an empty term")
    return Term(text, tuple(words), concept, weight)


def parse_negation(text: str, source: Path) -> Negation:
    """A negation as a lexicon writes it: words, with `...` for the words it takes back."""
    stripped = f" {text.strip()} "
    if stripped.count(SLOT) > 1:
        raise LexiconError(f"{source}: [{NEGATIONS}] {text!r}: at most one {SLOT.strip()!r}")
    before, slot, after = (part.strip() for part in stripped.partition(SLOT))
    if not before and not after:
        raise LexiconError(f"{source}: [{NEGATIONS}] {text!r} has no words")
    return Negation(
        parse_term(before, NEGATIONS, 0.0, source) if before else None,
        parse_term(after, NEGATIONS, 0.0, source) if after else None,
        bool(slot),
    )


def _read_lexicon(path: Path) -> _Lexicon:
    """Read and check one language's lexicon file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: not valid TOML: {error}") from error
    negations = data.pop(NEGATIONS, {"phrases": []})
    if not isinstance(negations, dict) or set(negations) != {"phrases"}:
        raise LexiconError(f"{path}: [{NEGATIONS}] must have a `phrases` list only")
    terms: list[Term] = []
    for concept, entry in data.items():
        if concept not in BY_ID:
            known = ", ".join(BY_ID)
            raise LexiconError(f"{path}: unknown concept [{concept}]; known concepts: {known}")
        if not isinstance(entry, dict) or not set(entry) <= {"terms", "hints"}:
            raise LexiconError(f"{path}: [{concept}] may only have `terms` and `hints` lists")
        for key, weight in (("terms", TERM_WEIGHT), ("hints", HINT_WEIGHT)):
            values = entry.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise LexiconError(f"{path}: [{concept}] {key} must be a list of strings")
            terms.extend(parse_term(value, concept, weight, path) for value in values)
    return _Lexicon(terms, [parse_negation(text, path) for text in negations["phrases"]])


def _outermost(found: Iterable[tuple[int, int, Term]]) -> list[Term]:
    # A phrase explains its words: "geen werk" found means the hint "werk" adds nothing more.
    spans = list(found)
    return [
        term
        for start, end, term in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in spans)
    ]


def _without_passing_mentions(
    tagged: tuple[str, ...], pillar_terms: Mapping[str, Mapping[str, float]], terms: Sequence[Term]
) -> tuple[str, ...]:
    # A pillar told by a word or two beside one told by many is named in passing ("my son's
    # school" in a message about noise): the message is about the other. Saying one cannot
    # afford something is never in passing (the labelling rules).
    evidence = {p: sum(pillar_terms[p].values()) for p in tagged}
    strongest = max(evidence.values(), default=0.0)
    never_passing = {
        p for t in terms if t.concept in NEVER_PASSING for p in BY_ID[t.concept].pillars
    }
    return tuple(
        p
        for p in tagged
        if p in never_passing
        or len(pillar_terms[p]) > PASSING_MOST_TERMS
        or evidence[p] * PASSING_SHARE > strongest
    )


class PillarTagger:
    """Finds the pillars in a message with the concept lexicons of one or more languages."""

    def __init__(self, lexicons: Mapping[str, _Lexicon]) -> None:
        self._lexicons = dict(lexicons)

    @classmethod
    def load(cls, locales_dir: Path = LOCALES_DIR) -> PillarTagger:
        """Read the lexicon of every language that has a `<lang>/pillars.toml` in `locales_dir`."""
        paths = sorted(Path(locales_dir).glob(f"*/{LEXICON_FILE}"))
        return cls({path.parent.name: _read_lexicon(path) for path in paths})

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages that have a lexicon, sorted."""
        return tuple(sorted(self._lexicons))

    def tag(self, text: str, languages: Sequence[str]) -> Tagging:
        """Tag `text` using the lexicons of `languages` (languages without one are ignored)."""
        wanted = [lang for lang in dict.fromkeys(languages) if lang in self._lexicons]
        return self._score(self._find(text, [self._lexicons[lang] for lang in wanted]))

    def _find(self, text: str, lexicons: Sequence[_Lexicon]) -> list[Term]:
        # Stretched letters are read both ways: "heeeel" as "heel", "loooonely" as "lonely".
        variants = dict.fromkeys((normalise(text), normalise(text, max_repeat=1)))
        found: dict[tuple[int, int, str, str], tuple[int, int, Term]] = {}
        for variant in variants:
            words = variant.split()
            taken_back = set().union(
                *(negation.covers(words) for lexicon in lexicons for negation in lexicon.negations)
            )
            for lexicon in lexicons:
                for start, end, term in lexicon.find(words):
                    if not taken_back.issuperset(range(start, end)):
                        found.setdefault((start, end, term.text, term.concept), (start, end, term))
        return _outermost(sorted(found.values(), key=lambda span: (span[0], span[1])))

    @staticmethod
    def _score(terms: Sequence[Term]) -> Tagging:
        # The same term counts once per pillar, whichever lexicon or concept it came from.
        pillar_terms: dict[str, dict[str, float]] = {pillar: {} for pillar in PILLARS}
        concept_scores: dict[str, float] = {}
        concept_terms: dict[str, dict[str, float]] = {}
        for term in terms:
            concept_terms.setdefault(term.concept, {})[term.text] = term.weight
            for pillar in BY_ID[term.concept].pillars:
                pillar_terms[pillar].setdefault(term.text, term.weight)
        for concept, weights in concept_terms.items():
            concept_scores[concept] = min(1.0, sum(weights.values()))
        scores = {p: round(min(1.0, float(sum(pillar_terms[p].values()))), 3) for p in PILLARS}
        tagged = tuple(p for p in PILLARS if scores[p] >= TAG_AT)
        tagged = _without_passing_mentions(tagged, pillar_terms, terms)
        concepts = sorted(
            (c for c in concept_scores if set(BY_ID[c].pillars) & set(tagged)),
            key=lambda c: (-concept_scores[c], _CONCEPT_ORDER[c]),
        )
        matched = {p: list(pillar_terms[p]) for p in tagged}
        return Tagging(tagged, scores, matched, tuple(concepts))
