"""Answer text from chosen spans: every quote verbatim, followed by the number [n] of the paragraph it quotes."""

from __future__ import annotations

import re
from dataclasses import replace

from policyqa.answer.sections import Item
from policyqa.answer.types import Citation, Passage
from policyqa.text import normalize

CLAUSE_SPLIT = re.compile(r"[^，,：:]*[，,：:]?")
ITEM_SPLIT = re.compile(r"[^，,：:、]*[，,：:、]?")
NUMBER = re.compile(r"\d|[一二三四五六七八九十百]+分之[一二三四五六七八九十百]+|[一二三四五六七八九十百千万亿两]+(?:[个家项条所座倍元年日天月岁人名次户吨亩]|小时|公里|%|％)|[%％]")
# an ordinal names a place in the document (第五条, 第（三）项, （二）), it states no figure
ORDINAL = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条章节款项篇部编]|第?[（(][一二三四五六七八九十\d]+[)）]项?")


def states_number(text: str) -> bool:
    """`text` states a figure: a number that is not an ordinal (第五条 states none)."""
    return bool(NUMBER.search(ORDINAL.sub(" ", text)))


ENUMERATOR = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十\d]+[条章节项])")


class Citations:
    """The citations of one answer: one per quoted paragraph, numbered in order of first use."""

    def __init__(self):
        self._by_pid: dict[str, Citation] = {}

    def cite(self, p: Passage, s: int, e: int) -> int:
        cit = self._by_pid.get(p.paragraph_id)
        if cit is None:
            cit = Citation(n=len(self._by_pid) + 1, doc=p.doc, title=p.title, clause=p.label,
                           paragraph_id=p.paragraph_id, text=p.paragraph, quote=p.paragraph[s:e], span=(s, e),
                           source=p.source)
        elif (s, e) != cit.span:
            lo, hi = min(s, cit.span[0]), max(e, cit.span[1])
            cit = replace(cit, span=(lo, hi), quote=p.paragraph[lo:hi])
        self._by_pid[p.paragraph_id] = cit
        return cit.n

    def all(self) -> list[Citation]:
        return list(self._by_pid.values())


NOTE_AFTER = re.compile(r"[。！？][（(][^（）()]*[）)]$")  # a parenthesised note after a sentence's end


def quoted(p: Passage, s: int, e: int, citations: Citations) -> str:
    """The span as one answer sentence: verbatim, its end mark after the citation number."""
    quote = p.paragraph[s:e]
    body = quote.rstrip("，,：:。；;！!？? ")
    end = quote[len(body):].strip()
    end = end if end and end[0] in "。！？!?" else "。"
    if NOTE_AFTER.search(body):
        end = ""  # …建设。（牵头单位：…）[1]: the note closes a sentence already ended
    return f"{body}[{citations.cite(p, s, e)}]{end}"


def count_lead(n: int, question: str) -> str:
    """The count line that opens a list answer ("共5个方面："); the support check accepts it as is."""
    noun = "个方面" if re.search(r"几个?方面|哪些方面|什么方面", question) else "项"
    return f"共{n}{noun}："


def list_block(items: list[Item], question: str, citations: Citations) -> str:
    """All items in document order, one per line, each cited, after the count."""
    lines = [count_lead(len(items), question)]
    for k, item in enumerate(items, 1):
        line = quoted(item.passage, item.start, item.end, citations)
        lines.append(line if ENUMERATOR.match(item.text) else f"{k}. {line}")
    return "\n".join(lines)


def trim(text: str, weights: dict[str, float], limit: int = 110, want_number: bool = False,
         focus: tuple[str, ...] = ()) -> tuple[int, int]:
    """A long sentence shrinks to its clauses around the best-matching one (still verbatim).
    `want_number`: the clause that holds a number — next to what it measures (`focus`) — answers."""
    if len(text) <= limit:
        return 0, len(text)
    # a number asked for inside a long enumeration (…、甲港某新港区30万吨级原油码头、…) is its item
    split = ITEM_SPLIT if want_number and text.count("、") >= 3 else CLAUSE_SPLIT
    parts = [(m.start(), m.end()) for m in split.finditer(text) if m.end() > m.start()]
    bonus = 1.5 if want_number else 0.5
    scores = [_cover(weights, normalize(text[s:e]).lower()) + (bonus if states_number(text[s:e]) else 0)
              + (2.0 if want_number and states_number(text[s:e]) and any(t in text[s:e].lower() for t in focus) else 0)
              for s, e in parts]
    measured = [k for k, (s, e) in enumerate(parts) if want_number and states_number(text[s:e])
                and any(t in text[s:e].lower() for t in focus)]
    # the number next to what it measures answers, however well a clause of names only matches
    i = max(measured or range(len(parts)), key=lambda k: scores[k])
    if split is ITEM_SPLIT and states_number(text[parts[i][0]:parts[i][1]]):
        return parts[i][0], parts[i][1] - (text[parts[i][1] - 1] in "、，,：:")
    lo = hi = i
    while True:
        grown = False
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(parts) and scores[j] > 0:
                span = parts[min(lo, j)][0], parts[max(hi, j)][1]
                if span[1] - span[0] <= limit:
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    while parts[hi][1] - parts[lo][0] < 30 and (lo > 0 or hi < len(parts) - 1):
        if hi < len(parts) - 1:
            hi += 1
        else:
            lo -= 1
    return parts[lo][0], parts[hi][1]


def _cover(weights: dict[str, float], text: str) -> float:
    return sum(w for t, w in weights.items() if t in text)

