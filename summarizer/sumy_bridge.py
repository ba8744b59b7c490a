"""sumy integration: our tokenizer and document builder, NewsRank as a sumy summarizer, and the
stock LexRank baseline. Imports sumy (and through it nltk, over a second), so it is kept out of
the summarize() hot path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer

from .language import detect_language
from .normalize import norm_word
from .sentences import split_sentences
from .stem import stem_word
from .summary import rate, select, sentence_words
from .terms import stopwords


class Tokenizer:
    """What sumy asks of a tokenizer (to_sentences, to_words), without NLTK's punkt data."""

    def __init__(self, lang: str) -> None:
        self.language = lang

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph, self.language)

    def to_words(self, sentence: str) -> list[str]:
        return sentence_words(sentence, self.language)


def build_document(sentences: Sequence[str], tokenizer: Tokenizer) -> ObjectDocumentModel:
    """sumy's document from our sentences; PlaintextParser would drop ALL-CAPS lines as headings."""
    return ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in sentences])])


def stemmer(lang: str) -> Any:
    return lambda word: stem_word(norm_word(word), lang)


class NewsRankSummarizer(AbstractSummarizer):
    """Our ranker behind sumy's summarizer interface (document in, best sentences out)."""

    def __init__(self, lang: str) -> None:
        super().__init__(stemmer(lang))
        self.lang = lang
        self.stop_words = stopwords(lang)

    def __call__(self, document: Any, sentences_count: int, max_chars: int = 10**9) -> tuple:
        sentences = list(document.sentences)
        texts = [str(s) for s in sentences]
        scores, vecs = rate(texts, [s.words for s in sentences], self.lang)
        return tuple(sentences[i] for i in select(texts, scores, vecs, sentences_count, max_chars))


def stock_lexrank(
    text: str, lang: str | None = None, n: int = 3, max_chars: int = 600
) -> list[str]:
    """sumy's own LexRank with our tokenizer, stemmer and stop words; no boilerplate removal and
    no news knowledge. Sentences over max_chars are skipped, as in ours."""
    lang = lang or detect_language(text)
    document = build_document(split_sentences(text, lang), Tokenizer(lang))
    summarizer = LexRankSummarizer(stemmer(lang))
    summarizer.stop_words = stopwords(lang)
    out: list[str] = []
    used = 0
    for sentence in summarizer(document, n):
        cost = len(str(sentence)) + (1 if out else 0)
        if used + cost <= max_chars:
            out.append(str(sentence))
            used += cost
    return out
