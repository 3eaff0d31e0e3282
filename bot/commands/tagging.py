"""`wijkstem tag`: the language and pillars of texts read from stdin, as JSON lines."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.services import analyser
from bot.settings import Settings


def tag(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Detect the language and pillars of each input line; write one JSON line each."""
    analyse = analyser(settings).analyse
    for number, line in enumerate(stdin, start=1):
        line = line.strip()
        if not line:
            continue
        text = line
        if line.startswith("{"):
            try:
                text = str(json.loads(line)["text"])
            except (ValueError, KeyError, TypeError):
                print(f"wijkstem: line {number} is not JSON with a text field", file=sys.stderr)
                return 1
        analysis = analyse(text)
        tagging = analysis.tagging
        result = {
            "text": text,
            "lang": analysis.lang,
            "pillars": list(tagging.pillars),
            "scores": {p: round(tagging.scores[p], 3) for p in tagging.pillars},
            "matched": {p: tagging.matched.get(p, []) for p in tagging.pillars},
        }
        if analysis.kind is not None:
            result["kind"] = analysis.kind
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
