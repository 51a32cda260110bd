"""Team files for escalation tests: short waits, a small team, several platforms' ids."""

from __future__ import annotations

from bot.config.teamfile import TeamFile, parse_team_text

# Times are UTC; the tests' clock starts at 2027-08-11T10:00Z, during Alice's shift.
CHAIN = """\
[team]
name = "Chain test team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00
emergency_info = "Venue security: 0100 200 300."
daily_post = ["09:00"]

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = 111

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
telegram = 222

[[members]]
id = "dora"
name = "Dora"
roles = ["safety_contact"]
# no platform id at all: she can never be paged

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T11:00:00

[[rota]]
member = "bob"
start = 2027-08-11T11:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "{wait}" }},
  {{ notify = ["safety_contacts"], wait = "{wait}" }},
  {{ notify = ["leads", "external:venue"], wait = "{wait}" }},
]
repeat = {repeat}
critical_repeat = "2m"
idle_reminder = "2h"
shift_confirm = "10m"
above_team = "venue"

[[external]]
id = "venue"
name = "Venue security"
telegram = 999
"""


def chain_team(wait: str = "5s", repeat: int = 1) -> TeamFile:
    return parse_team_text(CHAIN.format(wait=wait, repeat=repeat), "chain.toml")


SLACK = """\
[team]
name = "Slack test team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00
emergency_info = "Venue security: 0100 200 300."

[channels]
slack = "C0TEAM01"
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
{alice}

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
slack = "U0BOB"

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
slack = "U0LENA"

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  {{ notify = ["on_duty"], wait = "5m" }},
  {{ notify = ["safety_contacts"], wait = "5m" }},
]
"""


def slack_team(alice: str = 'slack = "U0ALICE"') -> TeamFile:
    """Alice, on duty, is on Slack by default; ``alice="telegram = 111"`` puts her on Telegram."""
    return parse_team_text(SLACK.format(alice=alice), "slack.toml")


# The seed stories' team, on the console: an organizer, two leads, a board member on the team, and
# the external contacts the stories hand cases to. The tests' clock starts at 2027-08-11T10:00Z.
STORIES = """\
[team]
name = "Story team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00
emergency_info = "Venue security: 0100 200 300."
aftercare_note = "Thank you for handling this. Take a break and debrief with your lead."

[[members]]
id = "alice"
name = "Alice Example"
roles = ["safety_contact"]

[[members]]
id = "bob"
name = "Bob Builder"
roles = ["safety_contact"]

[[members]]
id = "carol"
name = "Carol Organizer"
roles = ["organizer"]

[[members]]
id = "lena"
name = "Lena Lead"
roles = ["lead"]

[[members]]
id = "mira"
name = "Mira Lead"
roles = ["lead", "safety_contact"]

[[members]]
id = "bram"
name = "Bram Board"
roles = ["organizer"]
position = "board"
usernames = ["BramB"]

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[[rota]]
member = "bob"
start = 2027-08-11T18:00:00
end = 2027-08-12T08:00:00

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5m" },
  { notify = ["safety_contacts"], wait = "5m" },
  { notify = ["leads", "external:foundation"], wait = "10m" },
]
above_team = "foundation"

[[external]]
id = "foundation"
name = "Foundation safety team"

[[external]]
id = "nextdoor"
name = "Organizers of the event next door"

[[external]]
id = "venue"
name = "Venue security"
"""


def story_team() -> TeamFile:
    return parse_team_text(STORIES, "stories.toml")


# The stories' team with what issue 15's promises rest on: a username for Alice, support beside
# the team, and response targets by time of day (thinner at night). Clock: 2027-08-11T10:00Z.
PROMISES = (
    STORIES.replace(
        'name = "Alice Example"\nroles = ["safety_contact"]',
        'name = "Alice Example"\nroles = ["safety_contact"]\nusernames = ["AliceWMAT"]',
    )
    + """
[[support]]
name = "Crisis line"
contact = "0800 111 222"
hours = "24h"
languages = ["English", "German"]

[[response_target]]
start = "08:00"
end = "22:00"
within = "15m"

[[response_target]]
within = "1h"
"""
)


def promises_team() -> TeamFile:
    return parse_team_text(PROMISES, "promises.toml")
