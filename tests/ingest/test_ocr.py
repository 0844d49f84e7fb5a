"""OCR of scanned pages: a notice drawn with Pillow into an image-only PDF must be read back nearly verbatim."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Sequence

import pypdfium2
import pytest
from PIL import Image, ImageDraw, ImageFont

from policyqa.ingest.loaders.ocr import Box, PageOCR, boxes_to_lines, ocr_available, ocr_pdf_pages

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DPI = 300  # of the page images inside the PDF, as a scanner makes them
TITLE = "关于加强城市更新专项资金管理的通知"
BODY = [
    "各区人民政府，市政府各部门：",
    "为规范城市更新项目资金使用，提高财政资金绩效，经市政府同意，现就有关事项通知如下。",
    "一、2025年市级财政安排城市更新专项资金3.5亿元，重点支持老旧小区改造、地下管网更新和街区环境整治，"
    "单个项目补助比例不超过总投资的30%。",
    "二、申报单位应于2025年4月30日前通过市政务服务平台提交申请材料，逾期不予受理。项目实施期限一般不超过24个月。",
    "三、市财政局会同市住房城乡建设局每半年开展一次绩效评价，评价结果作为下一年度资金分配的重要依据。"
    "对虚报冒领、截留挪用资金的，依法依规追究责任。",
    "本通知自2025年3月1日起施行，有效期5年。",
]
#: drawn on one line with a wide gap, so the engine finds two boxes that must come back as one line
CONTACT = ("联系人：王明", "联系电话：0571-87654321")
ANNEX = "附件：2025年城市更新项目申报表"


def _page(lines: Sequence[tuple[str, float]], contact: bool = False) -> Image.Image:
    """An A4 page at `DPI` with each (text, points) line wrapped between 1-inch margins."""
    width, height = round(8.27 * DPI), round(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = DPI
    for text, points in lines:
        font = ImageFont.truetype(FONT, round(points * DPI / 72))
        row = ""
        for ch in text + "\n":
            if ch == "\n" or font.getlength(row + ch) > width - 2 * DPI:
                draw.text((DPI, y), row, font=font, fill=0)
                y += round(font.size * 1.6)
                row = ""
            if ch != "\n":
                row += ch
    if contact:
        font = ImageFont.truetype(FONT, round(12 * DPI / 72))
        draw.text((DPI, y), CONTACT[0], font=font, fill=0)
        draw.text((DPI + 3 * DPI, y), CONTACT[1], font=font, fill=0)
    return image


@pytest.fixture(scope="module")
def scanned_pdf() -> bytes:
    first = _page([(TITLE, 16)] + [(p, 12) for p in BODY], contact=True)
    second = _page([(ANNEX, 14)])
    buf = io.BytesIO()
    first.save(buf, "PDF", resolution=DPI, save_all=True, append_images=[second])
    raw = buf.getvalue()
    pdf = pypdfium2.PdfDocument(raw)
    assert len(pdf) == 2 and all(not page.get_textpage().get_text_range().strip() for page in pdf)  # no text layer
    pdf.close()
    return raw


@pytest.fixture(scope="module")
def ocr_result(scanned_pdf):
    calls: list[tuple[int, int]] = []
    pages = ocr_pdf_pages(scanned_pdf, [1, 0], progress=lambda done, total: calls.append((done, total)))
    return pages, calls


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _flat(text: str) -> str:
    return "".join(text.split())


def test_ocr_is_installed_and_importing_the_module_loads_nothing_heavy():
    assert ocr_available()
    code = "import sys, policyqa.ingest.loaders.ocr; print(sorted({'cv2', 'onnxruntime'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_scanned_page_is_read_nearly_verbatim(ocr_result):
    pages, _ = ocr_result
    truth = _flat(TITLE + "".join(BODY) + "".join(CONTACT))
    got = _flat("".join(pages[0]))
    assert len(truth) >= 280
    accuracy = 1 - _edit_distance(truth, got) / len(truth)
    assert accuracy >= 0.97, (accuracy, pages[0])
    for needle in ("2025年市级财政安排城市更新专项资金3.5亿元", "单个项目补助比例不超过总投资的30%",
                   "2025年4月30日前", "不超过24个月", "本通知自2025年3月1日起施行，有效期5年。"):
        assert needle in got, (needle, pages[0])


def test_lines_come_in_reading_order_and_boxes_on_one_line_are_merged(ocr_result):
    pages, _ = ocr_result
    lines = pages[0]
    assert lines[0] == TITLE
    assert lines[1] == BODY[0]
    assert lines[-1] == " ".join(CONTACT)  # two boxes far apart on one line: one line, one space
    assert not any(" " in line for line in lines[:-1])  # no spaces between CJK characters


def test_only_the_requested_pages_are_read_with_progress(ocr_result):
    pages, calls = ocr_result
    assert list(pages) == [1, 0]
    assert pages[1] == [ANNEX]
    assert calls == [(1, 2), (2, 2)]


def test_page_of_specks_and_rules_reads_as_no_lines():
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for k in range(400):
        x, y = (k * 7919) % 1650, (k * 104729) % 2330
        draw.ellipse((x, y, x + k % 5, y + k % 5), fill=0)
    draw.line((200, 500, 1450, 500), fill=0, width=3)
    draw.rectangle((300, 900, 1300, 1400), outline=0, width=2)
    draw.ellipse((1100, 1700, 1400, 2000), outline=0, width=8)  # a stamp's ring
    assert PageOCR.shared().read_image(image) == []


def test_line_grouping_and_joining():
    boxes = [
        Box("第二行", 0.99, 100, 160, 220, 200),
        Box("单位：", 0.99, 100, 100, 220, 140),
        Box("PolicyQA", 0.99, 230, 104, 400, 138),   # Latin right after CJK on the same line: no space
        Box("v2", 0.99, 410, 102, 440, 138),         # Latin after Latin: one space
        Box("元", 0.99, 225, 162, 245, 201),         # CJK after CJK: joined
        Box("附注", 0.99, 800, 161, 880, 199),        # a wide gap keeps a space
    ]
    assert boxes_to_lines(boxes) == ["单位：PolicyQA v2", "第二行元 附注"]
