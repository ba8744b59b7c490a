"""Delivery throughput against the Bot API stand-in, with a fresh Redis.

    .venv/bin/python bench/delivery.py [--subscribers 10000] [--limited 1500 | --limited-all]
                                       [--stand-in process|inline] [--profile FILE]

1. baseline: a bare `bot.send_message` loop through PTB out of the box (its httpx
   transport; no outbox, no limiter), as many requests at once as PTB's connection pool
   allows: what PTB and the stand-in can do.
2. limiter off: every subscriber gets one message through the real Outbox and
   DeliveryWorker (a PTB Bot without AIORateLimiter, no per-chat pause): messages per
   second, lost, duplicated. Goal ≥ 2,000/s.
3. limiter on: the Bot exactly as bot/app.py builds it (AIORateLimiter, 30 msg/s overall),
   `--limited` messages to as many chats: the sustained rate from the stand-in's own
   timestamps, the busiest second, lost, duplicated. Goal ≥ 29/s, 0 lost, 0 duplicated.
4. peak memory: tracemalloc's peak over a second limiter-off run, and the process's
   ru_maxrss at the end (the stand-in runs in its own process unless `--stand-in inline`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402
from telegram import Bot, LinkPreviewOptions  # noqa: E402
from telegram.constants import ParseMode  # noqa: E402
from telegram.error import NetworkError  # noqa: E402
from telegram.ext import ApplicationBuilder, Defaults  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.delivery import DeliverySettings, DeliveryWorker  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.outbox import Outbox, OutgoingMessage  # noqa: E402
from bot.redis_client import connect  # noqa: E402
from bot.redis_server import start_redis_server  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.telegram_request import AiohttpRequest  # noqa: E402
from config.settings import load_settings  # noqa: E402
from tests.fakes.telegram_server import DEFAULT_TOKEN, BotApiStandIn  # noqa: E402

FIRST_CHAT = 10_000_000
# About a digest item's size: title link, two sentences, source and time.
TEXT = (
    '<b><a href="https://bench.kz/{n}">Мәжіліс бюджетті бекітті</a></b>\n'
    "Депутаттар 2027 жылғы республикалық бюджетті бірінші оқылымда мақұлдады. "
    "Құжат енді Сенатқа жіберіледі.\n<i>Egemen · 09:15</i> #{n}"
)

Sent = tuple[int, str, float]  # chat id, text, when the stand-in accepted it (monotonic)


# --- the stand-in, in this process or in its own -------------------------------------------
class StandIn:
    """The Bot API stand-in behind one interface whether it runs here or in a child process."""

    base_url: str
    token: str = DEFAULT_TOKEN

    async def start(self) -> None: ...
    async def sent(self) -> list[Sent]: ...
    async def clear(self) -> None: ...
    async def stop(self) -> None: ...


class InlineStandIn(StandIn):
    def __init__(self) -> None:
        self._api = BotApiStandIn()

    async def start(self) -> None:
        await self._api.start()
        self.base_url = self._api.base_url

    async def sent(self) -> list[Sent]:
        return _sent(self._api)

    async def clear(self) -> None:
        self._api.clear_calls()

    async def stop(self) -> None:
        await self._api.stop()


class ProcessStandIn(StandIn):
    """Its own process and core, as Telegram is not on the bot's machine."""

    def __init__(self) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_serve_stand_in, args=(child,), daemon=True
        )

    async def start(self) -> None:
        self._process.start()
        self.base_url = await self._ask("url")

    async def sent(self) -> list[Sent]:
        return await self._ask("sent")

    async def clear(self) -> None:
        await self._ask("clear")

    async def stop(self) -> None:
        await self._ask("stop")
        self._process.join(10)

    async def _ask(self, command: str) -> object:
        self._conn.send(command)
        return await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)


def _sent(api: BotApiStandIn) -> list[Sent]:
    return [(c.params["chat_id"], c.params["text"], c.at) for c in api.sent_messages()]


def _serve_stand_in(conn: Connection) -> None:
    async def serve() -> None:
        api = BotApiStandIn()
        await api.start()
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "url":
                conn.send(api.base_url)
            elif command == "sent":
                conn.send(_sent(api))
            elif command == "clear":
                api.clear_calls()
                conn.send(None)
            elif command == "stop":
                await api.stop()
                conn.send(None)
                return

    asyncio.run(serve())


# --- the bots ----------------------------------------------------------------------------------
def _defaults() -> Defaults:
    return Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )


def default_bot(stand_in: StandIn) -> Bot:
    """PTB out of the box: its httpx transport, no rate limiter."""
    builder = ApplicationBuilder().token(stand_in.token).base_url(stand_in.base_url)
    return builder.defaults(_defaults()).build().bot


def unlimited_bot(stand_in: StandIn) -> Bot:
    """As the app builds it (its aiohttp transport, defaults), without AIORateLimiter."""
    builder = ApplicationBuilder().token(stand_in.token).base_url(stand_in.base_url)
    return builder.request(AiohttpRequest()).defaults(_defaults()).build().bot


def app_bot(stand_in: StandIn, redis: Redis, tmp: Path) -> Bot:
    """The bot of bot/app.py's build_application: AIORateLimiter at Telegram's limits."""
    feeds = tmp / "feeds.yaml"
    feeds.write_text("feeds: []\n")
    settings = load_settings(
        telegram_bot_token=stand_in.token,
        telegram_api_url=stand_in.base_url,
        feeds_file=feeds,
        data_dir=tmp,
        redis_url="redis://unused",
        _env_file=None,
    )
    return build_application(Services(settings=settings, redis=redis)).bot


# --- the runs ----------------------------------------------------------------------------------
@dataclass
class Result:
    label: str
    messages: int
    seconds: float
    cpu: float
    lost: int = 0
    duplicated: int = 0
    busiest_second: int = 0
    sustained: float = 0.0

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def line(self, goal: str = "") -> str:
        text = (
            f"{self.label:<34} {self.rate:8.0f} msg/s  ({self.messages} in {self.seconds:.2f} s, "
            f"{self.cpu / self.seconds:.0%} of a core here"
        )
        text += f", {self.cpu / self.messages * 1000:.2f} ms CPU/msg"
        text += f"; lost {self.lost}, duplicated {self.duplicated})"
        return text + (f"  {goal}" if goal else "")


def messages_for(chats: int, label: str) -> list[OutgoingMessage]:
    return [
        OutgoingMessage(
            key=f"bench:{label}:{FIRST_CHAT + n}",
            chat_id=FIRST_CHAT + n,
            text=TEXT.format(n=n),
        )
        for n in range(chats)
    ]


def tally(
    label: str, expected: list[OutgoingMessage], sent: list[Sent], seconds: float, cpu: float
) -> Result:
    counts = Counter((chat, text) for chat, text, _at in sent)
    wanted = {(m.chat_id, m.text) for m in expected}
    result = Result(
        label,
        len(expected),
        seconds,
        cpu,
        lost=len(wanted - set(counts)),
        duplicated=sum(n - 1 for n in counts.values()) + len(set(counts) - wanted),
    )
    times = sorted(at for _c, _t, at in sent)
    if len(times) > 1:
        result.sustained = (len(times) - 1) / (times[-1] - times[0])
        start = 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            result.busiest_second = max(result.busiest_second, end - start + 1)
    return result


async def bare_baseline(stand_in: StandIn, chats: int) -> Result:
    bot = default_bot(stand_in)
    await bot.initialize()
    await stand_in.clear()
    expected = messages_for(chats, "bare")
    at_once = asyncio.Semaphore(256)  # the pool ApplicationBuilder gives the bot

    async def send(message: OutgoingMessage) -> None:
        async with at_once:
            for _attempt in range(5):  # a loaded machine may time a connection out
                try:
                    await bot.send_message(chat_id=message.chat_id, text=message.text)
                    return
                except NetworkError:
                    await asyncio.sleep(0.5)

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(send(m) for m in expected))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    await bot.shutdown()
    return tally("baseline: bare send_message loop", expected, await stand_in.sent(), seconds, cpu)


async def through_outbox(
    label: str,
    stand_in: StandIn,
    redis: Redis,
    bot: Bot,
    chats: int,
    *,
    around: Callable[[Callable[[], Awaitable[None]]], Awaitable[None]] | None = None,
) -> tuple[Result, float]:
    """Enqueue one message per chat, then time the worker until the outbox is empty."""
    await redis.flushdb()
    await stand_in.clear()
    outbox = Outbox(redis)
    await outbox.ensure_group()
    expected = messages_for(chats, label)
    started = time.perf_counter()
    await outbox.enqueue(expected)
    enqueue_rate = chats / (time.perf_counter() - started)
    await bot.initialize()

    async def nobody(_chat: int, _reason: str | int) -> None:
        return None

    worker = DeliveryWorker(
        outbox,
        bot,
        on_chat_gone=nobody,
        on_chat_moved=nobody,
        settings=DeliverySettings(consumer="bench", private_chat_interval=0.0),
    )
    seconds = cpu = 0.0

    async def run() -> None:
        nonlocal seconds, cpu
        cpu, started = time.process_time(), time.perf_counter()
        task = asyncio.create_task(worker.run())
        while await outbox.depth():
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        await worker.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    await (around(run) if around else run())
    await bot.shutdown()
    return tally(label, expected, await stand_in.sent(), seconds, cpu), enqueue_rate


async def bench(args: argparse.Namespace, redis_url: str, tmp: Path) -> None:
    stand_in: StandIn = InlineStandIn() if args.stand_in == "inline" else ProcessStandIn()
    await stand_in.start()
    redis = connect(redis_url)
    try:
        print(
            f"stand-in: {args.stand_in}; {args.subscribers} subscribers, one message each; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start"
        )
        print(f"{'':<34} rate")
        baseline = await bare_baseline(stand_in, args.subscribers)
        print(baseline.line())

        profiler = cProfile.Profile() if args.profile else None

        async def profiled(run: Callable[[], Awaitable[None]]) -> None:
            assert profiler is not None
            profiler.enable()
            try:
                await run()
            finally:
                profiler.disable()

        off, enqueue_rate = await through_outbox(
            "limiter off: outbox + worker",
            stand_in,
            redis,
            unlimited_bot(stand_in),
            args.subscribers,
            around=profiled if profiler else None,
        )
        print(off.line("goal ≥ 2,000/s"))
        print(
            f"{'':<34} = {off.rate / baseline.rate:.0%} of the bare baseline; "
            f"enqueue alone {enqueue_rate:.0f} msg/s"
        )
        if profiler is not None:
            profiler.dump_stats(args.profile)
            print(f"{'':<34} profile of the limiter-off run: {args.profile}")

        limited_chats = args.subscribers if args.limited_all else args.limited
        on, _ = await through_outbox(
            "limiter on (app's bot): sustained",
            stand_in,
            redis,
            app_bot(stand_in, redis, tmp),
            limited_chats,
        )
        print(
            f"{on.label:<34} {on.sustained:8.2f} msg/s  ({on.messages} messages to as many chats "
            f"in {on.seconds:.1f} s; busiest second {on.busiest_second}; lost {on.lost}, "
            f"duplicated {on.duplicated})  goal ≥ 29/s (97% of 30), 0 lost, 0 duplicated"
        )

        peak = 0

        async def traced(run: Callable[[], Awaitable[None]]) -> None:
            nonlocal peak
            tracemalloc.start()
            try:
                await run()
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

        await through_outbox(
            "memory", stand_in, redis, unlimited_bot(stand_in), args.subscribers, around=traced
        )
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{'peak memory':<34} {peak / 2**20:8.1f} MB allocated by Python (tracemalloc) "
            f"during a {args.subscribers}-subscriber run; process peak RSS {maxrss_mb:.0f} MB"
            + (" (stand-in included)" if args.stand_in == "inline" else "")
        )
    finally:
        await redis.aclose()
        await stand_in.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--limited", type=int, default=1500, help="messages with the limiter on")
    parser.add_argument("--limited-all", action="store_true", help="all subscribers, limiter on")
    parser.add_argument(
        "--stand-in",
        choices=["process", "inline"],
        default="process",
        help="the stand-in in its own process (default) or in this one",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the limiter-off run into FILE")
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory() as tmp:
        server = start_redis_server(Path(tmp) / "redis")
        try:
            asyncio.run(bench(args, server.url, Path(tmp)))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
