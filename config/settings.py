"""Typed settings read from the environment and an optional `.env` file."""

from __future__ import annotations

import os
import re
import socket
from datetime import tzinfo
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import keys

PROJECT_ROOT = Path(__file__).resolve().parent.parent
UI_LANGUAGES = ("kk", "ru", "en")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def default_nlp_workers() -> int:
    """One core for the event loop (and Redis beside it), the others for parsing and NLP."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    redis_url: str | None = None
    data_dir: Path = Path("var")
    feeds_file: Path = PROJECT_ROOT / "config" / "feeds.yaml"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_tz: str = "Asia/Almaty"
    default_language: Literal["kk", "ru", "en"] = "kk"
    poll_interval: int = Field(default=300, ge=30, le=86_400, description="seconds")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "console"
    # Telegram's limits; lower them for a shared token, raise them only against a test server.
    send_rate_overall: float = Field(default=30.0, gt=0, description="messages per second")
    send_rate_group: float = Field(default=20.0, gt=0, description="messages per minute per group")
    private_chat_interval: float = Field(default=1.0, ge=0, description="seconds between messages")
    # Names this process's outbox consumer: a restart under the same name resumes its
    # unacknowledged messages at once instead of waiting for them to count as abandoned.
    instance_name: str = Field(default_factory=socket.gethostname, min_length=1, max_length=64)
    # Of several instances on one Redis, one runs the poll cycle: a dead one is replaced
    # within this many seconds, and the leader renews its lock every third of it.
    leader_ttl: float = Field(
        default=keys.LEADER_TTL.total_seconds(), ge=2, le=3600, description="seconds"
    )
    # Networks feeds and article pages may be fetched from although they are not public
    # (loopback, private, ...): comma-separated, e.g. "10.0.0.0/8, fd00::/8". Empty: none.
    fetch_allow_networks: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    # Webhook mode when set: Telegram posts updates to this https URL, and whatever
    # terminates TLS there forwards its path to HTTP_HOST:HTTP_PORT.
    webhook_url: str | None = None
    # Telegram echoes it in X-Telegram-Bot-Api-Secret-Token: a post without it is not
    # Telegram's. Validated with the defaults too, so a missing one is caught.
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    # Worker processes for feed parsing and the per-article NLP, so that CPU work does not
    # hold up the event loop that answers Telegram; 0 runs it all in the event loop.
    nlp_workers: int = Field(default_factory=default_nlp_workers, ge=0, le=64)
    http_host: str = "0.0.0.0"
    # /healthz, /metrics and the webhook; 0 turns the server off in polling mode.
    http_port: int = Field(default=8080, ge=0, le=65_535, validate_default=True)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        return value

    @field_validator("fetch_allow_networks", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return tuple(ip_network(p, strict=True) for p in parts)
            except ValueError as exc:
                raise ValueError(f"must be networks like 10.0.0.0/8, with commas: {exc}") from None
        return value

    @field_validator("default_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be an https:// URL (Telegram posts only over TLS)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_token(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            value = None
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError("required when WEBHOOK_URL is set")
            return None
        # Telegram's own rule for secret_token; the message never repeats the value.
        if not _SECRET_TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("http_port")
    @classmethod
    def _port_for_webhook(cls, value: int, info: ValidationInfo) -> int:
        if value == 0 and info.data.get("webhook_url"):
            raise ValueError("must not be 0 when WEBHOOK_URL is set")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.default_tz)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def webhook_secret_token(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning a validation error into one line per bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_input=False, include_url=False):
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            message = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("; ".join(lines)) from None
