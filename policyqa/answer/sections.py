"""The document around a retrieved paragraph: its section (for answers that list a clause's items) and whether
it is a page of several reports. The answerer reads these through the `Sections` Protocol."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from policyqa.answer.types import Passage
from policyqa.store.index import Index
from policyqa.text import normalize, sentences


class Sections(Protocol):
    def section(self, passage: Passage, depth: int | None = None) -> list[Passage]:
        """The paragraphs of the clause `passage.clause[:depth]` (its own clause by default), in document
        order, the clause's heading first."""
        ...

    def articles(self, doc: str) -> int:
        """How many reports a page of several holds (0 for one document): their titles are the top level
        of its clause paths, not clauses."""
        ...


class IndexSections:
    """`Sections` over a loaded index; it reads each document once (one is made per answer)."""

    def __init__(self, index: Index):
        self.index = index
        self._paragraphs: dict[str, list] = {}
        self._articles: dict[str, int] = {}

    def section(self, passage: Passage, depth: int | None = None) -> list[Passage]:
        clause = passage.clause[:depth]
        if passage.doc not in self._paragraphs:
            self._paragraphs[passage.doc] = self.index.paragraphs(passage.doc)
        return [Passage(doc=p.doc, title=passage.title, clause=p.clause, paragraph_id=p.id, paragraph=p.text,
                        start=0, end=len(p.text), rank=passage.rank, heading=p.heading, page=p.page,
                        source=passage.source, instruction_spans=p.instruction_spans)
                for p in self._paragraphs[passage.doc] if p.clause[:len(clause)] == clause]

    def articles(self, doc: str) -> int:
        if doc not in self._articles:
            d = self.index.document(doc, with_paragraphs=False)
            self._articles[doc] = d.articles if d is not None else 0
        return self._articles[doc]


OPENING_LINES = 8  # a document names itself in its first lines: title, decree header, 《X办法》, the X办法 heading
DOC_TITLE = re.compile(r"(?:办法|条例|规定|细则|方案|规划|计划|意见|通知|决定|纲要)$")
QUOTED_NAME = re.compile(r"《([^《》]{4,40})》")


def opening_names(lines: Iterable[tuple[str, tuple[str, ...], bool]]) -> str:
    """The names a document gives itself in its opening lines, given as (text, clause, heading) in document
    order: a decree (…人民政府令) issues 《X办法》 there and heads its text with X办法, which its title line does
    not hold."""
    names = []
    for text, clause, heading in islice(lines, OPENING_LINES):
        text = text.strip()
        if not clause and len(text) <= 60 or heading and DOC_TITLE.search(text):
            names.append(text)
        names.extend(QUOTED_NAME.findall(text))
    return "".join(names)


@dataclass(frozen=True)
class Item:
    """One item of a list answer: a verbatim span of a paragraph."""

    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.paragraph[self.start:self.end]


# enumerators inside a paragraph, by style: the items of one list share a style
INLINE_STYLES = (
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))[一二三四五六七八九十]+是"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))其[一二三四五六七八九十]+[，,是、]"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))[（(]\d{1,2}[)）]"),
    re.compile(r"(?:^|(?<=[。；;，,：:\s]))[（(][一二三四五六七八九十]{1,3}[)）]"),
    re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]"),
    RUN_NUMBER := re.compile(r"(?:^|(?<=[。；;：:\s]))\d{1,2}[.．、](?!\d)"),
    re.compile(r"(?:^|(?<=[。；;：:]))[\u4e00-\u9fff]{2,8}方面[，,：:]"),
)
STARTS_ITEM = re.compile(r"\s*(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]+[，,是、]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])")
# a sentence that introduces a list — not a bound (…（限十八周岁以下）。)
INTRO = re.compile(r"[：:]\s*$|(?:下列|如下|(?<![\d一二三四五六七八九十百千万岁元米年月日天人个户%])以下)[^。；]{0,12}[：:。]?\s*$")
# …that opens a list of cases or items by name (有下列情形之一的，停止享受补贴：)
OPENS_LIST = re.compile(r"(?:下列|以下|如下)[^。；]{0,24}[：:]\s*$")
BULLET = re.compile(r"\s*(?:——|—|[●•◆■▪◇○·])")  # a paragraph that opens with a bullet is one item of a list
MAX_ITEMS = 12
ITEM_WHOLE = 90  # an item whose clauses (A；B。) fit in this many characters is quoted whole
LEAD_MIN = 8  # a lead sentence shorter than this ("用地保障。") takes the next clause along


def section_items(head: Passage, section: list[Passage], count: int | None = None) -> list[Item]:
    """The items of the clause `head` opens: one per sub-clause when it has them (（一）…（五）), else one per
    body paragraph (each paragraph's lead sentence), else the enumerated parts of one paragraph (一是…二是…,
    or parallel clauses 坚持…；坚持…；坚持…). `count`: how many items the question asks for, if it says."""
    depth = len(head.clause)
    body = [p for p in section if p.paragraph_id != head.paragraph_id]
    groups: dict[str, list[Passage]] = {}
    for p in body:
        if len(p.clause) > depth:
            groups.setdefault(p.clause[depth], []).append(p)
    if len(groups) >= 2:
        return _expand([(_sub_clause_item(ps[0]), ps) for ps in groups.values()])[:MAX_ITEMS]
    if len(groups) <= 1:  # 1.A。…2.B。…3.C。 run on across the section's paragraphs (text from newspaper columns)
        run = numbered_items(body)
        if len(run) >= 3:
            return run[:MAX_ITEMS]
    own = [p for p in body if len(p.clause) == depth and not p.heading and not INTRO.search(p.paragraph)]
    bulleted = [p for p in own if BULLET.match(p.paragraph)]
    marked = [p for p in own if STARTS_ITEM.match(p.paragraph)]
    if len(bulleted) >= 2:
        own = bulleted  # ——A。——B。 are the items; the paragraphs around them introduce or look ahead
    elif len(marked) >= 2 and len(marked) < len(own) and STARTS_ITEM.match(own[0].paragraph):
        own = marked  # 一是A。/ 以X为例，…（A continued）/ 二是B。: the paragraphs without a mark continue an item
    elif len(own) >= 3 and _is_intro(own[0], own[1:]):
        own = own[1:]
    if len(own) >= 2:
        return [_lead_item(p) for p in own[:MAX_ITEMS]]
    if len(own) == 1:
        return inline_items(own[0], count=count)
    return []


def numbered_items(paragraphs: list[Passage]) -> list[Item]:
    """Items numbered 1., 2., 3.… in running text across `paragraphs` (one may hold a single mark): the longest
    run from 1 in order, each item to the next mark or its paragraph's end."""
    marks = [(q, m.start()) for q in paragraphs for m in RUN_NUMBER.finditer(q.paragraph)]
    out: list[Item] = []
    for i, (q, at) in enumerate(marks):
        if int(re.match(r"\d+", q.paragraph[at:]).group()) != len(out) + 1:
            break
        nxt = marks[i + 1][1] if i + 1 < len(marks) and marks[i + 1][0] is q else len(q.paragraph)
        seg = q.paragraph[at:nxt].rstrip()
        out.append(Item(q, at, _clip(q.paragraph, at, at + len(seg.rstrip("。；;，, ")))))
    return out


def numbered_run(items: list[Item]) -> bool:
    """The items are numbered 1., 2., 3.… in order."""
    numbers = [re.match(r"\s*(\d{1,2})[.．、]", it.passage.paragraph[it.start:it.end]) for it in items]
    return bool(items) and all(numbers) and [int(m.group(1)) for m in numbers] == list(range(1, len(items) + 1))


def inline_items(p: Passage, start: int = 0, count: int | None = None) -> list[Item]:
    """Parts of a paragraph that enumerates (一是…；二是…, （1）…（2）…, ①…②…, 在X方面，…) at or after `start`:
    the first run of at least two enumerators of one style; without enumerators, a run of parallel clauses
    (坚持…；坚持…；坚持…) that holds or follows `start` (see `parallel_items`)."""
    text = p.paragraph
    best: list[int] = []
    for style in INLINE_STYLES:
        marks = [m.start() for m in style.finditer(text, start)]
        if len(marks) >= 2 and (not best or marks[0] < best[0]):
            best = marks
    if not best:
        return introduced_run(p, start) or parallel_items(p, start, least=2 if count == 2 else 3)
    out = []
    for a, b in zip(best, best[1:] + [_run_end(text, best[-1])]):
        seg = text[a:b].rstrip()
        out.append(Item(p, a, _clip(text, a, a + len(seg.rstrip("。；;，, ")))))
    return out[:MAX_ITEMS]


# the lead-in of items in one sentence: 下列情形：, 包括：, or what they are (制定了噪声管控规定：A；B；C。)
LEAD_IN = re.compile(r"(?:(?:下列|以下|如下)[^。；;：:]{0,16}|包括|包含|主要有|分别是|分别为|规定|要求|措施|举措|条件|原则)[：:]")


def introduced_run(p: Passage, start: int = 0) -> list[Item]:
    """'下列情形不予支持：A；B；C。' in one paragraph: the clauses the lead-in's colon opens, up to its full stop,
    are the items (at least two); the run that holds or follows `start`."""
    text = p.paragraph
    for m in LEAD_IN.finditer(text):
        end = text.find("。", m.end())
        end = len(text) if end < 0 else end
        if end <= start:
            continue
        out, a = [], m.end()
        for part in re.split(r"(?<=[；;])", text[m.end():end]):
            seg = part.rstrip("；; ")
            if seg.strip():
                out.append(Item(p, a, _clip(text, a, a + len(seg))))
            a += len(part)
        return out[:MAX_ITEMS] if len(out) >= 2 else []
    return []


OPENER_LEN = (2, 3)  # a parallel clause opens with a word of this many characters (坚持, 有利于)
NOT_OPENER = ("m", "t", "r", "p", "c", "d", "u", "x")  # 全年/今年/我市/各地/对/同时/也: scope or function words, not a deed


def parallel_items(p: Passage, start: int = 0, least: int = 3) -> list[Item]:
    """Clauses or sentences of one paragraph that open with the same word (坚持A；坚持B；坚持C。 or 有利于…。
    有利于…。) are a list: at least `least` in a row, in document order, each one clause long. The first may
    stand after a lead-in in its clause (实施X，有利于A；有利于B / 基本原则是：坚持A；坚持B). The run that holds
    or follows `start` is returned whole, from its first clause."""
    text = p.paragraph
    spans = sentences(text)
    words = [_opener(text[s:e]) for s, e in spans]
    i = 0
    while i < len(spans):
        w = words[i]
        j = i + 1
        while w and j < len(spans) and words[j] == w:
            j += 1
        if not w:
            i = j
            continue
        run = [(text.index(w, s), e) for s, e in spans[i:j]]
        if i > 0:  # 实施X，有利于A；: the clause before holds the run's first item after its lead-in
            ps, pe = spans[i - 1]
            m = re.search(r"[，,：:]\s*(" + re.escape(w) + ")", text[ps:pe])
            if m:
                run.insert(0, (ps + m.start(1), pe))
        if len(run) >= least and run[-1][1] > start:
            out = []
            for a, b in run[:MAX_ITEMS]:
                seg = text[a:b].rstrip()
                out.append(Item(p, a, _clip(text, a, a + len(seg.rstrip("。；;，, ")))))
            return out
        i = j
    return []


def _opener(clause: str) -> str:
    """The word a clause opens with, when it may open a parallel clause (a verb or adjective of 2–3
    characters: 坚持, 有利于, 加强), else ""."""
    import jieba.posseg  # lazily: its dictionary loads on first use

    head = clause.lstrip()[:8]
    if not re.match(r"[\u4e00-\u9fff]{2}", head):
        return ""
    first = next(iter(jieba.posseg.cut(head)), None)
    if first is None or not OPENER_LEN[0] <= len(first.word) <= OPENER_LEN[1] or first.flag.startswith(NOT_OPENER):
        return ""
    return first.word


LATER = re.compile(r"\s*(?:[2-9][.．、]|1\d|[二三四五六七八九十]+是|其[二三四五六七八九十]|[（(](?:[2-9]|[二三四五六七八九十])|[②③④⑤⑥⑦⑧⑨⑩])")


def opens_list(item: Item) -> bool:
    """The item is a list's first (1. / 一是 / （一）), not a later one the layout split from its list."""
    return not LATER.match(item.text)


def _run_end(text: str, last: int) -> int:
    """The last item of an inline list ends with its sentence."""
    for s, e in sentences(text):
        if s <= last < e:
            return e
    return len(text)


def _is_intro(first: Passage, rest: list[Passage]) -> bool:
    """A one-sentence paragraph before paragraphs of several sentences introduces them ("…存在一些问题。")."""
    return len(sentences(first.paragraph)) == 1 and sum(len(sentences(p.paragraph)) > 1 for p in rest) * 2 >= len(rest)


NUMBERED = re.compile(r"(?<=[。；;])\s*(\d{1,2}[.．、](?!\d))")


def _expand(groups: list[tuple[Item, list[Passage]]]) -> list[Item]:
    """Numbered items that layout merged into a sub-clause's paragraphs ("1.…。2.…。") are items of their own."""
    out = []
    for item, paragraphs in groups:
        out.append(item)
        if re.match(r"\s*\d{1,2}[.．、]", item.text):
            for p in paragraphs:
                start = item.end if p.paragraph_id == item.passage.paragraph_id else 0
                out.extend(_lead_item(p, m.start(1)) for m in NUMBERED.finditer(p.paragraph, start))
    return out


def _sub_clause_item(p: Passage) -> Item:
    """A sub-clause heading whole; a sub-clause that opens its paragraph, the paragraph's lead sentence."""
    return Item(p, 0, _clip(p.paragraph, 0, len(p.paragraph))) if p.heading else _lead_item(p)


def _lead_item(p: Passage, start: int = 0) -> Item:
    text = p.paragraph
    spans = [(s, e) for s, e in sentences(text) if s >= start]
    if not spans:
        return Item(p, start, len(text))
    s, e = spans[0]
    if len(normalize(text[s:e])) < LEAD_MIN and len(spans) > 1:
        e = _first_clause_end(text, spans[1][0], spans[1][1])
        if text[spans[1][0]:e + 1].endswith(("的，", "的,")):  # （三）发放。公示无异议的，…: a condition needs
            e = spans[1][1]  # its consequence
    stop = text.find("。", e)
    stop = len(text.rstrip()) - 1 if stop < 0 else stop
    if text[s:e].rstrip().endswith(("；", ";")) and e <= stop and stop + 1 - s <= ITEM_WHOLE:
        e = stop + 1  # （六）患病的，送诊；死亡的，无害化处理。: the item is its whole sentence, not the first clause
    return Item(p, s, _clip(text, s, e))


def with_step(item: Item, limit: int = 120) -> Item:
    """A step named by a run-in heading ((二)初审核查。乡镇…10个工作日内完成初审…) with the sentence that says who does
    it and in what time: the step's name alone answers no one asking how a matter is handled."""
    text = item.passage.paragraph
    if len(normalize(item.text)) > 14 or not item.text.rstrip().endswith(("。", "：", ":")):
        return item
    after = [(s, e) for s, e in sentences(text) if s >= item.end - 1 and e > item.end]
    if not after:
        return item
    return Item(item.passage, item.start, _clip(text, item.start, after[0][1], limit))


def _first_clause_end(text: str, s: int, e: int) -> int:
    m = re.search(r"[，,；;]", text[s:e])
    return s + m.end() - 1 if m and m.start() >= 6 else e


def _clip(text: str, s: int, e: int, limit: int = 90) -> int:
    """An item stays readable: past `limit` characters it ends at the last clause break before it."""
    if e - s <= limit:
        return e
    cut = max(text.rfind(ch, s, s + limit) for ch in "，,；;")
    return cut if cut > s + 10 else s + limit
