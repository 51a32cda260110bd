"""Contract: what the team's views read from indexes and aggregates (CaseViews), and the purge's
batches (Retention). Each answer is checked against the cases themselves, read one by one."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.codes import DRILL_PREFIX
from bot.domain.model import OPEN_STATES, Case, CaseState, Report, ReportBody, Severity
from bot.ports.records import CaseCount, CaseFigures
from bot.ports.store import NewCase, Store, Tx
from contract.making import NOW, POLICY, minutes, open_case


async def _new(
    tx: Tx, key: str | None, severity: Severity, created: datetime, *, drill: bool = False
) -> Case:
    report_id = await tx.add_report(Report(None, created, ReportBody(account=["d"]), None), key)
    return await tx.add_case(
        NewCase(report_id, severity, "anonymous", [], POLICY, key, created, drill=drill)
    )


async def _history(tx: Tx) -> list[Case]:
    """Eight cases in every kind of state, one of them a drill, one with a fresh alert."""
    made = []
    states = [
        CaseState.NEW,
        CaseState.ACKNOWLEDGED,
        CaseState.INVESTIGATING,
        CaseState.REOPENED,
        CaseState.RESOLVED,
        CaseState.CLOSED,
        CaseState.ACKNOWLEDGED,
    ]
    severities = [Severity.HIGH, Severity.HIGH, Severity.LOW, Severity.CRITICAL] * 2
    for n, (state, severity) in enumerate(zip(states, severities, strict=False)):
        case = await _new(tx, f"r{n}", severity, NOW + minutes(n))
        case.state = state
        case.updated_at = NOW + minutes(10 * n)
        if state != CaseState.NEW:
            case.assignee = "alice" if n % 2 else "bob"
            case.acknowledged_at = NOW + minutes(n + 1)
        if n == 6:
            case.alert_at = NOW + minutes(30)  # an acknowledged case paged again
        if state == CaseState.RESOLVED:
            case.outcome = "warning"
        await tx.save_case(case)
        made.append(case)
    made.append(await _new(tx, None, Severity.CRITICAL, NOW + minutes(2), drill=True))
    return made


async def test_counts_are_of_open_cases_by_state_and_severity_without_drills(store: Store) -> None:
    async with store.transaction() as tx:
        made = await _history(tx)
    async with store.transaction() as tx:
        counts = await tx.open_case_counts()
        cases = [await tx.get_case(c.id) for c in made]
    expected: dict[tuple[CaseState, Severity], int] = {}
    for case in cases:
        assert case is not None
        if case.is_open and not case.code.startswith(DRILL_PREFIX):
            key = (case.state, case.severity)
            expected[key] = expected.get(key, 0) + 1
    assert sorted(counts, key=repr) == sorted(
        (CaseCount(s, v, n) for (s, v), n in expected.items()), key=repr
    )
    assert made[-1].code.startswith(DRILL_PREFIX) and made[-1].state == CaseState.NEW


async def test_open_cases_all_or_one_handlers_without_drills(store: Store) -> None:
    async with store.transaction() as tx:
        made = await _history(tx)
    async with store.transaction() as tx:
        every = await tx.open_cases()
        alices = await tx.open_cases(assignee="alice")
        nobodys = await tx.open_cases(assignee="carol")
        full = [await tx.get_case(c.id) for c in made]
    is_open = [
        c
        for c in full
        if c is not None and c.state in OPEN_STATES and not c.code.startswith(DRILL_PREFIX)
    ]
    assert every == is_open  # whole cases, oldest first, never the drill
    assert made[-1].state in OPEN_STATES and made[-1].id not in [c.id for c in every]
    assert alices == [c for c in is_open if c.assignee == "alice"] and alices
    assert nobodys == []


async def test_awaiting_acknowledgement_is_new_cases_and_open_ones_alerted_again(
    store: Store,
) -> None:
    async with store.transaction() as tx:
        made = await _history(tx)
        closed = made[5]
        closed.alert_at = NOW  # a stale alert on a closed case is not waiting for anyone
        await tx.save_case(closed)
    async with store.transaction() as tx:
        waiting = await tx.awaiting_ack_cases()
        full = [await tx.get_case(c.id) for c in made]
    assert waiting == [
        c for c in full if c is not None and c.awaiting_ack and not c.code.startswith(DRILL_PREFIX)
    ]
    assert made[-1].awaiting_ack  # the drill waits too, but is never listed
    assert [c.state for c in waiting] == [CaseState.NEW, CaseState.ACKNOWLEDGED]


async def test_cases_updated_since_a_moment_include_that_moment(store: Store) -> None:
    async with store.transaction() as tx:
        made = await _history(tx)
    async with store.transaction() as tx:
        since = await tx.cases_updated_since(NOW + minutes(30))
        nothing = await tx.cases_updated_since(NOW + timedelta(days=1))
    assert [c.id for c in since] == [
        c.id
        for c in made
        if c.updated_at >= NOW + minutes(30) and not c.code.startswith(DRILL_PREFIX)
    ]
    assert len(since) == 4 and nothing == []  # the one updated at that very moment too


async def test_figures_are_times_and_outcomes_of_a_period_without_drills(store: Store) -> None:
    async with store.transaction() as tx:
        made = await _history(tx)
    async with store.transaction() as tx:
        figures = await tx.case_figures(NOW + minutes(1), NOW + minutes(5))
        everything = await tx.case_figures(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert figures == [
        CaseFigures(c.created_at, c.acknowledged_at, c.outcome, c.is_open) for c in made[1:5]
    ]
    assert len(everything) == len(made) - 1  # the drill never counts
    assert CaseFigures(made[4].created_at, made[4].acknowledged_at, "warning", False) in figures


async def test_the_purge_is_offered_in_batches_earliest_first(store: Store) -> None:
    async with store.transaction() as tx:
        due = []
        for n in range(5):
            case = await open_case(tx, f"p{n}")
            case.state = CaseState.CLOSED
            case.review_at = NOW - minutes(10 - n)
            await tx.save_case(case)
            due.append(case.id)
    async with store.transaction() as tx:
        assert await tx.cases_due_for_purge(NOW, limit=2) == due[:2]
        await tx.purge_cases(due[:2], NOW)
    async with store.transaction() as tx:
        assert await tx.cases_due_for_purge(NOW, limit=2) == due[2:4]
        assert await tx.cases_due_for_purge(NOW) == due[2:]
