# Wijkstem in a container: `docker build -t wijkstem .` then
# `docker run -e WIJKSTEM_TELEGRAM_TOKEN=... -v wijkstem-data:/data wijkstem`
FROM python:3.11-slim
WORKDIR /app
# Fonts for Latin, Arabic script and Ethiopic, for reports printed where the bot runs.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot bot
COPY conversations conversations
COPY insights insights
COPY storage storage
COPY locales locales
RUN pip install --no-cache-dir --no-deps . && useradd --create-home wijkstem \
    && mkdir -p /data/models /data/keys && chown -R wijkstem /data
USER wijkstem
# The database, its key file and the trained tagger models live on the volume, writable by the
# bot.
ENV WIJKSTEM_DB=/data/wijkstem.sqlite3 WIJKSTEM_MODELS=/data/models \
    WIJKSTEM_WHATSAPP_TEMPLATES=/data/whatsapp-templates.toml \
    WIJKSTEM_WEB_HOST=0.0.0.0 WIJKSTEM_WEB_PORT=8080
# Meta's webhook (/whatsapp), Telegram's in webhook mode (/telegram), /healthz.
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s CMD ["wijkstem", "check"]
CMD ["wijkstem", "run"]
