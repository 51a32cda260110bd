"""Drills and test pages (see :class:`bot.ports.repositories.Drills`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.ports.records import DrillRecord, TestPageRecord
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts

_DRILL_COLUMNS = "id, case_id, started_by, story, started_at, ends_at, ended_at"
_PAGE_COLUMNS = "id, asked_by, paged, created_at, delivered_at, acknowledged_at"


def _maybe(value: float | None) -> datetime | None:
    return from_ts(value) if value is not None else None


class SqliteDrills(Statements):
    """:class:`bot.ports.repositories.Drills` on SQLite (each method is documented there)."""

    async def add_drill(
        self, case_id: int, started_by: str, story: str, started_at: datetime, ends_at: datetime
    ) -> DrillRecord:
        new_id = await self._insert_id(
            "INSERT INTO drills (case_id, started_by, story, started_at, ends_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, started_by, story, _ts(started_at), _ts(ends_at)),
        )
        return DrillRecord(
            new_id,
            case_id,
            started_by,
            story,
            from_ts(_ts(started_at)),
            from_ts(_ts(ends_at)),
        )

    def _drill(self, row: Any) -> DrillRecord:
        return DrillRecord(
            row[0], row[1], row[2], row[3], from_ts(row[4]), from_ts(row[5]), _maybe(row[6])
        )

    async def running_drills(self) -> list[DrillRecord]:
        rows = await self._all(
            f"SELECT {_DRILL_COLUMNS} FROM drills WHERE ended_at IS NULL ORDER BY id"
        )
        return [self._drill(row) for row in rows]

    async def drill_for_case(self, case_id: int) -> DrillRecord | None:
        row = await self._one(f"SELECT {_DRILL_COLUMNS} FROM drills WHERE case_id = ?", (case_id,))
        return self._drill(row) if row else None

    async def end_drill(self, drill_id: int, now: datetime) -> bool:
        cursor = await self._now(
            "UPDATE drills SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
            (_ts(now), drill_id),
        )
        return cursor.rowcount == 1

    async def add_test_page(self, asked_by: str, paged: str, now: datetime) -> TestPageRecord:
        new_id = await self._insert_id(
            "INSERT INTO test_pages (asked_by, paged, created_at) VALUES (?, ?, ?)",
            (asked_by, paged, _ts(now)),
        )
        return TestPageRecord(new_id, asked_by, paged, from_ts(_ts(now)))

    def _page(self, row: Any) -> TestPageRecord:
        return TestPageRecord(
            row[0], row[1], row[2], from_ts(row[3]), _maybe(row[4]), _maybe(row[5])
        )

    async def test_page(self, test_page_id: int) -> TestPageRecord | None:
        row = await self._one(
            f"SELECT {_PAGE_COLUMNS} FROM test_pages WHERE id = ?", (test_page_id,)
        )
        return self._page(row) if row else None

    async def test_page_delivered(self, test_page_id: int, at: datetime) -> bool:
        cursor = await self._now(
            "UPDATE test_pages SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
            (_ts(at), test_page_id),
        )
        return cursor.rowcount == 1

    async def test_page_acknowledged(self, test_page_id: int, at: datetime) -> bool:
        cursor = await self._now(
            "UPDATE test_pages SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
            (_ts(at), test_page_id),
        )
        return cursor.rowcount == 1
