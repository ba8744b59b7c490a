"""The run command without a token: the pipeline over the bundled samples, printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_token_the_bot_prints_a_digest_of_the_sample_feeds(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "REDIS_URL")}
    env.update(DATA_DIR=str(tmp_path / "var"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # Politics from all three sample outlets, in Kazakh and Russian, readable (no mojibake).
    assert "Сенат халықаралық келісімді ратификациялады" in out
    assert "Мажилис одобрил поправки в закон о выборах" in out
    assert "Сыртқы істер министрі" in out
    # Sport and snow-clearing are not politics.
    assert "Кайрат" not in out
    assert "қар тазалау" not in out
    # Outlet credits never reach a summary.
    assert "KAZINFORM –" not in out
    assert "передает Tengrinews" not in out
    assert "utm_source" not in out  # links shown without tracking parameters
    assert "TELEGRAM_BOT_TOKEN=" in out  # says how to run the real bot
    # The preview used a throwaway Redis: nothing is left under DATA_DIR.
    assert not (tmp_path / "var" / "redis").exists()
