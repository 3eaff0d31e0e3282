"""Quotes translated for the team: once per text, anonymised first, never failing a report."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from insights.report.data import gather
from insights.report.page import render
from insights.report.translating import translate_quotes
from insights.translation import Translator
from locales import use
from storage import Storage
from tests.fakes.translate import FakeTranslate
from tests.insights.test_report import PERIOD


@pytest.fixture
async def service() -> AsyncIterator[FakeTranslate]:
    """A LibreTranslate-compatible service on 127.0.0.1, wanting a key."""
    async with FakeTranslate(key="k3y") as fake:
        yield fake


async def report_page(storage: Storage, translator: Translator | None) -> str:
    """The Dutch report of the period, with its quotes translated by `translator`."""
    with use("nl"):
        report = await gather(storage, PERIOD, None, lambda kind: f"[{kind}]")
        await translate_quotes(report, storage, translator, "nl")
        return render(report)


async def test_quotes_in_other_languages_are_translated_once_and_anonymised_first(
    seeded: Storage, service: FakeTranslate
) -> None:
    translator = Translator(service.url, "k3y", timeout=5)
    page = await report_page(seeded, translator)
    assert "Machinevertaling: [nl] عندي رطوبة وعفن بالبيت" in page.replace("\u2068", "")
    asked = [r["q"] for r in service.requests]
    assert asked and all(r["target"] == "nl" for r in service.requests)
    assert not any("Schimmel" in q for q in asked), "Dutch quotes are not sent"
    assert not any("06-12345678" in q for q in asked), "only anonymised words leave"
    again = await report_page(seeded, translator)
    assert len(service.requests) == len(asked), "a second report asks for nothing new"
    assert "Machinevertaling" in again


async def test_a_service_that_is_down_or_slow_never_fails_a_report(
    seeded: Storage, service: FakeTranslate
) -> None:
    service.down = True
    page = await report_page(seeded, Translator(service.url, "k3y", timeout=5))
    assert "kon nu niet worden vertaald" in page or "konden nu niet worden vertaald" in page
    assert len(service.requests) == 1, "after the first failure nothing more is asked"
    service.down, service.delay = False, 2.0
    page = await report_page(seeded, Translator(service.url, "k3y", timeout=0.2))
    assert "vertaald" in page and "Machinevertaling" not in page


async def test_without_a_service_the_report_says_quotes_are_untranslated(
    seeded: Storage,
) -> None:
    page = await report_page(seeded, None)
    assert "niet vertaald" in page


async def test_forget_deletes_the_translations_with_the_rest(
    seeded: Storage, service: FakeTranslate
) -> None:
    await report_page(seeded, Translator(service.url, "k3y", timeout=5))
    assert await kept(seeded) > 0
    for resident in (1, 2, 3):
        await seeded.residents.forget(resident)
    assert await kept(seeded) == 0


async def kept(storage: Storage) -> int:
    """How many translations the database keeps."""
    row = await storage.db.fetch_one("SELECT COUNT(*) FROM translations")
    assert row is not None
    return int(row[0])
