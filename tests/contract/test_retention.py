"""Contract: closed cases past their review date lose what is private (Retention)."""

from __future__ import annotations

from bot.domain.model import AuditEntry, CaseState, PlatformUser, Report, ReportBody
from bot.ports.store import NewCase, Store
from contract.making import NOW, message, minutes, open_case


async def test_only_closed_cases_past_review_are_due_and_a_purge_keeps_counts_not_content(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        template, not_yet, still_open = [await open_case(tx) for _ in range(3)]
    async with store.transaction() as tx:
        report_id = await tx.add_report(
            Report(None, NOW, ReportBody(account=["it was him"]), PlatformUser("telegram", "42")),
            "dana",
        )
        case = await tx.add_case(
            NewCase(report_id, template.severity, "named", ["bob"], template.policy, "dana", NOW)
        )
        for c, review in ((case, NOW), (not_yet, NOW + minutes(60)), (still_open, NOW)):
            c.review_at = review
            c.state = CaseState.CLOSED if c is not still_open else CaseState.RESOLVED
            await tx.save_case(c)
        await tx.add_audit(
            AuditEntry(
                case.id,
                NOW,
                "member:alice",
                "state",
                {"old": "new", "new": "closed", "why": "he left"},
            )
        )
        await tx.enqueue(message("private"), purpose="reply", case_id=case.id, now=NOW)
        await tx.add_task(case.id, "alice", "alice", NOW, "call Dana", NOW)
    async with store.transaction() as tx:
        assert await tx.cases_due_for_purge(NOW) == [case.id]
        await tx.purge_cases([case.id], NOW + minutes(1))
    async with store.transaction() as tx:
        assert await tx.cases_due_for_purge(NOW + minutes(120)) == [not_yet.id]
        purged = await tx.get_case(case.id)
        assert purged is not None
        assert (purged.code, purged.state, purged.severity) == (
            case.code,
            CaseState.CLOSED,
            case.severity,
        )
        assert (purged.purged_at, purged.reporter_key, purged.excluded) == (
            NOW + minutes(1),
            None,
            [],
        )
        assert await tx.cases_for_reporter("dana") == []
        report = await tx.get_report(report_id)
        assert (report.body, report.reporter) == (ReportBody(), None)
        assert await tx.audit_for(case.id) == [
            AuditEntry(case.id, NOW, "member", "state", {"old": "new", "new": "closed"})
        ]
        assert [r.message for r in await tx.outbox_for_case(case.id, ["reply"])] == [None]
        assert [t.text for t in await tx.tasks_for_case(case.id)] == [""]
