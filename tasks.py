#!/usr/bin/env python3
"""Set-up and the two everyday commands, needing nothing but Python 3.11 and pip.

    python3 tasks.py run     # the bot with TELEGRAM_BOT_TOKEN; without one, a sample digest
    python3 tasks.py test    # ruff, then the whole test suite

Both create `.venv` and install the pinned requirements the first time (and again
whenever a requirements file changes).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("SAYASAT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _requirements_digest(requirements: Path) -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements.name):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv(requirements: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs on any python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    path = ROOT / requirements
    stamp = VENV / f".installed-{path.stem}"
    wanted = _requirements_digest(path)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"Installing {requirements} (first run only) …", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(path)],
        check=True,
    )  # fmt: skip
    stamp.write_text(wanted)


def run(args: list[str]) -> int:
    ensure_venv("requirements.txt")
    return subprocess.call([str(PYTHON), "-m", "bot", *args], cwd=ROOT)


def test(args: list[str]) -> int:
    ensure_venv("requirements-dev.txt")
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        print("$", " ".join(check), flush=True)
        if subprocess.call([str(BIN / check[0]), *check[1:]], cwd=ROOT) != 0:
            return 1
    return subprocess.call([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)


def main() -> int:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
