"""OFD (GB/T 33190-2016): the text of every page in reading order, read straight from the package's XML.

An OFD file is a zip: `OFD.xml` names the document root (`Document.xml`), which lists the pages in order; each
page's `Content.xml` holds layers of positioned text objects. Text is regrouped into physical lines by baseline
(top to bottom, left to right); the cleaner joins wrapped lines into paragraphs later. Only the standard
library is used (`zipfile`, `xml.etree`): the XML is never fetched from anywhere, DTDs are refused, and the
total size of what is decompressed is bounded. `page_layout` gives what one page shows (size, text runs, images)
for drawing it.
"""

from __future__ import annotations

import io
import logging
import math
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import Extracted, normalize_newlines
from policyqa.ingest.loaders.pdf_layout import Line, assemble, drop_running_lines

logger = logging.getLogger(__name__)

#: most bytes of XML one file may decompress to (declared sizes and actual reads both count)
MAX_XML_BYTES = 200 * 1024 * 1024
#: most members a package may have
MAX_MEMBERS = 50_000
#: deepest nesting of page blocks that is followed
MAX_NESTING = 32

REASON_OFD_CORRUPT = "文件已损坏或不是有效的 OFD 文档"
REASON_OFD_NO_TEXT = "OFD 文档中没有可提取的文字（可能是扫描件），请先进行文字识别（OCR）"
REASON_OFD_TOO_LARGE = (f"OFD 文档解压后内容过大（超过 {MAX_XML_BYTES // 2 ** 20} MB）或包含的文件过多，"
                        "可能是恶意压缩文件，已拒绝读取")

#: runs whose baselines differ by at most this share of the font size are one line
SAME_LINE = 0.5
#: a gap wider than this share of the font size between two Latin words is a space
WORD_GAP = 0.25
#: a gap at least this many font sizes wide is a space whatever the script (table cells, tab stops)
CELL_GAP = 2.0
#: a baseline step this many times the page's usual line pitch starts a new block (a blank line)
PARAGRAPH_GAP = 1.6
#: most ideographic spaces of indentation written before a line
INDENT_MAX = 4
#: the font size assumed when a text object declares none (about 10.5 pt, in millimetres)
DEFAULT_SIZE = 3.7
#: the page size (mm) when neither the page nor the document declares one: A4
A4 = (210.0, 297.0)
#: how the image files that are drawn start: PNG, JPEG, BMP, TIFF (others, e.g. JBIG2, are skipped)
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00*")

_Affine = tuple[float, float, float, float, float, float]
_IDENTITY: _Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Broken(Exception):
    """A part of the package that is missing or unreadable."""


@dataclass(frozen=True)
class Run:
    """Text drawn on one baseline: from x0 to x1 at baseline y, in page millimetres (y grows downwards)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


@dataclass(frozen=True)
class PageImage:
    """An image object: its Boundary on the page (mm, top-left origin) and the bytes of its image file."""

    x: float
    y: float
    width: float
    height: float
    data: bytes


@dataclass(frozen=True)
class PageLayout:
    """What one page shows: its size in millimetres, its text runs in reading order (templates included) and
    its images."""

    width: float
    height: float
    runs: tuple[Run, ...]
    images: tuple[PageImage, ...]


@dataclass
class _Objects:
    """What the layers of a page and its templates hold: text runs, and image objects as (ResourceID, Boundary)."""

    runs: list[Run] = field(default_factory=list)
    images: list[tuple[str, tuple[float, ...]]] = field(default_factory=list)


@dataclass(frozen=True)
class _DocInfo:
    title: str = ""
    author: str = ""
    creation_date: str = ""


def load_ofd(raw: bytes, limit: int | None = None) -> Extracted:
    """Lines of every page in reading order with the line where each page starts; the title and the
    issuing organisation and date that the document information declares. `limit`: the bytes of XML the
    package may expand to (default `MAX_XML_BYTES`)."""
    package = _Package(raw, limit)
    try:
        info, doc_path = _doc_body(package)
        document = package.xml(doc_path)
    except _Broken as exc:
        logger.info("cannot read OFD document: %s", exc)
        raise SkipFile(REASON_OFD_CORRUPT) from exc
    pages = drop_running_lines(_read_pages(package, doc_path, document))
    out = assemble(pages)
    text = normalize_newlines("\n".join(out.lines))
    if len("".join(text.split())) < max(10, 5 * len(pages)):
        raise SkipFile(REASON_OFD_NO_TEXT)
    return Extracted(text, title=_title(info.title), heading_lines=out.headings,
                     page_starts=out.page_starts, meta=_meta(info))


def page_layout(raw: bytes, page: int) -> PageLayout:
    """The layout of page `page` (1-based) as it is drawn, its templates included.

    Raises SkipFile when the package cannot be read and IndexError when it has no such page."""
    package = _Package(raw)
    try:
        _, doc_path = _doc_body(package)
        document = package.xml(doc_path)
        page_els = _children(_child(document, "Pages"), "Page")
        if not 1 <= page <= len(page_els):
            raise IndexError(f"page {page} of {len(page_els)}")
        name = package.resolve(doc_path, page_els[page - 1].get("BaseLoc"))
        content, objects = _page_objects(package, name, _template_locations(package, doc_path, document), None)
        media = _media(package, doc_path, document, name or "", content) if objects.images else {}
    except _Broken as exc:
        logger.info("cannot read page %d of an OFD document: %s", page, exc)
        raise SkipFile(REASON_OFD_CORRUPT) from exc
    width, height = _page_size(content, document)
    runs = tuple(run for line in _group_lines(objects.runs) for run in line)
    return PageLayout(width, height, runs, _images(package, objects.images, media))


# ---------------------------------------------------------------------------------- package


class _Package:
    """Read-only view of the zip's members, with path resolution and the decompression budget."""

    def __init__(self, raw: bytes, limit: int | None = None):
        if not raw.startswith(b"PK"):
            raise SkipFile(REASON_OFD_CORRUPT)
        budget = MAX_XML_BYTES if limit is None else min(limit, MAX_XML_BYTES)
        too_large = REASON_OFD_TOO_LARGE if limit is None else REASON_OFD_TOO_LARGE.replace(
            f"{MAX_XML_BYTES // 2 ** 20} MB", f"{budget // 2 ** 20} MB")
        self._too_large = too_large
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(raw))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            logger.info("not a zip: %s", exc)
            raise SkipFile(REASON_OFD_CORRUPT) from exc
        if len(infos) > MAX_MEMBERS:
            raise SkipFile(too_large)
        if sum(i.file_size for i in infos if i.filename.lower().endswith(".xml")) > budget:
            raise SkipFile(too_large)
        self._members = {_normalize(i.filename): i for i in infos if not i.is_dir()}
        self._folded = {name.casefold(): name for name in self._members}
        self._budget = budget

    def find(self, path: str) -> str | None:
        """The member named `path`, matched without case as a fallback."""
        path = _normalize(path)
        return path if path in self._members else self._folded.get(path.casefold())

    def resolve(self, base: str, location: str | None) -> str | None:
        """The member a location written in member `base` points at.

        Relative locations start at `base`'s folder and absolute ones at the package root; producers get this
        wrong often enough that a relative location is also tried from the root."""
        location = (location or "").strip().replace("\\", "/")
        if not location:
            return None
        candidates = [location] if location.startswith("/") else [
            posixpath.join(posixpath.dirname(base), location), location]
        for candidate in candidates:
            path = posixpath.normpath(candidate).lstrip("/")
            if path == ".." or path.startswith("../"):
                continue
            found = self.find(path)
            if found is not None:
                return found
        return None

    def read(self, name: str) -> bytes:
        """The bytes of one member, charged to the budget (a zip may lie about sizes)."""
        info = self._members.get(name)
        if info is None:
            raise _Broken(f"missing part {name}")
        try:
            with self._zip.open(info) as stream:
                data = stream.read(self._budget + 1)
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
            raise _Broken(f"cannot read {name}: {exc}") from exc  # RuntimeError: an encrypted member
        if len(data) > self._budget:
            raise SkipFile(self._too_large)
        self._budget -= len(data)
        return data

    def xml(self, name: str) -> ET.Element:
        return _parse_xml(self.read(name), name)


def _normalize(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith(("/", "./")):
        name = name[1:] if name.startswith("/") else name[2:]
    return name


_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["'][^>]*\?>""")
_GB_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk"}
_UNBOUND_OFD = re.compile(r"^(\s*(?:<\?[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<ofd:[\w.-]+)", re.S)


def _parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse one member; DTDs are refused (OFD never needs one), GB-encoded XML is decoded first (expat
    reads no multi-byte legacy encodings), and an undeclared `ofd:` prefix is declared."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Broken(f"{name} declares a DTD")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _DECLARATION.match(data)
    source: bytes | str = data
    if declared and declared.group(1).decode("ascii").lower() in _GB_ENCODINGS:
        source = data[declared.end():].decode("gb18030", errors="replace")
    try:
        return ET.fromstring(source)
    except ET.ParseError as exc:
        text = source if isinstance(source, str) else source.decode("utf-8", errors="replace")
        if "xmlns:ofd" not in text and "<ofd:" in text:
            try:
                return ET.fromstring(_UNBOUND_OFD.sub(rf'\1 xmlns:ofd="{_OFD_NS}"', text, count=1))
            except ET.ParseError:
                pass
        raise _Broken(f"{name}: {exc}") from exc
    except ValueError as exc:
        raise _Broken(f"{name}: {exc}") from exc


_OFD_NS = "http://www.ofdspec.org/2016"


def _local(tag: object) -> str:
    """A tag's local name (producers use several namespace URIs, or none)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element | None, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _child_text(el: ET.Element | None, name: str) -> str:
    child = _child(el, name)
    return " ".join((child.text or "").split()) if child is not None else ""


# ---------------------------------------------------------------------------------- document


def _doc_body(package: _Package) -> tuple[_DocInfo, str]:
    """The document information and the path of Document.xml, from the first document in OFD.xml."""
    root_name = package.find("OFD.xml")
    if root_name is None:
        raise _Broken("no OFD.xml")
    root = package.xml(root_name)
    if _local(root.tag) != "OFD":
        raise _Broken(f"root element is {_local(root.tag)!r}")
    for body in _children(root, "DocBody"):
        doc_path = package.resolve(root_name, _child_text(body, "DocRoot"))
        if doc_path is not None:
            info = _child(body, "DocInfo")
            return _DocInfo(_child_text(info, "Title"), _child_text(info, "Author"),
                            _child_text(info, "CreationDate")), doc_path
    raise _Broken("no DocBody with a readable DocRoot")


def _read_pages(package: _Package, doc_path: str, document: ET.Element) -> list[list[Line]]:
    """Lines of each page in page order; a page that cannot be read is empty (all of them: corrupt)."""
    templates = _template_locations(package, doc_path, document)
    used: set[str] = set()
    pages: list[list[Line]] = []
    failures = 0
    page_els = _children(_child(document, "Pages"), "Page")
    for number, page in enumerate(page_els, 1):
        try:
            runs = _page_objects(package, package.resolve(doc_path, page.get("BaseLoc")), templates, used)[1].runs
        except _Broken as exc:
            logger.info("cannot read page %d: %s", number, exc)
            failures += 1
            runs = []
        pages.append(_page_lines(runs))
    if not page_els or failures == len(page_els):
        raise SkipFile(REASON_OFD_CORRUPT)
    return pages


def _template_locations(package: _Package, doc_path: str, document: ET.Element) -> dict[str, str | None]:
    return {t.get("ID", ""): package.resolve(doc_path, t.get("BaseLoc"))
            for t in _children(_child(document, "CommonData"), "TemplatePage")}


def _page_objects(package: _Package, name: str | None, templates: dict[str, str | None],
                  used: set[str] | None) -> tuple[ET.Element, _Objects]:
    """A page's root element and the objects of its templates and layers. With `used`, a template counts only
    the first time (for the text: a template repeated on later pages is a running header or banner); without,
    every time (for the picture of the page)."""
    if name is None:
        raise _Broken("page location not found")
    page = package.xml(name)
    objects = _Objects()
    for ref in _children(page, "Template"):
        template_id = ref.get("TemplateID", "")
        if used is not None:
            if template_id in used:
                continue
            used.add(template_id)
        location = templates.get(template_id)
        if location is None:
            logger.info("template %r not found", template_id)
            continue
        try:
            _content_objects(package.xml(location), objects)
        except _Broken as exc:  # a broken template should not lose the page
            logger.info("cannot read template %r: %s", template_id, exc)
    _content_objects(page, objects)
    return page, objects


def _content_objects(page: ET.Element, objects: _Objects) -> None:
    """Add the objects of every layer of a page (or template), page blocks included."""
    for layer in _children(_child(page, "Content"), "Layer"):
        _walk(layer, objects, 0)


def _walk(el: ET.Element, objects: _Objects, depth: int) -> None:
    for child in el:
        name = _local(child.tag)
        if name == "TextObject":
            objects.runs.extend(_text_object_runs(child))
        elif name == "ImageObject":
            box = _numbers(child.get("Boundary"), 4)
            if box is not None and box[2] > 0 and box[3] > 0:
                objects.images.append((child.get("ResourceID", ""), box))
        elif name == "PageBlock" and depth < MAX_NESTING:
            _walk(child, objects, depth + 1)


# ---------------------------------------------------------------------------------- page picture


def _page_size(page: ET.Element, document: ET.Element) -> tuple[float, float]:
    """Width and height (mm) of the page's PhysicalBox, else the document's default, else A4."""
    for area in (_child(page, "Area"), _child(_child(document, "CommonData"), "PageArea")):
        box = _numbers(_child_text(area, "PhysicalBox"), 4)
        if box is not None and box[2] > 0 and box[3] > 0:
            return box[2], box[3]
    return A4


def _media(package: _Package, doc_path: str, document: ET.Element, page_name: str,
           page: ET.Element) -> dict[str, str]:
    """The members of the MultiMedia resources by ID, from the document's PublicRes and DocumentRes and the
    page's PageRes (an unreadable resource file is skipped)."""
    common = _child(document, "CommonData")
    refs = [(doc_path, el.text) for el in _children(common, "PublicRes") + _children(common, "DocumentRes")]
    refs += [(page_name, el.text) for el in _children(page, "PageRes")]
    media: dict[str, str] = {}
    for base, location in refs:
        res_name = package.resolve(base, location)
        if res_name is None:
            logger.info("resources %r not found", location)
            continue
        try:
            res = package.xml(res_name)
        except _Broken as exc:
            logger.info("cannot read resources %s: %s", res_name, exc)
            continue
        folder = res.get("BaseLoc", "")  # media files are relative to it
        for item in _children(_child(res, "MultiMedias"), "MultiMedia"):
            file = _child_text(item, "MediaFile")
            found = package.resolve(res_name, posixpath.join(folder, file)) or package.resolve(res_name, file)
            if found is not None:
                media.setdefault(item.get("ID", ""), found)
    return media


def _images(package: _Package, refs: list[tuple[str, tuple[float, ...]]],
            media: dict[str, str]) -> tuple[PageImage, ...]:
    """The image objects whose resource is a PNG, JPEG, BMP or TIFF file in the package."""
    images: list[PageImage] = []
    read: dict[str, bytes] = {}
    for resource_id, (x, y, width, height) in refs:
        name = media.get(resource_id)
        if name is None:
            logger.info("image resource %r not found", resource_id)
            continue
        try:
            if name not in read:  # one file drawn in several places is read once
                read[name] = package.read(name)
        except _Broken as exc:
            logger.info("cannot read image %s: %s", name, exc)
            continue
        if read[name].startswith(IMAGE_MAGIC):
            images.append(PageImage(x, y, width, height, read[name]))
        else:
            logger.info("image %s is not PNG, JPEG, BMP or TIFF", name)
    return tuple(images)


# ---------------------------------------------------------------------------------- text objects


def _text_object_runs(obj: ET.Element) -> list[Run]:
    """Runs of one TextObject: glyph origins from each TextCode's X/Y and DeltaX/DeltaY, mapped through the
    object's CTM to its Boundary's origin on the page."""
    box = _numbers(obj.get("Boundary"), 4) or (0.0, 0.0, 0.0, 0.0)
    a, b, c, d, e, f = _numbers(obj.get("CTM"), 6) or _IDENTITY
    transform: _Affine = (a, b, c, d, e + box[0], f + box[1])
    size = _number(obj.get("Size"), 0.0)
    size = size if size > 0 else DEFAULT_SIZE
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    runs: list[Run] = []
    x = y = 0.0
    for code in _children(obj, "TextCode"):
        x = _number(code.get("X"), x)  # a missing X or Y repeats the previous TextCode's
        y = _number(code.get("Y"), y)
        text = _clean(code.text)
        if text:
            runs.extend(_code_runs(text, x, y, code, size, scale, transform))
    return runs


def _code_runs(text: str, x: float, y: float, code: ET.Element, size: float, scale: float,
               transform: _Affine) -> list[Run]:
    """Split one TextCode into runs of glyphs on a common baseline (DeltaY moves glyphs off it)."""
    n = len(text)
    dx = _deltas(code.get("DeltaX"), n - 1)
    dy = _deltas(code.get("DeltaY"), n - 1)
    a, b, c, d, e, f = transform
    x_scale = math.hypot(a, b) or 1.0
    effective = size * scale
    runs: list[Run] = []
    start = 0
    px = py = 0.0
    first_x = 0.0
    for i, char in enumerate(text):
        gx, gy = a * x + c * y + e, b * x + d * y + f
        if i and abs(gy - py) > 0.1 * effective:
            runs.append(Run(text[start:i], first_x, px + _width(text[i - 1], size) * x_scale, py, effective))
            start = i
        if i == start:
            first_x = gx
        px, py = gx, gy
        x += dx[i] if i < len(dx) else _width(char, size)
        y += dy[i] if i < len(dy) else 0.0
    runs.append(Run(text[start:], first_x, px + _width(text[-1], size) * x_scale, py, effective))
    return [run for run in runs if run.text.strip()]


def _width(char: str, size: float) -> float:
    """The advance of a glyph drawn without DeltaX: full width for CJK, half for the rest."""
    return size if unicodedata.east_asian_width(char) in ("W", "F") else size * 0.5


def _clean(text: str | None) -> str:
    """Control characters dropped, tabs as spaces."""
    if not text:
        return ""
    return "".join(" " if ch == "\t" else ch for ch in text if ch == "\t" or unicodedata.category(ch) != "Cc")


def _number(value: str | None, default: float) -> float:
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) else default


def _numbers(value: str | None, count: int) -> tuple[float, ...] | None:
    """The first `count` numbers of a space-separated attribute, or None if there are fewer."""
    try:
        numbers = tuple(float(part) for part in (value or "").replace(",", " ").split()[:count])
    except ValueError:
        return None
    return numbers if len(numbers) == count and all(math.isfinite(n) for n in numbers) else None


def _deltas(value: str | None, limit: int) -> list[float]:
    """A DeltaX/DeltaY list with the `g <count> <value>` shorthand expanded, at most `limit` long."""
    tokens = (value or "").split()
    out: list[float] = []
    i = 0
    try:
        while i < len(tokens) and len(out) < limit:
            if tokens[i] == "g" and i + 2 < len(tokens):
                count = min(int(float(tokens[i + 1])), limit - len(out))
                out.extend([float(tokens[i + 2])] * max(count, 0))
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except ValueError:
        logger.debug("bad delta list %r", value)
    return [v if math.isfinite(v) else 0.0 for v in out]


# ---------------------------------------------------------------------------------- lines


def _page_lines(runs: list[Run]) -> list[Line]:
    """Physical lines of one page, top to bottom: indented lines get ideographic spaces, and a line after a
    wide vertical space is marked as a gap."""
    groups = [g for g in _group_lines(runs) if _join(g).strip()]
    margin = _left_margin(groups)
    steps = sorted(b[0].y - a[0].y for a, b in zip(groups, groups[1:]) if b[0].y > a[0].y)
    pitch = steps[(len(steps) - 1) // 2] if steps else 0.0  # the lower median: gaps only ever widen steps
    lines: list[Line] = []
    for k, group in enumerate(groups):
        text = _join(group).rstrip()
        size = _dominant_size(group)
        if not text[0].isspace():
            units = int((group[0].x0 - margin) / size + 0.2)
            text = "\u3000" * min(units, INDENT_MAX) + text
        gap = k > 0 and pitch > 0 and group[0].y - groups[k - 1][0].y > PARAGRAPH_GAP * pitch
        lines.append(Line(text, size=size, gap=gap))
    return lines


def _group_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped by baseline, lines top to bottom and runs left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x0)):
        if lines:
            first = lines[-1][0]
            if run.y - first.y <= SAME_LINE * max(min(run.size, first.size), 1.0):
                lines[-1].append(run)
                continue
        lines.append([run])
    for line in lines:
        line.sort(key=lambda r: r.x0)
    return lines


def _join(line: list[Run]) -> str:
    """The runs of one line as text: no space between CJK runs that touch, a space between Latin words
    with a real gap, and a space at any wide gap (table cells, tab stops). Runs drawn twice at the same
    spot (fake bold) count once."""
    out = ""
    prev: Run | None = None
    for run in line:
        if prev is not None:
            em = max(min(prev.size, run.size), 1.0)
            if run.text == prev.text and abs(run.x0 - prev.x0) < 0.3 * em:
                continue
            gap = run.x0 - prev.x1
            if out and not out[-1].isspace() and not run.text[0].isspace() and (
                    gap >= CELL_GAP * em or (gap > WORD_GAP * em and _narrow(out[-1]) and _narrow(run.text[0]))):
                out += " "
        out += run.text
        prev = run if prev is None or run.x1 > prev.x1 else Run(run.text, run.x0, prev.x1, run.y, run.size)
    return out


def _narrow(char: str) -> bool:
    return unicodedata.east_asian_width(char) not in ("W", "F")


def _left_margin(groups: list[list[Run]]) -> float:
    """The x most lines start at (the text column's left edge); the leftmost start if no two agree."""
    if not groups:
        return 0.0
    starts = Counter(round(g[0].x0, 1) for g in groups)
    value, count = starts.most_common(1)[0]
    return value if count >= 2 else min(starts)


def _dominant_size(line: list[Run]) -> float:
    sizes: Counter[float] = Counter()
    for run in line:
        sizes[round(run.size, 2)] += len(run.text)
    return sizes.most_common(1)[0][0]


# ---------------------------------------------------------------------------------- document information

_HAN = re.compile(r"[\u4e00-\u9fff]")
_FILE_EXT = re.compile(r"\.(?:docx?|wps|pdf|ofd|rtf|txt|xlsx?)$", re.I)
#: an author that is a Chinese name ending like a public body; software and person names never match
_ORGANISATION = re.compile(r"^[\u4e00-\u9fff（）()·]{3,40}(?:人民政府|政府|办公厅|办公室|委员会|管委会|总局|局|厅|部|署|院"
                           r"|委|中心|联合会|协会|学会|总工会|党委|党组)$")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|^\s*(\d{4})(\d{2})(\d{2})")


def _title(raw: str) -> str | None:
    """The declared title if it is a real (Chinese) title rather than a file or tool name."""
    title = _FILE_EXT.sub("", " ".join(raw.split()))
    return title if _HAN.search(title) else None


def _meta(info: _DocInfo) -> dict[str, str]:
    meta: dict[str, str] = {}
    author = "".join(info.author.split())
    if _ORGANISATION.match(author):
        meta["issuer"] = author
    day = _iso_date(info.creation_date)
    if day:
        meta["date"] = day
    return meta


def _iso_date(raw: str) -> str | None:
    """yyyy-mm-dd from an xs:date / xs:dateTime or a Chinese-style date, or None."""
    match = _DATE.match(raw)
    if not match:
        return None
    year, month, day = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    try:
        return date(year, month, day).isoformat() if year >= 1900 else None
    except ValueError:
        return None
