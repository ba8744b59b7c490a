"""Feed bytes to text when the declared charset lies, is missing, or is right.

Kazakh and Russian sites still serve Windows-1251 with `encoding="utf-8"` in the XML
declaration (and the reverse, after a CMS migration). feedparser trusts declarations and
then either fails or produces mojibake («РџСЂР°РІ...» or «Ïðàâ...»), so the text is decoded
here first and feedparser is handed clean UTF-8.
"""

from __future__ import annotations

import codecs
import re

_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']""")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:\-]+)""", re.I)
# Windows-1251 is the legacy charset of Russian-language (and older Kazakh) sites.
_FALLBACKS = ("utf-8", "cp1251")
# Another candidate must beat the declared charset by this much: Cyrillic feeds decoded
# with the wrong single-byte table score near -1, the right one near +1.
_MARGIN = 0.3
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def http_charset(content_type: str | None) -> str | None:
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


def declared_charset(body: bytes) -> str | None:
    match = _XML_DECL_ENCODING.search(body[:512])
    return match.group(1).decode("ascii").lower() if match else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# UTF-8 Cyrillic read as Windows-1251: lead bytes 0xD0-0xD3 become Р С Т У, and every
# continuation byte (0x80-0xBF) one of these characters (letters, quotes, ™, №, ...).
_CP1251_LEADS = frozenset(bytes(range(0xD0, 0xD4)).decode("cp1251"))
_CP1251_TRAILS = frozenset(bytes(range(0x80, 0xC0)).decode("cp1251", errors="ignore"))


def mojibake_score(text: str) -> float:
    """Higher is more plausible Kazakh/Russian (or plain Latin) text, about [-1, 1].

    Relative to the letters: Cyrillic letters count for; against count runs of Latin-1
    letters (`Ñåíàò`: Windows-1251 read as Latin-1; a lone `é` in `Café` is fine), lead
    and continuation pairs (`РЎРµ`: UTF-8 read as Windows-1251; each pair stands for one
    letter, so twice), Cyrillic glued to Latin inside a word (`Cafй`: Latin-1 read as
    Windows-1251), and replacement characters. Plain ASCII scores 0.
    """
    letters = cyrillic = latin1_runs = pairs = mixed = 0
    replacements = text.count("\ufffd")
    previous = ""
    for char in text:
        if previous in _CP1251_LEADS and char in _CP1251_TRAILS:
            pairs += 1
        if char.isalpha():
            letters += 1
            kind = _script(char)
            if kind == "cyrillic":
                cyrillic += 1
            elif kind == "latin1" and _script(previous) == "latin1":
                latin1_runs += 1
            if {kind, _script(previous)} == {"cyrillic", "ascii"}:
                mixed += 1
        previous = char
    if letters == 0:
        return -1.0 if replacements else 0.0
    against = latin1_runs + 3 * pairs + 2 * mixed + 4 * replacements
    return (cyrillic - against) / (letters + replacements)


def _script(char: str) -> str:
    if not char:
        return ""
    code = ord(char)
    if 0x400 <= code <= 0x4FF:
        return "cyrillic"
    if 0xC0 <= code <= 0xFF:
        return "latin1"
    if char.isascii() and char.isalpha():
        return "ascii"
    return ""


def decode_feed(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The feed as text and the charset used.

    Valid UTF-8 is taken at once: non-ASCII Windows-1251 text is practically never valid
    UTF-8. Otherwise the charsets declared by HTTP and by the XML declaration are tried
    strictly, then UTF-8 and Windows-1251, and the most plausible text wins, the declared
    one unless another is clearly better.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    names: list[str] = []
    for name in (http_charset(content_type), declared_charset(body), *_FALLBACKS):
        codec = _codec(name)
        # UTF-16/32 declarations on 8-bit bodies are a mistake, never the answer.
        if codec and codec not in names and not codec.startswith(("utf-16", "utf-32")):
            names.append(codec)
    # Strict readings first, in order of authority; lenient ones only for charsets that
    # failed (UTF-8 with a few stray bytes is still best read as UTF-8).
    candidates: list[tuple[str, str]] = []
    failed: list[str] = []
    for name in names:
        try:
            candidates.append((body.decode(name), name))
        except UnicodeDecodeError:
            failed.append(name)
    candidates += [(body.decode(name, errors="replace"), name) for name in failed]
    best_text, best_name = candidates[0]
    best_score = mojibake_score(best_text)
    for text, name in candidates[1:]:
        score = mojibake_score(text)
        if score > best_score + _MARGIN:
            best_text, best_name, best_score = text, name, score
    return best_text, best_name
