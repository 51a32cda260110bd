"""``fsbot rotate-key``: killed in the middle of its transaction, or after committing but before
the new key was saved, it is run again and finishes; then everything reads under the new key and
nothing under the old one."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from dotenv import dotenv_values
from subprocesses import REPORT_SCRIPT, fsbot

from bot.runtime.crypto import Cipher, EncryptionKeyError
from storage.sqlite.rotation import CONTEXTS, encrypted_columns


def key_in(folder: Path) -> str:
    return str(dotenv_values(folder / ".env")["FSB_ENCRYPTION_KEY"])


def a_bot_with_a_case(folder: Path) -> str:
    """``fsbot init`` and one report through the console; the case's code."""
    assert fsbot("init", "--dir", str(folder)).returncode == 0
    filed = fsbot("run", "--console", cwd=folder, stdin=REPORT_SCRIPT)
    assert filed.returncode == 0, filed.stderr
    return mycases(folder)


def mycases(folder: Path, env: dict[str, str] | None = None) -> str:
    shown = fsbot("run", "--console", cwd=folder, env=env, stdin="@sam /mycases\n")
    assert shown.returncode == 0, shown.stderr
    codes = [word.rstrip(":") for word in shown.stdout.split() if word.startswith("FS-")]
    assert codes, shown.stdout
    return codes[0]


def sealed_values(database: Path) -> list[tuple[str, str, str]]:
    """Every encrypted value in the file with its context, and the file has no column rotate-key
    does not know."""
    db = sqlite3.connect(database)
    try:
        found = []
        for table, column in encrypted_columns(db):
            for (value,) in db.execute(f"SELECT {column} FROM {table} WHERE {column} NOT NULL"):
                found.append((table, str(value), CONTEXTS[(table, column)]))
        return found
    finally:
        db.close()


def opens_all(key: str, values: list[tuple[str, str, str]]) -> bool:
    cipher = Cipher(key)
    try:
        for _, value, context in values:
            cipher.decrypt(value, context)
    except EncryptionKeyError:
        return False
    return True


def test_rotation_killed_midway_then_after_commit_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    code = a_bot_with_a_case(tmp_path)
    old = key_in(tmp_path)
    database = tmp_path / "fsbot.db"

    # killed inside the transaction: nothing happened, the old key opens everything
    killed = fsbot("rotate-key", cwd=tmp_path, env={"FSB_FAILPOINT": "rotate_key:midway"})
    assert killed.returncode == -signal.SIGKILL
    assert key_in(tmp_path) == old
    assert mycases(tmp_path) == code

    # killed after the commit, before the new key was saved: the old key is refused by `run`,
    # with what to do, and the .env still holds it
    killed = fsbot("rotate-key", cwd=tmp_path, env={"FSB_FAILPOINT": "rotate_key:committed"})
    assert killed.returncode == -signal.SIGKILL
    assert key_in(tmp_path) == old
    refused = fsbot("run", "--console", cwd=tmp_path, stdin="@sam /mycases\n")
    assert refused.returncode != 0
    assert "rotate-key" in refused.stderr and "Traceback" not in refused.stderr
    assert "[private chat" not in refused.stdout

    # run again with the old key: it finishes, writing the new key in its place
    finished = fsbot("rotate-key", cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    new = key_in(tmp_path)
    assert new != old
    assert new not in finished.stdout + finished.stderr  # written to .env, not shown
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0
    assert "FSB_TEAM_FILE=team.toml" in (tmp_path / ".env").read_text()  # other lines kept

    values = sealed_values(database)
    assert {table for table, _, _ in values} >= {"reports", "case_events", "action_tokens"}
    assert opens_all(new, values) and not opens_all(old, values)
    assert mycases(tmp_path) == code  # the reporter still finds their case (blind index kept)
    again = fsbot(
        "run", "--console", cwd=tmp_path, stdin="@sam /mycases\n", env={"FSB_ENCRYPTION_KEY": old}
    )
    assert again.returncode != 0 and "not the current key of" in again.stderr
    # after a rotation the way back is the current key, never "the key it was created with"
    assert "Set FSB_ENCRYPTION_KEY to the database's current key" in again.stderr
    assert "created with" not in again.stderr
    # the old key's check and the sealed new key are gone from the file
    db = sqlite3.connect(database)
    assert db.execute("SELECT COUNT(*) FROM key_rotation").fetchone() == (0,)
    db.close()


def test_a_key_from_the_environment_is_printed_once_even_after_a_crash(tmp_path: Path) -> None:
    code = a_bot_with_a_case(tmp_path)
    old = key_in(tmp_path)
    (tmp_path / ".env").write_text("FSB_TEAM_FILE=team.toml\n")  # the key only in the environment
    env = {"FSB_ENCRYPTION_KEY": old}
    killed = fsbot("rotate-key", cwd=tmp_path, env={**env, "FSB_FAILPOINT": "rotate_key:committed"})
    assert killed.returncode == -signal.SIGKILL
    assert "FSB_ENCRYPTION_KEY=" not in killed.stdout
    finished = fsbot("rotate-key", cwd=tmp_path, env=env)
    assert finished.returncode == 0, finished.stderr
    printed = [
        line for line in finished.stdout.splitlines() if line.startswith("FSB_ENCRYPTION_KEY=")
    ]
    assert len(printed) == 1
    new = printed[0].removeprefix("FSB_ENCRYPTION_KEY=")
    assert "printed above, once" in finished.stderr
    assert (tmp_path / ".env").read_text() == "FSB_TEAM_FILE=team.toml\n"
    assert opens_all(new, sealed_values(tmp_path / "fsbot.db"))
    assert mycases(tmp_path, {"FSB_ENCRYPTION_KEY": new}) == code
    # once finished, the old key cannot get the new one back
    after = fsbot("rotate-key", cwd=tmp_path, env=env)
    assert after.returncode != 0 and new not in after.stdout + after.stderr


def test_rotation_is_refused_while_the_bot_runs(tmp_path: Path) -> None:
    from test_one_instance import running_console

    a_bot_with_a_case(tmp_path)
    old = key_in(tmp_path)
    env = {
        "FSB_ENCRYPTION_KEY": old,
        "FSB_DATABASE": f"sqlite:///{tmp_path / 'fsbot.db'}",
        "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
    }
    bot = running_console(env)
    try:
        refused = fsbot("rotate-key", cwd=tmp_path)
        assert refused.returncode != 0
        assert "already running" in refused.stderr and "the key was not changed" in refused.stderr
        assert key_in(tmp_path) == old
    finally:
        bot.send_signal(signal.SIGKILL)
        bot.communicate()


def test_rotation_waits_for_updates_the_bot_kept_on_disk(tmp_path: Path) -> None:
    """Updates kept in ``<database>-inbox/`` are sealed with the key of the day: the bot must
    store them before the key changes."""
    code = a_bot_with_a_case(tmp_path)
    old = key_in(tmp_path)
    inbox = tmp_path / "fsbot.db-inbox"
    inbox.mkdir()
    (inbox / "0001.json").write_text("kept")
    refused = fsbot("rotate-key", cwd=tmp_path)
    assert refused.returncode != 0
    assert "has not stored yet" in refused.stderr and "Start the bot once" in refused.stderr
    assert key_in(tmp_path) == old
    (inbox / "0001.json").unlink()
    assert fsbot("rotate-key", cwd=tmp_path).returncode == 0
    assert key_in(tmp_path) != old
    assert mycases(tmp_path) == code
