"""JobQueue registration: the recurring work the bot does on its own."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.logs import get_logger
from bot.services import services_from

log = get_logger(__name__)

# Feeds have their own next-due times; checking every minute keeps them punctual.
DUE_CHECK_EVERY = timedelta(seconds=60)
RETENTION_EVERY = timedelta(hours=1)


async def poll_due_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    poller = services_from(context.bot_data).poller
    if poller is not None:
        await poller.poll_due()


async def send_due_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    await services_from(context.bot_data).digests.send_due()


async def apply_retention(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop expired articles from the time indexes and the search index."""
    svc = services_from(context.bot_data)
    now = svc.clock()
    dropped = await svc.articles.cleanup(now)
    unindexed = await svc.search.index.prune(now)
    if dropped or unindexed:
        log.info("retention_applied", articles=dropped, unindexed=unindexed)


def register_jobs(application: Application, poll_interval: timedelta) -> None:
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    queue.run_repeating(
        poll_due_feeds,
        interval=min(DUE_CHECK_EVERY, poll_interval),
        first=1,
        name="poll_cycle",
        # A cycle that overruns its interval is not started twice.
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": 30},
    )
    queue.run_repeating(
        send_due_digests,
        interval=DUE_CHECK_EVERY,
        first=2,
        name="due_digests",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": 30},
    )
    queue.run_repeating(
        apply_retention,
        interval=RETENTION_EVERY,
        first=30,
        name="retention",
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
