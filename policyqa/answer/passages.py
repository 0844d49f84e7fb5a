"""Retrieved hits → the numbered passages an answerer may cite, and the ranked contexts of the JSON answer."""

from __future__ import annotations

from policyqa.answer.types import Passage
from policyqa.ingest.chunk import clause_label
from policyqa.retrieve.retriever import Hit
from policyqa.store.index import Index


def passages_from_hits(hits: list[Hit], index: Index) -> list[Passage]:
    """One passage per (hit, paragraph) in hit order; a paragraph seen twice keeps its first hit."""
    out: list[Passage] = []
    seen: set[str] = set()
    sources: dict[str, str] = {}
    for rank, hit in enumerate(hits, 1):
        for pid, (s, e) in zip(hit.chunk.paragraph_ids, hit.chunk.spans):
            if pid in seen:
                continue
            p = index.paragraph(pid)
            if p is None:
                continue
            seen.add(pid)
            start, end = max(0, s - p.start), min(len(p.text), e - p.start)
            if p.doc not in sources:
                sources[p.doc] = index.source_line(p.doc)
            out.append(Passage(doc=p.doc, title=hit.title, clause=p.clause, paragraph_id=pid, paragraph=p.text,
                               start=start, end=end, rank=rank, heading=p.heading, page=p.page,
                               source=sources[p.doc], instruction_spans=p.instruction_spans))
    return out


def contexts_json(hits: list[Hit]) -> list[dict]:
    return [{"rank": i, "doc": h.chunk.doc, "title": h.title, "clause": clause_label(h.title, h.chunk.clause),
             "paragraph_ids": list(h.chunk.paragraph_ids), "text": h.chunk.text, "score": round(h.score, 6),
             "dense": round(h.dense, 4), "bm25": round(h.bm25, 4)} for i, h in enumerate(hits, 1)]
