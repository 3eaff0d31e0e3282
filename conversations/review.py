"""Review by community workers and the team: set pillars or hide abuse, one at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData
from conversations.labels import PILLAR_LABELS, neighbourhood_label, pillar_toggles
from conversations.menu import heading, main_menu, wish
from conversations.messages import Attachment, Question, Reply
from conversations.roles import REVIEWERS, allowed
from conversations.routing import Router
from conversations.share import toggled
from conversations.turn import Turn
from insights.anonymise import PLACEHOLDERS, scrub
from locales import N_, S_, _, join_list, language_name_here, ngettext
from storage.contributions import Contribution

router = Router("review")


@dataclass(frozen=True)
class Rev(ChoiceData):
    """A review action on the contribution at hand: save, hide, skip, stop."""

    prefix: ClassVar[str] = "rev"
    action: str


@dataclass(frozen=True)
class RevPillar(ChoiceData):
    """Switch a pillar of the contribution at hand on or off."""

    prefix: ClassVar[str] = "revp"
    pillar: str


@router.asks("review")
async def ask_review(turn: Turn) -> list[Reply]:
    """The contribution under review, again."""
    contribution = await turn.storage.contributions.get(turn.state.contribution_id or 0)
    if contribution is None:
        return []
    return [_item(turn, contribution, translation=await translated(turn, contribution))]


@router.command(
    "review",
    N_("review messages: set topics, hide abuse"),
    N_("review"),
    shown_to=REVIEWERS,
)
async def start(turn: Turn) -> None:
    """`/review`: the first contribution waiting, for workers and the team only."""
    if not await allowed(turn, REVIEWERS, "/review"):
        return
    await _show_next(turn, after_id=0)


@router.choice(RevPillar, steps=["review"])
async def toggle(turn: Turn, chosen: RevPillar) -> None:
    """Switch a pillar of the contribution under review."""
    if not await allowed(turn, REVIEWERS, f"rev:pillar:{chosen.pillar}"):
        return
    contribution = await turn.storage.contributions.get(turn.state.contribution_id or 0)
    if contribution is None or chosen.pillar not in PILLAR_LABELS:
        await _show_next(turn, after_id=turn.state.contribution_id or 0)
        return
    turn.state.pillars = toggled(turn.state.pillars, chosen.pillar, tuple(PILLAR_LABELS))
    translation = await translated(turn, contribution)
    turn.replies.append(_item(turn, contribution, replace=True, translation=translation))


@router.choice(Rev, steps=["review"])
async def choose(turn: Turn, chosen: Rev) -> None:
    """A review action: save, hide, skip or stop."""
    action = chosen.action
    if not await allowed(turn, REVIEWERS, f"rev:{action}"):
        return
    state = turn.state
    contribution = await turn.storage.contributions.get(state.contribution_id or 0)
    if contribution is None:
        await _show_next(turn, after_id=state.contribution_id or 0)
        return
    resident = turn.resident
    if action in ("save", "hide", "skip"):
        # Ask the service before anything is written, so no turn waits on it for the lock.
        upcoming = await turn.storage.contributions.next_for_review(contribution.id)
        if upcoming is not None:
            await translated(turn, upcoming)
    if action == "save":
        await turn.storage.contributions.review(
            contribution.id, state.pillars, resident.id, resident.role
        )
        topics = join_list(_(PILLAR_LABELS[p]) for p in state.pillars) or _("no topic")
        turn.say(
            _("✔ {ref} saved: {topics}", ref=contribution.reference, topics=topics), replace=True
        )
        await _show_next(turn, contribution.id)
    elif action == "hide":
        await turn.storage.contributions.hide(contribution.id, resident.id, resident.role)
        turn.say(_("🙈 {ref} is hidden.", ref=contribution.reference), replace=True)
        await _show_next(turn, contribution.id)
    elif action == "skip":
        turn.say(_("⏭ {ref} skipped.", ref=contribution.reference), replace=True)
        await _show_next(turn, contribution.id)
    else:
        state.clear()
        turn.say(_("Stopped reviewing."), replace=True)
        turn.replies.append(main_menu())


async def _show_next(turn: Turn, after_id: int) -> None:
    contributions = turn.storage.contributions
    contribution = await contributions.next_for_review(after_id)
    if contribution is None:
        turn.state.clear()
        waiting = await contributions.count_for_review()
        if waiting:  # the ones skipped on the way still wait, from the start
            turn.say(
                ngettext(
                    "🔎 {n} message waits for review.", "🔎 {n} messages wait for review.", waiting
                )
                + "\n"
                + _("Send /review to go on reviewing.")
            )
        else:
            turn.say(_("Nothing left to review. Thank you! 🎉"))
        return
    turn.state.clear()
    turn.state.step = "review"
    turn.state.contribution_id = contribution.id
    turn.state.pillars = list(contribution.final_pillars)
    waiting = await contributions.count_for_review()
    turn.say(
        ngettext("🔎 {n} message waits for review.", "🔎 {n} messages wait for review.", waiting)
    )
    turn.replies.append(
        _item(turn, contribution, translation=await translated(turn, contribution))
    )


async def translated(turn: Turn, contribution: Contribution) -> str | None:
    """The words in the worker's language, anonymised first; kept, so asked for once."""
    translator, target = turn.services.translator, turn.resident.language
    if translator is None or not contribution.text or contribution.language == target:
        return None
    words = scrub(contribution.text, lambda kind: _(PLACEHOLDERS[kind]))
    kept = await turn.storage.translations.find(contribution.id, target, words)
    if kept is not None:
        return kept
    [found] = await translator.translate([(words, contribution.language)], target)
    if found is not None:
        await turn.storage.translations.keep(contribution.id, target, words, found)
    return found


def _item(
    turn: Turn, contribution: Contribution, replace: bool = False, translation: str | None = None
) -> Reply:
    """The contribution as a worker sees it, with choices to set its pillars."""
    chosen = turn.state.pillars
    language = language_name_here(contribution.language) if contribution.language else _("unsure")
    if contribution.confirmed_at is not None:
        source = _("Topics chosen by the resident:")
    else:
        source = _("Topics found by the tagger:")
    found = sorted({term for terms in contribution.terms.values() for term in terms})
    lines = [
        heading(contribution),
        _(
            "Language: {language} · Neighbourhood: {name}",
            language=language,
            name=neighbourhood_label(contribution.neighbourhood),
        ),
        f"“{contribution.text}”" if contribution.text else _("(photo or voice message)"),
        *wish(contribution),
        *([_("🌐 Machine translation: {text}", text=translation)] if translation else []),
        source
        + " "
        + (join_list(_(PILLAR_LABELS[p]) for p in contribution.final_pillars) or _("no topic")),
    ]
    if found:
        lines.append(_("Words found: {words}", words=join_list(found)))
    question = Question.of(
        *pillar_toggles(RevPillar, chosen),
        (
            Rev("save").choice(_("✔ Save"), _(S_("✔ Save"))),
            Rev("hide").choice(_("🙈 Hide"), _(S_("🙈 Hide"))),
        ),
        (
            Rev("skip").choice(_("⏭ Skip"), _(S_("⏭ Skip"))),
            Rev("stop").choice(_("⏹ Stop"), _(S_("⏹ Stop"))),
        ),
        multi=True,
    )
    attachment = None
    if contribution.media_kind in ("photo", "voice") and contribution.media_ref:
        attachment = Attachment(contribution.media_kind, contribution.media_ref)  # type: ignore[arg-type]
    return Reply("\n".join(lines), question, replace, attachment=attachment)
