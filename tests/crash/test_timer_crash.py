"""Crash tests for deadlines: SIGKILL during a wait and while firing, then a restart."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pgdb import query
from subprocesses import REPO, REPORT_SCRIPT, fsb_env, fsbot

from bot.runtime.crypto import Cipher, generate_key

BOB_PAGE = "[private chat with bob]\n    A new report needs a safety contact."


def team_file(path: Path, wait: str = "3s", then: str | None = None) -> None:
    """A three-step chain: Alice on duty, then Bob, then the leads; the first step waits
    ``wait``, the others ``then`` (``wait`` too unless given)."""
    then = then or wait
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
  {{ notify = ["member:bob"], wait = "{then}" }},
  {{ notify = ["leads"], wait = "{then}" }},
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


# The console answers these lines only after handling everything due before them (it fires due
# timers and sends what is queued after each line): once it has, nothing was left unsaid.
PROBE, PROBED = "wait 0\nswitch sam\n", "(now speaking as sam)"


def run_until(tmp_path: Path, database: str, script: str, marker: str, timeout: float = 60) -> str:
    """Run the bot on the console with ``script`` until it prints ``marker`` (or fail after
    ``timeout`` seconds); then probe it (see PROBE), end its input, and return what it printed."""
    log = tmp_path / "stderr.log"  # a file, not a pipe nobody reads that could fill and block
    with log.open("w") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=REPO,
            env=fsb_env(environment(tmp_path, database)),
        )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()])
    reader.start()
    seen = ""
    deadline = time.monotonic() + timeout

    def read_until(wanted: str) -> None:
        nonlocal seen
        while wanted not in seen:
            try:
                seen += lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                proc.kill()
                printed = f"{wanted!r} not printed within {timeout} s:\n{seen}"
                raise AssertionError(printed) from None

    try:
        proc.stdin.write(script)
        proc.stdin.flush()
        read_until(marker)
        proc.stdin.write(PROBE)
        proc.stdin.close()  # the console stops at the end of its input
        read_until(PROBED)
        assert proc.wait(30) == 0, log.read_text()
    finally:
        proc.kill()
        reader.join(10)
    while not lines.empty():
        seen += lines.get()
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
    second = run_until(tmp_path, database, "", BOB_PAGE)
    assert second.count(BOB_PAGE) == 1
    (queued,) = bob_pages(db, tmp_path)
    assert 0 <= queued - due < 0.5, f"fired {queued - due:.3f} s after its deadline"


def test_killed_during_a_wait_an_overdue_step_fires_at_once_on_restart(
    tmp_path: Path, database: str
) -> None:
    start_and_kill_after(tmp_path, database, "[private chat with alice]")
    db = database
    due = escalate_deadline(db)
    while time.time() <= due:  # until the deadline has passed
        time.sleep(0.05)
    # The restarted bot lives one second after starting, a third of a step: the page is there
    # only if the overdue step fired at start-up rather than a whole step later. (No bound on
    # the clock: on a busy machine Python alone may take seconds to start.)
    second = fsbot("run", "--console", stdin="wait 1\n", env=environment(tmp_path, database))
    assert second.stdout.count(BOB_PAGE) == 1
    (queued,) = bob_pages(db, tmp_path)
    assert queued > due


def test_killed_while_firing_the_step_pages_exactly_once(tmp_path: Path, database: str) -> None:
    # Bob's step waits long: the leads' step, after it, must not come due while the restarts
    # run, however slowly the machine starts them.
    team_file(tmp_path / "team.toml", then="1h")
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
    stdout = run_until(tmp_path, database, REPORT_SCRIPT, "has reached nobody")
    order = [
        line.removeprefix("[private chat with ").removesuffix("]")
        for line, following in zip(stdout.splitlines(), stdout.splitlines()[1:], strict=False)
        if line.startswith("[private chat with ")
        and ("A new report needs" in following or "has reached nobody" in following)
    ]
    assert order == ["alice", "bob", "lena", "alice", "bob", "lena", "lena"]
    assert "has reached nobody" in stdout.split("[private chat with lena]")[-1]
