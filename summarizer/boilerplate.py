"""Outlet boilerplate: datelines, agency credits, photo captions and «read also» lines.

Summaries and features should talk about the news, not about who reported it. Removal is by
deletion only, so what is left is still the outlet's own wording.
"""

from __future__ import annotations

import re

_OUTLET = (
    r"(?:Tengrinews\.kz|Tengrinews|Kazinform|KAZINFORM|ҚазАқпарат|Казинформ|Sputnik\s+Казахстан|"
    r"Sputnik\s+Қазақстан|Sputnik|Zakon\.kz|zakon\.kz|Orda\.kz|Vlast\.kz|24\.kz|24KZ|Khabar|Хабар|"
    r"Azattyq|Азаттық|Informburo\.kz|Inbusiness\.kz|Kursiv|Baq\.kz|Egemen|Abai\.kz|Report)"
)
# «АСТАНА. KAZINFORM –», «АЛМАТЫ. KAZINFORM —», «Астана. Kazinform -» at the start of a line.
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w\-]*(?:[ \t,]+[\w\-]+){0,3}\.[ \t]*)?"
    + _OUTLET
    + r"[ \t]*[–—\-][ \t]*",
    re.MULTILINE,
)
# «, передает Tengrinews.kz со ссылкой на пресс-службу ведомства» and the glued scraped form.
# Patterns start at a keyword (no leading optional space): a regex that may begin anywhere is
# tried at every character and cost milliseconds per article. Cleanup below mends «, .».
_RU_CREDIT = re.compile(
    r"(?=[ПпСсИи])"  # a first-letter lookahead lets re skip ahead fast (2.5x on real text)
    r"(?:[Пп]ереда[её]т|[Сс]ообщает|[Пп]ишет|[Ии]нформирует|[Сс]ообщили|"
    r"[Сс]ообщил|[Сс]ообщила)[ \t]*(?:корреспондент[ау]?[ \t]*|сайт[ \t]*|агентство[ \t]*)?"
    + _OUTLET
    + r"(?:[ \t]*со[ \t]*ссылкой[ \t]*на[^.!?\n]*)?(?=[ \t]*[.!?\n]|$)",
)
# Both Russian credit patterns need one of these verbs (their first letter aside); most texts
# that name an outlet credit none, and a substring test costs far less than either scan.
_RU_CREDIT_VERBS = ("ереда", "ообщ", "ишет", "нформирует")
_RU_CREDIT_GLUED = re.compile(
    r"(?=[ПпСс])(?:[Пп]ереда[её]т|[Сс]ообщает|[Пп]ишет)[ \t]*" + _OUTLET + r"[ \t]*(?=\S)"
)
# «, деп хабарлайды Kazinform тілшісі», «деп хабарлайды ҚазАқпарат», «– деп жазады Orda.kz».
_KK_CREDIT = re.compile(
    r"[Дд]еп[ \t]+(?:хабарлайды|хабарлады|жазады|жазды|мәлімдейді)[ \t]+"
    + _OUTLET
    + r"(?:[ \t]+(?:тілшісі|агенттігі|сайты|басылымы|порталы))?",
)
# Whole lines or sentences that are only credits or links.
_DROP_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?»\n]))[ \t]*(?:"
    r"Фото(?:графия)?[ \t]*[:©][^\n]*?(?:\.|$)|"
    r"Читайте[ \t]+(?:также|тоже)[^\n]*|"
    r"Подписывайтесь[^\n]*|"
    r"Толығырақ[^.\n]*оқыңыз\.?|"
    r"Бұған[ \t]+дейін[^.\n]*(?:жазған[ \t]+едік|хабарлаған[ \t]+едік|хабарлағанбыз)\.?|"
    r"Ранее[ \t]+(?:мы[ \t]+)?(?:писали|сообщали)[^.\n]*\.?"
    r")",
    re.MULTILINE | re.IGNORECASE,
)
# A photo credit glued to the next sentence: «Фото Турар КазангаповКакие виды ...».
_PHOTO_GLUED = re.compile(
    r"Фото(?:[ \t]+(?:с[ \t]+сайта|из[ \t]+открытых[ \t]+источников))?"
    r"(?:[ \t]+[А-ЯЁA-Z][а-яёa-z\-]+){0,3}?(?=[А-ЯЁ][а-яё]|\s*$|\n)"
)
# The same glued credit in any wording: «Фото пресс-службы АкордыГлава государства ...»,
# «Фото primeminister.kzПервый вице-премьер ...», «Фото пресс-службы Акорды16 апреля ...». Scraped
# text glues a caption to the paragraph after it, so the credit ends where a small letter or a
# digit touches a capital or a quote (a letter touches a digit) with no space between; a sentence end («. ») on
# the way means this «Фото» began a sentence of the story, and nothing is removed.
_CAPTION_GLUED = re.compile(
    r"(?<![А-Яа-яЁё])Фото\b(?:[^!?\n«».]|\.(?=\S)){0,80}?"
    r"(?:[a-zа-яё\d](?=[«\"]?[А-ЯЁ])|[a-zа-яё](?=\d))"
)
# An Instagram embed's text: «Посмотреть эту публикацию в InstagramПубликация от Name (@handle)».
_EMBED = re.compile(
    r"Посмотреть эту публикацию в Instagram"
    r"(?:Публикация от (?:[^()\n]{0,80}?\(@[\w.]+\)|@[A-Za-z0-9_.]+))?"
)
_OUTLET_RE = re.compile(_OUTLET)
# Every _DROP_SENTENCE alternative starts with one of these words (case-insensitively):
# substring tests on the case-folded text are six times faster than an IGNORECASE regex.
_DROP_HINTS = ("фото", "читайте", "подписывайтесь", "толығырақ", "бұған", "ранее")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,!?;:])")
_DOUBLE_PUNCT = re.compile(r"[,–—][ \t]*(?=[.!?])")
_MULTI_SPACE = re.compile(r"[ \t][ \t]+")  # = [ \t]{2,}, which re scans slower
# Cheap tests for whether the three cleanups above would change anything: mostly they would
# not (and summaries clean a text the ingest has cleaned already). A pattern that begins with
# one literal character is scanned for at memchr speed; one that begins with a character class
# is tried at every character, several times slower.
_SPACE_PUNCT = re.compile(r" [.,!?;:]")
_DOUBLE_PUNCT_AFTER = tuple(re.compile(mark + r"[ \t]*[.!?]") for mark in ",–—")


def _cleanup(text: str) -> str:
    """_DOUBLE_PUNCT, _SPACE_BEFORE_PUNCT and _MULTI_SPACE applied in turn, each skipped
    where it cannot match."""
    tab = "\t" in text  # a removal never adds one
    if any(pattern.search(text) for pattern in _DOUBLE_PUNCT_AFTER):
        text = _DOUBLE_PUNCT.sub("", text)
    if tab or _SPACE_PUNCT.search(text):
        text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    if tab or "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    return text


def strip_captions(text: str) -> str:
    """`text` without photo credits glued to the next paragraph in any wording and without
    Instagram embed text. Summaries apply it after strip_boilerplate; strip_boilerplate itself
    does not (yet), because bot/story_idf.json is built from its output and would have to be
    rebuilt with it."""
    if not isinstance(text, str):
        return ""
    embed, photo = "Посмотреть эту публикацию" in text, "Фото" in text
    if embed:
        text = _EMBED.sub(" ", text)
    if photo:
        text = _CAPTION_GLUED.sub(" ", text)
    return _MULTI_SPACE.sub(" ", text).strip() if embed or photo else text


def strip_boilerplate(text: str) -> str:
    """The text without datelines, agency credits and caption lines; the rest untouched."""
    if not isinstance(text, str) or not text:
        return ""
    out = text
    # Cheap pre-checks first: most texts name no outlet and have no caption or «read also»
    # line, and then the expensive patterns (tried at every line or character) are skipped.
    if _OUTLET_RE.search(out):
        out = _DATELINE.sub("", out)
        if any(verb in out for verb in _RU_CREDIT_VERBS):
            out = _RU_CREDIT.sub("", out)
            out = _RU_CREDIT_GLUED.sub(" ", out)
        out = _KK_CREDIT.sub("", out)
    if "Фото" in out:
        out = _PHOTO_GLUED.sub("", out)
    folded = out.casefold()
    if any(hint in folded for hint in _DROP_HINTS):
        out = _DROP_SENTENCE.sub("", out)
    return _cleanup(out).strip()
