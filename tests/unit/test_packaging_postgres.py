"""compose.postgres.yaml: two bots on one PostgreSQL service, as README's "On PostgreSQL" says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.config.settings import Settings

REPO = Path(__file__).resolve().parents[2]
FSB_NAME = re.compile(r"\bFSB_[A-Z0-9_]+")


def services() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "compose.postgres.yaml").read_text())
    assert isinstance(loaded, dict)
    found = loaded["services"]
    assert isinstance(found, dict)
    return found


def test_two_bots_share_the_postgresql_service() -> None:
    found = services()
    bots = [name for name in found if name != "postgres"]
    assert len(bots) == 2
    postgres = found["postgres"]["environment"]
    for name in bots:
        bot = found[name]
        url = Settings.model_construct(database=bot["environment"]["FSB_DATABASE"]).postgres_url
        assert url is not None
        assert f"{postgres['POSTGRES_USER']}:" in url
        assert url.endswith(f"@postgres:5432/{postgres['POSTGRES_DB']}")
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert bot["env_file"] == ["fsbot.env"]
    # each its own volume (its inbox) and its own published health port
    volumes = [found[name]["volumes"][0].split(":")[0] for name in bots]
    ports = [found[name]["ports"][0].rsplit(":", 2)[1] for name in bots]
    assert len(set(volumes)) == 2 and len(set(ports)) == 2


def test_every_fsb_name_in_it_is_a_setting() -> None:
    names = {f"FSB_{name.upper()}" for name in Settings.model_fields}
    used = set(FSB_NAME.findall((REPO / "compose.postgres.yaml").read_text()))
    assert used and used <= names, used - names
