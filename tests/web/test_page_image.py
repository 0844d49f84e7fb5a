"""The viewer's original page: a cited PDF page rendered with the quoted sentence highlighted."""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))
from pdf_fixture import LEFT, build_pdf  # noqa: E402

from policyqa.web.page_image import page_image  # noqa: E402


def _image(uri: str) -> Image.Image:
    assert uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


def _yellow(img: Image.Image) -> int:
    return sum(1 for r, g, b in img.getdata() if r > 240 and g > 220 and b < 200)


def test_cited_page_is_rendered_with_the_quote_marked(tmp_path):
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(build_pdf())
    marked = _image(page_image(pdf, 2, LEFT[0]))
    plain = _image(page_image(pdf, 2))
    assert marked.size == plain.size and marked.width > 500
    assert _yellow(marked) > 2000 and _yellow(plain) == 0
    # the mark sits in the left column, where the quoted paragraph stands
    left = marked.crop((0, 0, marked.width // 2, marked.height))
    assert _yellow(left) == _yellow(marked)


def test_no_page_when_it_cannot_be_shown(tmp_path):
    pdf = tmp_path / "方案.pdf"
    pdf.write_bytes(build_pdf())
    assert page_image(pdf, 9) == "" and page_image(tmp_path / "gone.pdf", 1) == ""
    txt = tmp_path / "a.txt"
    txt.write_text("正文", encoding="utf-8")
    assert page_image(txt, 1) == ""
