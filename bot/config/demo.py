"""The demo team: two safety contacts, one lead, Alice on duty now; an event running this week.

Times are generated around "now" so the demo always has someone on duty. The team file is written
beside the demo database so it can be read, edited and checked with ``fsbot check-config``.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def demo_team_text(now: datetime) -> str:
    """A team file in the documented shape; ``now`` is UTC, the team works in UTC."""
    day = now.replace(minute=0, second=0, microsecond=0, tzinfo=None)

    def t(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")

    return f"""\
# The demo team. Edit freely; `fsbot check-config THIS_FILE` checks it.
[team]
name = "Demo Event safety team"
timezone = "UTC"
event_start = {t(day - timedelta(days=1))}
event_end = {t(day + timedelta(days=3))}
emergency_info = "Venue security: +43 1 234 5678 (24h). Emergency services: 112."
show_handler_names = false

[[members]]
id = "alice"
name = "Alice Example"
roles = ["safety_contact"]
usernames = ["AliceWMAT"]

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[rota]]
member = "alice"
start = {t(day - timedelta(hours=2))}
end = {t(day + timedelta(hours=10))}
level = "primary"

[[rota]]
member = "bob"
start = {t(day + timedelta(hours=10))}
end = {t(day + timedelta(hours=22))}
level = "primary"

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "5m" }},
  {{ notify = ["safety_contacts"], wait = "5m" }},
  {{ notify = ["leads"], wait = "10m" }},
]
repeat = 2

[[response_target]]
within = "15m"

[[support]]
name = "Venue first aid"
contact = "Info desk, ground floor"
hours = "during the event"
"""
