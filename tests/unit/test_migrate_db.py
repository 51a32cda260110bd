"""`fsbot migrate-db`: a bot's SQLite database moves to PostgreSQL and the bot goes on there."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pgdb import fresh_database
from support import Harness

from bot.main.cli import main
from bot.runtime.crypto import generate_key
from storage.sqlite import rotation


async def _migrate_db(url: str, env: dict[str, str]) -> Result:
    """``fsbot migrate-db --to url`` (on a thread: the command runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, main, ["migrate-db", "--to", url], env=env)


async def test_a_moved_database_goes_on_with_its_cases_on_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fsbot.db"
    before = Harness(db)
    await before.start()
    first = await before.file_report("sam", "He grabbed my arm at the bar.")
    await before.stop()
    key = before.key
    monkeypatch.chdir(tmp_path)

    with fresh_database() as url:
        env = {"FSB_DATABASE": f"sqlite:///{db}", "FSB_ENCRYPTION_KEY": key}
        result = await _migrate_db(url, env)
        assert result.exit_code == 0, result.output
        assert "the counts match" in result.output
        assert "  cases: 1" in result.output

        after = Harness(url, key=key)
        await after.start()
        try:
            moved = await after.case(first)
            assert moved.code == first
            async with after.app.store.transaction() as tx:
                report = await tx.get_report(moved.report_id)
            assert report.body.account == ["He grabbed my arm at the bar."]
            # new rows follow the copied ones: a second report is a second case
            second = await after.file_report("kim", "Someone shouted at me.")
            assert second != first
            async with after.app.store.transaction() as tx:
                assert len(await tx.list_cases()) == 2
        finally:
            await after.stop()

        # the commands that read the database work on it too
        on_postgres = {"FSB_DATABASE": url, "FSB_ENCRYPTION_KEY": key}
        purge = await asyncio.to_thread(
            CliRunner().invoke, main, ["purge", "--dry-run"], env=on_postgres
        )
        assert purge.exit_code == 0, purge.output
        assert "0 cases past their review date" in purge.output

        # the database now holds rows: a second copy into it is refused and changes nothing
        again = await _migrate_db(url, env)
        assert again.exit_code != 0
        assert "is not empty" in again.output


async def test_a_moved_database_refuses_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fsbot.db"
    before = Harness(db)
    await before.start()
    await before.file_report("sam")
    await before.stop()
    monkeypatch.chdir(tmp_path)
    with fresh_database() as url:
        env = {"FSB_DATABASE": f"sqlite:///{db}", "FSB_ENCRYPTION_KEY": before.key}
        assert (await _migrate_db(url, env)).exit_code == 0
        stranger = Harness(url, key=generate_key())
        with pytest.raises(Exception, match="not the current key"):
            await stranger.start()


async def test_a_database_whose_key_was_rotated_keeps_finding_reporters_after_the_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fsbot.db"
    before = Harness(db)
    await before.start()
    code = await before.file_report("sam")
    await before.stop()
    new_key = generate_key()
    rotation.rotate(db, before.key, new_key)  # the blind indexes stay under the first key
    rotation.finish(db)
    monkeypatch.chdir(tmp_path)
    with fresh_database() as url:
        env = {"FSB_DATABASE": f"sqlite:///{db}", "FSB_ENCRYPTION_KEY": new_key}
        assert (await _migrate_db(url, env)).exit_code == 0
        after = Harness(url, key=new_key)
        await after.start()
        try:
            await after.say("sam", "/mycases")
            assert code in after.last_text("sam")
        finally:
            await after.stop()
