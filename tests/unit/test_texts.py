"""Every piece of UI text exists in Kazakh, Russian and English, with the same blanks to
fill, and every key the code asks for exists: a reader never sees a KeyError or a
half-translated menu."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot import texts
from bot.texts import ADMIN_COMMANDS, COMMANDS, all_keys, text

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru", "en")
# text("key", …) with a literal key, anywhere in the code.
_USED = re.compile(r"""\btext\(\s*["']([a-z0-9_]+)["']""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", all_keys())
def test_each_text_is_in_three_languages_with_the_same_blanks(key: str) -> None:
    variants = texts._TEXTS[key]
    assert set(variants) == set(LANGUAGES), key
    assert all(variants[lang].strip() for lang in LANGUAGES), key
    blanks = {lang: _fields(variants[lang]) for lang in LANGUAGES}
    assert blanks["kk"] == blanks["ru"] == blanks["en"], (key, blanks)


def test_every_key_the_code_asks_for_exists() -> None:
    used: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(_USED.findall(path.read_text(encoding="utf-8")))
    assert used, "no text() calls found: the pattern is wrong"
    assert used - set(all_keys()) == set()


@pytest.mark.parametrize("menu", [COMMANDS, ADMIN_COMMANDS], ids=["commands", "admin"])
def test_command_menus_list_the_same_commands_in_every_language(
    menu: dict[str, list[tuple[str, str]]],
) -> None:
    assert set(menu) == set(LANGUAGES)
    names = {lang: [name for name, _ in menu[lang]] for lang in LANGUAGES}
    assert names["kk"] == names["ru"] == names["en"]
    # Telegram's limits for a command menu entry.
    for lang in LANGUAGES:
        for name, description in menu[lang]:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
            assert 1 <= len(description) <= 256


def test_values_are_escaped_and_an_unknown_language_falls_back_to_kazakh() -> None:
    key = next(k for k in all_keys() if "name" in _fields(texts._TEXTS[k]["en"]))
    shown = text(key, "en", name="<b>Ä & co</b>")
    assert "&lt;b&gt;Ä &amp; co&lt;/b&gt;" in shown
    assert text(key, "de", name="x") == text(key, "kk", name="x")
