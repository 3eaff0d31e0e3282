"""Privacy: a resident sees everything stored about them, and can delete it all."""

from __future__ import annotations

import logging

from conversations import prompts
from conversations.invitations import ANSWER_LABELS
from conversations.labels import PILLAR_LABELS, neighbourhood_label
from conversations.menu import heading
from conversations.turn import Turn
from locales import _, format_date, join_list, language_name

log = logging.getLogger(__name__)


async def my_data(turn: Turn) -> None:
    """Send everything stored about the resident, in plain words."""
    resident = turn.resident
    contributions = await turn.storage.contributions.by_resident(resident.id)
    lines = [
        _("This is everything we keep about you:"),
        _("• The number of your chat account: {id}", id=resident.channel_user_id),
        _("• Language: {language}", language=language_name(resident.language)),
        _("• Neighbourhood: {name}", name=neighbourhood_label(resident.neighbourhood)),
        _("• You agreed to the privacy terms on: {date}", date=format_date(resident.consented_at)),
        _("• Invitations to activities: {answer}", answer=_yes_no(resident.invitations)),
        _(
            "• Messages we sent you, such as invitations: {n}",
            n=await turn.storage.outbox.count_for(resident.id),
        ),
    ]
    for event, answer in await turn.storage.events.answers_by(resident.id):
        title = event.text_in(resident.language).title
        lines.append(
            _("• Your answer to {title}: {answer}", title=title, answer=_(ANSWER_LABELS[answer]))
        )
    for contribution in contributions:
        topics = join_list(_(PILLAR_LABELS[p]) for p in contribution.final_pillars)
        lines += [
            "",
            heading(contribution),
            contribution.text or _("(photo or voice message)"),
            _("Topics: {topics}", topics=topics or _("no topic")),
            _("May be read out: {answer}", answer=_yes_no(contribution.may_quote)),
        ]
        if contribution.wants_contact is not None:
            lines.append(_("Contact: {answer}", answer=_yes_no(contribution.wants_contact)))
    if not contributions:
        lines += ["", _("You have not shared any messages yet.")]
    lines += ["", _("Delete everything with /forget.")]
    turn.say("\n".join(lines))


def _yes_no(answer: bool | None) -> str:
    if answer is None:
        return _("not answered")
    return _("yes") if answer else _("no")


async def ask_forget(turn: Turn) -> None:
    """Ask for confirmation before deleting the resident."""
    turn.state.step = "forget"
    await prompts.ask(turn)


async def answer_forget(turn: Turn, answer: str) -> None:
    """Delete the resident and all they shared, or keep everything."""
    if answer != "yes":
        turn.state.clear()
        turn.say(_("Okay, nothing is deleted."), replace=True)
        turn.replies.append(prompts.main_menu())
        return
    await turn.storage.residents.forget(turn.resident.id)
    turn.forgotten = True
    log.info("resident %s forgotten", turn.resident.id)
    turn.say(
        _("Done. Everything about you is deleted. Goodbye! Send /start if you want to come back."),
        replace=True,
    )
