"""``fsbot backup`` while a real bot process writes reports, ``fsbot restore`` of one of those
copies, and the restores that must be refused (another key, a bot running)."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dotenv import dotenv_values
from subprocesses import REPO, REPORT_SCRIPT, fsb_env, fsbot

from bot.runtime.crypto import Cipher, generate_key

REPORTS = 8


def setup(folder: Path) -> dict[str, str]:
    """``fsbot init`` in ``folder``; the settings a process elsewhere needs to use it."""
    assert fsbot("init", "--dir", str(folder)).returncode == 0
    values = dotenv_values(folder / ".env")
    return {
        "FSB_ENCRYPTION_KEY": str(values["FSB_ENCRYPTION_KEY"]),
        "FSB_DATABASE": f"sqlite:///{folder / 'fsbot.db'}",
        "FSB_TEAM_FILE": str(folder / "team.toml"),
    }


def writer(env: dict[str, str]) -> subprocess.Popen[str]:
    """The bot on its console, filing REPORTS reports from as many people, then waiting."""
    script = "".join(
        REPORT_SCRIPT.replace("@sam ", f"@sam{n} ") + "wait 0.2\n" for n in range(REPORTS)
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env=fsb_env(env),
    )
    assert proc.stdin is not None
    proc.stdin.write(script + "wait 300\n")
    proc.stdin.flush()
    return proc


def cases_in(database: Path) -> int:
    db = sqlite3.connect(database)
    try:
        return int(db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        db.close()


def started(database: Path) -> bool:
    """The bot has made its database: migrated and sealed with its key."""
    db = sqlite3.connect(database)
    try:
        return db.execute("SELECT COUNT(*) FROM key_check").fetchone() == (1,)
    except sqlite3.OperationalError:
        return False
    finally:
        db.close()


def checked(copy: Path, key: str) -> int:
    """A backup is one self-contained, whole file whose every report opens with ``key``; its
    number of cases."""
    assert not Path(f"{copy}-wal").exists()
    assert copy.stat().st_mode & 0o077 == 0
    db = sqlite3.connect(copy)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        cipher = Cipher(key)
        for (body,) in db.execute("SELECT body_enc FROM reports"):
            cipher.decrypt_json(body, "report")
        reports = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        cases = int(db.execute("SELECT COUNT(*) FROM cases").fetchone()[0])
        assert reports == cases  # never a report without its case, or the other way
        return cases
    finally:
        db.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backups_while_the_bot_writes_are_consistent_and_one_restores(tmp_path: Path) -> None:
    live, copies = tmp_path / "live", tmp_path / "copies"
    live.mkdir()
    copies.mkdir()
    env = setup(live)
    key = env["FSB_ENCRYPTION_KEY"]
    database = live / "fsbot.db"
    bot = writer(env)
    counts: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while not started(database):
            assert time.monotonic() < deadline and bot.poll() is None
            time.sleep(0.05)
        while not counts or counts[-1] < REPORTS:
            assert time.monotonic() < deadline, counts
            assert bot.poll() is None, "the writer ended"
            copy = copies / f"b{len(counts)}.db"
            made = fsbot("backup", str(copy), env=env)
            assert made.returncode == 0, made.stderr
            assert "purged later" in made.stderr
            counts.append(checked(copy, key))
        # a restore is refused while the bot runs, and changes nothing
        refused = fsbot("restore", str(copies / "b0.db"), env=env)
        assert refused.returncode != 0
        assert "already running" in refused.stderr and "nothing was restored" in refused.stderr
    finally:
        bot.send_signal(signal.SIGKILL)
        bot.communicate()
    assert counts == sorted(counts)  # each copy is a moment of the same history
    assert cases_in(database) == REPORTS

    # an existing file is never overwritten
    again = fsbot("backup", str(copies / "b0.db"), env=env)
    assert again.returncode != 0 and "exists" in again.stderr

    # restore the earliest copy that holds at least one case
    earliest = next(n for n, count in enumerate(counts) if count > 0)
    restored = fsbot("restore", str(copies / f"b{earliest}.db"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert cases_in(database) == counts[earliest]
    aside = [p for p in live.iterdir() if p.name.startswith("fsbot.db.before-restore-")]
    assert len(aside) == 1 and cases_in(aside[0]) == REPORTS  # the replaced one is kept
    assert aside[0].name in restored.stderr
    # the restored bot runs and finds sam0's case
    shown = fsbot("run", "--console", env=env, stdin="@sam0 /mycases\n")
    assert shown.returncode == 0, shown.stderr
    assert "FS-" in shown.stdout


def test_a_backup_made_with_another_key_is_refused(tmp_path: Path) -> None:
    env = setup(tmp_path)
    filed = fsbot("run", "--console", env=env, stdin=REPORT_SCRIPT)
    assert filed.returncode == 0, filed.stderr
    copy = tmp_path / "copy.db"
    assert fsbot("backup", str(copy), env=env).returncode == 0
    database = tmp_path / "fsbot.db"
    before = digest(database)
    other = {**env, "FSB_ENCRYPTION_KEY": generate_key()}
    refused = fsbot("restore", str(copy), env=other)
    assert refused.returncode != 0
    assert "another encryption key" in refused.stderr and "nothing was restored" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert digest(database) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "restor" in p.name) == []


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    env = setup(tmp_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    refused = fsbot("restore", str(junk), env=env)
    assert refused.returncode != 0
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(junk) in lines[0], lines
    assert not (tmp_path / "fsbot.db").exists()
