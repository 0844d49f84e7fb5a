"""Stage 1 (load): turn a file on disk into a `LoadedFile` with decoded text, or raise `SkipFile`.

Supported: plain text / Markdown (any common Chinese encoding), HTML (main text only), PDF (text
layer only) and .docx. Each format keeps "one logical line per '\\n'-separated line" so later stages
can cite line numbers: for .txt/.md they are the source file's lines, for the other formats they
are lines of the extracted text.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import hashlib
import io
import logging
import re
import unicodedata
import warnings
from pathlib import Path
from typing import Iterator

from policyqa.schema import LoadedFile, SkipFile

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")

_KINDS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}

# User-facing reasons (short Chinese sentences shown next to the skipped file).
REASON_EMPTY = "文件为空"
REASON_UNREADABLE = "无法读取文件"
REASON_ENCODING = "无法识别文本编码"
REASON_BINARY = "文件内容不是可读文本（可能是二进制文件或扩展名有误）"
REASON_HTML_NO_TEXT = "网页中没有可提取的正文"
REASON_PDF_NO_TEXT = "PDF 没有文本层（可能是扫描件），请先进行文字识别（OCR）"
REASON_PDF_GARBLED = "PDF 文本层无法正确解码（字体缺少编码映射），请先进行文字识别（OCR）"
REASON_PDF_CORRUPT = "文件已损坏或不是有效的 PDF"
REASON_PDF_ENCRYPTED = "PDF 已加密，无法读取内容，请提供未加密的版本"
REASON_DOCX_CORRUPT = "文件已损坏或不是有效的 Word（.docx）文档"
REASON_DOCX_LEGACY = "文件实际是旧版 Word（.doc）格式或已加密，请用 Word 另存为 .docx 后再导入"
REASON_UNSUPPORTED = "不支持的文件类型：{suffix}"

_UNSUPPORTED_HINTS = {".doc": "（请另存为 .docx）", ".wps": "（请另存为 .docx）", ".rtf": "（请另存为 .docx）"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and password-protected Office files


def load_file(path: Path) -> LoadedFile:
    """Read `path` and decode it according to its suffix; raise `SkipFile` if it cannot be ingested."""
    path = Path(path)
    suffix = path.suffix.lower()
    kind = _KINDS.get(suffix)
    if kind is None:
        shown = suffix or "（无扩展名）"
        raise SkipFile(REASON_UNSUPPORTED.format(suffix=shown) + _UNSUPPORTED_HINTS.get(suffix, ""))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        logger.warning("cannot read %s: %s", path, exc)
        raise SkipFile(REASON_UNREADABLE) from exc
    if not raw.strip():
        raise SkipFile(REASON_EMPTY)

    loader = {"txt": _load_text, "md": _load_text, "html": _load_html, "pdf": _load_pdf,
              "docx": _load_docx}[kind]
    fields = loader(raw, kind)
    if not fields["text"].strip():
        raise SkipFile(REASON_EMPTY)
    loaded = LoadedFile(name=path.name, kind=kind, raw_hash=hashlib.sha256(raw).hexdigest(), **fields)
    logger.info("loaded %s (%s, %s, %d lines)", path.name, kind, loaded.encoding or "-",
                loaded.text.count("\n") + 1)
    return loaded


# --------------------------------------------------------------------------------------------
# Plain text and Markdown

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer names for legacy simplified-Chinese code pages: GB18030 is a strict superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "iso2022_cn"}


def _load_text(raw: bytes, kind: str) -> dict:
    text, encoding = decode_text(raw)
    text = _normalize_newlines(text)
    fields: dict = {"text": text, "encoding": encoding}
    if kind == "md":
        headings, title = _markdown_headings(text)
        fields.update(heading_lines=headings, title=title)
    return fields


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name). Raises `SkipFile` for binary junk."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                break  # a BOM followed by junk: let detection decide
            return _checked(text.lstrip("\ufeff")), codec.replace("-sig", "")
    # Strict UTF-8 first: it almost never decodes legacy Chinese bytes by accident, while
    # charset-normalizer can mislabel short UTF-8 text.
    try:
        return _checked(raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(raw)


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise SkipFile(REASON_ENCODING)
    guess = best.encoding.lower().replace("-", "_")
    if guess in _GB_FAMILY:
        return _decode_gb18030(raw, fallback=str(best)), "gb18030"
    if not guess.startswith("utf"):
        # Policy documents are overwhelmingly simplified Chinese: prefer GB18030 whenever it
        # decodes to plausible simplified text (this also catches GBK mislabelled as Big5 etc.).
        gb = _try_gb18030(raw)
        if gb is not None and _looks_simplified(gb):
            return _checked(gb), "gb18030"
    return _checked(str(best).lstrip("\ufeff")), guess


def _decode_gb18030(raw: bytes, fallback: str) -> str:
    text = _try_gb18030(raw)
    return _checked(text if text is not None else fallback)


def _try_gb18030(raw: bytes) -> str | None:
    try:
        return raw.decode("gb18030").lstrip("\ufeff")
    except UnicodeDecodeError:
        return None


def _looks_simplified(text: str) -> bool:
    """True if the CJK characters are nearly all in GB2312 (the common simplified repertoire).

    Big5 or Latin bytes read as GB18030 land in GBK's extension areas, so they fail this test.
    """
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        return False
    common = sum(1 for c in cjk if _in_gb2312(c))
    return common / len(cjk) >= 0.9


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _checked(text: str) -> str:
    """Reject decoded text that is mostly control / unassigned characters (binary data)."""
    if _junk_ratio(text) > 0.01:
        raise SkipFile(REASON_BINARY)
    return text


_ALLOWED_CONTROLS = set("\t\n\r\x0b\x0c\x1a")  # \x1a: DOS end-of-file marker in old text files


def _junk_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    junk = sum(1 for c in sample
               if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in ("Cc", "Cn", "Cs", "Co"))
    return junk / len(sample)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def _markdown_headings(text: str) -> tuple[frozenset[int], str | None]:
    """ATX heading lines ("# …") outside fenced code, and the first level-1 heading as title."""
    headings: set[int] = set()
    title = None
    in_fence = False
    for i, line in enumerate(text.split("\n")):
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _MD_HEADING.match(line)
        if match and match.group(2):
            headings.add(i)
            if title is None and len(match.group(1)) == 1:
                title = match.group(2).strip()
    return frozenset(headings), title


# --------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def _load_html(raw: bytes, kind: str) -> dict:
    html, encoding = _decode_html(raw)
    html = _XML_DECL.sub("", html)  # lxml refuses str input that carries an encoding declaration
    if not html.strip():
        raise SkipFile(REASON_EMPTY)
    pairs, title = _trafilatura_lines(html)
    if len(pairs) <= 1:
        fallback = _fallback_lines(html)
        if not pairs:
            logger.info("trafilatura found no main text; falling back to plain <body> text")
        pairs = _resegment(pairs, fallback) if pairs else fallback
    pairs = [(line, heading) for line, heading in pairs if line and not is_boilerplate(line)]
    if not pairs:
        raise SkipFile(REASON_HTML_NO_TEXT)
    title = title or _html_title(html)
    return {
        "text": "\n".join(line for line, _ in pairs),
        "encoding": encoding,
        "title": title,
        "heading_lines": frozenset(i for i, (_, heading) in enumerate(pairs) if heading),
    }


def _decode_html(raw: bytes) -> tuple[str, str]:
    """Decode HTML: BOM, strict UTF-8, then the <meta charset> declaration, then detection."""
    if raw.startswith(tuple(bom for bom, _ in _BOMS)):
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


def _html_title(html: str) -> str | None:
    """<title> text (site suffix kept: trimming it reliably needs the site name)."""
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    if not match:
        return None
    import html as html_lib

    title = " ".join(html_lib.unescape(match.group(1)).split())
    return title or None


# Navigation and page-chrome lines typical of Chinese government sites. They are matched as
# patterns of *site furniture* (breadcrumbs, counters, widgets, footers), never document phrases.
_BREADCRUMB = re.compile(
    r"^[\s【\[]*(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|你当前的位置|您所在的位置|"
    r"所在位置|当前页面|位置)\s*[:：]")
_CRUMB_TRAIL = re.compile(r"^\s*(?:网站首页|首页|主页)\s*(?:>|＞|》|»|›|→|/|-\s*>)")
_TOKEN_START = r"(?:^|(?<=[\s|｜丨/【\[（(]))"
_META_LABELS = re.compile(
    _TOKEN_START + r"(来源|信息来源|文章来源|稿件来源|发布时间|发布日期|发表时间|更新时间|日期|时间|作者|编辑|"
    r"责任编辑|字号|点击|点击数|点击量|点击率|浏览|浏览次数|浏览量|阅读|阅读次数|阅读量|访问量|访问次数)\s*[:：]")
_COUNTER = re.compile(
    _TOKEN_START + r"(?:点击|浏览|阅读|访问)(?:次数|数|量|率)?\s*[:：]\s*(?:[\d.,]+\s*[万次]?|[\[【{(（]|$)"
    r"|\d+\s*次(?:浏览|阅读|点击|访问)")
# Document metadata boxes (索引号 / 发文字号 …) look like chrome but carry issuer and dates: keep them.
_DOC_META = re.compile(r"索引号|发文字号|文号|成文日期|发文机关|发布机构|主题分类|有效性")
_FOOTER = re.compile(r"版权所有|Copyright|©|网站标识码|ICP\s*备|ICP\s*证|公网安备|网安备\s*\d|"
                     r"技术支持\s*[:：]|建议使用.{0,20}浏览器|最佳浏览|分辨率", re.I)
_PAGER = re.compile(r"^\s*[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[】\]]?\s*[:：]?")
_WIDGET_TOKENS = re.compile(
    r"扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|手机扫一扫|打印本页|打印此页|打印文章|打印正文|打印|"
    r"关闭本页|关闭窗口|关闭|返回顶部|回到顶部|返回首页|返回列表|返回|收藏本页|加入收藏|收藏|保存本页|"
    r"分享到|分享|转发|我要纠错|纠错|设为首页|网站地图|联系我们|无障碍浏览|无障碍|长者模式|关怀版|适老化|"
    r"繁體|繁体|简体|English|登录|注册|微信|微博|QQ空间|QQ|字号|字体|默认", re.I)
_WIDGET_SEPARATORS = re.compile(r"[\s【】\[\]（）()|｜丨/:：·•,，、.。\-—_]+")


def is_boilerplate(line: str) -> bool:
    """True for navigation, counters, share/print widgets and footers left over from web pages."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 200:  # chrome lines are short; long lines are content
        return False
    if _BREADCRUMB.match(stripped) or _CRUMB_TRAIL.match(stripped) or _PAGER.match(stripped):
        return True
    if not _DOC_META.search(stripped):
        if _COUNTER.search(stripped):
            return True
        if len({m.group(1) for m in _META_LABELS.finditer(stripped)}) >= 2:
            return True
    if _FOOTER.search(stripped):
        return True
    return _is_widget_line(stripped)


def _is_widget_line(line: str) -> bool:
    """A line made only of widget words (打印 / 关闭 / 分享到 / 字号：大 中 小 …) and separators."""
    rest = _WIDGET_TOKENS.sub("", line)
    if re.search(r"字号|字体", line):
        rest = re.sub(r"[大中小]", "", rest)
    return not _WIDGET_SEPARATORS.sub("", rest)


# --------------------------------------------------------------------------------------------
# PDF

@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's per-object warnings (broken xref tables, odd fonts) while we read one file."""
    pypdf_logger = logging.getLogger("pypdf")
    previous = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pypdf_logger.setLevel(previous)


def _load_pdf(raw: bytes, kind: str) -> dict:
    if b"%PDF-" not in raw[:1024]:
        raise SkipFile(REASON_PDF_CORRUPT)
    with _quiet_pypdf():
        reader = _open_pdf(raw)
        pages = _pdf_pages(reader)
        title = _pdf_title(reader)
    text = _normalize_newlines("\n".join(page.rstrip("\n") for page in pages))
    visible = "".join(text.split())
    if len(visible) < max(10, 5 * len(pages)):
        raise SkipFile(REASON_PDF_NO_TEXT)
    if _garbled_ratio(visible) > 0.3:
        raise SkipFile(REASON_PDF_GARBLED)
    return {"text": text, "title": title}


def _open_pdf(raw: bytes):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            # Many official PDFs only carry an owner password (copy/print restrictions) and open
            # with an empty user password.
            if not reader.decrypt(""):
                raise SkipFile(REASON_PDF_ENCRYPTED)
        _ = len(reader.pages)  # forces the page tree to load, surfacing corruption here
    except SkipFile:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        # AES needs the `cryptography` package; without it an encrypted PDF cannot be read.
        logger.info("cannot decrypt PDF: %s", exc)
        raise SkipFile(REASON_PDF_ENCRYPTED) from exc
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, KeyError …) on junk
        logger.info("cannot open PDF: %s", exc)
        raise SkipFile(REASON_PDF_CORRUPT) from exc
    return reader


def _pdf_pages(reader) -> list[str]:
    from pypdf.errors import DependencyError, FileNotDecryptedError

    pages: list[str] = []
    failures = 0
    for number, page in enumerate(reader.pages, 1):
        try:
            pages.append(page.extract_text() or "")
        except (DependencyError, FileNotDecryptedError) as exc:
            raise SkipFile(REASON_PDF_ENCRYPTED) from exc
        except Exception as exc:  # one broken page should not lose the rest of the document
            logger.info("cannot extract text of page %d: %s", number, exc)
            failures += 1
            pages.append("")
    if pages and failures == len(pages):
        raise SkipFile(REASON_PDF_CORRUPT)
    return pages


def _garbled_ratio(visible: str) -> float:
    """Share of private-use / unassigned / replacement characters: fonts without a ToUnicode map."""
    if not visible:
        return 0.0
    bad = sum(1 for c in visible if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cn", "Cc"))
    return bad / len(visible)


_WORD_PREFIX = re.compile(r"^Microsoft (?:Word|PowerPoint) - ", re.I)
_FILE_EXT = re.compile(r"\.(?:docx?|wps|pdf|rtf|txt|xlsx?)$", re.I)


def _pdf_title(reader) -> str | None:
    """The metadata title, if it looks like a real (Chinese) title rather than a file or tool name."""
    try:
        meta = reader.metadata
        title = str(meta.title) if meta and meta.title else ""
    except Exception:  # broken info dictionaries are common and never worth failing for
        return None
    title = _FILE_EXT.sub("", _WORD_PREFIX.sub("", " ".join(title.split())))
    return title if re.search(r"[\u4e00-\u9fff]", title) else None


# --------------------------------------------------------------------------------------------
# DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _wval(el, tag: str) -> str | None:
    """w:val of child `tag` of `el`, or None."""
    if el is None:
        return None
    child = el.find(_w(tag))
    return None if child is None else child.get(_w("val"))


def _load_docx(raw: bytes, kind: str) -> dict:
    if raw.startswith(_OLE_MAGIC):
        raise SkipFile(REASON_DOCX_LEGACY)
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
        body = document.element.body
        styles = _DocxStyles(document.styles.element)
        numbering = _DocxNumbering(_numbering_root(document), styles)
        lines, headings, first_heading = _docx_lines(body, styles, numbering)
        core_title = (document.core_properties.title or "").strip()
    except SkipFile:
        raise
    except Exception as exc:  # python-docx raises zip, XML, KeyError and ValueError on broken files
        logger.info("cannot open docx: %s", exc)
        raise SkipFile(REASON_DOCX_CORRUPT) from exc
    return {
        "text": "\n".join(lines),
        "title": core_title or first_heading,
        "heading_lines": frozenset(headings),
    }


def _numbering_root(document):
    try:
        return document.part.part_related_by(_RT_NUMBERING).element
    except KeyError:
        return None


class _DocxStyles:
    """Paragraph styles by id: name, base style and paragraph properties (for headings and lists)."""

    _HEADING = re.compile(r"^(?:heading|标题)\s*[1-9]$", re.I)

    def __init__(self, root):
        self.by_id: dict[str, object] = {}
        self.default_id: str | None = None
        for style in root.iter(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            sid = style.get(_w("styleId"))
            self.by_id[sid] = style
            if style.get(_w("default")) in ("1", "true", "on"):
                self.default_id = sid

    def chain(self, style_id: str | None) -> Iterator:
        """The style and its base styles, nearest first (cycles and depth bounded)."""
        seen: set[str] = set()
        sid = style_id or self.default_id
        while sid and sid not in seen and sid in self.by_id and len(seen) < 20:
            seen.add(sid)
            style = self.by_id[sid]
            yield style
            sid = _wval(style, "basedOn")

    def is_heading(self, style_id: str | None, ppr) -> bool:
        """Heading / 标题 N / Title styles (or based on them), or an explicit outline level 1–9."""
        if _outline_level(ppr) is not None:
            return True
        for style in self.chain(style_id):
            name = (_wval(style, "name") or "").strip()
            if self._HEADING.match(name) or name.lower() in ("title", "标题"):
                return True
            if _outline_level(style.find(_w("pPr"))) is not None:
                return True
        return False

    def is_title(self, style_id: str | None) -> bool:
        return any((_wval(s, "name") or "").strip().lower() in ("title", "标题") for s in self.chain(style_id))

    def numpr(self, style_id: str | None) -> tuple[str | None, str | None, str | None]:
        """(numId, ilvl, owning style id) inherited from the style chain."""
        for style in self.chain(style_id):
            ppr = style.find(_w("pPr"))
            numpr = ppr.find(_w("numPr")) if ppr is not None else None
            if numpr is not None:
                return _wval(numpr, "numId"), _wval(numpr, "ilvl"), style.get(_w("styleId"))
        return None, None, None


def _outline_level(ppr) -> int | None:
    value = _wval(ppr, "outlineLvl")
    if value is None or not value.isdigit() or int(value) > 8:  # 9 means "body text"
        return None
    return int(value)


class _DocxNumbering:
    """Renders automatic list numbers ("1.", "一、", "（一）", "第一章" …) by counting paragraphs."""

    def __init__(self, root, styles: _DocxStyles):
        self.styles = styles
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.abstracts: dict[str, dict[int, dict]] = {}
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list, as Word continues them
        self.seen_nums: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.iter(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                levels[ilvl] = {
                    "start": _int(_wval(lvl, "start"), 1),
                    "fmt": _wval(lvl, "numFmt") or "decimal",
                    "text": _wval(lvl, "lvlText") or "",
                    "suff": _wval(lvl, "suff") or "tab",
                    "style": _wval(lvl, "pStyle"),
                }
            self.abstracts[abstract.get(_w("abstractNumId"))] = levels
        for num in root.iter(_w("num")):
            overrides = {}
            for override in num.iter(_w("lvlOverride")):
                start = _wval(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(_w("ilvl"), "0"))] = _int(start, 1)
            self.nums[num.get(_w("numId"))] = (_wval(num, "abstractNumId"), overrides)

    def prefix(self, style_id: str | None, ppr) -> str | None:
        """The rendered number for this paragraph (advancing the counters), or None if not numbered."""
        numpr = ppr.find(_w("numPr")) if ppr is not None else None
        num_id, ilvl, owner = (_wval(numpr, "numId"), _wval(numpr, "ilvl"), None) if numpr is not None \
            else self.styles.numpr(style_id)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstracts.get(abstract_id, {})
        level = _int(ilvl, -1)
        if level < 0:  # style-driven lists name their level through the level's pStyle
            level = next((i for i, lv in levels.items() if owner and lv["style"] == owner), 0)
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for i, start in overrides.items():  # "restart numbering" creates a num with overrides
                counters[i] = start - 1
        counters[level] = counters.get(level, levels[level]["start"] - 1) + 1
        for deeper in [i for i in counters if i > level]:
            del counters[deeper]
        lv = levels[level]
        if lv["fmt"] == "bullet":
            return None

        def render(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            ref = levels.get(i, {"start": 1, "fmt": "decimal"})
            return _format_number(counters.get(i, ref["start"]), ref["fmt"])

        label = re.sub(r"%([1-9])", render, lv["text"]) if lv["fmt"] != "none" else lv["text"]
        if not label:
            return None
        spaced = lv["suff"] != "nothing" and not re.search(r"[、，。：:）)】」』〕\uff0e]$", label)
        return label + (" " if spaced else "")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"


def _format_number(n: int, fmt: str) -> str:
    """Render counter `n` in a Word numFmt; unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographLegalTraditional"):
        return _chinese_count(n, _CN_DIGITS, "零", ("", "十", "百", "千"), drop_leading_one=True)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, _CN_LEGAL_DIGITS, "零", ("", "拾", "佰", "仟"), drop_leading_one=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)  # ⑴
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)  # ⒈
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = _TIANGAN if fmt == "ideographTraditional" else _DIZHI
        return cycle[(n - 1) % len(cycle)]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _chinese_count(n: int, digits: str, zero: str, units: tuple[str, ...], drop_leading_one: bool) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (1–9999; others as digits)."""
    if not 0 < n < 10000:
        return str(n)
    out = ""
    pending_zero = False
    numerals = [int(d) for d in str(n)]
    for i, d in enumerate(numerals):
        if d == 0:
            pending_zero = True
            continue
        if pending_zero and out:
            out += zero
        pending_zero = False
        out += digits[d] + units[len(numerals) - 1 - i]
    if drop_leading_one and 10 <= n < 20:
        out = out[1:]  # 一十 → 十
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, symbol in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += symbol * count
    return out


def _docx_lines(body, styles: _DocxStyles, numbering: _DocxNumbering) -> tuple[list[str], set[int], str | None]:
    """Lines of the document body in order: paragraphs (with list numbers) and table rows."""
    lines: list[str] = []
    headings: set[int] = set()
    title: str | None = None
    first_heading: str | None = None
    for el in _body_blocks(body):
        if el.tag == _w("tbl"):
            lines.extend(_table_rows(el))
            continue
        ppr = el.find(_w("pPr"))
        style_id = _wval(ppr, "pStyle")
        text = _paragraph_text(el)
        prefix = numbering.prefix(style_id, ppr)
        if prefix and text.strip():
            text = prefix + text.lstrip()
        if styles.is_heading(style_id, ppr) and text.strip():
            heading = _join_soft_breaks(text)
            headings.add(len(lines))
            lines.append(heading)
            if title is None and styles.is_title(style_id):
                title = heading
            first_heading = first_heading or heading
        else:
            lines.extend(text.split("\n"))
    return lines, headings, title or first_heading


def _body_blocks(container) -> Iterator:
    """w:p and w:tbl elements in document order, looking inside content controls and custom XML."""
    for child in container:
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _body_blocks(content)
        elif child.tag == _w("customXml"):
            yield from _body_blocks(child)


_SKIP_ANCESTORS = {_w("del"), _w("moveFrom"), _w("txbxContent"), f"{{{_MC}}}Fallback"}


def _paragraph_text(p) -> str:
    """Visible text of a paragraph, including tracked insertions, hyperlinks and content controls.

    python-docx's Paragraph.text only sees direct runs and hyperlinks, which drops inserted text
    in drafts and anything inside content controls.
    """
    parts = []
    for run in p.iter(_w("r")):
        if _has_skipped_ancestor(run, p):
            continue
        text = getattr(run, "text", None)
        if not isinstance(text, str):  # not python-docx's CT_R: read the text nodes directly
            text = "".join(t.text or "" for t in run.iter(_w("t")))
        parts.append(text)
    return "".join(parts)


def _has_skipped_ancestor(el, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP_ANCESTORS:
            return True
        parent = parent.getparent()
    return False


def _join_soft_breaks(text: str) -> str:
    """A heading is one line: join manual line breaks (no space between Chinese characters)."""
    pieces = [piece.strip() for piece in text.split("\n") if piece.strip()]
    out = ""
    for piece in pieces:
        if out and (out[-1].isascii() and piece[0].isascii()):
            out += " "
        out += piece
    return out


def _table_rows(tbl) -> list[str]:
    """One line per table row, cells joined by " | " (empty and merged-continuation cells skipped)."""
    rows = []
    for tr in tbl.iterfind(f".//{_w('tr')}"):
        if _nearest_table(tr) is not tbl:
            continue  # nested tables are read as part of their cell
        cells = []
        for tc in tr.iterfind(f".//{_w('tc')}"):
            if _nearest_row(tc) is not tr:
                continue
            texts = (" ".join(_paragraph_text(p).split()) for p in tc.iter(_w("p")))
            cell = " ".join(t for t in texts if t)
            if cell:
                cells.append(cell)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != _w("tbl"):
        parent = parent.getparent()
    return parent


def _nearest_row(el):
    parent = el.getparent()
    while parent is not None and parent.tag != _w("tr"):
        parent = parent.getparent()
    return parent
