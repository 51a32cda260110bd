"""The transparency report's chart: a PNG that stays legible on a slide.

Two panels: reports received (and acknowledged) by day, week or month, and outcomes. Integer
axes; an empty period says "No reports in this period" instead of drawing an empty range;
outcomes always in the order of :data:`bot.domain.model.OUTCOMES`, each in its own colour; the
title gives the period. A count hidden as "fewer than N" is drawn as a hatched bar up to N and
labelled so, never at its true height (bot/services/stats_hiding.py).

matplotlib is imported inside :func:`write_png`, with the Agg backend and no pyplot (no global
state, no display needed), so the running bot never loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.domain.model import OUTCOMES
from bot.services.stats import Transparency, outcome_words
from bot.services.stats_hiding import Shown

# Okabe-Ito and neighbours: told apart by people with colour-blindness; one per outcome, fixed.
OUTCOME_COLOURS = dict(
    zip(
        [*OUTCOMES, "still open", "closed, no outcome recorded"],
        [
            "#56B4E9",
            "#999999",
            "#F0E442",
            "#E69F00",
            "#009E73",
            "#D55E00",
            "#CC79A7",
            "#0072B2",
            "#444444",
            "#BBBBBB",
        ],
        strict=True,
    )
)
RECEIVED, ACKNOWLEDGED = "#0072B2", "#E69F00"
SLIDE = (13.33, 7.5)  # inches: a 16:9 slide
FONT = 15


def _height(count: Shown) -> int:
    return count.min_count if count.hidden else count.value


def _label(count: Shown) -> str:
    return f"<{count.min_count}" if count.hidden else count.text.replace("about ", "~")


def _bars(axes: Any, positions: list[float], counts: list[Shown], **style: Any) -> None:
    bars = axes.bar(positions, [_height(c) for c in counts], **style)
    for bar, count in zip(bars, counts, strict=True):
        if count.hidden:
            bar.set_hatch("//")
            bar.set_alpha(0.45)
    axes.bar_label(bars, [_label(c) if _height(c) else "" for c in counts], fontsize=FONT - 3)


def write_png(report: Transparency, path: Path) -> None:
    """Write the chart of ``report`` to ``path`` (PNG, 1600x900 pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=SLIDE, layout="constrained")
    FigureCanvasAgg(figure)
    period = f"{report.first.isoformat()} to {report.last.isoformat()}"
    figure.suptitle(
        f"{report.team + ': ' if report.team else ''}reports {period}", fontsize=FONT + 5
    )
    timeline, outcomes = figure.subplots(1, 2, width_ratios=[3, 2])
    for axes in (timeline, outcomes):
        axes.tick_params(labelsize=FONT - 2)
    if report.empty:
        for axes in (timeline, outcomes):
            axes.set_axis_off()
        figure.text(
            0.5, 0.5, "No reports in this period", ha="center", va="center", fontsize=FONT + 8
        )
        _save(figure, path)
        return
    _timeline(timeline, report, MaxNLocator)
    _outcomes(outcomes, report, MaxNLocator)
    if report.min_count > 1:
        figure.text(
            0.01,
            0.01,
            f"Hatched: fewer than {report.min_count}, not drawn to scale."
            " ~: rounded to the nearest " + str(report.min_count) + ".",
            fontsize=FONT - 4,
        )
    _save(figure, path)


def _timeline(axes: Any, report: Transparency, locator: Any) -> None:
    labels = [b.label for b in report.buckets]
    positions = list(range(len(labels)))
    width = 0.4
    _bars(
        axes,
        [p - width / 2 for p in positions],
        [b.received for b in report.buckets],
        width=width,
        label="received",
        color=RECEIVED,
    )
    _bars(
        axes,
        [p + width / 2 for p in positions],
        [b.acknowledged for b in report.buckets],
        width=width,
        label="acknowledged",
        color=ACKNOWLEDGED,
    )
    step = max(1, len(labels) // 14)  # at most ~14 labels: readable from the back of a room
    axes.set_xticks(
        positions[::step],
        labels[::step],
        rotation=45 if len(labels) > 7 else 0,
        ha="right" if len(labels) > 7 else "center",
    )
    axes.yaxis.set_major_locator(locator(integer=True))
    axes.set_ylim(bottom=0)
    axes.set_ylabel("reports", fontsize=FONT)
    axes.set_title(f"Reports by {report.by}", fontsize=FONT + 2)
    axes.legend(fontsize=FONT - 2)


def _outcomes(axes: Any, report: Transparency, locator: Any) -> None:
    rows = [(outcome_words(o), n, OUTCOME_COLOURS[o]) for o, n in report.outcomes.items()]
    rows.append(("still open", report.still_open, OUTCOME_COLOURS["still open"]))
    if report.no_outcome.value or report.no_outcome.hidden:
        name = "closed, no outcome recorded"
        rows.append((name, report.no_outcome, OUTCOME_COLOURS[name]))
    bars = axes.barh(
        [r[0] for r in rows], [_height(r[1]) for r in rows], color=[r[2] for r in rows]
    )
    for bar, (_, count, _) in zip(bars, rows, strict=True):
        if count.hidden:
            bar.set_hatch("//")
            bar.set_alpha(0.45)
    axes.bar_label(bars, [_label(r[1]) for r in rows], padding=3, fontsize=FONT - 3)
    axes.invert_yaxis()
    axes.xaxis.set_major_locator(locator(integer=True))
    axes.set_xlim(left=0, right=max(_height(r[1]) for r in rows) * 1.2 + 1)
    axes.set_xlabel("cases", fontsize=FONT)
    axes.set_title(f"Outcomes of {report.received.text} reports", fontsize=FONT + 2)


def _save(figure: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=120)
