"""Spreadsheets: .xlsx with openpyxl (read-only, cached values), .xls through LibreOffice to .xlsx.

Each visible sheet becomes, in order:
  * a heading line with the sheet name (when the workbook has several sheets or the name is not a default
    like "Sheet1");
  * the rows above the header (a merged title row, "附件1" …): single-cell rows as heading lines;
  * each data row as ONE block line "列名：值；列名：值；…" named by the header row (the first row with at
    least two text cells that is about as wide as the table; a two-row header under merged cells is
    combined as "上-下"). Vertically merged cells repeat their value in every row they span.
Empty rows and columns are dropped, numbers lose a spurious ".0", percentages keep "%", dates are
yyyy-mm-dd. The work is bounded: `MAX_SHEET_ROWS` data rows per sheet, `MAX_COLUMNS` columns, and a
zip-bomb guard on the declared uncompressed size.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from policyqa.errors import SkipFile
from policyqa.ingest.loaders import office
from policyqa.ingest.loaders.base import REASON_EMPTY, Extracted

logger = logging.getLogger(__name__)

MAX_SHEET_ROWS = 5000  # data rows kept per sheet
MAX_SCAN_ROWS = 50_000  # rows read per sheet, empty ones included
MAX_COLUMNS = 256
MAX_SHEETS = 100
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # sum of the declared sizes of the zip members
MAX_XLSX_MEMBERS = 10_000
MAX_MERGES = 20_000
HEADER_SEARCH_ROWS = 50  # the header row must be among the first non-empty rows

REASON_XLSX_CORRUPT = "文件已损坏或不是有效的 Excel（.xlsx）表格"
REASON_XLS_CORRUPT = "文件已损坏或不是有效的 Excel（.xls）表格"
REASON_SHEET_TOO_LARGE = f"表格解压后超过 {MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB（可能是异常文件），已跳过"
REASON_XLS_CONVERTER_MISSING = "未安装 LibreOffice，无法读取 .xls 文件（请安装 libreoffice-calc-nogui 或另存为 .xlsx）"
REASON_PASSWORD = office.REASON_PASSWORD
NOTE_TRUNCATED = "工作表“{sheet}”超过 {limit} 行，只读取了前 {limit} 行"

_DEFAULT_SHEET = re.compile(r"(?i)^\s*(sheet|工作表|表|页|feuil|hoja|tabelle|blatt|foglio|planilha|лист)\s*\d*\s*$"
                            r"|^\s*\d+\s*$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA", "#SPILL!",
           "#CALC!"}
_HTML = re.compile(rb"\s*(\xef\xbb\xbf)?\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table)\b",
                   re.I | re.S)
_NOTE = re.compile(r"^(注|备注|说明|附注|填表说明|资料来源|数据来源)")


def load_sheet(raw: bytes, limit: int | None = None) -> Extracted:
    """An .xlsx workbook (an .xls under the .xlsx name is converted, an encrypted one refused). `limit`: the
    bytes the zip may expand to (default `MAX_XLSX_UNCOMPRESSED`)."""
    if not raw.strip():
        raise SkipFile(REASON_EMPTY)
    if raw.startswith(office.OLE_MAGIC):
        names = office.ole_stream_names(raw) or set()
        if "encryptedpackage" in names or "encryptioninfo" in names:
            raise SkipFile(REASON_PASSWORD)
        return load_xls(raw)
    if not raw.startswith(b"PK"):
        raise SkipFile(REASON_XLSX_CORRUPT)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SkipFile(REASON_XLSX_CORRUPT) from exc
    bound = MAX_XLSX_UNCOMPRESSED if limit is None else min(limit, MAX_XLSX_UNCOMPRESSED)
    if len(infos) > MAX_XLSX_MEMBERS or sum(i.file_size for i in infos) > bound:
        zf.close()
        raise SkipFile(REASON_SHEET_TOO_LARGE if limit is None else REASON_SHEET_TOO_LARGE.replace(
            f"{MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB", f"{bound // (1024 * 1024)} MB"))
    try:
        return _load_workbook(raw, zf)
    except SkipFile:
        raise
    except Exception as exc:  # openpyxl raises zip, XML, KeyError, ValueError, TypeError on broken files
        logger.info("cannot open xlsx: %s", exc)
        raise SkipFile(REASON_XLSX_CORRUPT) from exc
    finally:
        zf.close()


def load_xls(raw: bytes) -> Extracted:
    """An Excel 97–2003 .xls workbook: converted to .xlsx by LibreOffice, then read as one.

    An .xlsx saved under the .xls name is read directly, and an HTML table saved as .xls (what many web
    systems "export to Excel") is imported by LibreOffice Calc's HTML filter.
    """
    if not raw.strip():
        raise SkipFile(REASON_EMPTY)
    if raw.startswith(b"PK\x03\x04"):
        return load_sheet(raw)
    is_ole = raw.startswith(office.OLE_MAGIC)
    html = not is_ole and _HTML.match(raw[:4096]) is not None
    if is_ole and not {"workbook", "book"} & (office.ole_stream_names(raw) or set()):
        raise SkipFile(REASON_XLS_CORRUPT)  # LibreOffice would import the bytes as plain text
    if not is_ole and not html:
        raise SkipFile(REASON_XLS_CORRUPT)
    if not office.converter_available():
        raise SkipFile(REASON_XLS_CONVERTER_MISSING)
    try:
        converted = office.convert(raw, "xls" if is_ole else "html", "xlsx",
                                   infilter=None if is_ole else "HTML (StarCalc)")
    except SkipFile as exc:
        if exc.reason == office.REASON_CONVERT_FAILED and is_ole and office.ole_encrypted(raw):
            raise SkipFile(REASON_PASSWORD) from exc  # LibreOffice opens only the default-password ones
        raise
    try:
        return load_sheet(converted)
    except SkipFile as exc:
        if exc.reason == REASON_XLSX_CORRUPT:
            raise SkipFile(office.REASON_CONVERT_FAILED) from exc
        raise


# ------------------------------------------------------------------------------------------ workbook

@dataclass
class _Out:
    lines: list[str]
    headings: set[int]
    blocks: set[int]

    def add(self, line: str, *, heading: bool = False, block: bool = False) -> None:
        if heading:
            self.headings.add(len(self.lines))
        if block:
            self.blocks.add(len(self.lines))
        self.lines.append(line)


def _load_workbook(raw: bytes, zf: zipfile.ZipFile) -> Extracted:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        title = (wb.properties.title or "").strip() if wb.properties is not None else ""
        sheets = []
        for ws in wb.worksheets[:MAX_SHEETS]:
            if getattr(ws, "sheet_state", "visible") != "visible" or not hasattr(ws, "reset_dimensions"):
                continue
            ws.reset_dimensions()  # some writers declare a wrong size; read what is there
            grid, kinds, truncated_scan = _read_grid(ws)
            if not grid:
                continue
            merges = _merges(zf, getattr(ws, "_worksheet_path", None))
            sheets.append((ws.title, grid, kinds, merges, truncated_scan))
    finally:
        wb.close()

    out = _Out([], set(), set())
    tables = 0
    notes: list[str] = []
    for name, grid, kinds, merges, truncated_scan in sheets:
        name = (name or "").strip()
        if name and (len(sheets) > 1 or not _DEFAULT_SHEET.match(name)):
            out.add(name, heading=True)
        rows, truncated = _sheet_lines(grid, kinds, merges, out, skip_title=name)
        tables += rows > 0
        if truncated or truncated_scan:
            notes.append(NOTE_TRUNCATED.format(sheet=name, limit=MAX_SHEET_ROWS))
            logger.warning("sheet %s truncated to %d rows", name, MAX_SHEET_ROWS)
    meta = {"truncated": "；".join(notes)} if notes else {}
    return Extracted("\n".join(out.lines), title=title if _CJK.search(title) else None,
                     heading_lines=frozenset(out.headings), block_lines=frozenset(out.blocks), tables=tables,
                     meta=meta)


def _read_grid(ws) -> tuple[dict[int, list[str]], dict[int, list[bool]], bool]:
    """Non-empty rows by 1-based row number: cell texts and whether each cell was text (not a number)."""
    grid: dict[int, list[str]] = {}
    kinds: dict[int, list[bool]] = {}
    truncated = False
    for number, row in enumerate(ws.iter_rows(), start=1):
        if number > MAX_SCAN_ROWS or len(grid) > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS:
            truncated = True
            break
        texts, is_text = [], []
        for cell in row[:MAX_COLUMNS]:
            value = getattr(cell, "value", None)
            texts.append(_cell_text(value, getattr(cell, "number_format", None)))
            is_text.append(isinstance(value, str))
        while texts and not texts[-1]:
            texts.pop()
            is_text.pop()
        if texts:
            grid[number] = texts
            kinds[number] = is_text
    return grid, kinds, truncated


def _sheet_lines(grid, kinds, merges, out: _Out, skip_title: str) -> tuple[int, bool]:
    """Append one sheet's lines to `out`; returns (data rows written, truncated)."""
    numbers = sorted(grid)
    width = max(sum(1 for t in grid[n] if t) for n in numbers[:HEADER_SEARCH_ROWS])
    need = max(2, math.ceil(width / 2))
    header = next((n for n in numbers[:HEADER_SEARCH_ROWS]
                   if sum(1 for t, k in zip(grid[n], kinds[n]) if t and k) >= 2
                   and sum(1 for t in grid[n] if t) >= need), None)

    if header is None:  # no header: every row as its cells
        written = 0
        for n in numbers:
            if written >= MAX_SHEET_ROWS:
                return written, True
            cells = [t for t in grid[n] if t]
            out.add(" | ".join(cells), block=True)
            written += 1
        return written, False

    for n in numbers:  # rows above the header: titles and notes
        if n >= header:
            break
        cells = [t for t in grid[n] if t]
        if len(cells) == 1:
            if cells[0] != skip_title:
                out.add(cells[0], heading=True)
        else:
            out.add(" ".join(cells), block=True)

    second = _second_header(grid, kinds, merges, header)
    header_rows = {header} | ({second} if second else set())
    filled = _fill_merges(grid, merges, header_rows, header)
    names = _column_names(filled, header, second)
    header_texts = [t for t in names if t]

    written = 0
    for n in numbers:
        if n <= (second or header):
            continue
        if written >= MAX_SHEET_ROWS:
            return written, True
        cells = filled.get(n, [])
        present = [(c, t) for c, t in enumerate(cells) if t]
        if not present:
            continue
        if [t for _, t in present] == header_texts:
            continue  # the header repeated (printed pages)
        own = [t for t in grid.get(n, []) if t]
        if len(own) == 1 and len(present) == 1 and _spans_columns(merges, n, present[0][0] + 1):
            text = own[0]  # a merged row across the table: a group label or a note
            out.add(text, heading=len(text) <= 30 and not _NOTE.match(text), block=True)
            continue
        pairs = [f"{names[c] if c < len(names) and names[c] else f'第{c + 1}列'}：{t}" for c, t in present]
        out.add("；".join(pairs), block=True)
        written += 1
    return written, False


def _second_header(grid, kinds, merges, header: int) -> int | None:
    """The row under the header when the header has merged cells over sub-headings."""
    below = header + 1
    if below not in grid:
        return None
    row = grid[below]
    text_cells = [c for c, (t, k) in enumerate(zip(row, kinds[below])) if t and k]
    if not text_cells or any(t and not k for t, k in zip(row, kinds[below])):
        return None  # numbers under the header: that is data
    for r1, c1, r2, c2 in merges:
        if r1 != header:
            continue
        if r2 >= below:  # a header cell merged down over two rows
            return below
        if c2 > c1 and all(c - 1 < len(row) and row[c - 1] for c in range(c1, c2 + 1)):
            return below  # a header cell merged across the sub-headings under it
    return None


def _fill_merges(grid, merges, header_rows: set[int], header: int) -> dict[int, list[str]]:
    """Rows with merged values repeated: across and down in the header, down the first column below it."""
    filled = {n: list(cells) for n, cells in grid.items()}
    last = max(grid)
    for r1, c1, r2, c2 in merges:
        top = grid.get(r1, [])
        value = top[c1 - 1] if c1 - 1 < len(top) else ""
        if not value or r1 < header:
            continue
        for r in range(r1, min(r2, last) + 1):
            for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                if (r, c) == (r1, c1) or not (r in header_rows or c == c1):
                    continue
                row = filled.setdefault(r, [])
                if len(row) < c:
                    row.extend([""] * (c - len(row)))
                if not row[c - 1]:
                    row[c - 1] = value
    return filled


def _column_names(filled, header: int, second: int | None) -> list[str]:
    top = filled.get(header, [])
    if second is None:
        return list(top)
    bottom = filled.get(second, [])
    names = []
    for c in range(max(len(top), len(bottom))):
        a = top[c] if c < len(top) else ""
        b = bottom[c] if c < len(bottom) else ""
        names.append(a if not b or a == b else b if not a else f"{a}-{b}")
    return names


def _spans_columns(merges, row: int, col: int) -> bool:
    return any(r1 == row and c1 == col and c2 > c1 for r1, c1, r2, c2 in merges)


# ------------------------------------------------------------------------------------------ merges

_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref="([A-Za-z]{1,3}[0-9]{1,7})'
                    rb'(?::([A-Za-z]{1,3}[0-9]{1,7}))?"')
_COORD = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")


def _merges(zf: zipfile.ZipFile, path: str | None) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min_row, min_col, max_row, max_col) of a sheet, read straight from its XML.

    openpyxl's read-only mode does not report merged cells; the <mergeCell ref="A1:D1"/> elements are
    found by streaming the member (they come after the cell data).
    """
    if not path:
        return []
    merges: list[tuple[int, int, int, int]] = []
    try:
        with zf.open(path.lstrip("/")) as member:
            tail = b""
            while len(merges) < MAX_MERGES:
                chunk = member.read(1 << 20)
                if not chunk:
                    break
                data = tail + chunk
                end = 0
                for match in _MERGE.finditer(data):
                    a = _coord(match.group(1))
                    b = _coord(match.group(2) or match.group(1))
                    merges.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
                    end = match.end()
                tail = data[max(end, len(data) - 200):]
    except (KeyError, OSError, zipfile.BadZipFile, ValueError) as exc:
        logger.debug("cannot read merged cells of %s: %s", path, exc)
        return []
    return merges[:MAX_MERGES]


def _coord(ref: bytes) -> tuple[int, int]:
    letters, digits = _COORD.fullmatch(ref).groups()
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return int(digits), col


# ------------------------------------------------------------------------------------------- values

def _cell_text(value, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        if number_format and "%" in number_format.replace('"%"', "").replace("\\%", ""):
            return _number(value * 100) + "%"
        return _number(value)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    text = _one_line(str(value))
    return "" if text in _ERRORS else text


def _number(value: int | float) -> str:
    """3000.0 → "3000", 0.1 + 0.2 → "0.3", 1e-7 → "0.0000001" (no exponent, no spurious digits)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    try:
        text = format(Decimal(repr(round(value, 10))).normalize(), "f")
    except (InvalidOperation, ValueError):
        return repr(value)
    return "0" if text in ("-0", "") else text


def _one_line(text: str) -> str:
    """A cell's text on one line: line breaks joined (no space between Chinese characters)."""
    pieces = [" ".join(piece.split()) for piece in text.replace("_x000D_", "").splitlines()]
    out = ""
    for piece in (p for p in pieces if p):
        if out and (out[-1].isascii() or piece[0].isascii()):
            out += " "
        out += piece
    return out
