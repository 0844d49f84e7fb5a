"""OCR accuracy and speed: three full A4 pages of known Chinese text (9, 10.5 and 14 pt; the last one blurred
and noisy like a poor scan), drawn with Pillow into an image-only PDF and read back by
`policyqa.ingest.loaders.ocr`. Prints character accuracy, seconds per page (wall clock, and CPU time summed
over both cores) and peak memory.
Targets: accuracy >= 0.97 on every page, <= 20 s per page (a dense page has ~1,800 characters) on 2 cores.

    python bench/ocr.py [--dpi 200] [--detect-side 1600] [--scan-dpi 300]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.ingest.loaders.ocr import DETECT_SIDE, DPI, PageOCR  # noqa: E402

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TARGET_ACCURACY = 0.97
TARGET_SECONDS = 20.0
#: (font size in points, blur radius and noise level of the "scan")
PAGES = [(9.0, 0.0, 0.0), (10.5, 0.0, 0.0), (14.0, 0.8, 12.0)]


def page_text(page: int) -> list[str]:
    """A notice of varied, numbered clauses, long enough to fill any page."""
    areas = ["老旧小区改造", "地下管网更新", "街区环境整治", "公共停车设施", "社区养老服务", "海绵城市建设"]
    units = ["市财政局", "市住房城乡建设局", "市发展改革委", "市自然资源局", "市生态环境局", "各区人民政府"]
    lines = [f"关于做好2025年第{page + 1}批城市更新项目资金申报工作的通知", "各区人民政府，市政府各部门："]
    for i in range(60):
        a, u = areas[(page + i) % len(areas)], units[(page * 5 + i) % len(units)]
        lines.append(f"（{i + 1}）{a}项目由{u}牵头，计划总投资{1.5 + i * 0.7 + page:.1f}亿元，到{2025 + i % 4}年"
                     f"{i % 12 + 1}月底前完成{20 + i * 3}个子项目，补助比例不超过{10 + i % 5 * 5}%，"
                     f"联系电话0571-8{page}{i:02d}6{i % 10}21。")
    return lines


def draw_page(paragraphs: list[str], points: float, blur: float, noise: float, dpi: int) -> tuple[Image.Image, str]:
    """An A4 page image with as many of `paragraphs` as fit, wrapped; returns it with the text drawn."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(points * dpi / 72)
    font = ImageFont.truetype(FONT, size)
    margin, leading = dpi, round(size * 1.6)
    y, drawn = margin, []
    for paragraph in paragraphs:
        rows, row = [], ""
        for ch in paragraph:
            if font.getlength(row + ch) > width - 2 * margin:
                rows.append(row)
                row = ""
            row += ch
        rows.append(row)
        if y + len(rows) * leading > height - margin:
            break
        for row in rows:
            draw.text((margin, y), row, font=font, fill=0)
            y += leading
        drawn.append(paragraph)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(0).normal(0.0, noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image, "".join(drawn)


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def accuracy(truth: str, lines: list[str]) -> float:
    truth, got = "".join(truth.split()), "".join("".join(lines).split())
    return 1 - edit_distance(truth, got) / len(truth)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, default=DPI, help="render resolution for OCR")
    ap.add_argument("--detect-side", type=int, default=DETECT_SIDE, help="long side of the detection image")
    ap.add_argument("--scan-dpi", type=int, default=300, help="resolution of the page images in the PDF")
    args = ap.parse_args()

    images, truths = zip(*(draw_page(page_text(k), *spec, args.scan_dpi) for k, spec in enumerate(PAGES)))
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=args.scan_dpi, save_all=True, append_images=list(images[1:]))
    raw = buf.getvalue()
    print(f"PDF {len(raw) / 1e6:.1f} MB, {len(images)} pages, {sum(map(len, truths))} characters; "
          f"OCR at {args.dpi} dpi, detection at {args.detect_side} px")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ocr = PageOCR(dpi=args.dpi, detect_side=args.detect_side)
    t = time.perf_counter()
    _ = ocr.engine  # load the models
    load_s = time.perf_counter() - t
    ok = True
    for k, (spec, truth) in enumerate(zip(PAGES, truths)):
        t, cpu = time.perf_counter(), time.process_time()
        lines = ocr.read_pdf(raw, [k])[k]
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        acc = accuracy(truth, lines)
        ok &= acc >= TARGET_ACCURACY and seconds <= TARGET_SECONDS
        print(f"page {k + 1}  {spec[0]:>4} pt  {len(truth):>5} chars  {len(lines):>3} lines  "
              f"accuracy {acc:.4f}  {seconds:5.1f} s (CPU {cpu:5.1f} s, {1000 * seconds / len(truth):4.1f} ms/char)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine load {load_s:.1f} s; peak RSS {rss:.0f} MB ({rss - rss_before:+.0f} MB for OCR); targets "
          f"(accuracy >= {TARGET_ACCURACY}, <= {TARGET_SECONDS:.0f} s/page): {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
