"""Review by community workers and the team: set pillars or hide abuse, one at a time."""

from __future__ import annotations

from conversations import prompts
from conversations.labels import PILLAR_LABELS, neighbourhood_label
from conversations.menu import heading
from conversations.messages import Attachment, Button, Reply
from conversations.roles import REVIEWERS, allowed
from conversations.turn import Turn
from locales import _, join_list, language_name_here, ngettext
from storage.contributions import Contribution


async def start(turn: Turn) -> None:
    """`/review`: the first contribution waiting, for workers and the team only."""
    if not await allowed(turn, REVIEWERS, "/review"):
        return
    await _show_next(turn, after_id=0)


async def choose(turn: Turn, value: str) -> None:
    """A review button: switch a pillar, save, hide, skip or stop."""
    if not await allowed(turn, REVIEWERS, f"rev:{value}"):
        return
    state = turn.state
    contribution = await turn.storage.contributions.get(state.contribution_id or 0)
    if contribution is None:
        await _show_next(turn, after_id=state.contribution_id or 0)
        return
    action, _sep, pillar = value.partition(":")
    resident = turn.resident
    if action == "pillar" and pillar in PILLAR_LABELS:
        chosen = set(state.pillars) ^ {pillar}
        state.pillars = [p for p in PILLAR_LABELS if p in chosen]
        turn.replies.append(_item(turn, contribution, replace=True))
    elif action == "save":
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
        turn.replies.append(prompts.main_menu())


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
    turn.replies.append(_item(turn, contribution))


def _item(turn: Turn, contribution: Contribution, replace: bool = False) -> Reply:
    """The contribution as a worker sees it, with buttons to set its pillars."""
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
        source
        + " "
        + (join_list(_(PILLAR_LABELS[p]) for p in contribution.final_pillars) or _("no topic")),
    ]
    if found:
        lines.append(_("Words found: {words}", words=join_list(found)))
    rows: list[tuple[Button, ...]] = [
        (Button(("✅ " if p in chosen else "⬜ ") + _(label), f"rev:pillar:{p}"),)
        for p, label in PILLAR_LABELS.items()
    ]
    rows += [
        (Button(_("✔ Save"), "rev:save"), Button(_("🙈 Hide"), "rev:hide")),
        (Button(_("⏭ Skip"), "rev:skip"), Button(_("⏹ Stop"), "rev:stop")),
    ]
    attachment = None
    if contribution.media_kind in ("photo", "voice") and contribution.media_ref:
        attachment = Attachment(contribution.media_kind, contribution.media_ref)  # type: ignore[arg-type]
    return Reply("\n".join(lines), tuple(rows), replace, attachment=attachment)
