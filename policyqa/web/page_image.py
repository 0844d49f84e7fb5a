"""The original page of a cited PDF paragraph, rendered (pypdfium2) with the quoted sentence highlighted."""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)

#: rendering scale (1 = 72 dpi): legible in the viewer column without a heavy image
SCALE = 1.4
#: the quote is looked up in pieces this long (a piece may not cross a line break of the page)
PIECE = 10


def page_image(path: Path, page: int, quote: str = "") -> str:
    """A data: URI of page `page` (1-based) of the PDF at `path` with `quote` marked; '' when it cannot be
    shown (not a PDF, file gone, page out of range)."""
    path = Path(path)
    if page < 1 or path.suffix.lower() != ".pdf" or not path.is_file():
        return ""
    try:
        import pypdfium2 as pdfium
        from PIL import Image, ImageDraw

        pdf = pdfium.PdfDocument(str(path))
        try:
            if page > len(pdf):
                return ""
            image = pdf[page - 1].render(scale=SCALE).to_pil().convert("RGB")
        finally:
            pdf.close()
        boxes = _quote_boxes(path, page, quote)
        if boxes:
            overlay = image.copy()
            draw = ImageDraw.Draw(overlay)
            for x0, top, x1, bottom in boxes:
                draw.rectangle([x0 * SCALE - 1, top * SCALE - 1, x1 * SCALE + 1, bottom * SCALE + 1],
                               fill=(255, 214, 0))
            image = Image.blend(image, overlay, 0.35)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    except Exception as exc:  # a page that cannot be rendered leaves the text view
        log.warning("cannot render page %d of %s: %s", page, path, exc)
        return ""


def _quote_boxes(path: Path, page: int, quote: str) -> list[tuple[float, float, float, float]]:
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
