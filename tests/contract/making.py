"""What several contract tests need: a case to hang things on, a message, a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.model import Case, Report, ReportBody, Severity
from bot.domain.policy import EscalationPolicy
from bot.ports.events import Address, Outbound
from bot.ports.store import NewCase, Tx
from bot.text.richtext import rich

NOW = datetime(2027, 8, 11, 10, 0, tzinfo=UTC)
POLICY = EscalationPolicy.from_dict({"steps": [{"notify": ["duty"], "wait": 300}], "repeat": 2})


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


async def open_case(
    tx: Tx, reporter_key: str | None = "k", severity: Severity = Severity.HIGH
) -> Case:
    """A new case on a new report of ``reporter_key``."""
    report_id = await tx.add_report(
        Report(None, NOW, ReportBody(account=["x"]), None), reporter_key
    )
    new = NewCase(report_id, severity, "pseudonymous", [], POLICY, reporter_key, NOW)
    return await tx.add_case(new)


def message(text: str, chat: str = "111", platform: str = "telegram") -> Outbound:
    return Outbound(Address(platform, chat), rich(text))
