"""Hybrid retrieval: dense (FAISS, e5 `query: ` prompt) and BM25 (jieba) fused by weighted reciprocal rank."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from policyqa.config import Config
from policyqa.store.lexical import Tokenizer
from policyqa.schema import Chunk
from policyqa.store.index import Index


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


class Retriever:
    """Searches one loaded index; `mode` is hybrid (default), dense or bm25 (the baselines)."""

    def __init__(self, index: Index, embedder, cfg: Config, tokenizer: Tokenizer | None = None):
        self.index = index
        self.embedder = embedder
        self.cfg = cfg
        self.tokenizer = tokenizer or Tokenizer()
        self._titles = index.titles()
        self._last: tuple[str, np.ndarray] | None = None  # the evaluation's baselines re-ask each question

    def _query_vector(self, question: str) -> np.ndarray:
        if self._last is None or self._last[0] != question:
            self._last = (question, self.embedder.encode_queries([question])[0])
        return self._last[1]

    def search(self, question: str, k: int | None = None, docs: list[str] | None = None,
               mode: str = "hybrid") -> RetrievalResult:
        k = k or self.cfg.top_k
        n_cand = max(self.cfg.candidates, k)
        rows = self.index.rows_for_docs(docs)
        timings: dict[str, float] = {}
        dense: dict[int, tuple[int, float]] = {}
        lexical: dict[int, tuple[int, float]] = {}
        if mode in ("hybrid", "dense"):
            t = time.perf_counter()
            qvec = self._query_vector(question)
            timings["embed"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            ids, scores = self.index.dense_search(qvec, n_cand, rows)
            dense = {int(i): (r + 1, float(s)) for r, (i, s) in enumerate(zip(ids, scores))}
            timings["dense"] = (time.perf_counter() - t) * 1000
        terms = self.tokenizer(question)
        if mode in ("hybrid", "bm25"):
            t = time.perf_counter()
            scores = self.index.bm25.scores(terms)
            if rows is not None:
                mask = np.zeros_like(scores, dtype=bool)
                mask[rows] = True
                scores = np.where(mask, scores, 0.0)
            top = np.argsort(-scores, kind="stable")[:n_cand]
            lexical = {int(i): (r + 1, float(scores[i])) for r, i in enumerate(top) if scores[i] > 0}
            timings["bm25"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        fused = self._fuse(dense, lexical)
        best = self._diversify(sorted(fused, key=lambda r: -fused[r]), fused)[:k]
        hits = []
        for row in best:
            chunk = self.index.chunk(row)
            d = dense.get(row)
            b = lexical.get(row)
            hits.append(Hit(row=row, chunk=chunk, title=self._titles.get(chunk.doc, chunk.doc), score=fused[row],
                            dense=d[1] if d else 0.0, bm25=b[1] if b else 0.0,
                            dense_rank=d[0] if d else None, bm25_rank=b[0] if b else None))
        timings["fuse"] = (time.perf_counter() - t) * 1000
        return RetrievalResult(question=question, hits=hits, query_terms=terms, timings_ms=timings)

    def _diversify(self, ranked: list[int], fused: dict[int, float], top: int = 5) -> list[int]:
        """Make room in the top 5 for the best chunk of a second document when it scores close to the
        best: questions that span documents need evidence from each, and one long document's many similar
        clauses would otherwise fill the top."""
        if len(ranked) <= top:
            return ranked
        docs = self.index.chunk_docs
        head = ranked[:top]
        if len({docs[r] for r in head}) > 1:
            return ranked
        for row in ranked[top:]:
            if docs[row] != docs[head[0]]:
                if fused[row] >= self.cfg.diversity * fused[head[0]]:
                    ranked = ranked[:top - 1] + [row] + [r for r in ranked[top - 1:] if r != row]
                break
        return ranked

    def _fuse(self, dense: dict[int, tuple[int, float]], lexical: dict[int, tuple[int, float]]) -> dict[int, float]:
        """Weighted sum of scores scaled to [0, 1] over the candidates (default), or reciprocal-rank fusion.
        Scaling keeps BM25's confident wins (a clause naming the exact terms) that RRF would flatten."""
        cfg = self.cfg
        fused: dict[int, float] = {}
        if cfg.fusion == "rrf":
            for source, weight in ((dense, cfg.dense_weight), (lexical, cfg.bm25_weight)):
                for row, (rank, _) in source.items():
                    fused[row] = fused.get(row, 0.0) + weight / (cfg.rrf_k + rank)
            return fused
        for source, weight in ((dense, cfg.dense_weight), (lexical, cfg.bm25_weight)):
            if not source:
                continue
            values = [v for _, v in source.values()]
            lo = min(values) if source is dense else 0.0
            span = (max(values) - lo) or 1.0
            for row, (_, v) in source.items():
                fused[row] = fused.get(row, 0.0) + weight * (v - lo) / span
        return fused
