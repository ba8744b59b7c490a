"""Command line: `python -m bot run | preview`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Iterator, Sequence

from telegram.error import InvalidToken, TelegramError

from bot.logs import configure_logging, get_logger, redact
from bot.redis_server import RedisLaunchError, ensure_embedded_redis
from config.feeds import FeedsFileError
from config.settings import Settings, SettingsError, load_settings

log = get_logger("bot")

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Sayasat Digest: Kazakhstan politics news on Telegram."
    )
    commands = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        description="without a command: `run` when TELEGRAM_BOT_TOKEN is set, else `preview`",
    )
    commands.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    preview = commands.add_parser(
        "preview", help="run the pipeline once over the bundled sample feeds and print a digest"
    )
    preview.add_argument(
        "--language", choices=["kk", "ru", "en"], help="UI language of the digest (default: kk)"
    )
    poll = commands.add_parser("poll", help="poll the feeds now and show a table per feed")
    poll.add_argument("--once", action="store_true", required=True, help="one cycle, then exit")
    poll.add_argument("--feed", metavar="URL", help="only this feed")
    feeds = commands.add_parser("feeds", help="feed administration")
    feeds.add_argument("action", choices=["check"], help="check: each feed's health")
    return parser


@contextlib.contextmanager
def redis_url_for(settings: Settings) -> Iterator[str]:
    """REDIS_URL when set, else the embedded server under DATA_DIR (released on exit)."""
    if settings.redis_url:
        yield settings.redis_url
        return
    server = ensure_embedded_redis(settings.data_dir)
    try:
        yield server.url
    finally:
        server.release()


def run_bot(settings: Settings) -> int:
    from bot.app import build_application
    from bot.redis_client import connect
    from bot.runner import ListenError, serve
    from bot.services import Services

    if settings.token is None:
        print(
            "TELEGRAM_BOT_TOKEN: not set. Get one from @BotFather, or try "
            "`python -m bot preview` to see a digest without Telegram.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    with redis_url_for(settings) as url:
        services = Services(settings=settings, redis=connect(url))
        application = build_application(services)
        try:
            asyncio.run(serve(application, settings))
        except ListenError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_CONFIG
        except InvalidToken:
            print("TELEGRAM_BOT_TOKEN: Telegram rejected the token.", file=sys.stderr)
            return EXIT_CONFIG
        except TelegramError as exc:
            print(f"Telegram is unreachable: {redact(str(exc))}", file=sys.stderr)
            return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(
        settings.log_level,
        settings.log_format,
        secrets=[settings.token, settings.webhook_secret_token],
    )
    try:
        if args.command is None:
            if settings.token is not None:
                return run_bot(settings)
            from bot.preview import run_preview

            status = run_preview(settings, ui_language=settings.default_language)
            print(
                "\nThis was a preview over the bundled sample feeds. To run the bot on live feeds,"
                "\nget a token from @BotFather and set it:"
                "\n    TELEGRAM_BOT_TOKEN=123456:ABC… python3 tasks.py run"
                "\n(or put TELEGRAM_BOT_TOKEN=… in a .env file here)."
            )
            return status
        if args.command == "run":
            return run_bot(settings)
        if args.command == "poll":
            from bot.poll_cli import poll_once

            with redis_url_for(settings) as url:
                results = asyncio.run(poll_once(settings, url, args.feed))
            return 1 if results and all(r.error for r in results) else 0
        if args.command == "feeds":
            from bot.poll_cli import feeds_health

            with redis_url_for(settings) as url:
                print(asyncio.run(feeds_health(url, settings)))
            return 0
        if args.command == "preview":
            from bot.preview import run_preview

            return run_preview(settings, ui_language=args.language or settings.default_language)
    except (FeedsFileError, RedisLaunchError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
