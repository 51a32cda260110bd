"""The readiness findings as /ready and doctor combine them: every problem once, none lost."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.team_lint import lint, skipped_local_time
from bot.config.teamfile import parse_team_text
from bot.domain import readiness as r
from bot.services.readiness import combine

TEAM = """\
[team]
name = "T"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-10T20:00:00

[[members]]
id = "lena"
name = "Lena"
roles = ["safety_contact", "lead"]

[[rota]]
member = "lena"
start = 2027-08-10T09:00:00
end = 2027-08-10T12:00:00

[[rota]]
member = "lena"
start = 2027-08-10T13:00:00
end = 2027-08-10T20:00:00
"""


def test_two_gaps_in_the_rota_stay_two_problems() -> None:
    found = combine(lint(parse_team_text(TEAM)))
    gaps = [(f.facts["start"], f.facts["end"]) for f in found if f.kind == r.ROTA_GAP]
    assert gaps == [
        ("2027-08-10 08:00", "2027-08-10 09:00"),
        ("2027-08-10 12:00", "2027-08-10 13:00"),
    ]


def test_only_a_time_the_clocks_skip_is_missing_not_one_they_repeat() -> None:
    vienna = ZoneInfo("Europe/Vienna")
    assert skipped_local_time(datetime(2027, 3, 28, 2, 30), vienna)  # spring forward
    assert not skipped_local_time(datetime(2027, 10, 31, 2, 30), vienna)  # happens twice
    assert not skipped_local_time(datetime(2027, 3, 28, 3, 0), vienna)
