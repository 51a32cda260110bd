"""The container and service files agree with the package: the command they start exists, the
ports and paths are the ones the settings use, every FSB_ name is a real setting, the health
check asks the path the health server serves (and passes or fails with the bot), and no secret
or database can be copied into an image.

No Docker engine or systemd runs on these machines; these files are read as text, and the
HEALTHCHECK's own command is run against a real ``fsbot run``.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path, PurePosixPath

import yaml
from subprocesses import REPO, fsb_env

from bot.config.settings import DEFAULT_HEALTH_PORT, Settings
from bot.config.teamfile import starter_team_text
from bot.ports.health import HEALTH_PATH
from bot.runtime.crypto import generate_key

FSB_NAME = re.compile(r"\bFSB_[A-Z0-9_]+\b")
SETTING_NAMES = {f"FSB_{name.upper()}" for name in Settings.model_fields}
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
PACKAGES = [p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]]


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile()
    last = max(i for i, (word, _) in enumerate(instructions) if word == "FROM")
    return instructions[last:]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in final_stage():
        if word == "ENV":
            env.update(item.split("=", 1) for item in shlex.split(rest))
    return env


def one(word: str) -> str:
    values = [rest for w, rest in final_stage() if w == word]
    assert len(values) == 1, (word, values)
    return values[0]


def unit() -> dict[str, list[str]]:
    """The systemd unit's settings, each key with all its values (keys may repeat)."""
    found: dict[str, list[str]] = {}
    for line in (REPO / "deploy" / "fsbot.service").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def compose() -> dict[str, object]:
    loaded = yaml.safe_load((REPO / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def the_service() -> dict[str, object]:
    services = compose()["services"]
    assert isinstance(services, dict) and list(services) == ["fsbot"]
    service = services["fsbot"]
    assert isinstance(service, dict)
    return service


# -- the command, the names, the paths -------------------------------------------------------


def test_every_fsb_name_in_the_deployment_files_is_a_setting() -> None:
    files = ["Dockerfile", "compose.yaml", "deploy/fsbot.service", "deploy/fsbot.env.example"]
    for name in files:
        used = set(FSB_NAME.findall((REPO / name).read_text()))
        assert used, name
        assert used <= SETTING_NAMES, (name, used - SETTING_NAMES)


def test_the_image_and_the_unit_start_the_packaged_command() -> None:
    scripts = PYPROJECT["project"]["scripts"]
    assert json.loads(one("CMD")) == ["fsbot", "run"]
    assert "fsbot" in scripts
    (start,) = unit()["ExecStart"]
    assert PurePosixPath(start.split()[0]).name == "fsbot" and start.split()[1:] == ["run"]
    # the build copies every package the wheel is made of, and what it is described by
    copied = {
        source
        for word, rest in dockerfile()
        if word == "COPY" and "--from" not in rest
        for source in rest.split()[:-1]
    }
    assert set(PACKAGES) | {"pyproject.toml", "README.md"} == copied


def test_the_database_lives_on_the_volume_and_the_team_file_is_mounted() -> None:
    env = image_env()
    database = Settings.model_construct(database=env["FSB_DATABASE"]).sqlite_path
    (volume,) = json.loads(one("VOLUME"))
    assert database.parent == Path(volume)
    assert one("WORKDIR") == volume  # `fsbot init --dir /data` puts .env where fsbot reads it
    mounts = [str(v).split(":") for v in the_service()["volumes"]]  # type: ignore[attr-defined]
    assert [m[1] for m in mounts] == [volume, env["FSB_TEAM_FILE"]]
    assert mounts[1][2:] == ["ro"]
    assert the_service()["env_file"] == ["fsbot.env"]


def test_the_image_runs_as_an_ordinary_user() -> None:
    assert one("USER") not in ("root", "0", "")
    assert "useradd --system" in " ".join(rest for word, rest in final_stage() if word == "RUN")


def test_the_unit_keeps_its_database_in_its_state_folder() -> None:
    settings = unit()
    (state,) = settings["StateDirectory"]
    environment = dict(value.split("=", 1) for value in settings["Environment"])
    database = Settings.model_construct(database=environment["FSB_DATABASE"]).sqlite_path
    assert database.parent == Path("/var/lib") / state
    assert settings["WorkingDirectory"] == [str(Path("/var/lib") / state)]
    assert settings["User"] == ["fsbot"] and settings["Restart"] == ["on-failure"]
    assert settings["EnvironmentFile"] == ["/etc/fsbot/fsbot.env"]
    for hardening in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert settings[hardening] == ["yes"], hardening
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["CapabilityBoundingSet"] == [""]
    assert settings["UMask"] == ["0077"]
    # the unit's health server stays on this machine, on the port the image uses
    assert environment["FSB_HEALTH_HOST"] == "127.0.0.1"
    assert int(environment["FSB_HEALTH_PORT"]) == DEFAULT_HEALTH_PORT


def test_ports_are_the_settings_defaults() -> None:
    defaults = {
        Settings.model_fields[name].default
        for name in ("health_port", "slack_port", "telegram_webhook_port")
    }
    assert int(image_env()["FSB_HEALTH_PORT"]) == DEFAULT_HEALTH_PORT
    assert [int(p) for p in one("EXPOSE").split()] == [DEFAULT_HEALTH_PORT]
    text = (REPO / "compose.yaml").read_text()
    published = re.findall(r'"(?:[\d.]+:)?(\d+):(\d+)"', text)  # the commented ones too
    assert published and all(int(outer) == int(inner) for outer, inner in published)
    assert {int(inner) for _, inner in published} == defaults
    active = [str(p).rsplit(":", 1)[1] for p in the_service()["ports"]]  # type: ignore[attr-defined]
    assert active == [str(DEFAULT_HEALTH_PORT)]


def test_no_secret_or_database_can_reach_the_build_context() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(name: str) -> bool:
        verdict = False
        for pattern in patterns:
            negated = pattern.startswith("!")
            if fnmatch.fnmatch(name, pattern.lstrip("!").rstrip("/")):
                verdict = not negated
        return verdict

    for name in (
        ".env",
        ".env.local",
        "fsbot.db",
        "fsbot.db-wal",
        "fsbot.db-shm",
        "fsbot-demo.key",
        "team.toml",
        "fsbot.env",
        "fsbot.db.lock",
        ".git",
    ):
        assert ignored(name), name
    for name in (".env.example", "pyproject.toml", "README.md", *PACKAGES):
        assert not ignored(name), name


# -- the health check itself ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthcheck(port: int) -> int:
    """Run the image's HEALTHCHECK command as Docker would, here; its exit code."""
    command = json.loads(one("HEALTHCHECK").split(" CMD ", 1)[1])
    assert command[0] == "python" and HEALTH_PATH in command[-1]
    env = fsb_env({"FSB_HEALTH_PORT": str(port)})
    return subprocess.run(
        [sys.executable, *command[1:]], env=env, capture_output=True, timeout=30
    ).returncode


def test_the_healthcheck_passes_while_the_bot_runs_and_fails_once_it_is_gone(
    tmp_path: Path,
) -> None:
    (tmp_path / "team.toml").write_text(starter_team_text())
    port = free_port()
    env = fsb_env(
        {
            "FSB_TEAM_FILE": str(tmp_path / "team.toml"),
            "FSB_DATABASE": f"sqlite:///{tmp_path / 'bot.db'}",
            "FSB_ENCRYPTION_KEY": generate_key(),
            "FSB_HEALTH_PORT": str(port),
            "FSB_HEALTH_HOST": "127.0.0.1",
        }
    )
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert bot.poll() is None, "the bot ended"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "no health answer"
                time.sleep(0.1)
        assert healthcheck(port) == 0
    finally:
        bot.send_signal(signal.SIGKILL)
        bot.wait()
    assert healthcheck(port) != 0
