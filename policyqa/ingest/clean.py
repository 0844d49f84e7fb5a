"""Repairs the defects of extracted text: loaded lines → cleaned Blocks that keep their source line ranges."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, replace

from policyqa.ingest.furniture import (is_byline, is_caption, is_jump_line, is_latin_chrome, is_masthead,
                                       is_nav_line, is_news_lead, is_page_furniture, is_tag_line,
                                       is_toc_line, jump_marker, meta_fields, paper_name, strip_toc_leader)
from policyqa.ingest.headings import GENERIC_SECTIONS, heading_level, is_answer_start, is_title_like
from policyqa.ingest.metadata import header_line
from policyqa.schema import Block, LoadedFile
from policyqa.text import (SUPERSCRIPT_DIGITS, display_width, ends_final, ends_open, has_inner_punct, is_cjkish,
                           letter_spaced, normalize, starts_closing, unbalanced_open)

#: a layout is "long-line" (one paragraph per line) when the typical line is at least this wide (half-width units)
LONG_LINE = 90
#: a line at most this much narrower than its column is a full line (punctuation squeezing varies widths)
FULL_TOL = 4
#: a headline set across columns is this much wider than the column it sits in
WIDE_TOL = 8


@dataclass
class _Seg:
    text: str  # markup removed, trimmed; spaces inside still as in the source
    line: int  # 0-based source line
    blank_before: bool = False  # a blank (or dropped) line separates it from the previous segment
    hard_before: bool = False  # never join with the previous segment
    hard_after: bool = False  # never join with the next segment
    footnote: bool = False
    indent: int = 0  # leading whitespace of the source line, half-width units (paragraph indentation)
    width: int = 0
    col: float = 0.0  # local column width estimate
    wrapped: bool = True  # the lines around it are hard-wrapped (most stop mid-sentence)
    row: bool = False  # a table row the format delimits: a block of its own

    @property
    def long(self) -> bool:
        """One paragraph per line (long lines, or short lines that each end a sentence)."""
        return self.col >= LONG_LINE or not self.wrapped

    @property
    def full(self) -> bool:
        return self.width >= self.col - FULL_TOL


# ----------------------------------------------------------------------------------------------------------
# Text normalisation
# ----------------------------------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_LIKE = re.compile(r"[ \t\u00a0\u3000\u2000-\u200a\u202f\u205f]+")


def _space_ok(a: str, b: str) -> bool:
    """Keep a space between a and b? Only between Latin/digit tokens or next to a Latin letter."""
    a_cjk, b_cjk = is_cjkish(a), is_cjkish(b)
    if a_cjk and b_cjk:
        return False
    a_num = a.isdigit() or a in SUPERSCRIPT_DIGITS or a in "%.,:;)]}'\"!?"
    b_num = b.isdigit() or b in SUPERSCRIPT_DIGITS or b in "%.,:;([{'\"!?"
    if (a_cjk and b_num) or (a_num and b_cjk):
        return False
    if a_cjk and b in "-+/=<>~" or b_cjk and a in "-+/=<>~":
        return False
    return True


def normalize_spaces(s: str) -> str:
    """Collapse whitespace; drop it between Chinese characters and between Chinese and numbers."""
    s = _SPACE_LIKE.sub(" ", s.translate(_ZERO_WIDTH)).strip()
    if " " not in s:
        return s
    out = []
    for i, ch in enumerate(s):
        if ch == " ":
            a = out[-1] if out else ""
            b = s[i + 1] if i + 1 < len(s) else ""
            if not a or not b or b == " " or not _space_ok(a, b):
                continue
        out.append(ch)
    return "".join(out)


def _join_text(parts: list[str]) -> str:
    """Join wrapped lines: no separator, except a space between two Latin words."""
    out = ""
    for p in parts:
        p = p.strip()
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum() \
                and not (out[-1].isdigit() and p[0].isdigit()):
            out += " "
        out += p
    return out


_RE_BLOCK_TAG = re.compile(r"</?\s*(p|br|div|li|tr|h[1-6]|section|article|ul|ol|table|blockquote)\b[^>]*>", re.I)
_RE_ANY_TAG = re.compile(r"</?\s*[a-zA-Z][a-zA-Z0-9]*\b[^>]*>")


def _strip_markup(line: str) -> tuple[list[str], bool]:
    """Split a line at HTML block tags, drop other tags and Markdown markers. Returns (parts, md_heading)."""
    parts = [line]
    if "<" in line and _RE_ANY_TAG.search(line):
        parts = [_RE_ANY_TAG.sub("", p) for p in _RE_BLOCK_TAG.split(line)[::2]]
    if "&" in line:
        parts = [html.unescape(p) for p in parts]
    md_heading = False
    out = []
    for p in parts:
        p = p.strip()
        if re.match(r"^#{1,6}\s+\S", p):
            p = re.sub(r"^#{1,6}\s+", "", p)
            md_heading = True
        p = re.sub(r"^(?:[-*+•]\s+|>\s*)", "", p)
        p = p.replace("**", "").replace("__", "")
        p = p.strip()
        if p:
            out.append(p)
    return out, md_heading


# ----------------------------------------------------------------------------------------------------------
# Line classification (what is dropped)
# ----------------------------------------------------------------------------------------------------------

def _drop_marks(lines: list[str]) -> list[bool]:
    """Which source lines are not text: TOC, page furniture, navigation, web meta, jump lines, running headers."""
    n = len(lines)
    drop = [False] * n
    stripped = [ln.strip() for ln in lines]
    blank = [not s for s in stripped]

    def standalone(i: int) -> bool:
        return (i == 0 or blank[i - 1]) and (i == n - 1 or blank[i + 1])

    for i, s in enumerate(stripped):
        if not s:
            continue
        bare = normalize(s)
        if is_toc_line(s) or is_page_furniture(s) or is_nav_line(s) or is_jump_line(s) or is_tag_line(bare):
            drop[i] = True
            continue
        if meta_fields(s) is not None:
            drop[i] = True
            continue
        if is_latin_chrome(s) and standalone(i):
            drop[i] = True
    # a newspaper's name set above its page (furniture lines may stand between)
    top = [i for i, s in enumerate(stripped) if s and not drop[i]][:2]
    for i in top:
        if paper_name(stripped[i]):
            drop[i] = True
    # table of contents: the 目录 line and the entries after it until the body repeats an entry
    for i, s in enumerate(stripped):
        if normalize(s) in ("目录", "目次"):
            drop[i] = True
            seen: set[str] = set()
            j = i + 1
            while j < n:
                t = stripped[j]
                if t:
                    key = normalize(strip_toc_leader(t))
                    key = re.sub(r"\d{1,3}$", "", key) if is_toc_line(t) else key
                    if key in seen:
                        break
                    entry = is_toc_line(t) or (heading_level(t) is not None and len(t) <= 40
                                               and not ends_final(t))
                    if not entry:
                        break
                    seen.add(key)
                    drop[j] = True
                j += 1
    # running headers: the same short line on many pages
    counts = Counter(normalize(s) for s in stripped if s and len(normalize(s)) <= 30 and not ends_final(s)
                     and heading_level(s) is None)
    first_text = next((i for i, s in enumerate(stripped) if s and not drop[i]), -1)
    often = max(3, sum(1 for s in stripped if s) // 80)  # about once a page, not a repeated sub-heading
    for i, s in enumerate(stripped):
        if s and counts.get(normalize(s), 0) >= often and i != first_text:
            drop[i] = True
    # letter-spaced slogans printed next to a page masthead
    for i, s in enumerate(stripped):
        if s and letter_spaced(s) and not ends_final(s):
            near = [j for j in (i - 1, i + 1) if 0 <= j < n and stripped[j]]
            if any(is_masthead(stripped[j]) for j in near):
                drop[i] = True
    return drop


# ----------------------------------------------------------------------------------------------------------
# Segments: the units of layout analysis (a source line, or part of one)
# ----------------------------------------------------------------------------------------------------------

_RE_FOOTNOTE = re.compile(rf"^[{SUPERSCRIPT_DIGITS}]+\s*\S")
_RE_MID_HEADING = re.compile(r"\s+(?=(第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]))")
_RE_LABEL_SPLIT = re.compile(
    r"^((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,2}[.．、](?![0-9]))"
    r"[^\s，。；：、,;:！？]{2,16})\s+(\S.*)$")


def _split_parts(text: str) -> list[tuple[str, bool]]:
    """Split 'byline 一、heading' and 'heading-label content' lines. Returns [(text, hard_after)]."""
    if not letter_spaced(text):
        m = _RE_MID_HEADING.search(text)
        if m and is_byline(text[:m.start()]):
            return [(text[:m.start()].strip(), True)] + _split_parts(text[m.end():].strip())
        m = _RE_LABEL_SPLIT.match(text)
        if m and len(normalize(m.group(2))) >= 4 and not letter_spaced(m.group(2)):
            return [(m.group(1), True), (m.group(2), False)]
    return [(text, False)]


def _segments(loaded: LoadedFile) -> list[_Seg]:
    lines = [ln.rstrip("\r") for ln in loaded.text.split("\n")]
    drop = _drop_marks(lines)
    segs: list[_Seg] = []
    gap = True
    for i, line in enumerate(lines):
        if drop[i] or not line.strip():
            gap = True
            continue
        parts, md_heading = _strip_markup(line.translate(_ZERO_WIDTH))
        lead = line.translate(_ZERO_WIDTH)[:len(line) - len(line.lstrip())]
        indent = sum(2 if ch == "\u3000" else 4 if ch == "\t" else 1 for ch in lead)
        forced = md_heading or i in loaded.heading_lines
        if i in loaded.block_lines:
            seg = _Seg(normalize_spaces(line), i, blank_before=True, hard_before=True, hard_after=True, row=True)
            segs.append(seg)
            gap = True
            continue
        line_segs: list[_Seg] = []
        for k, part in enumerate(parts):
            jm = jump_marker(part)
            if jm and part[:jm.start()].strip():
                part = part[:jm.start()].rstrip()
            if not part:
                continue
            para_start = gap if k == 0 else True
            if para_start and _RE_FOOTNOTE.match(part):
                segs.append(_Seg(part, i, blank_before=True, hard_before=True, hard_after=True, footnote=True))
                gap = True
                continue
            pieces = _split_parts(part)
            for j, (piece, hard_after) in enumerate(pieces):
                seg = _Seg(piece, i, blank_before=para_start if j == 0 else False, hard_after=hard_after,
                           hard_before=j > 0 and pieces[j - 1][1], indent=indent if k == 0 and j == 0 else 0)
                line_segs.append(seg)
                segs.append(seg)
            gap = False
        if forced and line_segs:
            line_segs[0].hard_before = True
            line_segs[-1].hard_after = True
        gap = len(parts) > 1  # an HTML paragraph ends with its closing tag
    _estimate_columns(segs)
    return segs


def _fill_width(ws: list[int], times: int = 3) -> int:
    """The widest width at least `times` of the lines reach (within FULL_TOL): the width they are wrapped at."""
    return max((w for w in ws if sum(w - FULL_TOL <= x <= w + FULL_TOL for x in ws) >= times), default=0)


def _estimate_columns(segs: list[_Seg]) -> None:
    body = [s for s in segs if not s.footnote]
    for s in body:
        s.width = display_width(s.text.strip()) + s.indent
    widths = [s.width for s in body]

    def pct75(ws: list[int]) -> int:
        ws = sorted(ws)
        return ws[min(len(ws) - 1, int(len(ws) * 0.75))]

    # runs of lines with no blank between them share a column; short runs borrow their neighbours' width
    runs: list[list[int]] = []
    for k, s in enumerate(body):
        if k == 0 or s.blank_before:
            runs.append([])
        runs[-1].append(k)
    for run in runs:
        own = pct75([widths[k] for k in run]) if len(run) >= 5 else None
        for k in run:
            body[k].col = own if own is not None else pct75(widths[max(0, k - 5):k + 6])
    # lines wrapped at one width reach it again and again; an article of short items has a low 75th
    # percentile, but its wrapped lines fill the column of the lines around it
    fill = [_fill_width(widths[max(0, k - 8):k + 9]) for k in range(len(body))]
    for k, s in enumerate(body):
        if s.col + FULL_TOL < s.width <= fill[k]:
            s.col = s.width  # a wrapped line, not a headline across columns
    # hard-wrapped text: most lines that fill the column stop mid-sentence; in a paragraph-per-line text they
    # end sentences. Shorter lines say nothing: in a regulation wrapped at 38 characters most lines end an item.
    open_line = [not ends_final(s.text) if s.full and s.width >= fill[k] - FULL_TOL else None
                 for k, s in enumerate(body)]
    for k, s in enumerate(body):
        window = [x for x in open_line[max(0, k - 6):k + 7] if x is not None]
        s.wrapped = not window or sum(window) > 0.5 * len(window)


# ----------------------------------------------------------------------------------------------------------
# Joining
# ----------------------------------------------------------------------------------------------------------

def _is_heading_start(text: str) -> bool:
    hm = heading_level(normalize_spaces(text))
    return hm is not None


def _paragraph_start(b: _Seg, c: _Seg | None) -> bool:
    """b looks like the indented first line of a paragraph: short, unfinished, followed by a full line."""
    if c is None or c.footnote or ends_final(b.text) or b.width > b.col - FULL_TOL or b.width < 0.6 * b.col:
        return False
    return c.full and not _is_heading_start(c.text) and not c.long


def _table_row(text: str) -> bool:
    """A line of a table written as text, its cells set apart by bars (序号｜工程名称｜牵头单位); a two-column
    table's line has one bar between a short label and its value (沅江夜市摊位｜680个)."""
    bars = text.count("｜") + text.count("|")
    if bars != 1:
        return bars >= 2
    label, value = re.split(r"[｜|]", text)
    return bool(label.strip() and value.strip()) and len(label.strip()) <= 24 and "。" not in label


def _should_join(cur: list[_Seg], b: _Seg, c: _Seg | None, after_heading: bool) -> bool:
    """Does segment b continue the block `cur` (c is the segment after b)? The layout decides: sentence
    ends, headings, column width, indentation, open quotes and brackets."""
    a = cur[-1]
    if a.hard_after or b.hard_before:
        return False
    ta, tb = a.text, b.text
    if is_byline(tb) or is_byline(ta) or is_caption(ta):
        return False
    if header_line(ta) or header_line(tb):
        return False  # 某县民政局　某县财政局 over the title, 某民发〔2025〕31号 under it: header lines of their own
    if FIELD_LINE.match(tb) and not ends_open(ta) and not unbalanced_open(ta):
        return False  # 牵头单位：… starts a line of its own, as a table's cell would
    if _table_row(ta) or _table_row(tb):
        return False  # 5｜护理型床位提升工程｜…｜市卫生健康委: a table's rows are lines of their own
    if is_news_lead(tb) and not ends_open(ta):
        return False  # 本报讯… starts a report; the line before it is a headline or the last report's end
    if starts_closing(tb) and not _is_heading_start(tb):
        return True
    block = "".join(s.text for s in cur)
    if (_is_heading_start(tb) or is_answer_start(tb)) and not ends_open(ta):
        return False  # a Q&A answer ("答：……") starts its own paragraph, never the question's wrapped tail
    if b.indent >= 2 and b.indent > a.indent + 1 and not ends_open(ta) and not unbalanced_open(block[-200:]):
        return False  # an indented line starts a new paragraph
    if PHONE_END.search(ta):
        return False  # 联系人：…，电话：6231570 — a contact line ends with its number; the next contact is its own line
    if ends_final(ta):
        if a.long or b.long:
            return False
        # a full line ending a sentence, followed by another full line: the paragraph goes on
        return a.full and b.width >= b.col - 2
    if ends_open(ta) or unbalanced_open(block[-200:]):
        return True
    if len(cur) == 1 and a.blank_before and b.blank_before and is_title_like(ta, 80):
        return False  # a title set apart by blank lines, however wide
    if len(cur) == 1 and b.blank_before and _subheading(cur):
        return False  # a report's subheading set apart by blank lines (各走各路，快递进村难在哪)
    if a.long:
        return not is_title_like(ta, 40) and not (len(cur) == 1 and heading_level(normalize_spaces(ta)))
    if a.width > a.col + WIDE_TOL:
        return False  # a headline set across several columns
    hm = heading_level(normalize_spaces(cur[0].text))
    if hm is not None and hm.kind in ("part", "chapter", "section", "box", "annex", "named"):
        # these never carry text: only a short title tail may complete a wrapped heading line
        return len(cur) == 1 and a.full and is_title_like(tb, 20) and not _paragraph_start(b, c)
    if hm is not None and not hm.inline and not has_inner_punct(block.replace("，", "").replace(",", "")):
        # a numbered heading wraps when its line fills the column, or when a short tail completes it
        if _paragraph_start(b, c):
            return False
        if a.full or (has_inner_punct(ta) and a.width >= a.col - 2 * FULL_TOL):
            return True
        return a.width >= 0.75 * a.col and is_title_like(tb) and len(block) + len(tb) <= 40 \
            and not _is_heading_start(tb)
    if a.full or has_inner_punct(ta):
        return True
    if a.width >= 0.6 * a.col:
        if after_heading and len(cur) == 1 and not a.blank_before:
            return True  # the indented first line right under a heading
        if not b.blank_before and (b.full or has_inner_punct(tb) or ends_final(tb)):
            return True  # an indented first line, continued
    return False


PHONE_END = re.compile(r"(?:电话|传真|手机|热线)[：:]?\s*[\d（）()\-—－]{5,}\s*[；;。.]?$")


def _subheading(group: list[_Seg]) -> bool:
    """A short line after a blank one, two phrases and a comma, no sentence end: a report's subheading."""
    a = group[0]
    return len(group) == 1 and a.blank_before and not a.full and not re.search(r"[：:\d]", a.text) \
        and is_title_like(re.sub(r"[，,]", "", a.text), 24)


def _join(segs: list[_Seg]) -> list[list[_Seg]]:
    groups: list[list[_Seg]] = []
    cur: list[_Seg] = []
    pending: list[_Seg] = []
    body_idx = [k for k, s in enumerate(segs) if not s.footnote]
    nxt = {body_idx[i]: segs[body_idx[i + 1]] for i in range(len(body_idx) - 1)}

    def flush() -> None:
        nonlocal cur
        if cur:
            groups.append(cur)
        cur = []
        for f in pending:
            groups.append([f])
        pending.clear()

    for k, s in enumerate(segs):
        if s.footnote:
            pending.append(s)
            if not cur:
                flush()
            continue
        if cur:
            prev = groups[-1] if groups else None
            after_heading = bool(prev) and _group_is_heading(prev)
            if _should_join(cur, s, nxt.get(k), after_heading):
                cur.append(s)
                continue
            flush()
        cur = [s]
    flush()
    return groups


def _group_is_heading(group: list[_Seg]) -> bool:
    text = normalize_spaces(_join_text([s.text for s in group]))
    hm = heading_level(text)
    return (hm is not None and not hm.inline) or (group[0].hard_after and not ends_final(text))


# ----------------------------------------------------------------------------------------------------------
# Blocks
# ----------------------------------------------------------------------------------------------------------

def _to_block(group: list[_Seg]) -> Block:
    text = normalize_spaces(_join_text([s.text for s in group]))
    lines = [s.line for s in group]
    first = group[0]
    if first.footnote:
        return Block(text, min(lines), max(lines), heading=False)
    forced = first.hard_before and first.hard_after and len(group) == 1 and not first.footnote
    hm = heading_level(text)
    if first.row or _table_row(text):  # a table row; a group title set in a row ("一、交通项目") still heads what follows
        return Block(text, min(lines), max(lines), heading=hm is not None and not hm.inline)
    if is_byline(text) or is_caption(text):
        heading = False
    elif forced and not ends_final(text):
        heading = True
    elif hm is not None:
        heading = not hm.inline
    elif ends_final(text) or ends_open(text):
        heading = False
    else:
        wide = any(s.width > s.col + WIDE_TOL for s in group) and len(text) <= 60
        heading = (is_title_like(text) or wide or _subheading(group)) and not FIELD_LINE.match(text)
    return Block(text, min(lines), max(lines), heading=heading)


# a field of a task or a contact (牵头单位：市公安局, 完成时限：2026年底, 联系电话：…): it belongs to the clause above
_DUTY = r"(?:牵头|责任|配合|协办|承办|主办|实施|主管|参与)(?:单位|部门)"
# a task's line naming the bodies that carry it (牵头单位：市住建局、市消防救援支队)
DUTY_FIELD = re.compile(r"\s*" + _DUTY + r"[：:]")
FIELD_LINE = re.compile(r"^(?:" + _DUTY + r"|(?:完成)?时限|完成时间"
                        r"|联系人|(?:联系|咨询)?电话|(?:办公|联系)?地址)[：:]")


def _split_generic(blocks: list[Block]) -> list[Block]:
    """'保障措施加强组织领导。…' in a document with unnumbered headings → heading + paragraph."""
    unnumbered = sum(1 for b in blocks if b.heading and heading_level(b.text) is None)
    if unnumbered < 2:
        return blocks
    out = []
    rx = re.compile("^(" + "|".join(GENERIC_SECTIONS) + r")(?=[^\s，。；：、,;:！？（(])")
    for b in blocks:
        m = rx.match(b.text)
        rest = b.text[m.end():] if m else ""
        first = re.search(r"[。；;]", rest)
        if m and not b.heading and first and first.start() <= 25 and len(rest) > first.end():
            out.append(Block(m.group(1), b.line_start, b.line_start, heading=True))
            out.append(Block(rest, b.line_start, b.line_end, heading=False))
        else:
            out.append(b)
    return out


def _drop_repeats(blocks: list[Block], min_blocks: int = 3, min_chars: int = 100) -> list[Block]:
    """Drop the second copy of any run of blocks that repeats earlier text (normalised)."""
    keys = [normalize(b.text) for b in blocks]
    where: dict[str, list[int]] = {}
    keep = [True] * len(blocks)
    i = 0
    while i < len(blocks):
        best = 0
        for j in where.get(keys[i], [])[-50:]:
            k = 0
            while i + k < len(blocks) and j + k < i and keys[i + k] == keys[j + k]:
                k += 1
            best = max(best, k)
        if best >= min_blocks and sum(len(keys[i + t]) for t in range(best)) >= min_chars:
            for t in range(best):
                keep[i + t] = False
            i += best
            continue
        where.setdefault(keys[i], []).append(i)
        i += 1
    return [b for b, k in zip(blocks, keep) if k]


def clean_blocks(loaded: LoadedFile) -> list[Block]:
    """Cleaned logical blocks of a loaded file, in reading order, each with its source line range.

    Repairs the defects of text extracted from PDFs, newspaper pages and web pages:

    - hard line breaks inside sentences (narrow newspaper columns, PDF lines) and blank lines inside sentences
      (column and page breaks) — lines are joined by layout: a line as wide as its column that does not end a
      sentence continues on the next line; a heading, a title-like short line, or a sentence end followed by a
      new (indented) paragraph is a break;
    - spaces between Chinese characters;
    - tables of contents, page numbers, running headers, navigation and "来源/日期" lines of web pages,
      "▶下转03版" jump lines and page mastheads;
    - HTML tags and Markdown markers left in the text; footnotes printed in the middle of a paragraph;
    - an article repeated within one file (only the first copy is kept).
    """
    segs = _segments(loaded)
    groups = _join(segs)
    blocks = [_to_block(g) for g in groups]
    blocks = [b for b in blocks if b.text]
    blocks = _split_generic(blocks)
    return _label_rows(_drop_repeats(blocks))


_CELL_BAR = re.compile(r"\s*[｜|]\s*")
_RULE_ROW = re.compile(r"^[\s|｜:：\-—]+$")  # a Markdown table's |---|---| line


def _label_rows(blocks: list[Block]) -> list[Block]:
    """A text table's rows carry their column names (工程名称：…；牵头单位：市卫生健康委), as a sheet's rows do: a
    row quoted alone then says what each cell is. The header is the first row, when its cells are short names."""
    out: list[Block] = []
    header: list[str] | None = None
    for b in blocks:
        if not _table_row(b.text):
            header = None
        if not _table_row(b.text) or _RULE_ROW.match(b.text):
            out.append(b)
            continue
        cells = _CELL_BAR.split(b.text.strip().strip("｜|").strip())
        if header is None:
            if all(c and len(c) <= 12 and not re.search(r"\d", c) for c in cells):
                header = cells
            out.append(b)
        elif len(cells) == len(header):
            out.append(replace(b, text="；".join(f"{h}：{c}" for h, c in zip(header, cells) if c)))
        else:
            out.append(b)
    return out

