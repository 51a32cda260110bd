"""Tasks on a case (see :class:`bot.ports.repositories.Tasks`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.model import Task
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts


class SqliteTasks(Statements):
    """:class:`bot.ports.repositories.Tasks` in SQL, for both stores."""

    async def add_task(
        self, case_id: int, owner: str, created_by: str, due_at: datetime, text: str, now: datetime
    ) -> int:
        new_id = await self._insert_id(
            "INSERT INTO tasks (case_id, owner, created_by, created_at, due_at, text_enc)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, owner, created_by, _ts(now), _ts(due_at), self._cipher.encrypt(text, "task")),
        )
        return new_id

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
