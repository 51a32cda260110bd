"""Prometheus metrics (prometheus-client), one registry per running app.

Each :class:`Metrics` has its own :class:`prometheus_client.CollectorRegistry` rather than the
library's global one, so several apps in one process (the tests) never share or collide.
Labels are platform names and outbox lanes only: nothing here names, counts or times a person.

What is counted where (the domain knows nothing of it):

* reports received, time to acknowledgement: by bot/main/app.py after the transaction that
  opened or acknowledged a case has committed (from :attr:`bot.uow.UnitOfWork.audited`);
* pages sent and failed, deliveries retried: by the outbox workers (bot/runtime/delivery.py);
* outbox backlog, timers pending: read from the store at each scrape (:meth:`Metrics.update`).
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.ports.records import VitalSigns

__all__ = ["ACK_BUCKETS", "LANES", "Metrics"]

LANES = ("direct", "channel")
"""The outbox workers' two lanes: team-channel posts, and everything else."""

ACK_BUCKETS = (15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0)
"""Seconds from a case opening to its first acknowledgement: the escalation policy's steps are
minutes long, so the buckets run from seconds to two hours."""


class Metrics:
    """The bot's metrics for the platforms in ``platforms`` (each label set is there, at 0, from
    the start, so a rate over a quiet bot is 0 rather than missing)."""

    def __init__(self, platforms: Iterable[str]) -> None:
        self.registry = CollectorRegistry()
        self.platforms = sorted(set(platforms))
        registry = self.registry
        self.reports = Counter(
            "fsbot_reports_received",
            "Cases opened (reports, help-now alerts, cases filed by the team), by platform.",
            ["platform"],
            registry=registry,
        )
        self.pages_sent = Counter(
            "fsbot_pages_sent",
            "Real cases' pages the platform took (test pages and drills' pages are not counted).",
            ["platform"],
            registry=registry,
        )
        self.pages_failed = Counter(
            "fsbot_pages_failed",
            "Attempts to send a real case's page that the platform did not take (any refusal or"
            " error but its pacing; the page is retried, or the chain moves on).",
            ["platform"],
            registry=registry,
        )
        self.ack_seconds = Histogram(
            "fsbot_time_to_acknowledge_seconds",
            "Seconds from a case opening to its first acknowledgement, by the platform the"
            " acknowledgement came from.",
            ["platform"],
            buckets=ACK_BUCKETS,
            registry=registry,
        )
        self.retried = Counter(
            "fsbot_deliveries_retried",
            "Sends that failed and were put back to be tried again, by platform and lane.",
            ["platform", "lane"],
            registry=registry,
        )
        self.backlog = Gauge(
            "fsbot_outbox_backlog",
            "Messages waiting to be sent, by lane and platform.",
            ["lane", "platform"],
            registry=registry,
        )
        self.timers = Gauge("fsbot_timers_pending", "Deadlines not yet fired.", registry=registry)
        self.oldest_page = Gauge(
            "fsbot_oldest_page_wait_seconds",
            "How long the longest-waiting unsent page has waited (0: none waits).",
            registry=registry,
        )
        for platform in self.platforms:
            self.reports.labels(platform)
            self.pages_sent.labels(platform)
            self.pages_failed.labels(platform)
            self.ack_seconds.labels(platform)
            for lane in LANES:
                self.retried.labels(platform, lane)
                self.backlog.labels(lane, platform)

    def update(self, signs: VitalSigns, page_wait: float) -> None:
        """Set the gauges from what the store counts now (``page_wait``: seconds the oldest
        unsent page has waited)."""
        for lane in LANES:
            for platform in {*self.platforms, *(p for _, p in signs.backlog)}:
                self.backlog.labels(lane, platform).set(signs.backlog.get((lane, platform), 0))
        self.timers.set(signs.timers)
        self.oldest_page.set(page_wait)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)

    # -- what the outbox workers report (bot/runtime/delivery.py) ------------------------------
    def page_sent(self, platform: str) -> None:
        """The platform took a real case's page (the worker leaves out test pages and drills'
        pages: bot/services/page_counts.py)."""
        self.pages_sent.labels(platform).inc()

    def page_not_taken(self, platform: str) -> None:
        """The platform did not take a real case's page (as :meth:`page_sent`)."""
        self.pages_failed.labels(platform).inc()

    def retry(self, platform: str, channel: bool) -> None:
        """A failed send was put back to be tried again."""
        self.retried.labels(platform, LANES[channel]).inc()
