"""The escalation policy a case carries: frozen, and the same after a trip through storage."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.policy import EscalationPolicy, EscalationStep

TARGETS = st.sampled_from(
    ["on_duty", "safety_contacts", "leads", "channel", "member:a", "external:b"]
)
SECONDS = st.integers(min_value=1, max_value=10**6).map(lambda s: timedelta(seconds=s))
STEPS = st.builds(EscalationStep, st.tuples(TARGETS) | st.tuples(TARGETS, TARGETS), SECONDS)
POLICIES = st.builds(
    EscalationPolicy,
    st.lists(STEPS, max_size=4).map(tuple),
    st.integers(min_value=0, max_value=100),
    SECONDS,
    SECONDS,
    st.none() | st.just("above_team"),
)


@given(POLICIES)
def test_a_policy_reads_back_as_it_was_stored(policy: EscalationPolicy) -> None:
    assert EscalationPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


@given(POLICIES)
def test_routing_above_the_team_keeps_the_first_wait_and_the_reminders(
    policy: EscalationPolicy,
) -> None:
    above = policy.routed_above_team(("leads",))
    assert (above.above_team and not policy.above_team) or policy.route == "above_team"
    assert above.targets == ["leads"] and above.first_wait == policy.first_wait
    assert (above.repeat, above.critical_repeat, above.idle_reminder) == (
        policy.repeat,
        policy.critical_repeat,
        policy.idle_reminder,
    )


def test_a_policy_with_no_steps_waits_the_default_five_minutes() -> None:
    assert EscalationPolicy.from_dict({"steps": [], "repeat": 2}).first_wait == timedelta(minutes=5)
