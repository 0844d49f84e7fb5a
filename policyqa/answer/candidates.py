"""A candidate answer sentence and the evidence the best one gives, with the small helpers on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policyqa.answer.types import Passage
from policyqa.text import normalize

QUOTED = re.compile(r"[“\"「《]([^”\"」》]+)[”\"」》]")


@dataclass
class Candidate:
    passage: Passage
    start: int  # within the paragraph
    end: int
    score: float
    covered: frozenset[str]
    order: tuple[int, int] = (0, 0)  # reading order among the passages: (passage index, start)
    lead_in: str = ""  # the lead-in its sentence's clauses stand under (2024年，…；产业带龙眼… → 2024年)
    cites: str = ""  # the item of a rule it cites, when it answers for that item (违反…第（四）项 → （四）擅自改装…)

    @property
    def text(self) -> str:
        return self.passage.paragraph[self.start:self.end]


@dataclass
class EvidenceStrength:
    """How strongly the retrieved passages answer the question (the refusal decision reads this)."""

    coverage: float  # weighted share of the question's key terms in the best sentence (+ its clause path)
    needs_number: bool
    has_number: bool
    focus: list[str] = field(default_factory=list)  # the terms next to the question word
    unit: str = ""  # the unit asked for (多少万吨 → 万吨)
    focus_ok: bool = True  # focus terms and unit appear around the best sentence, which states no other qualifier
    numbers_ok: bool = True  # numbers of the question (years…) appear around the best sentence, no other year in it
    kind_ok: bool = True  # the best sentence holds the kind of fact asked (a body for 哪个部门, an issuer…)
    lead: Passage | None = None  # the passage of the best sentence: where the documents come closest
    # the best sentence is clearly the one: far ahead of the next and the closest in meaning of all candidates
    # (a reworded question shares few characters with it: 岁数上千年的老荔枝树 → 千年以上古荔枝树)
    clear: bool = False
    # coverage of the best sentence with all of its title and clause path, headlines too: whether the documents
    # hold the question's subject (文件未载明 rather than 未找到) even when the headline is no sentence's context
    coverage_doc: float = 0.0


def cover(weights: dict[str, float], text_or_terms) -> float:
    if isinstance(text_or_terms, str):
        return sum(w for t, w in weights.items() if t in text_or_terms)
    return sum(weights.get(t, 0.0) for t in text_or_terms)


def overlaps(a: Candidate, b: Candidate) -> bool:
    if a.passage.paragraph_id == b.passage.paragraph_id:
        return a.start < b.end and b.start < a.end
    return normalize(a.text) in normalize(b.passage.paragraph) or normalize(b.text) in normalize(a.passage.paragraph)
