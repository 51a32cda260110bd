"""Storage faults as a kind: every SQLite failure of the file is named for what it is; the ones
that pass by themselves (busy, locked, full, I/O) are tried again with backoff, the ones that
need a person (read-only, damaged, cannot open) are said at once; and whatever the fault, nothing
is half-stored, nothing is lost, nothing is sent twice, and the bot's loops keep going."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from faults import (
    WriteLock,
    busy_error,
    cantopen_error,
    corrupt_error,
    file_size_limit,
    full_error,
    io_error,
    limit_pages,
    locked_error,
    readonly_error,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FakeClock, Harness, Recorder, case_code, demo_config

from bot.domain.model import PlatformUser
from bot.domain.team import CONSOLE, Team
from bot.ports.events import Inbound
from bot.ports.store import StoreFault
from bot.runtime.crypto import Cipher, generate_key
from bot.runtime.storage_alarm import StorageAlarm
from bot.runtime.storage_retry import FIRST_DELAY, MAX_DELAY, PATIENCE, with_retries
from storage.inbox import Inbox
from storage.sqlite.faults import store_fault
from storage.sqlite.store import SqliteStore
from storage.sqlite.tx import BUSY_TIMEOUT_MS

KINDS: dict[str, tuple[Callable[[Path], sqlite3.Error], str, bool]] = {
    "SQLITE_BUSY": (busy_error, "busy", True),
    "SQLITE_LOCKED": (locked_error, "busy", True),
    "SQLITE_FULL": (full_error, "full", True),
    "SQLITE_IOERR": (io_error, "io", True),
    "SQLITE_READONLY": (readonly_error, "readonly", False),
    "SQLITE_CORRUPT/NOTADB": (corrupt_error, "corrupt", False),
    "SQLITE_CANTOPEN": (cantopen_error, "cantopen", False),
}


@pytest.mark.parametrize("name", list(KINDS))
def test_every_sqlite_fault_is_named_for_what_it_is(tmp_path: Path, name: str) -> None:
    make, kind, transient = KINDS[name]
    error = make(tmp_path)
    prefix = error.sqlite_errorname.removeprefix("SQLITE_").split("_")[0]  # type: ignore[attr-defined]
    assert prefix in name
    fault = store_fault(error, tmp_path / "bot.db")
    assert fault is not None
    assert (fault.kind, fault.transient) == (kind, transient)
    message = str(fault)
    assert "\n" not in message and str(tmp_path / "bot.db") in message and "FSB_DATABASE" in message


def test_errors_that_are_not_faults_of_the_file_stay_what_they_are(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t (x UNIQUE)")
    conn.execute("INSERT INTO t VALUES (1)")
    for statement in ("INSERT INTO t VALUES (1)", "SELECT nonsense FROM nowhere"):
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute(statement)
        assert store_fault(caught.value, tmp_path / "x.db") is None  # a bug, not the disk


# -- tried again with backoff, for as long as the kind of fault deserves -------------------------

TRANSIENT = ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR"]
PERMANENT = ["SQLITE_READONLY", "SQLITE_CORRUPT/NOTADB", "SQLITE_CANTOPEN"]


@pytest.fixture(scope="module")
def real_faults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StoreFault]:
    folder = tmp_path_factory.mktemp("faults")
    found = {}
    for name, (make, _, _) in KINDS.items():
        fault = store_fault(make(folder), folder / "bot.db")
        assert fault is not None
        found[name] = fault
    return found


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    failures=st.lists(st.sampled_from(TRANSIENT), max_size=12),
    permanent=st.one_of(st.none(), st.sampled_from(PERMANENT)),
)
def test_transient_faults_are_retried_with_backoff_permanent_ones_said_at_once(
    real_faults: dict[str, StoreFault], failures: list[str], permanent: str | None
) -> None:
    """Virtual time: a try under a lock costs SQLite's busy timeout, other tries nothing."""
    script = [*failures, permanent] if permanent else list(failures)
    now = [0.0]
    met: list[tuple[str, float]] = []  # (fault kind, when) for each failed try
    waits: list[float] = []

    async def operation() -> str:
        if len(met) == len(script):
            return "stored"
        fault = real_faults[script[len(met)]]
        if fault.kind == "busy":
            now[0] += BUSY_TIMEOUT_MS / 1000
        met.append((fault.kind, now[0]))
        raise fault

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    async def run() -> str | StoreFault:
        try:
            return await with_retries(operation, what="test", sleep=sleep, clock=lambda: now[0])
        except StoreFault as fault:
            return fault

    result = asyncio.run(run())
    # The waits double from FIRST_DELAY up to MAX_DELAY, each cut to the patience left.
    for n, wait in enumerate(waits):
        kind, at = met[n]
        assert wait == pytest.approx(min(FIRST_DELAY * 2**n, MAX_DELAY, PATIENCE[kind] - at))
    if result == "stored":
        assert len(met) == len(script) == len(waits)
        return
    assert isinstance(result, StoreFault)
    kind, at = met[-1]
    assert result is real_faults[script[len(met) - 1]]
    if result.transient:  # given up once that kind's patience was used up, not before
        assert at >= PATIENCE[kind] and len(waits) == len(met) - 1
    else:  # said at once, with no wait after it
        assert script[len(met) - 1] == permanent and len(waits) == len(met) - 1


# -- the store under real faults -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "damaged"])
async def test_a_database_that_cannot_be_opened_leaves_no_worker_behind(
    tmp_path: Path, kind: str
) -> None:
    """When open refuses, the connection's thread has ended: fsbot run, which ends at once
    after its one-line error, printed a stray traceback from a thread still finishing."""
    path = tmp_path / "bot.db"
    if kind == "folder":
        path.mkdir()  # a folder where the file should be: SQLite cannot open it
    else:
        path.write_bytes(b"not a database, " * 512)
    before = set(threading.enumerate())
    for _ in range(5):
        with pytest.raises(StoreFault):
            await SqliteStore(path, Cipher(generate_key())).open()
        left = [t for t in threading.enumerate() if t not in before]
        assert [t for t in left if not t.name.startswith("asyncio_")] == []  # not the pool's


async def test_a_transaction_under_a_lock_fails_after_one_busy_timeout_and_leaves_nothing_open(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "bot.db", Cipher(generate_key()))
    await store.open()
    now = datetime.now(UTC)
    try:
        lock = await WriteLock(store.path).take()
        started = time.monotonic()
        try:
            with pytest.raises(StoreFault) as caught:
                async with store.transaction() as tx:
                    for n in range(40):  # forty queued writes behind the BEGIN that waits
                        await tx.save_draft(f"owner-{n}", {"n": n}, now)
            took = time.monotonic() - started
        finally:
            await lock.release()
        assert caught.value.kind == "busy"
        assert took < 2 * BUSY_TIMEOUT_MS / 1000  # one timeout, not one per write
        async with store.transaction() as tx:  # usable again, and nothing was kept
            assert await tx.load_draft("owner-0") is None
            await tx.save_draft("owner-0", {"n": 0}, now)
        async with store.transaction() as tx:
            assert await tx.load_draft("owner-0") == {"n": 0}
    finally:
        await store.close()


async def test_a_full_database_refuses_whole_transactions_and_takes_them_again_later(
    tmp_path: Path,
) -> None:
    h = await Harness(tmp_path / "bot.db").start()
    try:
        await limit_pages(h.app.store, _pages(h.path))
        big = {"account": "x" * 20_000}
        with pytest.raises(StoreFault) as caught:
            async with h.app.store.transaction() as tx:
                await tx.save_draft("small", {"n": 1}, h.clock.now())
                await tx.save_draft("big", big, h.clock.now())
        assert caught.value.kind == "full"
        async with h.app.store.transaction() as tx:
            assert await tx.load_draft("small") is None  # nothing half-stored
        await limit_pages(h.app.store, None)
        async with h.app.store.transaction() as tx:
            await tx.save_draft("big", big, h.clock.now())
        async with h.app.store.transaction() as tx:
            assert await tx.load_draft("big") == big
    finally:
        await h.stop()


async def test_a_read_only_database_at_run_time_refuses_at_once_and_alerts_the_leads(
    tmp_path: Path,
) -> None:
    """A permanent fault is not waited on: the person hears at once, with the emergency
    information; the leads hear it too; and it all works again once the file is writable."""
    h = await Harness(tmp_path / "bot.db").start()
    try:
        await h.say("sam", "/start")
        await _query_only(h, True)
        started = time.monotonic()
        taken = await h.app.accept(h.event("sam", "/report"), within=5.0)
        assert not taken and time.monotonic() - started < 1.0
        told = h.last_text("sam")
        assert "I couldn't save that" in told and "Venue security" in told
        await _until(lambda: any("read-only" in t for t in h.platform.texts("lena")))
        await _query_only(h, False)
        assert await h.app.accept(h.event("sam", "/report"), within=5.0)
        await h.app.flush()
        assert "are you in danger" in h.last_text("sam")
        await _until(lambda: any("can save again" in t for t in h.platform.texts("lena")))
    finally:
        await h.stop()


async def test_a_timer_that_fires_while_the_disk_fails_is_fired_again_not_lost(
    tmp_path: Path,
) -> None:
    h = await Harness(tmp_path / "bot.db").start()
    try:
        code = await h.file_report()
        assert any(code in t for t in h.platform.texts("alice"))
        h.clock.advance(5 * 60 + 1)  # the first step's wait is over: Bob is next
        with file_size_limit(_largest(h.path)), pytest.raises(StoreFault):
            await h.app.scheduler.fire_due()
        assert not any(code in t for t in h.platform.texts("bob"))
        assert all(not task.done() for task in h.app._tasks)  # the loops go on
        await h.advance(0)
        assert len([t for t in h.platform.texts("bob") if code in t]) == 1
    finally:
        await h.stop()


async def test_a_message_sent_while_its_record_fails_is_recorded_later_not_sent_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    h = await Harness(tmp_path / "bot.db").start()
    try:
        await h.file_report(send=False)
        gate = asyncio.Event()
        h.platform.hold_for["alice"] = gate  # the page is on its way...
        await h.app.handle(h.event("sam", button=h.token("sam", "Send report")))
        await _until(lambda: bool(h.platform.held))
        with file_size_limit(_largest(h.path)):  # ...when the disk stops taking writes
            gate.set()
            await _until(lambda: any(s.address.chat_id == "alice" for s in h.platform.sends))
            # its "sent" mark fails meanwhile
            await _until(
                lambda: any("could not record outbox row" in r.getMessage() for r in caplog.records)
            )
        del h.platform.hold_for["alice"]
        await h.advance(60)
        code = case_code(h.confirmation("sam"))
        pages = [
            s for s in h.platform.sends if s.address.chat_id == "alice" and code in s.text.plain
        ]
        assert len(pages) == 1
    finally:
        await h.stop()


async def test_the_leads_hear_of_trouble_once_and_of_its_end_not_at_every_flap(
    real_faults: dict[str, StoreFault],
) -> None:
    """A disk that fills and empties again and again alerts the leads once every half hour."""
    clock = FakeClock()
    team = Team(demo_config(clock.now()), [CONSOLE])
    lena = Recorder()
    alarm = StorageAlarm(team, {CONSOLE: lena}, clock)
    full = real_faults["SQLITE_FULL"]

    async def heard() -> list[str]:
        await asyncio.sleep(0)
        await alarm.close()
        return lena.texts("lena")

    for _ in range(5):  # flapping
        alarm.fault(full)
        alarm.ok()
        clock.advance(60)
    said = await heard()
    assert [("cannot save" in t, "can save again" in t) for t in said] == [
        (True, False),
        (False, True),
    ]
    clock.advance(30 * 60)
    alarm.fault(full)
    assert len(await heard()) == 3  # half an hour on: heard again


# -- the inbox --------------------------------------------------------------------------------


async def test_an_event_kept_in_the_inbox_is_finished_after_a_restart(tmp_path: Path) -> None:
    h = await Harness(tmp_path / "bot.db").start()
    await h.file_report(send=False)
    press = h.event("sam", button=h.token("sam", "Send report"))
    lock = await WriteLock(h.path).take()
    try:
        assert await h.app.accept(press, within=0.5)  # kept on disk, not yet stored
        assert h.app.backlog.waiting == 1
        await h.app.stop()  # the bot stops before the database lets it finish
    finally:
        await lock.release()
    with sqlite3.connect(h.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    h.app = h._build()
    await h.app.start()  # finishes what the inbox kept
    await _until(lambda: any("Your report is in" in t for t in h.platform.texts("sam")))
    await h.app.flush()
    await _until(lambda: not os.listdir(f"{h.path}-inbox"))
    with sqlite3.connect(h.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    await h.stop()


events = st.builds(
    Inbound,
    sender=st.builds(PlatformUser, st.sampled_from(["telegram", "slack"]), st.text(), st.text()),
    chat_id=st.text(),
    private=st.booleans(),
    text=st.text(),
    button=st.none() | st.text(),
    attachment=st.none() | st.text(),
    delivery_id=st.none() | st.text(),
    form=st.none() | st.dictionaries(st.text(), st.text() | st.lists(st.text())),
    home=st.booleans(),
    reply_to=st.none() | st.text(),
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(events, min_size=1, max_size=4))
def test_the_inbox_gives_back_what_it_was_given_in_order_and_unreadable_on_disk(
    tmp_path_factory: pytest.TempPathFactory, batch: list[Inbound]
) -> None:
    folder = tmp_path_factory.mktemp("inbox")

    async def run() -> None:
        inbox = Inbox(folder, Cipher(generate_key()))
        keys = [await inbox.put(event) for event in batch]
        assert [event for _, event in await inbox.pending()] == batch
        for event, path in zip(batch, sorted(folder.iterdir()), strict=True):
            if len(event.text) > 3:
                assert event.text.encode() not in path.read_bytes()
        await inbox.remove(keys[0])
        assert [key for key, _ in await inbox.pending()] == keys[1:]

    asyncio.run(run())


async def test_an_inbox_file_that_cannot_be_read_is_set_aside(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox", Cipher(generate_key()))
    await inbox.put(Inbound(PlatformUser("slack", "U1"), "U1", True, text="hello"))
    other = Inbox(tmp_path / "inbox", Cipher(generate_key()))  # another key
    assert await other.pending() == []
    assert [p.name.startswith("unreadable-") for p in (tmp_path / "inbox").iterdir()] == [True]


# -- helpers --------------------------------------------------------------------------------------


def _pages(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


def _largest(path: Path) -> int:
    return max(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal"))


async def _query_only(h: Harness, on: bool) -> None:
    """SQLite's own switch to a read-only database, on the bot's connection."""
    await h.app.store._require().execute(f"PRAGMA query_only={int(on)}")


async def _until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)
