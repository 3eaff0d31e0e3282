"""Demo data: realistic, multilingual, clearly marked input, so a report can be tried at once."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from insights.analysis import Analyser
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from storage import Storage
from storage.residents import DEMO_CHANNEL

# (language, kind, words): invented, the way residents type on a phone.
SAMPLES: tuple[tuple[str, str, str], ...] = (
    ("nl", "concern", "Al maanden schimmel in de slaapkamer, mijn zoontje hoest de hele tijd"),
    ("nl", "concern", "Sinds mijn man overleden is zit ik veel alleen thuis, ik voel me eenzaam"),
    ("nl", "concern", "We kunnen de energierekening niet meer betalen en de schulden stapelen op"),
    (
        "nl",
        "concern",
        "Er wordt 's avonds gedeald bij het speeltuintje, ik laat mijn kids niet meer gaan",
    ),
    (
        "nl",
        "concern",
        "Mijn dochter heeft hulp nodig met huiswerk maar bijles is te duur voor ons",
    ),
    ("nl", "concern", "Overal zwerfvuil en ratten bij de containers in onze straat"),
    ("nl", "idea", "Idee: een taalcafé in het buurthuis waar je Nederlands kan oefenen"),
    ("nl", "idea", "Waarom geen moestuin voor de hele buurt op het grasveld achter de flat?"),
    (
        "nl",
        "idea",
        "Meer bankjes en licht langs het wandelpad, dan durven ouderen ook naar buiten",
    ),
    ("nl", "initiative", "Ik wil elke woensdag een koffieochtend organiseren voor buren"),
    ("nl", "initiative", "Ik kan kinderen helpen met rekenen, ik was vroeger juf"),
    ("nl", "initiative", "Wij willen een repaircafé beginnen, ik repareer fietsen en lampen"),
    ("en", "concern", "I lost my job last month and I don't know how to pay the rent"),
    ("en", "concern", "My kids have no laptop for school and we can't afford one"),
    ("en", "idea", "It would be great to have a free sports afternoon for teenagers"),
    ("en", "initiative", "I'd like to start a walking group for people who feel lonely"),
    ("ar", "concern", "عندي رطوبة وعفن بالبيت والأولاد عندهم ربو"),
    ("ar", "concern", "زوجي خسر شغله وما عم نقدر ندفع الإيجار"),
    ("ar", "idea", "فكرة: دروس لغة هولندية للنساء مع حضانة للأطفال"),
    ("ar", "initiative", "بدي ساعد الجيران الجدد بالأوراق والرسائل من البلدية"),
    ("tr", "concern", "Evde küf var, çocuklar sürekli hasta oluyor"),
    ("tr", "concern", "Kira çok arttı, borçlarımızı ödeyemiyoruz"),
    ("tr", "idea", "Gençler için akşamları spor salonu açık olsa çok iyi olur"),
    ("tr", "initiative", "Annelere her hafta Hollandaca konuşma grubu yapmak istiyorum"),
    ("pl", "concern", "Nie mam pracy i nie stać mnie na rachunki za prąd"),
    ("pl", "concern", "Syn nie ma kolegów w szkole i czuje się bardzo samotny"),
    ("pl", "idea", "Pomysł: kurs niderlandzkiego wieczorem po pracy"),
    ("uk", "concern", "Я не можу знайти роботу, бо мій диплом тут не визнають"),
    ("uk", "concern", "Ми живемо в холодній квартирі з пліснявою, діти хворіють"),
    ("uk", "idea", "Було б добре мати гурток для українських дітей після школи"),
    ("ru", "concern", "У нас большие долги и я не сплю по ночам"),
    ("ru", "initiative", "Я могу помогать пожилым соседям с покупками"),
    ("de", "concern", "Ich fühle mich hier sehr allein, ich kenne niemanden"),
    ("de", "idea", "Ein Spielplatz mit Schatten wäre toll für die kleinen Kinder"),
    ("fr", "concern", "Je ne trouve pas de travail et les aides ne suffisent pas"),
    ("fr", "initiative", "Je veux organiser un atelier cuisine pour les familles du quartier"),
    ("fa", "concern", "خانه ما نم دارد و کپک زده، بچه ها مریض می شوند"),
    ("fa", "idea", "کلاس زبان هلندی برای مادرها با مهد کودک خیلی خوب است"),
    ("ti", "concern", "ስራሕ የብለይን ክራይ ገዛ ክኸፍል ኣይክእልን እየ"),
)
NEIGHBOURHOOD_SHARE = (("pottenberg", 0.45), ("nazareth", 0.45), ("elsewhere", 0.05))


async def fill(
    storage: Storage,
    analyser: Analyser,
    residents: int,
    contributions: int,
    days: int,
    seed: int = 2026,
    progress: Callable[[int], None] = lambda n: None,
    days_ago: int = 0,
    unique: bool = False,
) -> None:
    """Add demo residents (on the `demo` channel) and their contributions over `days` days.

    The days end `days_ago` days ago (0: now); `unique` makes every text different, as real
    residents' are (the samples repeat, which flatters anonymisation and caching).
    """
    chance = random.Random(seed)
    analyses = {text: analyser.analyse(text, prior=lang) for lang, _kind, text in SAMPLES}
    found = {text: found_in(text) for _lang, _kind, text in SAMPLES}
    start = await storage.residents.count_on_channel(DEMO_CHANNEL)
    people = []
    for number in range(start, start + residents):
        lang = chance.choice(SAMPLES)[0]
        hood = _neighbourhood(chance)
        people.append(await storage.residents.create_demo(f"demo-{number + 1}", lang, hood))
    now = datetime.now(UTC)
    batch = []
    for number in range(contributions):
        person = chance.choice(people)
        lang, kind, text = chance.choice(
            [s for s in SAMPLES if s[0] == person.language] or SAMPLES
        )
        analysis = analyses[text]
        created = now - timedelta(days=days_ago, seconds=chance.randrange(days * 86400))
        words = f"{text} ({seed}-{number})" if unique else text
        batch.append(
            {
                "resident_id": person.id,
                "kind": kind,
                "text": words,
                "personal_data": found_in(words) if unique else found[text],
                "anonymised_with": ANONYMISER,
                "language": analysis.lang,
                "neighbourhood": person.neighbourhood,
                "pillars": analysis.tagging.pillars,
                "scores": analysis.tagging.scores,
                "terms": analysis.tagging.matched,
                "concepts": analysis.tagging.concepts,
                "may_quote": chance.random() < 0.7,
                "wants_contact": chance.random() < 0.4 if kind != "concern" else None,
                "confirmed": chance.random() < 0.8,
                "created_at": created.isoformat(timespec="seconds"),
            }
        )
        if len(batch) == 5000 or number == contributions - 1:
            await storage.contributions.add_many(batch)
            progress(len(batch))
            batch = []


def _neighbourhood(chance: random.Random) -> str | None:
    roll = chance.random()
    for hood, share in NEIGHBOURHOOD_SHARE:
        if roll < share:
            return hood
        roll -= share
    return None
