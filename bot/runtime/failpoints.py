"""Crash points for the crash tests.

``FSB_FAILPOINT=after_commit:case_opened`` makes the process SIGKILL itself the first time it
reaches ``failpoint("after_commit:case_opened")``: a real, unpolite death at an exact instant,
which is what proves the outbox and the timers survive. Unset (always, outside tests), it
does nothing.
"""

from __future__ import annotations

import os
import signal
import sys


def failpoint(name: str) -> None:
    if os.environ.get("FSB_FAILPOINT") == name:
        sys.stdout.flush()
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)
