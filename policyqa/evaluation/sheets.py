"""Tables for Excel users: CSV as UTF-8 with BOM (Excel on Chinese Windows opens it right), and XLSX sheets."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Sequence


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return Path(path)


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], title: str,
               widths: Sequence[float], as_text: bool = False) -> Path:
    """One sheet with a bold, frozen header row. `as_text` wraps the cells and stores them as text, so that
    ids like 001 do not become numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
        if as_text:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = wrap
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    wb.save(path)
    return Path(path)
