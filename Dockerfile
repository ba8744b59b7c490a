FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data \
    LOG_FORMAT=json

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY bot ./bot
COPY handlers ./handlers
COPY summarizer ./summarizer
COPY config ./config

RUN useradd --create-home --uid 10001 sayasat \
    && mkdir -p /data \
    && chown sayasat:sayasat /data
USER sayasat
VOLUME ["/data"]

# /healthz and /metrics (and Telegram's webhook when WEBHOOK_URL is set).
ENV HTTP_PORT=8080
EXPOSE 8080
# 503 (Redis unreachable, no poll cycle for three intervals) makes urlopen raise: unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

CMD ["python", "-m", "bot", "run"]
