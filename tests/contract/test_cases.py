"""Contract: reports, the cases opened on them, and each case's audit trail (Reports, Cases,
Audit)."""

from __future__ import annotations

import pytest

from bot.domain.model import AuditEntry, CaseState, PlatformUser, Report, ReportBody
from bot.ports.store import Store
from contract.making import NOW, minutes, open_case


async def test_a_report_reads_back_with_its_reporter_and_its_latest_body(store: Store) -> None:
    reporter = PlatformUser("telegram", "42", "Dana")
    async with store.transaction() as tx:
        named = await tx.add_report(Report(None, NOW, ReportBody(account=["a"]), reporter), "k")
        anonymous = await tx.add_report(Report(None, NOW, ReportBody(when="today"), None), None)
        await tx.save_report_body(named, ReportBody(account=["a", "b"], where="venue"))
    async with store.transaction() as tx:
        assert await tx.get_report(named) == Report(
            named, NOW, ReportBody(account=["a", "b"], where="venue"), reporter
        )
        assert await tx.get_report(anonymous) == Report(
            anonymous, NOW, ReportBody(when="today"), None
        )
        with pytest.raises(LookupError):
            await tx.get_report(anonymous + 100)


async def test_reports_read_together_are_the_reports_read_one_by_one(store: Store) -> None:
    reporter = PlatformUser("slack", "U1", "Kim")
    async with store.transaction() as tx:
        ids = [
            await tx.add_report(Report(None, NOW + minutes(n), ReportBody(who=f"p{n}"), who), k)
            for n, (who, k) in enumerate([(reporter, "k1"), (None, None), (reporter, "k2")])
        ]
        await tx.save_report_body(ids[2], ReportBody(who="p2", where="hall"))
        other = await tx.add_report(Report(None, NOW, ReportBody(who="not asked"), None), None)
    async with store.transaction() as tx:
        together = await tx.get_reports([ids[2], ids[0], ids[2], ids[1]])
        assert together == {i: await tx.get_report(i) for i in ids}
        assert together[ids[2]].body == ReportBody(who="p2", where="hall")
        assert other not in together
        assert await tx.get_reports([]) == {}
        with pytest.raises(LookupError):
            await tx.get_reports([ids[0], other + 100])


async def test_cases_have_distinct_codes_and_are_found_by_id_code_state_and_reporter(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        first = await open_case(tx, "dana")
        second = await open_case(tx, "eli")
        third = await open_case(tx, "dana")
    assert len({first.code, second.code, third.code}) == 3
    async with store.transaction() as tx:
        assert await tx.get_case(second.id) == second
        assert await tx.find_case(third.code) == third
        assert await tx.get_case(third.id + 100) is None
        assert await tx.find_case("NOPE") is None
        assert [c.id for c in await tx.cases_for_reporter("dana")] == [first.id, third.id]
        assert [c.id for c in await tx.list_cases()] == [first.id, second.id, third.id]


async def test_a_saved_case_reads_back_as_saved(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        other = await open_case(tx)
    case.state = CaseState.INVESTIGATING
    case.acknowledged_at = NOW + minutes(3)
    case.updated_at = NOW + minutes(5)
    case.esc_step, case.esc_round = 2, 1
    case.recused = ["bob"]
    case.checkin_hours = 24
    async with store.transaction() as tx:
        await tx.save_case(case)
    async with store.transaction() as tx:
        assert await tx.get_case(case.id) == case
        assert [c.id for c in await tx.list_cases([CaseState.INVESTIGATING])] == [case.id]
        assert [c.id for c in await tx.list_cases([CaseState.NEW])] == [other.id]
        assert await tx.list_cases([CaseState.CLOSED]) == []


async def test_a_rolled_back_case_is_not_there(store: Store) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            case = await open_case(tx)
            assert await tx.find_case(case.code) == case
            raise RuntimeError("handler crashed")
    async with store.transaction() as tx:
        assert await tx.find_case(case.code) is None
        assert await tx.list_cases() == []


async def test_the_audit_trail_reads_back_per_case_in_the_order_written(store: Store) -> None:
    async with store.transaction() as tx:
        case = await open_case(tx)
        other = await open_case(tx)
        entries = [
            AuditEntry(case.id, NOW + minutes(5), "member:alice", "acknowledged", {}),
            AuditEntry(other.id, NOW, "system", "opened", {"severity": "high"}),
            # written later, though it says earlier: the trail keeps the order of writing
            AuditEntry(case.id, NOW, "system", "state", {"old": "new", "new": "investigating"}),
        ]
        for entry in entries:
            await tx.add_audit(entry)
    async with store.transaction() as tx:
        assert await tx.audit_for(case.id) == [entries[0], entries[2]]
        assert await tx.audit_for(other.id) == [entries[1]]
