"""JobQueue registration: the recurring work the bot does on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from telegram.ext import Application, ContextTypes

from bot.leader import LEADERSHIP_KEY, Leadership
from bot.logs import get_logger
from bot.services import services_from

log = get_logger(__name__)

# Feeds have their own next-due times; checking every minute keeps them punctual.
DUE_CHECK_EVERY = timedelta(seconds=60)
RETENTION_EVERY = timedelta(hours=1)
POLL_JOB = "poll_cycle"


async def poll_due_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    # Only the leader polls: the others would fetch every feed again and race its
    # health records (item claims already keep an article from being stored twice).
    leadership = context.bot_data.get(LEADERSHIP_KEY)
    if isinstance(leadership, Leadership) and not leadership.is_leader:
        return
    poller = services_from(context.bot_data).poller
    if poller is not None:
        await poller.poll_due()


def poll_now(application: Application) -> None:
    """Run the poll cycle job at once, keeping its schedule's rules (one cycle at a time):
    a newly elected leader's predecessor may have died mid-cycle."""
    if application.job_queue is None:
        return
    for job in application.job_queue.get_jobs_by_name(POLL_JOB):
        # A paused job (no next run time) stays paused. Not `job.enabled`: PTB reports
        # False there until it is first set. Before the queue starts there is no attribute.
        if getattr(job.job, "next_run_time", True) is not None:
            job.job.modify(next_run_time=datetime.now(UTC))


# Every instance runs the two jobs below: each due digest is claimed before it is built
# (bot/digest_scheduler.py), and retention's removals are idempotent.
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
        name=POLL_JOB,
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
