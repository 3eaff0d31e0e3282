"""Text normalisation shared by language detection and pillar tagging."""

from __future__ import annotations

import re
import unicodedata

# Ethiopic block: Tigrinya (and Amharic) letters; no statistical detector here knows Tigrinya.
_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_LATIN_LETTER = re.compile(r"[a-zA-Z\u00c0-\u024f]")
# Three or more of the same letter: residents stretch words for emphasis ("heeeel", "sooo").
_ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
# Links and e-mail addresses are not written in any language and name no theme.
_LINKS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


def strip_links(text: str) -> str:
    """The text without web links and e-mail addresses."""
    return _LINKS.sub(" ", text)


def letters(text: str) -> list[str]:
    """The letters of a text, in any script (no digits, punctuation or emoji)."""
    return [c for c in text if c.isalpha()]


def ethiopic_share(text: str) -> float:
    """The share of a text's words written in Ethiopic script (0 when it has no words)."""
    # Words, not letters: one Ethiopic syllable stands for two or three Latin letters.
    found = _words(text)
    if not found:
        return 0.0
    return sum(1 for word in found if _ETHIOPIC.search(word)) / len(found)


def word_count(text: str) -> int:
    """How many words with at least one letter a text has."""
    return len(_words(text))


def _words(text: str) -> list[str]:
    return [word for word in text.split() if any(c.isalpha() for c in word)]


def _carries_marks(char: str) -> bool:
    """Whether a mark after `char` is kept: after a non-Latin letter or one of its marks."""
    if unicodedata.category(char).startswith("M"):
        return True
    return char.isalpha() and not _LATIN_LETTER.match(char)


def _letters_and_digits(text: str) -> str:
    # One pass over the decomposed text: letters and digits stay, everything else (punctuation,
    # emoji, the apostrophe of "z'n" and "can't") becomes a space. Accents are dropped after
    # Latin letters only ("é" -> "e"); Arabic harakat and the breve of Cyrillic "й" carry meaning
    # and stay. A mark after anything but a letter (an emoji's variation selector, as in
    # "⚠️Huur") goes too, so it does not cling to the next word.
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char.isalnum():
            out.append(char)
        elif unicodedata.category(char).startswith("M"):
            if out and _carries_marks(out[-1]):
                out.append(char)
        else:
            out.append(" ")
    return unicodedata.normalize("NFC", "".join(out))


def normalise(text: str, max_repeat: int = 2) -> str:
    """Casefold, strip Latin accents, shorten stretched letters, drop links, emoji, punctuation.

    A letter typed three or more times in a row is cut to `max_repeat` letters: 2 restores
    "heeeel" to "heel", 1 restores "loooonely" to "lonely"; callers wanting both try both.
    """
    text = _letters_and_digits(strip_links(text).casefold())
    return " ".join(_ELONGATION.sub(r"\1" * max_repeat, text).split())
