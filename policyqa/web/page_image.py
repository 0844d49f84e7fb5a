"""The original page of a cited paragraph, rendered with the quoted sentence highlighted: PDF pages by pypdfium2,
OFD pages drawn from their layout (`ofd_page`)."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

#: rendering scale (1 = 72 dpi): legible in the viewer column without a heavy image
SCALE = 1.4
#: the quote is looked up in pieces this long (a piece may not cross a line break of the page)
PIECE = 10
#: the highlight, blended over the page at this opacity so the text stays readable
MARK = (255, 214, 0)
MARK_OPACITY = 0.35

Box = tuple[float, float, float, float]


def page_image(path: Path, page: int, quote: str = "") -> str:
    """A data: URI of page `page` (1-based) of the PDF or OFD file at `path` with `quote` marked; '' when it
    cannot be shown (another format, file gone, page out of range, broken file, no CJK font for an OFD)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if page < 1 or suffix not in (".pdf", ".ofd") or not path.is_file():
        return ""
    try:
        from PIL import Image as PILImage, ImageDraw

        if suffix == ".pdf":
            rendered = _pdf_page(path, page, quote)
        else:
            from policyqa.web.ofd_page import render

            rendered = render(path.read_bytes(), page, quote)
        if rendered is None:
            return ""
        image, boxes = rendered
        if boxes:
            overlay = image.copy()
            draw = ImageDraw.Draw(overlay)
            for x0, top, x1, bottom in boxes:
                draw.rectangle([x0 - 1, top - 1, x1 + 1, bottom + 1], fill=MARK)
            image = PILImage.blend(image, overlay, MARK_OPACITY)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    except Exception as exc:  # a page that cannot be rendered leaves the text view
        log.warning("cannot render page %d of %s: %s", page, path, exc)
        return ""


def _pdf_page(path: Path, page: int, quote: str) -> tuple[Image, list[Box]] | None:
    """The PDF page as an RGB image and the quote's character boxes in its pixels; None past the last page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        if page > len(pdf):
            return None
        image = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        pdf.close()
    return image, [tuple(v * SCALE for v in box) for box in _quote_boxes(path, page, quote)]


def _quote_boxes(path: Path, page: int, quote: str) -> list[Box]:
    """Character boxes (PDF points, top-left origin) of the quote's pieces found on the page."""
    text = "".join(quote.split())
    if not text:
        return []
    import pdfplumber

    boxes = []
    with pdfplumber.open(str(path)) as pdf:
        p = pdf.pages[page - 1]
        for i in range(0, len(text), PIECE):
            piece = text[i:i + PIECE]
            if len(piece) < 2:
                continue
            pattern = r"\s*".join(map(re.escape, piece))
            boxes += [(c["x0"], c["top"], c["x1"], c["bottom"]) for m in p.search(pattern, regex=True)
                      for c in m.get("chars", ())]
    return boxes
