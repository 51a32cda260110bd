"""What the team's views read, from indexes and aggregates (see
:class:`bot.ports.repositories.CaseViews`).

Every query here is plain SQL a PostgreSQL store can run as it is, and each is served by an index
(``migrations/0020_case_views.sql``): open cases by state (a few dozen however long the history),
one member's by handler, changes by ``updated_at``, the report's period by ``created_at``.
Nothing here reads a report, so nothing is decrypted.

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.codes import DRILL_PREFIX
from bot.domain.model import OPEN_STATES, Case, CaseState, Severity
from bot.ports.records import CaseCount, CaseFigures
from storage.sqlite.cases import _CASE_COLUMNS, SqliteCases
from storage.sqlite.statements import ts as _ts

_OPEN = tuple(sorted(s.value for s in OPEN_STATES))
_OPEN_MARKS = ",".join("?" for _ in _OPEN)
_NOT_DRILL = "code NOT LIKE ?"
_DRILL_PATTERN = DRILL_PREFIX + "%"


class SqliteCaseViews(SqliteCases):
    """:class:`bot.ports.repositories.CaseViews` in SQL, for both stores."""

    async def open_case_counts(self) -> list[CaseCount]:
        rows = await self._all(
            f"SELECT state, severity, COUNT(*) FROM cases WHERE state IN ({_OPEN_MARKS})"
            f" AND {_NOT_DRILL} GROUP BY state, severity",
            (*_OPEN, _DRILL_PATTERN),
        )
        return [CaseCount(CaseState(r[0]), Severity(r[1]), r[2]) for r in rows]

    async def open_cases(self, assignee: str | None = None) -> list[Case]:
        if assignee is None:
            rows = await self._all(
                f"SELECT {_CASE_COLUMNS} FROM cases WHERE state IN ({_OPEN_MARKS})"
                f" AND {_NOT_DRILL} ORDER BY id",
                (*_OPEN, _DRILL_PATTERN),
            )
        else:
            rows = await self._all(
                f"SELECT {_CASE_COLUMNS} FROM cases WHERE handler = ?"
                f" AND state IN ({_OPEN_MARKS}) AND {_NOT_DRILL} ORDER BY id",
                (assignee, *_OPEN, _DRILL_PATTERN),
            )
        return [self._case(row) for row in rows]

    async def awaiting_ack_cases(self) -> list[Case]:
        # Two indexed halves (state; the partial index on alert_at) rather than an OR that
        # might scan: new cases, and open ones with a fresh alert out.
        rows = await self._all(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE state = ? AND {_NOT_DRILL}"
            f" UNION SELECT {_CASE_COLUMNS} FROM cases WHERE alert_at IS NOT NULL"
            f" AND state IN ({_OPEN_MARKS}) AND {_NOT_DRILL} ORDER BY id",
            (CaseState.NEW.value, _DRILL_PATTERN, *_OPEN, _DRILL_PATTERN),
        )
        return [self._case(row) for row in rows]

    async def cases_updated_since(self, since: datetime) -> list[Case]:
        rows = await self._all(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE updated_at >= ? AND {_NOT_DRILL} ORDER BY id",
            (_ts(since), _DRILL_PATTERN),
        )
        return [self._case(row) for row in rows]

    async def case_figures(self, start: datetime, end: datetime) -> list[CaseFigures]:
        rows = await self._all(
            "SELECT created_at, acknowledged_at, outcome, state FROM cases"
            f" WHERE created_at >= ? AND created_at < ? AND {_NOT_DRILL}"
            " ORDER BY created_at, id",
            (_ts(start), _ts(end), _DRILL_PATTERN),
        )
        open_values = set(_OPEN)
        utc = datetime.fromtimestamp  # a hundred thousand rows: no wrapper call per time
        return [
            CaseFigures(
                utc(r[0], UTC),
                utc(r[1], UTC) if r[1] is not None else None,
                r[2],
                r[3] in open_values,
            )
            for r in rows
        ]
