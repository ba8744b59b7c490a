"""Is an article about politics? A small logistic model over stems and a politics lexicon.

Politics here: the President and Akorda, Parliament (Мәжіліс, Сенат), government and
ministries, elections and parties, law-making, foreign policy and diplomacy, and international
organisations; SIB-200's «politics» also counts wars, protests and the history of states.

Features: the article's stems (title stems count double) and hits of a curated kk+ru lexicon of
politics word-beginnings. Every lexicon entry belongs to a concept (head of state, parliament,
government, ...), and the concept is a feature of its own shared by both languages, so a
Kazakh «сайлау» and a Russian «выборы» teach the model the same thing, and a stem the
training sentences never saw («Мәжіліс») still counts. Weights live in models/politics.json
(retrain: python -m summarizer.train_politics). The trainer shifts the bias so that
POLITICS_THRESHOLD = 0.5 is the cross-validated F1-best cut. Inference is pure Python.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

from .terms import LEAD_CHARS, cached_terms, lead_cut, prepare

MODEL_PATH = Path(__file__).with_name("models") / "politics.json"
POLITICS_THRESHOLD = 0.5
# A politics-only feed or a /politics/, /sayasat/, «Саясат» section: adds this much log-odds,
# enough to carry a borderline article over the threshold but not a plainly non-political one.
SECTION_HINT_LOGIT = 2.5
TEXT_CHARS = LEAD_CHARS  # the lead carries the topic; reading further only costs time
TITLE_WEIGHT = 2.0

# Concept -> lower-case word beginnings (Russian and Kazakh). A word matches when it starts
# with an entry; the longest entry wins. Curated from issue 4's definition and SIB-200's
# category, not from any evaluation sentence.
LEXICON: dict[str, str] = {
    "head": "президент премьер канцлер монарх король корол королев царь цар император шах султан "
    "патша губернатор мэр әкім аким ақорда акорда тоқаев токаев кремл",
    "parliament": "парламент депутат сенат сенатор мажилис мәжіліс конгресс спикер палат "
    "законодат заңнам",
    "government": "правительств министр министерств кабинет ведомств үкімет администрац "
    "госдеп әкімдік",
    "state": "государств мемлекет держав республик федерал штат суверен егемен тәуелсіз "
    "независим конституц",
    "law": "закон законопроект заң жарлық указ вето поправк түзету реформ референдум",
    "election": "выбор избира избран голосов баллотир кандидат предвыбор сайлау дауыс "
    "электорат бюллетен",
    "party": "парти оппозиц коалиц демократ либерал консерват республиканц",
    "politics": "политик политич саясат саяси режим власт билік идеолог",
    "war": "войн воен войск арми флот блокад оккупац вторжен сражен битв фронт солдат генерал "
    "соғыс әскер шабуыл шайқас майдан басқыншы",
    "diplomacy": "дипломат посол посольств переговор саммит договор соглашен санкц визит "
    "делегац елші келіссөз келісім шарт сапар халықаралық международ",
    "organisation": "оон нато бұұ евросоюз шос одкб еаэс обсе юнеско одақ",
    "protest": "протест митинг демонстрац манифестац забастов бунт восстан революц переворот "
    "наразылық шеру көтеріліс төңкеріс",
    "colony": "колони империал импери отар метрополи",
}


# Whole words that begin like an entry but are not politics: «выбор» (a choice; the elections
# are «выборы»), «независимо» (regardless), «голосовой» (voice-).
_EXCLUDE_WORDS = (
    "выбор выбора выбору выбором выборе независимо голосовой голосового голосовому голосовым "
    "голосовом голосовая голосовую голосовое голосовые голосовых голосовыми"
)
LEXICON_EXCLUDE = frozenset(_EXCLUDE_WORDS.split())


@cache
def _lexicon() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Lexicon entries by their first three letters, longest first, each with its concepts."""
    concepts: dict[str, list[str]] = {}
    for concept, entries in LEXICON.items():
        for entry in entries.split():
            concepts.setdefault(entry, []).append(concept)
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for entry in sorted(concepts, key=len, reverse=True):
        index.setdefault(entry[:3], []).append((entry, tuple(concepts[entry])))
    return index


_LETTER_RUN = re.compile(r"[^\W\d_]+")


# run of letters -> its lexicon features; a run's features never change, and news words repeat.
_HITS_CACHE: dict[str, tuple[str, ...]] = {}
_HITS_CACHE_MAX = 200_000


def _run_hits(run: str) -> tuple[str, ...]:
    candidates = _lexicon().get(run[:3])
    hits: tuple[str, ...] = ()
    if candidates is not None and run not in LEXICON_EXCLUDE:
        for entry, concepts in candidates:
            if run.startswith(entry):
                hits = (*(f"={c}" for c in concepts), f"~{entry}")
                break
    if len(_HITS_CACHE) >= _HITS_CACHE_MAX:
        _HITS_CACHE.clear()
    _HITS_CACHE[run] = hits
    return hits


def lexicon_hits(text: str) -> list[str]:
    """Features for the lexicon entries that begin a run of letters in `text` (the longest
    entry wins): «=concept» and «~entry» per hit. A dict lookup per word, not a regex of
    alternatives tried at every character."""
    get = _HITS_CACHE.get
    out: list[str] = []
    for run in _LETTER_RUN.findall(text.lower()):
        hits = get(run)
        if hits is None:
            hits = _run_hits(run)
        if hits:
            out.extend(hits)
    return out


def features(title: str, text: str, lang: str | None = None) -> dict[str, float]:
    """Bag of stems and lexicon hits (the title's count double), L2-normalised."""
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    lang, prepared = prepare(f"{title}\n{text[: lead_cut(text)]}", lang)
    head, _, body = prepared.partition("\n")
    bag: dict[str, float] = {}
    for weight, part in ((TITLE_WEIGHT, head), (1.0, body)):
        if not part:
            continue
        for key in cached_terms(part, lang):
            bag[key] = bag.get(key, 0.0) + weight
        for key in lexicon_hits(part):
            bag[key] = bag.get(key, 0.0) + weight
    norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
    return {k: v / norm for k, v in bag.items()}


@cache
def _model() -> tuple[dict[str, float], float]:
    with MODEL_PATH.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return data["weights"], data["bias"]


def logit(feats: dict[str, float], weights: dict[str, float], bias: float) -> float:
    return bias + sum(v * weights.get(k, 0.0) for k, v in feats.items())


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def politics_score(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> float:
    """Probability-like score in [0, 1] that the article is about politics."""
    weights, bias = _model()
    z = logit(features(title, text, lang), weights, bias)
    if section_hint:
        z += SECTION_HINT_LOGIT
    return _sigmoid(z)


def is_politics(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> bool:
    return politics_score(title, text, lang, section_hint=section_hint) >= POLITICS_THRESHOLD
