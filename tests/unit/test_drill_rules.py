"""Drill rules that need no bot: codes, who may, and the debrief's figures from an audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from teams import STORIES

from bot.config.teamfile import parse_team_text
from bot.domain import rights
from bot.domain.codes import DRILL_PREFIX, is_drill_code, new_case_code, normalise_case_code
from bot.domain.drills import DrillEnd, PagedStep, Skip, debrief
from bot.domain.model import AuditEntry

T0 = datetime(2027, 8, 11, 10, 0, tzinfo=UTC)


def at(seconds: float, actor: str, kind: str, **detail: object) -> AuditEntry:
    return AuditEntry(1, T0 + timedelta(seconds=seconds), actor, kind, dict(detail))


def test_drill_codes_are_their_own_kind() -> None:
    code = new_case_code(prefix=DRILL_PREFIX)
    assert code.startswith("DR-") and len(code) == 7 and is_drill_code(code)
    assert not is_drill_code(new_case_code())
    assert normalise_case_code("dr-ab2c") == "DR-AB2C"
    assert normalise_case_code("DR AB2C") == "DR-AB2C"
    assert normalise_case_code("drab") == "FS-DRAB"  # a real code that starts with DR


def test_who_may_drill_and_test_page() -> None:
    team = parse_team_text(STORIES, "stories.toml")
    lena, alice, carol = (team.member(i) for i in ("lena", "alice", "carol"))
    assert lena and alice and carol
    assert rights.may_run_drill(lena) and not rights.may_run_drill(alice)
    assert rights.may_test_page(alice, alice) and rights.may_test_page(lena, alice)
    assert not rights.may_test_page(alice, lena) and not rights.may_test_page(carol, carol)


def test_the_debrief_counts_pages_by_step_skips_and_answers() -> None:
    entries = [
        at(0, "member:lena", "opened", severity="medium"),
        at(0, "system", "paged", member="alice", fence=0),
        at(0, "system", "step_paged", step=0, round=0, reached=1),
        at(300, "system", "wait_expired", step=0, round=0),
        at(300, "system", "page_skipped", member="bob", reason="unreachable"),
        at(300, "system", "step_skipped", step=1, reason="nobody on this step could be paged"),
        at(300, "system", "paged", member="lena", fence=2),
        at(300, "system", "external_notified", external="foundation"),
        at(410, "member:lena", "acknowledged"),
        at(500, "member:lena", "state_changed", old="acknowledged", new="resolved"),
    ]
    figures = debrief(
        entries,
        steps=3,
        started_at=T0,
        ended_at=T0 + timedelta(seconds=500),
        ended=DrillEnd.RESOLVED,
        undelivered=["bob"],
    )
    assert figures.steps == (
        PagedStep(T0, 0, 0, ("alice",)),
        PagedStep(T0 + timedelta(seconds=300), 2, 0, ("lena",), ("foundation",)),
    )
    assert figures.acknowledged_by == "lena"
    assert figures.acknowledged_after == timedelta(seconds=410)
    assert figures.resolved_after == timedelta(seconds=500)
    assert figures.skipped == (Skip(T0 + timedelta(seconds=300), "bob", "unreachable"),)
    assert figures.skipped_steps == ((1, "nobody on this step could be paged"),)
    assert figures.undelivered == ("bob",) and not figures.exhausted


def test_a_drill_nobody_answered_says_so() -> None:
    entries = [
        at(0, "system", "paged", member="alice", fence=0),
        at(300, "system", "paged", member="alice", fence=3),  # the second round's first step
        at(400, "system", "chain_exhausted"),
    ]
    figures = debrief(
        entries,
        steps=3,
        started_at=T0,
        ended_at=T0 + timedelta(minutes=30),
        ended=DrillEnd.TIME_LIMIT,
    )
    assert [(p.step, p.round) for p in figures.steps] == [(0, 0), (0, 1)]
    assert figures.acknowledged_by is None and figures.exhausted
