"""OCR of scanned PDF pages: pypdfium2 renders a page, RapidOCR reads it.

RapidOCR (`rapidocr_onnxruntime` 1.4.x) runs PaddleOCR's PP-OCRv4 Chinese detection and recognition models on
ONNX Runtime; the models ship inside the wheel, so nothing is downloaded at run time. Nothing heavy is imported
or loaded when this module is imported: the engine is created on first use and kept for the process.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

logger = logging.getLogger(__name__)

#: shown to the user when a scanned PDF needs OCR and the OCR packages are not installed
REASON_OCR_MISSING = "未安装文字识别（OCR）组件，无法读取扫描件"

#: render resolution: 200 dpi reads 7-14 pt text as well as 300 dpi (lines are recognised as 48-pixel-high crops)
DPI = 200
#: a rendered page is capped at this many pixels on its long side (an oversized page is rendered smaller)
MAX_SIDE = 4000
#: text is detected on the page scaled to this long side (~135 dpi on A4), recognised at the full resolution
DETECT_SIDE = 1600
#: boxes scoring below this are dropped as noise (a stamp's ring reads as "O" at 0.6; printed lines score > 0.9)
MIN_SCORE = 0.7
#: a box joins a line when their vertical overlap is at least this share of the shorter of the two
SAME_LINE_OVERLAP = 0.5
#: a horizontal gap wider than this many line heights between two boxes of a line is kept as a space
WIDE_GAP = 1.0


@dataclass(frozen=True)
class Box:
    """One recognised text box, axis-aligned, in page pixels."""

    text: str
    score: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@functools.cache
def ocr_available() -> bool:
    """True when the OCR engine and the PDF renderer can be imported (no model is loaded)."""
    try:
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: a missing system library such as libGL
        logger.info("OCR unavailable: %s", exc)
        return False
    return True


class PageOCR:
    """Renders PDF pages and reads them with one lazily created RapidOCR engine."""

    def __init__(self, dpi: int = DPI, min_score: float = MIN_SCORE, detect_side: int = DETECT_SIDE) -> None:
        self.dpi = dpi
        self.min_score = min_score
        self.detect_side = detect_side
        self._engine: Any = None

    @classmethod
    @functools.cache
    def shared(cls) -> PageOCR:
        """The process-wide instance, so the models are loaded once."""
        return cls()

    @property
    def engine(self) -> Any:
        """The RapidOCR engine, created (models loaded) on first use."""
        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR
            from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

            started = time.perf_counter()
            # max_side_len: RapidOCR would otherwise shrink the whole image to 2000 px, crops included.
            # use_cls=False: the 0/180-degree line classifier flips long upright lines, which then read as nothing.
            engine = RapidOCR(max_side_len=MAX_SIDE, text_score=self.min_score, use_cls=False)
            # detection cost grows with pixels and gains nothing past ~135 dpi; RapidOCR has no setting for this
            det = engine.text_det
            det.get_preprocess = lambda _longest: DetPreProcess(self.detect_side, "max", det.mean, det.std)
            self._engine = engine
            logger.info("OCR engine loaded in %.1fs", time.perf_counter() - started)
        return self._engine

    def read_pdf(self, raw: bytes, pages: Sequence[int],
                 progress: Callable[[int, int], None] | None = None) -> dict[int, list[str]]:
        """Lines of text of the given 0-based pages of the PDF `raw`; `progress(done, total)` after each page."""
        import pypdfium2

        result: dict[int, list[str]] = {}
        pdf = pypdfium2.PdfDocument(raw)
        try:
            for done, index in enumerate(pages, 1):
                started = time.perf_counter()
                result[index] = self.read_image(self._render(pdf[index]))
                logger.debug("OCR page %d: %d lines in %.1fs", index, len(result[index]),
                             time.perf_counter() - started)
                if progress is not None:
                    progress(done, len(pages))
        finally:
            pdf.close()
        return result

    def read_image(self, image: np.ndarray | Image.Image) -> list[str]:
        """Lines of text of one page image (a numpy array, grey or BGR, or a PIL image) in reading order."""
        found, _ = self.engine(image)
        boxes = []
        for quad, text, score in found or ():
            text = text.strip()
            if float(score) < self.min_score or not any(ch.isalnum() for ch in text):
                continue
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            boxes.append(Box(text, float(score), min(xs), min(ys), max(xs), max(ys)))
        return boxes_to_lines(boxes)

    def _render(self, page: Any) -> np.ndarray:
        """The page as a greyscale numpy array at `dpi`, capped at `MAX_SIDE` pixels."""
        width, height = page.get_size()
        scale = min(self.dpi / 72, MAX_SIDE / max(width, height, 1))
        try:
            return page.render(scale=scale, grayscale=True).to_numpy()
        finally:
            page.close()


def ocr_pdf_pages(raw: bytes, pages: list[int],
                  progress: Callable[[int, int], None] | None = None) -> dict[int, list[str]]:
    """OCR the given 0-based pages of the PDF `raw`: for each page its text lines, top to bottom."""
    return PageOCR.shared().read_pdf(raw, pages, progress)


def boxes_to_lines(boxes: Sequence[Box]) -> list[str]:
    """Text lines in reading order: boxes grouped into lines top to bottom, each line's boxes left to right."""
    return [_join(line) for line in _group(boxes)]


def _group(boxes: Sequence[Box]) -> list[list[Box]]:
    """Boxes grouped into lines, top to bottom, each line's boxes left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if lines:
            last = lines[-1]
            top, bottom = min(b.top for b in last), max(b.bottom for b in last)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= SAME_LINE_OVERLAP * min(box.height, bottom - top):
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _join(line: Sequence[Box]) -> str:
    """One line's boxes as text: CJK runs joined directly, other words and wide gaps by one space."""
    text = line[0].text
    for prev, box in itertools.pairwise(line):
        gap = box.left - prev.right
        wide = gap > WIDE_GAP * max(prev.height, box.height)
        text += " " if wide or not (_is_wide(text[-1]) or _is_wide(box.text[0])) else ""
        text += box.text
    return text


def _is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation, which are written without spaces between them."""
    return unicodedata.east_asian_width(ch) in ("W", "F")
