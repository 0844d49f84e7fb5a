"""Lexical side: jieba tokens and a BM25 index (bm25s) with save/load."""

from __future__ import annotations

import logging
import re
from functools import cached_property
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Function words and question words: they carry no evidence, and the refusal check counts key terms.
STOPWORDS = frozenset(
    "的 了 到 和 与 及 或 是 在 有 为 对 等 中 上 下 把 被 将 由 以 于 其 之 而 并 也 都 就 还 又 要 会 能 可 "
    "这 那 该 此 各 个 么 吗 呢 吧 啊 哪 哪些 哪个 哪里 哪儿 什么 多少 几 几个 如何 怎么 怎样 怎么样 为什么 "
    "是否 是不是 请问 请 一下 关于 有关 方面 主要 具体 分别 包括 包含 内容 情况 提出 提到 目前 我们 我 你 "
    "它 他们 它们 其中 一个 一些 什么样 多大 多长 何时 何地 谁 呀 啦 吗？ 所 要求 文件 文档 规定 报告 报道 文章 调研 提及 认为 打算 希望 建议 人们 常说 什么样 哪种 哪类".split()
)
_PREPOSITIONS = "在从到向给对往按据跟把被我你他"
_PARTICLES = "要了的着过吗呢啊吧"
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


class Tokenizer:
    """jieba search-mode tokens, lower-cased, without punctuation and stop words."""

    @cached_property
    def _jieba(self):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        return tok

    def __call__(self, text: str) -> list[str]:
        out = []
        for word in self._jieba.cut_for_search(text):
            word = word.strip().lower()
            if word and not _PUNCT.match(word) and word not in STOPWORDS:
                out.append(word)
        return out

    def key_terms(self, text: str) -> list[str]:
        """The distinct content words of a question (precise mode: no overlapping sub-words)."""
        terms = []
        for word in self._jieba.cut(text):
            word = word.strip().lower()
            # the tagger's guess for an unknown word may take a neighbour along: 在霁阳, 我在岚川, 餐卡要
            while len(word) >= 3 and word[0] in _PREPOSITIONS and not self._jieba.FREQ.get(word):
                word = word[1:]
            if len(word) >= 3 and word[-1] in _PARTICLES and not self._jieba.FREQ.get(word):
                word = word[:-1]
            if word and not _PUNCT.match(word) and word not in STOPWORDS and word not in terms:
                terms.append(word)
        return terms


class BM25Index:
    """bm25s over pre-tokenised chunks; scores every chunk so callers can mask by document."""

    def __init__(self, retriever):
        self._bm25 = retriever
        self._vocab = retriever.vocab_dict

    @classmethod
    def build(cls, corpus_tokens: list[list[str]]) -> "BM25Index":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        # an empty chunk would otherwise break bm25s' vocabulary handling
        retriever.index([toks or ["\u2205"] for toks in corpus_tokens], show_progress=False)
        return cls(retriever)

    def save(self, path: Path) -> None:
        self._bm25.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path) -> "BM25Index":
        import bm25s

        return cls(bm25s.BM25.load(str(path), show_progress=False))

    def coverage(self, tokens: list[str], row: int) -> float:
        """The share of the distinct known `tokens` that chunk `row` contains, each weighted by its best
        single-term score (a rare term weighs more); 0 when no token is known."""
        weights = found = 0.0
        for t in dict.fromkeys(tokens):
            if t in self._vocab:
                per = np.asarray(self._bm25.get_scores([t]))
                weights += float(per.max())
                found += float(per.max()) if per[row] > 0 else 0.0
        return found / weights if weights else 0.0

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self._vocab]
        n = self._bm25.scores["num_docs"]
        if not known:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
