"""Page chrome: recognises the lines of web, newspaper and PDF pages that are not document text."""

from __future__ import annotations

import re

from policyqa.text import ends_final, has_inner_punct, is_cjk, normalize


def _alternatives(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(words) + ")"


# ----------------------------------------------------------------------------------------------------------
# Vocabulary
# ----------------------------------------------------------------------------------------------------------

# Two strictness levels, on purpose: `is_boilerplate` runs on the lines of a page known to be a web page (the
# HTML loader), so it may drop anything that looks like site chrome; the other predicates run on the text of
# every format (clean.py) and must not eat document content, so they use the unambiguous subsets.

#: breadcrumb labels ("当前位置：首页 > …") that are chrome in any text
_CRUMB_LABELS = ("当前位置", "您的位置", "你的位置", "所在位置")
#: further breadcrumb labels, safe only on a web page ("位置：" also starts a line of a project table)
_WEB_CRUMB_LABELS = _CRUMB_LABELS + ("您现在的位置", "你现在的位置", "您当前的位置", "你当前的位置", "您所在的位置",
                                     "当前页面", "位置")

#: labels of a web page's information line ("来源：… 日期：… 点击：…")
_META_LABELS = ("来源", "日期", "发布时间", "发布日期", "时间", "作者", "浏览次数", "浏览", "点击", "点击数", "阅读",
                "字号")
#: searched anywhere in a line of any text: a longer label ending in one of these ("信息来源") matches too
_TEXT_META_LABELS = _META_LABELS + ("发文日期", "分享到")
#: matched as whole tokens on a web page
_WEB_META_LABELS = _META_LABELS + ("信息来源", "文章来源", "稿件来源", "发表时间", "更新时间", "编辑", "责任编辑",
                                   "点击量", "点击率", "浏览量", "阅读次数", "阅读量", "访问量", "访问次数")

# ----------------------------------------------------------------------------------------------------------
# Web pages (lines of an HTML page)
# ----------------------------------------------------------------------------------------------------------

# Navigation and page-chrome lines typical of Chinese government sites. They are matched as
# patterns of *site furniture* (breadcrumbs, counters, widgets, footers), never document phrases.
_BREADCRUMB = re.compile(r"^[\s【\[]*" + _alternatives(_WEB_CRUMB_LABELS) + r"\s*[:：]")
_CRUMB_TRAIL = re.compile(r"^\s*(?:网站首页|首页|主页)\s*(?:>|＞|》|»|›|→|/|-\s*>)")
_TOKEN_START = r"(?:^|(?<=[\s|｜丨/【\[（(]))"
_WEB_META = re.compile(_TOKEN_START + "(" + "|".join(_WEB_META_LABELS) + r")\s*[:：]")
_COUNTER = re.compile(
    _TOKEN_START + r"(?:点击|浏览|阅读|访问)(?:次数|数|量|率)?\s*[:：]\s*(?:[\d.,]+\s*[万次]?|[\[【{(（]|$)"
    r"|\d+\s*次(?:浏览|阅读|点击|访问)")
# Document metadata boxes (索引号 / 发文字号 …) look like chrome but carry issuer and dates: keep them.
_DOC_META = re.compile(r"索引号|发文字号|文号|成文日期|发文机关|发布机构|主题分类|有效性")
_FOOTER = re.compile(r"版权所有|Copyright|©|网站标识码|ICP\s*备|ICP\s*证|公网安备|网安备\s*\d|"
                     r"技术支持\s*[:：]|建议使用.{0,20}浏览器|最佳浏览|分辨率", re.I)
_PAGER = re.compile(r"^\s*[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[】\]]?\s*[:：]?")
_WIDGET_TOKENS = re.compile(
    r"扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|手机扫一扫|打印本页|打印此页|打印文章|打印正文|打印|"
    r"关闭本页|关闭窗口|关闭|返回顶部|回到顶部|返回首页|返回列表|返回|收藏本页|加入收藏|收藏|保存本页|"
    r"分享到|分享|转发|我要纠错|纠错|设为首页|网站地图|联系我们|无障碍浏览|无障碍|长者模式|关怀版|适老化|"
    r"繁體|繁体|简体|English|登录|注册|微信|微博|QQ空间|QQ|字号|字体|默认", re.I)
_WIDGET_SEPARATORS = re.compile(r"[\s【】\[\]（）()|｜丨/:：·•,，、.。\-—_]+")


def is_boilerplate(line: str) -> bool:
    """True for navigation, counters, share/print widgets and footers left over from web pages."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 200:  # chrome lines are short; long lines are content
        return False
    if _BREADCRUMB.match(stripped) or _CRUMB_TRAIL.match(stripped) or _PAGER.match(stripped):
        return True
    if not _DOC_META.search(stripped):
        if _COUNTER.search(stripped):
            return True
        if len({m.group(1) for m in _WEB_META.finditer(stripped)}) >= 2:
            return True
    if _FOOTER.search(stripped):
        return True
    return _is_widget_line(stripped)


def _is_widget_line(line: str) -> bool:
    """A line made only of widget words (打印 / 关闭 / 分享到 / 字号：大 中 小 …) and separators."""
    rest = _WIDGET_TOKENS.sub("", line)
    if re.search(r"字号|字体", line):
        rest = re.sub(r"[大中小]", "", rest)
    return not _WIDGET_SEPARATORS.sub("", rest)


# ----------------------------------------------------------------------------------------------------------
# Any text: navigation, information lines, running headers, page numbers, tables of contents
# ----------------------------------------------------------------------------------------------------------

_RE_NAV = re.compile("^" + _alternatives(_CRUMB_LABELS) + r"\s*[:：]")
_RE_META_KEY = re.compile(_alternatives(_TEXT_META_LABELS) + r"\s*[:：]")
_RE_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_RE_FURNITURE = re.compile(
    r"^(今日天气|天气预报|本版编辑|本版责编|责任编辑|责编|编辑[:：]|校对[:：]|美编|版式设计|值班编辑|值班主任|"
    r"\d{4}年\d{1,2}月\d{1,2}日\s*(星期|周)[一二三四五六日天])")
_RE_PAGE_NO = re.compile(r"^[-—–－·•\s]*(第\s*)?\d{1,3}\s*(页|/\s*\d{1,3})?[-—–－·•\s]*$|^第\s*\d+\s*页\s*(共\s*\d+\s*页)?$")
_RE_TOC = re.compile(r"(\.{3,}|…{2,}|·{3,}|．{3,}|。{3,}|-{4,}|_{4,})\s*\d{1,3}\s*$|\t\s*\d{1,3}\s*$")
_RE_TOC_LEADER = re.compile(r"(\.{2,}|…+|·{2,}|．{2,}|-{3,}|_{3,}|\t)\s*\d*\s*$")
_RE_JUMP = re.compile(r"[▶▲►▼△▷◀◁■→（(]*\s*(下转|上接|转第|接第|转\s*\d|接\s*\d)\s*(第?\s*[0-9A-Za-z一二三四五六七八九十]+\s*版)\s*[)）]?\s*$")
_RE_TAG = re.compile(r"^[\[【][^\]】]{1,10}[\]】]$")


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
        out["date"] = iso_date(d.group(1), d.group(2), d.group(3))
    m = re.search(r"来源\s*[:：]\s*(.+?)(?=\s+\S+\s*[:：]|\s*\d{4}[-年/]|$)", t)
    if m and m.group(1).strip():
        out["source"] = m.group(1).strip()
    return out


def iso_date(year: str, month: str, day: str) -> str:
    """'2023', '5', '9' → '2023-05-09'."""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def page_meta(lines: list[str]) -> dict:
    """Source and date from the information lines at the top and bottom of a page (first found wins)."""
    out: dict = {}
    for line in lines[:60] + lines[-20:]:
        m = meta_fields(line)
        if m:
            for k, v in m.items():
                out.setdefault(k, v)
    return out


def is_page_furniture(text: str) -> bool:
    """Running page headers and footers: weather line, editor credits, page numbers."""
    t = text.strip()
    if not t:
        return False
    return bool(_RE_FURNITURE.match(t) or _RE_PAGE_NO.match(t))


def is_page_number(text: str) -> bool:
    """'- 3 -', '第3页', '3/12': a page number standing alone."""
    return bool(_RE_PAGE_NO.match(text.strip()))


def is_masthead(text: str) -> bool:
    """Newspaper page furniture (not a bare page number): a signal that the page holds several items."""
    return bool(_RE_FURNITURE.match(text.strip()))


_RE_PAPER_NAME = re.compile(r"^([\u4e00-\u9fff]{2,8}(?:日报|晚报|早报|晨报|时报|商报|都市报))(?:\d{4}年\d{1,2}月\d{1,2}日.*)?$")


def paper_name(text: str) -> str:
    """'白石晚报' alone on a line, or before the page's date and edition ('南湖日报 2026年6月18日 星期四 第3版'):
    a newspaper's masthead name, not a headline; '' for any other line."""
    m = _RE_PAPER_NAME.match(normalize(text))
    return m.group(1) if m else ""


def is_toc_line(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 80 and bool(_RE_TOC.search(t))


def strip_toc_leader(text: str) -> str:
    """'一、总则……1' → '一、总则': a table-of-contents entry without its leader and page number."""
    return _RE_TOC_LEADER.sub("", text)


def is_latin_chrome(text: str) -> bool:
    """'Network', 'English', 'Share': a short line without Chinese or digits (web chrome when it stands alone)."""
    return not any(is_cjk(ch) for ch in text) and len(text) <= 30 and not re.search(r"\d", text)


def jump_marker(text: str) -> re.Match | None:
    """'▶下转03版' / '▲上接01版' at the end of a line."""
    return _RE_JUMP.search(text)


def is_jump_line(text: str) -> bool:
    m = jump_marker(text)
    return bool(m) and not text[:m.start()].strip()


def is_tag_line(text: str) -> bool:
    return bool(_RE_TAG.match(text.strip()))


def is_page_seam(text: str) -> bool:
    """A line found where one newspaper item ends and the next begins: masthead, running header or footer,
    page number, jump line, section tag."""
    t = text.strip()
    return is_page_furniture(t) or bool(jump_marker(t)) or is_tag_line(normalize(t))  # mastheads are furniture


# ----------------------------------------------------------------------------------------------------------
# Newspaper pages: bylines, photo captions, news leads
# ----------------------------------------------------------------------------------------------------------

_RE_BYLINE_HEAD = re.compile(
    r"^[■□●○◆◇▲△▼◎★☆▶►]?\s*[（(]?\s*(本报|本刊|特约|见习)?\s*(记者|通讯员|实习生|作者|撰文|撰稿|采写|整理|文\s*[/／:：]|图\s*[/／:：])")
_RE_BYLINE_TAIL = re.compile(r"(调研组|课题组|调研小组|课题小组|调研团队|课题团队|编辑部|评论员)\s*$")
_RE_CAPTION = re.compile(
    r"((记者|通讯员|摄影|图/|图／|图：)\s*\S{0,12}\s*[/／]?\s*(摄|摄影|供图)|\S{1,8}\s*[/／]\s*摄|[（(]\s*\S{2,12}\s*(摄|供图)\s*[)）])\s*$")
_RE_NEWS_LEAD = re.compile(r"^(本报讯|本报[^，,。]{0,12}电|新华社[^，,。]{0,12}电|[（(]?记者\S{0,8}[)）]?\s*报道)")


def is_byline(text: str) -> bool:
    t = text.strip()
    if not t or len(t) > 40 or ends_final(t) or is_caption(t) or has_inner_punct(t):
        return False
    return bool(_RE_BYLINE_HEAD.match(t) or _RE_BYLINE_TAIL.search(t))


def is_caption(text: str) -> bool:
    """A photo caption: '……项目一期建成试车。本报记者某某摄'."""
    t = text.strip()
    return len(t) <= 150 and bool(_RE_CAPTION.search(t)) and not t.endswith("拍摄")


def is_news_lead(text: str) -> bool:
    return bool(_RE_NEWS_LEAD.match(text.strip()))
