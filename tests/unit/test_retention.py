"""Keeping and forgetting: review dates by outcome, the purge (daily and by hand), on real files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from subprocesses import fsbot
from support import START, Harness, demo_config

from bot.config.demo import demo_team_text
from bot.config.teamfile import Retention, TeamFileError, parse_team_text
from bot.domain.model import OUTCOMES
from bot.runtime.crypto import Cipher, generate_key

ACCOUNT = "He grabbed my arm at the party. ACCOUNT-SECRET-9Q"
NOTE = "Spoke to venue staff. NOTE-SECRET-4K"


async def _closed(bot: Harness, outcome: str, who: str = "sam", account: str = ACCOUNT) -> str:
    code = await bot.file_report(who, account=account, who_text=f"User:Someone{who.title()}")
    await bot.say("alice", f"/ack {code}")
    await bot.say("alice", f"/note {code} {NOTE}")
    await bot.say("alice", f"/task {code} bob 2h Move them to another room. TASK-SECRET-2P")
    await bot.say("alice", f"/resolve {code} {outcome} Talked it through.")
    await bot.say("alice", f"/close {code}")
    assert bot.last_text("alice") == f"{code} is now closed."
    return code


def _raw(path: Path) -> bytes:
    """Everything SQLite keeps on disk for this database: the main file and its WAL."""
    wal = path.parent / (path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _private_values(path: Path, code: str) -> list[bytes]:
    """What is stored for a case: report body, reporter, audit details, outbox, tasks, and the
    blind indexes of its reported person."""
    with sqlite3.connect(path) as db:
        case_id, report_id = db.execute(
            "SELECT id, report_id FROM cases WHERE code = ?", (code,)
        ).fetchone()
        values = list(
            db.execute(
                "SELECT body_enc, reporter_enc FROM reports WHERE id = ?", (report_id,)
            ).fetchone()
        )
        values += [
            r[0]
            for r in db.execute("SELECT detail_enc FROM case_events WHERE case_id = ?", (case_id,))
        ]
        values += [
            r[0]
            for r in db.execute(
                "SELECT payload_enc FROM outbox WHERE case_id = ? AND payload_enc IS NOT NULL",
                (case_id,),
            )
        ]
        values += [
            r[0] for r in db.execute("SELECT text_enc FROM tasks WHERE case_id = ?", (case_id,))
        ]
        # the keyed hashes of what the report says about the reported person (those no other
        # case shares: the same words in another report hash the same)
        values += [
            r[0]
            for r in db.execute(
                "SELECT key FROM case_keys WHERE case_id = ? AND key NOT IN"
                " (SELECT key FROM case_keys WHERE case_id != ?)",
                (case_id, case_id),
            )
        ]
    return [v.encode() for v in values if v is not None]


def _tokens_for(path: Path, key: str, code: str) -> int:
    """How many button tokens still point at this case (their arguments are encrypted)."""
    cipher = Cipher(key)
    with sqlite3.connect(path) as db:
        (case_id,) = db.execute("SELECT id FROM cases WHERE code = ?", (code,)).fetchone()
        found = [
            cipher.decrypt_json(r[0], "token")
            for r in db.execute("SELECT args_enc FROM action_tokens")
        ]
    return sum(1 for args in found if args.get("case") == case_id)


def _pending_purges(path: Path) -> list[datetime]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT due_at FROM timers WHERE kind = 'retention_purge' AND status = 'pending'"
        ).fetchall()
    return [datetime.fromtimestamp(row[0], UTC) for row in rows]


def test_every_outcome_has_a_retention_setting() -> None:
    assert set(Retention.model_fields) == set(OUTCOMES)


def test_retention_mistakes_are_named_with_their_line() -> None:
    text = demo_team_text(START) + (
        '\n[retention]\nwarning = "6 months"\nevent_bans = "keep"\nno_action = 30\n'
    )
    lines = text.splitlines()
    try:
        parse_team_text(text, "team.toml")
    except TeamFileError as exc:
        problems = [str(p) for p in exc.problems]
    else:
        raise AssertionError("accepted a bad [retention] table")
    line = lines.index('warning = "6 months"') + 1
    assert problems[0].startswith(f"team.toml:{line}: retention.warning: '6 months' is not a")
    assert 'or "keep" for no review date' in problems[0]
    assert problems[1] == (
        f"team.toml:{line + 1}: retention.event_bans: unknown field; did you mean 'event_ban'?"
    )
    assert problems[2].startswith(f"team.toml:{line + 2}: retention.no_action: write a duration")


async def test_closing_sets_a_review_date_by_outcome_and_reopening_clears_it(
    bot: Harness,
) -> None:
    code = await _closed(bot, "warning")
    case = await bot.case(code)
    assert case.outcome == "warning"
    assert case.review_at == bot.clock.now() + timedelta(days=183)
    await bot.say("lena", f"/case {code}")
    shown = bot.last_text("lena")
    assert "Outcome: warning" in shown
    assert "Review date: Thu 10 Feb 2028." in shown
    await bot.say("alice", f"/reopen {code} They came back.")
    case = await bot.case(code)
    assert case.review_at is None and case.outcome is None
    await bot.say("lena", f"/case {code}")
    assert "Review date" not in bot.last_text("lena")
    assert "Outcome:" not in bot.last_text("lena")

    banned = await _closed(bot, "event_ban", who="kim")
    assert (await bot.case(banned)).review_at is None
    await bot.say("lena", f"/case {banned}")
    assert "Review date: none, this case is kept." in bot.last_text("lena")
    agreement = await _closed(bot, "no_contact_agreement", who="jo")
    assert (await bot.case(agreement)).review_at == bot.clock.now() + timedelta(days=365)


async def test_the_team_file_sets_the_review_dates(tmp_path: Path) -> None:
    config = parse_team_text(
        demo_team_text(START) + '\n[retention]\nwarning = "30d"\nnot_a_violation = "keep"\n'
    )
    bot = Harness(tmp_path / "custom.db", config=config)
    await bot.start()
    try:
        warned = await _closed(bot, "warning")
        assert (await bot.case(warned)).review_at == bot.clock.now() + timedelta(days=30)
        fine = await _closed(bot, "not_a_violation", who="kim")
        assert (await bot.case(fine)).review_at is None
    finally:
        await bot.stop()


async def test_daily_purge_erases_the_bytes_from_the_file_and_keeps_the_counts(
    bot: Harness,
) -> None:
    due = await _closed(bot, "warning")
    kept = await _closed(bot, "event_ban", who="kim", account="KEPT-ACCOUNT-7Z")
    later = await _closed(bot, "referred", who="jo", account="LATER-ACCOUNT-3M")
    before = await bot.case(due)
    secrets = _private_values(bot.path, due)
    assert len(secrets) >= 7  # body, reporter, audit details, pages, task, reported-person keys
    raw = _raw(bot.path)
    assert all(secret in raw for secret in secrets)
    kept_secrets = _private_values(bot.path, kept) + _private_values(bot.path, later)
    assert _tokens_for(bot.path, bot.key, due) > 0 and _tokens_for(bot.path, bot.key, kept) > 0

    # 04:00 on the review day: not yet, the case was closed at 10:00.
    assert before.review_at is not None
    review_day_four = before.review_at.replace(hour=4)
    await bot.advance((review_day_four - bot.clock.now()).total_seconds())
    assert (await bot.case(due)).purged_at is None
    assert _pending_purges(bot.path) == [review_day_four + timedelta(days=1)]

    await bot.advance(24 * 3600)  # the next 04:00
    purged = await bot.case(due)
    assert purged.purged_at == bot.clock.now()
    raw = _raw(bot.path)  # the bot is still running, its connection open
    assert not any(secret in raw for secret in secrets)
    assert all(secret in raw for secret in kept_secrets)
    assert _tokens_for(bot.path, bot.key, due) == 0  # its buttons are gone
    assert _tokens_for(bot.path, bot.key, kept) > 0
    # the counts and times stay
    assert (purged.code, purged.severity, purged.state, purged.outcome) == (
        before.code,
        before.severity,
        before.state,
        "warning",
    )
    assert (purged.created_at, purged.acknowledged_at) == (
        before.created_at,
        before.acknowledged_at,
    )
    assert purged.assignee is None and purged.reporter_key is None
    trail = await bot.audit(due)
    assert [kind for _, kind, _ in trail][-1] == "purged"
    assert {actor for actor, _, _ in trail} <= {"member", "reporter", "system"}
    assert ("member", "state_changed", {"old": "resolved", "new": "closed"}) in trail
    assert all("text" not in detail and "note" not in detail for _, _, detail in trail)
    async with bot.app.store.transaction() as tx:
        report = await tx.get_report(purged.report_id)
    assert report.body.account == [] and report.reporter is None

    # the other cases are untouched
    assert (await bot.case(kept)).purged_at is None
    assert (await bot.case(later)).purged_at is None
    await bot.say("lena", f"/case {kept}")
    assert "KEPT-ACCOUNT-7Z" in bot.last_text("lena")

    # and the purged one says so instead of showing an empty case
    await bot.say("lena", f"/case {due}")
    shown = bot.last_text("lena")
    assert f"{due} was purged on Fri 11 Feb 2028: only counts remain." in shown
    assert "Outcome: warning" in shown
    await bot.say("alice", f"/reopen {due} one more thing")
    assert "only counts remain" in bot.last_text("alice")
    assert (await bot.case(due)).state.value == "closed"

    # the timer re-armed for tomorrow, once, also across a restart
    tomorrow = [bot.clock.now() + timedelta(days=1)]
    assert _pending_purges(bot.path) == tomorrow
    await bot.restart()
    assert _pending_purges(bot.path) == tomorrow


async def test_a_reporter_no_longer_sees_a_purged_case(bot: Harness) -> None:
    code = await _closed(bot, "no_action")
    await bot.say("sam", "/mycases")
    assert code in bot.last_text("sam")
    await bot.advance(184 * 24 * 3600)
    assert (await bot.case(code)).purged_at is not None
    await bot.say("sam", "/mycases")
    assert code not in bot.last_text("sam")
    assert "You have no reports I can show" in bot.last_text("sam")


PAST = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


async def test_fsbot_purge_erases_what_is_due(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    bot = Harness(path, config=demo_config(PAST))
    bot.clock.current = PAST
    await bot.start()
    due = await _closed(bot, "out_of_scope")  # review date in September 2025: past
    kept = await _closed(bot, "removed_from_event", who="kim")
    await bot.stop()
    secrets = _private_values(path, due)
    assert all(secret in _raw(path) for secret in secrets)
    with sqlite3.connect(path) as db:  # a button written under an older key must not block it
        db.execute(
            "INSERT INTO action_tokens (token, created_at, audience, action, args_enc)"
            " VALUES ('old', 0, 'member:alice', 'case.ack', ?)",
            (Cipher(generate_key()).encrypt_json({"case": 1}, "token"),),
        )
    env = {"FSB_DATABASE": f"sqlite:///{path}", "FSB_ENCRYPTION_KEY": bot.key}

    dry = fsbot("purge", "--dry-run", env=env, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "1 case past its review date; nothing purged (--dry-run)." in dry.stdout
    assert all(secret in _raw(path) for secret in secrets)

    result = fsbot("purge", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Purged 1 case past its review date."
    assert not any(secret in _raw(path) for secret in secrets)
    with sqlite3.connect(path) as db:
        rows = dict(db.execute("SELECT code, purged_at IS NOT NULL FROM cases").fetchall())
    assert rows == {due: 1, kept: 0}

    again = fsbot("purge", env=env, cwd=tmp_path)
    assert again.stdout.strip() == "Purged 0 cases past their review date."


def test_fsbot_purge_needs_the_key_and_an_existing_database(tmp_path: Path) -> None:
    missing = fsbot("purge", env={"FSB_DATABASE": f"sqlite:///{tmp_path}/nope.db"}, cwd=tmp_path)
    assert missing.returncode != 0
    assert "FSB_ENCRYPTION_KEY is not set" in missing.stderr
    env = {"FSB_DATABASE": f"sqlite:///{tmp_path}/nope.db", "FSB_ENCRYPTION_KEY": generate_key()}
    nothing = fsbot("purge", env=env, cwd=tmp_path)
    assert nothing.returncode != 0
    assert "No database at" in nothing.stderr
    assert not (tmp_path / "nope.db").exists()


async def test_a_failed_daily_purge_is_undone_whole_and_runs_again_tomorrow(
    bot: Harness,
) -> None:
    code = await _closed(bot, "warning")
    with sqlite3.connect(bot.path) as db:  # something breaks the purge half-way
        db.execute("ALTER TABLE action_tokens RENAME TO tokens_aside")
    await bot.advance(184 * 24 * 3600)
    case = await bot.case(code)
    assert case.purged_at is None and case.assignee == "alice"  # nothing half-erased
    async with bot.app.store.transaction() as tx:
        assert (await tx.get_report(case.report_id)).body.account == [ACCOUNT]
    (armed,) = _pending_purges(bot.path)
    assert armed > bot.clock.now()
    with sqlite3.connect(bot.path) as db:
        db.execute("ALTER TABLE tokens_aside RENAME TO action_tokens")
    await bot.advance((armed - bot.clock.now()).total_seconds())
    assert (await bot.case(code)).purged_at == armed


async def test_a_case_resolved_before_the_upgrade_gets_its_date_from_the_audit_trail(
    bot: Harness,
) -> None:
    code = await bot.file_report()
    await bot.say("alice", f"/ack {code}")
    await bot.say("alice", f"/resolve {code} no_action Nothing to do.")
    with sqlite3.connect(bot.path) as db:  # as migration 0005 leaves an already resolved case
        db.execute("UPDATE cases SET outcome = NULL WHERE code = ?", (code,))
    await bot.say("alice", f"/close {code}")
    case = await bot.case(code)
    assert case.outcome == "no_action"
    assert case.review_at == bot.clock.now() + timedelta(days=183)
