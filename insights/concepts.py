"""The themes residents raise, each belonging to one or more of the programme's pillars."""

from __future__ import annotations

from dataclasses import dataclass

from locales import N_

PILLARS = ("positive_health", "livelihood_security", "equal_opportunities")

HEALTH, LIVELIHOOD, EQUAL = PILLARS


@dataclass(frozen=True)
class Concept:
    """A theme with a stable id, the pillars it counts towards and a label residents understand."""

    id: str
    pillars: tuple[str, ...]
    label: str


# The order breaks ties when explaining a tagging: the more telling concepts come first.
CONCEPTS: tuple[Concept, ...] = (
    # Positive health: body, mind, participation and a healthy, safe living environment.
    Concept("loneliness", (HEALTH,), N_("feeling lonely")),
    Concept("stress", (HEALTH,), N_("stress and worries")),
    Concept("mental_health", (HEALTH,), N_("feeling down")),
    Concept("physical_health", (HEALTH,), N_("illness and pain")),
    Concept("care_access", (HEALTH,), N_("doctors and care")),
    Concept("informal_care", (HEALTH,), N_("caring for family")),
    Concept("addiction", (HEALTH,), N_("addiction")),
    Concept("elderly", (HEALTH,), N_("older people")),
    Concept("mould_and_damp", (HEALTH,), N_("damp and mould")),
    Concept("home_repairs", (HEALTH,), N_("repairs at home")),
    Concept("noise_nuisance", (HEALTH,), N_("noise and nuisance")),
    Concept("nuisance_and_safety", (HEALTH,), N_("safety and crime")),
    Concept("traffic", (HEALTH,), N_("traffic and pavements")),
    Concept("litter", (HEALTH,), N_("litter and rats")),
    Concept("play_and_exercise", (HEALTH,), N_("play and exercise")),
    Concept("meeting_neighbours", (HEALTH,), N_("meeting neighbours")),
    Concept("volunteering", (HEALTH,), N_("volunteering")),
    # Both: stress, sleeplessness or drinking caused by money count towards health and livelihood.
    Concept("money_worries", (HEALTH, LIVELIHOOD), N_("money worries")),
    # Livelihood security: income, debts, housing costs, work and basic needs.
    Concept("debts", (LIVELIHOOD,), N_("debts")),
    Concept("income_and_benefits", (LIVELIHOOD,), N_("income and benefits")),
    Concept("making_ends_meet", (LIVELIHOOD,), N_("making ends meet")),
    Concept("rent_and_energy", (LIVELIHOOD,), N_("rent and energy bills")),
    Concept("work", (LIVELIHOOD,), N_("work and jobs")),
    Concept("food_bank", (LIVELIHOOD,), N_("food bank")),
    Concept("affordable_housing", (LIVELIHOOD,), N_("finding a home")),
    Concept("money_skills", (LIVELIHOOD,), N_("handling money")),
    # Equal opportunities: learning, growing up, taking part and being treated fairly.
    Concept("school", (EQUAL,), N_("school")),
    Concept("homework", (EQUAL,), N_("homework help")),
    Concept("early_learning", (EQUAL,), N_("toddlers and preschool")),
    Concept("youth", (EQUAL,), N_("young people")),
    Concept("clubs_and_activities", (EQUAL,), N_("clubs and activities")),
    Concept("language_classes", (EQUAL,), N_("learning Dutch")),
    Concept("digital_skills", (EQUAL,), N_("computers and apps")),
    Concept("discrimination", (EQUAL,), N_("discrimination")),
    Concept("newcomers", (EQUAL,), N_("newcomers")),
    Concept("diplomas_and_internships", (EQUAL,), N_("diplomas and internships")),
)

BY_ID: dict[str, Concept] = {concept.id: concept for concept in CONCEPTS}


def _check() -> None:
    # Fail at import, not in a report months later, when the table is edited carelessly.
    if len(BY_ID) != len(CONCEPTS):
        raise ValueError("concept ids must be unique")
    for concept in CONCEPTS:
        if not concept.pillars or not set(concept.pillars) <= set(PILLARS):
            raise ValueError(f"concept {concept.id!r} has unknown pillars {concept.pillars}")


_check()
