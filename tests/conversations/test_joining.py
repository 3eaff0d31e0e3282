"""New colleagues join with a one-time code that a team member makes."""

from __future__ import annotations

import re

from conversations.engine import Conversation
from storage import Storage
from tests.conversations.dialogue import Chat, Forged, Tap


async def worker_code(conversation: Conversation) -> str:
    """A one-time worker code, made by the team member of the test settings (user 901)."""
    team = Chat(conversation, user_id="901", language_code="en")
    await team.onboard()
    await team.send("/invitecode")
    [code] = re.findall(
        r"/join ([A-Z0-9]{4}-[A-Z0-9]{4})", await team.send(Tap("👷 Community worker"))
    )
    return code


async def test_a_team_code_makes_a_resident_a_worker_once(
    conversation: Conversation, storage: Storage
) -> None:
    code = await worker_code(conversation)

    newcomer = Chat(conversation, user_id="555", language_code="en")
    await newcomer.onboard()
    await newcomer.dialog([("/review", "only for community workers")])
    await newcomer.dialog([(f"/join {code.lower()}", "You are now a community worker")])
    await newcomer.dialog([("/review", "Nothing left to review")])
    await newcomer.dialog([("/help", "/review")])
    resident = await storage.residents.find("test:555")
    assert resident is not None and resident.role == "worker"

    other = Chat(conversation, user_id="556", language_code="en")
    await other.onboard()
    await other.dialog([(f"/join {code}", "That code does not work")])
    actions = [entry.action for entry in await storage.audit.entries()]
    assert actions == ["invite_code", "refused", "joined", "join_refused"]


async def test_only_the_team_makes_codes(chat: Chat, storage: Storage) -> None:
    await chat.onboard()
    await chat.dialog([("/invitecode", "only for the programme team")])
    await chat.dialog([("/join", "/join ABCD-EFGH")])
    assert [e.action for e in await storage.audit.entries()] == ["refused"]


async def test_repeated_wrong_codes_are_slowed_down_even_for_a_right_one(
    conversation: Conversation, storage: Storage
) -> None:
    code = await worker_code(conversation)
    guesser = Chat(conversation, user_id="557", language_code="en")
    await guesser.onboard()
    for attempt in range(5):
        await guesser.dialog([(f"/join AAAA-AAA{attempt}", "That code does not work")])
    for _ in range(20):
        await guesser.dialog([("/join BBBB-BBBB", "Too many wrong codes")])
    await guesser.dialog([(f"/join {code}", "Too many wrong codes")])
    refused = [e for e in await storage.audit.entries() if e.action == "join_refused"]
    assert len(refused) == 5  # the slowed-down tries cost no check and no log entry
    resident = await storage.residents.find("test:557")
    assert resident is not None and resident.role == "resident"


async def test_the_team_lists_and_revokes_a_role_joined_by_code(
    conversation: Conversation, storage: Storage
) -> None:
    code = await worker_code(conversation)
    newcomer = Chat(conversation, user_id="558", language_code="en")
    await newcomer.onboard()
    await newcomer.send(f"/join {code}")
    team = Chat(conversation, user_id="901", language_code="en")
    newcomer_id = (await storage.residents.find("test:558")).id
    listing = await team.send("/roles")
    assert "community workers 1, programme team 1" in listing
    assert f"#{newcomer_id}" in listing and "558" not in listing
    await team.dialog([(Tap(f"Revoke #{newcomer_id}"), "no longer has a role")])
    await newcomer.dialog([("/review", "only for community workers")])
    assert "Nobody holds a role by code" in await team.send("/roles")
    revoked = [e for e in await storage.audit.entries() if e.action == "revoked"]
    assert [(e.detail["role"], e.detail["who"]) for e in revoked] == [("worker", newcomer_id)]


async def test_a_resident_cannot_list_or_revoke_roles(chat: Chat, storage: Storage) -> None:
    await chat.onboard()
    await chat.dialog([("/roles", "only for the programme team")])
    await chat.dialog([(Forged("roles:revoke:1"), "only for the programme team")])
    assert [e.action for e in await storage.audit.entries()] == ["refused", "refused"]
