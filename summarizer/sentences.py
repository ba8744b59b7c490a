"""Sentence splitting for Kazakh and Russian news, including the way scrapers glue text.

Returned sentences are stripped slices of the input, so callers can find them in the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_UPPER_RE = re.compile(f"[{_UPPER}]")

# Never a sentence end: the next word belongs to the same sentence («2024 ж. қаңтарда»,
# «Астана қ. әкімі», «им. Абая», «ул. Абая», «т.е. ...»).
_ABBR_INNER = frozenset(
    [
        "г",
        "гг",
        "ж",
        "жж",
        "ғ",
        "ғғ",
        "обл",
        "ауд",
        "им",
        "ул",
        "т.е",
        "т.к",
        "т.н",
        "проф",
        "акад",
        "ст",
        "см",
        "напр",
        "тел",
        "д",
        "кв",
        "пр",
        "мкр",
        "пос",
        "р-н",
        "р-ны",
        "с",
        "п",
        "дж",
        "св",
        "ген",
        "полк",
        "рис",
        "каз",
        "мин",
        "сек",
        "доц",
        "пл",
        "пер",
        "просп",
        "наб",
        "стр",
        "ш",
        "шк",
        "к",
        "көш",
        "қ",
        "ә.ғ.д",
        "ф.-м.ғ.д",
        "т.ғ.д",
        "э.ғ.к",
        "з.ғ.к",
        "г-н",
        "г-жа",
        "тт",
        "мм",
        "тов",
        "гос",
        "нач",
        "зам",
        "зав",
        "no",
        "nos",
        "vol",
        "mr",
        "mrs",
        "dr",
        "st",
        "vs",
    ]
)
# Ends a sentence only when a capitalised word follows: «алма, өрік т.б. Сондай-ақ ...».
_ABBR_FINAL = frozenset(
    [
        "т.б",
        "т.с.с",
        "т.с",
        "т.д",
        "т.п",
        "др",
        "млн",
        "млрд",
        "трлн",
        "тыс",
        "руб",
        "коп",
        "ж.б",
        "т.б.с",
        "etc",
    ]
)
_INITIAL_RE = re.compile(f"(?:[{_UPPER}][{_LOWER}]?\\.[-‐–]?)*[{_UPPER}]")

# A terminator run («.», «...», «?!», «…»), with closing quotes or brackets that belong to the
# sentence it ends. Starting with a character class lets re skip to the next terminator fast.
_TERM_RE = re.compile(r"[.!?…]+[»\"”’)\]]*")
_OPENERS = frozenset('«"„“([')
_TOKEN_LOOKBACK = 40
# Glued heading: «Официальные данныеВ Комитете» or «безопасноВо дворце».
# Cyrillic only: «корреспондентTengrinews» is a glued credit, not a heading.
_CYR_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_CYR_LOWER = "а-яёәғқңөұүһі"
# The capital that starts the glued part: a pattern that begins at a capital is tried at far
# fewer places than one that begins at a word's small letters (a third of split_sentences).
_GLUED_CAP_RE = re.compile(
    f"[{_CYR_UPPER}](?<=[{_CYR_LOWER}]{{3}}[{_CYR_UPPER}])(?=[{_CYR_LOWER} ])"
)
_CYR_LOWER_RE = re.compile(f"[{_CYR_LOWER}]")
_LETTER_RE = re.compile(f"[{_UPPER}{_LOWER}]")
_DASH = "–—-‒―"
_ALNUM_RE = re.compile(r"[^\W_]")  # = _ALNUM_RE.search(piece), without a Python loop
_SPACES_RE = re.compile(r"\s*")
_MAX_QUOTE = 600  # a longer «...» span is more likely a stray unbalanced quote


_QUOTE_CHARS = re.compile("[«»“”„]")
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“"}


def _quote_spans(para: str) -> list[tuple[int, int]]:
    """Balanced outermost «...» / “...” / „...“ spans; terminators inside them do not end the
    sentence."""
    spans: list[tuple[int, int]] = []
    for opener, closer in _QUOTE_PAIRS.items():
        if opener not in para:
            continue
        depth_start: list[int] = []
        for match in _QUOTE_CHARS.finditer(para):
            ch, i = match.group(), match.start()
            if ch == opener and not (opener == "„" and depth_start and closer == ch):
                depth_start.append(i)
            elif ch == closer and depth_start:
                start = depth_start.pop()
                if not depth_start and i - start <= _MAX_QUOTE:
                    spans.append((start, i))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < pos < end for start, end in spans)


def _token_before(para: str, end: int) -> str:
    """The word before a terminator: the characters up to `end` that are neither spaces nor
    opening quotes or brackets. Bounded, as a search over the whole paragraph would be O(n²);
    a walk back, as a `$`-anchored regex retries at every position of the window."""
    start = end
    floor = max(0, end - _TOKEN_LOOKBACK)
    while start > floor and not para[start - 1].isspace() and para[start - 1] not in _OPENERS:
        start -= 1
    return para[start:end]


def _is_boundary(para: str, match: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    end = match.end()
    term = match.group()
    # Positions, not slices: copying the rest of a 30,000-character one-line article for every
    # full stop made splitting quadratic.
    pos = _SPACES_RE.match(para, end).end()
    if pos == len(para):
        return True
    glued = pos == end  # no space after the terminator («тенге.Представители»)
    nxt = para[pos]
    if spans and _inside(match.start(), spans) and _inside(end - 1, spans):
        return False
    core = term.rstrip('»"”’)]')
    # Glued: only a capital letter right after «.», «!», «?» marks a sentence start;
    # «Tengrinews.kz», «8.1», «16.12.2025» have no capital there.
    if glued and not (nxt.isalpha() and nxt.isupper()):
        return False
    if nxt in _DASH:
        # «...», – деді ол: the attribution continues the sentence; «– Иә.» starts a new one.
        after = _SPACES_RE.match(para, pos + 1).end()
        return after == len(para) or not para[after].islower()
    if nxt.isalpha() and nxt.islower():
        return False
    if nxt in ",;:":
        return False
    if core.endswith(".") and not core.endswith(".."):
        token = _token_before(para, match.start())
        low = token.lower()
        if token and _INITIAL_RE.fullmatch(token):
            return False
        if low in _ABBR_INNER:
            return False
        if low in _ABBR_FINAL:
            return nxt.isalpha() and nxt.isupper()
    return True


def _glued_heading_ends(para: str) -> Iterator[int]:
    """Where a heading glued to the next sentence ends: at a Cyrillic capital (before a small
    letter or a space) that follows a whole word of three or more small Cyrillic letters, one
    no other letter precedes."""
    for match in _GLUED_CAP_RE.finditer(para):
        end = match.start()
        start = end - 3
        # Each small letter is walked over once: the words of two capitals never overlap.
        while start and _CYR_LOWER_RE.match(para, start - 1):
            start -= 1
        if not (start and _LETTER_RE.match(para, start - 1)):
            yield end


def _split_paragraph(para: str, offset: int, cuts: list[int]) -> None:
    spans = _quote_spans(para)
    for match in _TERM_RE.finditer(para):
        if _is_boundary(para, match, spans):
            cuts.append(offset + match.end())
    for end in _glued_heading_ends(para):
        if not _inside(end, spans):
            cuts.append(offset + end)


def split_sentences(text: str, lang: str | None = None) -> list[str]:
    """Sentences in order; every one is a stripped slice of `text`. `lang` is accepted for API
    symmetry: the rules cover Kazakh (both scripts), Russian and English together."""
    del lang
    if not isinstance(text, str) or not text.strip():
        return []
    cuts: list[int] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        _split_paragraph(line, pos, cuts)
        pos += len(line)
        cuts.append(pos)
    out: list[str] = []
    start = 0
    for cut in sorted(set(cuts)):
        piece = text[start:cut].strip()
        start = cut
        # Pieces without a letter or digit (a lone «»» or «–») are dropped, not sentences.
        if piece and _ALNUM_RE.search(piece):
            out.append(piece)
    tail = text[start:].strip()
    if tail and _ALNUM_RE.search(tail):
        out.append(tail)
    return out
