"""/summary, /cases, App Home and the daily post read indexes and aggregates now (issue 19), and
show the same things as when they loaded every case and checked each one: the same cases to the
same people, under the same redaction rules, and a drill's case in no view. Over a mixed history
(open, closed and drill cases, several handlers, a second person, a report naming a member, a
reporter who excluded someone, a case about someone on the team), each member's view is compared
with what the whole-history way gives, and a long closed history added afterwards changes no view.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

from support import Harness
from teams import story_team

from bot.domain.model import (
    OPEN_STATES,
    OUTCOMES,
    STATE_FOR_TEAM,
    Case,
    CaseState,
    PlatformUser,
    Report,
    ReportBody,
    Severity,
)
from bot.domain.policy import EscalationPolicy
from bot.domain.team import CONSOLE
from bot.ports.events import Inbound
from bot.ports.records import CaseCount
from bot.ports.store import NewCase
from bot.services import conflicts, rota
from bot.text.team_summary import summary_text
from bot.uow import UnitOfWork

POLICY = EscalationPolicy.from_dict({"steps": [{"notify": ["on_duty"], "wait": 300}]})
ABOVE = POLICY.routed_above_team(("lead",))
MEMBERS = ("alice", "bob", "carol", "lena", "mira", "bram")
CODE = re.compile(r"(?:FS|DR)-[A-Z2-9]{4}")


async def _case(
    h: Harness,
    who: str,
    state: CaseState,
    *,
    severity: Severity = Severity.HIGH,
    handler: str | None = None,
    excluded: tuple[str, ...] = (),
    second: str | None = None,
    policy: EscalationPolicy = POLICY,
    drill: bool = False,
    alert: bool = False,
    age: timedelta = timedelta(minutes=30),
    outcome: str | None = None,
) -> Case:
    created = h.clock.now() - age
    async with h.app.store.transaction() as tx:
        body = ReportBody(account=["what happened"], who=who, excluded=list(excluded))
        report_id = await tx.add_report(Report(None, created, body, None), None)
        case = await tx.add_case(
            NewCase(report_id, severity, "anonymous", list(excluded), policy, None, created, drill)
        )
        case.state = state
        case.assignee = handler
        case.second_person = second
        if handler is not None:
            case.acknowledged_at = created + timedelta(minutes=2)
        if alert:
            case.alert_at = h.clock.now() - timedelta(minutes=3)
        if outcome is not None:
            case.outcome = outcome
            case.review_at = h.clock.now() + timedelta(days=30)
        case.updated_at = created + timedelta(minutes=5)
        await tx.save_case(case)
    return case


async def _mixed_history(h: Harness) -> dict[str, Case]:
    made = {
        "new": await _case(h, "a tall person in a red jacket", CaseState.NEW),
        "names bob": await _case(
            h, "Bob Builder, at the bar", CaseState.ACKNOWLEDGED, handler="alice"
        ),
        "excludes alice": await _case(
            h, "someone", CaseState.INVESTIGATING, handler="bob", excluded=("alice",)
        ),
        "about the board": await _case(
            h, "Bram Board", CaseState.ACKNOWLEDGED, handler="mira", policy=ABOVE
        ),
        "carol second": await _case(
            h, "a speaker", CaseState.REOPENED, handler="bob", second="carol", age=timedelta(days=2)
        ),
        "paged again": await _case(
            h, "a volunteer", CaseState.ACKNOWLEDGED, handler="alice", alert=True
        ),
        "critical": await _case(h, "unknown", CaseState.NEW, severity=Severity.CRITICAL),
        "drill": await _case(h, "nobody", CaseState.NEW, drill=True),
        "resolved": await _case(h, "a guest", CaseState.RESOLVED, handler="lena"),
    }
    made["closed"] = await _closed(h, 6)
    return made


async def _closed(h: Harness, count: int) -> Case:
    last = None
    for n in range(count):
        last = await _case(
            h,
            ["Alice Example", "Bob Builder", "a stranger"][n % 3],
            CaseState.CLOSED,
            severity=list(Severity)[n % len(Severity)],
            handler=["alice", "bob", "mira"][n % 3],
            age=timedelta(days=400 + n),
            outcome=OUTCOMES[n % len(OUTCOMES)],
            drill=n % 5 == 4,
        )
    assert last is not None
    return last


async def _reply(h: Harness, who: str, text: str = "", *, home: bool = False) -> str:
    event = Inbound(
        sender=PlatformUser(CONSOLE, who, who.title()),
        chat_id=who,
        private=True,
        text=text,
        home=home,
    )
    await h.app.handle(event)
    await h.app.flush()
    return h.last_text(who)


async def _views(h: Harness) -> dict[tuple[str, str], str]:
    shown = {}
    for who in MEMBERS:
        shown[who, "/summary"] = await _reply(h, who, "/summary")
        shown[who, "/cases"] = await _reply(h, who, "/cases")
        shown[who, "home"] = await _reply(h, who, home=True)
    async with h.app.store.transaction() as tx:
        uow = UnitOfWork(tx, h.clock.now(), h.app.team, h.app.cipher)
        shown["channel", "daily post"] = (await rota.daily_text(uow)).plain
    return shown


async def _whole_history_way(h: Harness) -> dict[tuple[str, str], object]:
    """What each view showed when it loaded every case and checked each one by itself."""
    expected: dict[tuple[str, str], object] = {}
    async with h.app.store.transaction() as tx:
        uow = UnitOfWork(tx, h.clock.now(), h.app.team, h.app.cipher)
        every = await tx.list_cases()  # never a drill's
        open_cases = [c for c in every if c.state in OPEN_STATES]
        counted = [c for c in open_cases if not c.code.startswith("DR-")]  # drills never count
        counts = [
            CaseCount(state, severity, n)
            for (state, severity), n in Counter((c.state, c.severity) for c in counted).items()
        ]
        waiting = [c for c in open_cases if c.awaiting_ack]
        summary = summary_text(counts, waiting, h.app.team, uow.now, await rota.on_duty(uow)).plain
        for who in MEMBERS:
            member = h.app.team.member(who)
            assert member is not None
            seen = set()
            for case in open_cases:
                report = await tx.get_report(case.report_id)
                if await conflicts.may_see(uow, case, report.body, member):
                    seen.add(case.code)
            expected[who, "/summary"] = summary
            expected[who, "/cases"] = seen
            expected[who, "home"] = {c.code for c in open_cases if c.assignee == who}
        by_state = Counter(STATE_FOR_TEAM[c.state] for c in counted)
        expected["channel", "open line"] = ", ".join(
            f"{n} {s}" for s, n in sorted(by_state.items())
        )
    return expected


def _codes(text: str) -> set[str]:
    return set(CODE.findall(text))


async def test_each_view_shows_what_the_whole_history_showed_and_closed_cases_change_nothing(
    tmp_path: Path,
) -> None:
    h = await Harness(tmp_path / "views.db", story_team()).start()
    try:
        made = await _mixed_history(h)
        shown = await _views(h)
        expected = await _whole_history_way(h)
        for who in MEMBERS:
            assert shown[who, "/summary"] == expected[who, "/summary"], who
            assert _codes(shown[who, "/cases"]) == expected[who, "/cases"], who
            assert _codes(shown[who, "home"]) == expected[who, "home"], who
        daily = shown["channel", "daily post"]
        assert f"Open cases: {expected['channel', 'open line']}" in daily

        code = {name: case.code for name, case in made.items()}
        # The rules themselves, so that the comparison above cannot agree on a wrong answer.
        assert code["names bob"] not in shown["bob", "/cases"]
        assert code["names bob"] in shown["alice", "/cases"]
        assert code["excludes alice"] not in shown["alice", "/cases"]
        assert code["about the board"] not in shown["alice", "/cases"]
        assert code["about the board"] in shown["lena", "/cases"]
        assert _codes(shown["carol", "/cases"]) == {code["carol second"]}
        assert code["drill"] not in " ".join(shown.values())  # a drill is in no view
        assert code["closed"] not in " ".join(shown.values())
        assert "Open cases: 7 (" in shown["lena", "/summary"]  # 8 open, the drill not counted
        assert _codes(shown["lena", "/summary"]) == {
            code["new"],
            code["critical"],
            code["paged again"],
        }
        assert _codes(shown["bob", "home"]) == {code["excludes alice"], code["carol second"]}

        await _closed(h, 40)  # years of closed history, drills among them
        assert await _views(h) == shown
    finally:
        await h.stop()
