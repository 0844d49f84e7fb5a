"""Answers and citations: the numbered passages an answerer draws from, and the support check."""

from __future__ import annotations

import re

from policyqa.config import AnswerMode
from dataclasses import asdict, dataclass, field

from policyqa.ingest.chunk import clause_label
from policyqa.retrieve.retriever import Hit
from policyqa.store.index import Index

_MARK = re.compile(r"\[(\d+)\]")
_WS = re.compile(r"[\s\u3000]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Passage:
    """A retrieved paragraph (or the retrieved part of it) that an answer may cite."""

    doc: str
    title: str
    clause: tuple[str, ...]
    paragraph_id: str
    paragraph: str  # the whole paragraph text
    start: int  # retrieved part within the paragraph
    end: int
    rank: int  # rank of the hit it came from (1-based)
    heading: bool = False

    @property
    def text(self) -> str:
        return self.paragraph[self.start:self.end]

    @property
    def label(self) -> str:
        return clause_label(self.title, self.clause)


@dataclass
class Citation:
    n: int
    doc: str
    title: str
    clause: str
    paragraph_id: str
    text: str  # the paragraph
    quote: str  # the supporting sentence(s), verbatim from the paragraph
    span: tuple[int, int]  # of the quote within the paragraph
    supported: bool = True


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    contexts: list[dict] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str = ""
    answer_mode: AnswerMode = AnswerMode.EXTRACTIVE
    notice: str = ""  # e.g. the LLM was unreachable and the extractive answer is shown
    related: list[dict] = field(default_factory=list)  # refusals: nearest passages, possibly related

    def to_json(self, id: str | None = None) -> dict:
        out = {"id": id, "question": self.question, "answer": self.answer, "refused": self.refused,
               "citations": [_citation_json(c) for c in self.citations], "contexts": self.contexts,
               "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()}}
        out.update(standalone_question=self.standalone_question, mode=str(self.answer_mode), notice=self.notice,
                   related=self.related)
        return out


def _citation_json(c: Citation) -> dict:
    d = asdict(c)
    d["span"] = list(c.span)
    return d


def passages_from_hits(hits: list[Hit], index: Index) -> list[Passage]:
    """One passage per (hit, paragraph) in hit order; a paragraph seen twice keeps its first hit."""
    out: list[Passage] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits, 1):
        for pid, (s, e) in zip(hit.chunk.paragraph_ids, hit.chunk.spans):
            if pid in seen:
                continue
            p = index.paragraph(pid)
            if p is None:
                continue
            seen.add(pid)
            start, end = max(0, s - p.start), min(len(p.text), e - p.start)
            out.append(Passage(doc=p.doc, title=hit.title, clause=p.clause, paragraph_id=pid, paragraph=p.text,
                               start=start, end=end, rank=rank, heading=p.heading))
    return out


def contexts_json(hits: list[Hit]) -> list[dict]:
    return [{"rank": i, "doc": h.chunk.doc, "title": h.title, "clause": clause_label(h.title, h.chunk.clause),
             "paragraph_ids": list(h.chunk.paragraph_ids), "text": h.chunk.text, "score": round(h.score, 6),
             "dense": round(h.dense, 4), "bm25": round(h.bm25, 4)} for i, h in enumerate(hits, 1)]


_OPEN, _CLOSE = "（(《“「[", "）)》”」]"
_ENDS = "。！？；!?;"


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (end exclusive, whitespace trimmed) of `text`. A sentence ends at 。！？； or a line
    break, but not inside brackets or quotes: "（牵头单位：省水利厅；参加单位：…）" stays whole."""
    spans = []
    depth = opened = 0
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _OPEN:
            depth += 1
            opened = i
        elif depth and i - opened > 160:  # an unbalanced bracket must not swallow the paragraph
            depth = 0
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch == "\n":
            spans.append((start, i))
            start = i = i + 1
            depth = 0
            continue
        if ch in _ENDS and depth == 0:
            end = i + 1
            while end < n and text[end] in _ENDS + "”’」』）)":  # keep closing marks with their sentence
                end += 1
            spans.append((start, end))
            start = i = end
            continue
        i += 1
    spans.append((start, n))
    out = []
    for s, e in spans:
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append((s + offset, e + offset))
    return out


def normalize(text: str) -> str:
    return _WS.sub("", text)


def strip_marks(text: str) -> str:
    return _MARK.sub("", text)


def bigrams(text: str) -> set[str]:
    """Character bigrams of the word characters of `text` (punctuation and spaces dropped)."""
    t = re.sub(r"[\W_]+", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def best_support(claim: str, paragraph: str) -> tuple[float, tuple[int, int]]:
    """How well `paragraph` backs `claim`, and the span of the sentences that do: verbatim containment
    scores 1; otherwise the share of the claim's character bigrams found in the best window of up to
    three consecutive sentences, zeroed when the claim states a number the window does not."""
    claim_n = normalize(strip_marks(claim)).rstrip("。！？；;!?")
    if not claim_n:
        return 0.0, (0, 0)
    para_n = normalize(paragraph)
    spans = sentences(paragraph) or [(0, len(paragraph))]
    if claim_n in para_n:
        for i in range(len(spans)):
            for j in range(i, min(i + 6, len(spans))):
                if claim_n in normalize(paragraph[spans[i][0]:spans[j][1]]):
                    return 1.0, (spans[i][0], spans[j][1])
        return 1.0, (0, len(paragraph))
    want = bigrams(claim_n) or {claim_n}
    numbers = set(_DIGITS.findall(claim_n))
    best, best_span = 0.0, spans[0]
    for i in range(len(spans)):
        for j in range(i, min(i + 3, len(spans))):
            window = paragraph[spans[i][0]:spans[j][1]]
            score = len(want & bigrams(window)) / len(want)
            if numbers - set(_DIGITS.findall(normalize(window))):
                score = 0.0
            if score > best:
                best, best_span = score, (spans[i][0], spans[j][1])
    return best, best_span


SUPPORT_THRESHOLD = 0.6


def check_support(answer: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Confirm every answer sentence is backed by the passages it cites; flag the ones that are not.

    Returns the answer with unsupported sentences marked (⚠未核实) and the citations with `supported`
    set (a citation is supported when some sentence citing it is)."""
    answer = _MARK_AFTER_END.sub(r"\2\1", answer)
    by_n = {c.n: c for c in citations}
    ok: dict[int, bool] = {c.n: False for c in citations}
    out, last = [], 0
    for s, e in sentences(answer):
        sent = answer[s:e]
        out.append(answer[last:s])
        last = e
        claim = strip_marks(sent)
        good = not normalize(claim).strip("。；，,.;：:")  # nothing to check
        for n in map(int, _MARK.findall(sent)):
            c = by_n.get(n)
            if c is None:
                continue
            score, span = best_support(claim, c.text)
            if score >= SUPPORT_THRESHOLD:
                good = ok[n] = True
                if not c.quote:
                    c.quote, c.span = c.text[span[0]:span[1]], span
        out.append(sent if good else _flag(sent))
    out.append(answer[last:])
    for c in citations:
        c.supported = ok[c.n]
    return "".join(out), citations


UNSUPPORTED = "（⚠未核实）"
_MARK_AFTER_END = re.compile(r"([。！？；])((?:\[\d+\])+)")


def _flag(sentence: str) -> str:
    end = len(sentence.rstrip("。！？；!?;"))
    return sentence[:end] + UNSUPPORTED + sentence[end:]
