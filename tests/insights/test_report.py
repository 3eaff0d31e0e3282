"""The dialogue session pack: figures, quotes and every format, against a real database."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from insights.analysis import Analyser
from insights.anonymise import VERSION as ANONYMISER
from insights.anonymise import found_in
from insights.demo import fill
from insights.export import jsonl_lines
from insights.report import workbook
from insights.report.data import Report, gather
from insights.report.labels import KIND_NAMES
from insights.report.output import write
from insights.report.page import render
from insights.report.period import Period, ReportError, parse_period, today
from insights.report.reach import Inhabitants
from insights.report.summary import summarise
from locales import FIRST_STRONG_ISOLATE, _, use
from storage import Storage

TODAY = date(2026, 11, 20)
PERIOD = Period(date(2026, 11, 1), date(2026, 11, 20))


def at(day: date, hour: int = 12) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat(timespec="seconds")


def item(resident: int, day: date, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "resident_id": resident,
        "kind": "concern",
        "text": "",
        "language": "nl",
        "neighbourhood": "pottenberg",
        "pillars": (),
        "scores": {},
        "terms": {},
        "concepts": (),
        "may_quote": False,
        "wants_contact": None,
        "confirmed": True,
        "created_at": at(day),
    }
    return base | fields


@pytest.fixture
async def seeded(storage: Storage) -> Storage:
    """Three residents; one contributed before the period too."""
    anna = (await storage.residents.create("telegram:1", "nl")).id
    omar = (await storage.residents.create("telegram:2", "ar")).id
    olena = (await storage.residents.create("telegram:3", "uk")).id
    health = {"pillars": ("positive_health",), "scores": {"positive_health": 1.0}}
    money = {"pillars": ("livelihood_security",), "scores": {"livelihood_security": 1.0}}
    await storage.contributions.add_many(
        [
            item(anna, date(2026, 10, 20), text="Oud bericht", **health),  # previous period
            item(
                anna,
                date(2026, 11, 2),
                text="Schimmel in de badkamer, bel 06-12345678",
                may_quote=True,
                concepts=("mould_and_damp",),
                **health,
            ),
            item(
                omar,
                date(2026, 11, 3),
                text="عندي رطوبة وعفن بالبيت P-0001",
                language="ar",
                neighbourhood="nazareth",
                may_quote=True,
                concepts=("mould_and_damp",),
                **health,
            ),
            item(
                olena,
                date(2026, 11, 4),
                text='=HYPERLINK("http://evil") борги <script>x</script>',
                language="uk",
                may_quote=True,
                concepts=("debts",),
                **money,
            ),
            item(
                olena,
                date(2026, 11, 5),
                text="Niet citeren: geheim",
                kind="idea",
                concepts=("mould_and_damp",),
                wants_contact=True,
                **health,
            ),
            item(anna, date(2026, 11, 6), text="Spam spam", pillars=()),
        ]
    )
    last = [c async for c in storage.contributions.iterate()][-1]

    await storage.contributions.hide(last.id, anna, "worker")
    return storage


async def report_of(storage: Storage, neighbourhood: str | None = None) -> Report:
    return await gather(storage, PERIOD, neighbourhood, lambda kind: f"[{kind}]")


async def quoted_in_csv(storage: Storage, tmp_path: Path) -> list[str]:
    """The quotes of the report's CSV, row by row, as the team reads them."""
    path = tmp_path / "report.csv"
    await write(await report_of(storage), "csv", path, "nl")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["quote"] for row in csv.DictReader(handle)]


def test_periods_default_to_the_last_30_days_and_compare_with_the_one_before() -> None:
    period = parse_period(None, None, TODAY)
    assert (period.since, period.until, period.days) == (TODAY - timedelta(days=29), TODAY, 30)
    assert period.previous().until == period.since - timedelta(days=1)
    assert period.previous().days == 30


@pytest.mark.parametrize(
    ("since", "until", "words"),
    [
        ("2026-13-01", None, "--since '2026-13-01' is not a date"),
        ("2026-11-20", "2026-11-01", "is after --until"),
    ],
)
def test_a_bad_period_is_refused_with_one_line(since, until, words) -> None:
    with pytest.raises(ReportError, match=words):
        parse_period(since, until, TODAY)


async def test_totals_change_hidden_and_open_work(seeded: Storage) -> None:
    report = await report_of(seeded)
    assert report.total == 4 and report.previous_total == 1 and report.change == 3.0
    assert report.hidden == 1
    assert report.by_pillar()["positive_health"] == 3


async def test_counts_by_pillar_neighbourhood_and_kind(seeded: Storage) -> None:
    counts = (await report_of(seeded)).counts
    assert counts[("positive_health", "pottenberg", "concern")] == 1
    assert counts[("positive_health", "nazareth", "concern")] == 1
    assert counts[("positive_health", "pottenberg", "idea")] == 1
    assert counts[("livelihood_security", "pottenberg", "concern")] == 1


async def test_themes_count_across_languages_and_quote_only_who_allowed_it(
    seeded: Storage,
) -> None:
    report = await report_of(seeded)
    [mould, debts] = report.themes
    assert (mould.concept, mould.count) == ("mould_and_damp", 3)
    quoted = [report.quote(said.words) for said in mould.quotes]
    assert "Schimmel in de badkamer, bel [phone]" in quoted
    assert "عندي رطوبة وعفن بالبيت P-0001" in quoted
    assert not any("geheim" in text for text in quoted), "the author did not allow quoting"
    assert debts.concept == "debts"


async def test_who_we_heard_from(seeded: Storage) -> None:
    seen = (await report_of(seeded)).participation()
    assert (seen.residents, seen.new, seen.returning) == (3, 2, 1)
    assert seen.by_language["ar"] == 1 and seen.share_not_dutch == 0.5


async def test_one_neighbourhood(seeded: Storage) -> None:
    report = await report_of(seeded, "nazareth")
    assert report.total == 1 and report.previous_total == 0 and report.change is None


async def test_offers_to_help(seeded: Storage) -> None:
    [offer] = [row async for row in (await report_of(seeded)).rows(offers=True)]
    assert offer.kind == "idea" and offer.words == "", "not for quoting"


async def test_json_holds_the_aggregates(seeded: Storage, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    await write(await report_of(seeded), "json", path, "nl")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["totals"] == {"contributions": 4, "previous_period": 1, "change": 3.0, "demo": 0}
    assert data["themes"][0]["label"] == "vocht en schimmel"
    assert data["open_work"]["hidden"] == 1
    assert "telegram" not in path.read_text(encoding="utf-8")


async def test_csv_is_tidy_with_bom_and_no_formulas(seeded: Storage, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    await write(await report_of(seeded), "csv", path, "nl")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    [money] = [r for r in rows if r["pillar"] == "livelihood_security"]
    assert money["quote"].startswith("'=HYPERLINK")
    assert money["language"] == "uk" and money["created"].startswith("2026-11-04T")


async def test_xlsx_round_trips_with_real_dates(seeded: Storage, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    await write(await report_of(seeded), "xlsx", path, "en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Contributions", "Themes", "Participation", "Outcomes"]
    sheet = book["Contributions"]
    assert [c.value for c in sheet[1]][:3] == ["Reference", "Created", "Kind"]
    assert isinstance(sheet["B2"].value, datetime)
    assert sheet.auto_filter.ref == "A1:J5"
    assert sheet.column_dimensions["H"].width >= 40
    assert book["Themes"]["A2"].value == "damp and mould"


async def test_html_escapes_resident_text_and_reads_rtl(seeded: Storage, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    await write(await report_of(seeded), "html", path, "ar")
    page = path.read_text(encoding="utf-8")
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="ar" dir="rtl">عندي رطوبة' in page
    assert "<svg" in page
    for outside in ('src="http', 'href="http', "<script", "<link", "@import", "url("):
        assert outside not in page, f"the page must not load {outside!r} from elsewhere"
    assert FIRST_STRONG_ISOLATE not in page.split("<body>")[0]


async def test_nothing_is_written_when_writing_fails(seeded: Storage, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    with pytest.raises(ValueError, match="unknown format"):
        await write(await report_of(seeded), "pdf", folder / "report.pdf", "nl")
    assert not folder.exists() or list(folder.iterdir()) == []


async def test_no_quote_appears_twice_in_the_pack(storage: Storage) -> None:
    residents = [(await storage.residents.create(f"telegram:{n}", "nl")).id for n in range(5)]
    both = {"concepts": ("mould_and_damp", "loneliness"), "may_quote": True}
    await storage.contributions.add_many(
        [
            item(resident, date(2026, 11, 2), text=f"woorden {n}", **both)
            for n, resident in enumerate(residents[:4])
        ]
        + [
            item(
                residents[4],
                date(2026, 11, 3),
                text="idee",
                kind="idea",
                concepts=("loneliness",),
                may_quote=True,
            )
        ]
    )
    report = await report_of(storage)
    quoted = [q.ref for t in (*report.themes, *report.ideas_by_support) for q in t.quotes]
    assert len(quoted) == len(set(quoted)), quoted
    assert [len(t.quotes) for t in report.themes] == [3, 2], "two each first, then a third"


async def test_the_breakdown_is_a_matrix_of_pillars_by_neighbourhood(seeded: Storage) -> None:
    with use("nl"):
        page = render(await report_of(seeded))
    table = page[
        page.index('<table class="matrix">') : page.index("</table>", page.index("matrix"))
    ]
    header = table[: table.index("</thead>")]
    assert "Nazareth" in header and "Pottenberg" in header
    rows = table.count("<tr><td>")
    assert 1 <= rows <= 4, "one row per pillar (and none), not one per combination"
    with use("nl"):
        legend = " · ".join(_(name) for name in KIND_NAMES.values())
    assert f'<p class="note">{legend}</p>' in page, "the cells' order is named"


async def test_offers_of_help_are_grouped_and_counted_their_references_in_the_workbook(
    seeded: Storage, tmp_path: Path
) -> None:
    report = await report_of(seeded)
    [offer] = [row async for row in report.rows(offers=True)]
    with use("nl"):
        page = render(report)
    helping = page[page.index('id="helping"') : page.index('id="participation"')]
    assert offer.ref not in helping, "no references on the page"
    assert "· 1</p>" in helping
    path = tmp_path / "pack.xlsx"
    await write(report, "xlsx", path, "nl")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[1]
    assert book.sheetnames[1] == "Bijdragen", "sheet names in the report language"
    offered = [r[0].value for r in sheet.iter_rows(min_row=2) if r[8].value == "ja"]
    assert offered == [offer.ref]


async def test_every_export_marks_demo_rows_and_arabic_sheets_read_right_to_left(
    storage: Storage, analyser: Analyser, tmp_path: Path
) -> None:
    await fill(storage, analyser, residents=3, contributions=6, days=5)
    report = await gather(storage, parse_period(None, None, today()), None, str)
    assert report.demo == 6
    await write(report, "csv", tmp_path / "pack.csv", "nl")
    with (tmp_path / "pack.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert {row["demo"] for row in csv.DictReader(handle)} == {"yes"}
    await write(report, "xlsx", tmp_path / "pack.xlsx", "ar")
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    contributions = book.worksheets[1]
    demo_column = [cell.value for cell in contributions[1]].index(contributions.cell(1, 10).value)
    assert all(row[demo_column].value for row in contributions.iter_rows(min_row=2))
    lines = [json.loads(line) async for line in jsonl_lines(storage)]
    assert lines and all(line["demo"] for line in lines)


async def test_reach_per_1000_inhabitants_per_neighbourhood(
    seeded: Storage, tmp_path: Path
) -> None:
    figures = tmp_path / "inhabitants.toml"
    figures.write_text(
        'source = "CBS, Kerncijfers wijken en buurten 2024"\n'
        "[neighbourhoods]\npottenberg = 4000\nnazareth = 1000\n",
        encoding="utf-8",
    )
    report = Inhabitants.read(figures).apply(await report_of(seeded))
    reach = {r["neighbourhood"]: r for r in summarise(report)["reach"]}
    # Anna (who wrote before the period) and Olena (new) wrote from Pottenberg, Omar from Nazareth.
    assert reach["pottenberg"]["residents"] == 2
    assert reach["pottenberg"]["per_1000_inhabitants"] == 0.5
    assert (reach["pottenberg"]["new"], reach["pottenberg"]["returning"]) == (1, 1)
    assert reach["nazareth"]["per_1000_inhabitants"] == 1.0
    with use("en"):
        page = render(report)
    assert "Inhabitants: CBS, Kerncijfers wijken en buurten 2024" in page
    without = summarise(Inhabitants.read(tmp_path / "none.toml").apply(await report_of(seeded)))
    assert all(r["per_1000_inhabitants"] is None for r in without["reach"])


async def test_demo_data_can_be_unique_and_placed_before_a_window(
    storage: Storage, analyser: Analyser
) -> None:
    await fill(storage, analyser, residents=2, contributions=20, days=10, days_ago=40, unique=True)
    await fill(storage, analyser, residents=2, contributions=20, days=10, seed=7, unique=True)
    texts = [c.text async for c in storage.contributions.iterate()]
    assert len(set(texts)) == 40, "every text differs, as real residents' do"
    recent = await gather(storage, parse_period(None, None, today()), None, str)
    assert recent.total == 20, "the older ones lie before the 30 days"


async def test_words_are_hidden_as_found_on_arrival_and_looked_at_again_after_an_upgrade(
    storage: Storage, tmp_path: Path
) -> None:
    anna = (await storage.residents.create("telegram:1", "nl")).id
    phone, mail = "Bel 06-12345678 over de schimmel", "Mail jan@example.nl over de schimmel"
    await storage.contributions.add_many(
        [
            item(
                anna,
                date(2026, 11, 2),
                text=phone,
                may_quote=True,
                personal_data=found_in(phone),
                anonymised_with=ANONYMISER,
            ),
            item(  # an older anonymiser found nothing here: today's finds the address
                anna,
                date(2026, 11, 3),
                text=mail,
                may_quote=True,
                personal_data="[]",
                anonymised_with=ANONYMISER - 1,
            ),
            item(anna, date(2026, 11, 4), text="Of bel 0687654321", may_quote=True),  # before both
        ]
    )
    assert await quoted_in_csv(storage, tmp_path) == [
        "Bel [phone] over de schimmel",
        "Mail [email] over de schimmel",
        "Of bel [phone]",
    ]


async def test_the_workbook_is_the_same_kept_in_memory_or_streamed(
    seeded: Storage, tmp_path: Path
) -> None:
    report = await report_of(seeded)
    kept, streamed = tmp_path / "kept.xlsx", tmp_path / "streamed.xlsx"
    with use("en"):
        await workbook.write(report, kept)  # 4 contributions: kept, shared strings
        await workbook.write(report, streamed, streamed_from=0)

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = openpyxl.load_workbook(path)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}

    assert cells(kept) == cells(streamed)
    assert cells(kept)["Contributions"][1][0] == "P-0002"
