"""Settings: defaults, parsing, and one clear line for a bad value (exit code 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.feeds import load_feeds
from config.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_match_the_readme() -> None:
    s = load_settings(_env_file=None)
    assert s.default_tz == "Asia/Almaty"
    assert s.default_language == "kk"
    assert s.poll_interval == 300
    assert s.telegram_api_url == "https://api.telegram.org/bot"
    assert s.redis_url is None


def test_admin_ids_parse_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "11, 22;33")
    assert load_settings(_env_file=None).admin_ids == {11, 22, 33}


def test_the_token_is_secret_in_reprs() -> None:
    s = load_settings(telegram_bot_token="123456:very-secret-token-value", _env_file=None)
    assert "very-secret" not in repr(s)
    assert s.token == "123456:very-secret-token-value"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("POLL_INTERVAL", "soon", "POLL_INTERVAL: Input should be a valid integer"),
        ("DEFAULT_TZ", "Mars/Olympus", "DEFAULT_TZ: unknown time zone 'Mars/Olympus'"),
        ("ADMIN_IDS", "alice", "ADMIN_IDS: must be Telegram user ids"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: Input should be 'json' or 'console'"),
    ],
)
def test_a_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=expected):
        load_settings(_env_file=None)


def test_the_cli_prints_one_line_and_exits_2_on_a_bad_setting(tmp_path: Path) -> None:
    env = {**os.environ, "POLL_INTERVAL": "-5", "DATA_DIR": str(tmp_path)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "preview"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Configuration error: POLL_INTERVAL: Input should be greater than or equal to 30"
    ]
    assert "Traceback" not in done.stderr + done.stdout


def test_run_without_a_token_explains_what_to_do(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN: not set" in done.stderr


def test_the_default_feeds_file_loads() -> None:
    feeds = load_feeds(ROOT / "config" / "feeds.yaml")
    names = {f.name for f in feeds}
    assert {"Kazinform", "Egemen Qazaqstan", "Tengrinews", "Akorda"} <= names
    assert all(f.url.scheme in ("http", "https") for f in feeds)
