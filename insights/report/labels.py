"""Names in reports for the programme team: pillars, kinds, neighbourhoods, languages."""

from __future__ import annotations

from locales import N_, _, language_name

PILLAR_NAMES = {
    "positive_health": N_("Positive health"),
    "livelihood_security": N_("Livelihood security"),
    "equal_opportunities": N_("Equal opportunities"),
}
KIND_NAMES = {
    "concern": N_("Concern"),
    "idea": N_("Idea"),
    "initiative": N_("Initiative"),
}
# Where contributions are on their path (storage.paths.STEPS).
STATUS_NAMES = {
    "received": N_("Received"),
    "read": N_("Read by the team"),
    "on_table": N_("On the table"),
    "outcome": N_("Outcome written"),
    "closed": N_("Closed"),
}
ELSEWHERE = "elsewhere"


def known_neighbourhoods(configured: tuple[str, ...]) -> tuple[str, ...]:
    """Every neighbourhood a contribution can have: the programme's, and elsewhere."""
    return (*configured, ELSEWHERE)


def neighbourhood_name(neighbourhood: str | None) -> str:
    """A neighbourhood as the team calls it; elsewhere and not given in words."""
    if neighbourhood is None:
        return _("Not given")
    if neighbourhood == ELSEWHERE:
        return _("Elsewhere")
    return neighbourhood.replace("-", " ").title()


def language_label(lang: str | None) -> str:
    """A language by its own name, or 'unknown' when detection was unsure."""
    return language_name(lang) if lang else _("Unknown")
