"""Updates handled per second by 1 and 3 processes sharing one inbox: SQLite and PostgreSQL.

Each process claims inbox rows and runs the conversation's turn on them, as `wijkstem run`
does behind a load balancer, without a channel in between: what is measured is the claim, the
language detection and tagging, the turn and its commit. The PostgreSQL server is a throwaway
one the benchmark starts itself, as the tests do (fsync off: the figures say so).
"""

from __future__ import annotations

import asyncio
import json
import sys
from time import perf_counter

from benchmarks.postgres import one_and_three_processes
from conversations.engine import Conversation
from conversations.messages import Inbound
from conversations.turn import Services
from insights.analysis import Analyser
from insights.language import make_detector
from insights.pillars import PillarTagger
from storage import Storage
from storage.inbox import Received

CHANNEL = "bench"
RESIDENTS = 100
TEXTS_EACH = 6
TEXTS = (
    "The lift in our flat has been broken for weeks",
    "Ik heb schulden en slaap er slecht van",
    "Mijn zoon zoekt huiswerkbegeleiding",
)
BATCH = 200


async def _prepare(url: str) -> None:
    """Residents who agreed already, and every update they send waiting in the inbox."""
    storage = await Storage.open(url)
    try:
        for number in range(RESIDENTS):
            await storage.residents.create(f"{CHANNEL}:{number}", "en")
        updates = [
            Received(CHANNEL, f"{turn}-{number}", f"{CHANNEL}:{number}", TEXTS[turn % 3])
            for turn in range(TEXTS_EACH)
            for number in range(RESIDENTS)
        ]
        await storage.inbox.receive(updates)
    finally:
        await storage.close()


async def work(url: str) -> None:
    """One process: claim and handle waiting updates until none is left."""
    storage = await Storage.open(url)
    analyser = Analyser(make_detector(), PillarTagger.load(), "nl")
    analyser.detector.warm_up()
    conversation = Conversation(Services(storage, analyser, ("pottenberg", "nazareth"), "nl"))
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    handled = 0
    while rows := await storage.inbox.to_handle(CHANNEL, 0, BATCH):
        for row in rows:
            user_id = row.sender.partition(":")[2]
            event = Inbound(CHANNEL, user_id, "text", text=row.payload, language_code="en")
            if await conversation.handle(event, row.id) is not None:
                await storage.inbox.answered(row.id)
                handled += 1
    await storage.close()
    print(json.dumps({"handled": handled}), flush=True)


async def _measure(url: str, processes: int) -> tuple[float, list[int]]:
    """Seconds from the go until `processes` workers drained the inbox; what each handled."""
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.processes",
            url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(processes)
    ]
    for worker in workers:
        assert worker.stdout is not None
        await worker.stdout.readline()  # ready: models loaded
    started = perf_counter()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(b"go\n")
        await worker.stdin.drain()
    outputs = [await worker.communicate() for worker in workers]
    seconds = perf_counter() - started
    return seconds, [json.loads(out.decode().strip())["handled"] for out, _err in outputs]


def _report(name: str, processes: int, seconds: float, handled: list[int]) -> None:
    total = sum(handled)
    print(
        f"{name:<10} {processes} process{'es' if processes > 1 else '  '}:"
        f" {total / seconds:7.1f} updates/s ({total:,} in {seconds:.1f} s; each handled"
        f" {', '.join(f'{n:,}' for n in handled)})"
    )


def run() -> None:
    """Print updates per second for SQLite with one process and PostgreSQL with one and three."""
    print("== Processes ==")
    total = RESIDENTS * TEXTS_EACH
    print(
        f"{total:,} text updates from {RESIDENTS} residents waiting in the inbox; each process"
        " claims them and runs the turn (detection, tagging, state, commit); no channel"
    )
    for backend, processes, url in one_and_three_processes("bench"):
        asyncio.run(_prepare(url))
        _report(backend, processes, *asyncio.run(_measure(url, processes)))
    print(
        "PostgreSQL: a throwaway server on this machine with fsync off; every process and the"
        " server share its CPUs, so more processes than cores add little."
    )


if __name__ == "__main__":
    asyncio.run(work(sys.argv[1]))
