# Friendly Space Bot in a container: `docker compose up -d` with compose.yaml beside this file.
# The database, its -wal and the optional .env holding the key live on the volume /data; the
# team file is mounted read-only at /config/team.toml. See README, "Running in a container".

# -- build: a wheel of the bot and of everything it needs, so the image has no compiler or cache
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY handlers ./handlers
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# -- run
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin fsbot \
    && mkdir -p /data /config \
    && chown fsbot:fsbot /data \
    && chmod 0700 /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-compile /wheels/*.whl && rm -rf /wheels

ENV FSB_DATABASE=sqlite:////data/fsbot.db \
    FSB_TEAM_FILE=/config/team.toml \
    FSB_HEALTH_PORT=8081
VOLUME ["/data"]
# fsbot reads .env from here too: `fsbot init --dir /data` writes the key to /data/.env
WORKDIR /data
USER fsbot
# health and metrics; Slack HTTP mode (FSB_SLACK_PORT) and Telegram webhooks
# (FSB_TELEGRAM_WEBHOOK_PORT) listen on 3000 and 8443 when used
EXPOSE 8081

# slim has no curl: python's urllib asks GET /healthz, and an answer other than 200 fails
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('FSB_HEALTH_PORT', '8081'), timeout=4)"]

STOPSIGNAL SIGTERM
CMD ["fsbot", "run"]
