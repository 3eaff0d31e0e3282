"""A reply laid out by what a channel can show: buttons, lists, short labels, no edits."""

from __future__ import annotations

from bot.channels.layout import CONSOLE, TELEGRAM, WHATSAPP, lay_out, utf16
from conversations.choices import Again
from conversations.messages import Choice, Question, Reply


def choices(n: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"c:{i}", f"Choice number {i}", f"No {i}") for i in range(1, n + 1))


def test_three_choices_are_buttons_and_more_are_a_list_paged_with_more() -> None:
    [few] = lay_out(Reply("Pick", Question(choices(3))), WHATSAPP)
    assert [b.data for row in few.buttons for b in row] == ["c:1", "c:2", "c:3"]
    [first] = lay_out(Reply("Pick", Question(choices(13))), WHATSAPP)
    assert len(first.rows) == 10 and first.rows[-1].data == Again(1).pack()
    [second] = lay_out(Reply("Pick", Question(choices(13)), page=1), WHATSAPP)
    assert [r.data for r in second.rows] == [f"c:{i}" for i in range(10, 14)] + ["again:0"]


def test_a_label_too_long_for_a_button_takes_the_short_one_cut_if_need_be() -> None:
    long = Choice("x:1", "✅ Yes, I agree with all of it", "✅ I agree")
    longer = Choice("x:2", "❌ No, not at all, thank you", "❌ No, not now, thank you")
    [shown] = lay_out(Reply("Agree?", Question((long, longer))), WHATSAPP)
    labels = [b.label for row in shown.buttons for b in row]
    assert labels[0] == "✅ I agree"
    assert labels[1].endswith("…") and utf16(labels[1]) <= 20
    [telegram] = lay_out(Reply("Agree?", Question((long, longer))), TELEGRAM)
    assert [b.label for row in telegram.buttons for b in row] == [long.label, longer.label]


def test_without_edits_a_toggle_is_answered_by_what_is_ticked_and_change() -> None:
    question = Question(
        (
            Choice("p:1", "✅ 💚 Health and wellbeing", "✅ 💚 Health", ticked=True),
            Choice("p:2", "⬜ 💶 Money", ticked=False),
            Choice("ok", "👍 That's right"),
        ),
        multi=True,
    )
    toggled = Reply("I think this is about: …", question, replace=True)
    [shown] = lay_out(toggled, WHATSAPP)
    assert shown.text == "✔ 💚 Health"
    assert [b.label for row in shown.buttons for b in row] == ["👍 That's right", "✏️ Change"]
    [edited] = lay_out(toggled, TELEGRAM)  # Telegram edits the question in place
    assert edited.text == toggled.text and len(edited.buttons) == 3


def test_without_edits_a_tap_is_answered_by_its_news() -> None:
    reply = Reply("Before we start … ✔ You agreed.", replace=True, short="✔ You agreed.")
    assert [s.text for s in lay_out(reply, CONSOLE)] == ["✔ You agreed."]
    assert [s.text for s in lay_out(reply, TELEGRAM)] == [reply.text]


def test_a_long_text_is_split_and_the_choices_go_with_the_last_piece() -> None:
    reply = Reply("line\n" * 400, Question(choices(2)))
    pieces = lay_out(reply, WHATSAPP)
    assert len(pieces) == 2 and all(len(p.text) <= 1024 for p in pieces)
    assert not pieces[0].buttons and pieces[1].buttons


def test_telegram_keeps_the_rows_the_question_hints() -> None:
    two, one = choices(2), choices(1)
    [shown] = lay_out(Reply("Menu", Question.of(two, one)), TELEGRAM)
    assert [len(row) for row in shown.buttons] == [2, 1]
