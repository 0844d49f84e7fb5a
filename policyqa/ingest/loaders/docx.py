"""DOCX: body paragraphs and table rows in order, heading styles, and Word's automatic list numbers."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Iterator

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import REASON_DOCX_CORRUPT, Extracted

logger = logging.getLogger(__name__)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _wval(el, tag: str) -> str | None:
    """w:val of child `tag` of `el`, or None."""
    if el is None:
        return None
    child = el.find(_w(tag))
    return None if child is None else child.get(_w("val"))


MAX_DOCX_UNZIPPED = 64 * 1024 * 1024  # declared sizes of all members: python-docx parses each part whole
MAX_DOCX_MEMBERS = 10_000
REASON_DOCX_TOO_LARGE = ("Word 文档解压后超过 {mb} MB 或包含的文件过多（可能是异常的压缩文件），已拒绝读取；"
                         "可调整配置项 max_unzipped_mb")


def load_docx(raw: bytes, limit: int | None = None) -> Extracted:
    """Body paragraphs and table rows; `limit`: the bytes the zip may expand to (default
    `MAX_DOCX_UNZIPPED`). A zip reader never yields more than a member's declared size, so the declared
    sizes bound the work before anything is parsed."""
    import docx

    _check_zip(raw, MAX_DOCX_UNZIPPED if limit is None else limit)
    try:
        document = docx.Document(io.BytesIO(raw))
        body = document.element.body
        styles = _DocxStyles(document.styles.element)
        numbering = _DocxNumbering(_numbering_root(document), styles)
        lines, headings, first_heading = _docx_lines(body, styles, numbering)
        core_title = (document.core_properties.title or "").strip()
    except SkipFile:
        raise
    except Exception as exc:  # python-docx raises zip, XML, KeyError and ValueError on broken files
        logger.info("cannot open docx: %s", exc)
        raise SkipFile(REASON_DOCX_CORRUPT) from exc
    return Extracted("\n".join(lines), title=core_title or first_heading, heading_lines=frozenset(headings))


def _check_zip(raw: bytes, limit: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        logger.info("docx is not a zip: %s", exc)
        raise SkipFile(REASON_DOCX_CORRUPT) from exc
    if len(infos) > MAX_DOCX_MEMBERS or sum(i.file_size for i in infos) > limit:
        raise SkipFile(REASON_DOCX_TOO_LARGE.format(mb=limit // (1024 * 1024)))


def _numbering_root(document):
    try:
        return document.part.part_related_by(_RT_NUMBERING).element
    except KeyError:
        return None


class _DocxStyles:
    """Paragraph styles by id: name, base style and paragraph properties (for headings and lists)."""

    _HEADING = re.compile(r"^(?:heading|标题)\s*[1-9]$", re.I)

    def __init__(self, root):
        self.by_id: dict[str, object] = {}
        self.default_id: str | None = None
        for style in root.iter(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            sid = style.get(_w("styleId"))
            self.by_id[sid] = style
            if style.get(_w("default")) in ("1", "true", "on"):
                self.default_id = sid

    def chain(self, style_id: str | None) -> Iterator:
        """The style and its base styles, nearest first (cycles and depth bounded)."""
        seen: set[str] = set()
        sid = style_id or self.default_id
        while sid and sid not in seen and sid in self.by_id and len(seen) < 20:
            seen.add(sid)
            style = self.by_id[sid]
            yield style
            sid = _wval(style, "basedOn")

    def is_heading(self, style_id: str | None, ppr) -> bool:
        """Heading / 标题 N / Title styles (or based on them), or an explicit outline level 1–9."""
        if _outline_level(ppr) is not None:
            return True
        for style in self.chain(style_id):
            name = (_wval(style, "name") or "").strip()
            if self._HEADING.match(name) or name.lower() in ("title", "标题"):
                return True
            if _outline_level(style.find(_w("pPr"))) is not None:
                return True
        return False

    def is_title(self, style_id: str | None) -> bool:
        return any((_wval(s, "name") or "").strip().lower() in ("title", "标题") for s in self.chain(style_id))

    def numpr(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, owning style id) inherited from the style chain."""
        for style in self.chain(style_id):
            ppr = style.find(_w("pPr"))
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            if numpr is not None:
                return _wval(numpr, "numId"), _wval(numpr, "ilvl"), style.get(_w("styleId"))
        return None, None, None


def _outline_level(ppr) -> int | None:
    value = _wval(ppr, "outlineLvl")
    if value is None or not value.isdigit() or int(value) > 8:  # 9 means "body text"
        return None
    return int(value)


class _DocxNumbering:
    """Renders automatic list numbers ("1.", "一、", "（一）", "第一章" …) by counting paragraphs."""

    def __init__(self, root, styles: _DocxStyles):
        self.styles = styles
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.abstracts: dict[str, dict[int, dict]] = {}
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list, as Word continues them
        self.seen_nums: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.iter(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                levels[ilvl] = {
                    "start": _int(_wval(lvl, "start"), 1),
                    "fmt": _wval(lvl, "numFmt") or "decimal",
                    "text": _wval(lvl, "lvlText") or "",
                    "suff": _wval(lvl, "suff") or "tab",
                    "style": _wval(lvl, "pStyle"),
                }
            self.abstracts[abstract.get(_w("abstractNumId"))] = levels
        for num in root.iter(_w("num")):
            overrides = {}
            for override in num.iter(_w("lvlOverride")):
                start = _wval(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(_w("ilvl"), "0"))] = _int(start, 1)
            self.nums[num.get(_w("numId"))] = (_wval(num, "abstractNumId"), overrides)

    def prefix(self, style_id: str | None, ppr) -> str | None:
        """The rendered number for this paragraph (advancing the counters), or None if not numbered."""
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id, ilvl, owner = (_wval(numpr, "numId"), _wval(numpr, "ilvl"), None) if numpr is not None \
            else self.styles.numpr(style_id)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstracts.get(abstract_id, {})
        level = _int(ilvl, -1)
        if level < 0:  # style-driven lists name their level through the level's pStyle
            level = next((i for i, lv in levels.items() if owner and lv["style"] == owner), 0)
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for i, start in overrides.items():  # "restart numbering" creates a num with overrides
                counters[i] = start - 1
        counters[level] = counters.get(level, levels[level]["start"] - 1) + 1
        for deeper in [i for i in counters if i > level]:
            del counters[deeper]
        lv = levels[level]
        if lv["fmt"] == "bullet":
            return None

        def render(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            ref = levels.get(i, {"start": 1, "fmt": "decimal"})
            return _format_number(counters.get(i, ref["start"]), ref["fmt"])

        label = re.sub(r"%([1-9])", render, lv["text"]) if lv["fmt"] != "none" else lv["text"]
        if not label:
            return None
        spaced = lv["suff"] != "nothing" and not re.search(r"[、，。：:）)】」』〕\uff0e]$", label)
        return label + (" " if spaced else "")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _format_number(n: int, fmt: str) -> str:
    """Render counter `n` in a Word numFmt; unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographLegalTraditional"):
        return _chinese_count(n, _CN_DIGITS, "零", ("", "十", "百", "千"), drop_leading_one=True)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, _CN_LEGAL_DIGITS, "零", ("", "拾", "佰", "仟"), drop_leading_one=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)  # ⑴
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)  # ⒈
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = _TIANGAN if fmt == "ideographTraditional" else _DIZHI
        return cycle[(n - 1) % len(cycle)]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _chinese_count(n: int, digits: str, zero: str, units: tuple[str, ...], drop_leading_one: bool) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (1–9999; others as digits)."""
    if not 0 < n < 10000:
        return str(n)
    out = ""
    pending_zero = False
    numerals = [int(d) for d in str(n)]
    for i, d in enumerate(numerals):
        if d == 0:
            pending_zero = True
            continue
        if pending_zero and out:
            out += zero
        pending_zero = False
        out += digits[d] + units[len(numerals) - 1 - i]
    if drop_leading_one and 10 <= n < 20:
        out = out[1:]  # 一十 → 十
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, symbol in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += symbol * count
    return out


def _docx_lines(body, styles: _DocxStyles, numbering: _DocxNumbering) -> tuple[list[str], set[int], str | None]:
    """Lines of the document body in order: paragraphs (with list numbers) and table rows."""
    lines: list[str] = []
    headings: set[int] = set()
    title: str | None = None
    first_heading: str | None = None
    for el in _body_blocks(body):
        if el.tag == _w("tbl"):
            lines.extend(_table_rows(el))
            continue
        ppr = el.find(_w("pPr"))
        style_id = _wval(ppr, "pStyle")
        text = _paragraph_text(el)
        prefix = numbering.prefix(style_id, ppr)
        if prefix and text.strip():
            text = prefix + text.lstrip()
        if styles.is_heading(style_id, ppr) and text.strip():
            heading = _join_soft_breaks(text)
            headings.add(len(lines))
            lines.append(heading)
            if title is None and styles.is_title(style_id):
                title = heading
            first_heading = first_heading or heading
        else:
            lines.extend(text.split("\n"))
    return lines, headings, title or first_heading


def _body_blocks(container) -> Iterator:
    """w:p and w:tbl elements in document order, looking inside content controls and custom XML."""
    for child in container:
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _body_blocks(content)
        elif child.tag == _w("customXml"):
            yield from _body_blocks(child)


_SKIP_ANCESTORS = {_w("del"), _w("moveFrom"), _w("txbxContent"), f"{{{_MC}}}Fallback"}


def _paragraph_text(p) -> str:
    """Visible text of a paragraph, including tracked insertions, hyperlinks and content controls.

    python-docx's Paragraph.text only sees direct runs and hyperlinks, which drops inserted text
    in drafts and anything inside content controls.
    """
    parts = []
    for run in p.iter(_w("r")):
        if _has_skipped_ancestor(run, p):
            continue
        text = getattr(run, "text", None)
        if not isinstance(text, str):  # not python-docx's CT_R: read the text nodes directly
            text = "".join(t.text or "" for t in run.iter(_w("t")))
        parts.append(text)
    return "".join(parts)


def _has_skipped_ancestor(el, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP_ANCESTORS:
            return True
        parent = parent.getparent()
    return False


def _join_soft_breaks(text: str) -> str:
    """A heading is one line: join manual line breaks (no space between Chinese characters)."""
    pieces = [piece.strip() for piece in text.split("\n") if piece.strip()]
    out = ""
    for piece in pieces:
        if out and (out[-1].isascii() and piece[0].isascii()):
            out += " "
        out += piece
    return out


def _table_rows(tbl) -> list[str]:
    """One line per table row, cells joined by " | " (empty and merged-continuation cells skipped)."""
    rows = []
    for tr in tbl.iterfind(f".//{_w('tr')}"):
        if _nearest(tr, "tbl") is not tbl:
            continue  # nested tables are read as part of their cell
        cells = []
        for tc in tr.iterfind(f".//{_w('tc')}"):
            if _nearest(tc, "tr") is not tr:
                continue
            texts = (" ".join(_paragraph_text(p).split()) for p in tc.iter(_w("p")))
            cell = " ".join(t for t in texts if t)
            if cell:
                cells.append(cell)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _nearest(el, tag: str):
    """The closest ancestor of `el` with w:`tag`, or None."""
    parent = el.getparent()
    while parent is not None and parent.tag != _w(tag):
        parent = parent.getparent()
    return parent
