"""What every loader returns, and the user-facing reasons a file is skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from policyqa.errors import SkipFile

# User-facing reasons (short Chinese sentences shown next to the skipped file).
REASON_EMPTY = "文件为空"
REASON_UNREADABLE = "无法读取文件"
REASON_ENCODING = "无法识别文本编码"
REASON_BINARY = "文件内容不是可读文本（可能是二进制文件或扩展名有误）"
REASON_HTML_NO_TEXT = "网页中没有可提取的正文"
REASON_PDF_NO_TEXT = "PDF 没有文本层（可能是扫描件），请先进行文字识别（OCR）"
REASON_PDF_OCR_EMPTY = "PDF 没有文本层，文字识别（OCR）也未识别出文字"
REASON_PDF_GARBLED = "PDF 文本层无法正确解码（字体缺少编码映射），请先进行文字识别（OCR）"
REASON_PDF_CORRUPT = "文件已损坏或不是有效的 PDF"
REASON_PDF_ENCRYPTED = "PDF 已加密，无法读取内容，请提供未加密的版本"
REASON_DOCX_CORRUPT = "文件已损坏或不是有效的 Word（.docx）文档"
REASON_DOCX_LEGACY = "文件实际是旧版 Word（.doc）格式或已加密，请用 Word 另存为 .docx 后再导入"
REASON_UNSUPPORTED = "不支持的文件类型：{suffix}"
REASON_TOO_MANY_CHARS = "文件正文超过 {limit} 字的上限，已跳过（可调整配置项 max_doc_chars）"
REASON_FILE_TOO_LARGE = "文件超过 {mb} MB 的大小上限，未读取（可调整配置项 max_file_mb）"


@dataclass(frozen=True)
class LoadOptions:
    """How files are read (from the config): OCR of pages without a text layer, and its page limit."""

    ocr: bool = True
    ocr_max_pages: int = 100
    progress: Callable[[int, int], None] | None = None  # (pages done, pages to read) while OCR runs
    max_chars: int = 1_000_000  # text per document; a loader stops reading once past it
    max_unzipped: int | None = None  # bytes a .docx/.xlsx/.ofd may expand to (None: each loader's own bound)


def too_many_chars(limit: int) -> SkipFile:
    return SkipFile(REASON_TOO_MANY_CHARS.format(limit=limit))


@dataclass(frozen=True)
class Extracted:
    """The text a loader got out of the file bytes; `load_file` adds name, kind and hash."""

    text: str  # one logical line per '\n'-separated line
    encoding: str | None = None
    title: str | None = None  # a title the format declares (HTML <title>, docx core properties)
    heading_lines: frozenset[int] = frozenset()  # 0-based lines the format marks as headings
    page_starts: tuple[int, ...] = ()  # 0-based first line of each page (page k+1 starts at page_starts[k])
    block_lines: frozenset[int] = frozenset()  # lines that are whole blocks, never joined (table rows)
    ocr_pages: int = 0  # pages whose text came from OCR
    tables: int = 0  # tables found
    meta: dict[str, str] = field(default_factory=dict)  # what the format declares: issuer, date, ...


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
