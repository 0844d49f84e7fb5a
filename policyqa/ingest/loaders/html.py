"""HTML: the page's main text via trafilatura, with a plain <body> walk when it finds none."""

from __future__ import annotations

import functools
import html as html_lib
import logging
import re

from policyqa.errors import SkipFile
from policyqa.ingest.furniture import is_boilerplate
from policyqa.ingest.loaders.base import REASON_EMPTY, REASON_HTML_NO_TEXT, Extracted
from policyqa.ingest.loaders.text import BOMS, decode_text

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def load_html(raw: bytes) -> Extracted:
    html, encoding = _decode_html(raw)
    html = _XML_DECL.sub("", html)  # lxml refuses str input that carries an encoding declaration
    if not html.strip():
        raise SkipFile(REASON_EMPTY)
    pairs, title = _trafilatura_lines(html)
    if len(pairs) <= 1:
        fallback = _fallback_lines(html)
        streamed = _stream_lines(html)
        if _chars(streamed) > 1.5 * _chars(fallback):  # libxml2 stops at 256 levels of nesting: text was lost
            fallback = streamed
        if not pairs:
            logger.info("trafilatura found no main text; falling back to plain <body> text")
        pairs = _resegment(pairs, fallback) if pairs else fallback
    pairs = [(line, heading) for line, heading in pairs if line and not is_boilerplate(line)]
    if not pairs:
        raise SkipFile(REASON_HTML_NO_TEXT)
    return Extracted(text="\n".join(line for line, _ in pairs), encoding=encoding,
                     title=title or _html_title(html),
                     heading_lines=frozenset(i for i, (_, heading) in enumerate(pairs) if heading))


def _decode_html(raw: bytes) -> tuple[str, str]:
    """Decode HTML: BOM, strict UTF-8, then the <meta charset> declaration, then detection."""
    if raw.startswith(tuple(bom for bom, _ in BOMS)):
        return decode_text(raw)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:4096])
    if match:
        declared = match.group(1).decode("ascii", "replace").lower()
        codec = "gb18030" if declared.replace("-", "").replace("_", "") in {"gb2312", "gbk", "gb18030",
                                                                               "cp936", "euccn"} else declared
        try:
            return raw.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            logger.info("declared charset %r does not decode; detecting", declared)
    return decode_text(raw)


def _trafilatura_lines(html: str) -> tuple[list[tuple[str, bool]], str | None]:
    """Main-text lines as (text, is_heading) via trafilatura's XML output, plus the page title."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  include_links=False, include_images=False, with_metadata=True,
                                  config=_trafilatura_config())
    except Exception as exc:  # trafilatura surfaces lxml errors on odd markup
        logger.info("trafilatura failed: %s", exc)
        return [], None
    if not xml:
        return [], None
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        logger.info("cannot parse trafilatura output: %s", exc)
        return [], None
    pairs: list[tuple[str, bool]] = []
    main = doc.find("main")
    _xml_block_lines(main if main is not None else doc, pairs)
    title = (doc.get("title") or "").strip() or None
    return pairs, title


@functools.lru_cache(maxsize=1)
def _trafilatura_config():
    """trafilatura settings tuned for Chinese.

    MIN_EXTRACTED_SIZE (default 250 characters) is calibrated for alphabetic text; a short Chinese
    notice falls below it and trafilatura then returns a whole-page dump, navigation included,
    flattened into one paragraph.
    """
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "30")
    return config


def _resegment(pairs: list[tuple[str, bool]], fallback: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Restore line structure when trafilatura flattened a (tiny) page into a single paragraph.

    Keeps the fallback lines found, in order, inside the flattened text: trafilatura's choice of
    content with the page's own block boundaries (and its header/footer/nav tags dropped).
    """
    if len(pairs) != 1 or len(fallback) < 2:
        return pairs
    flat = "".join(pairs[0][0].split())
    if any("".join(line.split()) == flat for line, _ in fallback):
        return pairs  # a genuine single paragraph
    kept: list[tuple[str, bool]] = []
    cursor = covered = 0
    for line, heading in fallback:
        needle = "".join(line.split())
        found = flat.find(needle, cursor)
        if needle and found >= 0:
            kept.append((line, heading))
            cursor = found + len(needle)
            covered += len(needle)
    if len(kept) >= 2 and covered >= 0.5 * len(flat):
        return kept
    return pairs


def _xml_block_lines(node, out: list[tuple[str, bool]]) -> None:
    """Walk trafilatura's XML: one line per heading, paragraph, list item and table row."""
    out.extend((line, False) for line in _split_lines(node.text or ""))  # text directly in <main>
    for child in node:
        tag = child.tag
        if tag == "head":
            out.append((" ".join(_inline_text(child).split()), True))
        elif tag == "list":
            for item in child.iter("item"):
                out.extend((line, False) for line in _split_lines(_inline_text(item, skip=("list",))))
        elif tag == "table":
            for row in child.iter("row"):
                cells = [" ".join(_inline_text(cell).split()) for cell in row.iterchildren("cell")]
                out.append((" | ".join(c for c in cells if c), False))
        elif tag in ("div", "main", "section", "body"):
            _xml_block_lines(child, out)
        else:  # p, quote, code and anything unexpected: keep its text
            out.extend((line, False) for line in _split_lines(_inline_text(child)))
        out.extend((line, False) for line in _split_lines(child.tail or ""))


def _inline_text(el, skip: tuple[str, ...] = ()) -> str:
    """Text of an element with <lb/> turned into newlines; children with a tag in `skip` are left out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in skip:
            parts.append(_inline_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _split_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


_FALLBACK_DROP = {"script", "style", "nav", "header", "footer", "noscript", "form", "aside", "iframe",
                  "template", "select", "button", "svg", "head", "title", "meta", "link"}
_FALLBACK_BLOCK = {"p", "div", "li", "ul", "ol", "tr", "table", "section", "article", "main", "blockquote",
                   "pre", "dd", "dt", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "center", "body", "figure",
                   "figcaption", "address", "hr"}
_FALLBACK_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _fallback_lines(html: str) -> list[tuple[str, bool]]:
    """Plain text of <body> minus scripts and page chrome, one line per block element."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        logger.info("lxml cannot parse the page: %s", exc)
        return []
    body = root.find(".//body")
    if body is None:
        body = root
    out: list[tuple[str, bool]] = []
    buf: list[str] = []

    def flush(heading: bool = False) -> None:
        out.extend((line, heading) for line in _split_lines("".join(buf)))
        buf.clear()

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _FALLBACK_DROP:
            return
        block = tag in _FALLBACK_BLOCK
        if block or tag == "br":
            flush()
        if tag in ("td", "th") and "".join(buf).strip():
            buf.append(" | ")
        buf.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):  # skip comments and processing instructions
                walk(child)
            buf.append(child.tail or "")
        if block:
            flush(heading=tag in _FALLBACK_HEADINGS)

    walk(body)
    flush()
    return out


def _chars(pairs: list[tuple[str, bool]]) -> int:
    return sum(len(line) for line, _ in pairs)


def _stream_lines(html: str) -> list[tuple[str, bool]]:
    """The same plain text as `_fallback_lines` from the parser's events, with no tree: any depth of
    nesting yields its text (lxml drops what lies deeper than 256 elements)."""
    from html.parser import HTMLParser

    out: list[tuple[str, bool]] = []
    buf: list[str] = []
    dropped: list[str] = []  # open elements whose content is page chrome

    def flush(heading: bool = False) -> None:
        out.extend((line, heading) for line in _split_lines("".join(buf)))
        buf.clear()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _FALLBACK_DROP and tag not in ("meta", "link"):
                dropped.append(tag)
            elif not dropped and (tag in _FALLBACK_BLOCK or tag == "br"):
                flush()

        def handle_endtag(self, tag):
            if dropped and tag == dropped[-1]:
                dropped.pop()
            elif not dropped and tag in _FALLBACK_BLOCK:
                flush(heading=tag in _FALLBACK_HEADINGS)

        def handle_data(self, data):
            if not dropped:
                buf.append(data)

    parser = Parser(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    flush()
    return out


def _html_title(html: str) -> str | None:
    """<title> text (site suffix kept: trimming it reliably needs the site name)."""
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    if not match:
        return None
    title = " ".join(html_lib.unescape(match.group(1)).split())
    return title or None
