"""Example questions for the empty chat: the configured list, else questions made from the indexed documents'
titles, sections and metadata (fixed examples would be wrong as soon as staff load their own files)."""

from __future__ import annotations

import re
from typing import Iterable

from policyqa.schema import Document

MAX_EXAMPLES = 4
MAX_SUBJECT = 20  # characters: a longer title does not fit on a button

# A section whose heading names a list the document sets out, and how a user would ask for it.
_SECTIONS = {
    "存在问题": "{s}指出了哪些问题？", "主要问题": "{s}指出了哪些问题？",
    "重大意义": "{s}提到了哪些重大意义？",
    "主要任务": "{s}有哪些主要任务？", "重点任务": "{s}有哪些重点任务？",
    "保障措施": "{s}有哪些保障措施？", "政策措施": "{s}有哪些政策措施？", "工作措施": "{s}有哪些工作措施？",
    "基本原则": "{s}的基本原则有哪些？", "发展目标": "{s}的发展目标是什么？", "工作目标": "{s}的工作目标是什么？",
    "主要目标": "{s}的主要目标是什么？", "对策建议": "{s}提出了哪些对策建议？",
}
_NUMBERING = re.compile(r"^\s*(第[一二三四五六七八九十百]+[章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])\s*")
_COLLECTION = re.compile(r"等\s*\d+\s*篇$")  # a page that gathers several articles has no one subject
_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")


def subject(title: str) -> str:
    """The title as a question's subject: without bracketed years or drafts; '' when it cannot serve."""
    text = _BRACKETS.sub("", title or "").strip()
    if not text or _COLLECTION.search(text) or len(text) > MAX_SUBJECT:
        return ""
    return text


def document_questions(doc: Document) -> list[str]:
    """Questions this document answers by its own structure, best first."""
    s = subject(doc.title)
    if not s:
        return []
    out = []
    if doc.period and doc.doctype == "规划":
        out.append(f"{s}的规划期是哪几年？")
    for p in doc.paragraphs:
        template = _SECTIONS.get(_NUMBERING.sub("", p.text).strip()) if p.heading else None
        if template and template.format(s=s) not in out:
            out.append(template.format(s=s))
    if doc.issuer:
        out.append(f"{s}是哪个部门印发的？")
    return out


def example_questions(docs: Iterable[Document], configured: Iterable[str] = ()) -> list[str]:
    """Up to MAX_EXAMPLES questions: the configured ones, else one per document in turn."""
    configured = [q for q in configured if q.strip()]
    if configured:
        return configured[:MAX_EXAMPLES]
    per_doc = [q for q in (document_questions(d) for d in docs) if q]
    out: list[str] = []
    for rank in range(max((len(q) for q in per_doc), default=0)):
        out += [qs[rank] for qs in per_doc if rank < len(qs)]
    return out[:MAX_EXAMPLES]
