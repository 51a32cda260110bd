"""What the readiness check finds: one :class:`Finding` per thing that would surprise the team
when a real report arrives (issue 17, "Readiness check").

Three sources produce findings: the team-file lint (bot/config/team_lint.py), the platforms'
probes (``ReadinessProbe`` in bot/ports/platform.py) and the database (bot/services/readiness.py,
storage/sqlite/inspect.py, storage/postgres/inspect.py). They are shown by
bot/text/readiness_words.py: in full to the operator (``fsbot doctor``) and a lead in a private
chat (``/ready``), as counts of kinds in the team channel. Pure data: no words, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# -- kinds: the team file ----------------------------------------------------------------------
PLACEHOLDER_ID = "placeholder_id"  # an id still as `fsbot init` wrote it
NO_PLATFORM_ID = "no_platform_id"  # a safety contact or lead with no id on a platform in use
POSITIVE_GROUP_ID = "positive_group_id"  # Telegram groups have negative ids
SLACK_CHANNEL_NAME = "slack_channel_name"  # "#team" instead of "C0123..."
SHIFT_OUTSIDE_EVENT = "shift_outside_event"
SHIFT_START_MISSING = "shift_start_missing"  # a local time skipped by a clock change
ROTA_GAP = "rota_gap"  # nobody on the rota for a while during the event
ROTA_OVERLAP = "rota_overlap"  # two primaries at once
NO_LEAD_IN_CHAIN = "no_lead_in_chain"  # the escalation chain ends before any lead is reached
NO_LEAD = "no_lead"  # nobody has the lead role
# -- kinds: the settings -------------------------------------------------------------------------
NO_KEY = "no_key"
NO_PLATFORM = "no_platform"  # no platform credentials: the bot would run on the local console
CHANNEL_WITHOUT_TOKEN = "channel_without_token"  # a team channel on a platform with no token
# -- kinds: the platforms ----------------------------------------------------------------------
CREDENTIALS = "credentials"  # the token is refused, or the platform cannot be reached
PRIVACY_MODE_OFF = "privacy_mode_off"  # Telegram: the bot reads every message in its groups
CANNOT_POST = "cannot_post"  # the bot cannot post in the team channel
NOT_STARTED = "not_started"  # Telegram: the person never started the bot (or blocked it)
CANNOT_DM = "cannot_dm"  # Slack: no direct message can be opened with the person
CONTACT_UNREACHABLE = "contact_unreachable"  # an external contact's chat does not take messages
EMAIL_UNREACHABLE = "email_unreachable"  # outside contacts' e-mail cannot be sent (SMTP)
PROBE_FAILED = "probe_failed"  # a check could not be made (no answer): not known either way
# -- kinds: the database -----------------------------------------------------------------------
MARKED_UNREACHABLE = "marked_unreachable"  # a page to them bounced and nobody heard from them
WRONG_KEY = "wrong_key"
NO_DATABASE = "no_database"
DATABASE_FAULT = "database_fault"
MIGRATIONS_PENDING = "migrations_pending"  # `fsbot run` applies them at start
DATABASE_NEWER = "database_newer"  # written by a newer fsbot than this one
OUTBOX_STUCK = "outbox_stuck"

# Kinds about a person who cannot be paged: the daily note to the leads lists these.
PERSON_KINDS = frozenset(
    {PLACEHOLDER_ID, NO_PLATFORM_ID, NOT_STARTED, CANNOT_DM, MARKED_UNREACHABLE}
)

STUCK_AFTER_SECONDS = 60.0
"""An outbox message pending longer than this is stuck (issue 17)."""


@dataclass(frozen=True)
class Finding:
    """One problem: its ``kind`` (a constant above), who or what it is about, and the facts the
    words need.

    ``subject`` is a member or external id from the team file, ``"channel"`` or ``""``;
    ``platform`` is ``"telegram"``, ``"slack"``... or ``""``. ``blocking`` is True when it
    would stop a page from reaching a person (``fsbot doctor`` then exits non-zero).
    ``facts`` holds plain values only (str, int, float): where in the team file, which times,
    how many; never a token, never report content.
    """

    kind: str
    subject: str = ""
    platform: str = ""
    blocking: bool = False
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def about_person(self) -> bool:
        """Whether it is about one person who cannot be paged (see :data:`PERSON_KINDS`)."""
        return self.kind in PERSON_KINDS and self.subject not in ("", "channel")


@dataclass(frozen=True)
class Asked:
    """One round of the platforms' probes: what they found, and which platforms were asked
    (a person on a platform asked, with no finding, can be paged there)."""

    findings: list[Finding] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)


def blocking(findings: Iterable[Finding]) -> bool:
    """Whether any finding would stop a page from reaching a person."""
    return any(f.blocking for f in findings)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each kind, in the order kinds first appear: what the team channel
    may see (no subjects)."""
    return dict(Counter(f.kind for f in findings))


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` without repeats (the store and a probe can both find the same person),
    in order."""
    seen: set[tuple[Any, ...]] = set()
    kept: list[Finding] = []
    for finding in findings:
        facts = tuple(sorted((k, str(v)) for k, v in finding.facts.items()))
        key = (finding.kind, finding.subject, finding.platform, facts)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
