"""Every flow in every language, over Telegram: no reply falls back to another language."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.settings import Settings
from locales import (
    FIRST_STRONG_ISOLATE,
    POP_DIRECTIONAL_ISOLATE,
    RIGHT_TO_LEFT_MARK,
    SOURCE_LANGUAGE,
    _,
    available_languages,
    catalogue_path,
    is_right_to_left,
    language_name,
    use,
)
from storage import Storage
from tests.bot.test_telegram import labels, running_bot, showing, tap
from tests.fakes.botapi import FakeBotApi, SentMessage

# "I have debts and can no longer pay the rent", as a resident would write it.
DEBTS_AND_RENT = {
    "nl": "Ik heb schulden en kan de huur niet meer betalen",
    "en": "I have debts and cannot pay the rent anymore",
    "ar": "عندي ديون ولا أستطيع دفع الإيجار بعد الآن",
    "fa": "من بدهی دارم و دیگر نمی‌توانم اجاره خانه را بپردازم",
    "tr": "Borçlarım var ve artık kirayı ödeyemiyorum",
    "pl": "Mam długi i nie mogę już płacić czynszu",
    "uk": "У мене борги, і я більше не можу платити за оренду",
    "ru": "У меня долги, и я больше не могу платить за квартиру",
    "de": "Ich habe Schulden und kann die Miete nicht mehr bezahlen",
    "fr": "J'ai des dettes et je ne peux plus payer le loyer",
    "ti": "ዕዳ ኣለኒ ክራይ ገዛ ክኸፍል ኣይክእልን እየ",
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def source_fragments_left_untranslated_in(lang: str) -> list[str]:
    """Pieces of English source text that must not show up in this language's replies."""
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    fragments = []
    for message in catalog:
        if not isinstance(message.id, str) or not message.id or message.string == message.id:
            continue
        fragments += [f.strip() for f in PLACEHOLDER.split(message.id) if len(f.strip()) >= 10]
    return fragments


def shown(message: SentMessage) -> list[str]:
    """What a resident reads in a message: its text and its button labels."""
    return [message.text or "", *(button.text for row in message.buttons for button in row)]


def test_every_locale_has_a_sample_text() -> None:
    assert set(available_languages()) <= set(DEBTS_AND_RENT)


@pytest.mark.parametrize("lang", available_languages())
async def test_onboarding_and_a_contribution_in_each_language(
    lang: str, api: FakeBotApi, settings: Settings, storage: Storage
) -> None:
    user = api.user(3000 + available_languages().index(lang), "Resident", language_code=lang)
    with use(lang):
        agree, invite_me, worry = _("✅ Yes, I agree"), _("✅ Yes, invite me"), _("😟 A worry")
        right, yes = _("👍 That's right"), _("✅ Yes")
    async with running_bot(settings):
        api.send_command(user, "start")
        welcome = await api.wait_for_message(user)
        await tap(api, user, welcome, language_name(lang))
        await api.wait_until(lambda: agree in labels(welcome))
        await tap(api, user, welcome, agree)

        where = await api.wait_for_message(user, showing("Nazareth"))
        await tap(api, user, where, "Nazareth")
        invite = await api.wait_for_message(user, showing(invite_me))
        await tap(api, user, invite, invite_me)
        menu = await api.wait_for_message(user, showing(worry))
        await tap(api, user, menu, worry)
        await api.wait_for_message(user)
        api.send_text(user, DEBTS_AND_RENT[lang])
        pillars = await api.wait_for_message(user, showing(right))
        await tap(api, user, pillars, right)
        quote = await api.wait_for_message(user, showing(yes))
        await tap(api, user, quote, yes)
        thanks = await api.wait_for_message(user, lambda m: "P-0001" in (m.text or ""))
        api.send_command(user, "mine")
        await api.wait_for_message(user, lambda m: DEBTS_AND_RENT[lang][:20] in (m.text or ""))

    [contribution] = [c async for c in storage.contributions.iterate()]
    assert contribution.language == lang
    assert "livelihood_security" in contribution.pillars["auto"], "the lexicon knows debts"
    texts = [text for message in api.messages(user) for text in shown(message)]
    if lang != SOURCE_LANGUAGE:
        for fragment in source_fragments_left_untranslated_in(lang):
            assert not any(fragment in text for text in texts), f"English in {lang}: {fragment}"
    if is_right_to_left(lang):
        assert f"{FIRST_STRONG_ISOLATE}P-0001{POP_DIRECTIONAL_ISOLATE}" in (thanks.text or "")
        for message in api.messages(user):
            lines = [line for line in (message.text or "").split("\n") if line]
            assert all(line.startswith(RIGHT_TO_LEFT_MARK) for line in lines), message.text
    assert dict(api.commands(lang)).keys() >= {"start", "mine", "forget"}
