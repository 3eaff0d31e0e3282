"""Export: every contribution as one JSON line, without anything that identifies a resident."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from insights.anonymise import scrub
from insights.concepts import PILLARS
from storage import Storage
from storage.contributions import Contribution

FIELDS = ("id", "kind", "lang", "neighbourhood", "pillars", "created_at", "text")


def export_record(contribution: Contribution) -> dict[str, object]:
    """The exported fields of one contribution: no resident, chat or user ids, no names."""
    return {
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
    async for contribution in storage.contributions.iterate():
        if contribution.hidden:
            continue
        yield json.dumps(export_record(contribution), ensure_ascii=False) + "\n"
