"""What the running bot does on its own: words stored before are anonymised once, in batches;
a nightly training gives the bot a better model when enough labels were confirmed."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from bot.background import (
    NightlyTraining,
    anonymise_older_words,
    seconds_until,
    take_newer_model,
)
from bot.settings import Settings, load_settings
from insights.analysis import Analyser
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from insights.language import make_detector
from insights.pillars import PillarTagger
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


def test_the_nightly_training_waits_for_its_time_in_maastricht() -> None:
    winter_evening = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)  # 23:00 in Maastricht
    assert seconds_until(time(3, 0), winter_evening) == 4 * 3600
    summer_night = datetime(2026, 7, 1, 0, 30, tzinfo=UTC)  # 02:30 in Maastricht
    assert seconds_until(time(3, 0), summer_night) == 30 * 60


async def confirmed(storage: Storage, texts: list[tuple[str, str]]) -> None:
    """Messages whose residents confirmed their pillar."""
    someone = (await storage.residents.create("telegram:7", "nl")).id
    for text, pillar in texts:
        added = await storage.contributions.add(
            resident_id=someone, kind="concern", text=text, language="nl", neighbourhood=None
        )
        await storage.contributions.confirm_pillars(added.id, [pillar])


@pytest.fixture
def nightly(
    storage: Storage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, Analyser]:
    """Settings for a training process of its own, and the bot's analyser as it starts: with the
    starter model, the deployment having trained none yet."""
    for name, value in {
        "WIJKSTEM_DATABASE_URL": storage.url,
        "WIJKSTEM_MODELS": str(tmp_path / "models"),
        "WIJKSTEM_RETRAIN_MIN_NEW": "20",
        "WIJKSTEM_LANGUAGE_DETECTOR": "langdetect",
    }.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    return settings, Analyser.with_latest_model(make_detector("langdetect"), "nl", settings.models)


async def test_enough_new_labels_train_a_model_the_bot_uses_from_then_on(
    storage: Storage, nightly: tuple[Settings, Analyser]
) -> None:
    settings, analyser = nightly
    # Residents keep calling the rent supplement by a word no lexicon and no starter model knows.
    await confirmed(
        storage,
        [
            (f"de kwibbel van maand {n} is weer niet gekomen", "livelihood_security")
            for n in range(30)
        ]
        + [(f"mijn moeder is zo eenzaam sinds {n} weken", "positive_health") for n in range(30)],
    )
    training = NightlyTraining(settings, analyser, storage)
    asked = "de kwibbel van deze maand is niet gekomen"
    assert "livelihood_security" not in analyser.analyse(asked).tagging.pillars
    assert await training.once()
    assert analyser.model is not None and analyser.model.version == 1
    assert "livelihood_security" in analyser.analyse(asked).tagging.pillars
    assert not await training.once()  # nothing new confirmed since
    # Another process of the deployment, which did not train, takes the model up too.
    elsewhere = Analyser(make_detector("langdetect"), PillarTagger.load(), "nl")
    assert await take_newer_model(settings, elsewhere)
    assert elsewhere.model is not None and elsewhere.model.version == 1
    assert not await take_newer_model(settings, elsewhere)


async def test_a_model_that_tags_no_better_is_not_taken_nor_tried_again_the_next_night(
    storage: Storage, nightly: tuple[Settings, Analyser]
) -> None:
    settings, analyser = nightly
    await confirmed(
        storage,
        [(f"ik ben zo eenzaam, al {n} dagen zie ik niemand", "positive_health") for n in range(30)]
        + [(f"ik heb schulden, al {n} maanden", "livelihood_security") for n in range(30)],
    )
    training = NightlyTraining(settings, analyser, storage)
    assert not await training.once()
    assert analyser.model is not None and analyser.model.is_starter, "the starter tags on"
    assert not list(settings.models.glob("tagger-*.npz"))
    assert training.tried_at == 60
