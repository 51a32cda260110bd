"""Cases, and how a row becomes a :class:`bot.domain.model.Case` and back (see
:class:`bot.ports.repositories.Cases`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.codes import CODE_PREFIX, DRILL_PREFIX, new_case_code
from bot.domain.model import Case, CaseState, Severity
from bot.domain.policy import EscalationPolicy
from bot.ports.records import NewCase
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts

_CASE_COLUMNS = (
    "id, code, report_id, severity, state, created_at, updated_at, handler, acknowledged_at,"
    " disclosure, excluded, policy, esc_step, esc_round, reporter_key, checkin_hours, recused,"
    " second_person, outcome, review_at, purged_at, alert_at"
)


class SqliteCases(Statements):
    """:class:`bot.ports.repositories.Cases` in SQL, for both stores."""

    async def add_case(self, new: NewCase) -> Case:
        for _ in range(50):
            code = new_case_code(prefix=DRILL_PREFIX if new.drill else CODE_PREFIX)
            case_id = await self._insert_unless_taken(
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
                "code",
            )
            if case_id is None:
                continue  # code already taken: draw again
            # The case as get_case would read it back, without the trip there and back.
            created = from_ts(_ts(new.created_at))
            return Case(
                id=case_id,
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
        real = f"code NOT LIKE '{DRILL_PREFIX}%'"  # a drill case is never listed or counted
        if states is None:
            rows = await self._all(f"SELECT {_CASE_COLUMNS} FROM cases WHERE {real} ORDER BY id")
        else:
            marks = ",".join("?" for _ in states)
            rows = await self._all(
                f"SELECT {_CASE_COLUMNS} FROM cases WHERE state IN ({marks}) AND {real}"
                " ORDER BY id",
                tuple(s.value for s in states),
            )
        return [self._case(row) for row in rows]

    async def cases_for_reporter(self, reporter_key: str) -> list[Case]:
        rows = await self._all(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE reporter_key = ? ORDER BY id",
            (reporter_key,),
        )
        return [self._case(row) for row in rows]
