# Wijkstem in a container: `docker build -t wijkstem .` then
# `docker run -e WIJKSTEM_TELEGRAM_TOKEN=... -v wijkstem-data:/data wijkstem`
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot bot
COPY conversations conversations
COPY insights insights
COPY storage storage
COPY locales locales
RUN pip install --no-cache-dir . && useradd --create-home wijkstem && mkdir /data \
    && chown wijkstem /data
USER wijkstem
ENV WIJKSTEM_DB=/data/wijkstem.sqlite3
VOLUME /data
CMD ["wijkstem", "run"]
