"""The transparency report over a generated history of 1,000 cases in a real SQLite file.

Every figure in the Markdown is checked against a value computed here, independently, from the
generated data (``statistics`` for medians and percentiles, ``zoneinfo`` for the day bounds).
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from support import START

from bot.config.demo import demo_team_text
from bot.domain.model import OUTCOMES, CaseState, Report, ReportBody, Severity
from bot.domain.policy import EscalationPolicy
from bot.main.cli import main
from bot.ports.records import CaseFigures
from bot.ports.store import NewCase
from bot.runtime.crypto import Cipher, generate_key
from bot.services import retention
from bot.services.stats import compute, render_markdown
from storage.sqlite.store import SqliteStore

TZ = ZoneInfo("Europe/Vienna")
FIRST, LAST = date(2027, 8, 1), date(2027, 8, 31)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

NO_STEPS = EscalationPolicy(steps=())


@dataclass
class Generated:
    code: str
    created: datetime
    acked: datetime | None
    outcome: str | None  # None: still open, or closed before outcomes were recorded
    is_open: bool


def _moments(rng: random.Random) -> list[datetime]:
    """1,000 creation times from mid-July to mid-September, with the period's edges in them."""
    edges = [
        datetime(2027, 8, 1, 0, 0, tzinfo=TZ),  # first instant: in
        datetime(2027, 7, 31, 23, 59, 59, tzinfo=TZ),  # a second before: out
        datetime(2027, 8, 31, 23, 59, 59, tzinfo=TZ),  # last second: in
        datetime(2027, 9, 1, 0, 0, tzinfo=TZ),  # next day: out
    ]
    start = datetime(2027, 7, 15, tzinfo=UTC).timestamp()
    end = datetime(2027, 9, 15, tzinfo=UTC).timestamp()
    spread = [
        datetime.fromtimestamp(rng.uniform(start, end), UTC).replace(microsecond=0)
        for _ in range(1000 - len(edges))
    ]
    return [m.astimezone(UTC) for m in edges] + spread


async def _generate(path: Path, key: str) -> list[Generated]:
    rng = random.Random(20270801)
    store = SqliteStore(path, Cipher(key))
    await store.open()
    made: list[Generated] = []
    async with store.transaction() as tx:
        for created in _moments(rng):
            body = ReportBody(account=[f"generated account {rng.random()}"])
            report_id = await tx.add_report(Report(None, created, body, None), None)
            case = await tx.add_case(
                NewCase(report_id, Severity.MEDIUM, "anonymous", [], NO_STEPS, None, created)
            )
            roll = rng.random()
            acked = None
            if roll >= 0.1:  # 10% were never acknowledged: still new
                acked = created + timedelta(seconds=round(rng.expovariate(1 / 420)) + 5)
                case.acknowledged_at = acked
                case.assignee = "alice"
            outcome = None
            if acked is None:
                case.state = CaseState.NEW
            elif roll < 0.25:
                case.state = rng.choice([CaseState.ACKNOWLEDGED, CaseState.INVESTIGATING])
            elif roll < 0.27:
                case.state = CaseState.CLOSED  # closed before outcomes were recorded
            else:
                outcome = rng.choice(OUTCOMES)
                case.state = rng.choice([CaseState.RESOLVED, CaseState.CLOSED])
                case.outcome = outcome
                if case.state == CaseState.CLOSED and rng.random() < 0.5:
                    case.review_at = created + timedelta(days=1)  # purged below
            await tx.save_case(case)
            made.append(Generated(case.code, created, acked, outcome, case.is_open))
        purged = await retention.purge_due(tx, datetime(2027, 12, 1, tzinfo=UTC))
    await store.close()
    assert purged > 150  # a good share of the history is purged, and must still count
    return made


def _seconds(text: str) -> float:
    match = re.fullmatch(r"(?:(\d+)d )?(?:(\d+)h )?(?:(\d+)m )?(\d+)s", text.strip())
    assert match is not None, text
    d, h, m, s = (int(g or 0) for g in match.groups())
    return d * 86400 + h * 3600 + m * 60 + s


def _row(markdown: str, label: str) -> list[str]:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in\n{markdown}")


def _close(shown: str, expected: float) -> bool:
    return abs(_seconds(shown) - expected) <= 0.5


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    text = demo_team_text(START).replace('timezone = "UTC"', 'timezone = "Europe/Vienna"')
    path = tmp_path / "team.toml"
    path.write_text(text)
    return path


def test_stats_over_a_generated_history(
    tmp_path: Path, team_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "history.db"
    made = asyncio.run(_generate(db, generate_key()))
    monkeypatch.chdir(tmp_path)
    env = {"FSB_DATABASE": f"sqlite:///{db}", "FSB_TEAM_FILE": str(team_file)}
    result = CliRunner().invoke(
        main,
        ["stats", "--from", "2027-08-01", "--to", "2027-08-31", "--by", "week", "--min-count", "1"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    md = result.stdout

    # expected figures, from the generated data
    lo = datetime(2027, 8, 1, tzinfo=TZ)
    hi = datetime(2027, 9, 1, tzinfo=TZ)
    inside = [g for g in made if lo <= g.created < hi]
    assert 400 < len(inside) < 600
    waits = [(g.acked - g.created).total_seconds() for g in inside if g.acked]
    outcomes = Counter(g.outcome for g in inside if not g.is_open and g.outcome)

    assert f"**Reports received:** {len(inside)}" in md
    for outcome in OUTCOMES:
        assert _row(md, outcome.replace("_", " ")) == [str(outcomes[outcome])]
    assert _row(md, "still open") == [str(sum(g.is_open for g in inside))]
    legacy = sum(1 for g in inside if not g.is_open and g.outcome is None)
    assert legacy > 0
    assert _row(md, "closed, no outcome recorded") == [str(legacy)]
    assert _row(md, "acknowledged") == [f"{len(waits)} of {len(inside)}"]
    assert _close(_row(md, "median")[0], statistics.median(waits))
    p90 = statistics.quantiles(waits, n=10, method="inclusive")[8]
    assert _close(_row(md, "90th percentile")[0], p90)

    weeks: dict[str, list[Generated]] = {}
    day = FIRST
    while day <= LAST:
        year, week, _ = day.isocalendar()
        weeks.setdefault(f"{year}-W{week:02d}", [])
        day += timedelta(days=1)
    for g in inside:
        year, week, _ = g.created.astimezone(TZ).date().isocalendar()
        weeks[f"{year}-W{week:02d}"].append(g)
    assert list(weeks) == ["2027-W30", "2027-W31", "2027-W32", "2027-W33", "2027-W34", "2027-W35"]
    for label, group in weeks.items():
        received, acknowledged, median = _row(md, label)
        week_waits = [(g.acked - g.created).total_seconds() for g in group if g.acked]
        assert (int(received), int(acknowledged)) == (len(group), len(week_waits))
        assert _close(median, statistics.median(week_waits))

    # anonymous: no case code, nothing anybody wrote
    assert not re.search(r"FS-[A-Z2-9]{4}", md)
    assert not any(g.code in md for g in made)
    assert "generated account" not in md and "alice" not in md.lower()

    chart = tmp_path / "fsbot-stats-2027-08-01-2027-08-31.png"
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
    assert f"Chart written to {Path('fsbot-stats-2027-08-01-2027-08-31.png')}" in result.stderr


def test_stats_png_option_and_bad_dates(tmp_path: Path, team_file: Path) -> None:
    db = tmp_path / "empty.db"
    store = SqliteStore(db, Cipher(generate_key()))
    asyncio.run(store.open())
    asyncio.run(store.close())
    env = {"FSB_DATABASE": f"sqlite:///{db}", "FSB_TEAM_FILE": str(team_file)}
    chart = tmp_path / "charts" / "august.png"
    result = CliRunner().invoke(
        main,
        [
            "stats",
            "--from",
            "2027-08-01",
            "--to",
            "2027-08-14",
            "--png",
            str(chart),
            "--by",
            "week",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "**Reports received:** 0" in result.stdout
    assert _row(result.stdout, "median") == ["–"]
    assert _row(result.stdout, "2027-W32") == ["0", "0", "–"]  # empty weeks still show
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
    # an existing file is never overwritten unless asked: nothing printed, nothing written
    chart.write_bytes(b"my own picture")
    again = ["stats", "--from", "2027-08-01", "--to", "2027-08-14", "--png", str(chart)]
    refused = CliRunner().invoke(main, again, env=env)
    assert refused.exit_code != 0
    assert f"{chart} exists, so nothing was written. Use --force" in refused.output
    assert "Reports received" not in refused.output
    assert chart.read_bytes() == b"my own picture"
    forced = CliRunner().invoke(main, [*again, "--force"], env=env)
    assert forced.exit_code == 0, forced.output
    assert chart.read_bytes().startswith(PNG_SIGNATURE)
    backwards = CliRunner().invoke(
        main, ["stats", "--from", "2027-08-14", "--to", "2027-08-01"], env=env
    )
    assert backwards.exit_code != 0
    assert "--to must not be before --from" in backwards.output
    wrong = CliRunner().invoke(main, ["stats", "--from", "14.8.2027", "--to", "x"], env=env)
    assert wrong.exit_code != 0
    assert "YYYY-MM-DD" in wrong.output or "%Y-%m-%d" in wrong.output


def test_percentiles_are_inclusive_and_a_day_is_read_in_the_team_zone() -> None:
    # 23:30 UTC on 31 July is 01:30 on 1 August in Vienna: it counts for August.
    late = datetime(2027, 7, 31, 23, 30, tzinfo=UTC)
    cases = [
        CaseFigures(late, late + timedelta(seconds=s), None, True) for s in (10, 20, 30, 40, 50)
    ]
    report = compute(cases, FIRST, LAST, TZ)
    assert report.received.value == 5 and report.still_open.value == 5
    assert report.median_ack == 30
    assert report.p90_ack == pytest.approx(46)  # between the 4th and 5th value
    assert "| median | 30s |" in render_markdown(report)
    assert compute(cases, date(2027, 7, 1), date(2027, 7, 31), ZoneInfo("UTC")).received.value == 5
    assert compute(cases, date(2027, 7, 1), date(2027, 7, 31), TZ).received.value == 0
