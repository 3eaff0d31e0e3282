"""Guess a message's kind (concern, idea, initiative, other) from cue phrases in its language.

A cue of `other` (spam, thanks, a practical question: "klik op de link", "bedankt voor",
"hoe laat is ... open") wins, since such a message has no topic however topical its words;
then a cue of an initiative (the resident does or offers something: "ik wil een ... starten")
over one of an idea (a suggestion for others: "waarom niet", "zou mooi zijn"); without any,
a message without any pillar is `other`, and one with a pillar a concern, the most common
kind. The cues are in `locales/<lang>/kinds.toml`: the guess works on a fresh install.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from insights.pillars import LexiconError, Term, parse_term
from insights.text import normalise
from locales import LOCALES_DIR

CUES_FILE = "kinds.toml"
DEFAULT = "concern"
WITHOUT_PILLARS = "other"
# In the order they win when cues of several are found.
CUED = (WITHOUT_PILLARS, "initiative", "idea")
# " ... " in a cue lets this many words stand between its parts ("i want ... start*").
GAP = " ... "
MOST_BETWEEN = 6


@dataclass(frozen=True)
class Cue:
    """Phrases that must follow each other, with at most MOST_BETWEEN words between them."""

    kind: str
    parts: tuple[Term, ...]

    def found_in(self, words: Sequence[str]) -> bool:
        """Whether the parts are found in order in `words`."""
        return any(self._rest_from(words, 0, start) for start in range(len(words)))

    def _rest_from(self, words: Sequence[str], part: int, start: int) -> bool:
        term = self.parts[part]
        if not term.matches_at(words, start):
            return False
        if part + 1 == len(self.parts):
            return True
        after = start + len(term.words)
        return any(
            self._rest_from(words, part + 1, at)
            for at in range(after, min(len(words), after + MOST_BETWEEN + 1))
        )


def _read_cues(path: Path) -> list[Cue]:
    """Read and check one language's cue file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: not valid TOML: {error}") from error
    cues = []
    for kind, entry in data.items():
        if kind not in CUED or not isinstance(entry, dict) or set(entry) != {"cues"}:
            raise LexiconError(f"{path}: only [other], [initiative] and [idea] with a `cues` list")
        for text in entry["cues"]:
            if not isinstance(text, str):
                raise LexiconError(f"{path}: [{kind}] cues must be strings")
            parts = tuple(parse_term(part, kind, 1.0, path) for part in text.split(GAP))
            cues.append(Cue(kind, parts))
    return cues


class KindGuesser:
    """Guesses kinds with the cues of one or more languages."""

    def __init__(self, cues: Mapping[str, Sequence[Cue]]) -> None:
        self._cues = {lang: tuple(found) for lang, found in cues.items()}

    @classmethod
    def load(cls, locales_dir: Path = LOCALES_DIR) -> KindGuesser:
        """Read the cues of every language that has a `<lang>/kinds.toml` in `locales_dir`."""
        paths = sorted(Path(locales_dir).glob(f"*/{CUES_FILE}"))
        return cls({path.parent.name: _read_cues(path) for path in paths})

    def cued(self, text: str, languages: Iterable[str]) -> str | None:
        """The kind the cues of `languages` find in `text` (other, initiative, idea), if any."""
        words = normalise(text).split()
        found = {
            cue.kind
            for lang in dict.fromkeys(languages)
            for cue in self._cues.get(lang, ())
            if cue.found_in(words)
        }
        return next((kind for kind in CUED if kind in found), None)

    def guess(
        self, text: str, languages: Iterable[str], pillars: Sequence[str], learnt: str | None
    ) -> str:
        """The kind of a message: a cue's, else `other` without pillars, the model's, a concern.

        A caller that finds the cue of `other` drops the message's pillars (see Analyser).

        `learnt` is what a trained model expects, used when no cue tells.
        """
        cued = self.cued(text, languages)
        if cued is not None:
            return cued
        if not pillars:
            return WITHOUT_PILLARS
        return learnt if learnt not in (None, WITHOUT_PILLARS) else DEFAULT
