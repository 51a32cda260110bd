"""The rooms keep their doors: every import in bot/, handlers/, adapters/ and storage/ (at module
level and inside functions) points inward, as /work/shared/DESIGN.md "Layout" draws it.

    handlers  ->  bot.services  ->  bot.domain
    adapters, storage  ->  bot.ports (+ bot.domain; adapters also bot.text)
    bot.main  ->  everything (the only importer of handlers, storage and adapters)

Where the code cannot follow a rule yet, the (module, import) pair is listed in
:data:`EXCEPTIONS` with why; any other breach fails, and so does an exception that no longer
happens (so the list only ever shrinks). No module is over :data:`MAX_LINES` lines either.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "adapters", "storage")
MAX_LINES = 400

_INNER = {"bot.domain", "bot.ports", "bot.text"}
# room -> the rooms (or single modules) it may import; a module may always import its own room.
ALLOWED: dict[str, set[str]] = {
    "bot.domain": set(),
    "bot.ports": {"bot.domain"},
    "bot.text": {"bot.domain", "bot.ports"},
    "bot.config": {"bot.domain", "bot.text"},
    "bot.uow": {*_INNER, "bot.config", "bot.runtime.crypto"},
    "bot.services": {*_INNER, "bot.config", "bot.uow"},
    # the machinery that runs the core: workers, scheduler, clock, crypto
    "bot.runtime": {*_INNER, "bot.config", "bot.uow", "bot.services"},
    "handlers": {*_INNER, "bot.config", "bot.uow", "bot.services", "bot.runtime"},
    "adapters": set(_INNER),
    "storage": {"bot.domain", "bot.ports", "bot.runtime.crypto"},
    "bot.main": {"bot", "handlers", "adapters", "storage"},  # the composition root: anything
}

# Standard-library modules the domain may not use: it does no I/O and never awaits.
DOMAIN_FORBIDDEN_STDLIB = {
    "asyncio",
    "http",
    "io",
    "logging",
    "os",
    "pathlib",
    "shutil",
    "socket",
    "sqlite3",
    "ssl",
    "subprocess",
    "tempfile",
    "threading",
    "urllib.request",
}

# (module, imported module) -> why it is still allowed. Shrink this; never grow it lightly.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # The team file's pydantic models (Member, External, TeamFile, SupportResource) still serve as
    # the domain's member types; turning them into frozen domain types at load is issue 16's next
    # step, alongside the typed EscalationPolicy being made in parallel.
    ("bot.domain.preferences", "bot.config.teamfile"): "Member is still the pydantic model",
    ("bot.domain.rights", "bot.config.teamfile"): "Member is still the pydantic model",
    ("bot.domain.team", "bot.config.teamfile"): "Team wraps the pydantic TeamFile",
    ("bot.text.help_words", "bot.config.teamfile"): "SupportResource is the pydantic model",
}

# Modules still over MAX_LINES, with why.
LONG: dict[str, str] = {}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, absolute, at any depth of the file (functions too)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> list[str]:
    """The modules ``source`` (a module of ``package``) imports, relative ones made absolute."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(target)
            # `from bot.text import phrases` imports the module bot.text.phrases
            found.extend(f"{target}.{alias.name}" for alias in node.names)
    return found


def _sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def _ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def _existing(name: str) -> bool:
    dotted = ROOT.joinpath(*name.split("."))
    return dotted.with_suffix(".py").exists() or (dotted / "__init__.py").exists()


def room(module: str) -> str:
    """The room a module lives in: ``bot.<room>`` (bot.uow is a room of one) or a top-level
    package; bot's own ``__init__``/``__main__`` count as the composition root."""
    parts = module.split(".")
    if parts[0] != "bot":
        return parts[0]
    if len(parts) == 1 or parts[1] == "__main__":
        return "bot.main"
    return f"bot.{parts[1]}"


def _within(name: str, prefixes: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def breaches(module: str, imported: list[str]) -> list[tuple[str, str]]:
    """The (module, import) pairs of ``module`` that break the rules of its room."""
    own = room(module)
    allowed = ALLOWED[own] | {own}
    found = []
    for name in imported:
        if _ours(name):
            if _existing(name) and not _within(name, allowed):
                found.append((module, name))
        elif own == "bot.domain" and not _domain_may_use(name):
            found.append((module, name))
    return found


def _domain_may_use(name: str) -> bool:
    top = name.split(".")[0]
    if name == "__future__" or top not in sys.stdlib_module_names:
        return name == "__future__"
    return not _within(name, DOMAIN_FORBIDDEN_STDLIB)


def all_breaches() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in _sources():
        found.update(breaches(_module_name(path), _imports(path)))
    return found


def test_every_import_points_inward() -> None:
    new = sorted(all_breaches() - EXCEPTIONS.keys())
    assert new == [], "imports that break the layout (see DESIGN.md 'Layout'):\n" + "\n".join(
        f"  {module} imports {name}" for module, name in new
    )


def test_every_listed_exception_still_happens() -> None:
    """A breach that was fixed leaves the list, so the list shows what is left to do."""
    assert sorted(EXCEPTIONS.keys() - all_breaches()) == []


def test_the_domain_never_awaits() -> None:
    for path in (ROOT / "bot" / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        awaiting = [n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef | ast.Await)]
        assert awaiting == [], f"{_module_name(path)} awaits: the domain does no I/O"


def test_no_module_is_over_400_lines() -> None:
    long = {
        _module_name(p): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert sorted(long.keys() - LONG.keys()) == [], long
    assert sorted(LONG.keys() - long.keys()) == [], "no longer long: drop it from LONG"


def test_the_check_sees_a_forbidden_import() -> None:
    """The walker itself: each rule catches a made-up breach, in a function body too."""
    assert breaches("adapters.slack.runner", ["handlers.participant.report_form"])
    assert breaches("adapters.telegram.runner", ["bot.main.app"])
    assert breaches("handlers.router", ["storage.sqlite.store"])
    assert breaches("bot.domain.model", ["pydantic"])
    assert breaches("bot.domain.model", ["bot.text.phrases"])
    assert breaches("bot.domain.model", ["asyncio"])
    assert breaches("bot.ports.events", ["bot.text.richtext"])
    assert breaches("storage.sqlite.store", ["bot.services.cases"])
    assert breaches("bot.runtime.backlog", ["storage.inbox"])
    assert not breaches("bot.main.serve", ["adapters.slack.runner", "storage.sqlite.store"])
    assert not breaches("storage.sqlite.keys", ["bot.runtime.crypto"])
    in_a_function = "def f():\n    from ...handlers import router\n"
    imported = imports_in(in_a_function, "adapters.slack")
    assert ("adapters.slack.x", "handlers.router") in breaches("adapters.slack.x", imported)
