"""Anonymisation: personal data in residents' words is replaced before anything leaves.

Found are phone numbers, e-mail addresses, bank account numbers (IBAN), Dutch citizen service
numbers (BSN), Dutch postcodes, street addresses with a house number and names: a first name
with a family name, and a first name alone where it points at one person (after "my name is",
in a signature, after "buurman"). Any other first name alone stays, as do places and
organisations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberType

from insights.names import FIRST_NAMES, NAMES_ALSO_WORDS, NOT_NAMES, PARTICLES
from locales import N_

# kind -> placeholder; English source, translated by the caller with gettext.
PLACEHOLDERS = {
    "phone": N_("[phone]"),
    "email": N_("[e-mail]"),
    "iban": N_("[bank account]"),
    "bsn": N_("[BSN]"),
    "postcode": N_("[postcode]"),
    "address": N_("[address]"),
    "name": N_("[name]"),
}
# When two findings overlap, the kind earlier in this order wins: the checked numbers (IBAN,
# BSN) before phone numbers, which may match a part of an account number.
KINDS = ("email", "iban", "bsn", "phone", "postcode", "address", "name")


class Found(NamedTuple):
    """One piece of personal data: its kind and where it is in the text."""

    kind: str
    start: int
    end: int
    text: str


def english_placeholder(kind: str) -> str:
    """The untranslated placeholder of a kind of personal data."""
    return PLACEHOLDERS[kind]


def scrub(
    text: str, placeholder: Callable[[str], str] = english_placeholder, found: str | None = None
) -> str:
    """The text with every piece of personal data replaced by `placeholder(kind)`.

    `found`: where it is, as `found_in` gave it; without it, looked for now.
    """
    if found == NOTHING_FOUND:
        return text
    spans = (
        [(f.kind, f.start, f.end) for f in find_personal_data(text)]
        if found is None
        else json.loads(found)
    )
    parts, last = [], 0
    for kind, start, end in spans:
        parts += [text[last:start], placeholder(kind)]
        last = end
    return "".join(parts) + text[last:]


# Bump when the detectors change: what an older version found is looked for again.
VERSION = 1
NOTHING_FOUND = "[]"


def found_in(text: str) -> str:
    """Where a text's personal data is, to store with it: JSON [[kind, start, end], ...]."""
    return json.dumps([[f.kind, f.start, f.end] for f in find_personal_data(text)])


def still_found(found: str | None, version: int | None) -> str | None:
    """Stored findings if this version of the detectors made them; else None: look again."""
    return found if version == VERSION else None


def find_personal_data(text: str) -> list[Found]:
    """The personal data in a text, in order and without overlaps."""
    # Most messages hold no digit and no @: skip the detectors that need one (reports scrub
    # every quotable message, so this is the hot path).
    digits = len(DIGIT.findall(text))
    numbered = digits > 0
    phoned = digits >= PHONE_DIGITS
    contacts = [*(_emails(text) if "@" in text else ()), *(_phones(text) if phoned else ())]
    candidates = [*contacts, *_names(text, contacts)]
    if numbered:
        candidates += [*_ibans(text), *_bsns(text), *_postcodes(text), *_addresses(text)]
    candidates.sort(key=lambda f: (KINDS.index(f.kind), f.start - f.end, f.start))
    chosen: list[Found] = []
    for found in candidates:
        if all(found.end <= c.start or c.end <= found.start for c in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


DIGIT = re.compile(r"\d")
# A person's phone number has at least eight digits (see _phones): fewer need no parsing.
PHONE_DIGITS = 8


def _found(kind: str, text: str, start: int, end: int) -> Found:

    return Found(kind, start, end, text[start:end])


# --- e-mail -----------------------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")


def _emails(text: str) -> Iterator[Found]:
    for m in EMAIL.finditer(text):
        yield _found("email", text, m.start(), m.end())


# --- phone ------------------------------------------------------------------------------------

# Numbers of organisations, not of people: free, paid and company-wide numbers.
SERVICE_NUMBER_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
DATE_LIKE = re.compile(r"\d{1,4}[-./]\d{1,2}[-./]\d{2,4}")
MONEY_BEFORE = re.compile(r"(?:€|\$|£|eur|euro|tl|zł|pln|₴|грн)\s*$", re.IGNORECASE)


def _phones(text: str) -> Iterator[Found]:
    # VALID, not POSSIBLE: POSSIBLE also takes dates (12-03-2026), amounts and account numbers.
    for m in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=Leniency.VALID):
        if DATE_LIKE.fullmatch(m.raw_string) or MONEY_BEFORE.search(text[: m.start]):
            continue
        number = m.number
        national = phonenumbers.national_significant_number(number)
        if len(national) < PHONE_DIGITS:
            continue
        if phonenumbers.number_type(number) in SERVICE_NUMBER_TYPES:
            continue
        yield _found("phone", text, m.start, m.end)


# --- bank account (IBAN) ---------------------------------------------------------------------

# IBAN lengths of the SWIFT registry (ISO 13616); other country codes may have 15 to 34.
IBAN_LENGTHS = {
    **dict.fromkeys(["NO"], 15),
    **dict.fromkeys(["BE"], 16),
    **dict.fromkeys("DK FI FK FO GL NL SD".split(), 18),
    **dict.fromkeys("MK SI".split(), 19),
    **dict.fromkeys("AT BA EE KZ LT LU MN XK".split(), 20),
    **dict.fromkeys("CH HR LI LV".split(), 21),
    **dict.fromkeys("BG BH CR DE GB GE IE ME RS VA".split(), 22),
    **dict.fromkeys("AE GI IL IQ OM SO TL".split(), 23),
    **dict.fromkeys("AD CZ ES MD PK RO SA SE SK TN VG".split(), 24),
    **dict.fromkeys("LY PT ST".split(), 25),
    **dict.fromkeys("IS TR".split(), 26),
    **dict.fromkeys("BI DJ FR GR IT MC MR SM".split(), 27),
    **dict.fromkeys("AL AZ BY CY DO GT HN HU LB NI PL SV".split(), 28),
    **dict.fromkeys("BR EG PS QA UA".split(), 29),
    **dict.fromkeys("JO KW MU YE".split(), 30),
    **dict.fromkeys("MT SC".split(), 31),
    **dict.fromkeys(["LC"], 32),
    **dict.fromkeys(["RU"], 33),
}
# Country, check digits, then letters and digits, written whole or in groups ("NL91 ABNA ...").
IBAN = re.compile(r"(?<![^\W_])[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]){11,30}(?![^\W_])", re.IGNORECASE)


def _ibans(text: str) -> Iterator[Found]:
    for m in IBAN.finditer(text):
        if (length := _iban_length(m.group())) is not None:
            yield _found("iban", text, m.start(), m.start() + length)


def _iban_length(raw: str) -> int | None:
    """How much of a run of letters and digits is an IBAN that passes the check, if any."""
    country = raw[:2].upper()
    lengths = {IBAN_LENGTHS[country]} if country in IBAN_LENGTHS else range(15, 35)
    # The longest group-aligned prefix: the words after an IBAN may look like groups.
    for end in range(len(raw), 0, -1):
        if end == len(raw) or raw[end] in " \t":
            compact = re.sub(r"[ \t]", "", raw[:end]).upper()
            if len(compact) in lengths and _mod97(compact):
                return end
    return None


def _mod97(iban: str) -> bool:
    """The ISO 13616 check: with its first four characters moved to the end and its letters
    made numbers (A = 10 ... Z = 35), the IBAN leaves 1 when divided by 97."""
    if not 2 <= int(iban[2:4]) <= 98:
        return False  # check digits 00, 01 and 99 are never issued
    return int("".join(str(int(c, 36)) for c in iban[4:] + iban[:4])) % 97 == 1


# --- citizen service number (BSN) -------------------------------------------------------------

# Nine digits, whole, as "1234.56.782" or in threes with spaces or dashes; "123.456.782" is an
# amount in Dutch, not a BSN.
BSN = re.compile(
    r"(?<![\w.,+/€$-])(?<!\d[ -])"
    r"(?:\d{9}|\d{4}([ .])\d{2}\1\d{3}|\d{3}([ -])\d{3}\2\d{3})"
    r"(?![\w]|[.,/-]?\d|[ -]\d)"
)
# A country code before nine digits makes them a phone number ("+31 612345678").
COUNTRY_CODE_BEFORE = re.compile(r"(?:\+|00)\d{1,3}[ \t-]*(?:\(0\)[ \t-]*)?$")
BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _bsns(text: str) -> Iterator[Found]:
    for m in BSN.finditer(text):
        before, after = text[: m.start()], text[m.end() :]
        if MONEY_BEFORE.search(before) or COUNTRY_CODE_BEFORE.search(before):
            continue
        if COUNTED.match(after) or not _elfproef(re.sub(r"\D", "", m.group())):
            continue
        yield _found("bsn", text, m.start(), m.end())


def _elfproef(digits: str) -> bool:
    """The 11-test: 9·d1 + 8·d2 + ... + 2·d8 − d9 is a multiple of 11, and not all zeros."""
    total = sum(w * int(d) for w, d in zip(BSN_WEIGHTS, digits, strict=True))
    return total % 11 == 0 and digits.strip("0") != ""


# --- postcode ---------------------------------------------------------------------------------

POSTCODE = re.compile(r"(?<![\w.,€$-])([1-9]\d{3}) ?([^\W\d_]{2})(?![\w-])")
POSTCODE_CUE = re.compile(r"(?:postcode|postal code|plz|code postal|kod pocztowy)\W*$", re.I)
# Letter pairs after a number that are words or units, not postcode letters ("in 2026 en ik").
SHORT_WORDS = frozenset(
    """en in op of om te is de ik je we ze na al ja nu zo ga af er uw oh on at or as an it by
    my me he so no do go up us to be if am pm ok hi um im zu es ob da wo du et le la du un au
    ou il tu ne se sa si ma ta mi ni el lo es su ya yo ve bu ki na po od za co bo ty oo ku ka
    ay ee km kg cm mm ml cl dl mg gb mb kb kw cc hr ct st nd rd th pt dm fl kr zl tl""".split()
)
NO_POSTCODE_LETTERS = {"SA", "SD", "SS"}  # never issued


def _postcodes(text: str) -> Iterator[Found]:
    for m in POSTCODE.finditer(text):
        letters = m.group(2)
        if not letters.isascii() or letters.upper() in NO_POSTCODE_LETTERS:
            continue
        if letters.lower() in SHORT_WORDS and not POSTCODE_CUE.search(text[: m.start()]):
            # A word after a number ("2026 en") unless written as a postcode: capitals, and a
            # place name after it ("6221 EN Maastricht").
            rest = text[m.end() :]
            if not (
                letters.isupper() and re.match(r"\s+[^\W\d_]", rest) and rest.strip()[0].isupper()
            ):
                continue
        yield _found("postcode", text, m.start(), m.end())


# --- street address ---------------------------------------------------------------------------

SUFFIXES = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg|park|dreef|markt|veld|wal|"
    "baan|poort|allee|boulevard|hoven|gaard|plantsoen|passage|promenade|akker|straße|strasse|"
    "gasse|str\\."
)
# Suffixes certain enough that a lower-case compound is a street too ("bosstraat 17").
STRONG_SUFFIXES = re.compile(
    r"(?:straat|laan|weg|plein|singel|gracht|kade|steeg|dreef|straße|strasse)$", re.I
)
NOT_STREETS = frozenset("onderweg halfweg snelweg uitweg zijweg rijweg fietspad voetpad".split())
# Words that open a street name of more than one word ("Sint Maartenslaan", "Oude Markt").
STREET_TITLES = frozenset(
    """sint st. burgemeester burg. prins prinses koning koningin pastoor pater professor prof.
    dokter dr. generaal graaf hertog kapelaan kardinaal mgr. monseigneur oude nieuwe hoge lage
    grote groote kleine korte lange van de der den ter ten 't""".split()
)
STREET_WORD_PARTICLES = frozenset("van de der den ter ten 't".split())
# Streets whose whole name is a suffix word, as Maastricht's Markt.
BARE_STREETS = frozenset({"Markt"})
# Streets named without a suffix word.
STREET_OPENERS = re.compile(r"(?:Via|Avenue|Rue|Boulevard|Place|Chaussée)\s+[^\W\d_][\w'’-]*")
# Words after a number that make it a count, an amount or a date, not a house number.
UNITS = (
    "keer|x|uur|jaar|jaren|jr|kinderen|kids|euro|eur|procent|minuten|min|meter|m|km|kg|"
    "dagen|dag|weken|week|maanden|maand|mensen|personen|people|persons|times|years|year|hours|"
    "hour|minutes|days|months|weeks|stuks|januari|februari|maart|april|mei|juni|juli|augustus|"
    "september|oktober|november|december|stunden|jahre|kinder|tage|ans|heures|jours|enfants|"
    "jaor|jarigen|jarige|plussers|punten|goals|"
    # month abbreviations, but not the first name "Jan"
    "(?-i:jan|[fF]eb|[mM]rt|[aA]pr|[jJ]un|[jJ]ul|[aA]ug|[sS]ept?|[oO][kc]t|[nN]ov|[dD]e[cz])"
)
COUNTED = re.compile(rf"\s*(?:%|€|(?:{UNITS})\b)", re.IGNORECASE)
# A number of one to four digits that is no year.
HOUSE_NUMBER_START = r"(?<!\d)(?!(?:19|20)\d\d(?!\d))\d{1,4}"
# A letter or "bis" after it, but not an "x": "3x" is a count ("de Markt 3x rond").
HOUSE_ADDITION = r"\s?-?\s?(?:bis|hs)\b|-?(?![xX](?!\w))[a-zA-Z](?!\w)|(?-i: [A-Z])(?![\w'’])"
HOUSE_NUMBER_END = rf"(?![\w,.:/-]?\d)(?!{COUNTED.pattern})"
HOUSE_NUMBER = rf"{HOUSE_NUMBER_START}(?:[-/]\d{{1,4}}(?!\d)|{HOUSE_ADDITION})?{HOUSE_NUMBER_END}"
ADDRESS = re.compile(
    rf"(?P<street>{STREET_OPENERS.pattern}|(?<![\w-])(?:[^\W\d_][\w'’-]*?)?(?:{SUFFIXES})(?!\w))"
    rf"\s*,?\s+(?:(?:nr|no|nummer|number|huisnummer)\.?\s*)?(?P<number>{HOUSE_NUMBER})",
    re.IGNORECASE,
)
WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.]*)[ \t]+$")
# The neighbourhoods are streets too ("Pottenberg 23a"), but far more often places: a plain
# number only, no range, score or age ("Nazareth 2-1", "Pottenberg 65+").
PLACE_ADDRESS = re.compile(
    rf"(?<![\w-])(?:Pottenberg|Nazareth)[ \t]+(?:(?:nr|no|nummer)\.?[ \t]*)?"
    rf"{HOUSE_NUMBER_START}(?P<addition>{HOUSE_ADDITION})?{HOUSE_NUMBER_END}"
    r"(?!\s*(?:\+|(?:[-–x×:/]|tot|t/m|en|of|and|or|to)\s*\d))",
    re.IGNORECASE,
)
# "In Pottenberg 3 speeltuinen" counts; on a street one lives "op" or "aan" it.
STREET_PREPOSITION = re.compile(r"(?<!\w)(?:op|aan|adres|address|at|auf)\W*$", re.IGNORECASE)
LOWER_WORD_NEXT = re.compile(r"[ \t]+[^\W\d_]")
# A match between neighbourhoods: "Nazareth 3 - Pottenberg 1".
SCORE_AFTER = re.compile(r"[ \t]*[-–:][ \t]*[^\W\d_][\w'’-]*[ \t]+\d")
SCORE_BEFORE = re.compile(r"\d[ \t]*[-–:][ \t]*$")


def _addresses(text: str) -> Iterator[Found]:
    for m in ADDRESS.finditer(text):
        street = m.group("street")
        start = m.start("street")
        if STREET_OPENERS.fullmatch(street):
            words = street.split()
            if not (words[0][0].isupper() and words[-1][0].isupper()):
                continue
        else:
            suffix = re.search(rf"(?:{SUFFIXES})$", street, re.I)
            stem = street[: suffix.start()] if suffix else street
            if street.lower() in NOT_STREETS:
                continue
            if not street[0].isupper() and not (STRONG_SUFFIXES.search(street) and len(stem) > 2):
                continue
            start = _street_start(text, start)
            if not stem and start == m.start("street") and street not in BARE_STREETS:
                continue  # a bare "Markt 3" or "Plein 2" needs a word before it
        yield _found("address", text, start, m.end())
    for m in PLACE_ADDRESS.finditer(text):
        if not _place_is_street(text, m.start(), m.end(), lettered=bool(m.group("addition"))):
            continue
        yield _found("address", text, m.start(), m.end())


def _place_is_street(text: str, start: int, end: int, *, lettered: bool) -> bool:
    """Whether "Pottenberg 3" is a street and house number, not a score or a count."""
    if SCORE_AFTER.match(text, end) or SCORE_BEFORE.search(text, 0, start):
        return False
    if lettered:
        return True  # "23a" is never a count
    # "In Pottenberg 3 speeltuinen": a word in lower case after the number is what it counts.
    following = LOWER_WORD_NEXT.match(text, end)
    if not following or not text[following.end() - 1].islower():
        return True
    return STREET_PREPOSITION.search(text, 0, start) is not None


def _street_start(text: str, start: int) -> int:
    """Where a street name begins when words such as "Sint" or "Jan van" open it."""
    first, opened = start, []
    for _ in range(4):
        before = WORD_BEFORE.search(text, 0, start)
        if not before:
            break
        word = before.group(1)
        known = word.lower() in STREET_TITLES or (word[0].isupper() and word in FIRST_NAMES)
        if not known:
            break
        opened.append((before.start(1), word))
        start = before.start(1)
    # "in de Bosstraat": a particle only belongs to the name after a title or first name.
    while opened and opened[-1][1].lower() in STREET_WORD_PARTICLES:
        opened.pop()
    return opened[-1][0] if opened else first


# --- names ------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# "My name is" and its kin: whatever name follows, even of one word.
NAME_CUE = (
    r"(?:mijn naam is|ik heet|my name is|my name's|i am called|je m['’]appelle|mon nom est|"
    r"ich heiße|ich heisse|mein name ist|benim adım|adım|ismim|nazywam się|mam na imię|"
    r"меня зовут|мене звати|мене звуть|моє ім['’]я|мое имя|моё имя|me llamo|mi nombre es|"
    r"magacaygu waa|magacayga waa)[ \t]*[:,]?\s*"
    # Scripts without capitals: the cue stands right before the name ("واسمي": and my name).
    r"|و?(?:اسمي|اسم من|نام من|اسمم|نامم|ስመይ)(?:\s+(?:هو|هي))?[ \t]*[:،]?\s*"
)
# Sign-offs: the name after them is a signature, even of one word ("groetjes, Mohammed").
SIGN_OFF = (
    r"(?:(?:met )?(?:vriendelijke |hartelijke )?groet(?:en|jes)?|grtjs|liefs|mvg|"
    r"(?:kind |best |warm )?regards|cheers|(?:viele |liebe )?grüße|mfg|cordialement|"
    r"bien à vous|pozdrawiam|pozdrowienia|saygılarımla|с уважением|з повагою)"
    r"(?:[ \t]+(?:van|from|von))?[ \t]*[:,]?\s*"
    r"|(?:مع تحياتي|مع التحية|با احترام|با تشکر)[ \t]*[:،,]?\s*"
)
# Neighbours called by their name ("buurman Henk", "جاري محمد"): a title, not a sentence word.
NEIGHBOUR = (
    r"(?:buurman|buurvrouw|buurjongen|buurmeisje|buur|buren|neighbou?rs?|nachbar(?:in|n)?|"
    r"voisine?s?|vecin[oa]s?|komşu(?:m|muz)?|s[ąa]siad(?:ka|ki|ce|kę|ką|owi|em|a)?|"
    r"сусід(?:ка|ки|ку|кою|ові|ом|а|у|и)?|сосед(?:ка|ки|ку|кой|ом|а|у|и)?|deriska(?:yga)?|"
    r"جاري|جارتي|جارنا|جارتنا|همسایه(?:\u200c?ام)?|ጎረቤተይ|ጎረቤትና|ጎረቤት)[ \t]+"
)
# One scan for the three (this runs over every message); each cue opens a word.
CUES = re.compile(
    rf"(?<!\w)(?=\w)(?:(?P<name>{NAME_CUE})|(?P<sign_off>{SIGN_OFF})|(?P<neighbour>{NEIGHBOUR}))",
    re.IGNORECASE,
)
# Only line ends, punctuation or emoji after a name: the signature closes the line.
SIGNATURE_END = re.compile(r"[^\w\n]*(?:\n|$)")
# "I am": a name follows only sometimes ("ik ben Turkse Nederlander", "أنا ساكن الحي").
WEAK_NAME_CUES = re.compile(
    r"(?<!\w)(?:ik ben|i am|i'm|i’m|this is|hier is|je suis|jestem|soy|ben|я|waxaan ahay|أنا)"
    r"[ \t]+",
    re.IGNORECASE,
)
# Words in capitals that describe a person rather than name one (Dutch "Turkse", "Syrische").
ADJECTIVE_ENDINGS = re.compile(
    r"(?:se|sche|isch|ische|ees|ese|aans|aanse|iaans|iaanse|ian|ish|ean)$"
)
# Between a name and the phone number or e-mail address that follows it.
BEFORE_CONTACT = re.compile(
    r"[ \t]*[,:;(–—-]?[ \t]*(?:(?:tel|telefoon|mob|mobiel|gsm|phone|mail|e-mail|email|"
    r"whatsapp|app|nr|nummer|numer|номер|رقم)[ \t]*[.:]?[ \t]*)?$",
    re.IGNORECASE,
)
TITLES = re.compile(
    r"(?<!\w)(?=\w)(?:mevrouw|meneer|mevr\.|mw\.|dhr\.|mr\.?|mrs\.?|ms\.?|frau|herr|madame|monsieur|"
    r"mme\.?|pani|pan|bayan|bay)[ \t]+",
    re.IGNORECASE,
)
ARABIC_NAME_LINKS = frozenset("بن ابن بنت أبو ابو".split())
GEEZ_COPULAS = frozenset("እየ እዩ ኢየ ኢዩ ትበሃል ይበሃል".split())
PERSIAN_COPULAS = frozenset("است هست".split())


class _Word(NamedTuple):
    start: int
    end: int
    text: str


def _names(text: str, contacts: list[Found]) -> list[Found]:
    words = [_Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    at = {w.start: i for i, w in enumerate(words)}
    found = []

    def add(i: int, end: int | None) -> None:
        if end is not None:
            found.append(_found("name", text, words[i].start, end))

    for first, word in enumerate(words):
        if word.text in FIRST_NAMES and _cased(word.text) and word.text[0].isupper():
            add(first, _family_name(text, words, first + 1))
    for cue in CUES.finditer(text):
        if (i := at.get(cue.end())) is not None:
            add(i, _after_cue(text, words, i, cue))
    for cue in WEAK_NAME_CUES.finditer(text):
        if (i := at.get(cue.end())) is not None and _may_open_name(words[i].text):
            add(i, _name_after_cue(text, words, i))
    for title in TITLES.finditer(text):
        if (i := at.get(title.end())) is not None and words[i].text not in FIRST_NAMES:
            add(i, _family_name(text, words, i, after_title=True))
    for contact in contacts:
        if (i := _signature(text, words, contact.start)) is not None:
            end = _family_name(text, words, i + 1)
            add(i, None if end is None else min(end, _last_word_end(text, words, contact.start)))
    return found


def _after_cue(text: str, words: list[_Word], i: int, cue: re.Match[str]) -> int | None:
    """Where the name after a cue ("my name is", a sign-off, "buurman") starting at word i ends."""
    if cue.lastgroup == "neighbour":
        return _neighbour(text, words, i, cue.group())
    # A signature closes its line; elsewhere after "groeten" only a known name counts.
    named = cue.lastgroup == "name" or SIGNATURE_END.match(text, words[i].end) is not None
    end = _named_after_cue(text, words, i, unknown=named, lower=named)
    if end is None and cue.lastgroup == "name" and words[i].text in NAMES_ALSO_WORDS:
        end = words[i].end  # "Ik heet Ben", "Benim adım Can": the cue makes the word a name
    return end


def _named_after_cue(
    text: str, words: list[_Word], i: int, *, unknown: bool, lower: bool
) -> int | None:
    """Where the name after a cue ends: a full name, or else a first name alone."""
    end = _name_after_cue(text, words, i)
    if end is None and _lone_name(words[i].text, unknown=unknown, lower=lower):
        end = words[i].end
    return end


def _lone_name(word: str, *, unknown: bool, lower: bool) -> bool:
    """Whether a word may be a first name on its own: a known one, or with `unknown` any word
    that is no sentence word; in lower case or in capitals only a known one, with `lower`."""
    if _is_base(word, NOT_NAMES) or word in GEEZ_COPULAS or word in PERSIAN_COPULAS:
        return False
    if not _cased(word):
        # "اسمي ورقمي": a word opening with "و" (and) is no name, unless a known one.
        return word in FIRST_NAMES or (unknown and not word.startswith("و"))
    if word[0].isupper() and not (word.isupper() and len(word) > 1):
        return word in FIRST_NAMES or (unknown and len(word) > 1 and _may_open_name(word))
    # "mijn naam is ria", "MVG HENK": typed without care for capitals, so known names only.
    return lower and word.capitalize() in FIRST_NAMES


def _neighbour(text: str, words: list[_Word], i: int, title: str) -> int | None:
    """Where the name after "buurman" and its kin ends: a first name, a family name or both."""
    word = words[i].text
    if TITLES.match(text, words[i].start):
        return None  # "buurvrouw mevrouw Janssen": the title finds the family name
    if word.lower() in PARTICLES:  # "buurvrouw van Dijk", not "de buren van de overkant"
        return _family_name(text, words, i, after_title=True)
    # Without capitals anything may follow ("جاري بيدخن", my neighbour smokes), and in German
    # every noun has one ("den Nachbarn Hilfe anbieten"): there only known names count.
    unknown = _cased(word) and not title.lower().startswith("nachbar")
    if not _lone_name(word, unknown=unknown, lower=False):
        return None
    end = _name_after_cue(text, words, i)
    return words[i].end if end is None else end


def _may_open_name(word: str) -> bool:
    """Whether a word after "I am" may be a first name, known or not."""
    if word in FIRST_NAMES:
        return True
    return _cased(word) and word[0].isupper() and not ADJECTIVE_ENDINGS.search(word)


def _last_word_end(text: str, words: list[_Word], contact: int) -> int:
    """Where the words before a phone number or e-mail address end ("Tel:" not counted)."""
    before = BEFORE_CONTACT.search(text, 0, contact)
    assert before is not None  # all of it is optional: it matches, if only before the contact
    return before.start()


def _signature(text: str, words: list[_Word], contact: int) -> int | None:
    """The first word of a name written right before a phone number or e-mail address."""
    end = _last_word_end(text, words, contact)
    last = max((i for i, w in enumerate(words) if w.end <= end), default=None)
    if last is None or words[last].end != end:
        return None
    i = last
    while i > 0 and last - i < 3 and _joined(text, words, i):
        previous = words[i - 1].text
        if not (previous.lower() in PARTICLES or _is_family_name(previous)):
            break
        i -= 1
    # From the left, the first word that can open a name: "Bel Truus Ramakers" opens at Truus.
    for first in range(i, last):
        if _may_open_name(words[first].text) and not _is_base(words[first].text, NOT_NAMES):
            return first
    return None


def _is_base(word: str, stop: frozenset[str]) -> bool:
    """Whether a word, without a suffix after an apostrophe ("Pottenberg'de"), is in `stop`."""
    return re.split(r"['’]", word)[0].lower() in stop


def _cased(word: str) -> bool:
    return word[0].isupper() or word[0].islower()


def _joined(text: str, words: list[_Word], i: int) -> bool:
    """Whether word i follows word i - 1 with only spaces between, as parts of a name do."""
    return (
        0 < i < len(words)
        and re.fullmatch(r"[ \t\u00a0]+", text[words[i - 1].end : words[i].start]) is not None
    )


def _is_family_name(word: str) -> bool:
    if not _cased(word) or not word[0].isupper() or len(re.split(r"['’]", word)[0]) < 2:
        return False
    if _is_base(word, NOT_NAMES) or (word.isupper() and len(word) <= 4):
        return False  # places, organisations, weekdays, sentence words, acronyms (GGD, UWV)
    stem = STRONG_SUFFIXES.split(word)[0]
    return not (STRONG_SUFFIXES.search(word) and len(stem) > 2)  # "Bosstraat" is a street


def _family_name(
    text: str, words: list[_Word], j: int, *, after_title: bool = False
) -> int | None:
    """Where a family name starting at word j ends (particles and one or two words), if any."""
    if after_title and j >= len(words):
        return None
    while (after_title or _joined(text, words, j)) and words[j].text.lower() in PARTICLES:
        j, after_title = j + 1, False
    if not (after_title or _joined(text, words, j)):
        return None
    if not _is_family_name(words[j].text) and not _particle_joined(words[j].text):
        return None
    if _joined(text, words, j + 1) and _is_family_name(words[j + 1].text):
        j += 1
    return words[j].end


def _particle_joined(word: str) -> bool:
    """A family name written onto its particle, as in "al-Khatib" or "el-Amrani"."""
    head, _, tail = word.partition("-")
    return head.lower() in PARTICLES and bool(tail) and tail[0].isupper()


def _name_after_cue(text: str, words: list[_Word], i: int) -> int | None:
    """Where a name of at least two words starting at word i ends, after a cue."""
    first = words[i].text
    if _is_base(first, NOT_NAMES):
        return None  # also "اسمي في القائمة": my name is on the list
    if not _cased(first):
        return _uncased_name(text, words, i)
    if first[0].isupper():
        return _family_name(text, words, i + 1)
    if first.capitalize() not in FIRST_NAMES:
        return None
    # Typed all in lower case ("mijn naam is ria vonken"): any next word that is no sentence word.
    j = i + 1
    while _joined(text, words, j) and words[j].text.lower() in PARTICLES:
        j += 1
    if not _joined(text, words, j):
        return None
    last = words[j].text
    if last.lower() in NOT_NAMES or "'" in last or "’" in last or not _cased(last):
        return None
    return words[j].end


def _uncased_name(text: str, words: list[_Word], i: int) -> int | None:
    """A two-word name in Arabic, Persian or Ge'ez script, where no capitals mark it."""
    if words[i].text in ARABIC_NAME_LINKS:  # "ابن خلدون"
        return words[i + 1].end if _joined(text, words, i + 1) else None
    j = i + 1
    if not _joined(text, words, j):
        return None
    second = words[j].text
    if second in GEEZ_COPULAS or second in PERSIAN_COPULAS or _cased(second):
        return None
    if "\u1200" <= second[0] <= "\u137f":  # Ge'ez: the word before the copula
        return words[j].end
    if second in ARABIC_NAME_LINKS:  # "محمد بن سلمان"
        return words[j + 1].end if _joined(text, words, j + 1) else None
    arabic_family = second.startswith(("ال", "آل")) or second in FIRST_NAMES
    persian_family = second.endswith(("ی", "زاده", "پور"))
    return words[j].end if arabic_family or persian_family else None
