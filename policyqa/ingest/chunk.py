"""Chunking: clause-aligned chunks of a Document, split on Chinese sentence ends when a clause is long."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from policyqa.schema import Chunk, Document, Paragraph
from policyqa.text import sentences

SEPARATORS = ["\n", "。", "！", "？", "；", "，", "、", ""]
CHUNKER_VERSION = 3
PARSER_VERSION = 13  # bump when clean.py or structure.py change what they produce: indexes then re-parse


@dataclass(frozen=True)
class ChunkSettings:
    size: int = 500  # a paragraph longer than this is split; short paragraphs of one clause merge up to it
    overlap: int = 40
    unit: int = 500  # a clause with its sub-clauses (an article with its items) stays one chunk up to this

    def identity(self) -> dict:
        return {"size": self.size, "overlap": self.overlap, "unit": self.unit, "version": CHUNKER_VERSION,
                "parser": PARSER_VERSION}


def clause_label(title: str, clause: tuple[str, ...]) -> str:
    """《Title》 第三章 … > 第一节 … — how a clause is shown and embedded."""
    path = " > ".join(clause)
    return f"《{title}》 {path}".strip()


Piece = list[tuple[Paragraph, int, int]]  # (paragraph, start, end) parts of one chunk

LEAD_CHARS = 120  # a split clause's lead sentence, repeated as context of its later parts


def chunk_document(doc: Document, settings: ChunkSettings) -> list[Chunk]:
    """Chunks never cross a clause boundary. A clause and its sub-clauses (an article and its items, a
    heading and its numbered points) form one chunk while they fit in `settings.unit`: neither an article's
    opening "应当符合下列条件：" nor one item carries the meaning alone. A clause too long for that is chunked
    part by part, each part of its sub-clauses carrying the clause's lead sentence as context."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        separators=SEPARATORS,
        keep_separator="end",
        add_start_index=True,
    )
    groups = _clause_groups(doc.paragraphs)
    parts: list[tuple[Piece, str, bool]] = []  # (piece, lead context, opens sub-clauses that follow)
    leads: list[tuple[tuple[str, ...], str]] = []  # (clause, lead) of the split clauses enclosing this one
    i = 0
    while i < len(groups):
        clause = _clause(groups[i])
        while leads and leads[-1][0] != clause[:len(leads[-1][0])]:
            leads.pop()
        lead = leads[-1][1] if leads and leads[-1][0] != clause else ""
        end = i + 1
        while end < len(groups) and _inside(_clause(groups[end]), clause):
            end += 1
        subtree = [p for g in groups[i:end] for p in g]
        if end > i + 1 and sum(len(p.text) for p in subtree) <= settings.unit:
            parts.append(([(p, 0, len(p.text)) for p in subtree], lead, False))
            i = end
            continue
        if end > i + 1:
            leads.append((clause, _lead(groups[i])))
        pieces = _pieces(groups[i], settings, splitter)
        parts += [(piece, lead, end > i + 1 and k == len(pieces) - 1) for k, piece in enumerate(pieces)]
        i += 1
    return [_make_chunk(doc, piece, lead) for piece, lead in _join_openers(parts, settings)]


def _join_openers(parts: list[tuple[Piece, str, bool]], settings: ChunkSettings) -> list[tuple[Piece, str]]:
    """A short opening ("第六条 养犬人应当遵守下列规定：") joins the first of the sub-clauses it opens, so it is
    not a chunk of its own that says nothing."""
    out: list[tuple[Piece, str]] = []
    pending: tuple[Piece, str] | None = None
    for piece, lead, opens in parts:
        if pending is not None:
            joined = pending[0] + piece
            if _length(joined) <= settings.unit:
                piece, lead = joined, pending[1]  # the opening is in the text now: the outer lead is the context
            else:
                out.append(pending)
            pending = None
        if opens and _length(piece) <= LEAD_CHARS:
            pending = (piece, lead)
        else:
            out.append((piece, lead))
    if pending is not None:
        out.append(pending)
    return out


def _length(piece: Piece) -> int:
    return sum(e - s for _, s, e in piece)


def _pieces(group: list[Paragraph], settings: ChunkSettings, splitter: RecursiveCharacterTextSplitter
            ) -> list[Piece]:
    """One clause's paragraphs as chunk pieces: short ones merged up to the size, long ones split."""
    pieces: list[Piece] = []
    current: Piece = []
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
    return pieces


def _clause(group: list[Paragraph]) -> tuple[str, ...]:
    return next((p for p in group if not p.heading), group[-1]).clause


def _inside(clause: tuple[str, ...], parent: tuple[str, ...]) -> bool:
    return len(clause) > len(parent) and clause[:len(parent)] == parent


def _lead(group: list[Paragraph]) -> str:
    body = next((p for p in group if not p.heading), None)
    if body is None:
        return ""
    spans = sentences(body.text)
    text = body.text[spans[0][0]:spans[0][1]] if spans else body.text
    return text[:LEAD_CHARS]


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


def _make_chunk(doc: Document, piece: Piece, lead: str = "") -> Chunk:
    text = "\n".join(p.text[s:e] for p, s, e in piece)
    body = next((p for p, _, _ in piece if not p.heading), piece[-1][0])
    clause = body.clause
    spans = tuple((p.start + s, p.start + e) for p, s, e in piece)
    pids = tuple(dict.fromkeys(p.id for p, _, _ in piece))
    cid = hashlib.sha1(f"{doc.hash}\x1f{pids}\x1f{spans}".encode()).hexdigest()[:16]
    # on a page of several reports the page title belongs to the first report only: its clause path
    # (starting with the report's own title) is the context
    context = " > ".join(clause) if doc.articles else clause_label(doc.title, clause)
    embed_text = f"{context}\n{lead}\n{text}" if lead else f"{context}\n{text}"
    return Chunk(id=cid, doc=doc.name, paragraph_ids=pids, clause=clause, text=text,
                 embed_text=embed_text, spans=spans)
