"""The layout of one PDF page (pdfplumber): lines in reading order across columns, tables as rows with their
column headers, and the running headers and footers that repeat from page to page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from policyqa.ingest.furniture import is_page_number
from policyqa.text import normalize

#: a gutter is a vertical band no body word crosses; each side must hold this share of the words
COLUMN_SHARE = 0.25
#: lines this far from the top or bottom of a page (in lines) may be running headers or footers
EDGE_LINES = 2
#: a header/footer repeats on at least this share of the pages (and on three pages at least)
REPEAT_SHARE = 0.5
#: a line set this much larger than the body text is a title or heading
HEADING_SIZE = 1.2


@dataclass(frozen=True)
class Line:
    text: str
    row: bool = False  # a table row: a block of its own
    table_start: bool = False  # the first line of a table
    size: float = 0.0  # the font size most of its characters have
    gap: bool = False  # a column change or a wide vertical space before it: a paragraph cannot go on across


def _line(ln: dict) -> Line:
    sizes = Counter(round(float(c.get("size", 0)), 1) for c in ln.get("chars", ()))
    return Line(ln["text"], size=sizes.most_common(1)[0][0] if sizes else 0.0)


@dataclass(frozen=True)
class _Item:
    top: float
    lines: tuple[Line, ...]
    col: int | None  # 0 left, 1 right, None across the page (or a one-column page)
    bottom: float = 0.0


def page_lines(page, header: list[str] | None) -> tuple[list[Line], list[str] | None]:
    """Lines of `page` in reading order; `header` is the last table header of the previous page (a table
    continued on this page repeats no header). Returns the lines and the last table header seen."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    body = page.filter(outside) if boxes else page
    words = body.extract_words()
    gutter = _gutter(words, float(page.width))
    items: list[_Item] = []
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        x0, top, x1, bottom = table.bbox
        first = not items and top < 0.2 * float(page.height)
        rows, header = _table_lines(table.extract(), header if first else None)
        if rows:
            col = None if gutter is None or x0 < gutter < x1 else int(x0 >= gutter)
            items.append(_Item(top, tuple(rows), col, bottom))
    if gutter is None:
        items += [_Item(ln["top"], (_line(ln),), None, ln["bottom"]) for ln in body.extract_text_lines()]
    else:
        items += _column_items(body, words, gutter)
    return _mark_gaps(_reading_order(items)), header


def _mark_gaps(items: list[_Item]) -> list[Line]:
    """Flatten to lines; a line after a column change, or after more space than the usual line pitch, starts
    afresh (the cleaner joins wrapped lines only within a run)."""
    pitches = sorted(b.top - a.top for a, b in zip(items, items[1:]) if a.col == b.col and 0 < b.top - a.top)
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    out: list[Line] = []
    for k, item in enumerate(items):
        prev = items[k - 1] if k else None
        gap = prev is not None and (prev.col != item.col or item.top < prev.top
                                    or (pitch > 0 and item.top - prev.top > 1.6 * pitch
                                        and item.top - prev.bottom > 0.6 * pitch))
        for j, line in enumerate(item.lines):
            out.append(replace(line, gap=True) if j == 0 and gap else line)
    return out


def _gutter(words: list[dict], width: float) -> float | None:
    """The x of an empty vertical band in the middle third that splits the words into two columns."""
    if len(words) < 20:
        return None
    best = None
    for step in range(int(width * 0.35), int(width * 0.65), 2):
        x = float(step)
        crossing = sum(1 for w in words if w["x0"] < x < w["x1"])
        left = sum(1 for w in words if w["x1"] <= x)
        right = len(words) - crossing - left
        if crossing <= 0.05 * len(words) and min(left, right) >= COLUMN_SHARE * len(words):
            if best is None or crossing < best[0]:
                best = (crossing, x)
    return best[1] if best else None


def _column_items(body, words: list[dict], gutter: float) -> list[_Item]:
    """Lines of a two-column page: full-width lines (titles) where words cross the gutter, else per column."""
    bands: list[list[float]] = []
    for w in sorted((w for w in words if w["x0"] < gutter < w["x1"]), key=lambda w: w["top"]):
        if bands and w["top"] <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], w["bottom"])
        else:
            bands.append([w["top"], w["bottom"]])

    def in_band(ln: dict) -> bool:
        mid = (ln["top"] + ln["bottom"]) / 2
        return any(top - 1 <= mid <= bottom + 1 for top, bottom in bands)

    items: list[_Item] = []
    width, height = float(body.width), float(body.height)
    for top, bottom in bands:
        crop = body.crop((0, max(0.0, top - 1), width, min(height, bottom + 1)))
        items += [_Item(ln["top"], (_line(ln),), None, ln["bottom"]) for ln in crop.extract_text_lines()]
    for col, box in enumerate(((0, 0, gutter, height), (gutter, 0, width, height))):
        items += [_Item(ln["top"], (_line(ln),), col, ln["bottom"]) for ln in body.crop(box).extract_text_lines()
                  if not in_band(ln)]
    return items


def _reading_order(items: list[_Item]) -> list[_Item]:
    """Full-width items in order of height; between two of them, the left column, then the right."""
    spanning = sorted(i.top for i in items if i.col is None)

    def key(item: _Item) -> tuple[int, int, float]:
        if item.col is None:
            return (2 * spanning.index(item.top) + 1, 0, item.top)
        zone = sum(1 for top in spanning if top <= item.top)
        return (2 * zone, item.col, item.top)

    return sorted(items, key=key)


def _cell(value) -> str:
    return re.sub(r"\s*\n\s*", "", str(value)).strip() if value is not None else ""


def _table_lines(table: list[list], header: list[str] | None) -> tuple[list[Line], list[str] | None]:
    """A table as lines: each data row "列名：值；列名：值" so a question about one cell finds its row; a row with
    one filled cell (a group title inside the table) stays a plain line."""
    rows = [[_cell(c) for c in row] for row in table]
    rows = [r for r in rows if any(r)]
    if not rows:
        return [], header
    if max(len(r) for r in rows) < 2 or len(rows) < 2:
        return [Line("；".join(c for c in r if c), row=True, table_start=k == 0) for k, r in enumerate(rows)], header
    if header is None or len(header) != len(rows[0]) or rows[0] == header:
        header, rows = _carry(rows[0]), rows[1:]
    out: list[Line] = []
    for r in rows:
        filled = [c for c in r if c]
        if len(filled) == 1:
            out.append(Line(filled[0], row=True, table_start=not out))
            continue
        cells = [cell_text(h, v) for h, v in zip(header, r) if v]
        out.append(Line("；".join(cells), row=True, table_start=not out))
    return out, header


_UNIT_HEADER = re.compile(r"^(.+?)\s*[（(]\s*([^\d（）()]{1,6})\s*[)）]$")
_NUMERIC = re.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?$")


def cell_text(header: str, value: str) -> str:
    """'列名：值'; a number under '总投资（万元）' reads '总投资：18500万元' so the number carries its unit."""
    if not header or header == value:
        return value
    m = _UNIT_HEADER.match(header)
    if m and _NUMERIC.match(value):
        return f"{m.group(1)}：{value}{m.group(2)}"
    return f"{header}：{value}"


def _carry(row: list[str]) -> list[str]:
    """Header cells left empty by a merged cell take the text of their left neighbour."""
    out: list[str] = []
    for cell in row:
        out.append(cell or (out[-1] if out else ""))
    return out


def drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop page numbers and the headers/footers repeated near the top or bottom of many pages."""
    def edges(lines: list[Line]) -> list[int]:
        idx = [k for k, ln in enumerate(lines) if ln.text.strip() and not ln.row]
        return sorted(set(idx[:EDGE_LINES] + idx[-EDGE_LINES:]))

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", normalize(text))

    counts = Counter(k for lines in pages for k in {key(lines[i].text) for i in edges(lines)})
    bar = max(3, REPEAT_SHARE * len(pages))
    out = []
    for lines in pages:
        drop = {i for i in edges(lines)
                if is_page_number(lines[i].text) or (len(pages) >= 3 and counts[key(lines[i].text)] >= bar)}
        out.append([ln for k, ln in enumerate(lines) if k not in drop])
    return out


@dataclass(frozen=True)
class Assembled:
    """The lines of all pages as a loader returns them."""

    lines: list[str]
    page_starts: tuple[int, ...]
    rows: frozenset[int]  # table rows
    headings: frozenset[int]  # lines set larger than the body text


def assemble(pages: list[list[Line]]) -> Assembled:
    """Text lines of all pages: a blank line between pages and before a gap (the cleaner decides whether a
    sentence goes on across it), the line where each page starts, table rows and headings by font size."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            if not line.row and line.size:
                sizes[line.size] += len(line.text.strip())
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    lines: list[str] = []
    starts: list[int] = []
    rows: set[int] = set()
    headings: set[int] = set()
    for page in pages:
        if lines:
            lines.append("")
        starts.append(len(lines))
        for k, line in enumerate(page):
            if line.gap and k:
                lines.append("")
            if line.row:
                rows.add(len(lines))
            elif body and line.size >= HEADING_SIZE * body and len(line.text.strip()) <= 60:
                headings.add(len(lines))
            lines.append(line.text)
    return Assembled(lines, tuple(starts), frozenset(rows), frozenset(headings))
