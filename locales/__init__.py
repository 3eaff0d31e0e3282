"""Locales: one folder per language with its gettext catalogue and pillar lexicon."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
TIME_ZONE = ZoneInfo("Europe/Amsterdam")

# Unicode isolates keep references, dates and Latin names in place inside right-to-left text,
# and a right-to-left mark at the start of a line sets its direction.
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE, RIGHT_TO_LEFT_MARK = "\u2068", "\u2069", "\u200f"

_current: ContextVar[str] = ContextVar("wijkstem_language", default=SOURCE_LANGUAGE)


def catalogue_path(lang: str) -> Path:
    """Where the gettext catalogue of one language lives."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def available_languages() -> tuple[str, ...]:
    """Every language that has a catalogue, sorted."""
    return tuple(sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/*.po")))


@cache
def translations(lang: str) -> Translations:
    """The compiled catalogue of one language, read straight from its .po file."""
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def best_language(code: str | None, default: str) -> str:
    """The supported language closest to a platform language code such as `pt-br` or `en_GB`."""
    if code:
        try:
            language = Locale.parse(code.replace("-", "_")).language
        except (ValueError, UnknownLocaleError):
            language = None
        if language in available_languages():
            return language
    return default


@cache
def language_name(lang: str) -> str:
    """The name of a language in that language, as a resident would recognise it."""
    return _display_name(lang, lang)


def language_name_here(lang: str) -> str:
    """The name of a language in the current language (for workers: "Arabisch", not "العربية")."""
    return _display_name(lang, current())


@cache
def _display_name(lang: str, reader: str) -> str:
    name = Locale.parse(lang).get_display_name(reader) or lang
    return name[:1].upper() + name[1:]


@cache
def is_right_to_left(lang: str) -> bool:
    """Whether a language is written right to left (Arabic, Persian)."""
    return Locale.parse(lang).character_order == "right-to-left"


def isolate(value: object) -> str:
    """A value set apart from the text around it, where the current language needs that."""
    if is_right_to_left(current()):
        return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
    return str(value)


def in_reading_order(text: str, lang: str) -> str:
    """Text whose every line starts in the language's direction, even after a number or emoji."""
    if not is_right_to_left(lang):
        return text
    return "\n".join(RIGHT_TO_LEFT_MARK + line if line else line for line in text.split("\n"))


def format_date(moment: str | datetime | date) -> str:
    """A day, or a stored UTC time as its day in Maastricht, written in the current language."""
    when = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    if isinstance(when, datetime):
        when = when.astimezone(TIME_ZONE).date()
    return dates.format_date(when, "medium", locale=current())


def format_age(since: str) -> str:
    """How long ago a stored UTC time was, roughly, in the current language ("3 days")."""
    waited = datetime.now(UTC) - datetime.fromisoformat(since)
    return dates.format_timedelta(waited, threshold=1.5, locale=current())


def format_day(moment: datetime) -> str:
    """The weekday and date of a moment in Maastricht, such as "zaterdag 13 maart 2027"."""
    return dates.format_date(moment.astimezone(TIME_ZONE).date(), "full", locale=current())


def format_time(moment: datetime) -> str:
    """The clock time of a moment in Maastricht, as the current language writes it."""
    return dates.format_time(moment, "short", tzinfo=TIME_ZONE, locale=current())


def current() -> str:
    """The language replies are being written in."""
    return _current.get()


@contextmanager
def use(lang: str) -> Iterator[None]:
    """Write every message inside the block in `lang`."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str, /, **values: object) -> str:
    """Translate a message into the current language and fill in its named placeholders."""
    text = translations(current()).gettext(message)
    return text.format(**{k: isolate(v) for k, v in values.items()}) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: object) -> str:
    """Translate a message whose form depends on the number `n` (also available as `{n}`)."""
    text = translations(current()).ngettext(singular, plural, n)
    return text.format(**{k: isolate(v) for k, v in (values | {"n": format_number(n)}).items()})


def format_number(number: float) -> str:
    """A number the way the current language writes it (12.345 in Dutch, 12,345 in English)."""
    return numbers.format_decimal(number, locale=current())


def format_change(fraction: float) -> str:
    """A change as a signed percentage in the current language, such as +25%."""
    return numbers.format_percent(fraction, "+#,##0%;-#,##0%", locale=current())


def join_list(items: Iterable[str]) -> str:
    """Items with the current language's list separator (Arabic and Persian: "، ")."""
    # TRANSLATORS: the separator between the items of a list, with its space.
    return _(", ").join(items)


def N_(message: str, /) -> str:
    """Mark a message for translation where it is defined; translate it with `_` where shown."""
    return message


def S_(message: str, /) -> str:
    """Mark a short label (at most 20 UTF-16 units in every language); translate it with `_`."""
    return message


def D_(message: str, /) -> str:
    """Mark a choice's description (at most 72 characters in every language) for translation."""
    return message
