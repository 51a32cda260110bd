"""Reads and writes inside one SQLite transaction (see :class:`bot.ports.Tx`).

Private values are encrypted here, at the edge of the database, so no caller can forget to.
Encryption contexts bind each value to its table and row kind, so a ciphertext copied into another
column does not decrypt.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.domain.codes import new_case_code, new_token
from bot.domain.model import (
    AuditEntry,
    Case,
    CaseState,
    Person,
    PlatformUser,
    Report,
    ReportBody,
    Severity,
    Task,
)
from bot.domain.policy import EscalationPolicy
from bot.ports.events import Outbound
from bot.ports.store import DutyChange, NewCase, OutboxRow, TimerRow, TokenRecord
from bot.runtime.clock import from_ts
from bot.runtime.crypto import Cipher, EncryptionKeyError
from storage.sqlite.chat_moves import ChatMoves
from storage.sqlite.faults import store_fault

_CASE_COLUMNS = (
    "id, code, report_id, severity, state, created_at, updated_at, handler, acknowledged_at,"
    " disclosure, excluded, policy, esc_step, esc_round, reporter_key, checkin_hours, recused,"
    " second_person, outcome, review_at, purged_at, alert_at"
)
_OUTBOX_COLUMNS = (
    "id, case_id, purpose, payload_enc, replaces, status, attempts, next_attempt_at, sent_ref,"
    " revision"
)


# What a purged case's audit entries keep: states, severities and the outcome (names from fixed
# lists), never anything anyone wrote.
_PURGE_KEEPS_DETAIL = frozenset({"old", "new", "severity", "outcome"})


# How long a statement waits for another process's write lock (a backup, `fsbot purge`) before
# failing with a "busy" fault, which the bot then tries again with backoff (bot/storage_retry.py).
BUSY_TIMEOUT_MS = 5000
_RESTORE_TIMEOUT = f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"


def _ts(value: datetime) -> float:
    return value.timestamp()


async def _inserted(write: Awaitable[aiosqlite.Cursor]) -> bool:
    """Whether a queued ``INSERT OR IGNORE`` inserted its row."""
    return (await write).rowcount == 1


@dataclass
class Remembered:
    """Small tables read on nearly every page and written rarely, kept between transactions.

    Paging asks who refused the bot and who is on duty; reading them each time cost a trip to
    the database thread apiece. Only the bot's own process writes them (the command line does
    not), so a write here forgets the value, to be read afresh; so does any rollback, since a
    value read after an uncommitted write would hold that write.
    """

    unreachable: frozenset[tuple[str, str]] | None = None
    duty: tuple[DutyChange, ...] | None = None
    member_names: dict[str, tuple[str, ...]] | None = None

    def forget(self) -> None:
        self.unreachable = None
        self.duty = None
        self.member_names = None


class SqliteTx(ChatMoves):
    def __init__(
        self,
        db: aiosqlite.Connection,
        cipher: Cipher,
        remembered: Remembered,
        path: Path | None = None,
    ) -> None:
        self._db = db
        self._path = path  # the file, named in a fault's message
        self._cipher = cipher
        self._remembered = remembered
        # Set by purge_cases: the store then checkpoints after commit, so the erased bytes leave
        # the WAL file too (see SqliteStore.transaction).
        self.purged = False
        self._writes: list[asyncio.Future[Any]] = []  # see _later
        self._next_outbox_id: int | None = None  # see enqueue

    # -- statements ---------------------------------------------------------------------------
    # Every statement is a task on aiosqlite's one thread, so they run in the order issued. Each
    # trip there and back costs 40-100 us, and a report's commit makes dozens, so a write whose
    # result nobody reads is not waited for (``_later``): the thread runs it while this side
    # goes on. Its error surfaces at ``settle``, before COMMIT or the end of a savepoint, which
    # then rolls back as a whole. Reads fetch all rows in one trip (a cursor's execute, fetch
    # and close would be three).
    def _later(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._writes.append(asyncio.ensure_future(self._db.execute(sql, params)))

    def _later_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self._writes.append(asyncio.ensure_future(self._db.executemany(sql, rows)))

    async def _now(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        return await asyncio.ensure_future(self._db.execute(sql, params))

    async def _one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        rows = await self._all(sql, params)
        return rows[0] if rows else None

    async def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return list(await asyncio.ensure_future(self._db.execute_fetchall(sql, params)))

    async def settle(self) -> None:
        """Wait for the writes not yet waited for; raise the first one's error, if any."""
        writes, self._writes = self._writes, []
        for result in await asyncio.gather(*writes, return_exceptions=True):
            if isinstance(result, BaseException):
                raise result

    def begin(self) -> None:
        """Queued like a write: should it fail (another process holding the file past the busy
        timeout), what follows fails too, and ``settle`` rolls the whole back.

        Once BEGIN IMMEDIATE holds the write lock, nothing inside the transaction waits for
        another process; should it have failed, each write queued behind it would wait the whole
        busy timeout in turn (a report's dozens of writes: minutes). So the timeout is 0 inside
        and back to :data:`BUSY_TIMEOUT_MS` at the end, and a try under a lock takes one timeout.
        """
        self._later("BEGIN IMMEDIATE")
        self._later("PRAGMA busy_timeout=0")

    async def commit(self) -> None:
        """COMMIT, once ``settle`` has seen every queued write through (SqliteStore.transaction)."""
        restore = asyncio.ensure_future(self._db.execute(_RESTORE_TIMEOUT))
        await self._now("COMMIT")
        await restore  # ran before COMMIT: no wait

    async def rollback(self) -> None:
        """Undo what is open. SQLite may have rolled back by itself already (disk full, I/O
        error), and then there is nothing left to undo."""
        await self._let_writes_finish()
        await self._now(_RESTORE_TIMEOUT)
        if self._db.in_transaction:
            await self._now("ROLLBACK")

    async def _let_writes_finish(self) -> None:
        """Before rolling back: the queued writes run first, whatever their outcome."""
        writes, self._writes = self._writes, []
        await asyncio.gather(*writes, return_exceptions=True)

    # -- deliveries ---------------------------------------------------------------------------
    def claim_delivery(self, platform: str, delivery_id: str, now: datetime) -> Awaitable[bool]:
        write = asyncio.ensure_future(
            self._db.execute(
                "INSERT OR IGNORE INTO deliveries (platform, delivery_id, seen_at)"
                " VALUES (?, ?, ?)",
                (platform, delivery_id, _ts(now)),
            )
        )
        self._writes.append(write)
        return asyncio.ensure_future(_inserted(write))

    # -- members ------------------------------------------------------------------------------
    async def sync_members(self, members: list[dict[str, Any]]) -> None:
        self._remembered.unreachable = None
        self._later("UPDATE members SET active = 0")
        self._later("DELETE FROM identities")
        for member in members:
            self._later(
                "INSERT INTO members (id, name, roles, position, active) VALUES (?, ?, ?, ?, 1)"
                " ON CONFLICT(id) DO UPDATE SET name = excluded.name, roles = excluded.roles,"
                " position = excluded.position, active = 1",
                (member["id"], member["name"], json.dumps(member["roles"]), member["position"]),
            )
            for platform, user_id in member["identities"]:
                self._later(
                    "INSERT OR REPLACE INTO identities (platform, user_id, member_id)"
                    " VALUES (?, ?, ?)",
                    (platform, user_id, member["id"]),
                )

    async def member_names(self) -> dict[str, list[str]]:
        if self._remembered.member_names is None:
            rows = await self._all(
                "SELECT member_id, name_enc FROM member_names ORDER BY seen_at, rowid"
            )
            found: dict[str, list[str]] = {}
            for member_id, name_enc in rows:
                found.setdefault(member_id, []).append(
                    str(self._cipher.decrypt_json(name_enc, "member_name"))
                )
            self._remembered.member_names = {m: tuple(names) for m, names in found.items()}
        return {m: list(names) for m, names in self._remembered.member_names.items()}

    async def add_member_names(
        self, member_id: str, platform: str, names: list[tuple[str, str]], now: datetime
    ) -> None:
        self._remembered.member_names = None
        self._later_many(
            "INSERT OR IGNORE INTO member_names (member_id, key, platform, name_enc, seen_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (
                    member_id,
                    self._cipher.blind_index("member_name:" + key),
                    platform,
                    self._cipher.encrypt_json(name, "member_name"),
                    _ts(now),
                )
                for key, name in names
            ],
        )

    # -- drafts -------------------------------------------------------------------------------
    async def load_draft(self, owner: str) -> dict[str, Any] | None:
        row = await self._one("SELECT state_enc FROM drafts WHERE owner_key = ?", (owner,))
        if row is None:
            return None
        data: dict[str, Any] = self._cipher.decrypt_json(row[0], "draft")
        return data

    async def save_draft(self, owner: str, data: dict[str, Any], now: datetime) -> None:
        self._later(
            "INSERT INTO drafts (owner_key, updated_at, state_enc) VALUES (?, ?, ?)"
            " ON CONFLICT(owner_key) DO UPDATE SET updated_at = excluded.updated_at,"
            " state_enc = excluded.state_enc",
            (owner, _ts(now), self._cipher.encrypt_json(data, "draft")),
        )

    async def delete_draft(self, owner: str) -> None:
        self._later("DELETE FROM drafts WHERE owner_key = ?", (owner,))

    # -- tokens -------------------------------------------------------------------------------
    async def create_tokens(
        self, audience: str, actions: list[tuple[str, dict[str, Any]]], now: datetime
    ) -> list[str]:
        tokens = [new_token() for _ in actions]
        if actions:  # one statement for a message's buttons, not one each
            self._later_many(
                "INSERT INTO action_tokens (token, created_at, audience, action, args_enc)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (token, _ts(now), audience, action, self._cipher.encrypt_json(args, "token"))
                    for token, (action, args) in zip(tokens, actions, strict=True)
                ],
            )
        return tokens

    async def get_token(self, token: str) -> TokenRecord | None:
        row = await self._one(
            "SELECT token, audience, action, args_enc, created_at FROM action_tokens"
            " WHERE token = ?",
            (token,),
        )
        if row is None:
            return None
        return TokenRecord(
            token=row[0],
            audience=row[1],
            action=row[2],
            args=self._cipher.decrypt_json(row[3], "token"),
            created_at=from_ts(row[4]),
        )

    # -- reports ------------------------------------------------------------------------------
    async def add_report(self, report: Report, reporter_key: str | None) -> int:
        reporter_enc = None
        if report.reporter is not None:
            reporter_enc = self._cipher.encrypt_json(
                [report.reporter.platform, report.reporter.user_id, report.reporter.display_name],
                "reporter",
            )
        cursor = await self._now(
            "INSERT INTO reports (created_at, reporter_key, reporter_enc, body_enc)"
            " VALUES (?, ?, ?, ?)",
            (
                _ts(report.created_at),
                reporter_key,
                reporter_enc,
                self._cipher.encrypt_json(report.body.to_dict(), "report"),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def get_report(self, report_id: int) -> Report:
        row = await self._one(
            "SELECT id, created_at, reporter_enc, body_enc FROM reports WHERE id = ?",
            (report_id,),
        )
        if row is None:
            raise LookupError(f"no report {report_id}")
        reporter = None
        if row[2] is not None:
            platform, user_id, display = self._cipher.decrypt_json(row[2], "reporter")
            reporter = PlatformUser(platform, user_id, display)
        body = ReportBody.from_dict(self._cipher.decrypt_json(row[3], "report"))
        return Report(id=row[0], created_at=from_ts(row[1]), body=body, reporter=reporter)

    async def save_report_body(self, report_id: int, body: ReportBody) -> None:
        self._later(
            "UPDATE reports SET body_enc = ? WHERE id = ?",
            (self._cipher.encrypt_json(body.to_dict(), "report"), report_id),
        )

    # -- cases --------------------------------------------------------------------------------
    async def add_case(self, new: NewCase) -> Case:
        for _ in range(50):
            code = new_case_code()
            try:
                cursor = await self._now(
                    "INSERT INTO cases (code, report_id, severity, state, created_at, updated_at,"
                    " disclosure, excluded, policy, reporter_key)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        code,
                        new.report_id,
                        new.severity.value,
                        CaseState.NEW.value,
                        _ts(new.created_at),
                        _ts(new.created_at),
                        new.disclosure,
                        json.dumps(new.excluded),
                        json.dumps(new.policy.to_dict()),
                        new.reporter_key,
                    ),
                )
            except sqlite3.IntegrityError:
                continue  # code already taken: draw again
            assert cursor.lastrowid is not None
            # The case as get_case would read it back, without the trip there and back.
            created = from_ts(_ts(new.created_at))
            return Case(
                id=cursor.lastrowid,
                code=code,
                report_id=new.report_id,
                severity=new.severity,
                state=CaseState.NEW,
                created_at=created,
                updated_at=created,
                assignee=None,
                acknowledged_at=None,
                disclosure=new.disclosure,
                excluded=json.loads(json.dumps(new.excluded)),
                policy=new.policy,
                esc_step=0,
                esc_round=0,
                reporter_key=new.reporter_key,
            )
        raise RuntimeError("could not draw a free case code")

    def _case(self, row: Any) -> Case:
        return Case(
            id=row[0],
            code=row[1],
            report_id=row[2],
            severity=Severity(row[3]),
            state=CaseState(row[4]),
            created_at=from_ts(row[5]),
            updated_at=from_ts(row[6]),
            assignee=row[7],
            acknowledged_at=from_ts(row[8]) if row[8] is not None else None,
            disclosure=row[9],
            excluded=json.loads(row[10]),
            policy=EscalationPolicy.from_dict(json.loads(row[11])),
            esc_step=row[12],
            esc_round=row[13],
            reporter_key=row[14],
            checkin_hours=row[15],
            recused=json.loads(row[16]),
            second_person=row[17],
            outcome=row[18],
            review_at=from_ts(row[19]) if row[19] is not None else None,
            purged_at=from_ts(row[20]) if row[20] is not None else None,
            alert_at=from_ts(row[21]) if row[21] is not None else None,
        )

    async def get_case(self, case_id: int) -> Case | None:
        row = await self._one(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        return self._case(row) if row else None

    async def find_case(self, code: str) -> Case | None:
        row = await self._one(f"SELECT {_CASE_COLUMNS} FROM cases WHERE code = ?", (code,))
        return self._case(row) if row else None

    async def save_case(self, case: Case) -> None:
        self._later(
            "UPDATE cases SET severity = ?, state = ?, updated_at = ?, handler = ?,"
            " acknowledged_at = ?, excluded = ?, policy = ?, esc_step = ?, esc_round = ?,"
            " checkin_hours = ?, recused = ?, second_person = ?, outcome = ?, review_at = ?,"
            " alert_at = ? WHERE id = ?",
            (
                case.severity.value,
                case.state.value,
                _ts(case.updated_at),
                case.assignee,
                _ts(case.acknowledged_at) if case.acknowledged_at else None,
                json.dumps(case.excluded),
                json.dumps(case.policy.to_dict()),
                case.esc_step,
                case.esc_round,
                case.checkin_hours,
                json.dumps(case.recused),
                case.second_person,
                case.outcome,
                _ts(case.review_at) if case.review_at else None,
                _ts(case.alert_at) if case.alert_at else None,
                case.id,
            ),
        )

    async def list_cases(self, states: list[CaseState] | None = None) -> list[Case]:
        if states is None:
            rows = await self._all(f"SELECT {_CASE_COLUMNS} FROM cases ORDER BY id")
        else:
            marks = ",".join("?" for _ in states)
            rows = await self._all(
                f"SELECT {_CASE_COLUMNS} FROM cases WHERE state IN ({marks}) ORDER BY id",
                tuple(s.value for s in states),
            )
        return [self._case(row) for row in rows]

    async def cases_for_reporter(self, reporter_key: str) -> list[Case]:
        rows = await self._all(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE reporter_key = ? ORDER BY id",
            (reporter_key,),
        )
        return [self._case(row) for row in rows]

    # -- audit --------------------------------------------------------------------------------
    async def add_audit(self, entry: AuditEntry) -> None:
        self._later(
            "INSERT INTO case_events (case_id, at, actor, kind, detail_enc) VALUES (?, ?, ?, ?, ?)",
            (
                entry.case_id,
                _ts(entry.at),
                entry.actor,
                entry.kind,
                self._cipher.encrypt_json(entry.detail, "audit"),
            ),
        )

    async def audit_for(self, case_id: int) -> list[AuditEntry]:
        rows = await self._all(
            "SELECT case_id, at, actor, kind, detail_enc FROM case_events WHERE case_id = ?"
            " ORDER BY id",
            (case_id,),
        )
        return [
            AuditEntry(
                case_id=row[0],
                at=from_ts(row[1]),
                actor=row[2],
                kind=row[3],
                detail=self._cipher.decrypt_json(row[4], "audit"),
            )
            for row in rows
        ]

    # -- outbox -------------------------------------------------------------------------------
    async def enqueue(
        self,
        message: Outbound,
        *,
        purpose: str,
        case_id: int | None,
        now: datetime,
        replaces: int | None = None,
    ) -> int:
        # The id is drawn here, as SQLite would draw it (one past the largest), so the insert
        # need not be waited for: this transaction holds the write lock, nobody else inserts.
        if self._next_outbox_id is None:
            row = await self._one("SELECT COALESCE(MAX(id), 0) FROM outbox")
            assert row is not None
            self._next_outbox_id = int(row[0]) + 1
        outbox_id = self._next_outbox_id
        self._next_outbox_id += 1
        self._later(
            "INSERT INTO outbox (id, created_at, case_id, purpose, platform, replaces,"
            " payload_enc, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                outbox_id,
                _ts(now),
                case_id,
                purpose,
                message.address.platform,
                replaces,
                self._cipher.encrypt_json(message.to_json(), "outbox"),
                _ts(now),
            ),
        )
        return outbox_id

    def _outbox(self, row: Any) -> OutboxRow:
        message = None
        if row[3] is not None:
            message = Outbound.from_json(self._cipher.decrypt_json(row[3], "outbox"))
        return OutboxRow(
            id=row[0],
            case_id=row[1],
            purpose=row[2],
            message=message,
            replaces=row[4],
            status=row[5],
            attempts=row[6],
            next_attempt_at=from_ts(row[7]),
            sent_ref=row[8],
            revision=row[9],
        )

    async def due_outbox(self, now: datetime, limit: int, channel: bool) -> list[OutboxRow]:
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending'"
            " AND next_attempt_at <= ? AND (purpose LIKE 'channel%') = ?"
            # Pages first; within a kind, the order they were written.
            " ORDER BY CASE WHEN purpose IN ('page', 'external') THEN 0 ELSE 1 END, id LIMIT ?",
            (_ts(now), int(channel), limit),
        )
        return [self._outbox(row) for row in rows]

    async def get_outbox(self, outbox_id: int) -> OutboxRow | None:
        row = await self._one(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE id = ?", (outbox_id,))
        return self._outbox(row) if row else None

    async def outbox_for_case(self, case_id: int, purposes: list[str]) -> list[OutboxRow]:
        marks = ",".join("?" for _ in purposes)
        rows = await self._all(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE case_id = ? AND replaces IS NULL"
            f" AND purpose IN ({marks}) ORDER BY id",
            (case_id, *purposes),
        )
        return [self._outbox(row) for row in rows]

    async def replace_pending(self, outbox_id: int, message: Outbound) -> None:
        self._later(
            "UPDATE outbox SET payload_enc = ?, revision = revision + 1"
            " WHERE id = ? AND status = 'pending'",
            (self._cipher.encrypt_json(message.to_json(), "outbox"), outbox_id),
        )

    async def mark_sent(
        self, outbox_id: int, ref: str, now: datetime, purge: bool, revision: int
    ) -> Outbound | None:
        row = await self._one("SELECT revision, payload_enc FROM outbox WHERE id = ?", (outbox_id,))
        newer = None
        if row is not None and row[0] != revision and row[1] is not None:
            newer = Outbound.from_json(self._cipher.decrypt_json(row[1], "outbox"))
        purge_sql = ", payload_enc = NULL" if purge and newer is None else ""
        self._later(
            f"UPDATE outbox SET status = 'sent', sent_ref = ?, sent_at = ?,"
            f" attempts = attempts + 1{purge_sql} WHERE id = ?",
            (ref, _ts(now), outbox_id),
        )
        return newer

    async def mark_retry(
        self, outbox_id: int, at: datetime, error: str, *, counted: bool = True
    ) -> None:
        self._later(
            "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (int(counted), _ts(at), error[:200], outbox_id),
        )

    async def mark_failed(self, outbox_id: int, error: str) -> None:
        self._later(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?"
            " WHERE id = ?",
            (error[:200], outbox_id),
        )

    async def hold_platform(self, platform: str, until: datetime, reason: str) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = ?, last_error = ?"
            " WHERE status = 'pending' AND platform = ? AND next_attempt_at < ?",
            (_ts(until), reason[:200], platform, _ts(until)),
        )

    async def release_held(self, now: datetime, platform: str | None = None) -> None:
        self._later(
            "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'"
            " AND last_error LIKE 'held:%' AND next_attempt_at > ? AND (? IS NULL OR platform = ?)",
            (_ts(now), _ts(now), platform, platform),
        )

    async def next_outbox_due(self, channel: bool) -> datetime | None:
        row = await self._one(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'"
            " AND (purpose LIKE 'channel%') = ?",
            (int(channel),),
        )
        return from_ts(row[0]) if row and row[0] is not None else None

    # -- timers -------------------------------------------------------------------------------
    async def add_timer(
        self,
        due_at: datetime,
        kind: str,
        case_id: int | None,
        payload: dict[str, Any],
        fence: int,
        key: str | None = None,
    ) -> None:
        self._later(
            "INSERT OR IGNORE INTO timers (due_at, kind, case_id, payload, fence, key)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (_ts(due_at), kind, case_id, json.dumps(payload), fence, key),
        )

    async def due_timers(self, now: datetime, limit: int = 100) -> list[TimerRow]:
        rows = await self._all(
            "SELECT id, due_at, kind, case_id, payload, fence FROM timers"
            " WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (_ts(now), limit),
        )
        return [
            TimerRow(
                id=row[0],
                due_at=from_ts(row[1]),
                kind=row[2],
                case_id=row[3],
                payload=json.loads(row[4]),
                fence=row[5],
            )
            for row in rows
        ]

    async def complete_timer(self, timer_id: int, now: datetime) -> None:
        self._later(
            "UPDATE timers SET status = 'done', done_at = ? WHERE id = ?", (_ts(now), timer_id)
        )

    async def cancel_timers(self, case_id: int, kinds: list[str]) -> None:
        marks = ",".join("?" for _ in kinds)
        self._later(
            f"UPDATE timers SET status = 'cancelled' WHERE case_id = ? AND status = 'pending'"
            f" AND kind IN ({marks})",
            (case_id, *kinds),
        )

    async def next_timer_due(self) -> datetime | None:
        row = await self._one("SELECT MIN(due_at) FROM timers WHERE status = 'pending'")
        return from_ts(row[0]) if row and row[0] is not None else None

    # -- reachability -------------------------------------------------------------------------
    async def mark_unreachable(self, platform: str, chat_id: str, now: datetime) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = ? WHERE platform = ? AND user_id = ?",
            (_ts(now), platform, chat_id),
        )

    async def mark_reachable(self, platform: str, chat_id: str) -> None:
        self._remembered.unreachable = None
        self._later(
            "UPDATE identities SET unreachable_since = NULL WHERE platform = ? AND user_id = ?",
            (platform, chat_id),
        )

    async def unreachable(self) -> set[tuple[str, str]]:
        if self._remembered.unreachable is None:
            rows = await self._all(
                "SELECT platform, user_id FROM identities WHERE unreachable_since IS NOT NULL"
            )
            self._remembered.unreachable = frozenset((row[0], row[1]) for row in rows)
        return set(self._remembered.unreachable)

    # -- duty -----------------------------------------------------------------------------
    async def add_duty_change(
        self, member_id: str, on_duty: bool, at: datetime, until: datetime | None
    ) -> None:
        self._remembered.duty = None
        self._later(
            "INSERT INTO duty_changes (member_id, on_duty, at, until) VALUES (?, ?, ?, ?)",
            (member_id, int(on_duty), _ts(at), _ts(until) if until else None),
        )

    async def duty_changes(self) -> list[DutyChange]:
        if self._remembered.duty is None:
            rows = await self._all(
                "SELECT member_id, on_duty, at, until FROM duty_changes ORDER BY at, id"
            )
            self._remembered.duty = tuple(
                DutyChange(
                    row[0], bool(row[1]), from_ts(row[2]), from_ts(row[3]) if row[3] else None
                )
                for row in rows
            )
        return list(self._remembered.duty)

    async def confirm_shift(self, shift_key: str, member_id: str, at: datetime) -> bool:
        cursor = await self._now(
            "INSERT OR IGNORE INTO shift_confirmations (shift_key, member_id, at) VALUES (?, ?, ?)",
            (shift_key, member_id, _ts(at)),
        )
        return cursor.rowcount == 1

    async def shift_confirmed(self, shift_key: str) -> bool:
        row = await self._one("SELECT 1 FROM shift_confirmations WHERE shift_key = ?", (shift_key,))
        return row is not None

    # -- tasks --------------------------------------------------------------------------------
    async def add_task(
        self, case_id: int, owner: str, created_by: str, due_at: datetime, text: str, now: datetime
    ) -> int:
        cursor = await self._now(
            "INSERT INTO tasks (case_id, owner, created_by, created_at, due_at, text_enc)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, owner, created_by, _ts(now), _ts(due_at), self._cipher.encrypt(text, "task")),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _task(self, row: Any) -> Task:
        return Task(
            id=row[0],
            case_id=row[1],
            owner=row[2],
            created_by=row[3],
            due_at=from_ts(row[4]),
            text=self._cipher.decrypt(row[5], "task"),
            done_at=from_ts(row[6]) if row[6] is not None else None,
            done_by=row[7],
        )

    _TASK_COLUMNS = "id, case_id, owner, created_by, due_at, text_enc, done_at, done_by"

    async def get_task(self, task_id: int) -> Task | None:
        row = await self._one(f"SELECT {self._TASK_COLUMNS} FROM tasks WHERE id = ?", (task_id,))
        return self._task(row) if row else None

    async def tasks_for_case(self, case_id: int) -> list[Task]:
        rows = await self._all(
            f"SELECT {self._TASK_COLUMNS} FROM tasks WHERE case_id = ? ORDER BY due_at, id",
            (case_id,),
        )
        return [self._task(row) for row in rows]

    async def finish_task(self, task_id: int, member_id: str, now: datetime) -> bool:
        cursor = await self._now(
            "UPDATE tasks SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL",
            (_ts(now), member_id, task_id),
        )
        return cursor.rowcount == 1

    # -- the people-of-concern register -----------------------------------------------------
    # Keys arrive normalised (bot.identifiers) and are stored only as blind indexes.
    def _blind(self, keys: set[str]) -> list[str]:
        return sorted({self._cipher.blind_index("who:" + key) for key in keys})

    def _person_entry(self, person: Person) -> str:
        entry = {
            "name": person.name,
            "identifiers": person.identifiers,
            "created_by": person.created_by,
            "flag": person.flag,
            "flag_until": _ts(person.flag_until) if person.flag_until else None,
            "note": person.note,
            "history": person.history,
        }
        return self._cipher.encrypt_json(entry, "person")

    async def add_person(self, person: Person, keys: set[str]) -> int:
        cursor = await self._now(
            "INSERT INTO people (created_at, updated_at, entry_enc) VALUES (?, ?, ?)",
            (_ts(person.created_at), _ts(person.created_at), self._person_entry(person)),
        )
        assert cursor.lastrowid is not None
        self._later_many(
            "INSERT OR IGNORE INTO person_keys (person_id, key) VALUES (?, ?)",
            [(cursor.lastrowid, key) for key in self._blind(keys)],
        )
        return cursor.lastrowid

    async def save_person(self, person: Person, now: datetime) -> None:
        self._later(
            "UPDATE people SET updated_at = ?, entry_enc = ? WHERE id = ?",
            (_ts(now), self._person_entry(person), person.id),
        )

    async def _person(self, row: Any) -> Person:
        entry = self._cipher.decrypt_json(row[2], "person")
        links = await self._all(
            "SELECT case_id FROM person_cases WHERE person_id = ? ORDER BY linked_at, case_id",
            (row[0],),
        )
        return Person(
            id=row[0],
            name=entry["name"],
            identifiers=list(entry["identifiers"]),
            created_at=from_ts(row[1]),
            created_by=entry["created_by"],
            flag=entry["flag"],
            flag_until=from_ts(entry["flag_until"]) if entry["flag_until"] else None,
            note=entry["note"],
            history=list(entry["history"]),
            case_ids=[link[0] for link in links],
        )

    async def get_person(self, person_id: int) -> Person | None:
        row = await self._one(
            "SELECT id, created_at, entry_enc FROM people WHERE id = ?", (person_id,)
        )
        return await self._person(row) if row else None

    async def list_people(self) -> list[Person]:
        rows = await self._all("SELECT id, created_at, entry_enc FROM people ORDER BY id")
        return [await self._person(row) for row in rows]

    async def link_person(self, person_id: int, case_id: int, now: datetime) -> bool:
        cursor = await self._now(
            "INSERT OR IGNORE INTO person_cases (person_id, case_id, linked_at) VALUES (?, ?, ?)",
            (person_id, case_id, _ts(now)),
        )
        return cursor.rowcount == 1

    async def people_for_case(self, case_id: int) -> list[int]:
        rows = await self._all(
            "SELECT person_id FROM person_cases WHERE case_id = ? ORDER BY person_id", (case_id,)
        )
        return [row[0] for row in rows]

    async def people_matching(self, keys: set[str]) -> list[int]:
        blind = self._blind(keys)
        if not blind:
            return []
        marks = ",".join("?" for _ in blind)
        rows = await self._all(
            f"SELECT DISTINCT person_id FROM person_keys WHERE key IN ({marks}) ORDER BY person_id",
            tuple(blind),
        )
        return [row[0] for row in rows]

    async def add_case_keys(self, case_id: int, ids: set[str], grams: set[str]) -> None:
        self._later_many(
            "INSERT OR IGNORE INTO case_keys (case_id, kind, key) VALUES (?, ?, ?)",
            [(case_id, "id", key) for key in self._blind(ids)]
            + [(case_id, "gram", key) for key in self._blind(grams)],
        )

    async def cases_matching(self, ids: set[str], grams: set[str]) -> list[int]:
        found: set[int] = set()
        for kind, keys in (("gram", ids), ("id", grams)):
            blind = self._blind(keys)
            for start in range(0, len(blind), 500):  # SQLite's limit on bound parameters
                part = blind[start : start + 500]
                marks = ",".join("?" for _ in part)
                rows = await self._all(
                    f"SELECT DISTINCT case_id FROM case_keys WHERE kind = ? AND key IN ({marks})",
                    (kind, *part),
                )
                found.update(row[0] for row in rows)
        return sorted(found)

    # -- retention ----------------------------------------------------------------------------
    async def cases_due_for_purge(self, now: datetime) -> list[int]:
        rows = await self._all(
            "SELECT id FROM cases WHERE state = ? AND review_at IS NOT NULL AND review_at <= ?"
            " AND purged_at IS NULL ORDER BY review_at, id",
            (CaseState.CLOSED.value, _ts(now)),
        )
        return [row[0] for row in rows]

    async def purge_cases(self, case_ids: list[int], now: datetime) -> None:
        """Erase what is private about these cases and keep their counts (bot/retention.py).

        Blanked: the report body (an encrypted empty body, so every reader still works), the
        reporter's identity and blind index, member ids on the case, audit actors and details
        (kind and time stay; a state change keeps its old and new state and the outcome),
        outbox payloads, task texts and owners, the cases' action tokens, the keys of the
        reported person and links from the register. Kept: code, severity, state, outcome and
        every timestamp.
        """
        wanted = set(case_ids)
        for case_id in case_ids:
            await self._purge_case(case_id, now)
        # Tokens name their case only inside their encrypted arguments: one pass for all cases.
        for token, args_enc in await self._all("SELECT token, args_enc FROM action_tokens"):
            args = self._readable(args_enc, "token")
            if args.get("case") in wanted:
                self._later("DELETE FROM action_tokens WHERE token = ?", (token,))
        self.purged = self.purged or bool(wanted)

    def _readable(self, value: str, context: str) -> dict[str, Any]:
        """A stored dict, or {} if it cannot be read (another key): erasing must not stop at
        a value nobody can read anyway."""
        try:
            found = self._cipher.decrypt_json(value, context)
        except (EncryptionKeyError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    async def _purge_case(self, case_id: int, now: datetime) -> None:
        row = await self._one("SELECT report_id FROM cases WHERE id = ?", (case_id,))
        if row is None:
            return
        self._later(
            "UPDATE reports SET body_enc = ?, reporter_enc = NULL, reporter_key = NULL"
            " WHERE id = ?",
            (self._cipher.encrypt_json(ReportBody().to_dict(), "report"), row[0]),
        )
        self._later(
            "UPDATE cases SET reporter_key = NULL, handler = NULL, second_person = NULL,"
            " excluded = '[]', recused = '[]', purged_at = ? WHERE id = ?",
            (_ts(now), case_id),
        )
        for event_id, actor, detail_enc in await self._all(
            "SELECT id, actor, detail_enc FROM case_events WHERE case_id = ?", (case_id,)
        ):
            detail = self._readable(detail_enc, "audit")
            kept = {k: v for k, v in detail.items() if k in _PURGE_KEEPS_DETAIL}
            self._later(
                "UPDATE case_events SET actor = ?, detail_enc = ? WHERE id = ?",
                (actor.partition(":")[0], self._cipher.encrypt_json(kept, "audit"), event_id),
            )
        self._later(
            "UPDATE outbox SET payload_enc = NULL, status = CASE WHEN status = 'pending'"
            " THEN 'failed' ELSE status END WHERE case_id = ?",
            (case_id,),
        )
        self._later(
            "UPDATE timers SET status = 'cancelled' WHERE case_id = ? AND status = 'pending'",
            (case_id,),
        )
        # Tasks say what was done for whom; the keys of the reported person and the register's
        # link would still tie this case to someone.
        self._later(
            "UPDATE tasks SET text_enc = ?, owner = '', created_by = '', done_by = NULL"
            " WHERE case_id = ?",
            (self._cipher.encrypt("", "task"), case_id),
        )
        self._later("DELETE FROM case_keys WHERE case_id = ?", (case_id,))
        self._later("DELETE FROM person_cases WHERE case_id = ?", (case_id,))

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction: one timer's failure undoes only that timer's work."""
        self._later("SAVEPOINT fire")
        try:
            yield
            await self.settle()
        except BaseException as error:
            self._remembered.forget()
            await self._let_writes_finish()
            if self._db.in_transaction:  # SQLite rolls all back by itself on some faults
                await self._now("ROLLBACK TO fire")
                await self._now("RELEASE fire")
            # A fault of the file is the whole transaction's, not this savepoint's: said so
            # here, where the caller may catch what went wrong inside (bot/scheduler.py).
            fault = store_fault(error, self._path)
            if fault is None or fault is error:
                raise
            raise fault from error
        self._later("RELEASE fire")
