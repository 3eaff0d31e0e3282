"""Typed answers: which choice a typed word means, and which command a typed keyword is."""

from __future__ import annotations

import unicodedata

from conversations.messages import Choice, Question
from locales import N_, _, use

# TRANSLATORS: words a resident may type for "yes", separated by commas.
YES_WORDS = N_("yes, yeah, yep, ok, okay, sure, agree, good")
# TRANSLATORS: words a resident may type for "no", separated by commas.
NO_WORDS = N_("no, nope, no thanks, not now")
# A typed answer is a few words; a longer text is something to share.
MOST_WORDS = 4
# Words typed after a yes or no that keep it an answer ("ja hoor", "no thank you").
TRAILING_WORDS = 2


def normalised(text: str) -> str:
    """Lower case without accents, letters and digits only, single spaces: how words compare.

    Accents go ("si" is "sí", "İptal" is "iptal"), as phones without the keyboard type them.
    """
    kept = "".join(
        char if unicodedata.category(char)[0] in "LN" else " "
        for char in unicodedata.normalize("NFKD", text.casefold())
        if unicodedata.category(char) != "Mn"
    )
    return " ".join(kept.split())


def words_in(listed: str, *languages: str) -> tuple[str, ...]:
    """The comma-separated words of a translated list, in each language given."""
    found: list[str] = []
    for lang in dict.fromkeys(languages):
        with use(lang):
            found += [normalised(word) for word in _(listed).split(",")]
    return tuple(word for word in dict.fromkeys(found) if word)


def match(question: Question | None, text: str, digits: bool = True) -> Choice | None:
    """The choice a typed text means, or None: a label, a short label, a word or a number."""
    if question is None or not question.choices:
        return None
    typed = normalised(text)
    if not typed or len(typed.split()) > MOST_WORDS:
        return None
    choices = question.choices
    if typed.isdigit():
        number = int(typed)
        return choices[number - 1] if digits and 1 <= number <= len(choices) else None
    exact = [c for c in choices if typed in _names(c)]
    if exact:
        return exact[0]
    first = typed.split()
    for size in range(min(len(first), 1 + TRAILING_WORDS), 0, -1):
        start, rest = " ".join(first[:size]), first[size:]
        said = [c for c in choices if start in _words(c)]
        if said and len(rest) <= TRAILING_WORDS:
            return said[0]
    # Some of a label's words, such as "idea" for "💡 An idea", when only one label has them.
    if len(typed) >= 3:
        within = [c for c in choices if set(first) <= set(" ".join(_names(c)).split())]
        if len(within) == 1:
            return within[0]
    return None


def _names(choice: Choice) -> set[str]:
    names = {normalised(choice.label), normalised(choice.short), *_words(choice)}
    return {name for name in names if name}


def _words(choice: Choice) -> set[str]:
    return {normalised(word) for word in choice.words}
