"""Pure score fusion: two candidate lists (dense, BM25) → one fused score per row, and the diversity rule."""

from __future__ import annotations

from typing import Mapping, Sequence

Candidates = Mapping[int, tuple[int, float]]  # row → (1-based rank, raw score)


def weighted(dense: Candidates, lexical: Candidates, dense_weight: float, bm25_weight: float) -> dict[int, float]:
    """Weighted sum of scores scaled to [0, 1] over the candidates. Scaling keeps BM25's confident wins (a
    clause naming the exact terms) that rank fusion would flatten; BM25 scores are scaled from 0 since a
    zero means no shared term, cosines from the lowest candidate."""
    fused: dict[int, float] = {}
    for source, weight, floor in ((dense, dense_weight, None), (lexical, bm25_weight, 0.0)):
        if not source:
            continue
        values = [v for _, v in source.values()]
        lo = min(values) if floor is None else floor
        span = (max(values) - lo) or 1.0
        for row, (_, v) in source.items():
            fused[row] = fused.get(row, 0.0) + weight * (v - lo) / span
    return fused


def adaptive_dense_weight(coverage: float, dense_weight: float, lay_dense_weight: float, lay_below: float
                          ) -> float:
    """The dense side's weight for one question: a question whose rare terms the best lexical match mostly
    lacks (lay wording: 被抓 for 刑事责任) trusts the meaning more. `coverage` is the idf-weighted share of
    the question's terms found in the best BM25 chunk."""
    return lay_dense_weight if coverage < lay_below else dense_weight


def rrf(dense: Candidates, lexical: Candidates, dense_weight: float, bm25_weight: float, k: int = 60
        ) -> dict[int, float]:
    """Weighted reciprocal-rank fusion: Σ weight / (k + rank)."""
    fused: dict[int, float] = {}
    for source, weight in ((dense, dense_weight), (lexical, bm25_weight)):
        for row, (rank, _) in source.items():
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused


def diversify(ranked: list[int], fused: Mapping[int, float], docs: Sequence[str], share: float,
              top: int = 5) -> list[int]:
    """Make room in the top `top` for the best row of a second document when it scores at least `share` of
    the best: questions that span documents need evidence from each, and one long document's many similar
    clauses would otherwise fill the top. `docs[row]` is the row's document."""
    if len(ranked) <= top:
        return ranked
    head = ranked[:top]
    if len({docs[r] for r in head}) > 1:
        return ranked
    for row in ranked[top:]:
        if docs[row] != docs[head[0]]:
            if fused[row] >= share * fused[head[0]]:
                ranked = ranked[:top - 1] + [row] + [r for r in ranked[top - 1:] if r != row]
            break
    return ranked
