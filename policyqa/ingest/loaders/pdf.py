"""PDF: the text layer via pypdf; scanned, garbled, encrypted and broken files are skipped with a reason."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import unicodedata
import warnings
from typing import Iterator

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import (REASON_PDF_CORRUPT, REASON_PDF_ENCRYPTED, REASON_PDF_GARBLED,
                                          REASON_PDF_NO_TEXT, REASON_PDF_OCR_EMPTY, Extracted, LoadOptions,
                                          normalize_newlines, too_many_chars)
from policyqa.ingest.loaders.ocr import ocr_available, ocr_pdf_pages
from policyqa.ingest.loaders.pdf_layout import Line, assemble, drop_running_lines, page_lines

logger = logging.getLogger(__name__)

#: a page with fewer characters in its text layer is a scan (a stamp or a page number may be text)
SCANNED_CHARS = 10


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


def load_pdf(raw: bytes, options: LoadOptions = LoadOptions()) -> Extracted:
    """Lines of every page in reading order, with the line where each page starts; tables as one line per
    row ("列名：值；…"); running headers, footers and page numbers dropped."""
    if b"%PDF-" not in raw[:1024]:
        raise SkipFile(REASON_PDF_CORRUPT)
    with _quiet_pypdf():
        reader = _open_pdf(raw)
        title = _pdf_title(reader)
        pages = _layout_pages(raw, reader, options.max_chars)
    pages, ocr_pages = _ocr_scanned(raw, pages, options)
    pages = drop_running_lines(pages)
    out = assemble(pages)
    text = normalize_newlines("\n".join(out.lines))
    visible = "".join(text.split())
    if len(visible) < max(10, 5 * len(pages)):
        raise SkipFile(REASON_PDF_OCR_EMPTY if options.ocr and ocr_available() else REASON_PDF_NO_TEXT)
    if _garbled_ratio(visible) > 0.3:
        raise SkipFile(REASON_PDF_GARBLED)
    return Extracted(text, title=title, heading_lines=out.headings, page_starts=out.page_starts,
                     block_lines=out.rows, ocr_pages=ocr_pages,
                     tables=sum(1 for page in pages for line in page if line.table_start))


def _ocr_scanned(raw: bytes, pages: list[list[Line]], options: LoadOptions) -> tuple[list[list[Line]], int]:
    """Pages without a text layer read by OCR (up to the configured page limit); returns the pages and how
    many were recognised."""
    blank = [k for k, page in enumerate(pages) if len("".join(line.text for line in page).split()) == 0
             or sum(len(line.text.strip()) for line in page) < SCANNED_CHARS]
    if not blank or not options.ocr or not ocr_available():
        return pages, 0
    chosen = blank[:options.ocr_max_pages]
    if len(blank) > len(chosen):
        logger.warning("OCR limited to %d of %d scanned pages", len(chosen), len(blank))
    read = ocr_pdf_pages(raw, chosen, options.progress)
    out = list(pages)
    for k, lines in read.items():
        out[k] = [Line(text) for text in lines]
    return out, sum(1 for lines in read.values() if lines)


def _layout_pages(raw: bytes, reader, max_chars: int = 10 ** 9) -> list[list[Line]]:
    """pdfplumber's layout per page; a page it cannot read falls back to pypdf's plain text. Stops with
    `SkipFile` once the text passes `max_chars`."""
    import pdfplumber

    out: list[list[Line]] = []
    failures = 0
    plain = None
    chars = 0
    with pdfplumber.open(io.BytesIO(raw), password="") as pdf:
        header: list[str] | None = None
        for number, page in enumerate(pdf.pages):
            try:
                lines, header = page_lines(page, header)
            except Exception as exc:  # one broken page should not lose the rest of the document
                logger.info("layout of page %d failed (%s); using plain text", number + 1, exc)
                plain = plain if plain is not None else _pdf_pages(reader)
                lines = [Line(t) for t in plain[number].split("\n")] if number < len(plain) else []
                failures += not any(line.text.strip() for line in lines)
            out.append(lines)
            chars += sum(len(line.text) for line in lines)
            if chars > max_chars:
                raise too_many_chars(max_chars)
    if out and failures == len(out):
        raise SkipFile(REASON_PDF_CORRUPT)
    return out


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
