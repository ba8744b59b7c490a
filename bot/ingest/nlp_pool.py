"""Worker processes for the CPU-bound steps of ingesting: parsing a feed, extracting an
article page, and the per-article analysis (bot/ingest/analysis.py).

They are pure CPU work; on the event loop they hold up every Telegram update and send for
their milliseconds, and they use one core of however many there are. Here they run in a
process pool instead.

Workers come from a fork server (spawn where there is none), never from a plain fork:
forking a process that runs an event loop and threads copies locks other threads held.
A worker that dies (killed, out of memory) breaks the whole executor: the items in it fail
like any other item failure (the pipeline retries them next cycle), and the next call gets
a new executor.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, TypeVar

from bot.ingest.analysis import warm_up
from bot.logs import configure_logging, get_logger

log = get_logger(__name__)

T = TypeVar("T")
# Imported once in the fork server, so each worker forked from it starts with them loaded.
_PRELOAD = ["bot.ingest.nlp_pool", "bot.ingest.analysis", "bot.ingest.parse", "bot.ingest.extract"]


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class CallFailed(Exception):
    """One call of a `run_each` batch raised in the worker; the message is its traceback."""


def _each(fn: Callable[..., T], calls: list[tuple[Any, ...]]) -> list[T | CallFailed]:
    results: list[T | CallFailed] = []
    for args in calls:
        try:
            results.append(fn(*args))
        except Exception:
            # The exception itself may not pickle; its traceback as text always does.
            results.append(CallFailed(traceback.format_exc()))
    return results


def _init_worker(log_level: str, log_format: str) -> None:
    configure_logging(log_level, log_format)
    _exit_with_parent()
    warm_up()


def _exit_with_parent() -> None:
    """A worker waits for work on a pipe it holds both ends of, so it would outlive a
    parent killed with SIGKILL; this thread ends it when the parent's end closes."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class NlpPool:
    """`await pool.run(fn, *args)`: fn(*args) in a worker process, or inline when the pool
    has no workers. fn and args must pickle (a module-level function, plain values).

    Workers log like this process: at `log_level` (this process's level when None) and in
    `log_format` (LOG_FORMAT)."""

    def __init__(
        self, workers: int, *, log_level: str | None = None, log_format: str = "console"
    ) -> None:
        if workers < 0:
            raise ValueError("workers must be 0 (inline) or more")
        self.workers = workers
        self._logging = (
            log_level or logging.getLevelName(logging.getLogger().getEffectiveLevel()),
            log_format,
        )
        self._executor: ProcessPoolExecutor | None = None
        self._closed = False

    async def start(self) -> None:
        """Start every worker now and load its models, rather than on the first item."""
        if self.workers == 0:
            warm_up()
            return
        started = time.perf_counter()
        # Workers are spawned on demand, one per call no idle worker takes: as many calls
        # at once as workers start them all.
        await asyncio.gather(*(self.run(os.getpid) for _ in range(self.workers)))
        log.info(
            "nlp_pool_started",
            workers=self.workers,
            seconds=round(time.perf_counter() - started, 3),
        )

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.workers == 0:
            return fn(*args, **kwargs)
        executor = self._current()
        call: Callable[..., T] = fn
        if kwargs:  # run_in_executor passes positional arguments only
            call, args = functools.partial(fn, *args, **kwargs), ()
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, call, *args)
        except BrokenProcessPool:
            self._replace(executor)
            raise

    async def run_each(
        self, fn: Callable[..., T], calls: list[tuple[Any, ...]]
    ) -> list[T | BaseException]:
        """fn(*args) for each args, in one round trip to a worker: a call that raises
        gets the exception (a CallFailed from a worker) in its place, the others their
        results. A worker dying fails the whole batch (BrokenProcessPool)."""
        if self.workers == 0:
            results: list[T | BaseException] = []
            for args in calls:
                try:
                    results.append(fn(*args))
                except Exception as exc:
                    results.append(exc)
            return results
        return list(await self.run(_each, fn, calls))

    def _current(self) -> ProcessPoolExecutor:
        if self._closed:
            raise RuntimeError("the NLP pool is closed")
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=self._logging,
            )
        return self._executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        # Every call that was in the broken executor gets here; only the first replaces it.
        if self._executor is not broken:
            return
        log.warning("nlp_worker_died", workers=self.workers)
        self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def close(self) -> None:
        """Cancel queued calls, let running ones finish, and stop the workers."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            # shutdown(wait=True) joins the workers: off the event loop.
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def __aenter__(self) -> NlpPool:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
