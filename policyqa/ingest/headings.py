"""Heading predicates: which numbering system a line starts with, its rank, and title / status lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.text import (CN_DIGITS, cn_to_int, ends_final, ends_open, has_inner_punct, is_cjk, normalize,
                           strip_closing)

#: outer → inner; unnumbered headings get ranks relative to these in build_document
RANK = {"annex": 0, "part": 1, "chapter": 2, "section": 3, "article": 4, "box": 4.5, "cn": 5, "paren_cn": 6,
        "arabic": 7, "paren_arabic": 8, "circled": 9, "question": 9.5}
# a question's place in the tree is set by build_document (it nests under the open headings and owns the
# numbered lines of its answer); its static rank only says it is no outline level above a list item

_N = f"[0-9{CN_DIGITS}]+"
_RE_CHAPTER = re.compile(rf"^第\s*({_N})\s*(部分|篇|编|章|节|条)(?![0-9{CN_DIGITS}])")
_RE_BOX = re.compile(rf"^专栏\s*({_N})(?![0-9])")
#: a box without a number: "专栏 重点工程", "专栏：重点工程"
_RE_BOX_BARE = re.compile(r"^[【\[]?专栏[】\]]?\s*[:：]?\s*")
#: a policy Q&A: "问：", "Q1:", "一问：", "问3：", "问三：", "问题3：", "1.问：", "（一）问：", "【问】"
_QA_NUM = r"(?:[0-9]{1,3}\s*[.．、]|[（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*、)?\s*"
_QA_NO = r"(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})"
_RE_QUESTION = re.compile(
    rf"^{_QA_NUM}(?:[【\[](?:问|问题|提问)\s*[0-9]{{0,3}}[】\]]\s*[:：]?"
    rf"|(?:(?:问|提问|[一二三四五六七八九十]{{1,3}}问|[Qq])\s*{_QA_NO}?|问题\s*{_QA_NO})\s*[:：])\s*")
_RE_ANSWER = re.compile(r"^(?:[【\[](?:答|回答|解答)[】\]]\s*[:：]?|(?:答|回答|解答|[Aa])\s*[0-9]{0,3}\s*[:：])\s*")
_RE_ANSWER_INSIDE = re.compile(r"[？?。！!\s](?:[【\[]答[】\]]|(?:答|[Aa])\s*[0-9]{0,3}\s*[:：])")
_RE_ANNEX = re.compile(rf"^附\s*件\s*({_N})?\s*[:：]?")
# 一、2025年工作回顾 is a heading; 一.5 is no heading
_RE_CN = re.compile(r"^([一二三四五六七八九十]{1,3})\s*(?:、|[．.](?![0-9]))")
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


def shorten(label: str, rest: str, limit: int = 40) -> str:
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
    bare = normalize(t)
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
    m = _RE_BOX_BARE.match(t)
    if m:
        rest = t[m.end():].strip()
        # a box title is a short name; "专栏文章指出，……。" is running text
        if len(rest) <= 30 and not ends_final(rest) and not has_inner_punct(rest) and not ends_open(rest):
            return HeadingMatch("box", None, "专栏", rest, False, f"专栏 {rest}" if rest else "专栏")
        return None
    q = question(t)
    if q is not None:
        return q
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
        shown = shorten(label, rest) if inline else label + _strip_end(rest)
        return HeadingMatch(kind, num, label, _strip_end(rest), inline, shown)
    return None


def question(text: str) -> HeadingMatch | None:
    """A question line of a policy Q&A ("问：……？", "1.问：……", "Q2：……"): the heading of the answer after it.
    A line that carries its answer too ("问：……？答：……") is an inline item."""
    t = text.strip()
    m = _RE_QUESTION.match(t)
    if not m or not t[m.end():].strip():
        return None
    label = normalize(t[:m.end()])
    rest = t[m.end():].strip()
    a = _RE_ANSWER_INSIDE.search(rest)
    asked = rest[:a.start() + 1].strip() if a else rest
    shown = label + (asked if len(asked) <= 60 else asked[:60] + "…")  # a clause path element stays short
    return HeadingMatch("question", None, label, _strip_end(asked), a is not None, shown)


def is_answer_start(text: str) -> bool:
    """'答：……' (or 'A：', '【答】'): the answer of a policy Q&A starts a paragraph of its own."""
    return bool(_RE_ANSWER.match(text.strip()))


def _norm_label(kind: str, num: int | None, raw: str) -> str:
    raw = normalize(raw)
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



def is_title_like(text: str, limit: int = 60) -> bool:
    """Short text that does not read as a sentence: no final punctuation, no clause punctuation inside."""
    t = text.strip()
    return bool(t) and len(t) <= limit and not ends_final(t) and not has_inner_punct(t) and not ends_open(t)


_STATUS = ("征求意见稿", "送审稿", "讨论稿", "修订稿", "草案", "试行", "暂行", "代拟稿", "初稿")
_RE_STATUS_LINE = re.compile(r"^[（(]?\s*(" + "|".join(_STATUS) + r")\s*[)）]?$")


def declared_title(t: str | None) -> str:
    """A title the format declares (HTML <title>, PDF / docx properties) without the site suffix; '' for file
    and tool names ("Microsoft Word - …", "untitled") and titles without Chinese."""
    if not t:
        return ""
    t = re.split(r"\s*(?:_|\||｜| - | — |-{2,})\s*", t.strip())[0].strip()
    if re.match(r"(?i)^(microsoft word|document|untitled|无标题)", t) or not any(is_cjk(ch) for ch in t):
        return ""
    return t if len(t) >= 4 else ""


def is_status_line(text: str) -> bool:
    """'（征求意见稿）' alone on a line."""
    return bool(_RE_STATUS_LINE.match(normalize(text)))


def detect_status(title: str) -> str:
    for s in _STATUS:
        if s in title:
            return s
    return ""
