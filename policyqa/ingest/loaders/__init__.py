"""Stage 1 (load): a file on disk → a `LoadedFile` of decoded text, or `SkipFile` with a Chinese reason."""

from __future__ import annotations

import hashlib
import logging
from functools import partial
from pathlib import Path

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import (REASON_EMPTY, REASON_UNREADABLE, REASON_UNSUPPORTED,
                                          LoadOptions, too_many_chars)
from policyqa.ingest.loaders.docx import load_docx
from policyqa.ingest.loaders.html import load_html
from policyqa.ingest.loaders.ofd import load_ofd
from policyqa.ingest.loaders.office import load_doc
from policyqa.ingest.loaders.sheet import load_sheet, load_xls
from policyqa.ingest.loaders.pdf import load_pdf
from policyqa.ingest.loaders.text import load_text
from policyqa.schema import LoadedFile

logger = logging.getLogger(__name__)

_KINDS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
          ".ofd": "ofd", ".doc": "doc", ".wps": "doc", ".rtf": "doc", ".xlsx": "xlsx", ".xls": "xls"}
#: the one list of file types ingest reads
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_KINDS)
_LOADERS = {"txt": load_text, "md": partial(load_text, markdown=True), "html": load_html, "pdf": load_pdf,
            "docx": load_docx, "ofd": load_ofd, "doc": load_doc, "xlsx": load_sheet, "xls": load_xls}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and password-protected Office files


_TEXT_KINDS = {"txt", "md", "html"}
_ZIP_KINDS = {"docx", "xlsx", "ofd"}


def load_file(path: Path, options: LoadOptions = LoadOptions(), raw: bytes | None = None) -> LoadedFile:
    """Read `path` (or take its bytes, `raw`, already read) and decode it according to its suffix; raise
    `SkipFile` if it cannot be ingested or its text passes `options.max_chars`.

    Every format keeps one logical line per '\\n'-separated line so later stages can cite line numbers: for
    .txt/.md they are the source file's lines, for the other formats lines of the extracted text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    kind = _KINDS.get(suffix)
    if kind is None:
        shown = suffix or "（无扩展名）"
        raise SkipFile(REASON_UNSUPPORTED.format(suffix=shown))
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            logger.warning("cannot read %s: %s", path, exc)
            raise SkipFile(REASON_UNREADABLE) from exc
    if not raw.strip():
        raise SkipFile(REASON_EMPTY)
    if kind in _TEXT_KINDS and len(raw) > 4 * options.max_chars:
        raise too_many_chars(options.max_chars)  # no encoding takes more than 4 bytes a character: never decoded
    if kind == "docx" and raw.startswith(_OLE_MAGIC):  # a renamed .doc or an encrypted Office file
        kind = "doc"

    if kind == "pdf":
        extracted = load_pdf(raw, options)
    elif kind in _ZIP_KINDS and options.max_unzipped is not None:
        extracted = _LOADERS[kind](raw, limit=options.max_unzipped)
    else:
        extracted = _LOADERS[kind](raw)
    if not extracted.text.strip():
        raise SkipFile(REASON_EMPTY)
    if len(extracted.text) > options.max_chars:
        raise too_many_chars(options.max_chars)
    loaded = LoadedFile(name=path.name, kind=kind, text=extracted.text, encoding=extracted.encoding,
                        title=extracted.title, heading_lines=extracted.heading_lines,
                        raw_hash=hashlib.sha256(raw).hexdigest(), page_starts=extracted.page_starts,
                        block_lines=extracted.block_lines, ocr_pages=extracted.ocr_pages,
                        tables=extracted.tables, meta=dict(extracted.meta))
    logger.info("loaded %s (%s, %s, %d lines)", path.name, kind, loaded.encoding or "-",
                loaded.text.count("\n") + 1)
    return loaded
