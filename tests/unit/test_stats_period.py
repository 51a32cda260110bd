"""``fsbot stats`` answers any period with figures or a clear sentence, never a traceback."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from subprocesses import fsbot

from bot.ports.records import CaseFigures
from bot.services.stats import compute, period_problem


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        ("2027-08-01", "9999-12-31", "--to 9999-12-31 is out of range; give days from"),
        ("0001-01-01", "2027-08-31", "--from 0001-01-01 is out of range"),
        ("9999-12-31", "9999-12-31", "--from 9999-12-31 is out of range"),
        ("2000-01-01", "2027-08-31", "longer than 10 years"),
        ("2027-08-31", "2027-08-01", "--to must not be before --from"),
    ],
)
def test_a_period_it_cannot_report_on_gets_a_clear_error(
    tmp_path: Path, first: str, last: str, words: str
) -> None:
    result = fsbot("stats", "--from", first, "--to", last, cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert words in result.stderr
    assert "Traceback" not in result.stderr


# Hardest zones for the edges of a day: the furthest ahead of UTC and the furthest behind.
ZONES = [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12"), ZoneInfo("UTC")]


@given(first=st.dates(), last=st.dates(), tz=st.sampled_from(ZONES))
def test_any_period_is_refused_in_words_or_computed(first: date, last: date, tz: ZoneInfo) -> None:
    problem = period_problem(first, last)
    if problem is not None:
        with pytest.raises(ValueError) as refused:
            compute([], first, last, tz)
        assert str(refused.value) == problem
        return
    figures = compute(
        [CaseFigures(_noon(first, tz), None, None, True)], first, last, tz, min_count=1
    )
    assert figures.received.value == 1 and figures.buckets


def _noon(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(12), tz)
