"""The escalation policy a case carries: a frozen copy of the team file's chain.

The team's ``[escalation]`` table is copied into each case when it opens (bot/services/
escalation.py builds it), so editing the team file later only changes new cases. Pure data, no
I/O: storage keeps it as JSON through :meth:`EscalationPolicy.to_dict` and
:meth:`EscalationPolicy.from_dict`, which also reads every shape stored before (keys missing
from older cases take the defaults they had then).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

ABOVE_TEAM = "above_team"
"""The route of a case about someone on the team: it goes to the leads and the external contact."""

DEFAULT_FIRST_WAIT = timedelta(minutes=5)
"""How long the first step waits when a policy has no steps (the default chain's first step)."""

DEFAULT_CRITICAL_REPEAT = timedelta(minutes=2)
DEFAULT_IDLE_REMINDER = timedelta(hours=2)


@dataclass(frozen=True)
class EscalationStep:
    """One step of the chain: page these targets, then wait this long before the next step.

    A target is ``on_duty``, ``safety_contacts``, ``leads``, ``channel``, ``member:<id>`` or
    ``external:<id>`` (the team file check keeps them to these).
    """

    notify: tuple[str, ...]
    wait: timedelta

    def to_dict(self) -> dict[str, Any]:
        """``{"notify": [...], "wait": seconds}``, the shape stored in the database."""
        return {"notify": list(self.notify), "wait": self.wait.total_seconds()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EscalationStep:
        """The step :meth:`to_dict` wrote; ``wait`` is in seconds."""
        return cls(notify=tuple(data["notify"]), wait=timedelta(seconds=float(data["wait"])))


@dataclass(frozen=True)
class EscalationPolicy:
    """A case's paging chain: its steps, how many more rounds, and the reminder intervals.

    ``repeat`` counts the rounds after the first (0: the chain runs once). ``route`` is
    :data:`ABOVE_TEAM` for a case about someone on the team, else ``None``.
    """

    steps: tuple[EscalationStep, ...]
    repeat: int = 2
    critical_repeat: timedelta = DEFAULT_CRITICAL_REPEAT
    idle_reminder: timedelta = DEFAULT_IDLE_REMINDER
    route: str | None = None

    @property
    def above_team(self) -> bool:
        """Only the leads (and the external contact) handle the case."""
        return self.route == ABOVE_TEAM

    @property
    def first_wait(self) -> timedelta:
        """How long the first step waits (:data:`DEFAULT_FIRST_WAIT` when there are no steps)."""
        return self.steps[0].wait if self.steps else DEFAULT_FIRST_WAIT

    @property
    def targets(self) -> list[str]:
        """Every target the chain names, sorted, each once."""
        return sorted({t for step in self.steps for t in step.notify})

    def routed_above_team(self, targets: tuple[str, ...]) -> EscalationPolicy:
        """This policy sent above the team: one step paging ``targets``, waiting as the first
        step did."""
        step = EscalationStep(notify=targets, wait=self.first_wait)
        return replace(self, route=ABOVE_TEAM, steps=(step,))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; durations in seconds; ``route`` only when there is one."""
        data: dict[str, Any] = {
            "steps": [step.to_dict() for step in self.steps],
            "repeat": self.repeat,
            "critical_repeat": self.critical_repeat.total_seconds(),
            "idle_reminder": self.idle_reminder.total_seconds(),
        }
        if self.route is not None:
            data["route"] = self.route
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EscalationPolicy:
        """The policy :meth:`to_dict` wrote, or any older stored shape (missing keys default)."""
        critical = data.get("critical_repeat")
        idle = data.get("idle_reminder")
        return cls(
            steps=tuple(EscalationStep.from_dict(s) for s in data.get("steps", [])),
            repeat=int(data.get("repeat", 2)),
            critical_repeat=(
                DEFAULT_CRITICAL_REPEAT if critical is None else timedelta(seconds=float(critical))
            ),
            idle_reminder=DEFAULT_IDLE_REMINDER if idle is None else timedelta(seconds=float(idle)),
            route=data.get("route"),
        )
