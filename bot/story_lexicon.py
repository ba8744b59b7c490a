"""The bilingual same-story lexicon (bot/story_lexicon.txt): Kazakh and Russian news words
that differ, mapped to one shared key, and the letter folding both languages go through."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("story_lexicon.txt")

NAME = "name"
WORD = "word"
DROP = "drop"

# Kazakh-only letters to their Russian neighbours, and the vowel pairs that transliteration
# swaps (Сайыров / Саиров, күйші / кюйши, Grýzıa → Грузиа / Грузия), so both spellings
# of a name fold alike.
_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                       "һ": "х", "і": "и", "ы": "и", "ё": "е", "й": "и", "ъ": "", "ь": "",
                       "э": "е", "щ": "ш", "ю": "у", "я": "а"})  # fmt: skip


def fold(word: str) -> str:
    folded = word.lower().translate(_FOLD)
    # Kazakh spells the European «ев» of loanwords «еу»: Еуропа, Еуразия.
    return "ев" + folded[2:] if folded.startswith("еу") else folded


@dataclass(frozen=True)
class Entry:
    key: str
    kind: str  # NAME, WORD or DROP


@dataclass
class _Table:
    exact: dict[str, Entry] = field(default_factory=dict)
    prefix: dict[str, Entry] = field(default_factory=dict)
    lengths: list[int] = field(default_factory=list)  # of the prefixes, longest first
    # first word of a phrase (folded, as written) → [(all words, exact flags, entry)]
    phrases: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], Entry]]] = field(
        default_factory=dict
    )

    def add(self, form: str, entry: Entry) -> None:
        words = form.split()
        if len(words) > 1:
            parts = tuple(fold(w.lstrip("=")) for w in words)
            flags = tuple(w.startswith("=") for w in words)
            self.phrases.setdefault(parts[0][:3], []).append((parts, flags, entry))
        elif form.startswith("="):
            self.exact[fold(form[1:])] = entry
        else:
            self.prefix[fold(form)] = entry
            self.lengths = sorted({len(p) for p in self.prefix}, reverse=True)

    def word(self, folded: str) -> Entry | None:
        if (hit := self.exact.get(folded)) is not None:
            return hit
        for n in self.lengths:
            if len(folded) >= n and (hit := self.prefix.get(folded[:n])) is not None:
                return hit
        return None

    def phrase(self, folded: list[str], i: int) -> tuple[Entry, int] | None:
        candidates = self.phrases.get(folded[i][:3])
        if not candidates:
            return None
        best: tuple[Entry, int] | None = None
        for parts, flags, entry in candidates:
            n = len(parts)
            if i + n > len(folded) or (best and best[1] >= n):
                continue
            if all(
                folded[i + j] == p if exact else folded[i + j].startswith(p)
                for j, (p, exact) in enumerate(zip(parts, flags, strict=True))
            ):
                best = (entry, n)
        return best


@dataclass
class Lexicon:
    tables: dict[str, _Table]
    # lang -> phrase_starts(lang), filled on first use (the tables never change after parse)
    _phrase_starts: dict[str, frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def phrase_starts(self, lang: str) -> frozenset[str]:
        """The first three letters of every phrase `lang` has: phrase() finds nothing for a
        word that begins otherwise, and most words do."""
        starts = self._phrase_starts.get(lang)
        if starts is None:
            starts = frozenset(
                k for table in self._tables(lang) for k, v in table.phrases.items() if v
            )
            self._phrase_starts[lang] = starts
        return starts

    def phrase(self, lang: str, folded: list[str], i: int) -> tuple[Entry, int] | None:
        """A phrase entry starting at folded[i], and how many words it takes."""
        for table in self._tables(lang):
            if table.phrases.get(folded[i][:3]) and (hit := table.phrase(folded, i)):
                return hit
        return None

    def word(self, lang: str, folded: str) -> Entry | None:
        """The entry of one folded word: Kazakh forms for Kazakh text, Russian for Russian,
        both (Kazakh first) for anything else."""
        for table in self._tables(lang):
            if (entry := table.word(folded)) is not None:
                return entry
        return None

    def _tables(self, lang: str) -> tuple[_Table, ...]:
        if lang in self.tables:
            return (self.tables[lang],)
        return (self.tables["kk"], self.tables["ru"])


def parse(text: str) -> Lexicon:
    tables = {"kk": _Table(), "ru": _Table()}
    kind = WORD
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            kind = {"[names]": NAME, "[words]": WORD, "[drop]": DROP}[line]
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise ValueError(f"{LEXICON_FILE.name}:{lineno}: want 'key | kk forms | ru forms'")
        # «~» keeps lexicon keys apart from plain 5-letter skeletons: the key «ветер» (wind)
        # must not meet «ветераны».
        entry = Entry("~" + parts[0], kind)
        for lang, column in zip(("kk", "ru"), parts[1:], strict=True):
            for form in column.split(","):
                if form.strip():
                    tables[lang].add(form.strip(), entry)
    return Lexicon(tables)


@cache
def lexicon() -> Lexicon:
    return parse(LEXICON_FILE.read_text(encoding="utf-8"))
