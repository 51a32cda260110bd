"""Crash tests for deadlines: SIGKILL during a wait and while firing, then a restart."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pgdb import query
from subprocesses import REPO, REPORT_SCRIPT, fsb_env, fsbot

from bot.runtime.crypto import Cipher, generate_key

BOB_PAGE = "[private chat with bob]\n    A new report needs a safety contact."


def team_file(path: Path, wait: str = "3s") -> None:
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    t = lambda d: (now + d).isoformat()  # noqa: E731
    path.write_text(f"""\
[team]
name = "Crash test team"
timezone = "UTC"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]

[[rota]]
member = "alice"
start = {t(timedelta(hours=-1))}
end = {t(timedelta(hours=1))}

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "{wait}" }},
  {{ notify = ["member:bob"], wait = "{wait}" }},
  {{ notify = ["leads"], wait = "{wait}" }},
]
repeat = 0
""")


def environment(tmp_path: Path, database: str) -> dict[str, str]:
    team = tmp_path / "team.toml"
    if not team.exists():
        team_file(team)
    return {
        "FSB_TEAM_FILE": str(team),
        "FSB_DATABASE": database,
        "FSB_ENCRYPTION_KEY": (tmp_path / "key").read_text()
        if (tmp_path / "key").exists()
        else _new_key(tmp_path),
    }


def _new_key(tmp_path: Path) -> str:
    key = generate_key()
    (tmp_path / "key").write_text(key)
    return key


def start_and_kill_after(tmp_path: Path, database: str, marker: str) -> str:
    """Run the bot on the report script, SIGKILL it once ``marker`` has been printed."""
    env = fsb_env(environment(tmp_path, database))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(REPORT_SCRIPT + "wait 60\n")
    proc.stdin.flush()
    seen = ""
    deadline = time.monotonic() + 30
    while marker not in seen and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen += line
    assert marker in seen, seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    return seen


def escalate_deadline(db: str) -> float:
    ((due,),) = query(
        db, "SELECT due_at FROM timers WHERE kind = 'escalate' AND status = 'pending'"
    )
    return float(due)


def bob_pages(db: str, folder: Path) -> list[float]:
    """When each page to Bob was queued (the step's firing time), read with the test's key
    (kept in ``folder``)."""
    cipher = Cipher((folder / "key").read_text())
    rows = query(
        db, "SELECT created_at, payload_enc FROM outbox WHERE purpose = 'page' ORDER BY id"
    )
    return [
        created
        for created, payload in rows
        if cipher.decrypt_json(payload, "outbox")["chat_id"] == "bob"
    ]


def test_killed_during_a_wait_the_next_step_fires_at_its_original_deadline(
    tmp_path: Path, database: str
) -> None:
    # A step long enough for the restart to be up before its deadline on a busy machine too (a
    # start takes a second or two there; the deadline must not pass while Python imports).
    team_file(tmp_path / "team.toml", wait="10s")
    first = start_and_kill_after(tmp_path, database, "[private chat with alice]")
    assert "[private chat with bob]" not in first
    db = database
    due = escalate_deadline(db)
    assert due > time.time(), "the restart must happen before the deadline for this test"
    second = fsbot("run", "--console", stdin="wait 12\n", env=environment(tmp_path, database))
    assert second.returncode == 0, second.stderr
    assert second.stdout.count(BOB_PAGE) == 1
    (queued,) = bob_pages(db, tmp_path)
    assert 0 <= queued - due < 0.5, f"fired {queued - due:.3f} s after its deadline"


def test_killed_during_a_wait_an_overdue_step_fires_at_once_on_restart(
    tmp_path: Path, database: str
) -> None:
    start_and_kill_after(tmp_path, database, "[private chat with alice]")
    db = database
    due = escalate_deadline(db)
    time.sleep(max(0.0, due - time.time()) + 1.0)  # until the deadline has passed
    # The restarted bot lives one second after starting, a third of a step: the page is there
    # only if the overdue step fired at start-up rather than a whole step later. (No bound on
    # the clock: on a busy machine Python alone may take seconds to start.)
    second = fsbot("run", "--console", stdin="wait 1\n", env=environment(tmp_path, database))
    assert second.stdout.count(BOB_PAGE) == 1
    (queued,) = bob_pages(db, tmp_path)
    assert queued > due


def test_killed_while_firing_the_step_pages_exactly_once(tmp_path: Path, database: str) -> None:
    env = environment(tmp_path, database)
    first = fsbot(
        "run",
        "--console",
        stdin=REPORT_SCRIPT + "wait 10\n",
        env={**env, "FSB_FAILPOINT": "while_firing"},
    )
    assert first.returncode == -signal.SIGKILL
    assert "[private chat with alice]" in first.stdout
    assert "[private chat with bob]" not in first.stdout
    db = database
    second = fsbot("run", "--console", stdin="wait 1\n", env=env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.count(BOB_PAGE) == 1
    third = fsbot("run", "--console", stdin="", env=env)
    assert "[private chat with bob]" not in third.stdout
    assert len(bob_pages(db, tmp_path)) == 1
    kinds = [row[0] for row in query(db, "SELECT kind FROM case_events ORDER BY id")]
    # Up to Bob's step (the second step paged) the first wait expired once; a later step may
    # have fired too if the restarted bot lived past its wait on a busy machine.
    second_step = [i for i, kind in enumerate(kinds) if kind == "step_paged"][1]
    assert kinds[:second_step].count("wait_expired") == 1


def test_a_three_step_chain_on_the_console_in_real_time(tmp_path: Path, database: str) -> None:
    """Nobody acknowledges: each step pages in order, the chain runs again, then the leads hear
    it ran out."""
    team_file(tmp_path / "team.toml", wait="1s")
    text = (tmp_path / "team.toml").read_text().replace("repeat = 0", "repeat = 1")
    (tmp_path / "team.toml").write_text(text)
    result = fsbot(
        "run", "--console", stdin=REPORT_SCRIPT + "wait 8\n", env=environment(tmp_path, database)
    )
    assert result.returncode == 0, result.stderr
    order = [
        line.removeprefix("[private chat with ").removesuffix("]")
        for line, following in zip(
            result.stdout.splitlines(), result.stdout.splitlines()[1:], strict=False
        )
        if line.startswith("[private chat with ")
        and ("A new report needs" in following or "has reached nobody" in following)
    ]
    assert order == ["alice", "bob", "lena", "alice", "bob", "lena", "lena"]
    assert "has reached nobody" in result.stdout.split("[private chat with lena]")[-1]
