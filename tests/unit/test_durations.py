"""Tests for bot.durations: the short duration strings people write in the team file."""

from datetime import timedelta

import pytest

from bot.config.durations import compact_duration, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("5m", timedelta(minutes=5)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("  10M ", timedelta(minutes=10)),
        ("120m", timedelta(hours=2)),
    ],
)
def test_parse_valid(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "5", "m", "5 minutes", "1.5h", "-5m", "30m1h", "5x", "1h30", "PT5M", "5mm"],
)
def test_parse_invalid_says_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r'"5m"'):
        parse_duration(text)


def test_parse_rejects_zero_with_a_reason() -> None:
    with pytest.raises(ValueError, match="longer than that"):
        parse_duration("0m")


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="must be text"):
        parse_duration(5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("td", "expected"),
    [
        (timedelta(minutes=5), "5 minutes"),
        (timedelta(hours=2), "2 hours"),
        (timedelta(hours=1, minutes=30), "1 hour 30 minutes"),
        (timedelta(seconds=45), "45 seconds"),
        (timedelta(seconds=1), "1 second"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(days=1, seconds=5), "1 day 5 seconds"),
        (timedelta(days=2, hours=1), "2 days 1 hour"),
        (timedelta(0), "0 seconds"),
        (timedelta(seconds=59.6), "1 minute"),
    ],
)
def test_format(td: timedelta, expected: str) -> None:
    assert format_duration(td) == expected


def test_format_rejects_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(timedelta(seconds=-1))


@pytest.mark.parametrize("text", ["90s", "5m", "2h", "1d", "1h30m", "1d2h3m4s"])
def test_compact_round_trips(text: str) -> None:
    td = parse_duration(text)
    assert parse_duration(compact_duration(td)) == td


def test_compact_normalises() -> None:
    assert compact_duration(timedelta(seconds=90)) == "1m30s"
    assert compact_duration(timedelta(0)) == "0s"
