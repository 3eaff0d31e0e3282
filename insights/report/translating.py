"""The report's quotes in its language: kept translations first, the service for the rest."""

from __future__ import annotations

from insights.report.data import Report
from insights.translation import Translator
from storage import Storage


async def translate_quotes(
    report: Report, storage: Storage, translator: Translator | None, target: str
) -> None:
    """Fill `report.translations` for every quote shown in another language than `target`.

    Each text (anonymised first) is asked for once, also across reports; what the service
    cannot give is counted in `report.untranslated`.
    """
    if translator is None:
        return
    report.translations = {}
    asking = []
    for said in report.shown_quotes():
        if said.lang == target:
            continue
        words = report.quote(said.words, said.found)
        kept = await storage.translations.find(said.id, target, words)
        if kept is not None:
            report.translations[said.ref] = kept
        else:
            asking.append((said, words))
    answers = await translator.translate([(words, row.lang) for row, words in asking], target)
    for (said, words), translated in zip(asking, answers, strict=True):
        if translated is None:
            report.untranslated += 1
            continue
        report.translations[said.ref] = translated
        await storage.translations.keep(said.id, target, words, translated)
