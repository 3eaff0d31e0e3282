"""The path of a contribution: received, read by the team, on the table, then an outcome."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from storage import audit, outbox
from storage.database import Database, Transaction, now, placeholders
from storage.outbox import Outgoing

# The steps in order; a path ends in an outcome or is closed (with a reason), not both.
STEPS = ("received", "read", "on_table", "outcome", "closed")
ENDS = ("outcome", "closed")
# The furthest step a contribution reached, in SQL over `c` (contributions).
STATUS = (
    "COALESCE((SELECT p.step FROM contribution_path p WHERE p.contribution_id = c.id ORDER BY"
    f" CASE p.step {' '.join(f'WHEN {step!r} THEN {n}' for n, step in enumerate(STEPS))} END"
    " DESC LIMIT 1), 'received')"
)


@dataclass(frozen=True)
class Step:
    """A step reached, when, and at which event (for "on the table")."""

    name: str
    at: str
    event_id: int | None = None


@dataclass(frozen=True)
class Path:
    """Every step a contribution reached, oldest first, and what a worker wrote at its end."""

    contribution_id: int
    steps: tuple[Step, ...]
    texts: Mapping[str, str] = field(default_factory=dict)  # language: outcome or reason

    @property
    def furthest(self) -> Step:
        """The furthest step reached."""
        return max(self.steps, key=lambda step: STEPS.index(step.name))

    @property
    def status(self) -> str:
        """The name of the furthest step reached."""
        return self.furthest.name

    @property
    def ended(self) -> bool:
        """Whether a worker wrote what happened, or closed it."""
        return self.status in ENDS

    def text_in(self, language: str, fallback: str = "nl") -> str | None:
        """What the worker wrote, in `language` when they wrote it in that language."""
        return self.texts.get(language) or self.texts.get(fallback)


async def reach(
    tx: Transaction, contribution_ids: Iterable[int], step: str, event_id: int | None
) -> list[int]:
    """Record a step inside the caller's transaction; the contributions that reach it now."""
    reached = []
    for contribution_id in contribution_ids:
        changed = await tx.execute(
            "INSERT INTO contribution_path (contribution_id, step, at, event_id)"
            " SELECT id, ?, ?, ? FROM contributions WHERE id = ? ON CONFLICT DO NOTHING",
            (step, now(), event_id, contribution_id),
        )
        if changed:
            reached.append(contribution_id)
    return reached


class Paths:
    """Reads the paths, and ends one with what happened."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def of(self, contribution_ids: Iterable[int]) -> dict[int, Path]:
        """The paths of these contributions (those that exist)."""
        ids = list(contribution_ids)
        if not ids:
            return {}
        marks = placeholders(len(ids))
        made = await self.db.fetch_all(
            f"SELECT id, created_at FROM contributions WHERE id IN ({marks})", ids
        )
        steps = await self.db.fetch_all(
            "SELECT contribution_id, step, at, event_id FROM contribution_path"
            f" WHERE contribution_id IN ({marks})",
            ids,
        )
        texts = await self.db.fetch_all(
            "SELECT contribution_id, language, text FROM contribution_outcomes"
            f" WHERE contribution_id IN ({marks})",
            ids,
        )
        return {
            row[0]: Path(
                row[0],
                (
                    Step("received", row[1]),
                    *sorted(
                        (Step(s[1], s[2], s[3]) for s in steps if s[0] == row[0]),
                        key=lambda step: (step.at, STEPS.index(step.name)),
                    ),
                ),
                {t[1]: t[2] for t in texts if t[0] == row[0]},
            )
            for row in made
        }

    async def read(self, contribution_id: int, actor_id: int, actor_role: str) -> None:
        """A worker read the message (the team's review does too); audited."""
        async with self.db.transaction() as tx:
            if await reach(tx, [contribution_id], "read", None):
                await audit.record(tx, actor_id, actor_role, "read", contribution_id)

    async def end(
        self,
        contribution_id: int,
        step: str,
        texts: Mapping[str, str],
        actor_id: int,
        actor_role: str,
        news: Outgoing,
    ) -> bool:
        """Write what happened (or why it is closed) and queue the author's news, together.

        False when the path had already ended (another worker was first): nothing changes.
        """
        assert step in ENDS
        async with self.db.transaction() as tx:
            ended = await tx.fetch_one(
                "SELECT 1 FROM contribution_path WHERE contribution_id = ? AND step IN (?, ?)",
                (contribution_id, *ENDS),
            )
            if ended is not None:
                return False
            if not await reach(tx, [contribution_id], step, None):
                return False
            await tx.execute_many(
                "INSERT INTO contribution_outcomes (contribution_id, language, text)"
                " VALUES (?, ?, ?)",
                [(contribution_id, language, text) for language, text in texts.items()],
            )
            await outbox.queue_one(tx, "outcome", news, contribution_id=contribution_id)
            await audit.record(
                tx, actor_id, actor_role, step, contribution_id, languages=sorted(texts)
            )
        return True
