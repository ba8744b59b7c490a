"""Composition root: the one place that wires the Telegram application together."""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import AsyncExitStack
from datetime import timedelta

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.delivery import DeliverySettings, DeliveryWorker
from bot.ingest.fetch import FeedFetcher, FetchLimits
from bot.ingest.nlp_pool import NlpPool
from bot.jobs import poll_now, register_jobs
from bot.leader import LEADERSHIP_KEY, Leadership
from bot.logs import get_logger
from bot.poller import Poller
from bot.services import SERVICES_KEY, Services
from bot.telegram_request import AiohttpRequest
from bot.texts import COMMANDS
from config.feeds import load_feeds
from handlers import admin as admin_handlers
from handlers import alerts, language, search, start, subscription, text_input
from handlers import channels as channel_handlers
from handlers import feeds_admin as feed_handlers
from handlers import help as help_handlers
from handlers import settings as settings_menu
from handlers import stats as stats_handlers
from handlers.errors import on_error
from handlers.keyboards import LANGUAGE_PATTERN
from handlers.request_id import REQUEST_ID_GROUP, bind_request_id

log = get_logger(__name__)

RESOURCES_KEY = "resources"
DELIVERY_KEY = "delivery"


def file_base_url(api_base_url: str) -> str:
    """Telegram serves files from /file/bot<token>/… beside /bot<token>/…."""
    head, sep, _tail = api_base_url.rstrip("/").rpartition("/bot")
    return f"{head}/file/bot" if sep else api_base_url


def build_application(services: Services) -> Application:
    settings = services.settings
    if settings.token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the Telegram application")
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        tzinfo=settings.tz,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_url)
        .base_file_url(file_base_url(settings.telegram_api_url))
        .defaults(defaults)
        .request(AiohttpRequest())
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.send_rate_overall,
                overall_time_period=1,
                group_max_rate=settings.send_rate_group,
                group_time_period=60,
                max_retries=3,
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    register_jobs(application, timedelta(seconds=settings.poll_interval))
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, bind_request_id), group=REQUEST_ID_GROUP)
    application.add_handler(CommandHandler("start", start.start))
    application.add_handler(CommandHandler("help", help_handlers.help_command))
    application.add_handler(CommandHandler("language", language.language_menu))
    application.add_handler(CommandHandler("digest", subscription.digest_now))
    application.add_handler(CommandHandler("stop", subscription.stop))
    application.add_handler(CommandHandler("forget", subscription.forget))
    application.add_handler(CommandHandler("settings", settings_menu.settings_command))
    application.add_handler(CommandHandler("alerts", alerts.alerts_command))
    application.add_handler(CommandHandler("search", search.search_command))
    application.add_handler(
        CallbackQueryHandler(search.search_page_button, pattern=search.SEARCH_PAGE_PATTERN)
    )
    application.add_handler(InlineQueryHandler(search.inline_search))
    application.add_handler(
        CallbackQueryHandler(language.language_chosen, pattern=LANGUAGE_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(settings_menu.settings_button, pattern=settings_menu.SETTINGS_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(alerts.alert_remove_button, pattern=alerts.ALERT_REMOVE_PATTERN)
    )
    application.add_handler(
        CallbackQueryHandler(subscription.forget_answer, pattern=subscription.FORGET_PATTERN)
    )
    application.add_handler(
        ChatMemberHandler(subscription.membership_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, text_input.on_text
        )
    )
    # Admins (each handler refuses everyone else politely).
    for name, callback in (
        ("admins", admin_handlers.admins_command),
        ("audit", admin_handlers.audit_command),
        ("feeds", feed_handlers.feeds_command),
        ("addfeed", feed_handlers.addfeed_command),
        ("removefeed", feed_handlers.removefeed_command),
        ("pausefeed", feed_handlers.pausefeed_command),
        ("resumefeed", feed_handlers.resumefeed_command),
        ("opml", feed_handlers.opml_export),
        ("channels", channel_handlers.channels_command),
        ("stats", stats_handlers.stats_command),
        ("broadcast", stats_handlers.broadcast_command),
    ):
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(
        MessageHandler(
            feed_handlers.OPML_DOCUMENT & filters.ChatType.PRIVATE, feed_handlers.opml_import
        )
    )
    application.add_handler(
        CallbackQueryHandler(
            stats_handlers.broadcast_button, pattern=stats_handlers.BROADCAST_PATTERN
        )
    )
    # Last: anything that looks like a command or a button nobody above claimed, and in a
    # private chat any other message (photos, stickers, voice, other files).
    application.add_handler(MessageHandler(filters.COMMAND, help_handlers.unknown_command))
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, help_handlers.unsupported_message
        )
    )
    application.add_handler(CallbackQueryHandler(help_handlers.stale_button))
    application.add_error_handler(on_error)


async def _post_init(application: Application) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    await set_command_menus(application)
    await admin_handlers.set_admin_menus(application)
    seeded = await services.feeds.seed(load_feeds(services.settings.feeds_file), services.clock())
    if seeded:
        log.info("feeds_seeded", count=seeded, source=str(services.settings.feeds_file))
    resources = AsyncExitStack()
    fetcher = await resources.enter_async_context(
        FeedFetcher(FetchLimits(allow_networks=services.settings.fetch_allow_networks))
    )
    application.bot_data[RESOURCES_KEY] = resources
    services.fetcher = fetcher
    # Its workers start with the first poll: an instance that never leads runs none.
    nlp = NlpPool(
        services.settings.nlp_workers,
        log_level=services.settings.log_level,
        log_format=services.settings.log_format,
    )
    resources.push_async_callback(nlp.close)
    services.nlp = nlp
    services.poller = Poller(
        services.feeds,
        fetcher,
        services.ingest_pipeline(fetcher, nlp),
        clock=services.clock,
        interval=timedelta(seconds=services.settings.poll_interval),
        redis=services.redis,
    )
    worker = DeliveryWorker(
        services.outbox,
        application.bot,
        on_chat_gone=services.chat_unreachable,
        on_chat_moved=services.chat_moved,
        settings=DeliverySettings(
            consumer=services.settings.instance_name,
            private_chat_interval=services.settings.private_chat_interval,
        ),
        clock=services.clock,
    )
    application.bot_data[DELIVERY_KEY] = worker
    # Not application.create_task: PTB awaits those at stop, and this loop runs until told.
    task = asyncio.create_task(worker.run(), name="delivery")
    resources.push_async_callback(_stop_worker, worker, task)
    # Of several instances on one Redis, only the leader polls (bot/jobs.py); the first try
    # is made here, so a lone instance leads from its first cycle.
    leadership = Leadership(
        services.redis,
        services.settings.instance_name,
        services.settings.leader_ttl,
        on_elected=lambda: poll_now(application),
    )
    application.bot_data[LEADERSHIP_KEY] = leadership
    await leadership.start()
    resources.push_async_callback(leadership.close)


async def _stop_worker(worker: DeliveryWorker, task: asyncio.Task[None]) -> None:
    await worker.close()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    resources = application.bot_data.pop(RESOURCES_KEY, None)
    if resources is not None:
        await resources.aclose()
    await services.redis.aclose()


async def set_command_menus(application: Application) -> None:
    """The command menu in every UI language, and the default language for the rest."""
    services: Services = application.bot_data[SERVICES_KEY]
    for lang, commands in COMMANDS.items():
        await application.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=lang,
        )
    default = COMMANDS[services.settings.default_language]
    await application.bot.set_my_commands([BotCommand(n, d) for n, d in default])
    log.info("command_menus_set", languages=list(COMMANDS))


ALLOWED_UPDATES = Update.ALL_TYPES
