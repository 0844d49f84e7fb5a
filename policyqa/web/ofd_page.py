"""One page of an OFD file drawn with Pillow from its layout (`page_layout`): images pasted into their boxes, text
in a CJK font on its baselines, and the pixel boxes of a quote's characters for the caller to mark."""

from __future__ import annotations

import functools
import io
import logging
import subprocess
import unicodedata
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

from policyqa.ingest.loaders.ofd import PageImage, PageLayout, page_layout

log = logging.getLogger(__name__)

#: pixels per millimetre: the PDF rendering's scale (1.4 × 72 dpi), so both kinds of page look alike
PX_PER_MM = 1.4 * 72 / 25.4
#: longest side of a drawn page in pixels (a huge declared page is drawn smaller, not refused)
MAX_SIDE = 4000
#: the quote is looked up in pieces this long, as on PDF pages
PIECE = 10
#: a character's box reaches this share of the font size above the baseline, and the rest of it below
ASCENT = 0.88
#: CJK fonts where Debian installs them, tried before asking fontconfig
KNOWN_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc")

Box = tuple[float, float, float, float]


class _Glyph(NamedTuple):
    """One character of a run, in page millimetres."""

    char: str
    x0: float
    x1: float
    y: float
    size: float


def render(raw: bytes, page: int, quote: str = "") -> tuple[Image.Image, list[Box]] | None:
    """Page `page` (1-based) of the OFD file `raw` as an RGB image and the pixel boxes (x0, top, x1, bottom) of
    the quote's characters on it; None when no CJK font is installed. Raises what `page_layout` raises."""
    font_file = cjk_font()
    if not font_file:
        return None
    layout = page_layout(raw, page)
    scale = min(PX_PER_MM, MAX_SIDE / max(layout.width, layout.height))
    image = Image.new("RGB", (max(1, round(layout.width * scale)), max(1, round(layout.height * scale))), "white")
    for picture in layout.images:  # under the text, as backgrounds and seals usually are
        _paste(image, picture, scale)
    draw = ImageDraw.Draw(image)
    glyphs = _glyphs(layout)
    for g in glyphs:
        if not g.char.isspace():
            # centred in its cell: a Latin glyph's own advance rarely is the half em the cell assumes
            draw.text(((g.x0 + g.x1) / 2 * scale, g.y * scale), g.char, fill=(0, 0, 0), anchor="ms",
                      font=_font(font_file, min(max(1, round(g.size * scale)), MAX_SIDE)))
    boxes = [(g.x0 * scale, (g.y - ASCENT * g.size) * scale, g.x1 * scale, (g.y + (1 - ASCENT) * g.size) * scale)
             for g in _find(quote, glyphs)]
    return image, boxes


def _glyphs(layout: PageLayout) -> list[_Glyph]:
    """Every character of the page's runs in reading order, each run's width shared out by glyph advance
    (full for CJK, half for the rest, as the loader measures runs)."""
    glyphs: list[_Glyph] = []
    for run in layout.runs:
        weights = [1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.5 for c in run.text]
        unit = (run.x1 - run.x0) / sum(weights)
        x = run.x0
        for char, weight in zip(run.text, weights):
            glyphs.append(_Glyph(char, x, x + weight * unit, run.y, run.size))
            x += weight * unit
    return glyphs


def _find(quote: str, glyphs: list[_Glyph]) -> list[_Glyph]:
    """The glyphs of every place where a piece of the quote stands on the page, whitespace ignored (so a piece
    may run on from one line to the next)."""
    text = "".join(quote.split())
    visible = [g for g in glyphs if not g.char.isspace()]
    page_text = "".join(g.char for g in visible)
    marked: set[int] = set()
    for i in range(0, len(text), PIECE):
        piece = text[i:i + PIECE]
        if len(piece) < 2:
            continue
        start = page_text.find(piece)
        while start >= 0:
            marked.update(range(start, start + len(piece)))
            start = page_text.find(piece, start + 1)
    return [visible[k] for k in sorted(marked)]


def _paste(page: Image.Image, picture: PageImage, scale: float) -> None:
    """Paste an image object into its box (its transparency kept); one Pillow cannot open is left out."""
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    if size[0] > 2 * page.width or size[1] > 2 * page.height:
        log.info("image box %s is far larger than the page; not drawn", size)
        return
    try:
        with Image.open(io.BytesIO(picture.data), formats=("PNG", "JPEG", "BMP", "TIFF")) as opened:
            image = opened.convert("RGBA").resize(size)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        log.info("cannot draw an image of an OFD page: %s", exc)
        return
    page.paste(image, (round(picture.x * scale), round(picture.y * scale)), image)


@functools.lru_cache(maxsize=32)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@functools.cache
def cjk_font() -> str:
    """The file of a font that draws Chinese, looked up once; '' (and one warning) when there is none."""
    for path in (*KNOWN_FONTS, *_fontconfig_fonts()):
        if _draws_cjk(path):
            log.debug("CJK font for OFD pages: %s", path)
            return path
    log.warning("no CJK font is installed (Debian: fonts-wqy-microhei); OFD pages are shown as text only")
    return ""


def _fontconfig_fonts() -> list[str]:
    """The fonts fontconfig says cover Chinese (fc-match would name a Latin fallback instead)."""
    try:
        done = subprocess.run(["fc-list", ":lang=zh", "-f", "%{file}\n"], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("fc-list failed: %s", exc)
        return []
    return sorted({line.strip() for line in done.stdout.splitlines() if line.strip()})


def _draws_cjk(path: str) -> bool:
    """Whether the font has Chinese glyphs: two different characters drawn alike are both the missing-glyph box."""
    try:
        font = ImageFont.truetype(path, 24)
    except (OSError, ValueError):
        return False
    drawn = []
    for char in "中国":
        image = Image.new("L", (32, 32))
        ImageDraw.Draw(image).text((0, 0), char, font=font, fill=255)
        drawn.append(image.tobytes())
    return drawn[0] != drawn[1]
