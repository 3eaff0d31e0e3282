"""Export: every contribution as one JSON line, without anything that identifies a resident."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from insights.anonymise import scrub
from insights.concepts import PILLARS
from storage import Storage
from storage.contributions import Contribution
from storage.residents import DEMO_CHANNEL

FIELDS = ("id", "kind", "lang", "neighbourhood", "pillars", "created_at", "text")


def export_record(contribution: Contribution, demo: bool = False) -> dict[str, object]:
    """The exported fields of one contribution: no resident, chat or user ids, no names."""
    return {
        "demo": demo,
        "id": contribution.reference,
        "kind": contribution.kind,
        "lang": contribution.language,
        "neighbourhood": contribution.neighbourhood,
        "pillars": [p for p in PILLARS if p in contribution.final_pillars],
        "created_at": contribution.created_at,
        "text": scrub(contribution.text),
    }


async def jsonl_lines(storage: Storage) -> AsyncIterator[str]:
    """Every contribution a worker did not hide, oldest first, as JSON lines."""
    demo = await storage.residents.ids_on_channel(DEMO_CHANNEL)
    async for contribution in storage.contributions.iterate():
        if contribution.hidden:
            continue
        record = export_record(contribution, contribution.resident_id in demo)
        yield json.dumps(record, ensure_ascii=False) + "\n"
