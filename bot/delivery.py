"""The sender: reads the outbox and delivers through PTB, keeping each chat's order.

Telegram's global 30 msg/s and 20 msg/min per group come from PTB's AIORateLimiter; the
one message per second per private chat, which the limiter does not do, is paced here.

Acceptances are recorded in group commits: every send that finished while the previous
record was being written goes into the next one, in one Redis transaction. A chat's next
message waits for its previous record, so at most one message per chat is ever accepted
and unrecorded (the crash window the outbox documents).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from redis.exceptions import RedisError
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from bot.clock import Clock, utc_now
from bot.logs import get_logger
from bot.metrics import timed_send
from bot.outbox import Entry, Outbox, OutgoingMessage

log = get_logger(__name__)

ChatGone = Callable[[int, str], Awaitable[None]]
ChatMoved = Callable[[int, int], Awaitable[None]]

_TAGS = re.compile(r"<[^>]+>")
# Passed as the Bot API's own JSON through `api_kwargs`, which overrides the parameter: a
# LinkPreviewOptions object is merged with the Defaults and serialized again on every send,
# about a twentieth of the worker's CPU per message in bench/delivery.py.
_PREVIEW = {flag: {"link_preview_options": {"is_disabled": flag}} for flag in (True, False)}
# An entry as a chat's queue holds it: recovered entries (pending after a crash, or
# claimed from another consumer) may have been sent already and are checked first.
_Queued = tuple[str, OutgoingMessage, bool]


# Longest wait between attempts to resume after Redis went away (each attempt also spends
# the client's own retries): short, so delivery resumes soon after Redis is back.
REDIS_RETRY_CAP = 5.0


@dataclass
class DeliverySettings:
    consumer: str = "main"
    private_chat_interval: float = 1.0
    batch: int = 500
    block_ms: int = 1000
    max_in_flight: int = 2000
    # Requests to Telegram at once. 30 msg/s at 100 ms a round trip needs 3; more only
    # queue inside httpcore, whose pool scans all its requests and connections on each
    # one (PTB's pool has 256): 64 cost a third less CPU per message than 256 here.
    max_sending: int = 64
    # Acceptances recorded in one Redis transaction at most.
    record_batch: int = 1000
    abandoned_after_ms: int = 60_000
    max_backoff: float = 60.0


class DeliveryWorker:
    def __init__(
        self,
        outbox: Outbox,
        bot: Bot,
        *,
        on_chat_gone: ChatGone,
        on_chat_moved: ChatMoved,
        settings: DeliverySettings | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._outbox = outbox
        self._bot = bot
        self._on_chat_gone = on_chat_gone
        self._on_chat_moved = on_chat_moved
        self._settings = settings or DeliverySettings()
        self._clock = clock
        self._queues: dict[int, asyncio.Queue[_Queued]] = {}
        self._chat_tasks: dict[int, asyncio.Task[None]] = {}
        self._last_sent: dict[int, float] = {}
        self._slots = asyncio.Semaphore(self._settings.max_in_flight)
        self._sending = asyncio.Semaphore(self._settings.max_sending)
        self._stopping = asyncio.Event()
        self._to_record: list[tuple[str, str, int, asyncio.Future[None]]] = []
        self._recorder: asyncio.Task[None] | None = None

    async def run(self) -> None:
        """Deliver until `stop()`, outliving Redis outages: the client's own retries cover a
        restart of a few seconds; past them the worker waits and starts over rather than
        ending, which would leave the bot up but silent until someone restarted it."""
        pause = 0.0
        while not self._stopping.is_set():
            try:
                await self._run_until_stopped()
                return
            except (RedisError, OSError) as exc:
                pause = min(REDIS_RETRY_CAP, max(1.0, pause * 2))
                log.warning("delivery_paused", error=str(exc) or type(exc).__name__, pause=pause)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), pause)

    async def _run_until_stopped(self) -> None:
        # Again after an outage: a Redis that lost its data has lost the group too. Pending
        # entries read again may already sit in a chat queue; the `recovered` check of
        # `was_sent` keeps the second copy from being sent.
        await self._outbox.ensure_group()
        s = self._settings
        after = "0"
        while pending := await self._outbox.read_pending(s.consumer, s.batch, after):
            await self._dispatch(pending, recovered=True)
            if len(pending) < s.batch:
                break
            after = pending[-1][0]
        next_claim = 0.0
        while not self._stopping.is_set():
            if time.monotonic() >= next_claim:
                await self._dispatch(
                    await self._outbox.claim_abandoned(s.consumer, s.abandoned_after_ms),
                    recovered=True,
                )
                next_claim = time.monotonic() + s.abandoned_after_ms / 1000
            entries = await self._outbox.read_new(s.consumer, s.batch, s.block_ms)
            # Never delivered to anyone before, and a key is enqueued once: not sent yet.
            await self._dispatch(entries, recovered=False)

    def stop(self) -> None:
        self._stopping.set()

    async def drain(self) -> None:
        """Wait until every chat queue read so far is empty (graceful shutdown, tests)."""
        while self._chat_tasks:
            await asyncio.gather(*list(self._chat_tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        self.stop()
        for task in self._chat_tasks.values():
            task.cancel()
        await asyncio.gather(*self._chat_tasks.values(), return_exceptions=True)
        if self._recorder is not None:  # acceptances already in hand: record them
            await asyncio.gather(self._recorder, return_exceptions=True)

    async def _dispatch(self, entries: list[Entry], *, recovered: bool) -> None:
        for entry_id, message in entries:
            await self._slots.acquire()
            chat_id = message.chat_id
            queue = self._queues.setdefault(chat_id, asyncio.Queue())
            queue.put_nowait((entry_id, message, recovered))
            if chat_id not in self._chat_tasks:
                self._chat_tasks[chat_id] = asyncio.create_task(self._chat_loop(chat_id))

    async def _chat_loop(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while not queue.empty():
                entry_id, message, recovered = queue.get_nowait()
                try:
                    await self._deliver(entry_id, message, recovered)
                except Exception:  # Redis down past its retries: the entry stays pending
                    log.exception("delivery_failed", chat_id=chat_id, key=message.key)
                finally:
                    self._slots.release()
        finally:
            self._chat_tasks.pop(chat_id, None)
            if queue.empty():
                self._queues.pop(chat_id, None)
            else:  # entries arrived while the loop was ending
                self._chat_tasks[chat_id] = asyncio.create_task(self._chat_loop(chat_id))

    async def _deliver(self, entry_id: str, message: OutgoingMessage, recovered: bool) -> None:
        if recovered and await self._outbox.was_sent(message.key):
            # Its acceptance is recorded: acknowledge it, never send it twice.
            await self._outbox.acknowledge(entry_id)
            return
        chat_id, attempt, plain = message.chat_id, 0, False
        while True:
            await self._pace(chat_id)
            try:
                sent = await self._send(chat_id, message, plain)
            except RetryAfter as exc:
                await self._outbox.count("retry_after", self._clock())
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except ChatMigrated as exc:
                await self._outbox.count("migrated", self._clock())
                await self._on_chat_moved(chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
                continue
            except Forbidden as exc:
                await self._gone(entry_id, message, "forbidden", str(exc))
                return
            except BadRequest as exc:
                reason = str(exc).lower()
                if "chat not found" in reason or "user not found" in reason:
                    await self._gone(entry_id, message, "chat_not_found", str(exc))
                    return
                if "can't parse entities" in reason and not plain:
                    plain = True  # our HTML was wrong: deliver the words rather than nothing
                    continue
                await self._outbox.drop(entry_id, message, "bad_request", self._clock())
                log.error("message_refused", chat_id=chat_id, key=message.key, error=str(exc))
                return
            except NetworkError as exc:  # TimedOut, 5xx, connection errors
                attempt += 1
                await self._outbox.count("network_error", self._clock())
                delay = min(self._settings.max_backoff, 0.5 * 2 ** min(attempt, 10))
                log.warning("send_retry", chat_id=chat_id, attempt=attempt, error=str(exc))
                await asyncio.sleep(delay)
                continue
            await self._record_sent(entry_id, message.key, sent.message_id)
            return

    async def _record_sent(self, entry_id: str, key: str, message_id: int) -> None:
        """Record an acceptance in the next group commit and wait until it is written."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._to_record.append((entry_id, key, message_id, done))
        if self._recorder is None:
            self._recorder = asyncio.create_task(self._write_records())
        await done

    async def _write_records(self) -> None:
        try:
            while self._to_record:
                limit = self._settings.record_batch
                batch, self._to_record = self._to_record[:limit], self._to_record[limit:]
                try:
                    await self._outbox.mark_sent_many(
                        [(entry_id, key, message_id) for entry_id, key, message_id, _ in batch],
                        self._clock(),
                    )
                except Exception as exc:
                    for *_, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for *_, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._recorder = None

    async def _send(self, chat_id: int, message: OutgoingMessage, plain: bool) -> Message:
        try:
            async with self._sending, timed_send():
                return await self._bot.send_message(
                    chat_id=chat_id,
                    text=_plain(message.text) if plain else message.text,
                    parse_mode=None if plain else ParseMode.HTML,
                    message_thread_id=message.thread_id,
                    reply_markup=_markup(message),
                    api_kwargs=_PREVIEW[message.disable_preview],
                )
        finally:
            # Paced from the end of the last attempt: Telegram counts arrivals, and a slow
            # request followed by a fast one would otherwise land closer than the interval.
            self._last_sent[chat_id] = time.monotonic()

    async def _gone(self, entry_id: str, message: OutgoingMessage, reason: str, error: str) -> None:
        log.info("chat_unreachable", chat_id=message.chat_id, reason=reason, error=error)
        await self._on_chat_gone(message.chat_id, reason)
        await self._outbox.drop(entry_id, message, reason, self._clock())

    async def _pace(self, chat_id: int) -> None:
        if chat_id < 0:
            return  # groups and channels: the rate limiter's 20 per minute applies
        last = self._last_sent.get(chat_id)
        if last is not None:
            wait = self._settings.private_chat_interval - (time.monotonic() - last)
            if wait > 0:
                await asyncio.sleep(wait)


def _markup(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    data = message.markup()
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def _plain(text: str) -> str:
    return html.unescape(_TAGS.sub("", text))


def _seconds(retry_after: object) -> float:
    if hasattr(retry_after, "total_seconds"):
        return float(retry_after.total_seconds())  # type: ignore[union-attr]
    return float(retry_after)  # type: ignore[arg-type]
