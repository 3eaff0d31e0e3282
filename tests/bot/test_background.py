"""What the running bot does on its own: words stored before are anonymised once, in batches."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path

import pytest

from bot.background import anonymise_older_words
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from storage import Storage
from tests.insights.test_report import item, quoted_in_csv


async def test_words_stored_before_are_anonymised_once_and_reports_still_hide_them(
    storage: Storage, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    anna = (await storage.residents.create("telegram:1", "nl")).id
    current = "Mail jan@example.nl over de schimmel"
    await storage.contributions.add_many(
        [
            item(anna, date(2026, 11, 2), text="Bel 06-12345678 over het lek", may_quote=True),
            item(  # an older anonymiser found nothing here
                anna,
                date(2026, 11, 3),
                text="Of bel 0687654321",
                may_quote=True,
                personal_data="[]",
                anonymised_with=ANONYMISER - 1,
            ),
            item(
                anna,
                date(2026, 11, 4),
                text=current,
                may_quote=True,
                personal_data=found_in(current),
                anonymised_with=ANONYMISER,
            ),
        ]
    )
    await anonymise_older_words(storage, asyncio.Event())
    assert await storage.contributions.unanonymised(ANONYMISER, 0, 10) == []
    assert "personal data looked for again in 2 stored messages" in caplog.text
    assert "06-12345678" not in caplog.text

    assert await quoted_in_csv(storage, tmp_path) == [
        "Bel [phone] over het lek",
        "Of bel [phone]",
        "Mail [email] over de schimmel",
    ]
