"""Is an article about politics? A small logistic model over stems and a politics lexicon.

Politics here: the President and Akorda, Parliament (Мәжіліс, Сенат), government and
ministries, elections and parties, law-making, foreign policy and diplomacy, and international
organisations; SIB-200's «politics» also counts wars, protests and the history of states.

Features: the article's stems, the first five letters of its content words, and hits of a
curated kk+ru lexicon of politics word-beginnings (the title counts double). Every lexicon entry
belongs to a concept (head of state, parliament, government, ...), and the concept is a feature
of its own shared by both languages, so a Kazakh «сайлау» and a Russian «выборы» teach the model
the same thing, and a stem the training sentences never saw («Мәжіліс») still counts. A kk↔ru
stem dictionary, induced from the parallel SIB-200 training sentences (the same ids in both
languages), adds each stem's translation to the bag: a Kazakh sentence then also speaks with the
weights its Russian translations taught, and the other way round, so every training sentence
teaches both languages. Weights and the dictionary live in models/politics.json (retrain:
python -m summarizer.train_politics). The trainer shifts the bias so that
POLITICS_THRESHOLD = 0.5 is the F1-best cut of cross-validation on the training part. Inference
is pure Python.
"""

from __future__ import annotations

import json
import math
import operator
import re
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from .memo import Memo
from .terms import LEAD_CHARS, cached_terms, lead_cut, prepare, stopwords

MODEL_PATH = Path(__file__).with_name("models") / "politics.json"
POLITICS_THRESHOLD = 0.5
# A politics-only feed or a /politics/, /sayasat/, «Саясат» section: adds this much log-odds,
# enough to carry a borderline article over the threshold but not a plainly non-political one.
SECTION_HINT_LOGIT = 2.5
TEXT_CHARS = LEAD_CHARS  # the lead carries the topic; reading further only costs time
TITLE_WEIGHT = 2.0
FEATURE_GROUPS = frozenset({"stems", "lexicon", "prefix", "translation"})  # trainer's default
LEXICON_WEIGHT = 2.0  # concept hits count double: shared by kk and ru, never diluted by word forms
PREFIX_LEN = 5
PREFIX_WEIGHT = 0.7
# What a stem's dictionary translation weighs against the stem itself; the trainer picks it
# by cross-validation and stores it in the model.
TRANSLATION_WEIGHT = 1.0

Translations = dict[str, dict[str, str]]  # language -> its stem -> the other language's stem

# Concept -> lower-case word beginnings (Russian and Kazakh). A word matches when it starts
# with an entry; the longest entry wins. Curated from issue 4's definition, SIB-200's category
# and the words each entry matches in ../shared/data; «ханшайым» and the «партизан» exclusion
# came from reading SIB-200 dev errors, nothing from the held-out test split. «республик» is
# left out: Kazakhstan's news calls the country «республика» in weather reports and budgets.
LEXICON: dict[str, str] = {
    "head": "президент премьер$ канцлер монарх король корол королев царь$ царя$ царю$ царем$ "
    "царей$ цари$ царск царств император ханшайым шах$ шаха$ шахом$ султан патша губернатор "
    "мэр$ мэра$ мэру$ мэром$ мэре$ мэры$ мэрия мэрии мэрі әкім аким ақорда акорда тоқаев токаев "
    "кремл",
    "parliament": "парламент депутат сенат сенатор мажилис мәжіліс маслихат мәслихат курултай "
    "құрылтай конгресс спикер палат законодат заңнам",
    "government": "правительств министр министерств кабинет ведомств үкімет администрац "
    "госдеп әкімдік",
    "state": "государств мемлекет держав федерал штат суверен егемен тәуелсіз независим конституц",
    "law": "закон законопроект заң жарлық указ$ указа$ указу$ указом$ указе$ указы$ указов$ "
    "указам$ указами$ вето$ поправк түзету реформ референдум ратифик",
    "election": "выбор избира избран голосов баллотир кандидат предвыбор сайлау дауыс "
    "электорат бюллетен",
    "party": "парти оппозиц коалиц демократ либерал консерват республиканц",
    "politics": "политик политич саясат саяси власт билік идеолог",
    "war": "войн воен войск арми флот блокад оккупац вторжен сражен битв фронт солдат генерал "
    "соғыс әскер шабуыл шайқас майдан басқыншы",
    "diplomacy": "дипломат посол посольств переговор саммит договор соглашен санкц визит "
    "делегац елші келіссөз келісім шарт сапар халықаралық международ",
    "organisation": "оон$ нато$ натовск бұұ евросоюз шос$ одкб$ еаэс$ обсе$ юнеско одақ",
    "protest": "протест митинг демонстрац манифестац забастов бунт восстани революц переворот "
    "наразылық шеру көтеріліс төңкеріс",
    "colony": "колони империал импери отар метрополи",
}
# An entry ending in «$» matches only the whole word: «шах» is not «шахта», «указ» is not
# «указал», «НАТО» is not «натощак».


# Whole words that begin like an entry but are not politics: «выбор» (a choice; the elections
# are «выборы»), «независимо» (regardless), «голосовой» (voice-).
_EXCLUDE_WORDS = (
    "выбор выбора выбору выбором выборе независимо голосовой голосового голосовому голосовым "
    "голосовом голосовая голосовую голосовое голосовые голосовых голосовыми"
)
LEXICON_EXCLUDE = frozenset(_EXCLUDE_WORDS.split())
# Word beginnings that look like an entry and are something else: a «генеральный директор», a
# «штатный» employee, «партизан», a hospital or camping «палатка», the «метрополитен», rains
# that «закончатся».
_EXCLUDE_PREFIXES = (
    "генеральн штатн штатив партизан партитур палатк метрополитен державин выборочн "
    "фронтальн закономерн законч отара отары сапарбай шерубай"
)
LEXICON_EXCLUDE_PREFIXES = tuple(_EXCLUDE_PREFIXES.split())


@cache
def _lexicon() -> dict[str, list[tuple[str, bool, tuple[str, ...]]]]:
    """Lexicon entries by their first three letters, longest first: (entry, whole word only,
    its concepts)."""
    concepts: dict[str, list[str]] = {}
    for concept, entries in LEXICON.items():
        for entry in entries.split():
            concepts.setdefault(entry, []).append(concept)
    index: dict[str, list[tuple[str, bool, tuple[str, ...]]]] = {}
    for entry in sorted(concepts, key=lambda e: len(e.rstrip("$")), reverse=True):
        word = entry.rstrip("$")
        index.setdefault(word[:3], []).append((word, entry.endswith("$"), tuple(concepts[entry])))
    return index


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _run_hits(run: str) -> tuple[str, ...]:
    candidates = _lexicon().get(run[:3])
    if (
        candidates is not None
        and run not in LEXICON_EXCLUDE
        and not run.startswith(LEXICON_EXCLUDE_PREFIXES)
    ):
        for entry, whole_word, concepts in candidates:
            if run == entry or (not whole_word and run.startswith(entry)):
                return (*(f"={c}" for c in concepts), f"~{entry}")
    return ()


def _run_features(run: str) -> tuple[tuple[str, ...], str]:
    return _run_hits(run), _prefix(run)


# run of letters -> (its lexicon features, its word-beginning feature or ""): a run's features
# never change, and news words repeat, so each distinct run is looked at once.
_RUN_FEATURES: Memo[str, tuple[tuple[str, ...], str]] = Memo(_run_features, 200_000)


def lexicon_hits(text: str) -> list[str]:
    """Features for the lexicon entries that begin a run of letters in `text` (the longest
    entry wins): «=concept» and «~entry» per hit. A dict lookup per word, not a regex of
    alternatives tried at every character."""
    out: list[str] = []
    for hits, _ in map(_RUN_FEATURES.__getitem__, _LETTER_RUN.findall(text.lower())):
        out.extend(hits)
    return out


@cache
def _all_stopwords() -> frozenset[str]:
    return stopwords("kk") | stopwords("ru")


def _prefix(run: str) -> str:
    """«^» and the first PREFIX_LEN letters of a content word, "" for a short or stop word.
    It still matches when the Kazakh stemmer leaves a word over- or under-stripped, or the
    word is a form training never saw."""
    if len(run) < 4 or run in _all_stopwords():
        return ""
    return "^" + run[:PREFIX_LEN].replace("ё", "е")


def _add_runs(part: str, groups: frozenset[str], weight: float, bag: dict[str, float]) -> None:
    """Lexicon and word-beginning features of one part, from one pass over its letter runs."""
    lexicon = "lexicon" in groups
    prefix = "prefix" in groups
    lex_weight = weight * LEXICON_WEIGHT
    prefix_weight = weight * PREFIX_WEIGHT
    for hits, key in map(_RUN_FEATURES.__getitem__, _LETTER_RUN.findall(part.lower())):
        if lexicon:
            for hit in hits:
                bag[hit] = bag.get(hit, 0.0) + lex_weight
        if prefix and key:
            bag[key] = bag.get(key, 0.0) + prefix_weight


def features(
    title: str,
    text: str,
    lang: str | None = None,
    groups: frozenset[str] | None = None,
    translations: Translations | None = None,
    translation_weight: float | None = None,
) -> dict[str, float]:
    """Bag of stems (with their dictionary translations), lexicon hits and word beginnings
    (the title's count double), L2-normalised. `groups` picks the families ("stems",
    "translation", "lexicon", "prefix"); None means those the shipped model was trained on, and
    likewise for the dictionary and its weight (the trainer passes its own)."""
    bag = _bag(title, text, lang, groups, translations, translation_weight)
    norm = _norm(bag)
    return {k: v / norm for k, v in bag.items()}


def _bag(
    title: str,
    text: str,
    lang: str | None,
    groups: frozenset[str] | None,
    translations: Translations | None,
    translation_weight: float | None,
) -> dict[str, float]:
    """features() before the normalisation."""
    groups = _model().groups if groups is None else groups
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    lang, prepared = prepare(f"{title}\n{text[: lead_cut(text)]}", lang)
    head, _, body = prepared.partition("\n")
    table: dict[str, str] = {}
    t_weight = 0.0
    if "translation" in groups:
        t_weight = _model().translation_weight if translation_weight is None else translation_weight
        if t_weight:
            table = (_model().translations if translations is None else translations).get(lang, {})
    bag: dict[str, float] = {}
    for weight, part in ((TITLE_WEIGHT, head), (1.0, body)):
        if not part:
            continue
        if "stems" in groups:
            translated_weight = weight * t_weight
            for key in cached_terms(part, lang):
                bag[key] = bag.get(key, 0.0) + weight
                other = table.get(key)
                if other is not None:
                    bag[other] = bag.get(other, 0.0) + translated_weight
        _add_runs(part, groups, weight, bag)
    return bag


def _norm(bag: dict[str, float]) -> float:
    values = bag.values()
    return math.sqrt(sum(map(operator.mul, values, values))) or 1.0


class Model(NamedTuple):
    weights: dict[str, float]
    bias: float
    groups: frozenset[str]
    translations: Translations
    translation_weight: float


@cache
def _model() -> Model:
    with MODEL_PATH.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return Model(
        data["weights"],
        data["bias"],
        frozenset(data.get("features", ("stems", "lexicon"))),
        data.get("translations", {}),
        data.get("translation_weight", TRANSLATION_WEIGHT),
    )


def logit(feats: dict[str, float], weights: dict[str, float], bias: float) -> float:
    # map() rather than a generator: the same products added in the same order, in C.
    return bias + sum(map(operator.mul, feats.values(), map(weights.get, feats, repeat(0.0))))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def politics_score(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> float:
    """Probability-like score in [0, 1] that the article is about politics."""
    model = _model()
    bag = _bag(title, text, lang, None, None, None)
    # logit(features(...)) without building the normalised dict: the same v / norm * weight
    # terms, added in the same order.
    normalised = map(operator.truediv, bag.values(), repeat(_norm(bag)))
    weights = map(model.weights.get, bag, repeat(0.0))
    z = model.bias + sum(map(operator.mul, normalised, weights))
    if section_hint:
        z += SECTION_HINT_LOGIT
    return _sigmoid(z)


def is_politics(
    title: str, text: str, lang: str | None = None, *, section_hint: bool = False
) -> bool:
    return politics_score(title, text, lang, section_hint=section_hint) >= POLITICS_THRESHOLD
