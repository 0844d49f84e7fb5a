"""The typed records of an answer: passages an answerer may cite, citations, the answer (and its JSON)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from policyqa.config import AnswerMode
from policyqa.ingest.chunk import clause_label

# the one refusal sentence (prompts/answer_system.txt asks the LLM for it too); an LLM may vary its ending
REFUSAL_LEAD = "未在已收录的文件中找到"
REFUSAL = REFUSAL_LEAD + "该问题的答案。"
# the right document or section was found but it does not state the asked fact
NOT_STATED_LEAD = "文件未载明"
UNSUPPORTED = "（⚠未核实）"
# the count that opens a list answer ("共5项：") — computed from the cited items, so it needs no citation
COUNT_LEAD = re.compile(r"^共\d+(?:个方面|项)[：:]$")  # marks an answer sentence the support check could not confirm


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
    page: int = 0  # 1-based page of a paged format (PDF, OFD), else 0
    source: str = ""  # the document's own metadata line: 发文机关 · 文号 · 日期 · 状态
    # spans of `paragraph` addressed to the answering system (系统提示：…): data, never evidence
    instruction_spans: tuple[tuple[int, int], ...] = ()

    def instructs(self, start: int, end: int) -> bool:
        """Whether [start, end) of the paragraph touches a passage addressed to the system."""
        return any(s < end and start < e for s, e in self.instruction_spans)

    @property
    def text(self) -> str:
        return self.paragraph[self.start:self.end]

    @property
    def label(self) -> str:
        label = clause_label(self.title, self.clause)
        return f"{label} 第{self.page}页" if self.page else label


@dataclass(frozen=True)
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
    source: str = ""  # 发文机关 · 文号 · 日期 · 状态 of the cited document
    kb: str = ""  # the knowledge base (id) holding the document; set when a question searched several


@dataclass(frozen=True)
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
