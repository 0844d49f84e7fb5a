"""Cleaned blocks → a Document: heading tree and clause paths, articles of a newspaper page, title, paragraph ids."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from policyqa.ingest.furniture import (is_byline, is_caption, is_masthead, is_news_lead, is_page_seam, iso_date,
                                       jump_marker, page_meta, paper_name)
from policyqa.ingest.headings import (GENERIC_SECTIONS, RANK, HeadingMatch, declared_title, detect_status,
                                      heading_level, is_status_line, shorten)
from policyqa.ingest.metadata import read_metadata
from policyqa.schema import Block, Document, LoadedFile, Paragraph
from policyqa.text import bigrams, ends_final, ends_open, normalize

_LABEL_SPACED = ("part", "chapter", "section", "article", "box", "annex")
_TITLE_WORDS = ("规划", "方案", "计划", "意见", "通知", "办法", "决定", "报告", "纲要", "措施", "细则", "条例", "规定",
                "公告", "通报", "指引", "指南", "要点", "政策", "实施", "印发", "规则", "标准", "清单", "批复", "函")
_RE_DOCNO = re.compile(r"[〔\[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号")
_RE_DATE_LINE = re.compile(r"^[（(]?\d{4}年\d{1,2}月(\d{1,2}日)?[)）]?$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_RE_ISSUER_END = re.compile(r"(人民政府|委员会|办公室|办公厅|政府|局|厅|部|委|院|会|中心|集团|公司|党校|指挥部)$")
_LEAF = 50.0  # rank of an unnumbered heading inside a numbered hierarchy: popped by any numbered heading


@dataclass
class _Unit:
    text: str
    blocks: list[Block]
    kind: str  # title | heading | item | named | byline | caption | body | status
    hm: HeadingMatch | None = None
    display: str = ""

    @property
    def line_start(self) -> int:
        return min(b.line_start for b in self.blocks)

    @property
    def line_end(self) -> int:
        return max(b.line_end for b in self.blocks)


@dataclass
class _Out:
    text: str
    clause: tuple[str, ...]
    heading: bool
    line_start: int
    line_end: int


@dataclass
class _Article:
    body: list[_Unit] = field(default_factory=list)
    title: str = ""
    title_units: list[_Unit] = field(default_factory=list)
    bylines: list[_Unit] = field(default_factory=list)
    captions: list[_Unit] = field(default_factory=list)


def _classify(block: Block) -> _Unit:
    text = block.text.strip()
    hm = heading_level(text)
    if is_byline(text):
        return _Unit(text, [block], "byline")
    if is_caption(text) and not hm:
        return _Unit(text, [block], "caption")
    if hm is not None:
        if hm.kind == "named":
            return _Unit(text, [block], "named", hm, hm.display)
        if hm.inline:
            return _Unit(text, [block], "item", hm, hm.display)
        shown = hm.display if hm.kind in _LABEL_SPACED else text
        return _Unit(shown, [block], "heading", hm, hm.display)
    if is_status_line(text):
        return _Unit(text, [block], "status")
    if _RE_DATE_LINE.match(normalize(text)):
        return _Unit(text, [block], "body")
    if block.heading and not ends_final(text):
        return _Unit(text, [block], "title", None, text)
    return _Unit(text, [block], "body")


def _adjacent(a: _Unit, b: _Unit) -> bool:
    return b.line_start <= a.line_end + 1


def _group_titles(units: list[_Unit]) -> list[_Unit]:
    """Merge title lines set directly under each other (a headline broken over lines) into one unit;
    merge a bare '附件' / '专栏' heading with the title line that follows it."""
    out: list[_Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if prev and prev.kind == "title" and u.kind == "title" and _adjacent(prev, u) \
                and len(prev.text) + len(u.text) <= 80:
            prev.text += u.text
            prev.display = prev.text
            prev.blocks.append(u.blocks[0])
            continue
        if prev and prev.kind == "heading" and prev.hm and prev.hm.kind in ("annex", "box") \
                and not prev.hm.title and u.kind == "title":
            shown = f"{prev.hm.label} {u.text}"
            prev.text = prev.display = shown
            prev.blocks.extend(u.blocks)
            continue
        out.append(u)
    return out


def _subtitles(units: list[_Unit]) -> list[_Unit]:
    """On a newspaper page, a short unfinished line set directly under a headline and followed by the report's
    lead or byline is the headline's second line (主标题 + 副标题), though its comma kept it from reading as a
    title."""
    out: list[_Unit] = []
    for k, u in enumerate(units):
        prev = out[-1] if out else None
        nxt = units[k + 1] if k + 1 < len(units) else None
        if prev and prev.kind == "title" and u.kind == "body" and _adjacent(prev, u) and len(u.text) <= 40 \
                and not ends_final(u.text) and not ends_open(u.text) and nxt is not None \
                and (nxt.kind == "byline" or is_news_lead(nxt.text)):
            prev.text = prev.display = f"{prev.text} {u.text}"
            prev.blocks.extend(u.blocks)
            continue
        out.append(u)
    return out


def _similarity(title: str, text: str) -> float:
    tb = bigrams(title)
    if not tb:
        return 0.0
    return len(tb & bigrams(text)) / len(tb)


def _rank(u: _Unit, has_chapters: bool, top_rank: float) -> float:
    if u.kind == "title":
        return _LEAF if has_chapters else 1.5
    if u.kind == "named":
        return top_rank
    assert u.hm is not None
    return u.hm.rank


def _demote_empty_headings(units: list[_Unit]) -> None:
    """A numbered 'heading' followed directly by a sibling or a higher heading has no body of its own:
    it is a list item ("1.推进能源结构调整。"), so its text is content, not outline."""
    listy = ("cn", "paren_cn", "arabic", "paren_arabic", "circled")
    last_item: dict[str, int | None] = {}  # per numbering kind: number of the last item seen
    asked = False  # inside the answer of a Q&A question
    outer: set[str] = set()  # numbering kinds used outside answers: the headings that group questions
    for i, u in enumerate(units):
        if u.kind not in ("heading", "item") or not u.hm:
            continue
        kind, num = u.hm.kind, u.hm.number
        if kind == "question":
            asked = True
            last_item.clear()  # each answer numbers its own list
            continue
        if not asked or u.hm.rank <= RANK["section"]:
            asked = False
            outer.add(kind)
        if u.kind == "heading" and kind in listy:
            v = units[i + 1] if i + 1 < len(units) else None
            next_question = v is not None and v.hm is not None and v.hm.kind == "question"
            no_body = v is None or v.kind == "named" or (v.kind in ("heading", "item") and v.hm is not None
                                                         and not next_question and v.hm.rank <= u.hm.rank) \
                or (next_question and asked and kind not in outer)  # an answer's last list line
            # the next item of a list whose previous item carried text is an item too, when it reads as
            # a sentence and has no sub-items of its own
            deeper = v is not None and v.kind in ("heading", "item") and v.hm is not None and v.hm.rank > u.hm.rank
            follows_item = num is not None and last_item.get(kind) == num - 1 and ends_final(u.text) \
                and not deeper
            if no_body or follows_item:
                u.kind = "item"
                u.display = shorten(u.hm.label, u.hm.title)
        # a heading of a higher level closes the lists below it
        for k in list(last_item):
            if RANK.get(k, 0) > u.hm.rank:
                del last_item[k]
        last_item[kind] = num if u.kind == "item" else None


def _signature(units: list[_Unit]) -> tuple[str, str]:
    """'……人民政府 / 2023年5月10日' closing a notice: both become body lines. Returns (issuer, date)."""
    for k in range(len(units) - 1, max(-1, len(units) - 4), -1):
        u = units[k]
        m = re.fullmatch(r"[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?", normalize(u.text))
        if not m:
            continue
        date = iso_date(m.group(1), m.group(2), m.group(3))
        issuer = ""
        prev = units[k - 1] if k > 0 else None
        if prev is not None and prev.kind == "title" and len(prev.text) <= 30 \
                and _RE_ISSUER_END.search(prev.text):
            issuer = prev.text
            prev.kind = "body"
        return issuer, date
    return "", ""


def _question_scope(stack: list[tuple[float, str, str, int | None]]) -> float:
    """The rank at which a question opened under `stack` closes: a heading at its parent's level or above
    (a 节 at least); the numbered lines of its answer, deeper than that, stay under it."""
    parent = stack[-1][0] if stack else None
    if parent is None or parent >= _LEAF:
        return RANK["section"]
    return max(parent, RANK["section"])


def _pop(stack: list[tuple[float, str, str, int | None]], rank: float, kind: str) -> None:
    """Close the open headings a new heading of `rank` ends. A question stays open over its answer's
    numbered lines; an unnumbered heading line, a box, an annex or a named section ends it."""
    while stack:
        r, _, k, _ = stack[-1]
        if k == "question":
            if kind in ("title", "named", "annex", "box") or rank <= r:
                stack.pop()
                continue
            break
        if r >= rank:
            stack.pop()
            continue
        break


def _clauses(units: list[_Unit], root: tuple[str, ...]) -> list[_Out]:
    """Walk the units with a heading stack; every paragraph gets root + the open headings."""
    ranks = [u.hm.rank for u in units if u.kind in ("heading", "item") and u.hm
             and u.hm.kind not in ("box", "annex", "named", "question")]
    has_chapters = any(r <= RANK["chapter"] for r in ranks)
    top_rank = min(ranks) if ranks else RANK["chapter"]
    stack: list[tuple[float, str, str, int | None]] = []  # (rank, display, kind, number)
    box: dict | None = None
    out: list[_Out] = []
    for u in units:
        if u.kind in ("heading", "item", "named", "title"):
            rank = _rank(u, has_chapters, top_rank)
            kind = u.hm.kind if u.hm else u.kind
            num = u.hm.number if u.hm else None
            if box is not None:
                leave = rank <= RANK["section"] or kind in ("box", "annex", "named") or (u.kind == "title"
                                                                                        and rank < _LEAF)
                if not leave and num is not None:
                    seen = box["seen"].get(kind)
                    outer = next((e[3] for e in reversed(box["saved"]) if e[2] == kind), None)
                    if not (seen is not None and num == seen + 1) and outer is not None and num == outer + 1:
                        leave = True
                if leave:
                    stack = box["saved"]
                    box = None
                elif num is not None:
                    box["seen"][kind] = num
            if kind == "box":
                saved = list(stack)
                while stack and (stack[-1][0] > RANK["section"] and stack[-1][0] != 1.5
                                 or stack[-1][2] == "question"):
                    stack.pop()
                stack.append((RANK["box"], u.display, kind, num))
                box = {"saved": saved, "seen": {}}
            elif kind == "question":
                # the next question ends the previous answer and whatever its lines opened
                asked = next((k for k, e in enumerate(stack) if e[2] == "question"), None)
                if asked is not None:
                    del stack[asked:]
                stack.append((_question_scope(stack), u.display, kind, num))
            else:
                _pop(stack, rank, kind)
                stack.append((rank, u.display, kind, num))
            clause = root + tuple(e[1] for e in stack)
            out.append(_Out(u.text, clause, u.kind != "item", u.line_start, u.line_end))
        else:
            out.append(_Out(u.text, root + tuple(e[1] for e in stack), False, u.line_start, u.line_end))
    return out


# ---- newspaper pages -------------------------------------------------------------------------------------

def _is_newspaper(units: list[_Unit], raw: list[str]) -> bool:
    if any(u.kind == "byline" for u in units):
        return True
    if any(u.kind == "named" and u.hm and u.hm.label in ("编者按", "编后", "编者的话") for u in units):
        return True
    return any(is_news_lead(ln) or jump_marker(ln) or is_masthead(ln) for ln in raw if ln.strip())


def _gap_signal(raw: list[str], a: int, b: int) -> bool:
    """Page furniture or a jump line among source lines a..b (inclusive)."""
    return any(is_page_seam(raw[i]) for i in range(max(0, a), min(len(raw), b + 1)))


@dataclass
class _Run:
    """A run of title / byline / caption lines between two article bodies, and where its title goes."""

    prev: int | None  # the article before the run
    next: int | None  # the article after it
    units: list[_Unit]
    titles: list[_Unit]
    title: str
    sp: float  # similarity of the title to the article before
    sn: float  # … and to the article after
    dir: str | None = None  # "back": the title of the article before; "fwd": of the article after
    conf: bool = False  # the direction is clear without the page's habit


def _articles(units: list[_Unit], raw: list[str]) -> tuple[list[_Article], list[_Unit]] | None:
    """Split a newspaper page into articles. Returns (articles, unplaced captions) or None for one article."""
    bodies, runs = _split_bodies(_pieces(units), raw)
    arts = [_Article(body=s) for s in bodies]
    runs = _runs(bodies, runs)
    _place_titles(arts, runs)
    captions = _place_bylines(arts, runs)
    kept = _drop_fragments(arts, captions)
    if len(kept) <= 1:
        return None
    for a in kept:
        if not a.title:
            first = next((u.text for u in a.body if u.kind == "body"), a.body[0].text)
            a.title = f"（原文未见标题）{first[:18]}…"
    return kept, _place_captions(kept, captions)


def _pieces(units: list[_Unit]) -> list[tuple[str, list[_Unit]]]:
    """Alternating ("body", units) and ("run", units): runs of title / byline / caption / named lines."""
    pieces: list[tuple[str, list[_Unit]]] = []
    for u in units:
        kind = "run" if u.kind in ("title", "byline", "caption", "named") else "body"
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1].append(u)
        else:
            pieces.append((kind, [u]))
    return pieces


def _is_boundary(pieces: list[tuple[str, list[_Unit]]], k: int, raw: list[str]) -> bool:
    """Does run k separate two articles (rather than being sub-headings inside one)?"""
    us = pieces[k][1]
    prev_body = pieces[k - 1][1] if k > 0 else None
    next_body = pieces[k + 1][1] if k + 1 < len(pieces) else None
    lo = prev_body[-1].line_end if prev_body else -1
    hi = next_body[0].line_start if next_body else len(raw)
    titles = [u for u in us if u.kind == "title"]
    return (prev_body is None or next_body is None
            or any(u.kind in ("byline", "caption", "named") for u in us)
            or _gap_signal(raw, lo, hi - 1)
            or bool(next_body and is_news_lead(next_body[0].text))
            or sum(len(u.blocks) for u in titles) >= 3)


def _split_bodies(pieces: list[tuple[str, list[_Unit]]], raw: list[str]
                  ) -> tuple[list[list[_Unit]], list[tuple[int, list[_Unit]]]]:
    """Article bodies (with their inner sub-headings), and the boundary runs as (index of the body before
    the run, run units)."""
    bodies: list[list[_Unit]] = []
    runs: list[tuple[int, list[_Unit]]] = []
    cur: list[_Unit] = []
    for k, (kind, us) in enumerate(pieces):
        if kind == "run" and _is_boundary(pieces, k, raw):
            if cur:
                bodies.append(cur)
                cur = []
            runs.append((len(bodies) - 1, us))
        else:
            cur.extend(us)
    if cur:
        bodies.append(cur)
    return bodies, runs


def _runs(bodies: list[list[_Unit]], runs: list[tuple[int, list[_Unit]]]) -> list[_Run]:
    """Each boundary run with its candidate title, how well it fits the article before and after, and the
    direction where that is clear."""
    texts = ["".join(u.text for u in s if u.kind not in ("title",)) for s in bodies]
    out = []
    for before, us in runs:
        after = before + 1 if before + 1 < len(bodies) else None
        prev = before if before >= 0 else None
        title_units = [u for u in us if u.kind in ("title", "named")]
        title = " ".join(u.text for u in title_units)
        sp = _similarity(title, texts[prev]) if prev is not None and title else 0.0
        sn = _similarity(title, texts[after]) if after is not None and title else 0.0
        r = _Run(prev, after, us, title_units, title, sp, sn)
        if r.titles:
            if r.next is None:
                r.dir, r.conf = "back", True
            elif r.prev is None:
                r.dir, r.conf = "fwd", True
            elif abs(r.sp - r.sn) >= 0.15:
                r.dir, r.conf = ("back" if r.sp > r.sn else "fwd"), True
        out.append(r)
    return out


def _place_titles(arts: list[_Article], runs: list[_Run]) -> None:
    """Give each article at most one title: clear runs first, then the rest in the page's usual direction
    (titles above or below their text); a title with no free article stays as a sub-heading."""
    votes = Counter(r.dir for r in runs if r.conf and r.prev is not None and r.next is not None)
    default = "back" if votes.get("back", 0) > votes.get("fwd", 0) else "fwd"
    taken: set[int] = set()
    for conf_pass in (True, False):
        for r in runs:
            if not r.titles or r.conf != conf_pass:
                continue
            order = [r.dir or default]
            order.append("fwd" if order[0] == "back" else "back")
            for direction in order:
                idx = r.prev if direction == "back" else r.next
                if idx is not None and idx not in taken:
                    taken.add(idx)
                    arts[idx].title = r.title
                    arts[idx].title_units = r.titles
                    r.dir = direction
                    break
            else:
                r.dir = None
                # no article free: keep the lines as sub-headings of the nearer article
                idx = r.prev if r.prev is not None else r.next
                if idx is not None:
                    arts[idx].body.extend(r.titles)


def _place_bylines(arts: list[_Article], runs: list[_Run]) -> list[_Unit]:
    """Attach each byline to the article its title went to (or the one it leads); return the captions."""
    captions: list[_Unit] = []
    for r in runs:
        for u in r.units:
            if u.kind == "byline":
                fwd = r.next is not None and (r.prev is None or r.dir == "fwd" or not r.titles
                                              or is_news_lead(arts[r.next].body[0].text))
                idx = r.next if fwd else r.prev
                if idx is not None:
                    arts[idx].bylines.append(u)
            elif u.kind == "caption":
                captions.append(u)
    return captions


def _drop_fragments(arts: list[_Article], captions: list[_Unit]) -> list[_Article]:
    """Tiny untitled pieces (a lone photo caption without a credit) are captions too."""
    kept = []
    for a in arts:
        if not a.title and len(a.body) <= 2 and sum(len(u.text) for u in a.body) < 60 \
                and not any(u.kind in ("heading", "item") for u in a.body):
            captions.extend(u for u in a.body)
            continue
        kept.append(a)
    return kept


def _place_captions(arts: list[_Article], captions: list[_Unit]) -> list[_Unit]:
    """Each caption goes to the article whose text it resembles; returns those that fit none."""
    unplaced = []
    for c in sorted(captions, key=lambda u: u.line_start):
        scores = [_similarity(c.text, "".join(u.text for u in a.body)) for a in arts]
        best = max(range(len(arts)), key=lambda i: scores[i])
        if scores[best] >= 0.3:
            arts[best].captions.append(c)
        else:
            unplaced.append(c)
    return unplaced


def _article_outs(arts: list[_Article], unplaced: list[_Unit]) -> tuple[list[_Out], str]:
    """Paragraphs of a page of several articles, each clause path rooted at its article's title; and the
    page title ("<first title>等N篇")."""
    outs: list[_Out] = []
    for a in arts:
        root = (a.title,)
        if a.title_units:
            outs.append(_Out(a.title, root, True, min(u.line_start for u in a.title_units),
                             max(u.line_end for u in a.title_units)))
        else:
            first = a.body[0]
            outs.append(_Out(a.title, root, True, first.line_start, first.line_start))
        for u in a.bylines:
            outs.append(_Out(u.text, root, False, u.line_start, u.line_end))
        outs.extend(_clauses(a.body, root))
        for u in a.captions:
            outs.append(_Out(u.text, root + ("图片说明",), False, u.line_start, u.line_end))
    for u in unplaced:
        outs.append(_Out(u.text, ("图片说明",), False, u.line_start, u.line_end))
    real = [a.title for a in arts if a.title_units]
    title = real[0] if real else arts[0].title
    if len(arts) > 1:
        title = f"{title}等{len(arts)}篇"
    return outs, title


def _document_outs(units: list[_Unit]) -> tuple[list[_Out], str, str]:
    """Paragraphs of a single document: its leading title block, then the heading tree. Returns (outs,
    title, status)."""
    # leading title lines (document title, status line, subtitle)
    k = 0
    while k < len(units) and units[k].kind in ("title", "status") \
            and normalize(units[k].text) not in GENERIC_SECTIONS:
        k += 1
    leading, rest = units[:k], units[k:]
    if len(leading) > 4:  # not a title block: treat as ordinary headings
        leading, rest = [], units
    chosen = _pick_title(leading)
    outs: list[_Out] = []
    status = ""
    for u in leading:
        if u.kind == "status":
            status = detect_status(u.text)
        outs.append(_Out(u.text, (), True, u.line_start, u.line_end))
    outs.extend(_clauses(rest, ()))
    return outs, chosen.text if chosen else "", status


# ---- metadata --------------------------------------------------------------------------------------------

def _pick_title(leading: list[_Unit]) -> _Unit | None:
    # the red header (…人民政府文件) names the issuer, not the document
    cands = [u for u in leading if u.kind == "title" and not _RE_DOCNO.search(u.text)
             and not (len(u.text) <= 30 and u.text.endswith("文件"))]
    for u in cands:
        if any(w in u.text for w in _TITLE_WORDS):
            return u
    return cands[0] if cands else None


def paragraph_id(doc: str, index: int, text: str) -> str:
    return hashlib.sha1(f"{doc}\x1f{index}\x1f{text}".encode("utf-8")).hexdigest()[:12]


def _paragraphs(loaded: LoadedFile, outs: list[_Out]) -> tuple[list[Paragraph], str]:
    """Numbered paragraphs with stable ids and their spans in the document text ('\\n'-joined)."""
    name = loaded.name
    paragraphs: list[Paragraph] = []
    parts: list[str] = []
    pos = 0
    for o in outs:
        text = o.text.strip()
        if not text:
            continue
        index = len(paragraphs)
        start = pos
        end = start + len(text)
        paragraphs.append(Paragraph(id=paragraph_id(name, index, text), doc=name, index=index, clause=o.clause,
                                    text=text, start=start, end=end, line_start=o.line_start,
                                    line_end=o.line_end, heading=o.heading, page=loaded.page_of(o.line_start)))
        parts.append(text)
        pos = end + 1
    return paragraphs, "\n".join(parts)


def build_document(loaded: LoadedFile, blocks: list[Block], meta: dict | None = None) -> Document:
    """Build the paragraph tree of a cleaned file: clause paths, articles of newspaper pages, title, ids."""
    meta = {k: str(v).strip() for k, v in (meta or {}).items() if v is not None and str(v).strip()}
    raw = [ln.rstrip("\r") for ln in loaded.text.split("\n")]
    units = _group_titles([_classify(b) for b in blocks if b.text.strip()])
    newspaper = _is_newspaper(units, raw)
    if newspaper:
        units = _subtitles(units)
    issuer, date = _signature(units)
    _demote_empty_headings(units)
    status = ""
    split = _articles(units, raw) if newspaper else None
    if split is not None:
        outs, title = _article_outs(*split)
        # a page under a paper's name (白石晚报) is cited by that name, its reports by their headlines
        title = next((paper_name(ln) for ln in [ln for ln in raw if ln.strip()][:2] if paper_name(ln)), title)
    else:
        if issuer:
            meta.setdefault("issuer", issuer)
        if date:
            meta.setdefault("date", date)
        outs, title, status = _document_outs(units)
    declared = declared_title(loaded.title)
    if declared and not (title and (normalize(title) in normalize(declared)
                                    or normalize(declared) in normalize(title))):
        title = declared if split is None or not title else title
    title = meta.get("title") or title or Path(loaded.name).stem
    page = page_meta(raw)
    status = meta.get("status") or status or detect_status(title)
    own = read_metadata(title, raw)
    for key, value in (("issuer", own.issuer), *loaded.meta.items()):  # the text first, then the format
        if value:
            meta.setdefault(key, value)
    paragraphs, text = _paragraphs(loaded, outs)
    if paragraphs and all(p.heading for p in paragraphs):
        # a short text read as a title alone ("…招生计划3000人"): a short document is still a document
        paragraphs = [replace(p, heading=False) for p in paragraphs]
    return Document(name=loaded.name, title=title,
                    hash=loaded.raw_hash or hashlib.sha256(loaded.text.encode("utf-8")).hexdigest(),
                    kind=loaded.kind, text=text, paragraphs=paragraphs, issuer=meta.get("issuer") or "",
                    date=meta.get("date") or page.get("date", ""), status=status,
                    source=meta.get("source") or page.get("source", ""),
                    articles=len(split[0]) if split is not None and len(split[0]) > 1 else 0,
                    pages=len(loaded.page_starts), ocr_pages=loaded.ocr_pages, tables=loaded.tables,
                    number=meta.get("number") or own.number, doctype=meta.get("doctype") or own.doctype,
                    period=meta.get("period") or own.period)
