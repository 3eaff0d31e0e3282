"""The HTML report: one self-contained, printable page with inline SVG charts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from babel import numbers
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from insights.concepts import BY_ID, PILLARS
from insights.report.data import Report
from insights.report.labels import KIND_NAMES, PILLAR_NAMES, language_label, neighbourhood_name
from insights.report.summary import summarise
from locales import (
    _,
    current,
    format_change,
    format_date,
    format_number,
    is_right_to_left,
    ngettext,
)

_environment = Environment(
    loader=PackageLoader("insights.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["first_upper"] = lambda text: text[:1].upper() + text[1:]
_environment.filters["number"] = format_number

BAR_HEIGHT = 22
LABEL_WIDTH = 190
CHAR_WIDTH = 7.5  # pixels per character of a label, generously
CHART_WIDTH = 640
COLOURS = ("#2a7f62", "#c77d18", "#3b6fb6", "#8a8a8a")


def bar_chart(items: Sequence[tuple[str, int]], title: str) -> Markup:
    """Horizontal bars as an inline SVG, labels escaped, with the numbers written out."""
    top = max((value for _label, value in items), default=0) or 1
    # Room for the longest label, whole (an estimate per character; bars take what is left).
    longest = max((len(label) for label, _value in items), default=0)
    label_width = min(max(LABEL_WIDTH, int(longest * CHAR_WIDTH) + 16), CHART_WIDTH // 2)
    scale = (CHART_WIDTH - label_width - 60) / top
    height = BAR_HEIGHT * len(items) + 8
    # The chart is laid out left to right in every language: in a right-to-left page an SVG
    # would otherwise anchor labels and counts from the other side (cut labels, counts on bars).
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" direction="ltr" '
        'style="direction: ltr">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(items):
        y = index * BAR_HEIGHT + 4
        width = max(1.0, value * scale) if value else 0
        colour = COLOURS[index % len(COLOURS)]
        parts += [
            f'<text class="label" x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(label)}</text>",
            f'<rect x="{label_width}" y="{y + 2}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT - 6}" fill="{colour}"/>',
            f'<text class="count" x="{label_width + width + 6:.1f}" y="{y + 15}">'
            f"{format_number(value)}</text>",
        ]
    parts.append("</svg>")
    return Markup("".join(parts))


def labels() -> dict[str, str]:
    """Every heading and phrase of the page, in the report language."""
    return {
        "title": _("What residents said"),
        "period": _("Period"),
        "neighbourhood": _("Neighbourhood"),
        "all_neighbourhoods": _("Pottenberg, Nazareth and elsewhere"),
        "totals": _("Totals"),
        "contributions": _("Contributions"),
        "previous": _("Previous period of the same length"),
        "change": _("Change"),
        "demo": _("Of these, demo data (not real residents)"),
        "by_pillar": _("By pillar"),
        "by_pillar_hood_kind": _("By pillar, neighbourhood and kind"),
        "pillar": _("Pillar"),
        "kind": _("Kind"),
        "count": _("Count"),
        "themes": _("Themes"),
        "themes_note": _(
            "Topics counted across all languages. Quotes only from residents who allowed it,"
            " in their own words and language, with names and contact details removed."
        ),
        "no_quotes": _("No resident of this theme allowed quoting."),
        "helping": _("Ideas and initiatives where residents offered to help"),
        "ideas": _("Ideas with the most support"),
        "reach": _("Reach per neighbourhood"),
        "per_thousand": _("Per 1,000 inhabitants"),
        "help_in_workbook": _("Who offered, with their references, is in the workbook."),
        "residents": _("residents"),
        "heard": _("Who we heard from"),
        "residents_all": _("Residents"),
        "new": _("New in this period"),
        "returning": _("Also before this period"),
        "by_language": _("By language"),
        "by_neighbourhood": _("By neighbourhood"),
        "not_dutch": _("Share of contributions not in Dutch"),
        "open_work": _("Open work"),
        "path": _("Where the messages are"),
        "outcomes": _("What happened"),
        "more_outcomes": _("All outcomes are in the workbook."),
        "waiting": _("Waiting for review"),
        "hidden": _("Hidden (abuse, spam), counted but not shown"),
        "none": _("None in this period."),
        "generated": _("Made on"),
        "no_pillar": _("No pillar"),
        "machine": _("Machine translation"),
        "not_translated": _(
            "The quotes are in the residents' own words and are not translated: no translation"
            " service is set up."
        ),
    }


def matrix(report: Report) -> dict[str, object]:
    """Pillars by neighbourhood; each cell its total and its concerns · ideas · initiatives."""
    counts = report.counts
    totals: Counter[str | None] = Counter()
    for (_pillar, hood, _kind), n in counts.items():
        totals[hood] += n
    hoods = [hood for hood, _n in totals.most_common()]
    rows = []
    for pillar in (*PILLARS, ""):
        cells = [[counts[(pillar, hood, kind)] for kind in KIND_NAMES] for hood in hoods]
        if any(any(cell) for cell in cells):
            name = _(PILLAR_NAMES[pillar]) if pillar else _("No pillar")
            rows.append(
                (name, [(sum(cell), " · ".join(map(format_number, cell))) for cell in cells])
            )
    return {"hoods": [neighbourhood_name(hood) for hood in hoods], "rows": rows}


def write(report: Report, path: Path) -> None:
    """Write the page to `path`."""
    path.write_text(render(report), encoding="utf-8")


def render(report: Report) -> str:
    """The whole page as a string."""
    data = summarise(report)
    seen = report.participation()
    by_pillar = [
        (_(PILLAR_NAMES[p]) if p else _("No pillar"), n) for p, n in report.by_pillar().items()
    ]
    languages = [(language_label(lang), n) for lang, n in seen.by_language.most_common(12)]
    hoods = [(neighbourhood_name(h), n) for h, n in seen.by_neighbourhood.most_common()]
    return _environment.get_template("report.html").render(
        t=labels(),
        lang=current(),
        rtl=is_right_to_left(current()),
        data=data,
        period=f"{format_date(report.period.since)} – {format_date(report.period.until)}",
        neighbourhood=neighbourhood_name(report.neighbourhood) if report.neighbourhood else None,
        generated=format_date(report.generated),
        change=None if report.change is None else format_change(report.change),
        share_not_dutch=None
        if seen.share_not_dutch is None
        else numbers.format_percent(seen.share_not_dutch, locale=current()),
        matrix=matrix(report),
        inhabitants_source=_("Inhabitants: {source}", source=report.inhabitants_source)
        if report.inhabitants_source
        else None,
        kinds=" · ".join(_(name) for name in KIND_NAMES.values()),
        charts={
            "pillars": bar_chart(by_pillar, _("By pillar")),
            "languages": bar_chart(languages, _("By language")),
            "neighbourhoods": bar_chart(hoods, _("By neighbourhood")),
        },
        untranslated=ngettext(
            "{n} quote could not be translated just now.",
            "{n} quotes could not be translated just now.",
            report.untranslated,
        )
        if report.untranslated
        else None,
        pillar_name=lambda p: _(PILLAR_NAMES[p]) if p else _("No pillar"),
        kind_name=lambda k: _(KIND_NAMES[k]),
        topic=lambda c: _(BY_ID[c].label) if c in BY_ID else c,
        direction=lambda lang: "rtl" if lang and is_right_to_left(lang) else "auto",
    )
