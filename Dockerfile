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

CMD ["python", "-m", "bot", "run"]
