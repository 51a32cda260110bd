"""What both fake platform servers share: waiting for what the bot did, with a useful failure."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any


def describe(predicate: Callable[[], Any]) -> str:
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)


class Waiting:
    """Mixin for a fake with ``calls``, ``violations`` and ``errors``."""

    calls: list[tuple[str, Any]]
    violations: list[str]
    errors: list[Any]

    async def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 5.0, *, what: str | None = None
    ) -> Any:
        """Poll ``predicate`` (sync or async) every 20 ms until truthy; return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return result
            if loop.time() >= deadline:
                recent = [name for name, _ in self.calls[-10:]]
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what or describe(predicate)}; "
                    f"last calls: {recent}; violations: {self.violations}; errors: {self.errors}"
                )
            await asyncio.sleep(0.02)
