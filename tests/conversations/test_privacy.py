"""Privacy: a resident sees everything kept about them and can delete it all."""

from __future__ import annotations

from pathlib import Path

from storage import Storage
from tests.backends import SQLITE_FILE_ONLY
from tests.conversations.dialogue import Chat, Tap
from tests.conversations.test_onboarding import count, stored_bytes


async def share(chat: Chat, words: str) -> None:
    await chat.send(Tap("😟 A worry"))
    await chat.send(words)
    await chat.send(Tap("👍 That's right"))
    await chat.send(Tap("✅ Yes"))


async def test_mydata_shows_everything_kept(chat: Chat) -> None:
    await chat.onboard()
    await share(chat, "The heating bill is far too high")
    await chat.dialog(
        [
            (
                "/mydata",
                (
                    "everything we keep",
                    "101",
                    "English",
                    "Pottenberg",
                    "P-0001",
                    "The heating bill is far too high",
                    "May be read out: yes",
                    "/forget",
                ),
            )
        ]
    )


@SQLITE_FILE_ONLY
async def test_forget_leaves_nothing_behind(chat: Chat, storage: Storage, db_path: Path):
    await chat.onboard()
    await share(chat, "Mijn buurvrouw Annelies is zo eenzaam")
    assert await count(storage, "contribution_concepts") > 0  # loneliness, for the themes
    await chat.dialog(
        [
            ("/forget", "cannot be undone"),
            (Tap("🗑 Yes, delete everything"), "Everything about you is deleted"),
        ]
    )
    for table in ("residents", "contributions", "contribution_pillars", "contribution_concepts"):
        assert await count(storage, table) == 0, table
    await storage.db.close()  # checkpoints the write-ahead log into the file
    assert b"Annelies" not in stored_bytes(db_path)


async def test_after_forget_the_resident_starts_afresh(chat: Chat) -> None:
    await chat.onboard()
    await chat.send("/forget")
    await chat.send(Tap("🗑 Yes, delete everything"))
    await chat.dialog([("/start", "Which language")])


async def test_forget_can_be_called_off(chat: Chat, storage: Storage) -> None:
    await chat.onboard()
    await share(chat, "Too few places to play")
    await chat.send("/forget")
    await chat.dialog([(Tap("↩️ No, keep it"), "nothing is deleted")])
    assert await count(storage, "contributions") == 1


@SQLITE_FILE_ONLY
async def test_forget_leaves_no_words_in_any_file_while_the_bot_runs(
    chat: Chat, storage: Storage, db_path: Path
) -> None:
    await chat.onboard()
    await share(chat, "Mijn buurvrouw Annelies is zo eenzaam")
    await chat.send("/forget")
    await chat.send(Tap("🗑 Yes, delete everything"))
    files = list(db_path.parent.glob(f"{db_path.name}*"))
    assert db_path.with_name(db_path.name + "-wal") in files  # the database is still open
    for path in files:
        assert b"Annelies" not in path.read_bytes(), path.name


async def test_a_reference_is_never_given_twice(conversation, storage: Storage) -> None:
    first, newest = Chat(conversation, "101", "en"), Chat(conversation, "102", "en")
    for resident in (first, newest):
        await resident.onboard()
    await share(first, "The street lights are broken")
    await share(newest, "Too few places to play")
    await newest.send("/forget")
    await newest.send(Tap("🗑 Yes, delete everything"))
    await first.send(Tap("😟 A worry"))
    await first.send("The bins are never emptied")
    await first.send(Tap("👍 Done"))  # no topic found: the resident picks none and is done
    await first.dialog([(Tap("✅ Yes"), "P-0003")])
