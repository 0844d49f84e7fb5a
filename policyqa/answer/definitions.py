"""Definition questions: the footnote of a document that defines the asked term."""

from __future__ import annotations

import re

from policyqa.answer.candidates import Candidate
from policyqa.answer.sections import Item, Sections
from policyqa.text import normalize

FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def footnote(question: str, cands: list[Candidate], sections: Sections, top: int = 3) -> Item | None:
    """The footnote that defines what a definition question asks about: a top sentence marks the asked term
    with a superscript (本地IDC²服务, “一湾双轴”⁴建设) and a paragraph of the same document opens with that
    mark and the term (² IDC：…). The nearest such paragraph after the mark is the note."""
    asked = normalize(question).lower()
    for c in cands[:top]:
        for m in FOOTNOTE_MARK.finditer(c.text):
            before = re.sub(r"[“”\"「」]", "", c.text[max(0, m.start() - 12):m.start()]).lower()
            terms = [before[i:] for i in range(len(before) - 1) if before[i:] in asked]  # longest first
            if not terms:
                continue  # the mark follows something the question does not ask about
            doc = sections.section(c.passage, 0)
            here = next((i for i, q in enumerate(doc) if q.paragraph_id == c.passage.paragraph_id), 0)
            marked = [q for q in doc[here + 1:] + doc[:here]  # numbering restarts by page: the next one first
                      if q.paragraph.lstrip().startswith(m.group())]
            note = next((q for t in terms for q in marked if t in normalize(q.paragraph).lower()), None)
            if note is not None:
                start = len(note.paragraph) - len(note.paragraph.lstrip())
                end = len(note.paragraph.rstrip())
                return Item(note, start, min(end, start + 220))
    return None
