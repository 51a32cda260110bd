"""The benchmark scripts still run and print their figures (tiny runs; the figures are not
judged here, only that nothing went wrong: a timer fired twice or never, a 429, a violation)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_timer_benchmark_fires_every_deadline_once() -> None:
    out = run("timers.py", "--count", "200", "--spread", "1", "--lead", "1", "--grace", "0.2")
    assert "fired 200 (firings 200)" in out
    assert "fired twice: 0  never fired: 0" in out


def test_the_telegram_benchmark_pages_every_reporter() -> None:
    out = run("telegram_latency.py", "--reports", "1", "--crowd", "3")
    assert "ratio of p50s" in out
    assert "cases created: 3" in out
    assert "pages delivered: 3" in out


def test_the_history_benchmark_prints_every_figure_and_purges_every_due_case() -> None:
    out = run("history.py", "--cases", "300", "--open", "12", "--repeat", "3", "--quiet", "0.2")
    for name in ("/summary", "/cases", "/oncall", "App Home", "daily post", "fsbot stats"):
        assert f"{name}" in out and "target" in out
    assert "page commit, /summary back to back" in out
    assert "purge: page commit" in out
    assert "purged every due case" in out


def test_the_idle_memory_benchmark_measures_fsbot_run_with_both_adapters() -> None:
    out = run("idle_memory.py", "--cases", "20", "--settle", "0.5", "--samples", "2")
    assert "fsbot run idle RSS, empty database" in out
    assert "fsbot run idle RSS, 20 cases" in out


def test_the_page_priority_benchmark_pages_every_call_for_help() -> None:
    out = run("page_priority.py", "--reports", "1", "--busy", "2", "--urgent", "1")
    for line in ("(1) quiet", "(2) brisk", "(3) 'I need help now'", "help now / quiet"):
        assert line in out
    assert "fake.rate_limited: 0  fake.violations: 0" in out
