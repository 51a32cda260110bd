"""Tokens checked for their shape before anything is started: the common mistakes (a token
pasted into the wrong variable, a part missing, quotes kept) answered in one line that says
what to do, without ever showing the token. A token of the right shape that the platform
refuses is the adapter's to report (adapters/*/runner.py).
"""

from __future__ import annotations

import re

from bot.config.settings import Settings

_TELEGRAM = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


def problems(settings: Settings) -> list[str]:
    """One line per token that cannot be right, in the order of the settings; [] when none."""
    found: list[str] = []
    telegram = settings.telegram_token.get_secret_value() if settings.telegram_token else None
    if telegram is not None and not _TELEGRAM.match(telegram.strip()):
        found.append(
            "FSB_TELEGRAM_TOKEN is not shaped like a Telegram bot token (digits, a colon,"
            " then letters and digits): copy it again from @BotFather (/mybots -> API"
            " Token), without quotes or spaces."
        )
    bot = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    app = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    if bot is not None and not bot.startswith("xoxb-"):
        where = " (that one goes in FSB_SLACK_APP_TOKEN)" if bot.startswith("xapp-") else ""
        found.append(
            f"FSB_SLACK_BOT_TOKEN must be the bot token, which starts with xoxb-{where}: in"
            " Slack, your app -> OAuth & Permissions -> Bot User OAuth Token."
        )
    if app is not None and not app.startswith("xapp-"):
        where = " (that one goes in FSB_SLACK_BOT_TOKEN)" if app.startswith("xoxb-") else ""
        found.append(
            f"FSB_SLACK_APP_TOKEN must be an app-level token, which starts with xapp-{where}:"
            " in Slack, your app -> Basic Information -> App-Level Tokens, with the scope"
            " connections:write."
        )
    return found
