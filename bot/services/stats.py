"""The anonymous transparency report: counts and durations, never a name, a code or a word.

For a closing ceremony or a post-event report a team wants to say how many reports came in, how
they ended and how fast someone picked them up. Everything here works on :class:`CaseFigures`,
which holds only times, an outcome name and whether the case is still open, so the report
*cannot* show anything else. Purged cases keep exactly these, so they still count.

Percentiles interpolate linearly between the nearest ranks (the "inclusive" method of
:func:`statistics.quantiles`, the usual spreadsheet ``PERCENTILE``), so 90% of the cases were
acknowledged within the 90th percentile or less.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.model import OUTCOMES, Case


@dataclass(frozen=True)
class CaseFigures:
    """What the report may know about one case."""

    created_at: datetime
    acknowledged_at: datetime | None
    outcome: str | None
    is_open: bool

    @classmethod
    def of(cls, case: Case) -> CaseFigures:
        return cls(case.created_at, case.acknowledged_at, case.outcome, case.is_open)


@dataclass(frozen=True)
class Week:
    label: str  # ISO week, "2027-W32"
    received: int
    acknowledged: int
    median_ack: float | None  # seconds


@dataclass(frozen=True)
class Transparency:
    team: str
    timezone: str
    first: date
    last: date
    received: int
    outcomes: dict[str, int]  # every outcome, in the order of OUTCOMES, zeros included
    still_open: int
    no_outcome: int  # closed before outcomes were recorded
    acknowledged: int
    median_ack: float | None
    p90_ack: float | None
    weeks: list[Week]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks; ``values`` need not be sorted."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5) if values else None


def _week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)
"""The days a report may cover: a bot's cases all lie between, and past the year 9999 a day's end
cannot even be computed."""
MAX_DAYS = 3653
"""The longest period, ten years: a week a row, and a chart that can still be read."""


def period_problem(first: date, last: date) -> str | None:
    """Why ``first`` to ``last`` cannot be reported on, in words for the command line; or None."""
    for name, day in (("--from", first), ("--to", last)):
        if not EARLIEST <= day <= LATEST:
            return (
                f"{name} {day.isoformat()} is out of range; give days from"
                f" {EARLIEST.isoformat()} to {LATEST.isoformat()}."
            )
    if last < first:
        return "--to must not be before --from."
    if (last - first).days >= MAX_DAYS:
        return "The period is longer than 10 years; report on it in parts."
    return None


def compute(
    cases: Iterable[CaseFigures], first: date, last: date, tz: ZoneInfo, team: str = ""
) -> Transparency:
    """The figures for cases received from ``first`` to ``last`` inclusive, days in ``tz``.

    Raises:
        ValueError: for a period :func:`period_problem` refuses.
    """
    problem = period_problem(first, last)
    if problem is not None:
        raise ValueError(problem)
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    chosen = [c for c in cases if start <= c.created_at < end]
    outcomes = dict.fromkeys(OUTCOMES, 0)
    still_open = no_outcome = 0
    for case in chosen:
        if case.is_open:
            still_open += 1
        elif case.outcome in outcomes:
            outcomes[case.outcome] += 1
        else:
            no_outcome += 1
    waits = [_wait(c) for c in chosen if c.acknowledged_at is not None]
    by_week: dict[str, list[CaseFigures]] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        by_week[_week_label(monday)] = []
        monday += timedelta(days=7)
    for case in chosen:
        by_week[_week_label(case.created_at.astimezone(tz).date())].append(case)
    weeks = []
    for label, group in by_week.items():
        week_waits = [_wait(c) for c in group if c.acknowledged_at is not None]
        weeks.append(Week(label, len(group), len(week_waits), _median(week_waits)))
    return Transparency(
        team=team,
        timezone=tz.key,
        first=first,
        last=last,
        received=len(chosen),
        outcomes=outcomes,
        still_open=still_open,
        no_outcome=no_outcome,
        acknowledged=len(waits),
        median_ack=_median(waits),
        p90_ack=percentile(waits, 0.9) if waits else None,
        weeks=weeks,
    )


def _wait(case: CaseFigures) -> float:
    assert case.acknowledged_at is not None
    return (case.acknowledged_at - case.created_at).total_seconds()


def duration_text(seconds: float | None) -> str:
    """``"45s"``, ``"4m 05s"``, ``"1h 02m 05s"``, ``"2d 01h 00m 00s"``; a dash for none."""
    if seconds is None:
        return "–"
    total = round(seconds)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h {minutes:02d}m {secs:02d}s"
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def outcome_words(outcome: str) -> str:
    return outcome.replace("_", " ")


def render_markdown(report: Transparency) -> str:
    title = f"Transparency report, {report.first.isoformat()} to {report.last.isoformat()}"
    lines = [
        f"# {report.team}: {title}" if report.team else f"# {title}",
        "",
        f"Days and weeks are in {report.timezone}. Only counts and durations: no names, case"
        " codes or accounts.",
        "",
        f"**Reports received:** {report.received}",
        "",
        "## Outcomes",
        "",
        "| outcome | cases |",
        "| --- | ---: |",
        *(f"| {outcome_words(o)} | {n} |" for o, n in report.outcomes.items()),
        f"| still open | {report.still_open} |",
    ]
    if report.no_outcome:
        lines.append(f"| closed, no outcome recorded | {report.no_outcome} |")
    lines += [
        "",
        "## Time to acknowledgement",
        "",
        "| | |",
        "| --- | ---: |",
        f"| acknowledged | {report.acknowledged} of {report.received} |",
        f"| median | {duration_text(report.median_ack)} |",
        f"| 90th percentile | {duration_text(report.p90_ack)} |",
        "",
        "## By week",
        "",
        "Cases count in the ISO week they were received (only days inside the period).",
        "",
        "| week | received | acknowledged | median time to acknowledgement |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {w.label} | {w.received} | {w.acknowledged} | {duration_text(w.median_ack)} |"
            for w in report.weeks
        ),
        "",
    ]
    return "\n".join(lines)


def write_png(report: Transparency, path: Path) -> None:
    """Two panels: reports received and acknowledged by week, and outcomes.

    matplotlib is imported here, with the Agg backend and no pyplot (no global state, no
    display needed), so the running bot never loads it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 7), layout="constrained")
    FigureCanvasAgg(figure)
    weekly, outcomes = figure.subplots(2, 1)
    labels = [w.label for w in report.weeks]
    positions = list(range(len(labels)))
    width = 0.4
    weekly.bar(
        [p - width / 2 for p in positions],
        [w.received for w in report.weeks],
        width,
        label="received",
    )
    weekly.bar(
        [p + width / 2 for p in positions],
        [w.acknowledged for w in report.weeks],
        width,
        label="acknowledged",
    )
    weekly.set_xticks(positions, labels, rotation=45 if len(labels) > 8 else 0)
    weekly.set_ylabel("reports")
    weekly.set_title(f"Reports by week, {report.first.isoformat()} to {report.last.isoformat()}")
    weekly.legend()
    names = [outcome_words(o) for o in report.outcomes] + ["still open"]
    counts = [*report.outcomes.values(), report.still_open]
    if report.no_outcome:
        names.append("closed, no outcome recorded")
        counts.append(report.no_outcome)
    outcomes.barh(names, counts)
    outcomes.invert_yaxis()
    outcomes.set_xlabel("cases")
    outcomes.set_title(
        f"Outcomes of {report.received} reports; median time to acknowledgement "
        f"{duration_text(report.median_ack)}"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
