"""The document's own metadata read from its text: 文号, 文种, plan period, and the issuer its header names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.text import normalize

#: 粤府〔2023〕12号, 国办发[2023]5号, 湛府办函（2024）3号
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_NUMBER_LABEL = re.compile(r"(?:发文字号|文号)\s*[:：]\s*")
_ISSUER_LABEL = re.compile(r"(?:发文机关|发布机构|发文单位|发布单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,40})")
_HEADER_ISSUER = re.compile(r"^([\u4e00-\u9fff]{2,30}?(?:人民政府|委员会|办公室|办公厅|政府|局|厅|部|委|院|中心))文件$")
#: a body's name ends so (某县统计局, 国家统计局某县调查队, 市农业农村局)
_BODY = r"[\u4e00-\u9fff（）()]{2,24}?(?:人民政府|委员会|办公室|办公厅|政府|局|厅|部|委|院|中心|调查队|总队|支队|协会|联合会)"
#: a line of issuing bodies over or under the title (某县统计局　国家统计局某县调查队): bodies only, by spaces or 、
_BODIES_LINE = re.compile(rf"^{_BODY}(?:[\s、，,]+{_BODY})*$")
#: such a line stands within this many lines of the document's opening
BYLINE_LINES = 3
#: what a document is, by the last word of its title (longest first: 实施方案 before 方案)
DOCTYPES = ("实施方案", "行动方案", "工作方案", "行动计划", "工作计划", "规划纲要", "实施意见", "指导意见",
            "实施细则", "管理办法", "暂行办法", "通知", "通告", "公告", "通报", "决定", "批复", "意见", "方案",
            "计划", "规划", "纲要", "办法", "条例", "规定", "细则", "规则", "报告", "指南", "指引", "要点",
            "标准", "清单", "函", "法")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]\s*$")
_PERIOD = re.compile(r"(\d{4})\s*[-—–~～至到]+\s*(\d{4})\s*年")
_PERIOD_TEXT = re.compile(r"(?:规划期|规划期限|实施期|实施期限|期限|有效期)(?:为|是|至|：|:)?\s*(\d{4})\s*年?\s*[-—–~～至到]+\s*"
                          r"(\d{4})\s*年")
#: how far into the document the header (文号, 发文机关) may stand, in lines
HEADER_LINES = 25


@dataclass(frozen=True)
class DocMeta:
    number: str = ""  # 文号
    doctype: str = ""  # 文种
    period: str = ""  # e.g. 2021—2035年
    issuer: str = ""  # from the header (…文件) or a 发文机关 line


def read_metadata(title: str, lines: list[str]) -> DocMeta:
    """Metadata from the title and the source lines (the header lines first)."""
    head = [normalize(ln) for ln in lines[:HEADER_LINES] if ln.strip()]
    return DocMeta(number=_number(head), doctype=doctype(title), period=_period(title, lines),
                   issuer=_issuer(head) or _byline_bodies(title, lines))


def _number(head: list[str]) -> str:
    for line in head:
        labelled = _NUMBER_LABEL.search(line)
        m = DOC_NUMBER.search(line[labelled.end():] if labelled else line)
        # a header line holds the number alone (or with the signer); a body line merely cites another file
        if m and (labelled or len(line) <= len(m.group(0)) + 12):
            return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
    return ""


def _issuer(head: list[str]) -> str:
    for line in head:
        m = _ISSUER_LABEL.search(line) or _HEADER_ISSUER.match(line)
        if m:
            return m.group(1)
    return ""


def header_line(line: str) -> bool:
    """A line of a document's header that stands alone, never a wrapped part of a paragraph: the issuing bodies
    (某县民政局　某县财政局) or the 文号 by itself."""
    line = line.strip()
    if _BODIES_LINE.match(line) and re.search(r"\s", line):
        return True
    m = DOC_NUMBER.search(line)
    return bool(m and len(normalize(line)) <= len(m.group(0)) + 2)


def _byline_bodies(title: str, lines: list[str]) -> str:
    """某县统计局、国家统计局某县调查队: the bodies a line of the opening (over or under the title) names, and nothing
    else."""
    opening = [ln.strip() for ln in lines if ln.strip()][:BYLINE_LINES + 1]
    for line in opening:
        if normalize(line) != normalize(title) and _BODIES_LINE.match(line):
            return "、".join(re.split(r"[\s、，,]+", line))
    return ""


def doctype(title: str) -> str:
    """通知 for 关于印发《…方案》的通知: the outer document's kind, from the end of its title."""
    t = normalize(title)
    while _TRAILING_NOTE.search(t):
        t = _TRAILING_NOTE.sub("", t)
    t = t.rstrip("》」\"'")
    return next((d for d in DOCTYPES if t.endswith(d)), "")


def _period(title: str, lines: list[str]) -> str:
    m = _PERIOD.search(normalize(title))
    if not m:
        m = next((x for x in (_PERIOD_TEXT.search(normalize(ln)) for ln in lines[:200]) if x), None)
    if m and int(m.group(1)) < int(m.group(2)):
        return f"{m.group(1)}—{m.group(2)}年"
    return ""
