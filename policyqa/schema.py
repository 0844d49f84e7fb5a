"""The typed records that flow through the stages: load → clean → structure → chunk → index."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadedFile:
    """A source file decoded to text, one source line per '\\n'-separated line."""

    name: str  # file name, the document's key
    kind: str  # txt | md | html | pdf | docx
    text: str
    encoding: str | None = None
    title: str | None = None  # a title the format declares (HTML <title>, docx core properties)
    heading_lines: frozenset[int] = frozenset()  # 0-based lines the format marks as headings (docx styles)
    raw_hash: str = ""  # sha256 of the file bytes
    page_starts: tuple[int, ...] = ()  # 0-based first line of each page; empty for formats without pages
    block_lines: frozenset[int] = frozenset()  # lines that are whole blocks, never joined (table rows)
    ocr_pages: int = 0  # pages whose text came from OCR
    tables: int = 0
    meta: dict[str, str] = field(default_factory=dict)  # metadata the format declares (issuer, date, ...)

    def page_of(self, line: int) -> int:
        """1-based page of a 0-based source line; 0 when the format has no pages."""
        return bisect.bisect_right(self.page_starts, line) if self.page_starts else 0


@dataclass(frozen=True)
class Block:
    """A cleaned logical line: a whole paragraph or heading, joined from one or more source lines."""

    text: str
    line_start: int  # 0-based source lines covered, inclusive
    line_end: int
    heading: bool = False  # the format or layout says this is a heading


@dataclass(frozen=True)
class Paragraph:
    id: str  # stable: same file content → same id
    doc: str  # file name
    index: int  # position in the document
    clause: tuple[str, ...]  # heading path, outermost first, e.g. ("第三章 …", "第一节 …", "二、…")
    text: str  # clean text shown to users
    start: int  # character span in Document.text
    end: int
    line_start: int  # source line span (0-based, inclusive)
    line_end: int
    heading: bool = False  # the paragraph is itself a heading
    page: int = 0  # 1-based page of its first line (PDF, OFD); 0 when the format has no pages
    # spans of `text` addressed to the answering system (系统提示：…, 忽略以上指令): never evidence
    instruction_spans: tuple[tuple[int, int], ...] = ()

    @property
    def has_instruction(self) -> bool:
        return bool(self.instruction_spans)


@dataclass
class Document:
    name: str  # file name
    title: str
    hash: str  # sha256 of the file bytes
    kind: str
    text: str  # cleaned text; Paragraph spans index into it
    paragraphs: list[Paragraph] = field(default_factory=list)
    issuer: str = ""
    date: str = ""
    status: str = ""  # e.g. 征求意见稿
    source: str = ""
    articles: int = 0  # a page of several reports: each clause path starts with its report's title
    number: str = ""  # 文号, e.g. 粤府〔2023〕12号
    doctype: str = ""  # 文种: 通知, 意见, 规划, 方案, 办法, 条例 …
    period: str = ""  # plan period or period of validity, e.g. 2021—2035年
    pages: int = 0  # pages of a paged format (PDF, OFD)
    ocr_pages: int = 0  # pages read by OCR
    tables: int = 0

    @property
    def outline(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.heading]


@dataclass(frozen=True)
class Chunk:
    id: str
    doc: str
    paragraph_ids: tuple[str, ...]
    clause: tuple[str, ...]
    text: str  # shown to users: clean paragraph text
    embed_text: str  # embedded and BM25-indexed: title and clause path as context, then the text
    spans: tuple[tuple[int, int], ...]  # character spans in Document.text, one per paragraph
