"""The right key, or none: a database opens only with the key it was created with, and the
files that hold reports or the key are readable by their owner only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from subprocesses import fsbot
from support import Harness

from bot.config.demo import demo_team_text
from bot.runtime.crypto import Cipher, EncryptionKeyError, WrongKeyError, generate_key
from storage.sqlite.store import SqliteStore


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in ``folder``: its content's hash and its modification time."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


async def filed_report(path: Path, key: str) -> str:
    """A database with one case in it, made with ``key``, closed cleanly."""
    bot = Harness(path, key=key)
    await bot.start()
    code = await bot.file_report(account="Kept under the first key.")
    await bot.stop()
    return code


def run_env(folder: Path, key: str) -> dict[str, str]:
    """``fsbot`` settings for the database ``folder/data/bot.db`` and a team file beside it."""
    (folder / "team.toml").write_text(demo_team_text(datetime.now(UTC)))
    return {
        "FSB_ENCRYPTION_KEY": key,
        "FSB_DATABASE": f"sqlite:///{folder / 'data' / 'bot.db'}",
        "FSB_TEAM_FILE": str(folder / "team.toml"),
    }


async def test_a_changed_key_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    right, wrong = generate_key(), generate_key()
    data = tmp_path / "data"
    data.mkdir()
    code = await filed_report(data / "bot.db", right)
    env = run_env(tmp_path, right)
    before = snapshot(data)
    for command, stdin in (("run", "@sam /start\n"), ("purge", ""), ("stats", "")):
        args = [command, *(["--from", "2027-08-01", "--to", "2027-08-31"] * (command == "stats"))]
        args += ["--console"] * (command == "run")
        result = fsbot(*args, stdin=stdin, env={**env, "FSB_ENCRYPTION_KEY": wrong})
        assert result.returncode != 0, (command, result.stdout)
        assert "not the current key of" in result.stderr and "nothing was changed" in result.stderr
        assert "Set FSB_ENCRYPTION_KEY to the database's current key" in result.stderr
        assert "created with" not in result.stderr  # untrue after a rotation
        assert "Traceback" not in result.stderr
        assert "[private chat" not in result.stdout
        assert snapshot(data) == before, command  # not a byte, not a -wal file
    # and the right key still opens everything, old case included
    result = fsbot("run", "--console", stdin="@sam /mycases\n", env=env)
    assert result.returncode == 0, result.stderr
    assert code in result.stdout


async def test_a_store_opened_with_another_key_is_refused_before_it_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.db"
    store = SqliteStore(path, Cipher(generate_key()))
    await store.open()  # a new database: sealed with its key, even before anything is stored
    await store.close()
    before = snapshot(tmp_path)
    with pytest.raises(WrongKeyError):
        await SqliteStore(path, Cipher(generate_key())).open()
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("holds", ["a finished report", "only a draft", "nothing yet"])
async def test_a_database_from_before_the_key_check_is_checked_against_what_it_holds(
    tmp_path: Path, holds: str
) -> None:
    path, right = tmp_path / "old.db", generate_key()
    bot = Harness(path, key=right)
    await bot.start()
    if holds == "a finished report":
        await bot.file_report()
    elif holds == "only a draft":
        await bot.say("sam", "/report")
    await bot.stop()
    with sqlite3.connect(path) as conn:  # as a database from before migration 0013 was
        conn.execute("DELETE FROM key_check")
    other = generate_key()
    if holds == "nothing yet":  # nothing to check against: the first key to open it is its key
        right = other
    else:
        with pytest.raises(WrongKeyError):
            await SqliteStore(path, Cipher(other)).open()
    store = SqliteStore(path, Cipher(right))
    await store.open()  # the right key opens it, and seals it
    await store.close()
    with pytest.raises(WrongKeyError):
        await SqliteStore(path, Cipher(generate_key())).open()


async def test_stats_need_no_key_and_do_not_seal_a_database_with_a_throwaway_one(
    tmp_path: Path,
) -> None:
    right = generate_key()
    data = tmp_path / "data"
    data.mkdir()
    await filed_report(data / "bot.db", right)
    with sqlite3.connect(data / "bot.db") as conn:
        conn.execute("DELETE FROM key_check")
    env = run_env(tmp_path, right)
    del env["FSB_ENCRYPTION_KEY"]
    result = fsbot("stats", "--from", "2027-08-01", "--to", "2027-08-31", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    store = SqliteStore(data / "bot.db", Cipher(right))
    await store.open()  # still the first key's
    await store.close()


async def test_the_database_and_its_wal_and_shm_are_for_the_owner_only(tmp_path: Path) -> None:
    old = os.umask(0)  # even where new files would be world-writable
    try:
        store = SqliteStore(tmp_path / "p.db", Cipher(generate_key()))
        await store.open()
        async with store.transaction() as tx:
            await tx.save_draft("owner", {"a": 1}, datetime.now(UTC))
        files = [tmp_path / "p.db", tmp_path / "p.db-wal", tmp_path / "p.db-shm"]
        assert [mode(f) for f in files] == [0o600, 0o600, 0o600]
        await store.close()
    finally:
        os.umask(old)


async def test_a_database_left_readable_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    path, key = tmp_path / "o.db", generate_key()
    store = SqliteStore(path, Cipher(key))
    await store.open()
    await store.close()
    path.chmod(0o644)
    store = SqliteStore(path, Cipher(key))
    await store.open()
    assert mode(path) == 0o600
    assert mode(Path(f"{path}-wal")) == 0o600 and mode(Path(f"{path}-shm")) == 0o600
    await store.close()


def test_init_never_replaces_a_key_a_database_was_created_with(tmp_path: Path) -> None:
    assert fsbot("init", "--dir", str(tmp_path)).returncode == 0
    assert mode(tmp_path / ".env") == 0o600
    # no database yet: --force may still write a new key
    first = (tmp_path / ".env").read_text()
    assert fsbot("init", "--dir", str(tmp_path), "--force").returncode == 0
    assert (tmp_path / ".env").read_text() != first
    assert mode(tmp_path / ".env") == 0o600
    started = fsbot("run", "--console", cwd=tmp_path, stdin="@guest /start\n")
    assert started.returncode == 0, started.stderr
    kept = snapshot(tmp_path)
    for force in ([], ["--force"]):
        refused = fsbot("init", "--dir", str(tmp_path), *force)
        assert refused.returncode != 0
        assert "holds the key of" in refused.stderr and "fsbot.db" in refused.stderr
        assert "created with" not in refused.stderr  # untrue after a rotation
        assert "nothing was written" in refused.stderr
        assert snapshot(tmp_path) == kept


def test_a_key_file_made_readable_by_others_is_rewritten_for_the_owner_only(
    tmp_path: Path,
) -> None:
    env = tmp_path / ".env"
    env.write_text("FSB_TEAM_FILE=team.toml\n")
    env.chmod(0o644)
    assert fsbot("init", "--dir", str(tmp_path), "--force").returncode == 0
    assert mode(env) == 0o600 and "FSB_ENCRYPTION_KEY=" in env.read_text()


def test_the_demo_key_is_for_the_owner_only_and_a_lost_one_is_explained(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert fsbot("demo", "--db", str(db), stdin="@sam /start\n").returncode == 0
    assert mode(tmp_path / "demo.key") == 0o600 and mode(db) == 0o600
    (tmp_path / "demo.key").unlink()
    lost = fsbot("demo", "--db", str(db), stdin="@sam /start\n")
    assert lost.returncode != 0 and "--fresh" in lost.stderr and "Traceback" not in lost.stderr
    assert not (tmp_path / "demo.key").exists()
    (tmp_path / "demo.key").write_text(generate_key())
    wrong = fsbot("demo", "--db", str(db), stdin="@sam /start\n")
    assert wrong.returncode != 0 and "not the current key of" in wrong.stderr
    assert "--fresh" in wrong.stderr
    assert fsbot("demo", "--db", str(db), "--fresh", stdin="@sam /start\n").returncode == 0


def test_a_malformed_key_is_still_refused_as_malformed() -> None:
    with pytest.raises(EncryptionKeyError, match="fsbot init"):
        Cipher("not base64 !!")
