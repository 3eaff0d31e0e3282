"""Every catalogue is complete, not fuzzy, and keeps the source's placeholders."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from locales import (
    LOCALES_DIR,
    SOURCE_LANGUAGE,
    available_languages,
    best_language,
    catalogue_path,
)

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def source_ids() -> set[Any]:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        return {m.id for m in read_po(pot) if m.id}


def placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))


@pytest.mark.parametrize("lang", available_languages())
def test_the_catalogue_translates_every_message(lang: str) -> None:
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    assert catalog.num_plurals == get_plural(lang).num_plurals, f"{lang}: Plural-Forms header"
    messages = {m.id: m for m in catalog if m.id}
    missing = source_ids() - set(messages)
    assert not missing, f"{lang} lacks {sorted(missing, key=str)[:5]}; run make locales"
    for message in messages.values():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if lang == SOURCE_LANGUAGE and not any(strings):
            continue  # gettext shows the message id itself, which is written in this language
        assert not message.fuzzy, f"{lang}: fuzzy translation for {message.id!r}"
        assert len(strings) == (catalog.num_plurals if len(ids) > 1 else 1), message.id
        for string in strings:
            assert string and isinstance(string, str), f"{lang}: no translation for {message.id!r}"
            found, expected = set(placeholders(string)), set(placeholders(str(ids[-1])))
            if len(ids) > 1:  # a plural form may spell out its number ("one message")
                found, expected = set(found) - {"{n}"}, set(expected) - {"{n}"}
            assert found == expected, f"{lang}: placeholders differ in {message.id!r}"


def test_the_template_is_up_to_date_with_the_code() -> None:
    from babel.messages.extract import extract_from_dir

    root = LOCALES_DIR.parent
    found = {
        message
        for package in ("bot", "conversations", "insights", "storage", "locales")
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / package, method_map=[("**.py", "python")]
        )
    }
    assert found <= source_ids(), (
        f"not in messages.pot: {sorted(found - source_ids(), key=str)[:5]}"
    )


def test_phone_languages_map_to_a_catalogue_or_the_default() -> None:
    assert best_language("en-GB", "nl") == "en"
    assert best_language("nl_BE", "en") == "nl"
    assert best_language("pt-br", "nl") == "nl"
    assert best_language(None, "nl") == "nl"
    assert best_language("not a code!", "nl") == "nl"


def test_numbers_and_changes_are_written_the_residents_way() -> None:
    from locales import format_change, format_number, ngettext, use

    with use("nl"):
        assert format_number(12345) == "12.345"
        assert format_change(0.25) == "+25%" and format_change(-0.1) == "-10%"
        assert "12.345" in ngettext("{n} contribution", "{n} contributions", 12345)
    with use("en"):
        assert format_number(12345) == "12,345"


def test_every_message_the_code_translates_is_in_the_template() -> None:
    """Also messages inside f-strings, which Babel's extractor cannot see on Python 3.11."""
    import ast

    root = LOCALES_DIR.parent
    missing = []
    for package in ("bot", "conversations", "insights", "storage", "locales"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_", "ngettext")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and node.args[0].value
                    not in {m if isinstance(m, str) else m[0] for m in source_ids()}
                ):
                    missing.append(f"{path.name}: {node.args[0].value!r}")
    assert not missing, f"not in messages.pot (run make locales): {missing}"


def marked(marker: str) -> set[str]:
    """Every message the code marks with `marker` (S_ short labels, D_ descriptions)."""
    import ast

    root = LOCALES_DIR.parent
    found = set()
    for package in ("bot", "conversations"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == marker
                    and isinstance(node.args[0], ast.Constant)
                ):
                    found.add(str(node.args[0].value))
    return found


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("lang", available_languages())
def test_short_labels_and_descriptions_fit_a_phone_in_every_language(lang: str) -> None:
    """WhatsApp cuts button titles at 20 UTF-16 units and list descriptions at 72."""
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    shorts = marked("S_")
    assert {"✅ Yes", "👍 That's right", "🙋 I want to do"} <= shorts
    for limit, messages in ((20, shorts), (72, marked("D_"))):
        for message_id in messages:
            translated = catalog.get(message_id)
            string = (translated.string if translated else "") or message_id
            assert utf16(str(string)) <= limit, f"{lang}: {string!r} is over {limit} units"
