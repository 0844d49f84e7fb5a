"""Cleaned blocks → a Document: headings, clause paths, articles of a newspaper page, stable paragraph ids.

The first half of this module is pure pattern knowledge about Chinese official documents and newspaper pages
(heading numbering systems, bylines, captions, page furniture). `policyqa.clean` imports it to decide where
lines join; `build_document` uses it to build the heading tree. Nothing here is specific to one document.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from policyqa.schema import Block, Document, LoadedFile, Paragraph

# ----------------------------------------------------------------------------------------------------------
# Characters
# ----------------------------------------------------------------------------------------------------------

CN_DIGITS = "零〇一二三四五六七八九十百千两"
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: punctuation after which a sentence (and possibly a paragraph) is complete
FINAL_PUNCT = "。！？!?；;：:…"
#: closing marks that may follow the final punctuation ("。”", "。）")
CLOSING = "”’」』）)】》〉"
#: a line ending in one of these is certainly continued on the next line
OPEN_END = "，,、（(“‘《〈【「『—-/·"
#: a line starting with one of these continues the previous line
CLOSING_START = "，,、。．；;：:！!？?）)”’」』】》〉…"
#: punctuation inside a line that marks running text rather than a title
INNER_PUNCT = "，。；！？;!?"


def cn_to_int(s: str) -> int | None:
    """'十九' → 19, '二十三' → 23, '7' → 7."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, num = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            num = _CN_VAL[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        elif ch == "千":
            total += (num or 1) * 1000
            num = 0
        else:
            return None
    return total + num


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF
            or 0xF900 <= o <= 0xFAFF)


def is_cjk_punct(ch: str) -> bool:
    o = ord(ch)
    return (0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or 0x2030 <= o <= 0x205E
            or ch in "·《》〈〉【】「」『』" or 0x2460 <= o <= 0x24FF or 0x25A0 <= o <= 0x25FF)


def is_cjkish(ch: str) -> bool:
    return is_cjk(ch) or is_cjk_punct(ch)


def display_width(s: str) -> int:
    """Layout width in half-width units: CJK characters and Chinese punctuation count 2."""
    w = 0
    for ch in s:
        if unicodedata.east_asian_width(ch) in "WF" or ch in "“”‘’—…·":
            w += 2
        else:
            w += 1
    return w


def nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def strip_closing(s: str) -> str:
    return s.rstrip().rstrip(CLOSING).rstrip()


def ends_final(s: str) -> bool:
    """The text ends a sentence (。！？；：… possibly followed by a closing quote or bracket, or by a
    bracketed note after the full stop: "……体系。（牵头单位：省水利厅）")."""
    t = strip_closing(s)
    if t and t[-1] in FINAL_PUNCT:
        return True
    s = s.rstrip()
    if s.endswith(("）", ")")):
        depth = 0
        for k in range(len(s) - 1, max(-1, len(s) - 200), -1):
            if s[k] in "）)":
                depth += 1
            elif s[k] in "（(":
                depth -= 1
                if depth == 0:
                    return k > 0 and s[k - 1] in FINAL_PUNCT
    return False


def ends_open(s: str) -> bool:
    t = s.rstrip()
    return bool(t) and t[-1] in OPEN_END


def starts_closing(s: str) -> bool:
    t = s.lstrip()
    return bool(t) and t[0] in CLOSING_START


def has_inner_punct(s: str) -> bool:
    return any(ch in INNER_PUNCT for ch in s)


_PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"), ("「", "」"))


def unbalanced_open(s: str) -> bool:
    """An opening quote or bracket is still open at the end of `s`."""
    return any(s.count(a) > s.count(b) for a, b in _PAIRS)


def letter_spaced(s: str) -> bool:
    """'担 当 源 自 责 任' — single CJK characters separated by spaces (justified or decorative text)."""
    return len(re.findall(r"(?<![^\s])[\u4e00-\u9fff](?= )", s.strip() + " ")) >= 4 and \
        len(re.findall(r"[\u4e00-\u9fff]{3,}", s)) <= 1


# ----------------------------------------------------------------------------------------------------------
# Headings
# ----------------------------------------------------------------------------------------------------------

#: outer → inner; unnumbered headings get ranks relative to these in build_document
RANK = {"annex": 0, "part": 1, "chapter": 2, "section": 3, "article": 4, "box": 4.5, "cn": 5, "paren_cn": 6,
        "arabic": 7, "paren_arabic": 8, "circled": 9}

_N = f"[0-9{CN_DIGITS}]+"
_RE_CHAPTER = re.compile(rf"^第\s*({_N})\s*(部分|篇|编|章|节|条)(?![0-9{CN_DIGITS}])")
_RE_BOX = re.compile(rf"^专栏\s*({_N})(?![0-9])")
_RE_ANNEX = re.compile(rf"^附\s*件\s*({_N})?\s*[:：]?")
_RE_CN = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.](?![0-9])")
_RE_PAREN_CN = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]")
_RE_ARABIC = re.compile(r"^([0-9]{1,2})\s*[.．、](?![0-9])")
_RE_PAREN_ARABIC = re.compile(r"^[（(]\s*([0-9]{1,2})\s*[）)]")
_RE_CIRCLED = re.compile(r"^([①-⑳])")
#: section names that stand alone as headings without a number
NAMED_SECTIONS = ("前言", "序言", "引言", "导言", "总则", "附则", "结束语", "结语", "后记", "编者按", "编后",
                  "编者的话", "说明")
#: generic policy-document section names that sometimes lose their line break ("保障措施加强组织领导。…")
GENERIC_SECTIONS = ("保障措施", "组织实施", "组织保障", "实施保障", "工作要求", "工作措施", "主要任务", "重点任务",
                    "主要目标", "发展目标", "总体要求", "基本原则", "工作目标", "实施步骤", "指导思想")
_PART_KIND = {"部分": "part", "篇": "part", "编": "part", "章": "chapter", "节": "section", "条": "article"}


@dataclass(frozen=True)
class HeadingMatch:
    kind: str  # annex | part | chapter | section | article | box | cn | paren_cn | arabic | paren_arabic | circled | named
    number: int | None
    label: str  # "第三章", "（一）", "专栏1", "附件"
    title: str  # the heading's words after the label
    inline: bool  # the text carries its own body after a short heading sentence
    display: str  # the form used in clause paths

    @property
    def rank(self) -> float:
        return RANK.get(self.kind, 2)


def _shorten(label: str, rest: str, limit: int = 40) -> str:
    """Label plus the first phrase of an inline item, up to the first 。/：/；, at most `limit` characters."""
    m = re.search(r"[。！？!?；;：:]", rest)
    head = rest[:m.start()] if m else rest
    s = label + head
    if len(s) > limit:
        cut = re.search(r"[，,]", head)
        s = label + head[:cut.start()] if cut and len(label) + cut.start() <= limit else s[:limit] + "…"
    return s


def heading_level(text: str) -> HeadingMatch | None:
    """Recognise a numbered or named heading at the start of a cleaned line (None for running text)."""
    t = text.strip()
    if not t:
        return None
    bare = nospace(t)
    for name in NAMED_SECTIONS:
        if bare.rstrip("：:") == name:
            return HeadingMatch("named", None, name, "", False, name)
    m = _RE_CHAPTER.match(t)
    if m:
        kind = _PART_KIND[m.group(2)]
        label = f"第{m.group(1)}{m.group(2)}"
        rest = t[m.end():].strip().lstrip("：:").strip()
        inline = _is_inline(rest, long_limit=40)
        if kind == "article" and rest and (ends_final(rest) or has_inner_punct(rest)):
            inline = True  # "第二条 本办法适用于……。" is the article's text
        if kind != "article" and len(rest) > 60 and not inline:
            return None  # "第三章规定的……" running text
        if inline and kind != "article":
            return None  # a chapter/section heading never carries a body; this is running text
        shown = label if inline else (f"{label} {_strip_end(rest)}" if rest else label)
        return HeadingMatch(kind, cn_to_int(m.group(1)), label, _strip_end(rest), inline, shown)
    m = _RE_BOX.match(t)
    if m:
        rest = t[m.end():].strip()
        if len(rest) <= 40 and not ends_final(rest):
            label = f"专栏{m.group(1)}"
            return HeadingMatch("box", cn_to_int(m.group(1)), label, rest, False,
                                f"{label} {rest}" if rest else label)
        return None
    m = _RE_ANNEX.match(t)
    if m and len(t) <= 40 and not ends_final(t):
        num = m.group(1) or ""
        rest = t[m.end():].strip()
        label = f"附件{num}"
        return HeadingMatch("annex", cn_to_int(num) if num else None, label, rest, False,
                            f"{label} {rest}" if rest else label)
    for kind, rx in (("paren_cn", _RE_PAREN_CN), ("paren_arabic", _RE_PAREN_ARABIC), ("cn", _RE_CN),
                     ("arabic", _RE_ARABIC), ("circled", _RE_CIRCLED)):
        m = rx.match(t)
        if not m:
            continue
        raw_label = t[:m.end()]
        num = cn_to_int(m.group(1)) if kind != "circled" else ord(m.group(1)) - ord("①") + 1
        label = _norm_label(kind, num, raw_label)
        rest = t[m.end():].strip()
        if not rest:
            return None
        inline = _is_inline(rest)
        shown = _shorten(label, rest) if inline else label + _strip_end(rest)
        return HeadingMatch(kind, num, label, _strip_end(rest), inline, shown)
    return None


def _norm_label(kind: str, num: int | None, raw: str) -> str:
    raw = nospace(raw)
    if kind == "paren_cn":
        return "（" + raw.strip("（()）") + "）"
    if kind == "paren_arabic":
        return "（" + raw.strip("（()）") + "）"
    if kind == "cn":
        return raw[:-1] + "、" if raw[-1] in ".．" else raw
    return raw


def _strip_end(s: str) -> str:
    return s.rstrip().rstrip("。；;：:，,").rstrip()


def _is_inline(rest: str, long_limit: int = 50) -> bool:
    """Does a numbered line carry body text (rather than being a heading)?"""
    ends = [m.start() for m in re.finditer(r"[。！？!?；;]", rest)]
    if not ends:
        # no sentence end at all: a heading, unless it is long running text
        return len(rest) > long_limit and bool(re.search(r"[，,]", rest))
    if len(ends) == 1 and strip_closing(rest)[-1:] in "。！？!?":
        # one sentence: a heading written with a full stop ("（一）构建……体系。") unless it reads as a sentence
        return bool(re.search(r"[，,]", rest)) or len(rest) > 30
    return True  # several sentences, or a list item ending in "；"


# ----------------------------------------------------------------------------------------------------------
# Newspaper and web page furniture
# ----------------------------------------------------------------------------------------------------------

_RE_BYLINE_HEAD = re.compile(
    r"^[■□●○◆◇▲△▼◎★☆▶►]?\s*[（(]?\s*(本报|本刊|特约|见习)?\s*(记者|通讯员|实习生|作者|撰文|撰稿|采写|整理|文\s*[/／:：]|图\s*[/／:：])")
_RE_BYLINE_TAIL = re.compile(r"(调研组|课题组|调研小组|课题小组|调研团队|课题团队|编辑部|评论员)\s*$")
_RE_CAPTION = re.compile(
    r"((记者|通讯员|摄影|图/|图／|图：)\s*\S{0,12}\s*[/／]?\s*(摄|摄影|供图)|\S{1,8}\s*[/／]\s*摄|[（(]\s*\S{2,12}\s*(摄|供图)\s*[)）])\s*$")
_RE_JUMP = re.compile(r"[▶▲►▼△▷◀◁■→（(]*\s*(下转|上接|转第|接第|转\s*\d|接\s*\d)\s*(第?\s*[0-9A-Za-z一二三四五六七八九十]+\s*版)\s*[)）]?\s*$")
_RE_NEWS_LEAD = re.compile(r"^(本报讯|本报[^，,。]{0,12}电|新华社[^，,。]{0,12}电|[（(]?记者\S{0,8}[)）]?\s*报道)")
_RE_FURNITURE = re.compile(
    r"^(今日天气|天气预报|本版编辑|本版责编|责任编辑|责编|编辑[:：]|校对[:：]|美编|版式设计|值班编辑|值班主任|"
    r"\d{4}年\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天])")
_RE_PAGE_NO = re.compile(r"^[-—–－·•\s]*(第\s*)?\d{1,3}\s*(页|/\s*\d{1,3})?[-—–－·•\s]*$|^第\s*\d+\s*页\s*(共\s*\d+\s*页)?$")
_RE_TOC = re.compile(r"(\.{3,}|…{2,}|·{3,}|．{3,}|。{3,}|-{4,}|_{4,})\s*\d{1,3}\s*$|\t\s*\d{1,3}\s*$")
_RE_NAV = re.compile(r"^(当前位置|您的位置|你的位置|所在位置)\s*[:：]")
_RE_META_KEY = re.compile(r"(来源|日期|发布时间|发布日期|发文日期|时间|作者|浏览次数|浏览|点击数?|阅读|字号|分享到)\s*[:：]")
_RE_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_RE_TAG = re.compile(r"^[\[【][^\]】]{1,10}[\]】]$")


def is_byline(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 40 or ends_final(t) or is_caption(t) or has_inner_punct(t):
        return False
    return bool(_RE_BYLINE_HEAD.match(t) or _RE_BYLINE_TAIL.search(t))


def is_caption(text: str) -> bool:
    """A photo caption: '……项目一期建成试车。本报记者某某摄'."""
    t = text.strip()
    return len(t) <= 150 and bool(_RE_CAPTION.search(t)) and not t.endswith("拍摄")


def jump_marker(text: str) -> re.Match | None:
    """'▶下转03版' / '▲上接01版' at the end of a line."""
    return _RE_JUMP.search(text)


def is_jump_line(text: str) -> bool:
    m = jump_marker(text)
    return bool(m) and not text[:m.start()].strip()


def is_news_lead(text: str) -> bool:
    return bool(_RE_NEWS_LEAD.match(text.strip()))


def is_page_furniture(text: str) -> bool:
    """Running page headers and footers: weather line, editor credits, page numbers."""
    t = text.strip()
    if not t:
        return False
    return bool(_RE_FURNITURE.match(t) or _RE_PAGE_NO.match(t))


def is_masthead(text: str) -> bool:
    """Newspaper page furniture (not a bare page number): a signal that the page holds several items."""
    return bool(_RE_FURNITURE.match(text.strip()))


def is_toc_line(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 80 and bool(_RE_TOC.search(t))


def is_nav_line(text: str) -> bool:
    """Breadcrumbs and menus of a web page: '当前位置:主页 > 新闻中心 > 产业规划 >'."""
    t = text.strip()
    if not t or len(t) > 80 or ends_final(t):
        return False
    if _RE_NAV.search(t):
        return True
    pieces = [p.strip() for p in re.split(r"[>＞»›]", t)]
    return len(pieces) >= 3 and all(len(p) <= 12 for p in pieces)


def meta_fields(text: str) -> dict | None:
    """A web page's '来源:… 日期:2023-03-24 点击:' line → {'source': …, 'date': …}; None for other lines."""
    t = text.strip()
    keys = list(_RE_META_KEY.finditer(t))
    if not keys or len(t) > 120:
        return None
    if len(keys) < 2 and not (keys[0].start() == 0 and len(t) <= 60):
        return None
    if has_inner_punct(t.replace("，", "")) and len(keys) < 2:
        return None
    out: dict = {}
    d = _RE_DATE.search(t)
    if d:
        out["date"] = f"{int(d.group(1)):04d}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    m = re.search(r"来源\s*[:：]\s*(.+?)(?=\s+\S+\s*[:：]|\s*\d{4}[-年/]|$)", t)
    if m and m.group(1).strip():
        out["source"] = m.group(1).strip()
    return out


def is_tag_line(text: str) -> bool:
    return bool(_RE_TAG.match(text.strip()))


def is_title_like(text: str, limit: int = 60) -> bool:
    """Short text that does not read as a sentence: no final punctuation, no clause punctuation inside."""
    t = text.strip()
    return bool(t) and len(t) <= limit and not ends_final(t) and not has_inner_punct(t) and not ends_open(t)


_STATUS = ("征求意见稿", "送审稿", "讨论稿", "修订稿", "草案", "试行", "暂行", "代拟稿", "初稿")
_RE_STATUS_LINE = re.compile(r"^[（(]?\s*(" + "|".join(_STATUS) + r")\s*[)）]?$")


def detect_status(title: str) -> str:
    for s in _STATUS:
        if s in title:
            return s
    return ""


# ----------------------------------------------------------------------------------------------------------
# Building the document
# ----------------------------------------------------------------------------------------------------------

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
    if _RE_STATUS_LINE.match(nospace(text)):
        return _Unit(text, [block], "status")
    if _RE_DATE_LINE.match(nospace(text)):
        return _Unit(text, [block], "body")
    if block.heading and not ends_final(text):
        return _Unit(text, [block], "title", None, text)
    return _Unit(text, [block], "body")


def _adjacent(a: _Unit, b: _Unit) -> bool:
    return b.line_start <= a.line_end + 1


def _group_titles(units: list[_Unit]) -> list[_Unit]:
    """Merge title lines set directly under each other (a headline broken over lines) into one unit;
    merge a bare '附件' heading with the title line that follows it."""
    out: list[_Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if prev and prev.kind == "title" and u.kind == "title" and _adjacent(prev, u) \
                and len(prev.text) + len(u.text) <= 80:
            prev.text += u.text
            prev.display = prev.text
            prev.blocks.append(u.blocks[0])
            continue
        if prev and prev.kind == "heading" and prev.hm and prev.hm.kind == "annex" and not prev.hm.title \
                and u.kind == "title":
            shown = f"{prev.hm.label} {u.text}"
            prev.text = prev.display = shown
            prev.blocks.extend(u.blocks)
            continue
        out.append(u)
    return out


def _bigrams(s: str) -> set[str]:
    t = "".join(ch for ch in s if is_cjk(ch) or ch.isalnum())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _similarity(title: str, text: str) -> float:
    tb = _bigrams(title)
    if not tb:
        return 0.0
    return len(tb & _bigrams(text)) / len(tb)


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
    for i, u in enumerate(units):
        if u.kind not in ("heading", "item") or not u.hm:
            continue
        kind, num = u.hm.kind, u.hm.number
        if u.kind == "heading" and kind in listy:
            v = units[i + 1] if i + 1 < len(units) else None
            no_body = v is None or v.kind == "named" or (v.kind in ("heading", "item") and v.hm is not None
                                                         and v.hm.rank <= u.hm.rank)
            # the next item of a list whose previous item carried text is an item too, when it reads as
            # a sentence and has no sub-items of its own
            deeper = v is not None and v.kind in ("heading", "item") and v.hm is not None and v.hm.rank > u.hm.rank
            follows_item = num is not None and last_item.get(kind) == num - 1 and ends_final(u.text) \
                and not deeper
            if no_body or follows_item:
                u.kind = "item"
                u.display = _shorten(u.hm.label, u.hm.title)
        # a heading of a higher level closes the lists below it
        for k in list(last_item):
            if RANK.get(k, 0) > u.hm.rank:
                del last_item[k]
        last_item[kind] = num if u.kind == "item" else None


def _signature(units: list[_Unit]) -> tuple[str, str]:
    """'……人民政府 / 2023年5月10日' closing a notice: both become body lines. Returns (issuer, date)."""
    for k in range(len(units) - 1, max(-1, len(units) - 4), -1):
        u = units[k]
        m = re.fullmatch(r"[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日[)）]?", nospace(u.text))
        if not m:
            continue
        date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        issuer = ""
        prev = units[k - 1] if k > 0 else None
        if prev is not None and prev.kind == "title" and len(prev.text) <= 30 \
                and _RE_ISSUER_END.search(prev.text):
            issuer = prev.text
            prev.kind = "body"
        return issuer, date
    return "", ""


def _clauses(units: list[_Unit], root: tuple[str, ...]) -> list[_Out]:
    """Walk the units with a heading stack; every paragraph gets root + the open headings."""
    ranks = [u.hm.rank for u in units if u.kind in ("heading", "item") and u.hm
             and u.hm.kind not in ("box", "annex", "named")]
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
                while stack and stack[-1][0] > RANK["section"] and stack[-1][0] != 1.5:
                    stack.pop()
                stack.append((RANK["box"], u.display, kind, num))
                box = {"saved": saved, "seen": {}}
            else:
                while stack and stack[-1][0] >= rank:
                    stack.pop()
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
    for i in range(max(0, a), min(len(raw), b + 1)):
        t = raw[i].strip()
        if t and (is_masthead(t) or is_page_furniture(t) or jump_marker(t) or is_tag_line(nospace(t))):
            return True
    return False


def _articles(units: list[_Unit], raw: list[str]) -> tuple[list[_Article], list[_Unit]] | None:
    """Split a newspaper page into articles. Returns (articles, unplaced captions) or None for one article."""
    nonbody = ("title", "byline", "caption", "named")
    # runs of non-body units between bodies
    pieces: list[tuple[str, list[_Unit]]] = []
    for u in units:
        kind = "run" if u.kind in nonbody else "body"
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1].append(u)
        else:
            pieces.append((kind, [u]))
    # decide which runs separate articles
    boundary = []
    for k, (kind, us) in enumerate(pieces):
        if kind != "run":
            boundary.append(False)
            continue
        prev_body = pieces[k - 1][1] if k > 0 else None
        next_body = pieces[k + 1][1] if k + 1 < len(pieces) else None
        lo = prev_body[-1].line_end if prev_body else -1
        hi = next_body[0].line_start if next_body else len(raw)
        titles = [u for u in us if u.kind == "title"]
        b = (prev_body is None or next_body is None
             or any(u.kind in ("byline", "caption", "named") for u in us)
             or _gap_signal(raw, lo, hi - 1)
             or bool(next_body and is_news_lead(next_body[0].text))
             or sum(len(u.blocks) for u in titles) >= 3)
        boundary.append(b)
    # articles: bodies (with their inner sub-headings) between boundary runs
    segs: list[list[_Unit]] = []
    seg_runs: list[tuple[int, list[_Unit]]] = []  # (index of the segment before the run, run units)
    cur: list[_Unit] = []
    for (kind, us), b in zip(pieces, boundary):
        if kind == "run" and b:
            if cur:
                segs.append(cur)
                cur = []
            seg_runs.append((len(segs) - 1, us))
        else:
            cur.extend(us)
    if cur:
        segs.append(cur)
    arts = [_Article(body=s) for s in segs]
    texts = ["".join(u.text for u in s if u.kind not in ("title",)) for s in segs]
    captions: list[_Unit] = []
    # candidate titles per run, and where they fit best
    decisions = []
    for before, us in seg_runs:
        after = before + 1 if before + 1 < len(segs) else None
        prev = before if before >= 0 else None
        title_units = [u for u in us if u.kind in ("title", "named")]
        title = " ".join(u.text for u in title_units)
        sp = _similarity(title, texts[prev]) if prev is not None and title else 0.0
        sn = _similarity(title, texts[after]) if after is not None and title else 0.0
        decisions.append({"prev": prev, "next": after, "units": us, "titles": title_units, "title": title,
                          "sp": sp, "sn": sn, "dir": None, "conf": False})
    for d in decisions:
        if not d["titles"]:
            continue
        if d["next"] is None:
            d["dir"], d["conf"] = "back", True
        elif d["prev"] is None:
            d["dir"], d["conf"] = "fwd", True
        elif abs(d["sp"] - d["sn"]) >= 0.15:
            d["dir"], d["conf"] = ("back" if d["sp"] > d["sn"] else "fwd"), True
    votes = Counter(d["dir"] for d in decisions if d["conf"] and d["prev"] is not None
                    and d["next"] is not None)
    default = "back" if votes.get("back", 0) > votes.get("fwd", 0) else "fwd"
    taken: set[int] = set()
    for conf_pass in (True, False):
        for d in decisions:
            if not d["titles"] or d["conf"] != conf_pass:
                continue
            order = [d["dir"] or default]
            order.append("fwd" if order[0] == "back" else "back")
            for direction in order:
                idx = d["prev"] if direction == "back" else d["next"]
                if idx is not None and idx not in taken:
                    taken.add(idx)
                    arts[idx].title = d["title"]
                    arts[idx].title_units = d["titles"]
                    d["dir"] = direction
                    break
            else:
                d["dir"] = None
                # no article free: keep the lines as sub-headings of the nearer article
                idx = d["prev"] if d["prev"] is not None else d["next"]
                if idx is not None:
                    arts[idx].body.extend(d["titles"])
    for d in decisions:
        for u in d["units"]:
            if u.kind == "byline":
                fwd = d["next"] is not None and (d["prev"] is None or d["dir"] == "fwd" or not d["titles"]
                                                 or is_news_lead(segs[d["next"]][0].text))
                idx = d["next"] if fwd else d["prev"]
                if idx is not None:
                    arts[idx].bylines.append(u)
            elif u.kind == "caption":
                captions.append(u)
    # tiny untitled pieces (a lone photo caption without a credit) are captions too
    kept = []
    for a in arts:
        if not a.title and len(a.body) <= 2 and sum(len(u.text) for u in a.body) < 60 \
                and not any(u.kind in ("heading", "item") for u in a.body):
            captions.extend(u for u in a.body)
            continue
        kept.append(a)
    if len(kept) <= 1:
        return None
    for k, a in enumerate(kept, 1):
        if not a.title:
            first = next((u.text for u in a.body if u.kind == "body"), a.body[0].text)
            a.title = f"（原文未见标题）{first[:18]}…"
    unplaced = []
    for c in sorted(captions, key=lambda u: u.line_start):
        scores = [_similarity(c.text, "".join(u.text for u in a.body)) for a in kept]
        best = max(range(len(kept)), key=lambda i: scores[i])
        if scores[best] >= 0.3:
            kept[best].captions.append(c)
        else:
            unplaced.append(c)
    return kept, unplaced


# ---- metadata --------------------------------------------------------------------------------------------

def _clean_declared_title(t: str | None) -> str:
    if not t:
        return ""
    t = re.split(r"\s*(?:_|\||｜| - | — |-{2,})\s*", t.strip())[0].strip()
    if re.match(r"(?i)^(microsoft word|document|untitled|无标题)", t) or not any(is_cjk(ch) for ch in t):
        return ""
    return t if len(t) >= 4 else ""


def _pick_title(leading: list[_Unit]) -> _Unit | None:
    cands = [u for u in leading if u.kind == "title" and not _RE_DOCNO.search(u.text)]
    for u in cands:
        if any(w in u.text for w in _TITLE_WORDS):
            return u
    return cands[0] if cands else None


def _page_meta(raw: list[str]) -> dict:
    out: dict = {}
    for line in raw[:60] + raw[-20:]:
        m = meta_fields(line)
        if m:
            for k, v in m.items():
                out.setdefault(k, v)
    return out


def paragraph_id(doc: str, index: int, text: str) -> str:
    return hashlib.sha1(f"{doc}\x1f{index}\x1f{text}".encode("utf-8")).hexdigest()[:12]


def build_document(loaded: LoadedFile, blocks: list[Block], meta: dict | None = None) -> Document:
    """Build the paragraph tree of a cleaned file: clause paths, articles of newspaper pages, title, ids."""
    meta = {k: str(v).strip() for k, v in (meta or {}).items() if v is not None and str(v).strip()}
    raw = [ln.rstrip("\r") for ln in loaded.text.split("\n")]
    units = _group_titles([_classify(b) for b in blocks if b.text.strip()])
    issuer, date = _signature(units)
    _demote_empty_headings(units)
    outs: list[_Out] = []
    title = ""
    status = ""
    split = _articles(units, raw) if _is_newspaper(units, raw) else None
    if split is not None:
        arts, unplaced = split
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
    else:
        if issuer:
            meta.setdefault("issuer", issuer)
        if date:
            meta.setdefault("date", date)
        # leading title lines (document title, status line, subtitle)
        k = 0
        while k < len(units) and units[k].kind in ("title", "status") \
                and nospace(units[k].text) not in GENERIC_SECTIONS:
            k += 1
        leading, rest = units[:k], units[k:]
        if len(leading) > 4:  # not a title block: treat as ordinary headings
            leading, rest = [], units
        chosen = _pick_title(leading)
        for u in leading:
            if u.kind == "status":
                status = detect_status(u.text)
            outs.append(_Out(u.text, (), True, u.line_start, u.line_end))
        title = chosen.text if chosen else ""
        outs.extend(_clauses(rest, ()))
    declared = _clean_declared_title(loaded.title)
    if declared and not (title and (nospace(title) in nospace(declared) or nospace(declared) in nospace(title))):
        title = declared if split is None or not title else title
    title = meta.get("title") or title or Path(loaded.name).stem
    page = _page_meta(raw)
    status = meta.get("status") or status or detect_status(title)
    doc = Document(name=loaded.name, title=title,
                   hash=loaded.raw_hash or hashlib.sha256(loaded.text.encode("utf-8")).hexdigest(),
                   kind=loaded.kind, text="", issuer=meta.get("issuer") or "",
                   date=meta.get("date") or page.get("date", ""), status=status,
                   source=meta.get("source") or page.get("source", ""),
                   articles=len(split[0]) if split is not None and len(split[0]) > 1 else 0)
    parts: list[str] = []
    pos = 0
    for i, o in enumerate(outs):
        text = o.text.strip()
        if not text:
            continue
        index = len(doc.paragraphs)
        start = pos
        end = start + len(text)
        doc.paragraphs.append(Paragraph(id=paragraph_id(loaded.name, index, text), doc=loaded.name, index=index,
                                        clause=o.clause, text=text, start=start, end=end,
                                        line_start=o.line_start, line_end=o.line_end, heading=o.heading))
        parts.append(text)
        pos = end + 1
    doc.text = "\n".join(parts)
    return doc
