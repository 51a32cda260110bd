"""What people reported (see :class:`bot.ports.repositories.Reports`).

Mixed into :class:`storage.sqlite.tx.SqliteTx` and :class:`storage.postgres.tx.PgTx`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.model import PlatformUser, Report, ReportBody
from storage.sqlite.statements import Statements, from_ts
from storage.sqlite.statements import ts as _ts

_IDS_PER_READ = 500  # ids bound in one statement (SQLite allows 32,766; a few dozen is usual)


class SqliteReports(Statements):
    """:class:`bot.ports.repositories.Reports` in SQL, for both stores."""

    async def add_report(self, report: Report, reporter_key: str | None) -> int:
        reporter_enc = None
        if report.reporter is not None:
            reporter_enc = self._cipher.encrypt_json(
                [report.reporter.platform, report.reporter.user_id, report.reporter.display_name],
                "reporter",
            )
        new_id = await self._insert_id(
            "INSERT INTO reports (created_at, reporter_key, reporter_enc, body_enc)"
            " VALUES (?, ?, ?, ?)",
            (
                _ts(report.created_at),
                reporter_key,
                reporter_enc,
                self._cipher.encrypt_json(report.body.to_dict(), "report"),
            ),
        )
        return new_id

    async def get_report(self, report_id: int) -> Report:
        row = await self._one(
            "SELECT id, created_at, reporter_enc, body_enc FROM reports WHERE id = ?",
            (report_id,),
        )
        if row is None:
            raise LookupError(f"no report {report_id}")
        return self._report(row)

    async def get_reports(self, report_ids: Sequence[int]) -> dict[int, Report]:
        wanted = sorted(set(report_ids))
        found: dict[int, Report] = {}
        for start in range(0, len(wanted), _IDS_PER_READ):
            part = wanted[start : start + _IDS_PER_READ]
            rows = await self._all(
                "SELECT id, created_at, reporter_enc, body_enc FROM reports"
                f" WHERE id IN ({','.join('?' for _ in part)})",
                tuple(part),
            )
            found.update((row[0], self._report(row)) for row in rows)
        missing = set(wanted) - found.keys()
        if missing:
            raise LookupError(f"no report {min(missing)}")
        return found

    def _report(self, row: Sequence[Any]) -> Report:
        """A ``reports`` row (id, created_at, reporter_enc, body_enc), decrypted."""
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
