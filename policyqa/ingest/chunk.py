"""Chunking: clause-aligned chunks of a Document, split on Chinese sentence ends when a clause is long."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from policyqa.schema import Chunk, Document, Paragraph

SEPARATORS = ["\n", "。", "！", "？", "；", "，", "、", ""]
CHUNKER_VERSION = 1
PARSER_VERSION = 2  # bump when clean.py or structure.py change what they produce: indexes then re-parse


@dataclass(frozen=True)
class ChunkSettings:
    size: int = 250
    overlap: int = 40

    def identity(self) -> dict:
        return {"size": self.size, "overlap": self.overlap, "version": CHUNKER_VERSION, "parser": PARSER_VERSION}


def clause_label(title: str, clause: tuple[str, ...]) -> str:
    """《Title》 第三章 … > 第一节 … — how a clause is shown and embedded."""
    path = " > ".join(clause)
    return f"《{title}》 {path}".strip()


def chunk_document(doc: Document, settings: ChunkSettings) -> list[Chunk]:
    """Chunks never cross a clause boundary; short paragraphs of one clause are merged up to the size."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        separators=SEPARATORS,
        keep_separator="end",
        add_start_index=True,
    )
    chunks: list[Chunk] = []
    for group in _clause_groups(doc.paragraphs):
        pieces: list[list[tuple[Paragraph, int, int]]] = []  # each piece: (paragraph, start, end) parts
        current: list[tuple[Paragraph, int, int]] = []
        size = 0
        for p in group:
            if len(p.text) > settings.size:
                # a lone heading travels with the first part of its long paragraph
                lead = current if current and all(q.heading for q, _, _ in current) else []
                if current and not lead:
                    pieces.append(current)
                current, size = [], 0
                for part in splitter.create_documents([p.text]):
                    start = part.metadata["start_index"]
                    pieces.append(lead + [(p, start, start + len(part.page_content))])
                    lead = []
                continue
            if current and size + len(p.text) > settings.size:
                pieces.append(current)
                current, size = [], 0
            current.append((p, 0, len(p.text)))
            size += len(p.text)
        if current:
            pieces.append(current)
        for piece in pieces:
            chunks.append(_make_chunk(doc, piece))
    return chunks


def _clause_groups(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Consecutive paragraphs of one clause; a heading joins the body that directly follows it,
    so the heading's words stay next to its text."""
    groups: list[list[Paragraph]] = []
    pending: Paragraph | None = None
    for p in paragraphs:
        if p.heading:
            if pending is not None:
                groups.append([pending])  # a heading with no body of its own (e.g. a chapter title)
            pending = p
            continue
        if pending is not None:
            groups.append([pending, p])
            pending = None
        elif groups and not groups[-1][-1].heading and groups[-1][-1].clause == p.clause:
            groups[-1].append(p)
        else:
            groups.append([p])
    if pending is not None:
        groups.append([pending])
    return [g for g in groups if not (len(g) == 1 and g[0].heading)]


def _make_chunk(doc: Document, piece: list[tuple[Paragraph, int, int]]) -> Chunk:
    text = "\n".join(p.text[s:e] for p, s, e in piece)
    body = next((p for p, _, _ in piece if not p.heading), piece[-1][0])
    clause = body.clause
    spans = tuple((p.start + s, p.start + e) for p, s, e in piece)
    pids = tuple(dict.fromkeys(p.id for p, _, _ in piece))
    cid = hashlib.sha1(f"{doc.hash}\x1f{pids}\x1f{spans}".encode()).hexdigest()[:16]
    # on a page of several reports the page title belongs to the first report only: its clause path
    # (starting with the report's own title) is the context
    context = " > ".join(clause) if doc.articles else clause_label(doc.title, clause)
    embed_text = f"{context}\n{text}"
    return Chunk(id=cid, doc=doc.name, paragraph_ids=pids, clause=clause, text=text,
                 embed_text=embed_text, spans=spans)
