"""The HTML report as a browser shows it: headless Chromium renders and prints the page."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from insights.analysis import Analyser
from insights.demo import fill
from insights.report.data import gather
from insights.report.output import write
from insights.report.period import parse_period, today
from storage import Storage
from tests.insights.test_report import report_of, seeded  # noqa: F401 - the fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Chromium is not installed (apt-get install chromium); CI installs it",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None, "CI must have Chromium: .ci/run installs it"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=120,
        check=False,
    )


async def test_the_page_renders_and_prints_on_a4(seeded: Storage, tmp_path: Path) -> None:  # noqa: F811
    page = tmp_path / "report.html"
    await write(await report_of(seeded), "html", page, "nl")
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile-dom")
    rendered = dom.stdout.decode()
    assert dom.returncode == 0, dom.stderr.decode()[-2000:]
    for section in ("totals", "breakdown", "themes", "helping", "participation", "open-work"):
        assert f'id="{section}"' in rendered
    assert "Schimmel in de badkamer, bel [phone]" in rendered
    assert "<script>x</script>" not in rendered
    pdf = tmp_path / "report.pdf"
    printed = chromium(
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.as_uri(),
        profile=tmp_path / "profile-pdf",
    )
    assert printed.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)
    shot = tmp_path / "report.png"
    chromium(
        f"--screenshot={shot}",
        "--window-size=900,1400",
        page.as_uri(),
        profile=tmp_path / "profile-png",
    )
    assert shot.read_bytes().startswith(b"\x89PNG")


async def report_measured(storage: Storage, lang: str, script: str, folder: Path) -> str:
    """The report in `lang` as Chromium lays it out, after `script` measured it (the DOM)."""
    page = folder / "report.html"
    await write(await report_of(storage), "html", page, lang)
    page.write_text(page.read_text().replace("</body>", script + "</body>"))
    dom = chromium("--dump-dom", page.as_uri(), profile=folder / "profile-measured")
    assert dom.returncode == 0, dom.stderr.decode()[-2000:]
    return dom.stdout.decode()


# Measures every chart as the browser lays it out and leaves the figures in the DOM.
MEASURE = """<script>
const found = [];
for (const svg of document.querySelectorAll('svg')) {
  const bars = [...svg.querySelectorAll('rect')];
  svg.querySelectorAll('text.label').forEach((text, i) => {
    const box = text.getBBox(), bar = bars[i].x.baseVal.value;
    found.push({kind: 'label', left: box.x, right: box.x + box.width, bar: bar});
  });
  svg.querySelectorAll('text.count').forEach((text, i) => {
    const box = text.getBBox(), bar = bars[i];
    found.push({kind: 'count', left: box.x, bar: bar.x.baseVal.value + bar.width.baseVal.value});
  });
}
document.body.setAttribute('data-measured', JSON.stringify(found));
</script>"""


@pytest.mark.parametrize("lang", ["ar", "fa", "nl"])
async def test_chart_labels_are_whole_and_counts_beside_their_bars(
    seeded: Storage,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    dom = await report_measured(seeded, lang, MEASURE, tmp_path)
    measured = re.search(r'data-measured="([^"]*)"', dom)
    assert measured is not None, "the page was measured"
    boxes = json.loads(html.unescape(measured.group(1)))
    labels = [b for b in boxes if b["kind"] == "label"]
    counts = [b for b in boxes if b["kind"] == "count"]
    assert labels and counts
    for box in labels:
        assert box["left"] >= 0 and box["right"] <= box["bar"] + 0.5, f"{lang}: label cut {box}"
    for box in counts:
        assert box["left"] >= box["bar"] - 0.5, f"{lang}: count drawn over its bar {box}"


# Draws every Arabic-script and Ethiopic character of the page, in the page's fonts, and compares
# it with the missing-glyph box (what a private-use character draws): a match is a box.
GLYPHS = r"""<script>
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 64;
const pen = canvas.getContext('2d', {willReadFrequently: true});
pen.font = '32px ' + getComputedStyle(document.body).fontFamily;
const drawn = (character) => {
  pen.clearRect(0, 0, 64, 64);
  pen.fillText(character, 8, 44);
  return pen.getImageData(0, 0, 64, 64).data.join(',');
};
const box = drawn('\uE000');
const seen = [...new Set([...document.body.innerText].filter(
  (c) => /\p{Script=Arabic}|\p{Script=Ethiopic}/u.test(c)))];
document.body.setAttribute('data-seen', String(seen.length));
document.body.setAttribute('data-boxes', seen.filter((c) => drawn(c) === box).join(''));
document.body.setAttribute('data-box-found', String(drawn('\uE001') === box));
</script>"""


@pytest.mark.parametrize("lang", ["ti", "ar"])
async def test_tigrinya_and_arabic_print_in_real_glyphs_not_boxes(
    seeded: Storage,  # noqa: F811
    tmp_path: Path,
    lang: str,
) -> None:
    dom = await report_measured(seeded, lang, GLYPHS, tmp_path)
    found = dict(re.findall(r'data-(seen|boxes|box-found)="([^"]*)"', dom))
    assert found.get("box-found") == "true", "the check recognises a missing glyph"
    assert int(found["seen"]) > 10, f"{lang}: the page has {lang} text"
    assert found["boxes"] == "", f"{lang}: drawn as boxes: {html.unescape(found['boxes'])}"


@pytest.mark.parametrize("lang", ["nl", "ar"])
async def test_the_pack_of_1000_contributions_prints_on_at_most_six_a4_pages(
    storage: Storage, analyser: Analyser, tmp_path: Path, lang: str
) -> None:
    await fill(storage, analyser, residents=200, contributions=1000, days=28)
    report = await gather(storage, parse_period(None, None, today()), None, str)
    assert report.total == 1000
    page = tmp_path / "pack.html"
    await write(report, "html", page, lang)
    pdf = tmp_path / "pack.pdf"
    printed = chromium(
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.as_uri(),
        profile=tmp_path / "profile-pages",
    )
    assert printed.returncode == 0, printed.stderr.decode()[-2000:]
    pages = len(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert 1 <= pages <= 6, f"{lang}: {pages} A4 pages"
