"""Crash tests: the bot is killed with SIGKILL at an exact instant, then started again."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from subprocesses import REPORT_SCRIPT, fsbot

PAGE_HEADER = "A new report needs a safety contact."


def test_killed_after_the_case_commits_and_before_the_page_is_sent(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    first = fsbot(
        "demo",
        "--db",
        str(db),
        stdin=REPORT_SCRIPT + "@alice > Acknowledge\n",
        env={"FSB_FAILPOINT": "after_commit:case_opened"},
    )
    assert first.returncode == -signal.SIGKILL, first.stderr
    assert ">>> > Send report" in first.stdout
    assert PAGE_HEADER not in first.stdout
    assert "Your report is in" not in first.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1

    second = fsbot("demo", "--db", str(db), stdin="")
    assert second.returncode == 0, second.stderr
    assert second.stdout.count(PAGE_HEADER) == 1
    assert second.stdout.count("Your report is in") == 1
    assert "[private chat with alice]" in second.stdout

    third = fsbot("demo", "--db", str(db), stdin="@lena #team /summary\n")
    assert PAGE_HEADER not in third.stdout
    assert "Open cases: 1 (1 awaiting acknowledgement)" in third.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
        pages = conn.execute("SELECT status FROM outbox WHERE purpose = 'page'").fetchall()
    assert pages == [("sent",)]


def test_killed_just_before_sending_sends_everything_once_after_restart(tmp_path: Path) -> None:
    db = tmp_path / "crash2.db"
    first = fsbot(
        "demo", "--db", str(db), stdin=REPORT_SCRIPT, env={"FSB_FAILPOINT": "before_send"}
    )
    assert first.returncode == -signal.SIGKILL
    second = fsbot("demo", "--db", str(db), stdin="")
    assert second.returncode == 0, second.stderr
    # the welcome from /start was the first message due; it and everything after went out once
    assert second.stdout.count("Hi, this is the Demo Event safety team.") == 1
    with sqlite3.connect(db) as conn:
        statuses = {row[0] for row in conn.execute("SELECT status FROM outbox")}
    assert statuses == {"sent"}
