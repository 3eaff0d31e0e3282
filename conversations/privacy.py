"""Privacy: a resident sees everything stored about them, and can delete it all."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from conversations.choices import ChoiceData, yes_no
from conversations.contact import exchange
from conversations.invitations import ANSWER_LABELS
from conversations.labels import PILLAR_LABELS, neighbourhood_label
from conversations.menu import heading, main_menu
from conversations.messages import Reply
from conversations.routing import Router
from conversations.turn import Turn
from locales import N_, S_, _, format_date, join_list, language_name
from storage.contributions import reference

log = logging.getLogger(__name__)

router = Router("privacy")


@dataclass(frozen=True)
class Forget(ChoiceData):
    """Delete everything, or keep it."""

    prefix: ClassVar[str] = "forget"
    answer: str


def forget_question() -> Reply:
    """Ask for confirmation before deleting everything."""
    return Reply(
        _(
            "Do you want us to delete everything we keep about you, with all your messages?"
            " This cannot be undone."
        ),
        yes_no(
            Forget("yes"),
            Forget("no"),
            (_("🗑 Yes, delete everything"), _("↩️ No, keep it")),
            (_(S_("🗑 Delete all")), _(S_("↩️ Keep it"))),
        ),
    )


@router.asks("forget")
async def ask_forget_again(turn: Turn) -> list[Reply]:
    """Whether to delete everything."""
    return [forget_question()]


@router.command("mydata", N_("see everything we keep about you"), N_("my data, privacy"))
async def my_data(turn: Turn) -> None:
    """Send everything stored about the resident, in plain words."""
    resident = turn.resident
    contributions = await turn.storage.contributions.by_resident(resident.id)
    lines = [
        _("This is everything we keep about you:"),
        _("• The number of your chat account: {id}", id=resident.account),
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
    for thread in await turn.storage.contacts.of_author(resident.id):
        lines += ["", _("Your conversation about {ref}:", ref=reference(thread.contribution_id))]
        lines += exchange(thread, _("You"))
    if not contributions:
        lines += ["", _("You have not shared any messages yet.")]
    lines += ["", _("Delete everything with /forget.")]
    turn.say("\n".join(lines))


def _yes_no(answer: bool | None) -> str:
    if answer is None:
        return _("not answered")
    return _("yes") if answer else _("no")


@router.command("forget", N_("delete everything about you"), N_("forget me, delete my data"))
async def ask_forget(turn: Turn) -> None:
    """Ask for confirmation before deleting the resident."""
    turn.state.step = "forget"
    await turn.ask()


@router.choice(Forget, steps=["forget"])
async def answer_forget(turn: Turn, chosen: Forget) -> None:
    """Delete the resident and all they shared, or keep everything."""
    if chosen.answer != "yes":
        turn.state.clear()
        turn.say(_("Okay, nothing is deleted."), replace=True)
        turn.replies.append(main_menu())
        return
    await turn.storage.residents.forget(turn.resident.id)
    turn.forgotten = True
    log.info("resident %s forgotten", turn.resident.id)
    turn.say(
        _("Done. Everything about you is deleted. Goodbye! Send /start if you want to come back."),
        replace=True,
    )
