"""Same event, several outlets: fingerprints of title + lead, compared across languages.

Kazinform writes in Kazakh, Tengrinews in Russian: stemmed word shingles never match across
them. What does match is a *skeleton* of names, numbers and shared vocabulary: Latin-script
Kazakh is transliterated to Cyrillic, Kazakh-only letters and the vowels transliteration
swaps are folded (Тоқаев → токаев, Сайыров → саииров), each word is cut to a 5-letter prefix
that survives inflection (Тоқаевтың / Токаева → токае), and a bilingual lexicon
(bot/story_lexicon.txt) maps the words that differ between the languages to one key (Ресей /
Россия, су тасқыны / паводок, ТЖМ / МЧС); «12 желтоқсан» and «12 декабря» are one date.

A key weighs by its kind (names, acronyms, numbers and dates tell one event from another)
times its rarity in real Kazakh and Russian news (bot/story_idf.json, built by
bot/story_idf.py), so «погода» or «Президент» weigh little and «Шаханов», «сайгак» or
«Аксай» a lot. Two fingerprints within the time window are the same story when
- they share enough weight outside the politics staples (an *anchor*: a rare name, a
  number, a rare word), not just «Президент + Мажилис + закон»;
- their headlines do not each name a place or person the other article never mentions
  (veterans' payments in Almaty / in Astana, two cities' clean-ups: one kind, two events),
  nor carry different dates (today's and tomorrow's forecast);
- their overlap is high enough, more so when each names people the other does not know.
Across languages, words the corpus shows in one language only leave the comparison: a
Kazakh word the lexicon does not know can never appear in a Russian article.

Pure functions only: the Redis candidate lookup lives in bot/story_index.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from bot.story_lexicon import DROP, NAME, fold, lexicon
from summarizer import to_cyrillic

WINDOW = timedelta(hours=36)
PREFIX_LEN = 5
LEAD_CHARS = 320  # the first sentence or two: later lead sentences drift to background
MAX_BANDS = 24
MIN_BAND_WEIGHT = 0.5  # lighter keys are never what two articles share decisively
IDF_FILE = Path(__file__).with_name("story_idf.json")
T = TypeVar("T")

# Key kinds and their base weights (before rarity and the title boost).
NAME_KIND = "n"  # proper names, acronyms, numbers, dates
WORD_KIND = "w"  # other content words and bilingual concepts
WEAK_KIND = "c"  # years, one-digit numbers: on every page
BASE_WEIGHT = {NAME_KIND: 2.0, WORD_KIND: 1.0, WEAK_KIND: 0.2}
TITLE_BOOST = 1.5  # the headline says what the event is; the lead adds background
MIN_RARITY = 0.15  # the most common keys still count a little

# Tuned on the dev half of bot.stories_eval (see README, Measurements).
SAME_STORY_SCORE = 0.42
STRANGER_PENALTY = 0.05  # more score needed per name only one article has (the fewer side)
MAX_STRANGERS = 2
MIN_SHARED_ANCHOR = 2.0  # e.g. one rare name in both leads, or a number and a rare word
# …or less distinctive overlap when nearly everything else is shared too: «Токаев выступил на
# совместном заседании палат Парламента» and its Kazakh report share one rare word, but also
# every name, the body and the act. No pair of the evaluation scores between 0.6 and the
# sample's 0.80, so the numbers of `python -m bot.stories_eval` do not move.
CLOSE_SCORE = 0.7
CLOSE_ANCHOR = 1.0
COMMON_RARITY = 0.3  # the politics staples below, whatever the corpus says

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.U)
_SENTENCE_ENDERS = frozenset('.!?:;«»"“”—–')
# «АСТАНА. KAZINFORM –», «ҚЫЗЫЛОРДА. KAZINFORM —»: the dateline names the outlet, not the event.
_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ \-]{3,40}\.\s*(?:[A-Za-zА-Яа-яЁёӘәҚқ.]+\s*)?[–—-]\s*"
)


def _skeletons(words: str) -> frozenset[str]:
    return frozenset(fold(w)[:PREFIX_LEN] for w in words.split())


# Function words, reporting verbs and outlet names (folded prefixes), in both languages:
# they say nothing about which event an article reports.
_STOP = _skeletons(
    """
    этот этого этом этой эти того тому также кроме после более менее однако когда если
    чтобы будет будут может могут было были была быть есть нужно можно очень только
    который которая которые которых котором всего всех свои своих своей между через
    около против перед вместе сообщает сообщил сообщили передает передают заявил заявила
    заявили отметил отметила рассказал рассказали сказал пишет пишут говорит словам
    информации данным сегодня вчера завтра время теперь также ранее далее здесь пока
    сколько какой какая какие каким стало стала стали где что как чем почему
    жане мен менен осы осындай сонымен деп деді туралы бойынша арасында үшін дейін
    кейін сондай бірақ алайда оның оларды олар бізде бізге болып болады болды болған
    болатын етіп етті етеді атты айтты айтып атап мәлімдеді хабарлады хабарлайды
    жазады жазды делінген дедіи кезінде кезде тарапынан сияқты яғни қатары
    биыл бүгін кеше ертең қазір барлық барлығы қандай қаншалықты жұмыс қанша
    kazinform казинформ kazakparat қазақпарат tengrinews тенгриньюс nur egemen егемен
    akorda inform информ тілшісі корреспондент агентства агенттігі издания басылымы
    """
)
# Politics staples nearly every Kazakhstan story has (skeletons and lexicon keys): a match on
# them is weak evidence however rare a general news corpus finds them.
_COMMON_KEYS = _skeletons(
    """
    президент парламент мажилис сенат правительство министр министрлігі министерство
    депутат депутаттар государство государственный мемлекет мемлекеттік басшы басшысы
    казахстан қазақстан республика республикасы астана алматы область облысы город
    қаласы район ауданы закон законопроект решение шешім жылы году года год месяц
    токаев қасым жомарт глава страна страны елі еліміз народ халық вопрос вопросы
    мәселе проблема работа развитие дамыту даму мера меры шара шаралар система
    жүйесі жүйе сфера сала саласы ведомство ведомствосы комитет комитеті агентство
    премьер вице председатель төраға аким әкімдігі акимат пресс служба қызметі
    баспасөз официальный ресми сессия палата палатасы процент пайыз тенге теңге
    кодекс кодексіне поправки түзетулер жобасы
    """
) | {
    "~" + k
    for k in (
        "президент", "парламент", "правительство", "республика", "министерство", "казахстан",
        "казах", "решение", "встреча", "заседание", "совещание", "одобрение", "прием", "закон",
        "развитие", "сотрудничество", "председатель", "вице", "служба", "официальный",
        "участие", "выступление", "астана", "алматы", "первое чтение", "второе чтение",
    )
}  # fmt: skip
# Staples that say nothing about which event it is when only one headline has them; the two
# big cities do: «…ветераны в Алматы» / «…в Астане» are two events.
_GENERIC_NAMES = _COMMON_KEYS - {"~астана", "~алматы"}
# Folded: «-ұлы» → «-ули», «-қызы» → «-кизи».
_SURNAME = re.compile(r"(?:ов|ев|ин|ова|ева|ина|ули|кизи|ски|цки|енко|дзе|швили)$")
_YEAR = re.compile(r"^(?:19[89]\d|20[0-4]\d)$")
_DATE = re.compile(r"^d\d")
_MONTHS = {
    fold(k): v
    for k, v in {
        "қаңта": "01", "январ": "01", "ақпан": "02", "феврал": "02", "наурыз": "03",
        "март": "03", "сәуір": "04", "апрел": "04", "мамыр": "05", "маусым": "06",
        "июн": "06", "шілде": "07", "июл": "07", "тамыз": "08", "август": "08",
        "қыркүй": "09", "сентяб": "09", "қазан": "10", "октяб": "10", "қараша": "11",
        "ноябр": "11", "желтоқ": "12", "декаб": "12",
    }.items()
}  # fmt: skip
_MONTH_EXACT = {fold(k): "05" for k in ("мая", "май", "мамырда")}


@lru_cache(maxsize=100_000)
def _month(folded: str) -> str | None:
    if (hit := _MONTH_EXACT.get(folded)) is not None:
        return hit
    for n in (6, 5, 4, 3):
        if len(folded) >= n and (hit := _MONTHS.get(folded[:n])) is not None:
            return hit
    return None


@cache
def _corpus() -> dict:
    try:
        return json.loads(IDF_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"rarity": {}, "both": []}


@cache
def _idf() -> dict[str, float]:
    """Key → rarity in 0..1 (1 = never seen in the corpus)."""
    return {str(k): float(v) for k, v in _corpus()["rarity"].items()}


@cache
def _both_languages() -> frozenset[str]:
    """Plain word keys the corpus shows in Kazakh and in Russian text (форум, медиа)."""
    return frozenset(_corpus().get("both", ()))


def rarity(key: str) -> float:
    """How telling a key is, 0..1: its corpus rarity, capped for the politics staples."""
    r = _idf().get(key, 1.0)
    if key in _COMMON_KEYS:
        r = min(r, COMMON_RARITY)
    return max(MIN_RARITY, r)


class _lazy(Generic[T]):
    """A view computed on first use and kept on the instance. Unlike functools.cached_property
    (Python 3.11) it takes no lock on every access, which cost more than the comparison."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self._compute = compute
        self._name = compute.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        value = self._compute(instance)
        instance.__dict__[self._name] = value  # the instance attribute now wins over __get__
        return value


@dataclass(frozen=True)
class StoryFingerprint:
    """What is kept per recent article: weighted skeleton keys, language and time."""

    keys: tuple[tuple[str, float], ...]  # sorted (key, weight); weight already title-boosted
    lang: str
    published: float  # UTC timestamp
    names: tuple[str, ...] = ()  # the keys that are names, numbers or dates
    title: tuple[str, ...] = ()  # the keys of the headline
    # (name key, its first consonants): Көлгінов / Кульгинов, Сайыров / Саиров, Ораңқаев /
    # Уранхаев are spelt with different vowels in the two languages.
    loose: tuple[tuple[str, str], ...] = ()

    @_lazy
    def weights(self) -> dict[str, float]:
        return dict(self.keys)

    @_lazy
    def comparable(self) -> dict[str, float]:
        """Across languages: names, numbers, dates, lexicon keys and the words the corpus
        shows in both languages («форум» yes, «ластану» or «пропавших» never)."""
        names, both = set(self.names), _both_languages()
        return {
            k: w
            for k, w in self.keys
            if k in names or k in both or k[0] == "~" or k[0].isdigit() or _DATE.match(k)
        }

    @_lazy
    def own_view(self) -> _View:
        """What another article in the same language is compared with."""
        return _View.of(self.weights, self.title)

    @_lazy
    def cross_view(self) -> _View:
        """What an article in the other language is compared with."""
        return _View.of(self.comparable, self.title)

    @_lazy
    def loose_names(self) -> dict[str, str]:
        return {skeleton: key for key, skeleton in self.loose}

    @_lazy
    def telling(self) -> tuple[tuple[str, str | None], ...]:
        """Names that tell events apart: places and people (not dates, numbers or the
        staples), with their consonant skeleton when they have one."""
        loose = dict(self.loose)
        return tuple(
            (k, loose.get(k)) for k in self.names if k not in _GENERIC_NAMES and _is_word(k)
        )

    @_lazy
    def telling_title(self) -> tuple[tuple[str, str | None], ...]:
        title = set(self.title)
        return tuple((k, s) for k, s in self.telling if k in title)

    @_lazy
    def title_dates(self) -> tuple[str, ...]:
        names = set(self.names)
        return tuple(k for k in self.title if k in names and _DATE.match(k))

    def to_json(self) -> str:
        # Compact: {"l":"kk","t":1713...,"k":{"токае":0.45,...},"n":[names],"h":[headline
        # keys],"c":{name: consonants}}, weights rounded.
        return json.dumps(
            {
                "l": self.lang,
                "t": round(self.published, 1),
                "k": {k: round(w, 2) for k, w in self.keys},
                "n": list(self.names),
                "h": list(self.title),
                "c": dict(self.loose),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> StoryFingerprint:
        data = json.loads(raw)
        return cls(
            keys=tuple(sorted((str(k), float(w)) for k, w in data["k"].items())),
            lang=str(data["l"]),
            published=float(data["t"]),
            names=tuple(str(n) for n in data.get("n", ())),
            title=tuple(str(n) for n in data.get("h", ())),
            loose=tuple(sorted((str(k), str(c)) for k, c in data.get("c", {}).items())),
        )


@dataclass(frozen=True)
class _View:
    """One side of a comparison: the keys compared, with the sums every comparison of this
    article needs (computed once per article rather than once per candidate pair)."""

    weights: dict[str, float]
    total: float  # of every weight
    title_total: float  # of the headline keys' weights
    distinct: dict[str, float]  # the keys that are not politics staples

    @classmethod
    def of(cls, weights: dict[str, float], title: tuple[str, ...]) -> _View:
        title_total = 0.0
        for key in title:
            w = weights.get(key)
            if w is not None:
                title_total += w
        return cls(
            weights,
            sum(weights.values()),
            title_total,
            {k: w for k, w in weights.items() if k not in _COMMON_KEYS},
        )


_VOWELS = frozenset("аеиоу")


def _is_word(key: str) -> bool:
    """A name key that is a word (a place, a person), not a number or a date."""
    return not key[0].isdigit() and not _DATE.match(key)


@lru_cache(maxsize=100_000)
def _loose(folded_word: str) -> str | None:
    """A name's first three consonants, қ/х alike (Ораңқаев / Уранхаев → «рнк»), or None
    when it has fewer: «Абай» → «б» would match unrelated names."""
    consonants = "".join(c for c in folded_word if c not in _VOWELS).replace("х", "к")
    return consonants[:3] if len(consonants) >= 3 else None


def _strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def _number_kind(token: str) -> tuple[str, str]:
    value = token.replace(",", ".")
    if _YEAR.match(value) or len(value) == 1:
        return value, WEAK_KIND  # «2025 жылы», «1 млрд»: on every page
    return value, NAME_KIND


def _classify(word: str, f: str, at_start: bool) -> tuple[str, str] | None:
    if word.isupper() and 2 <= len(word) <= 6:
        return f, NAME_KIND  # acronym: КНБ, ЕАЭС, WSIS
    if len(f) < 4:
        return None
    skel = f[:PREFIX_LEN]
    if skel in _STOP or (len(f) >= 5 and _month(f) is not None):
        return None
    if word[0].isupper() and (not at_start or _SURNAME.search(f)):
        return skel, NAME_KIND
    return skel, WORD_KIND


@lru_cache(maxsize=200_000)
def _word_key(lang: str, word: str, at_start: bool) -> tuple[str, str] | None:
    """The key and kind of one word out of context; cached: news vocabulary repeats, and
    this is the innermost loop of a fingerprint."""
    f = fold(word)
    entry = lexicon().word(lang, f)
    # A capitalized surname is a name even when it starts like a lexicon word: Сапарбеков is
    # not a «сапар» (visit).
    if entry is not None and (
        entry.kind == NAME or word[0].islower() or at_start or not _SURNAME.search(f)
    ):
        if entry.kind == DROP:
            return None
        return entry.key, NAME_KIND if entry.kind == NAME else WORD_KIND
    return _classify(word, f, at_start)


# word -> fold(word): news vocabulary repeats, and folding every word was a sixth of the time.
_fold = lru_cache(maxsize=200_000)(fold)


def _starts_sentence(text: str, spans: list[tuple[int, int]], i: int) -> bool:
    """Whether token i begins the text or follows a sentence end (skipping spaces)."""
    if i == 0:
        return True
    prev_end, start = spans[i - 1][1], spans[i][0]
    gap = text[prev_end:start].rstrip() if start > prev_end else ""
    return bool(gap) and gap[-1] in _SENTENCE_ENDERS


def extract_keys(text: str, lang: str, loose: dict[str, str] | None = None) -> dict[str, str]:
    """Skeleton keys of a text → their kind (NAME_KIND, WORD_KIND, WEAK_KIND); `loose`, when
    given, collects each plain name's consonant skeleton."""
    found: dict[str, str] = {}
    matches = list(_TOKEN.finditer(text))
    spans = [m.span() for m in matches]
    words = [m.group() for m in matches]
    folded = list(map(_fold, words))
    lex = lexicon()
    phrase_starts = lex.phrase_starts(lang)
    skip = 0
    for i, word in enumerate(words):
        if skip:
            skip -= 1
            continue
        hit: tuple[str, str] | None
        if word[0].isdigit():
            nxt = folded[i + 1] if i + 1 < len(words) else ""
            month = _month(nxt) if nxt and len(word) <= 2 else None
            if month:
                hit, skip = (f"d{int(word)}.{month}", NAME_KIND), 1
            else:
                hit = _number_kind(word)
        elif folded[i][:3] in phrase_starts and (phrase := lex.phrase(lang, folded, i)):
            entry, width = phrase
            skip = width - 1
            if entry.kind == DROP:
                continue
            hit = (entry.key, NAME_KIND if entry.kind == NAME else WORD_KIND)
        else:
            # Where the sentence starts only matters for a word that is not lower-case.
            at_start = not word[0].islower() and _starts_sentence(text, spans, i)
            hit = _word_key(lang, word, at_start)
        if hit is None:
            continue
        key, kind = hit
        if found.get(key) != NAME_KIND:
            found[key] = kind
        if (
            loose is not None
            and kind == NAME_KIND
            and key[0].isalpha()
            and key[0] != "~"
            and (skeleton := _loose(folded[i])) is not None
        ):
            loose.setdefault(key, skeleton)
    return found


def fingerprint(title: str, lead: str, lang: str, published: datetime) -> StoryFingerprint:
    """Fingerprint of one article; the keys are language-free, `lang` picks the lexicon side."""
    # Transliterating every text (not only kk) keeps Latin brand names like KEGOC identical
    # whichever language quotes them; Russian has no other Latin words to break.
    loose: dict[str, str] = {}
    head = extract_keys(to_cyrillic(title[:300]), lang, loose)
    body = extract_keys(
        to_cyrillic(_strip_dateline(lead[: LEAD_CHARS + 60])[:LEAD_CHARS]), lang, loose
    )
    weights: dict[str, float] = {}
    names: set[str] = set()
    for keys, boost in ((body, 1.0), (head, TITLE_BOOST)):
        for key, kind in keys.items():
            if kind == NAME_KIND:
                names.add(key)
            # Numbers and dates are weighed by kind: how often «15» occurs says nothing.
            r = 1.0 if kind == WEAK_KIND or key[0].isdigit() or _DATE.match(key) else rarity(key)
            w = BASE_WEIGHT[kind] * boost * r
            if w > weights.get(key, 0.0):
                weights[key] = w
    when = published if published.tzinfo else published.replace(tzinfo=UTC)
    return StoryFingerprint(
        keys=tuple(sorted(weights.items())),
        lang=lang,
        published=when.timestamp(),
        names=tuple(sorted(names)),
        title=tuple(sorted(head)),
        loose=tuple(sorted(loose.items())),
    )


@dataclass(frozen=True)
class Evidence:
    score: float  # 0..1: how much of the two articles, and of their headlines, is shared
    anchor: float  # shared weight of the keys that are not politics staples
    conflict: bool  # each headline names a place, person or date the other article lacks
    strangers: int  # names each article has that the other lacks (the smaller count)


def _views(a: StoryFingerprint, b: StoryFingerprint) -> tuple[_View, _View]:
    if a.lang != b.lang:
        return a.cross_view, b.cross_view
    return a.own_view, b.own_view


def _shared(
    a: StoryFingerprint, b: StoryFingerprint, wa: dict[str, float], wb: dict[str, float]
) -> dict[str, float]:
    """Shared key → weight shared (the smaller side's), names matched loosely too."""
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    shared = {k: min(w, large[k]) for k, w in small.items() if k in large}
    loose_b = b.loose_names
    for name, skeleton in a.loose:
        other = loose_b.get(skeleton)
        if other is not None and name not in shared and name in wa and other in wb:
            shared[name] = min(wa[name], wb[other])
    return shared


def _anchor(shared: dict[str, float]) -> float:
    return sum(w for k, w in shared.items() if k not in _COMMON_KEYS)


def _quick_anchor(a: StoryFingerprint, b: StoryFingerprint, va: _View, vb: _View) -> float:
    """_anchor(_shared(…)) from the staple-free keys alone, without the whole shared map:
    about half of the candidates the index finds fail on it (bench/ingest.py)."""
    da, db = va.distinct, vb.distinct
    # The key sets intersect in C; most pairs share a key or two, if any.
    total = sum(min(da[k], db[k]) for k in da.keys() & db.keys())
    wa, wb, loose_b = va.weights, vb.weights, b.loose_names
    for name, skeleton in a.loose:
        other = loose_b.get(skeleton)
        if (
            other is not None
            and name in wa
            and name not in wb
            and other in wb
            and name not in _COMMON_KEYS
        ):
            total += min(wa[name], wb[other])
    return total


def _headline_coverage(title: tuple[str, ...], mine: _View, shared: dict[str, float]) -> float:
    """The weighted share of a headline's keys the other article has too."""
    if not mine.title_total:
        return 0.0
    hit = 0.0
    weights = mine.weights
    for key in title:
        if key in shared:
            w = weights.get(key)
            if w is not None:
                hit += w
    return hit / mine.title_total


def _score(
    a: StoryFingerprint, b: StoryFingerprint, va: _View, vb: _View, shared: dict[str, float]
) -> float:
    ta, tb = va.total, vb.total
    if not ta or not tb:
        return 0.0
    total = sum(shared.values())
    # Overlap seen four ways, averaged: like a cosine; as the share of the shorter article;
    # and as the share of each headline the other article covers (a terse rewrite and a
    # long original lead still tell one event when each one's headline is in the other).
    cover_a = _headline_coverage(a.title, va, shared)
    cover_b = _headline_coverage(b.title, vb, shared)
    return min(1.0, (total / math.sqrt(ta * tb) + total / min(ta, tb) + cover_a + cover_b) / 4)


def _strangers(a: StoryFingerprint, b: StoryFingerprint) -> int:
    return min(_unshared(a.telling, b), _unshared(b.telling, a))


def evidence(a: StoryFingerprint, b: StoryFingerprint) -> Evidence:
    """Everything same_story weighs, for reports and tuning."""
    va, vb = _views(a, b)
    shared = _shared(a, b, va.weights, vb.weights)
    return Evidence(
        _score(a, b, va, vb, shared), _anchor(shared), _conflict(a, b), _strangers(a, b)
    )


def _unshared(names: tuple[tuple[str, str | None], ...], b: StoryFingerprint) -> int:
    """How many of these places and people b never mentions, however spelt."""
    wb, loose_b = b.weights, b.loose_names
    return sum(
        1
        for name, skeleton in names
        if name not in wb and (skeleton is None or skeleton not in loose_b)
    )


def _conflict(a: StoryFingerprint, b: StoryFingerprint) -> bool:
    """Both headlines name their own place or person, or both carry dates and no date of
    either is in the other article: two events of one kind (two cities' veterans, today's
    and tomorrow's forecast), not one event."""
    if _unshared(a.telling_title, b) and _unshared(b.telling_title, a):
        return True
    dates_a, dates_b = a.title_dates, b.title_dates
    return (
        bool(dates_a and dates_b)
        and not any(d in b.weights for d in dates_a)
        and not any(d in a.weights for d in dates_b)
    )


def similarity(a: StoryFingerprint, b: StoryFingerprint) -> float:
    """How much two articles share, 0..1; across languages only over the keys both languages
    can have."""
    return evidence(a, b).score


def same_story(a: StoryFingerprint, b: StoryFingerprint, window: timedelta = WINDOW) -> bool:
    return match(a, b, window) is not None


def match(a: StoryFingerprint, b: StoryFingerprint, window: timedelta = WINDOW) -> float | None:
    """similarity(a, b) when the two report the same story, else None."""
    if abs(a.published - b.published) > window.total_seconds():
        return None
    va, vb = _views(a, b)
    # Cheapest test first: most candidates from the index share too little distinctive
    # weight. (The margin leaves a sum that float rounding puts at the bound to the exact
    # test below.)
    if _quick_anchor(a, b, va, vb) < CLOSE_ANCHOR - 1e-9:
        return None
    shared = _shared(a, b, va.weights, vb.weights)
    # Shared Президент + Мажилис + закон is every day's news: demand distinctive overlap too.
    anchor = _anchor(shared)
    score: float | None = None
    if anchor < MIN_SHARED_ANCHOR:
        score = _score(a, b, va, vb, shared)
        if anchor < CLOSE_ANCHOR or score < CLOSE_SCORE:
            return None
    # «…ветераны в Алматы» / «…ветераны в Астане»: each headline's own place or person that
    # the other article never mentions marks two events of one kind, however alike the rest.
    if _conflict(a, b):
        return None
    # Two appointments in one city name two different appointees: people and places only
    # one of the articles knows make a match less likely.
    needed = SAME_STORY_SCORE + STRANGER_PENALTY * min(_strangers(a, b), MAX_STRANGERS)
    if score is None:
        score = _score(a, b, va, vb, shared)
    return score if score >= needed else None


def _key_hash(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=4).hexdigest()


def lsh_bands(fp: StoryFingerprint) -> list[str]:
    """Bucket keys for the candidate lookup: one bucket per distinctive key (never the
    politics staples, whose buckets would hold every article).

    same_story demands shared weight outside the staples, so a true pair always shares a
    bucket unless the cap cuts it. The cap keeps the rarest keys, ties broken by hash: one
    order for every article whatever its language (a bottom-k sketch), so two articles about
    one event keep overlapping buckets. Names go in by their consonants, as they are compared."""
    loose = dict(fp.loose)
    eligible = {
        loose.get(k, k) for k, w in fp.keys if k not in _COMMON_KEYS and w >= MIN_BAND_WEIGHT
    }
    ranked = sorted(eligible, key=lambda k: (-rarity(k), _key_hash(k)))
    return [f"s:{_key_hash(k)}" for k in ranked[:MAX_BANDS]]
