"""Hybrid retrieval over one loaded index: dense (FAISS, the model's query prompt) and BM25 (jieba tokens), fused."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from policyqa.config import Config, Fusion
from policyqa.embedding.embedder import Embedder
from policyqa.retrieve import fusion
from policyqa.retrieve.expansion import LayTerms
from policyqa.store.lexical import Tokenizer
from policyqa.schema import Chunk
from policyqa.store.index import Index


class RetrievalMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"  # the evaluation's baselines
    BM25 = "bm25"


@dataclass(frozen=True)
class Hit:
    row: int
    chunk: Chunk
    title: str
    score: float  # fused
    dense: float  # cosine similarity (0 when not among the dense candidates)
    bm25: float
    dense_rank: int | None = None  # 1-based rank among candidates, None when absent
    bm25_rank: int | None = None


@dataclass
class RetrievalResult:
    question: str
    hits: list[Hit]
    query_terms: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    weights: tuple[float, float] = (0.0, 0.0)  # (dense, BM25) the fusion used for this question


class Retriever:
    """Searches one loaded index."""

    def __init__(self, index: Index, embedder: Embedder, cfg: Config, tokenizer: Tokenizer | None = None):
        self.index = index
        self.embedder = embedder
        self.cfg = cfg
        self.tokenizer = tokenizer or Tokenizer()
        self.titles = index.titles()  # document name → title, read once per index
        self.lay_terms = LayTerms.load()
        # the question's parts and the evaluation's baselines ask for the same vectors again
        self._vectors: dict[str, np.ndarray] = {}

    def query_vector(self, question: str) -> np.ndarray:
        if question not in self._vectors:
            if len(self._vectors) >= 16:
                self._vectors.pop(next(iter(self._vectors)))
            self._vectors[question] = self.embedder.encode_queries([question])[0]
        return self._vectors[question]

    def _lift_by_sentences(self, qvec: np.ndarray, ids: np.ndarray, scores: np.ndarray, n: int,
                           rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Dense scores that mix the chunk's cosine with its best sentence's: a clause whose one sentence
        says what was asked is found although the rest of the clause is about other things."""
        best = self.index.sentence_scores(qvec)
        if rows is not None:
            keep = np.zeros(len(best), dtype=bool)
            keep[rows] = True
            best[~keep] = -np.inf
        n_sent = min(n, int(np.isfinite(best).sum()))
        by_sentence = np.argpartition(-best, n_sent - 1)[:n_sent] if n_sent > 0 else np.zeros(0, np.int64)
        union = np.union1d(ids, by_sentence).astype(np.int64)
        chunk = dict(zip(ids.tolist(), scores.tolist()))
        missing = np.array([r for r in union if r not in chunk], dtype=np.int64)
        chunk.update(zip(missing.tolist(), self.index.chunk_scores(qvec, missing).tolist()))
        c = np.array([chunk[r] for r in union.tolist()], dtype=np.float32)
        sent = np.where(np.isfinite(best[union]), best[union], c)
        w = self.cfg.sentence_weight
        mixed = (1 - w) * c + w * sent
        order = np.argsort(-mixed, kind="stable")[:n]
        return union[order], mixed[order]

    def search(self, question: str, k: int | None = None, docs: list[str] | None = None,
               mode: RetrievalMode | str = RetrievalMode.HYBRID) -> RetrievalResult:
        mode = RetrievalMode(mode)
        k = k or self.cfg.top_k
        n_cand = max(self.cfg.candidates, k)
        rows = self.index.rows_for_docs(docs)
        timings: dict[str, float] = {}
        dense: dict[int, tuple[int, float]] = {}
        lexical: dict[int, tuple[int, float]] = {}
        if mode in (RetrievalMode.HYBRID, RetrievalMode.DENSE):
            t = time.perf_counter()
            qvec = self.query_vector(question)
            timings["embed"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            ids, scores = self.index.dense_search(qvec, n_cand, rows)
            if self.cfg.sentence_weight > 0:
                ids, scores = self._lift_by_sentences(qvec, ids, scores, n_cand, rows)
            dense = {int(i): (r + 1, float(s)) for r, (i, s) in enumerate(zip(ids, scores))}
            timings["dense"] = (time.perf_counter() - t) * 1000
        terms = self.tokenizer(question)
        if mode in (RetrievalMode.HYBRID, RetrievalMode.BM25):
            t = time.perf_counter()
            scores = self.index.bm25.scores(self.lay_terms.expand(question, terms, self.tokenizer))
            if rows is not None:
                mask = np.zeros_like(scores, dtype=bool)
                mask[rows] = True
                scores = np.where(mask, scores, 0.0)
            top = np.argsort(-scores, kind="stable")[:n_cand]
            lexical = {int(i): (r + 1, float(scores[i])) for r, i in enumerate(top) if scores[i] > 0}
            timings["bm25"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        cfg = self.cfg
        dense_weight, bm25_weight = cfg.dense_weight, cfg.bm25_weight
        if dense and lexical and cfg.lay_dense_weight != cfg.dense_weight:
            first = min(lexical, key=lambda r: lexical[r][0])
            dense_weight = fusion.adaptive_dense_weight(self.index.bm25.coverage(terms, first), cfg.dense_weight,
                                                        cfg.lay_dense_weight, cfg.lay_coverage)
            bm25_weight = cfg.bm25_weight + cfg.dense_weight - dense_weight  # the sum stays
        if cfg.fusion is Fusion.RRF:
            fused = fusion.rrf(dense, lexical, dense_weight, bm25_weight, cfg.rrf_k)
        else:
            fused = fusion.weighted(dense, lexical, dense_weight, bm25_weight)
        ranked = sorted(fused, key=lambda r: -fused[r])
        best = fusion.diversify(ranked, fused, self.index.chunk_docs, cfg.diversity)[:k]
        hits = []
        for row in best:
            chunk = self.index.chunk(row)
            d = dense.get(row)
            b = lexical.get(row)
            hits.append(Hit(row=row, chunk=chunk, title=self.titles.get(chunk.doc, chunk.doc), score=fused[row],
                            dense=d[1] if d else 0.0, bm25=b[1] if b else 0.0,
                            dense_rank=d[0] if d else None, bm25_rank=b[0] if b else None))
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return RetrievalResult(question=question, hits=hits, query_terms=terms, timings_ms=timings,
                               weights=(dense_weight if dense else 0.0, bm25_weight if lexical else 0.0))
