"""The report's aggregates as plain data: the JSON format, and the source of the other formats."""

from __future__ import annotations

from typing import Any

from insights.concepts import BY_ID
from insights.report.data import Quote, Report, Row, Theme
from insights.report.labels import (
    KIND_NAMES,
    PILLAR_NAMES,
    STATUS_NAMES,
    language_label,
    neighbourhood_name,
)
from insights.report.reach import reach
from locales import _
from storage.contributions import reference


def quote(report: Report, said: Quote | Row) -> dict[str, Any]:
    """A resident's words with where they come from."""
    translation = (report.translations or {}).get(said.ref)
    return {
        "ref": said.ref,
        "lang": said.lang,
        "language": language_label(said.lang),
        "text": report.quote(said.words, said.found),
        **({"machine_translation": translation} if translation else {}),
    }


def theme(report: Report, found: Theme, count_key: str = "count") -> dict[str, Any]:
    """A theme with its label in the report language."""
    concept = BY_ID[found.concept]
    return {
        "concept": found.concept,
        "label": _(concept.label),
        "pillars": list(concept.pillars),
        count_key: found.count,
        "quotes": [quote(report, row) for row in found.quotes],
    }


def summarise(report: Report) -> dict[str, Any]:
    """Every aggregate of the report; ids stay as they are, labels are in the report language."""
    participation = report.participation()
    return {
        "period": {"since": str(report.period.since), "until": str(report.period.until)},
        "previous_period": {
            "since": str(report.period.previous().since),
            "until": str(report.period.previous().until),
        },
        "neighbourhood": report.neighbourhood,
        "generated_at": report.generated.isoformat(timespec="seconds"),
        "totals": {
            "contributions": report.total,
            "previous_period": report.previous_total,
            "change": None if report.change is None else round(report.change, 4),
            "demo": report.demo,
        },
        "by_pillar": [
            {"pillar": p or None, "label": _(PILLAR_NAMES[p]) if p else _("No pillar"), "count": n}
            for p, n in report.by_pillar().items()
        ],
        "by_pillar_neighbourhood_kind": [
            {
                "pillar": pillar or None,
                "neighbourhood": neighbourhood,
                "neighbourhood_label": neighbourhood_name(neighbourhood),
                "kind": kind,
                "kind_label": _(KIND_NAMES[kind]),
                "count": count,
            }
            for (pillar, neighbourhood, kind), count in sorted(
                report.counts.items(), key=lambda item: (-item[1], str(item[0]))
            )
        ],
        "themes": [theme(report, found) for found in report.themes],
        "help_by_topic": [
            {
                "concept": concept,
                "label": _(BY_ID[concept].label) if concept in BY_ID else _("no topic"),
                "count": count,
            }
            for concept, count in report.help_by_topic
        ],
        "ideas_by_support": [
            theme(report, found, "residents") for found in report.ideas_by_support
        ],
        "by_status": [
            {"status": step, "label": _(STATUS_NAMES[step]), "count": n}
            for step, n in report.statuses()
        ],
        "outcomes": [
            {
                "reference": reference(ended.id),
                "status": ended.step,
                "label": _(STATUS_NAMES[ended.step]),
                "at": ended.at,
                "text": report.what_happened(ended),
            }
            for ended in report.ended
        ],
        "participation": {
            "residents": participation.residents,
            "new": participation.new,
            "returning": participation.returning,
            "by_neighbourhood": {
                (hood or "unknown"): n for hood, n in participation.by_neighbourhood.most_common()
            },
            "neighbourhood_labels": {
                (hood or "unknown"): neighbourhood_name(hood)
                for hood in participation.by_neighbourhood
            },
            "by_language": {
                (lang or "unknown"): n for lang, n in participation.by_language.most_common()
            },
            "share_not_dutch": None
            if participation.share_not_dutch is None
            else round(participation.share_not_dutch, 4),
        },
        "reach": [
            {
                "neighbourhood": found.neighbourhood or "unknown",
                "label": neighbourhood_name(found.neighbourhood),
                "residents": found.residents,
                "new": found.new,
                "returning": found.residents - found.new,
                "inhabitants": found.inhabitants,
                "per_1000_inhabitants": None
                if found.per_thousand is None
                else round(found.per_thousand, 1),
            }
            for found in reach(report)
        ],
        "inhabitants_source": report.inhabitants_source or None,
        "open_work": {"waiting_for_review": report.waiting_review, "hidden": report.hidden},
        "translation": {
            "service": report.translations is not None,
            "translated": len(report.translations or {}),
            "untranslated": report.untranslated,
        },
    }


async def offers_of_help(report: Report) -> list[dict[str, Any]]:
    """Every offer of help with its reference, for the JSON export."""
    return [
        {
            "ref": row.ref,
            "kind": row.kind,
            "neighbourhood": row.neighbourhood,
            "pillars": list(row.pillars),
            "topics": [_(BY_ID[c].label) for c in row.concepts if c in BY_ID],
            **(quote(report, row) if row.words else {}),
        }
        async for row in report.rows(offers=True)
    ]
