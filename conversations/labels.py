"""Names residents see for pillars, kinds and neighbourhoods, marked for translation."""

from __future__ import annotations

from insights.report.labels import ELSEWHERE
from locales import N_, _
from storage.residents import NOT_SAID

__all__ = ["ELSEWHERE", "KIND_LABELS", "NOT_SAID", "PILLAR_LABELS", "neighbourhood_label"]

PILLAR_LABELS = {
    "positive_health": N_("💚 Health and wellbeing"),
    "livelihood_security": N_("💶 Money and making ends meet"),
    "equal_opportunities": N_("🎓 Equal chances: school, language, work"),
}

KIND_LABELS = {
    "concern": N_("😟 A worry"),
    "idea": N_("💡 An idea"),
    "initiative": N_("🙋 Something I want to do"),
}


def neighbourhood_label(neighbourhood: str | None) -> str:
    """The name of a neighbourhood, or the words for 'elsewhere' and 'rather not say'."""
    if neighbourhood is None or neighbourhood == NOT_SAID:
        return _("rather not say")
    if neighbourhood == ELSEWHERE:
        return _("somewhere else")
    return neighbourhood.replace("-", " ").title()
