"""Runs the Telegram application until SIGINT or SIGTERM: long polling by default,
Telegram's webhook when WEBHOOK_URL is set, with the web server (/healthz, /metrics, and
the webhook) beside either.

Not `run_polling` / `run_webhook`: the web server has to live as long as the application
and PTB's own webhook server has no room for /healthz and /metrics.
"""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack
from urllib.parse import urlsplit

from telegram.ext import Application

from bot.app import ALLOWED_UPDATES
from bot.logs import get_logger
from bot.web import build_web_app, start_web_server
from config.settings import Settings

log = get_logger(__name__)


class ListenError(RuntimeError):
    """The webhook's web server cannot listen on HTTP_HOST:HTTP_PORT."""


def webhook_path(webhook_url: str) -> str:
    """The path Telegram posts to: what a TLS proxy in front forwards unchanged."""
    return urlsplit(webhook_url).path or "/"


async def serve(application: Application, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # Closed in reverse: no new updates (web server, updater) before the application
    # finishes those it has, then shutdown and post_shutdown (the delivery worker, Redis).
    async with AsyncExitStack() as stack:
        await application.initialize()
        stack.push_async_callback(_shutdown, application)
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        stack.push_async_callback(application.stop)
        await _start_web(application, settings, stack)
        if settings.webhook_url:
            # Every instance sets the same URL at start: repeating it changes nothing.
            await application.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("bot_running", mode="webhook", url=settings.webhook_url)
        else:
            assert application.updater is not None
            # start_polling deletes any webhook first, so switching back needs no step.
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            stack.push_async_callback(application.updater.stop)
            log.info("bot_running", mode="polling")
        await stop.wait()
        log.info("bot_stopping")


async def _start_web(application: Application, settings: Settings, stack: AsyncExitStack) -> None:
    webhook = settings.webhook_url
    if not webhook and not settings.http_port:
        return
    app = build_web_app(
        application,
        webhook_path=webhook_path(webhook) if webhook else None,
        secret_token=settings.webhook_secret_token,
    )
    try:
        server = await start_web_server(app, settings.http_host, settings.http_port)
    except OSError as exc:
        where = f"{settings.http_host}:{settings.http_port}"
        if webhook:
            raise ListenError(f"HTTP_PORT: cannot listen on {where}: {exc.strerror}") from None
        # Polling works without it: the bot goes on delivering, only unobserved.
        log.error("web_server_unavailable", address=where, error=exc.strerror)
        return
    stack.push_async_callback(server.stop)


async def _shutdown(application: Application) -> None:
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
