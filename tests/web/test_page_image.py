"""The viewer's original page: a cited PDF or OFD page rendered with the quoted sentence highlighted."""

from __future__ import annotations

import base64
import io
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))
import ofd_fixture  # noqa: E402
from pdf_fixture import LEFT, build_pdf  # noqa: E402

from policyqa.web.ofd_page import PX_PER_MM  # noqa: E402
from policyqa.web.page_image import page_image  # noqa: E402


def _image(uri: str) -> Image.Image:
    assert uri.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


def _yellow(img: Image.Image) -> int:
    return sum(1 for r, g, b in img.get_flattened_data() if r > 240 and g > 220 and b < 200)


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


# ---------------------------------------------------------------------------------- OFD

OFD_PAGE_1 = ["关于印发《某市促进中小企业高质量发展若干措施》的通知", "各区人民政府，市政府各部门、各直属机构："]
OFD_PAGE_2 = ["第一条\u3000为进一步优化营商环境，激发市场主体活力，制定本措施。",
              "第二条\u3000对首次认定的专精特新企业给予一次性奖励50万元。",
              "第三条\u3000本措施自印发之日起施行。"]
HEADER = "某市人民政府办公室文件"


def _blue_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def _ofd(tmp_path: Path) -> Path:
    path = tmp_path / "措施.ofd"
    path.write_bytes(ofd_fixture.build_ofd([OFD_PAGE_1, OFD_PAGE_2], template=[HEADER], image=(1, _blue_png())))
    return path


def _band(img: Image.Image, baseline_mm: float) -> Image.Image:
    """The strip of the page image where the line on `baseline_mm` stands (a little room above and below)."""
    top = (baseline_mm - 1.2 * ofd_fixture.SIZE) * PX_PER_MM
    return img.crop((0, round(top), img.width, round((baseline_mm + 0.5 * ofd_fixture.SIZE) * PX_PER_MM)))


def _dark(img: Image.Image) -> int:
    return sum(1 for pixel in img.get_flattened_data() if sum(pixel) < 200)


def test_cited_ofd_page_is_drawn_with_the_quote_marked(tmp_path):
    path = _ofd(tmp_path)
    second = ofd_fixture.TOP + ofd_fixture.PITCH  # baseline of OFD_PAGE_2[1]
    marked = _image(page_image(path, 2, OFD_PAGE_2[1]))
    plain = _image(page_image(path, 2))
    assert marked.size == plain.size and 700 < marked.width < 1000
    assert abs(marked.height / marked.width - 297 / 210) < 0.01
    # the quoted line, and only it, is marked
    assert _yellow(marked) > 5000 and _yellow(plain) == 0
    assert _yellow(_band(marked, second)) == _yellow(marked)
    # text is drawn: the quoted line, the line above it and the template's header on this page too
    for baseline in (second, ofd_fixture.TOP, ofd_fixture.TOP - 2 * ofd_fixture.PITCH):
        assert _dark(_band(plain, baseline)) > 500
    assert _dark(_band(plain, ofd_fixture.TOP + 5 * ofd_fixture.PITCH)) == 0  # below the last line: blank
    # the image object is pasted into its box, and nowhere else is blue
    x, y, w, h = (v * PX_PER_MM for v in ofd_fixture.IMAGE_BOX)
    assert plain.getpixel((round(x + w / 2), round(y + h / 2))) == (0, 0, 255)
    blue = sum(1 for r, g, b in plain.get_flattened_data() if b > 200 and r < 50 and g < 50)
    assert abs(blue - w * h) < 0.1 * w * h


def test_no_ofd_page_when_it_cannot_be_shown(tmp_path):
    path = _ofd(tmp_path)
    assert page_image(path, 3) == "" and page_image(path, 0) == ""
    broken = tmp_path / "坏.ofd"
    broken.write_bytes(path.read_bytes()[:300])
    assert page_image(broken, 1) == ""
    not_ofd = tmp_path / "假.ofd"
    not_ofd.write_bytes(ofd_fixture.zip_package({"OFD.xml": "<Types/>"}))
    assert page_image(not_ofd, 1) == ""
