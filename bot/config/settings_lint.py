"""What ``fsbot check-config`` says about the FSB_* settings (the environment and ``.env``) beside
the team file: warnings, never failures (issue 18). Pure: it reads a loaded :class:`Settings`.
"""

from __future__ import annotations

from bot.config.settings import Settings
from bot.config.team_schema import TeamFile
from bot.domain.readiness import CHANNEL_WITHOUT_TOKEN, NO_KEY, NO_PLATFORM, Finding


def running_platforms(settings: Settings) -> list[str]:
    """The platforms whose credentials are set: those ``fsbot run`` starts."""
    found = []
    if settings.telegram_token is not None:
        found.append("telegram")
    if settings.slack_bot_token is not None:
        found.append("slack")
    return found


def settings_findings(settings: Settings, config: TeamFile) -> list[Finding]:
    """No key; no platform at all; a team channel on a platform with no token."""
    found: list[Finding] = []
    if settings.encryption_key is None:
        found.append(Finding(NO_KEY, blocking=True))
    running = running_platforms(settings)
    if not running:
        found.append(Finding(NO_PLATFORM, blocking=True))
        return found
    for platform in ("telegram", "slack"):
        if getattr(config.channels, platform) is not None and platform not in running:
            found.append(Finding(CHANNEL_WITHOUT_TOKEN, "channel", platform))
    return found
