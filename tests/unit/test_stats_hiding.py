"""``fsbot stats`` hides small counts so that nobody can be picked out, and groups a five-day
event by day (bot/services/stats_hiding.py has the rule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.ports.records import CaseFigures
from bot.services.stats import compute, render_markdown

TZ = ZoneInfo("Europe/Vienna")
FIRST, LAST = date(2027, 8, 10), date(2027, 8, 14)


def _history(outcomes: dict[str, int]) -> list[CaseFigures]:
    made = []
    n = 0
    for outcome, count in outcomes.items():
        for _ in range(count):
            at = datetime(2027, 8, 10, 9, tzinfo=TZ) + timedelta(hours=7 * n)
            made.append(CaseFigures(at.astimezone(UTC), None, outcome, False))
            n += 1
    return made


def _row(markdown: str, label: str) -> str:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == label:
            return cells[1]
    raise AssertionError(label)


def test_a_single_ban_reads_fewer_than_5_and_no_total_gives_it_away() -> None:
    md = render_markdown(compute(_history({"warning": 7, "event_ban": 1}), FIRST, LAST, TZ))
    assert _row(md, "event ban") == "fewer than 5"
    assert _row(md, "warning") == "about 5"
    assert "**Reports received:** about 10" in md
    assert "8" not in md.replace("2027-08", "")  # neither the total nor a day's exact count


def test_the_published_report_is_the_same_whatever_a_hidden_count_is() -> None:
    # A ban of 1, 2 or 3 beside 7 warnings, in one month: the reader sees one report.
    shown = {
        render_markdown(
            compute(_history({"warning": 7, "event_ban": ban}), FIRST, LAST, TZ, by="month")
        )
        for ban in (1, 2, 3)
    }
    assert len(shown) == 1


def test_a_five_day_event_goes_by_day_a_month_by_week_and_1_hides_nothing() -> None:
    history = _history({"warning": 7, "event_ban": 1})
    by_day = compute(history, FIRST, LAST, TZ, min_count=1)
    assert [b.label for b in by_day.buckets] == [
        "Tue 10 Aug",
        "Wed 11 Aug",
        "Thu 12 Aug",
        "Fri 13 Aug",
        "Sat 14 Aug",
    ]
    assert by_day.outcomes["event_ban"].text == "1" and by_day.received.text == "8"
    by_week = compute(history, date(2027, 8, 1), date(2027, 8, 31), TZ)
    assert by_week.by == "week" and by_week.buckets[0].label == "2027-W30"
    by_month = compute(history, FIRST, LAST, TZ, by="month")
    assert [b.label for b in by_month.buckets] == ["2027-08"]
