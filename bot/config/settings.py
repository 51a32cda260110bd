"""Process settings from the environment (``FSB_*``) and an optional ``.env`` file.

Secrets and deployment details live here, never in the team file: the team file is shared and
edited by the team, while tokens and keys belong to whoever runs the bot. Secrets are
``SecretStr`` so they never show up in a repr, a log line or a traceback. An adapter runs only
when its credentials are present, so every platform setting is optional.
"""

import logging
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.config.email_address import normal_email

__all__ = ["DEFAULT_HEALTH_PORT", "DEFAULT_PAGE_WAIT", "LOG_FORMATS", "Settings"]

DEFAULT_HEALTH_PORT = 8081
"""Where ``GET /healthz`` and ``GET /metrics`` are served unless ``FSB_HEALTH_PORT`` says
otherwise (paths: bot/ports/health.py)."""
DEFAULT_PAGE_WAIT = 60.0
"""Seconds a page may wait unsent before the health check answers 503."""
LOG_FORMATS = ("plain", "json")

_SQLITE_PREFIX = "sqlite:///"
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Everything the bot needs from its environment; see ``.env.example`` for each variable."""

    model_config = SettingsConfigDict(
        env_prefix="FSB_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # ``FSB_TELEGRAM_TOKEN=`` left blank in .env means "not set", not "an empty token":
        # otherwise an adapter would start with no credentials and fail at its first call.
        env_ignore_empty=True,
    )

    database: str = "sqlite:///fsbot.db"
    """Database URL: ``sqlite:///FILE`` (see :attr:`sqlite_path`) or ``postgresql://...`` (see
    :attr:`postgres_url`)."""
    team_file: Path = Path("team.toml")
    """The team file (TOML) describing members, rota and escalation."""
    encryption_key: SecretStr | None = None
    """Key that encrypts report narratives and identities at rest."""

    telegram_token: SecretStr | None = None
    """Bot token from @BotFather; the Telegram adapter runs only when it is set."""
    telegram_api_url: str = "https://api.telegram.org/bot"
    """Bot API base URL; point it at a self-hosted Bot API server or a test fake."""
    telegram_webhook_url: str | None = None
    """Public HTTPS URL for webhook mode; long polling is used when unset."""
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    """Local port the webhook server listens on."""
    telegram_webhook_secret: SecretStr | None = None
    """Secret Telegram echoes in a header, so forged webhook calls can be refused."""

    slack_bot_token: SecretStr | None = None
    """``xoxb-`` bot token; the Slack adapter runs only when it is set."""
    slack_signing_secret: SecretStr | None = None
    """Verifies that HTTP-mode requests really come from Slack."""
    slack_app_token: SecretStr | None = None
    """``xapp-`` app-level token; when set, Socket Mode is used instead of HTTP."""
    slack_api_url: str = "https://slack.com/api/"
    """Web API base URL; overridden in tests to reach a local fake."""
    slack_port: int = Field(default=3000, ge=1, le=65535)
    """Local port for Slack's HTTP mode (events and button presses)."""

    smtp_host: str | None = None
    """SMTP server for e-mail to ``[[external]]`` contacts; e-mail is sent only when it is set."""
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    """Its port; unset: 587 with STARTTLS, 465 with TLS, 25 with none."""
    smtp_username: str | None = None
    """Login name, if the server wants one (with :attr:`smtp_password`)."""
    smtp_password: SecretStr | None = None
    """Login password (or app password)."""
    smtp_from: str | None = None
    """The From address of the bot's e-mail; replies go there. Required with a host."""
    smtp_tls: Literal["starttls", "tls", "none"] = "starttls"
    """``starttls`` (required, not opportunistic), ``tls`` (from the first byte) or ``none``
    (a relay on the same machine or network only)."""

    log_level: str = "INFO"
    """Python logging level name."""
    log_format: str = "plain"
    """``plain`` (one readable line each) or ``json`` (one JSON object a line)."""

    health_port: int = Field(default=DEFAULT_HEALTH_PORT, ge=0, le=65535)
    """Port of the health server (``GET /healthz``, ``GET /metrics``) in every mode; 0: none."""
    health_host: str = "0.0.0.0"
    """Address the health server listens on (all interfaces, so a container's port and a
    Prometheus server elsewhere reach it; ``127.0.0.1`` keeps it to this machine)."""
    health_page_wait: float = Field(default=DEFAULT_PAGE_WAIT, gt=0)
    """Seconds a page may wait unsent before ``/healthz`` answers 503."""

    @field_validator("log_format")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        """``plain`` or ``json``, in any case."""
        form = value.strip().lower()
        if form not in LOG_FORMATS:
            raise ValueError(f"FSB_LOG_FORMAT must be plain or json, not {value!r}")
        return form

    stats_min_count: int = Field(default=5, ge=1, le=100)
    """``fsbot stats`` shows counts under this as "fewer than N" (1 hides nothing)."""

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        """Fail at start-up on a typo instead of logging at a level nobody chose."""
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(
                f"FSB_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, not {value!r}"
            )
        return level

    @model_validator(mode="after")
    def _smtp_sender(self) -> "Settings":
        """A host without a From address (or a bad one) fails at start, not at the first e-mail."""
        if self.smtp_host is not None:
            if self.smtp_from is None:
                raise ValueError("FSB_SMTP_HOST is set, so FSB_SMTP_FROM must be too")
            self.smtp_from = normal_email(self.smtp_from)
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise ValueError("set FSB_SMTP_USERNAME and FSB_SMTP_PASSWORD together, or neither")
        return self

    @property
    def log_level_number(self) -> int:
        """The numeric level, for ``logging.basicConfig(level=...)``."""
        return logging.getLevelNamesMapping()[self.log_level]

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file named by :attr:`database`.

        ``sqlite:///fsbot.db`` is relative to the working directory and
        ``sqlite:////var/lib/fsbot/fsbot.db`` is absolute (the usual SQLAlchemy-style URL), so
        deployments can use the same URLs they know from other tools.

        Raises:
            ValueError: for any other scheme (a ``postgresql://`` URL too: see
                :attr:`postgres_url`), because silently falling back to a local file would lose
                the operator's data.
        """
        url = self.database.strip()
        if self.postgres_url is not None:
            raise ValueError(
                f"FSB_DATABASE names a PostgreSQL database ({_without_password(url)}); this"
                " command works on an SQLite file (sqlite:///fsbot.db)"
            )
        if not url.startswith(_SQLITE_PREFIX):
            raise ValueError(
                f"FSB_DATABASE={_without_password(url)!r}: write sqlite:///FILE or"
                " postgresql://USER@HOST/DATABASE (e.g. sqlite:///fsbot.db or"
                " postgresql://fsbot@localhost/fsbot)"
            )
        rest = url[len(_SQLITE_PREFIX) :]
        if not rest:
            raise ValueError(f"FSB_DATABASE={url!r} names no file; write e.g. sqlite:///fsbot.db")
        return Path(rest)

    @property
    def postgres_url(self) -> str | None:
        """The PostgreSQL database named by :attr:`database` (a libpq URL,
        ``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE``), or None for an SQLite file."""
        url = self.database.strip()
        return url if url.startswith(_POSTGRES_PREFIXES) else None


def _without_password(url: str) -> str:
    """A database URL fit to show: any password replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, colon, _ = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"
