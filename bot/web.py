"""The bot's HTTP side, one aiohttp application: Telegram's webhook (in webhook mode),
`/healthz` for load balancers and orchestrators, `/metrics` for Prometheus.

The webhook only checks the secret token and hands the update to PTB's update queue (PTB's
custom-webhook pattern); everything an update changes lives in Redis, so any number of
instances behind one URL can take updates.
"""

from __future__ import annotations

import hmac
import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from prometheus_client.aiohttp import make_aiohttp_handler
from redis.exceptions import RedisError
from telegram import Update
from telegram.ext import Application

from bot import keys
from bot.health import Health, check_health
from bot.logs import get_logger
from bot.metrics import (
    LAST_POLL_AGE,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
    REDIS_UP,
    WEBHOOK_REQUESTS,
)
from bot.services import Services, services_from

log = get_logger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


class _Endpoints:
    def __init__(
        self, application: Application, services: Services, secret_token: str | None
    ) -> None:
        self._application = application
        self._services = services
        self._secret = (secret_token or "").encode()
        self._started_at: datetime = services.clock()
        self._prometheus = make_aiohttp_handler()

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        # Constant time: the comparison must not tell an attacker how much they got right.
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self._secret):
            WEBHOOK_REQUESTS.labels(result="forbidden").inc()
            reason = "wrong secret token" if given else "no secret token"
            log.warning("webhook_refused", reason=reason, peer=request.remote)
            return web.Response(status=403, text="Forbidden")
        try:
            update = _update(json.loads(await request.read()), self._application)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            WEBHOOK_REQUESTS.labels(result="malformed").inc()
            log.warning("webhook_malformed", error=str(exc)[:200], peer=request.remote)
            return web.Response(status=400, text="Malformed update")
        if not await self._first_delivery(update.update_id):
            # Telegram resends an update whose 200 it did not see, possibly to another
            # instance: answered, not handled twice.
            WEBHOOK_REQUESTS.labels(result="duplicate").inc()
            log.info("webhook_duplicate", update_id=update.update_id)
            return web.Response(text="OK")
        await self._application.update_queue.put(update)
        WEBHOOK_REQUESTS.labels(result="accepted").inc()
        return web.Response(text="OK")

    async def _first_delivery(self, update_id: int) -> bool:
        try:
            claimed = await self._services.redis.set(
                keys.webhook_update(update_id), "1", nx=True, ex=keys.WEBHOOK_UPDATE_TTL
            )
        except RedisError as exc:
            # Redis away: handling an update twice beats dropping it.
            log.warning("webhook_dedupe_unavailable", error=str(exc))
            return True
        return bool(claimed)

    async def healthz(self, _request: web.Request) -> web.Response:
        health = await self._health()
        return web.json_response(health.as_json(), status=200 if health.healthy else 503)

    async def metrics(self, request: web.Request) -> web.StreamResponse:
        health = await self._health()
        REDIS_UP.set(1 if health.redis_ok else 0)
        OUTBOX_PENDING.set(_number(health.outbox_pending))
        OUTBOX_OLDEST_AGE.set(_number(health.outbox_oldest_age_seconds))
        LAST_POLL_AGE.set(_number(health.last_poll_age_seconds))
        return await self._prometheus(request)

    async def _health(self) -> Health:
        services = self._services
        return await check_health(
            services.redis,
            services.clock(),
            timedelta(seconds=services.settings.poll_interval),
            self._started_at,
        )


def _update(data: Any, application: Application) -> Update:
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise ValueError("not a Telegram update (no integer update_id)")
    update = Update.de_json(data, application.bot)
    if update is None:
        raise ValueError("empty update")
    return update


def _number(value: float | None) -> float:
    # Prometheus' way of saying "unknown" (Redis did not answer, or nothing is waiting).
    return math.nan if value is None else float(value)


def build_web_app(
    application: Application, *, webhook_path: str | None = None, secret_token: str | None = None
) -> web.Application:
    """The routes; the webhook only with a path and the secret Telegram was given."""
    endpoints = _Endpoints(application, services_from(application.bot_data), secret_token)
    app = web.Application()
    if webhook_path is not None:
        if not secret_token:
            raise ValueError("a webhook needs its secret token")
        app.router.add_post(webhook_path, endpoints.webhook)
    app.router.add_get(HEALTH_PATH, endpoints.healthz)
    app.router.add_get(METRICS_PATH, endpoints.metrics)
    return app


@dataclass
class WebServer:
    runner: web.AppRunner
    host: str
    port: int

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_web_server(app: web.Application, host: str, port: int) -> WebServer:
    """Listen on host:port (port 0: a free one, see `WebServer.port`)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound = port
    for address in runner.addresses:
        bound = int(address[1])
        break
    log.info("web_server_listening", host=host, port=bound)
    return WebServer(runner, host, bound)
