"""The anonymous transparency report: counts and durations, never a name, a code or a word.

For a closing ceremony or a post-event report a team wants to say how many reports came in, how
they ended and how fast someone picked them up. Everything here works on
:class:`bot.ports.records.CaseFigures`, which holds only times, an outcome name and whether the
case is still open, so the report *cannot* show anything else. Purged cases keep exactly these,
so they still count; a drill's cases never do (the store leaves them out).

Percentiles interpolate linearly between the nearest ranks (the "inclusive" method of
:func:`statistics.quantiles`, the usual spreadsheet ``PERCENTILE``), so 90% of the cases were
acknowledged within the 90th percentile or less.

Small counts are hidden (:mod:`bot.services.stats_hiding` has the rule): a public "event ban: 1"
can identify a person.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import OUTCOMES
from bot.ports.records import CaseFigures
from bot.services.stats_hiding import Shown, any_hidden, publish

GROUPINGS = ("day", "week", "month")
DAYS_BY_DAY = 21
"""A period shorter than this many days (about three weeks: a five-day event) is grouped by day
unless asked otherwise; a longer one by week."""
DEFAULT_MIN_COUNT = 5


@dataclass(frozen=True)
class Bucket:
    """One day, week or month of the period, as published."""

    label: str  # "Tue 10 Aug", "2027-W32" (ISO week) or "2027-08"
    received: Shown
    acknowledged: Shown
    median_ack: float | None  # seconds; None when none, or too few to show


@dataclass(frozen=True)
class Transparency:
    """The published figures; every count is a :class:`Shown` (exact, hidden or a range)."""

    team: str
    timezone: str
    first: date
    last: date
    by: str  # one of GROUPINGS
    min_count: int
    received: Shown
    outcomes: dict[str, Shown]  # every outcome, in the order of OUTCOMES, zeros included
    still_open: Shown
    no_outcome: Shown  # closed before outcomes were recorded
    acknowledged: Shown
    median_ack: float | None
    p90_ack: float | None
    buckets: list[Bucket]

    @property
    def empty(self) -> bool:
        return self.received.value == 0 and not self.received.hidden


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


def default_grouping(first: date, last: date) -> str:
    """``"day"`` for a period shorter than :data:`DAYS_BY_DAY` days, else ``"week"``."""
    return "day" if (last - first).days + 1 < DAYS_BY_DAY else "week"


def period_bounds(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants the period covers: ``first``'s midnight (included) to the midnight after
    ``last`` (excluded), days in ``tz``."""
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    return start, end


def bucket_label(day: date, by: str) -> str:
    """The label of the bucket ``day`` falls in."""
    if by == "day":
        return day.strftime("%a %d %b")
    if by == "month":
        return day.strftime("%Y-%m")
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _labels(first: date, last: date, by: str) -> list[str]:
    """Every bucket of the period in order, empty ones included."""
    labels: dict[str, None] = {}
    day = first
    while day <= last:
        labels[bucket_label(day, by)] = None
        day += timedelta(days=1)
    return list(labels)


def compute(
    cases: Iterable[CaseFigures],
    first: date,
    last: date,
    tz: ZoneInfo,
    team: str = "",
    *,
    by: str | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
) -> Transparency:
    """The published figures for cases received from ``first`` to ``last`` inclusive, days in
    ``tz``, grouped ``by`` day, week or month (default: :func:`default_grouping`), counts under
    ``min_count`` hidden (1 hides nothing).

    Raises:
        ValueError: for a period :func:`period_problem` refuses, an unknown grouping or a
            ``min_count`` under 1.
    """
    problem = period_problem(first, last)
    if problem is not None:
        raise ValueError(problem)
    by = by or default_grouping(first, last)
    if by not in GROUPINGS or min_count < 1:
        raise ValueError(f"cannot group by {by!r} hiding counts under {min_count}")
    start, end = period_bounds(first, last, tz)
    groups: dict[str, list[CaseFigures]] = {label: [] for label in _labels(first, last, by)}
    outcomes, still_open, no_outcome, chosen = _count(cases, start, end, tz, groups, by)
    return _published(
        team, tz, first, last, by, min_count, chosen, outcomes, still_open, no_outcome, groups
    )


def _count(
    cases: Iterable[CaseFigures],
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    groups: dict[str, list[CaseFigures]],
    by: str,
) -> tuple[dict[str, int], int, int, list[CaseFigures]]:
    """One pass over the cases received from ``start`` to ``end``: each goes into its bucket of
    ``groups``; returns the outcome counts, how many are still open, how many closed without an
    outcome, and the cases counted.

    Years of history are 100,000 cases and more (issue 19: under 2 s), so the bounds are compared
    in UTC, the zone the store gives times in (same-zone comparisons need no offset lookups), and a
    bucket is looked up once per local day, not once per case."""
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    outcomes = dict.fromkeys(OUTCOMES, 0)
    still_open = no_outcome = 0
    chosen: list[CaseFigures] = []
    group_of: dict[date, list[CaseFigures]] = {}
    for case in cases:
        if not low <= case.created_at < high:
            continue
        chosen.append(case)
        if case.is_open:
            still_open += 1
        elif case.outcome in outcomes:
            outcomes[case.outcome] += 1
        else:
            no_outcome += 1
        day = case.created_at.astimezone(tz).date()
        group = group_of.get(day)
        if group is None:
            group = group_of[day] = groups[bucket_label(day, by)]
        group.append(case)
    return outcomes, still_open, no_outcome, chosen


def _published(
    team: str,
    tz: ZoneInfo,
    first: date,
    last: date,
    by: str,
    min_count: int,
    chosen: list[CaseFigures],
    outcomes: dict[str, int],
    still_open: int,
    no_outcome: int,
    groups: dict[str, list[CaseFigures]],
) -> Transparency:
    """Hide the small counts and round the rest if anything is hidden
    (:mod:`bot.services.stats_hiding`)."""
    waits_of = {
        label: [_wait(c) for c in group if c.acknowledged_at is not None]
        for label, group in groups.items()
    }
    waits = [w for group_waits in waits_of.values() for w in group_waits]
    cells = [*outcomes.values(), still_open, no_outcome]
    cells += [len(g) for g in groups.values()] + [len(w) for w in waits_of.values()]
    rounding = any_hidden(cells, min_count)

    def shown(count: int) -> Shown:
        return publish(count, min_count, rounding)

    enough = len(waits) >= min_count
    return Transparency(
        team=team,
        timezone=tz.key,
        first=first,
        last=last,
        by=by,
        min_count=min_count,
        received=shown(len(chosen)),
        outcomes={o: shown(n) for o, n in outcomes.items()},
        still_open=shown(still_open),
        no_outcome=shown(no_outcome),
        acknowledged=shown(len(waits)),
        median_ack=_median(waits) if enough else None,
        p90_ack=percentile(waits, 0.9) if enough else None,
        buckets=[
            Bucket(
                label,
                shown(len(group)),
                shown(len(waits_of[label])),
                _median(waits_of[label]) if len(waits_of[label]) >= min_count else None,
            )
            for label, group in groups.items()
        ],
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
    """The report as Markdown: counts under the threshold read "fewer than N", totals that would
    give them away read as a range."""
    title = f"Transparency report, {report.first.isoformat()} to {report.last.isoformat()}"
    unit = {"day": "day", "week": "ISO week", "month": "month"}[report.by]
    lines = [
        f"# {report.team}: {title}" if report.team else f"# {title}",
        "",
        f"Days are in {report.timezone}. Only counts and durations: no names, case codes or"
        " accounts.",
        *_hiding_note(report),
        "",
        f"**Reports received:** {report.received.text}",
        "",
        "## Outcomes",
        "",
        "| outcome | cases |",
        "| --- | ---: |",
        *(f"| {outcome_words(o)} | {n.text} |" for o, n in report.outcomes.items()),
        f"| still open | {report.still_open.text} |",
    ]
    if report.no_outcome.value or report.no_outcome.hidden:
        lines.append(f"| closed, no outcome recorded | {report.no_outcome.text} |")
    lines += [
        "",
        "## Time to acknowledgement",
        "",
        "| | |",
        "| --- | ---: |",
        f"| acknowledged | {report.acknowledged.text} of {report.received.text} |",
        f"| median | {duration_text(report.median_ack)} |",
        f"| 90th percentile | {duration_text(report.p90_ack)} |",
        "",
        f"## By {report.by}",
        "",
        f"Cases count in the {unit} they were received (only days inside the period).",
        "",
        f"| {report.by} | received | acknowledged | median time to acknowledgement |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {b.label} | {b.received.text} | {b.acknowledged.text} |"
            f" {duration_text(b.median_ack)} |"
            for b in report.buckets
        ),
        "",
    ]
    return "\n".join(lines)


def _hiding_note(report: Transparency) -> list[str]:
    if report.min_count <= 1:
        return []
    n = report.min_count
    return [
        "",
        f'Counts from 1 to {n - 1} read "fewer than {n}", so that no one can be picked out;'
        f' when any count is hidden, the others are rounded to the nearest {n} ("about"), so'
        " a hidden count cannot be worked out by subtraction. A time to acknowledgement is"
        f" shown only over {n} or more cases.",
    ]
