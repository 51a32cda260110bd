"""The SQLite store on real files: migrations, WAL, encryption, transactions. What any store
must do, repository by repository, is in tests/contract/."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.model import AuditEntry, Report, ReportBody, Severity
from bot.domain.policy import EscalationPolicy
from bot.ports.store import NewCase
from bot.runtime.crypto import Cipher, EncryptionKeyError, generate_key
from storage.sqlite import store as sqlite_module
from storage.sqlite.store import SqliteStore, migrations

NOW = datetime(2027, 8, 11, 10, 0, tzinfo=UTC)


async def test_migrations_apply_once_and_leave_wal_on(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    cipher = Cipher(generate_key())
    store = SqliteStore(path, cipher)
    await store.open()
    assert await store.schema_version() == migrations()[-1][0]
    await store.close()
    store = SqliteStore(path, cipher)
    await store.open()  # a second start applies nothing again
    await store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [row[0] for row in db.execute("SELECT version FROM schema_migrations")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert versions == [number for number, _ in migrations()]
    assert {
        "members",
        "identities",
        "reports",
        "cases",
        "case_events",
        "outbox",
        "timers",
        "deliveries",
        "drafts",
        "action_tokens",
    } <= tables


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "b.db", Cipher(generate_key()))
    await store.open()
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.save_draft("owner", {"step": "danger"}, NOW)
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.load_draft("owner") is None
    await store.close()


async def test_a_write_not_waited_for_that_fails_undoes_the_whole_transaction(
    tmp_path: Path,
) -> None:
    # Writes whose result nobody reads are queued without waiting (SqliteTx._later): one that
    # fails must still fail the transaction, and the writes around it must not stay.
    store = SqliteStore(tmp_path / "w.db", Cipher(generate_key()))
    await store.open()
    with pytest.raises(sqlite3.IntegrityError):
        async with store.transaction() as tx:
            await tx.save_draft("before", {"step": "danger"}, NOW)
            await tx.add_audit(AuditEntry(999, NOW, "system", "opened", {}))  # no case 999
            await tx.save_draft("after", {"step": "danger"}, NOW)
            assert await tx.load_draft("after") == {"step": "danger"}  # in order, so far
    async with store.transaction() as tx:
        assert await tx.load_draft("before") is None
        assert await tx.load_draft("after") is None
    await store.close()


async def test_a_failing_write_in_a_savepoint_undoes_only_the_savepoint(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db", Cipher(generate_key()))
    await store.open()
    async with store.transaction() as tx:
        await tx.save_draft("kept", {"step": "danger"}, NOW)
        with pytest.raises(sqlite3.IntegrityError):
            async with tx.savepoint():
                await tx.save_draft("undone", {"step": "danger"}, NOW)
                await tx.add_audit(AuditEntry(999, NOW, "system", "opened", {}))
    async with store.transaction() as tx:
        assert await tx.load_draft("kept") == {"step": "danger"}
        assert await tx.load_draft("undone") is None
    await store.close()


async def test_a_different_key_cannot_read_the_data(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store = SqliteStore(path, Cipher(generate_key()))
    await store.open()
    async with store.transaction() as tx:
        await tx.save_draft("owner", {"secret": "kept"}, NOW)
    await store.close()
    # Opening with another key is refused (tests/unit/test_keys.py); past that check, a value
    # encrypted under one key still does not decrypt under another.
    store = SqliteStore(path, Cipher(generate_key()), check_key=False)
    await store.open()
    with pytest.raises(EncryptionKeyError, match="FSB_ENCRYPTION_KEY differs"):
        async with store.transaction() as tx:
            await tx.load_draft("owner")
    await store.close()


def test_a_malformed_key_is_refused_with_a_clear_message() -> None:
    with pytest.raises(EncryptionKeyError, match="fsbot init"):
        Cipher("not base64 !!")
    with pytest.raises(EncryptionKeyError, match="32 bytes"):
        Cipher("c2hvcnQ=")


async def test_commits_made_together_reach_the_disk_in_one_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncs: list[Path] = []
    real = sqlite_module._fsync
    # The first sync is held until all 20 have committed, as a slow disk would hold it: so the
    # commits are "made together" whatever the machine's speed (no race with a fast fsync).
    gate = threading.Event()

    def counted(path: Path) -> None:
        syncs.append(path)
        gate.wait(30)
        real(path)

    monkeypatch.setattr(sqlite_module, "_fsync", counted)
    store = SqliteStore(tmp_path / "h.db", Cipher(generate_key()))
    await store.open()

    async def report(n: int) -> None:
        async with store.transaction() as tx:
            await tx.save_draft(f"owner{n}", {"n": n}, NOW)
        await store.durable()

    reports = [asyncio.create_task(report(n)) for n in range(20)]
    for _ in range(3000):  # until all 20 have committed (the store counts its commits)
        if store._commits >= 20:
            break
        await asyncio.sleep(0.01)
    gate.set()
    await asyncio.gather(*reports)
    assert 1 <= len(syncs) <= 2  # the one held, and at most one for commits made meanwhile
    assert syncs[0] == tmp_path / "h.db-wal"
    before = len(syncs)
    await store.durable()  # nothing committed since: nothing to sync
    assert len(syncs) == before
    await store.close()


async def test_a_new_case_is_as_it_reads_back(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "i.db", Cipher(generate_key()))
    await store.open()
    policy = EscalationPolicy.from_dict({"steps": [{"notify": ["duty"], "wait": 300}], "repeat": 2})
    async with store.transaction() as tx:
        report_id = await tx.add_report(Report(None, NOW, ReportBody(account=["x"]), None), "k")
        new = NewCase(report_id, Severity.HIGH, "pseudonymous", ["bob"], policy, "k", NOW)
        case = await tx.add_case(new)
        assert case == await tx.get_case(case.id)
        assert policy.steps  # frozen: the case's copy cannot change what was asked for
    async with store.transaction() as tx:
        assert (await tx.find_case(case.code)) == dataclasses.replace(case, policy=new.policy)
    await store.close()


async def test_a_case_stored_with_the_old_policy_shape_still_reads(tmp_path: Path) -> None:
    """Cases opened before the policy was typed keep their chain: missing keys take the
    defaults they had then, and a route is kept."""
    path = tmp_path / "old.db"
    cipher = Cipher(generate_key())
    store = SqliteStore(path, cipher)
    await store.open()
    policy = EscalationPolicy.from_dict({"steps": [], "repeat": 0})
    async with store.transaction() as tx:
        report_id = await tx.add_report(Report(None, NOW, ReportBody(account=["x"]), None), "k")
        new = NewCase(report_id, Severity.HIGH, "pseudonymous", [], policy, "k", NOW)
        case = await tx.add_case(new)
    await store.close()
    old = '{"steps": [{"notify": ["leads", "external:ombuds"], "wait": 90}], "repeat": 1,'
    old += ' "route": "above_team"}'
    with sqlite3.connect(path) as db:
        db.execute("UPDATE cases SET policy = ? WHERE id = ?", (old, case.id))
    store = SqliteStore(path, cipher)
    await store.open()
    async with store.transaction() as tx:
        read = await tx.get_case(case.id)
    await store.close()
    assert read is not None and read.policy.above_team
    assert read.policy.targets == ["external:ombuds", "leads"]
    assert read.policy.first_wait.total_seconds() == 90 and read.policy.repeat == 1
    assert read.policy.critical_repeat.total_seconds() == 120
    assert read.policy.idle_reminder.total_seconds() == 7200
