"""Invite codes against a real SQLite file: once, unexpired, typed loosely."""

from __future__ import annotations

from storage import Storage


async def test_a_code_works_once_and_typed_loosely(storage: Storage) -> None:
    team = await storage.residents.create("telegram:1", "nl", role="team")
    newcomer = await storage.residents.create("telegram:2", "nl")
    code = await storage.invites.create("worker", team.id, team.role)
    typed = code.replace("-", " ").lower()
    assert await storage.invites.redeem(typed, newcomer.id, "resident") == "worker"

    assert await storage.invites.redeem(code, newcomer.id, "worker") is None
    found = await storage.residents.get(newcomer.id)
    assert found is not None and found.role == "worker"


async def test_an_expired_code_does_not_work(storage: Storage) -> None:
    team = await storage.residents.create("telegram:1", "nl", role="team")
    code = await storage.invites.create("team", team.id, team.role)
    async with storage.db.transaction() as tx:
        await tx.execute("UPDATE invite_codes SET expires_at = '2020-01-01T00:00:00+00:00'")
    assert await storage.invites.redeem(code, team.id, "team") is None
