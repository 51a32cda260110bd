"""Contract: drills and test pages (Drills), and what a drill case is to the other repositories:
never listed (Cases.list_cases), its pages after a real case's (Outbox.due_outbox)."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.model import CaseState, Report, ReportBody, Severity
from bot.ports.store import NewCase, Store, Tx
from contract.making import NOW, POLICY, message, minutes, open_case


async def open_drill_case(tx: Tx) -> int:
    report_id = await tx.add_report(Report(None, NOW, ReportBody(source="drill"), None), None)
    new = NewCase(report_id, Severity.MEDIUM, "anonymous", [], POLICY, None, NOW, drill=True)
    case = await tx.add_case(new)
    assert case.code.startswith("DR-") and case.is_drill
    return case.id


async def test_a_drill_case_has_a_dr_code_is_found_by_it_and_is_never_listed(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        real = await open_case(tx)
        drill_id = await open_drill_case(tx)
    async with store.transaction() as tx:
        drill = await tx.get_case(drill_id)
        assert drill is not None and drill.code.startswith("DR-")
        assert await tx.find_case(drill.code) == drill
        assert real.code.startswith("FS-") and not real.is_drill
        assert [c.id for c in await tx.list_cases()] == [real.id]
        assert [c.id for c in await tx.list_cases([CaseState.NEW])] == [real.id]


async def test_a_real_cases_page_is_due_before_a_drills_written_earlier(store: Store) -> None:
    async with store.transaction() as tx:
        drill_id = await open_drill_case(tx)
        real = await open_case(tx)
        reply = await tx.enqueue(message("r"), purpose="reply", case_id=None, now=NOW)
        drill_page = await tx.enqueue(message("d"), purpose="page", case_id=drill_id, now=NOW)
        real_page = await tx.enqueue(message("p"), purpose="page", case_id=real.id, now=NOW)
    async with store.transaction() as tx:
        due = [row.id for row in await tx.due_outbox(NOW, 10, channel=False)]
    assert due == [real_page, drill_page, reply]


async def test_a_drill_runs_until_it_is_ended_once(store: Store) -> None:
    async with store.transaction() as tx:
        case_id = await open_drill_case(tx)
        drill = await tx.add_drill(case_id, "lena", "2", NOW, NOW + minutes(30))
    async with store.transaction() as tx:
        assert await tx.running_drills() == [drill]
        assert await tx.drill_for_case(case_id) == drill
        assert await tx.drill_for_case(case_id + 1) is None
        assert (drill.started_by, drill.story, drill.ends_at) == ("lena", "2", NOW + minutes(30))
        assert await tx.end_drill(drill.id, NOW + minutes(5))
        assert not await tx.end_drill(drill.id, NOW + minutes(6))
    async with store.transaction() as tx:
        assert await tx.running_drills() == []
        assert await tx.drill_for_case(case_id) == replace(drill, ended_at=NOW + minutes(5))


async def test_a_test_page_records_its_delivery_and_acknowledgement_once(store: Store) -> None:
    async with store.transaction() as tx:
        page = await tx.add_test_page("lena", "bob", NOW)
    async with store.transaction() as tx:
        assert await tx.test_page(page.id) == page
        assert await tx.test_page(page.id + 1) is None
        assert await tx.test_page_delivered(page.id, NOW + minutes(0.01))
        assert not await tx.test_page_delivered(page.id, NOW + minutes(1))
        assert await tx.test_page_acknowledged(page.id, NOW + minutes(2))
        assert not await tx.test_page_acknowledged(page.id, NOW + minutes(3))
    async with store.transaction() as tx:
        assert await tx.test_page(page.id) == replace(
            page, delivered_at=NOW + minutes(0.01), acknowledged_at=NOW + minutes(2)
        )
