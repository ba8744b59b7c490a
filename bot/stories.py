"""Same event, several outlets: fingerprints of title + lead, compared across languages.

Kazinform writes in Kazakh, Tengrinews in Russian: stemmed word shingles never match across
them. What does match is a *skeleton* of names, numbers and shared vocabulary: Latin-script
Kazakh is transliterated to Cyrillic, Kazakh-only letters are folded to their Russian
neighbours (Тоқаев → токаев), each word is cut to a 5-letter prefix that survives inflection
(Тоқаевтың / Токаева → токае), and a small bilingual lexicon maps the words that differ
between the languages to one key (Ресей/Россия, су тасқыны/паводок, желтоқсан/декабрь → m12).

Each key gets a weight: names, numbers and dates tell one event from another, so they weigh
most; the words nearly every politics story has (Президент, Парламент, министр, Токаев
himself) weigh least. Two fingerprints are the same story when, within the time window, the
weighted overlap is high *and* they share at least one distinctive key.

Pure functions only: the Redis candidate lookup lives in bot/story_index.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from summarizer import to_cyrillic

WINDOW = timedelta(hours=36)
PREFIX_LEN = 5
LEAD_CHARS = 320  # the first sentence or two: later lead sentences drift to background
MAX_BANDS = 16

# Weights per key class. Tuned on tests/stories/fixtures/pairs.jsonl (see stories_eval).
W_NAME = 3.0  # proper names, acronyms, numbers, dates
W_WORD = 1.0  # other content words and bilingual concepts
W_COMMON = 0.3  # words that nearly every politics story shares
TITLE_BOOST = 1.5  # the headline says what the event is; the lead adds background

SAME_STORY_SCORE = 0.33
MIN_SHARED_STRONG = 3.0  # e.g. one shared name, or three shared content words

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.U)
_SENTENCE_ENDERS = frozenset('.!?:;«»"“”—–')
# «АСТАНА. KAZINFORM –», «ҚЫЗЫЛОРДА. KAZINFORM —»: the dateline names the outlet, not the event.
_DATELINE = re.compile(
    r"^\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ \-]{3,40}\.\s*(?:[A-Za-zА-Яа-яЁёӘәҚқ.]+\s*)?[–—-]\s*"
)
_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                       "һ": "х", "і": "и", "ё": "е", "й": "и", "ъ": "", "ь": "", "э": "е",
                       "щ": "ш"})  # fmt: skip


def _fold(word: str) -> str:
    return word.lower().translate(_FOLD)


def _skeletons(words: str) -> frozenset[str]:
    return frozenset(_fold(w)[:PREFIX_LEN] for w in words.split())


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
    жане мен менен осы осындаи сонымен деп деди туралы бойынша арасында ушин дейин
    кейин сондаи бирак алаида онын оларды олар бизде бизге болып болады болды болган
    болатын етип етти етеди атты айтты айтып атап мамлимдеди хабарлады хабарлаиды
    жазады жазды делинген сауда дедии кезинде кезде тарапынан сияктыi ягни катары
    биыл бугин кеше ертен казир осындаи барлык барлыгы кандаи каншалыкты жумыс
    kazinform казинформ kazakparat казакпарат tengrinews тенгриньюс nur egemen егемен
    akorda inform информ тилшиси корреспондент агентства агенттиги издания басылымы
    """
)

# Skeletons every politics story in Kazakhstan shares: a match on them is weak evidence.
_COMMON = _skeletons(
    """
    президент парламент мажилис сенат правительство министр министрлиги министерство
    депутат депутаттар государство государственный мемлекет мемлекеттик басшы басшысы
    казахстан казакстан республика республикасы астана алматы область облысы город
    каласы район ауданы закон законопроект решение шешим жылы году года год месяц
    токаев касым жомарт глава страна страны ели елимиз народ халык вопрос вопросы
    маселе проблема работа развитие дамыту даму мера меры шара шаралар система
    жуиеси жуие сфера сала саласы ведомство ведомствосы комитет комитети агентство
    премьер вице председатель торага аким акимат акимдиги отырыс отырысы заседание
    кездесу встреча встретился совещание кенес пресс служба кызмети баспасоз
    официальный ресми орын место сессия палата палатасы процент пайыз тенге
    одобрил одобрили макулдады приняли принял кабылдады кодекс кодексине первом чтении
    биринши окылымда поправки тузетулер жобасы сотрудничество ынтымактастык обсудили
    талкылады встретился кездести переговоры келиссоз подписал подписали кои коиды
    """
)

# Both languages' words for the same thing → one key. The longest matching prefix (8..4
# letters) wins, so «түркістан» (Туркестан) and «түркия» (Турция) stay apart; short entries
# match whole words only («сот» is a court, «сотрудник» is not). Name keys weigh as names
# even lower-case (kk writes «ресейлік»).
_NAME_PREFIX: dict[str, str] = {
    "ресеи": "росси", "росси": "росси", "кытаи": "китаи", "озбек": "узбек",
    "тажик": "таджи", "турикм": "туркм", "туркия": "турци", "туркис": "турке",
    "жапон": "япони", "онтусти": "южн", "улыбр": "британ", "велико": "британ",
    "британ": "британ", "ауган": "афган", "ундис": "индия", "еуроп": "европ",
    "еврос": "европ", "маске": "москв", "беиж": "пекин", "оскем": "камен", "солтус": "север",
    "батыс": "запад", "шыгыс": "восто", "ултты": "нацио", "нацба": "нацио",
    "нацфо": "нацио", "генпр": "проку", "жогарг": "верхо", "конститу": "конст",
}  # fmt: skip
_NAME_EXACT: dict[str, str] = {
    "акш": "сша", "буу": "оон", "бко": "зко", "шко": "вко", "укк": "кнб", "иим": "мвд",
    "тжм": "мчс", "сим": "мид", "жи": "ии", "киыр": "мвф", "ео": "европ", "ес": "европ",
}  # fmt: skip
_CONCEPT_PREFIX: dict[str, str] = {
    "таскы": "павод", "подто": "павод", "силки": "земле", "тотен": "чрезв",
    "саила": "выбор", "жарлы": "указ", "тагаи": "назна", "босат": "освоб",
    "келисс": "перег", "келиси": "согла", "согласн": "", "сапар": "визит",
    "сухба": "интерв", "интерв": "интерв", "елши": "посол", "салык": "налог",
    "базал": "базов", "молше": "ставк", "муна": "нефт", "нефт": "нефт", "согыс": "воин",
    "воин": "воин", "шабуы": "атак", "напад": "атак", "бирлес": "совме", "телефо": "телеф",
    "жолдау": "послан", "сыбаи": "корру", "жемко": "корру", "антик": "корру",
    "денса": "здрав", "минзд": "здрав", "корган": "оборо", "минобо": "оборо",
    "каржы": "финан", "минфи": "финан", "миллиард": "млрд", "миллион": "млн",
    "триллион": "трлн", "тысяч": "тыс", "мыннан": "тыс", "ресми": "офици", "жасанд": "искус", "искус": "искус", "талап": "требо",
    "талаб": "требо", "танба": "марки", "жибер": "напра", "енгиз": "ввод", "ввод": "ввод",
    "ввест": "ввод", "шетел": "иностр", "иностр": "иностр", "журнал": "журна",
    "отырыс": "засед", "соиле": "высту", "катысты": "участ", "катыс": "участ",
}  # fmt: skip
_CONCEPT_EXACT: dict[str, str] = {
    "сот": "суд", "сотта": "суд", "сотка": "суд", "соты": "суд", "соттын": "суд",
    "суд": "суд", "суда": "суд", "суде": "суд", "судом": "суд", "указ": "указ",
    "указом": "указ", "зан": "закон", "заны": "закон", "занды": "закон",
    "занга": "закон", "занын": "закон", "указа": "указ", "мын": "тыс", "кун": "", "куни": "", "млрд": "млрд",
    "млн": "млн", "трлн": "трлн",
}  # fmt: skip
# «Мемлекет басшысы» / «Глава государства» is how both languages name Tokayev in a headline.
_PHRASES: dict[tuple[str, str], str] = {
    ("мемле", "бас"): "токае", ("глава", "гос"): "токае", ("кол", "кои"): "подпи", ("бирин", "оку"): "перво",
    }  # fmt: skip
_MONTHS_PREFIX: dict[str, str] = {
    "канта": "01", "январ": "01", "акпан": "02", "феврал": "02", "науры": "03", "март": "03",
    "сауир": "04", "апрел": "04", "мамыр": "05", "мауси": "06", "июн": "06", "шилде": "07",
    "июл": "07", "тамыз": "08", "август": "08", "кырку": "09", "сентяб": "09",
    "казан": "10", "октяб": "10", "караш": "11", "ноябр": "11", "желток": "12",
    "декаб": "12",
}  # fmt: skip
_MONTHS_EXACT = {"мая": "05", "маи": "05"}

_COMMON_KEYS = _COMMON | {"токае"}
_PREFIX_LENGTHS = (8, 7, 6, 5, 4, 3)
_SURNAME = re.compile(r"(?:ов|ев|ин|ын|ова|ева|ина|ына|улы|кызы|ски|цки|енко|ян|дзе|швили)$")
_YEAR = re.compile(r"^(?:19[89]\d|20[0-4]\d)$")


def _lookup(prefix: dict[str, str], exact: dict[str, str], folded: str) -> str | None:
    if (hit := exact.get(folded)) is not None:
        return hit
    for n in _PREFIX_LENGTHS:
        if len(folded) >= n and (hit := prefix.get(folded[:n])) is not None:
            return hit
    return None


@lru_cache(maxsize=100_000)
def _month(folded: str) -> str | None:
    return _lookup(_MONTHS_PREFIX, _MONTHS_EXACT, folded)


@lru_cache(maxsize=100_000)
def _name(folded: str) -> str | None:
    return _lookup(_NAME_PREFIX, _NAME_EXACT, folded)


# Cached: news vocabulary repeats, and the prefix walk is most of fingerprint()'s time.
@lru_cache(maxsize=100_000)
def _concept(folded: str) -> str | None:
    return _lookup(_CONCEPT_PREFIX, _CONCEPT_EXACT, folded)


def _number_key(token: str) -> tuple[str, float]:
    value = token.replace(",", ".")
    if _YEAR.match(value) or len(value) == 1:
        return value, W_COMMON  # «2025 жылы», «1 млрд»: on every page
    return value, W_NAME


@dataclass(frozen=True)
class StoryFingerprint:
    """What is kept per recent article: weighted skeleton keys, language and time."""

    keys: tuple[tuple[str, float], ...]  # sorted (key, weight); weight already title-boosted
    lang: str
    published: float  # UTC timestamp

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.keys)

    @property
    def norm(self) -> float:
        return math.sqrt(sum(w for _, w in self.keys))

    def to_json(self) -> str:
        # Compact: {"l":"kk","t":1713..., "k":{"токае":0.45,...}}, weights rounded.
        return json.dumps(
            {
                "l": self.lang,
                "t": round(self.published, 1),
                "k": {k: round(w, 2) for k, w in self.keys},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> StoryFingerprint:
        data = json.loads(raw)
        keys = tuple(sorted((str(k), float(w)) for k, w in data["k"].items()))
        return cls(keys=keys, lang=str(data["l"]), published=float(data["t"]))


def _strip_dateline(text: str) -> str:
    return _DATELINE.sub("", text, count=1)


def _classify(word: str, f: str, at_start: bool) -> tuple[str, float] | None:
    if (name := _name(f)) is not None:
        return name, W_NAME
    if word.isupper() and 2 <= len(word) <= 6:
        return f, W_NAME  # acronym: КНБ, ЕАЭС, WSIS
    if len(f) < 3:
        return None
    lower = word[0].islower() or at_start
    # A capitalized word mid-sentence is a name even when it looks like a concept: Сапарбеков
    # is not a «сапар» (visit).
    concept = _concept(f) if lower else None
    if concept is not None:
        return (concept, W_WORD) if concept else None
    if len(f) < 4:
        return None
    skel = f[:PREFIX_LEN]
    if skel in _STOP or (len(f) >= 5 and _month(f) is not None):
        return None
    if skel in _COMMON_KEYS:
        return skel, W_COMMON
    if word[0].isupper() and (not at_start or _SURNAME.search(f)):
        return skel, W_NAME
    return skel, W_WORD


def _extract(text: str, boost: float, out: dict[str, float]) -> None:
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    folded = [_fold(t[0]) for t in tokens]
    prev_end = 0
    skip = False
    for i, (word, start, end) in enumerate(tokens):
        gap = text[prev_end:start].rstrip() if start > prev_end else ""
        at_start = i == 0 or (bool(gap) and gap[-1] in _SENTENCE_ENDERS)
        prev_end = end
        if skip:
            skip = False
            continue
        f = folded[i]
        nxt = folded[i + 1] if i + 1 < len(tokens) else ""
        found: tuple[str, float] | None
        if word[0].isdigit():
            month = _month(nxt) if nxt and len(word) <= 2 else None
            if month:
                found, skip = (f"d{int(word)}.{month}", W_NAME), True
            else:
                found = _number_key(word)
        elif (phrase := _PHRASES.get((f[:PREFIX_LEN], nxt[:3]))) is not None:
            found, skip = (phrase, W_WORD), True
        else:
            found = _classify(word, f, at_start)
        if found is None:
            continue
        key, weight = found
        if key in _COMMON_KEYS:
            weight = W_COMMON
        weight *= boost
        if weight > out.get(key, 0.0):
            out[key] = weight


def fingerprint(title: str, lead: str, lang: str, published: datetime) -> StoryFingerprint:
    """Fingerprint of one article; `lang` is kept for reporting, the keys are language-free."""
    weights: dict[str, float] = {}
    # Transliterating every text (not only kk) keeps Latin brand names like KEGOC identical
    # whichever language quotes them; Russian has no other Latin words to break.
    _extract(to_cyrillic(title[:300]), TITLE_BOOST, weights)
    _extract(to_cyrillic(_strip_dateline(lead[: LEAD_CHARS + 60])[:LEAD_CHARS]), 1.0, weights)
    when = published if published.tzinfo else published.replace(tzinfo=UTC)
    return StoryFingerprint(
        keys=tuple(sorted(weights.items())), lang=lang, published=when.timestamp()
    )


def _overlap(a: StoryFingerprint, b: StoryFingerprint) -> tuple[float, float]:
    """(shared weight, shared weight of distinctive keys)."""
    wa, wb = a.weights, b.weights
    if len(wb) < len(wa):
        wa, wb = wb, wa
    shared = strong = 0.0
    for key, w in wa.items():
        other = wb.get(key)
        if other is None:
            continue
        m = min(w, other)
        shared += m
        if m >= W_WORD:
            strong += m
    return shared, strong


def similarity(a: StoryFingerprint, b: StoryFingerprint) -> float:
    """Weighted overlap in 0..1, normalised like a cosine so one long lead cannot swamp it."""
    na, nb = a.norm, b.norm
    if not na or not nb:
        return 0.0
    shared, _ = _overlap(a, b)
    return min(1.0, shared / (na * nb))


def same_story(a: StoryFingerprint, b: StoryFingerprint, window: timedelta = WINDOW) -> bool:
    if abs(a.published - b.published) > window.total_seconds():
        return False
    na, nb = a.norm, b.norm
    if not na or not nb:
        return False
    shared, strong = _overlap(a, b)
    # Shared Президент + Мажилис + закон is every day's news: demand distinctive overlap too.
    return strong >= MIN_SHARED_STRONG and shared / (na * nb) >= SAME_STORY_SCORE


def _key_hash(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=4).hexdigest()


def lsh_bands(fp: StoryFingerprint) -> list[str]:
    """Bucket keys for the candidate lookup: one bucket per distinctive key (names, numbers,
    dates, content words; never the common words, whose buckets would hold every article).

    same_story demands a shared distinctive key, so a true pair always shares a bucket unless
    the cap cuts it; the cap keeps the keys with the smallest hashes (a bottom-k sketch), so
    two articles with overlapping key sets keep overlapping buckets."""
    strong = [k for k, w in fp.keys if w >= W_WORD]
    # Names first: they are both the most telling and the smallest buckets.
    names = sorted((k for k, w in fp.keys if w >= W_NAME), key=_key_hash)
    words = sorted((k for k in strong if k not in set(names)), key=_key_hash)
    chosen = (names + words)[:MAX_BANDS]
    return [f"s:{_key_hash(k)}" for k in chosen]
