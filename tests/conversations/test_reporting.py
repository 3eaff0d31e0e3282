"""/report for the team: a neighbourhood and days may be named; open work follows them."""

from __future__ import annotations

from datetime import date

from conversations.engine import Conversation
from storage import Storage
from tests.conversations.dialogue import Chat
from tests.insights.test_report import item


async def seed(storage: Storage) -> None:
    """In November: one message from Nazareth and one from Pottenberg; one in October."""
    anna = (await storage.residents.create("telegram:1", "nl")).id
    await storage.contributions.add_many(
        [
            item(
                anna, date(2026, 11, 3), text="Schimmel", neighbourhood="nazareth", confirmed=False
            ),
            item(anna, date(2026, 11, 4), text="Lift kapot", confirmed=False),
            item(anna, date(2026, 10, 4), text="Oud", neighbourhood="nazareth", confirmed=False),
        ]
    )


async def test_a_neighbourhood_and_days_are_named_and_followed(
    conversation: Conversation, storage: Storage
) -> None:
    await seed(storage)
    team = Chat(conversation, "901", "en")
    await team.onboard()
    answer = await team.send("/report nazareth 2026-11-01 2026-11-30")
    assert "Report Nov 1, 2026 – Nov 30, 2026" in answer
    assert "Neighbourhood: Nazareth" in answer
    assert "1 contribution" in answer and "1 waits for review" in answer


async def test_days_that_cannot_be_read_get_an_example(
    conversation: Conversation, storage: Storage
) -> None:
    team = Chat(conversation, "901", "en")
    await team.onboard()
    for typed in ("/report 2026-13-01", "/report 2026-11-30 2026-11-01", "/report 1 2 3"):
        answer = await team.send(typed)
        assert "/report nazareth 2026-11-01 2026-11-30" in answer, typed
