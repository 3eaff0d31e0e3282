"""Names residents see for pillars, kinds and neighbourhoods, marked for translation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.messages import Choice
from insights.report.labels import ELSEWHERE
from locales import D_, N_, S_, _
from storage.residents import NOT_SAID

__all__ = [
    "ELSEWHERE",
    "KIND_LABELS",
    "NOT_SAID",
    "PILLAR_LABELS",
    "STEP_LABELS",
    "Kind",
    "kind_choices",
    "neighbourhood_label",
    "pillar_toggles",
]

PILLAR_LABELS = {
    "positive_health": N_("💚 Health and wellbeing"),
    "livelihood_security": N_("💶 Money and making ends meet"),
    "equal_opportunities": N_("🎓 Equal chances: school, language, work"),
}

PILLAR_SHORT = {
    "positive_health": S_("💚 Health"),
    "livelihood_security": S_("💶 Money"),
    "equal_opportunities": S_("🎓 Equal chances"),
}

KIND_LABELS = {
    "concern": N_("😟 A worry"),
    "idea": N_("💡 An idea"),
    "initiative": N_("🙋 Something I want to do"),
}

# The steps of a message's path, as its author reads them in /mine.
STEP_LABELS = {
    "received": N_("📥 Received"),
    "read": N_("👀 Read by the team"),
    "on_table": N_("🗣 On the table"),
    "outcome": N_("✅ What happened"),
    "closed": N_("✖ Closed"),
}

KIND_DESCRIPTIONS = {
    "concern": D_("Something that is not good in the neighbourhood"),
    "idea": D_("Something that could make the neighbourhood better"),
    "initiative": D_("Something you want to organise or help with"),
}

KIND_SHORT = {
    "concern": S_("😟 A worry"),
    "idea": S_("💡 An idea"),
    "initiative": S_("🙋 I want to do"),
}


@dataclass(frozen=True)
class Kind(ChoiceData):
    """Share a concern, idea or initiative (from the menu, or for a draft: `drop` it)."""

    prefix: ClassVar[str] = "kind"
    kind: str


def kind_choices(first: str | None = None) -> tuple[tuple[Choice, ...], ...]:
    """Concern, idea, initiative: one choice a row, `first` (the likely one) first."""
    rows = [
        (Kind(kind).choice(_(label), _(KIND_SHORT[kind]), _(KIND_DESCRIPTIONS[kind])),)
        for kind, label in KIND_LABELS.items()
    ]
    return tuple(sorted(rows, key=lambda row: row[0].data != Kind(first or "").pack()))


def pillar_toggles(data: type[ChoiceData], chosen: list[str]) -> tuple[tuple[Choice, ...], ...]:
    """One toggle a row for each pillar, ticked when chosen; `data` takes the pillar."""
    return tuple(
        (data(pillar).toggle(_(label), pillar in chosen, _(PILLAR_SHORT[pillar])),)  # type: ignore[call-arg]
        for pillar, label in PILLAR_LABELS.items()
    )


def neighbourhood_label(neighbourhood: str | None) -> str:
    """The name of a neighbourhood, or the words for 'elsewhere' and 'rather not say'."""
    if neighbourhood is None or neighbourhood == NOT_SAID:
        return _("rather not say")
    if neighbourhood == ELSEWHERE:
        return _("somewhere else")
    return neighbourhood.replace("-", " ").title()
