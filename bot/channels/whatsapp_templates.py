"""Message templates for WhatsApp: what may be sent after the 24 hours since a resident wrote.

Meta lets a business write first only with a template it approved, per language. The team lists
them in a TOML file (`WIJKSTEM_WHATSAPP_TEMPLATES`), one table per purpose::

    fallback = ["nl", "en"]          # for languages Meta has no templates for (ti, so)

    [invitation]
    name = "wijkstem_invitation"    # body: a short note; one quick-reply button, "Show me"
    languages = { nl = "nl", en = "en_US", ar = "ar", tr = "tr", uk = "uk" }

A template only says that a message waits; its quick reply opens the 24 hours, and the message
itself follows at once in the resident's own language.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Template:
    """An approved template: its name, and the language code Meta knows it by."""

    name: str
    language: str


@dataclass(frozen=True)
class Templates:
    """The templates per purpose, and the languages to fall back on."""

    by_purpose: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    fallback: tuple[str, ...] = ("nl",)

    @classmethod
    def read(cls, path: Path) -> Templates:
        """The templates file; none when it is missing (then only the 24 hours are used)."""
        if not path.is_file():
            log.warning("no WhatsApp templates file at %s: messages wait for residents", path)
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        purposes = {
            purpose: (str(table["name"]), {str(k): str(v) for k, v in table["languages"].items()})
            for purpose, table in data.items()
            if isinstance(table, dict)
        }
        return cls(purposes, tuple(data.get("fallback", ("nl",))))

    def find(self, purpose: str, lang: str) -> Template | None:
        """The template for `purpose` in `lang`, else in a fallback language (None: none)."""
        if purpose not in self.by_purpose:
            return None
        name, languages = self.by_purpose[purpose]
        for wanted in (lang, *self.fallback):
            if wanted in languages:
                return Template(name, languages[wanted])
        return None
