"""The `wijkstem` command as a new user runs it: subprocesses with real settings."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Storage
from tests.bot.conftest import TOKEN
from tests.fakes.botapi import FakeBotApi
from tests.insights.test_model import SAMPLE

WIJKSTEM = [sys.executable, "-m", "bot"]


def clean_env(**settings: str) -> dict[str, str]:
    """The current environment without any WIJKSTEM_ setting, plus the given ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIJKSTEM_")}
    return env | {"PYTHONUNBUFFERED": "1"} | settings


def wijkstem(*args: str, cwd: Path, stdin: str = "", **settings: str):
    """Run the command to its end."""
    return subprocess.run(
        [*WIJKSTEM, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(**settings),
        timeout=120,
        check=False,
    )


def test_a_malformed_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    done = wijkstem("run", cwd=tmp_path, WIJKSTEM_WORKERS="12,abc")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "WIJKSTEM_WORKERS" in done.stderr and "abc" in done.stderr


def test_a_misspelt_setting_is_named_with_the_closest_real_one(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WIJKSTEM_TELEGRAM_TOKN=1:abc\n")
    done = wijkstem("check", cwd=tmp_path, WIJKSTEM_WORKER="12")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "wijkstem: warning: WIJKSTEM_WORKER is not a setting and is ignored;"
        " did you mean WIJKSTEM_WORKERS?",
        "wijkstem: warning: WIJKSTEM_TELEGRAM_TOKN is not a setting and is ignored;"
        " did you mean WIJKSTEM_TELEGRAM_TOKEN?",
    ]
    assert "1:abc" not in done.stderr


def test_a_number_without_its_button_asks_again_and_is_not_stored(tmp_path: Path) -> None:
    db = tmp_path / "console.sqlite3"
    # English, agree, then [9] where only 4 neighbourhood buttons are; the rest as usual.
    script = "1\n1\n9\n1\n2\n1\nThere is mould in our bedroom\n4\n1\n"
    done = wijkstem("chat", cwd=tmp_path, stdin=script, WIJKSTEM_DB=str(db), LANG="en_GB.UTF-8")
    assert done.returncode == 0, done.stderr
    assert "no longer active" in done.stdout and "P-0001" in done.stdout
    exported = wijkstem("export", cwd=tmp_path, WIJKSTEM_DB=str(db))
    assert json.loads(exported.stdout)["text"] == "There is mould in our bedroom"


def test_an_unknown_default_language_is_named(tmp_path: Path) -> None:
    done = wijkstem("chat", cwd=tmp_path, WIJKSTEM_DEFAULT_LANGUAGE="xx")
    assert done.returncode == 2
    assert "WIJKSTEM_DEFAULT_LANGUAGE" in done.stderr


def test_the_console_chat_goes_from_start_to_a_reference(tmp_path: Path) -> None:
    db = tmp_path / "console.sqlite3"
    # [1] English (the terminal's language comes first); [1] agree; [1] Pottenberg;
    # [2] no invitations; [1] a worry; the words; [4] that's right; [1] yes, quote.

    script = "1\n1\n1\n2\n1\nThere is mould in our bedroom and my son keeps coughing\n4\n1\n"
    done = wijkstem("chat", cwd=tmp_path, stdin=script, WIJKSTEM_DB=str(db), LANG="en_GB.UTF-8")
    assert done.returncode == 0, done.stderr
    for words in (
        "Which language",
        "Do you agree?",
        "Where do you live?",
        "invitations to activities",
        "What worries you?",
        "I think this is about",
        "P-0001",
    ):
        assert words in done.stdout, done.stdout
    assert db.exists()


def console_worker(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """`wijkstem chat` as the worker WIJKSTEM_WORKERS=console:local, typing `script`."""
    done = wijkstem(
        "chat",
        cwd=tmp_path,
        stdin=script,
        WIJKSTEM_DB=str(tmp_path / "console.sqlite3"),
        WIJKSTEM_WORKERS="console:local",
        LANG="en_GB.UTF-8",
    )
    assert done.returncode == 0, done.stderr
    return done


def test_the_console_can_be_a_worker_and_make_an_event(tmp_path: Path) -> None:
    """WIJKSTEM_WORKERS=console:local: every worker flow can be tried without Telegram."""
    # Onboard by typing; then /newevent, answered by typing, up to the audience and stop.
    done = console_worker(
        tmp_path,
        "english\nyes\nnazareth\nno\n/newevent\nBuurtkoffie\nskip\n13-3-2099 10:00\n"
        "Buurthuis\ndone\ndone\nno limit\nwho gets it\nstop\n/review\n",
    )
    for words in ("What is its name?", "Which topics", "will receive this", "Nothing was sent"):
        assert words in done.stdout, done.stdout
    assert "only for community workers" not in done.stdout
    assert "Nothing left to review" in done.stdout


def test_on_the_console_a_worker_answers_the_message_moves_along_and_the_news_is_printed(
    tmp_path: Path,
) -> None:
    """The one person at the terminal is resident and worker: they hear what they wrote."""
    done = console_worker(
        tmp_path,
        "english\nyes\nnazareth\nno\nidea\nA homework club for the children\n"
        "that's right\nyes\nyes\n/contact\nP-0001\nwrite\nAnna\nMay I call you?\nback\nstop\n"
        "Yes, on Monday morning.\nend the conversation\n"
        "/path P-0001\nmark as read\nwhat happened\nDe club begint in januari.\nsend\n/mine\n1\n",
    )
    out = done.stdout
    written = out.index("💬 Anna, community worker, about your message P-0001")
    answered = out.index("💬 The resident of P-0001 answers:")
    ended = out.index("The resident of P-0001 ended the conversation.")
    assert written < out.index("May I call you?", written) < answered < ended
    assert "Yes, on Monday morning." in out[answered:ended]
    news = out.index("📣 News about your message P-0001")
    assert "De club begint in januari." in out[news:]
    assert out.count("📣 News about your message") == 1
    path = out[out.rindex("Tap a message to see its whole path.") :]
    steps = ["📥 Received", "👀 Read by the team", "✅ What happened"]
    assert [path.index(step) for step in steps] == sorted(path.index(step) for step in steps)


def test_run_without_a_token_in_a_terminal_opens_the_console_chat(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [*WIJKSTEM, "run"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=tmp_path,
        env=clean_env(WIJKSTEM_DB=str(tmp_path / "db.sqlite3"), LANG="en_GB.UTF-8"),
    ) as process:
        os.close(follower)
        screen = b""
        while b"Which language" not in screen:
            try:
                screen += os.read(leader, 4096)
            except OSError:  # the terminal closed: the process ended
                break
        os.write(leader, b"\x04")  # Ctrl-D
        assert process.wait(timeout=60) == 0
    os.close(leader)
    assert b"console chat" in screen and b"Which language" in screen, screen
    assert b" INFO " not in screen  # the log does not talk through the chat


def test_run_without_a_token_or_a_terminal_says_what_to_set(tmp_path: Path) -> None:
    done = wijkstem("run", cwd=tmp_path, WIJKSTEM_DB=str(tmp_path / "db.sqlite3"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "WIJKSTEM_TELEGRAM_TOKEN" in done.stderr
    assert "Which language" not in done.stdout


def test_check_opens_the_database_for_a_healthcheck(tmp_path: Path) -> None:
    done = wijkstem("check", cwd=tmp_path, WIJKSTEM_DB=str(tmp_path / "db.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok:") and (tmp_path / "db.sqlite3").exists()


def test_a_database_url_names_the_file_relative_or_absolute(tmp_path: Path) -> None:
    relative = wijkstem("check", cwd=tmp_path, WIJKSTEM_DATABASE_URL="sqlite:///var/w.sqlite3")
    assert relative.returncode == 0, relative.stderr
    assert (tmp_path / "var" / "w.sqlite3").exists()
    absolute = tmp_path / "elsewhere" / "w.sqlite3"
    done = wijkstem("check", cwd=tmp_path, WIJKSTEM_DATABASE_URL=f"sqlite:///{absolute}")
    assert done.returncode == 0, done.stderr
    assert absolute.exists() and str(absolute) in done.stdout


def test_a_database_url_that_cannot_be_served_is_named_without_its_password(
    tmp_path: Path,
) -> None:
    # Nothing listens on port 9 of this machine.
    for url in (
        "mysql://wijkstem:geheim@db/wijkstem",
        "postgresql://wijkstem:geheim@127.0.0.1:9/w",
    ):
        done = wijkstem("check", cwd=tmp_path, WIJKSTEM_DATABASE_URL=url)
        assert done.returncode == 1, done.stderr
        assert done.stderr.strip().count("\n") == 0, done.stderr
        assert "geheim" not in done.stderr + done.stdout and "Traceback" not in done.stderr


def test_the_key_file_sits_beside_the_database_unless_set_and_a_broken_one_is_named(
    tmp_path: Path,
) -> None:
    done = wijkstem("check", cwd=tmp_path, WIJKSTEM_DB=str(tmp_path / "w.sqlite3"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "w.keys.sqlite3").exists()
    (tmp_path / "file").write_text("x")
    unusable = tmp_path / "file" / "keys.sqlite3"
    done = wijkstem("check", cwd=tmp_path, WIJKSTEM_KEYS=str(unusable))
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "key file" in done.stderr and str(unusable) in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["run", "chat", "export", "report", "check"])
@pytest.mark.parametrize("broken", ["not a database", "a folder", "under a file"])
def test_an_unopenable_database_is_named_in_one_line(
    tmp_path: Path, command: str, broken: str
) -> None:
    path = tmp_path / "db.sqlite3"
    if broken == "not a database":
        path.write_text("these are not the pages of a database " * 50)
    elif broken == "a folder":
        path.mkdir()
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "db.sqlite3"
    # `run` opens the database before it reaches out to Telegram.
    token = {"WIJKSTEM_TELEGRAM_TOKEN": TOKEN} if command == "run" else {}
    done = wijkstem(command, cwd=tmp_path, WIJKSTEM_DB=str(path), **token)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert str(path) in done.stderr and "Traceback" not in done.stderr


def test_tag_writes_a_json_line_per_text_with_its_kind_on_a_fresh_install(tmp_path: Path) -> None:
    lines = [
        "Ik zit met schulden en kan de huur niet betalen",
        json.dumps({"text": "My son needs help with homework and Dutch lessons"}),
        "Hoi!",
        "Ik wil graag een huiswerkclub beginnen voor de kinderen in de buurt",
    ]
    done = wijkstem("tag", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["lang"] for r in results[:2]] == ["nl", "en"]
    assert "livelihood_security" in results[0]["pillars"]
    assert results[0]["matched"]["livelihood_security"]
    assert "equal_opportunities" in results[1]["pillars"]
    assert results[2]["pillars"] == []
    # Without any trained model, every line has its kind.
    assert [r["kind"] for r in results] == ["concern", "concern", "other", "initiative"]
    assert set(results[0]) == {"text", "lang", "pillars", "scores", "matched", "kind"}


def test_tag_refuses_json_without_text(tmp_path: Path) -> None:
    done = wijkstem("tag", cwd=tmp_path, stdin='{"tekst": "hallo"}\n')
    assert done.returncode == 1
    assert "line 1" in done.stderr


async def test_export_carries_no_personal_ids(tmp_path: Path) -> None:
    db = tmp_path / "export.sqlite3"
    storage = await Storage.open(db)
    resident = await storage.residents.create("telegram:555123", "nl")
    added = await storage.contributions.add(
        resident_id=resident.id,
        kind="concern",
        text="Bel me op 06-12345678 of mail jan@example.nl over de schimmel",
        language="nl",
        neighbourhood="nazareth",
        auto_scores={"positive_health": 1.0},
    )
    await storage.contributions.confirm_pillars(
        added.id, ["positive_health", "livelihood_security"]
    )
    await storage.close()
    out = tmp_path / "export.jsonl"
    done = await asyncio.to_thread(
        wijkstem,
        "export",
        "--format",
        "jsonl",
        "--out",
        str(out),
        cwd=tmp_path,
        WIJKSTEM_DB=str(db),
    )
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert set(record) == {
        "id",
        "kind",
        "lang",
        "neighbourhood",
        "pillars",
        "created_at",
        "text",
        "demo",
    }
    assert record["demo"] is False, "a real resident's message is no demo data"
    assert record["id"] == "P-0001"
    assert record["pillars"] == ["positive_health", "livelihood_security"]
    assert "555123" not in out.read_text(encoding="utf-8")
    assert "06-12345678" not in record["text"] and "jan@example.nl" not in record["text"]
    assert "schimmel" in record["text"]
    to_stdout = await asyncio.to_thread(wijkstem, "export", cwd=tmp_path, WIJKSTEM_DB=str(db))
    assert json.loads(to_stdout.stdout) == record


async def test_run_with_a_token_polls_telegram_and_stops_cleanly(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        *WIJKSTEM,
        "run",
        cwd=tmp_path,
        env=clean_env(
            WIJKSTEM_TELEGRAM_TOKEN=TOKEN,
            WIJKSTEM_TELEGRAM_API_URL=api.base_url,
            WIJKSTEM_DB=str(tmp_path / "bot.sqlite3"),
            WIJKSTEM_LOG_LEVEL="DEBUG",
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = api.user(7730041, "Fatima", "en", "Amrani", "fatima_pottenberg")
        api.send_command(user, "start")
        welcome = await api.wait_for_message(user, timeout=60)
        assert "Which language" in (welcome.text or "")
        api.press(user, welcome, "lang:en")
        await api.wait_until(lambda: "Do you agree" in (welcome.text or ""))  # edited in place
        api.press(user, welcome, "consent:en:yes")
        await api.wait_for_message(user, lambda m: "Where do you live" in (m.text or ""))
        api.send_command(user, "0612345678")
        api.send_command(user, "help\n2026-12-05 ERROR forged entry")
        api.send_text(user, "Bel me op 0687654321, groet Fatima Amrani")
        for _ in range(3):
            await api.wait_for_message(user, lambda m: "Where do you live" in (m.text or ""))
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = err.decode()
    assert process.returncode == 0, log
    assert TOKEN not in log
    assert "Telegram channel started" in log
    # Even at DEBUG: no chat id, name, user name, phone number or words of the resident.
    for personal in ("7730041", "Fatima", "Amrani", "fatima_pottenberg", "0612345678", "Bel me"):
        assert personal not in log, personal
    assert not any(line.startswith("2026-12-05 ERROR forged") for line in log.splitlines())


async def test_a_refused_token_is_named(api: FakeBotApi, tmp_path: Path) -> None:
    done = await asyncio.to_thread(
        wijkstem,
        "run",
        cwd=tmp_path,
        WIJKSTEM_TELEGRAM_TOKEN="123:bad-token",
        WIJKSTEM_TELEGRAM_API_URL=api.base_url,
        WIJKSTEM_DB=str(tmp_path / "x.sqlite3"),
    )
    assert done.returncode == 2
    assert "WIJKSTEM_TELEGRAM_TOKEN" in done.stderr
    assert "bad-token" not in done.stderr


def test_train_then_tag_proposes_kinds_and_versions_grow(tmp_path: Path) -> None:
    settings = {"WIJKSTEM_DB": str(tmp_path / "db.sqlite3"), "WIJKSTEM_MODELS": str(tmp_path)}
    first = wijkstem("tagger", "train", "--jsonl", str(SAMPLE), cwd=tmp_path, **settings)
    assert first.returncode == 0, first.stderr
    assert "version 1 on 48 examples (0 confirmed in the database)" in first.stdout
    second = wijkstem("tagger", "train", "--jsonl", str(SAMPLE), cwd=tmp_path, **settings)
    assert "version 2" in second.stdout
    assert sorted(p.name for p in tmp_path.glob("tagger-*.npz")) == [
        "tagger-0001.npz",
        "tagger-0002.npz",
    ]
    tagged = wijkstem("tag", cwd=tmp_path, stdin="I want to organise a street party\n", **settings)
    assert json.loads(tagged.stdout)["kind"] == "initiative"


def test_eval_prints_the_figures_bars_and_misses(tmp_path: Path) -> None:
    done = wijkstem("eval", "pillars", str(SAMPLE), cwd=tmp_path, WIJKSTEM_MODELS=str(tmp_path))
    assert done.returncode == 0, done.stderr
    for words in (
        "48 labelled messages",
        "model: the starter model",
        "positive_health",
        "macro-F1",
        "per language",
        "no-pillar messages left untagged: ",
        "kind right: ",
        "recall initiative",
        "bars",
    ):
        assert words in done.stdout, done.stdout
    confusion = done.stdout[done.stdout.index("kind right: ") :]
    header = confusion.splitlines()[1].split()
    assert header == ["concern", "idea", "initiative", "other", "none", "recall"]


def test_eval_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"tekst": "hallo"}\n', encoding="utf-8")
    done = wijkstem("eval", "pillars", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "bad.jsonl:1" in done.stderr


def test_demo_data_then_a_report_in_every_format(tmp_path: Path) -> None:
    settings = {"WIJKSTEM_DB": str(tmp_path / "demo.sqlite3")}
    filled = wijkstem(
        "demo-data", "--residents", "30", "--contributions", "300", cwd=tmp_path, **settings
    )
    assert filled.returncode == 0, filled.stderr
    assert "300 demo contributions" in filled.stdout
    for fmt in ("html", "xlsx", "csv", "json"):
        done = wijkstem(
            "report",
            "--format",
            fmt,
            "--out",
            f"r.{fmt}",
            "--lang",
            "en",
            cwd=tmp_path,
            **settings,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / f"r.{fmt}").stat().st_size > 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    totals = data["totals"]
    assert 0 < totals["contributions"] == totals["demo"] <= 300
    assert data["themes"] and data["participation"]["residents"] > 0
    assert "demo-" not in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


def test_report_refuses_bad_input_and_writes_nothing(tmp_path: Path) -> None:
    settings = {"WIJKSTEM_DB": str(tmp_path / "db.sqlite3")}
    for args, words in (
        (["--since", "2026-02-30"], "--since '2026-02-30' is not a date"),
        (["--neighbourhood", "wyck"], "--neighbourhood 'wyck' is unknown"),
        (["--lang", "xx"], "--lang 'xx' has no catalogue"),
    ):
        done = wijkstem("report", "--out", "r.html", *args, cwd=tmp_path, **settings)
        assert done.returncode == 2 and words in done.stderr, done.stderr
        assert done.stderr.strip().count("\n") == 0
    assert not (tmp_path / "r.html").exists()


def test_a_report_in_arabic_reads_right_to_left(tmp_path: Path) -> None:
    settings = {"WIJKSTEM_DB": str(tmp_path / "db.sqlite3")}
    wijkstem("demo-data", "--residents", "5", "--contributions", "40", cwd=tmp_path, **settings)
    done = wijkstem("report", "--lang", "ar", "--out", "ar.html", cwd=tmp_path, **settings)
    assert done.returncode == 0, done.stderr
    assert '<html lang="ar" dir="rtl">' in (tmp_path / "ar.html").read_text(encoding="utf-8")


def test_counts_are_written_in_the_right_number(tmp_path: Path) -> None:
    settings = {"WIJKSTEM_DB": str(tmp_path / "db.sqlite3")}
    added = wijkstem(
        "demo-data",
        "--residents",
        "1",
        "--contributions",
        "1",
        "--days",
        "1",
        cwd=tmp_path,
        **settings,
    )
    assert "added 1 demo resident and 1 demo contribution " in added.stdout, added.stdout
    done = wijkstem("report", "--format", "json", "--out", "r.json", cwd=tmp_path, **settings)
    assert "(1 contribution," in done.stdout, done.stdout
