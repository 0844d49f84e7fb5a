"""Legacy office files through LibreOffice: .doc / .wps / .rtf → .docx (then `load_docx`), .xls → .xlsx.

LibreOffice runs headless, one process per conversion, each with its own throw-away user profile in a
temporary directory (so concurrent runs and a root user work), no stdin, and a timeout after which the
whole process group is killed. The first successful run's fresh profile is kept as a per-process template
and copied for the next runs, which saves LibreOffice's first-start set-up (~0.7 s per file).

Install on Debian/Ubuntu: ``apt-get install -y --no-install-recommends libreoffice-writer-nogui
libreoffice-calc-nogui``.
"""

from __future__ import annotations

import atexit
import email
import email.policy
import io
import logging
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import REASON_EMPTY, Extracted
from policyqa.ingest.loaders.docx import load_docx

logger = logging.getLogger(__name__)

#: seconds one LibreOffice conversion may take before it is killed
CONVERT_TIMEOUT = 120
#: larger inputs are not handed to LibreOffice
MAX_CONVERT_BYTES = 100 * 1024 * 1024

REASON_CONVERTER_MISSING = "未安装 LibreOffice，无法读取 .doc/.wps/.rtf 文件（请安装 libreoffice-writer-nogui 或另存为 .docx）"
REASON_CONVERT_FAILED = "LibreOffice 无法转换该文件（文件可能已损坏或格式不受支持），请另存为 .docx/.xlsx 后再导入"
REASON_CONVERT_TIMEOUT = f"LibreOffice 转换超时（超过 {CONVERT_TIMEOUT} 秒），文件可能过大或已损坏，请另存为 .docx/.xlsx 后再导入"
REASON_CONVERT_TOO_LARGE = f"文件过大（超过 {MAX_CONVERT_BYTES // (1024 * 1024)} MB），无法转换，请另存为 .docx/.xlsx 后再导入"
REASON_PASSWORD = "文件设有打开密码（已加密），无法读取内容，请提供未加密的版本"
REASON_DOC_CORRUPT = "文件已损坏或不是有效的 Word（.doc）/WPS 文档"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc, .xls, .wps, encrypted .docx/.xlsx

# explicit export filters, so LibreOffice never guesses the output format
_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "doc": "doc:MS Word 97",
    "xls": "xls:MS Excel 97",
    "odt": "odt:writer8",
    "pdf": "pdf",
}

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def soffice_path() -> str | None:
    """The LibreOffice executable (`soffice` / `libreoffice` on PATH, or a usual install path), or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _CANDIDATES if os.path.isfile(p) and os.access(p, os.X_OK)), None)


def converter_available() -> bool:
    return soffice_path() is not None


# ---------------------------------------------------------------------------------------------- convert

_template_lock = threading.Lock()
_template: Path | None = None  # a profile LibreOffice has already initialised, copied for each run


def convert(raw: bytes, suffix: str, target: str, *, infilter: str | None = None) -> bytes:
    """Convert `raw` (a file of type `suffix`, e.g. "doc") to `target` ("docx", "xlsx", …) with LibreOffice.

    `target` is an extension with a known export filter or a full "ext:Filter Name"; `infilter` forces
    the import filter (e.g. "HTML (StarCalc)" to open an HTML table in Calc), otherwise LibreOffice
    detects the input type from the bytes.

    Raises `SkipFile` with a Chinese reason when LibreOffice is missing, the input is too large, the
    conversion produces nothing (corrupt, password-protected or unsupported input) or times out.
    """
    suffix = suffix.lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,10}", suffix):
        raise ValueError(f"bad suffix {suffix!r}")
    filt = _FILTERS.get(target, target)
    ext = filt.split(":", 1)[0]
    exe = soffice_path()
    if exe is None:
        raise SkipFile(REASON_CONVERTER_MISSING)
    if len(raw) > MAX_CONVERT_BYTES:
        raise SkipFile(REASON_CONVERT_TOO_LARGE)

    with tempfile.TemporaryDirectory(prefix="policyqa-lo-") as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / f"input.{suffix}"
        src.write_bytes(raw)
        profile = tmp / "profile"
        seeded = _seed_profile(profile)
        outdir = tmp / "out"
        cmd = [exe, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               f"-env:UserInstallation={profile.as_uri()}"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", filt, "--outdir", str(outdir), str(src)]
        started = time.monotonic()
        out, err = _run(cmd, cwd=tmp)
        result = outdir / f"input.{ext}"
        if not result.is_file() or result.stat().st_size == 0:
            logger.info("LibreOffice could not convert .%s to %s: %s %s", suffix, ext,
                        out.decode("utf-8", "replace").strip(), err.decode("utf-8", "replace").strip())
            raise SkipFile(REASON_CONVERT_FAILED)
        logger.info("converted .%s to .%s in %.1f s", suffix, ext, time.monotonic() - started)
        converted = result.read_bytes()
        if not seeded:
            _keep_template(profile)
        return converted


def _run(cmd: list[str], cwd: Path) -> tuple[bytes, bytes]:
    """Run LibreOffice without stdin; on timeout kill its whole process group and raise `SkipFile`."""
    posix = os.name == "posix"
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp")  # never look for a display
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=posix)
    try:
        return proc.communicate(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        logger.warning("LibreOffice timed out after %s s: %s", CONVERT_TIMEOUT, cmd[-1])
        _kill(proc, posix)
        proc.communicate()
        raise SkipFile(REASON_CONVERT_TIMEOUT) from None
    finally:
        if posix:  # a helper process left behind would keep the profile busy
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _kill(proc: subprocess.Popen, posix: bool) -> None:
    try:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _seed_profile(profile: Path) -> bool:
    """Copy the template profile to `profile`; False if there is none yet (LibreOffice creates one)."""
    template = _template
    if template is None or not template.is_dir():
        return False
    try:
        shutil.copytree(template, profile, ignore=shutil.ignore_patterns(".lock", "*.lock"))
        return True
    except OSError as exc:
        logger.debug("cannot copy LibreOffice profile template: %s", exc)
        shutil.rmtree(profile, ignore_errors=True)
        return False


def _keep_template(profile: Path) -> None:
    global _template
    with _template_lock:
        if _template is not None:
            return
        try:
            home = Path(tempfile.mkdtemp(prefix="policyqa-lo-profile-"))
            shutil.copytree(profile, home / "profile", ignore=shutil.ignore_patterns(".lock", "*.lock"))
        except OSError as exc:
            logger.debug("cannot keep LibreOffice profile template: %s", exc)
            return
        atexit.register(shutil.rmtree, home, True)
        _template = home / "profile"


# -------------------------------------------------------------------------------------------- load_doc

def load_doc(raw: bytes) -> Extracted:
    """A legacy Word .doc, Kingsoft WPS .wps or .rtf file (or a .docx / Word web page saved as .doc).

    The bytes decide the format, not the name: a .docx renamed .doc is read directly, an OLE or RTF file
    goes through LibreOffice to .docx, a Word "web page" (.doc that is HTML or MHT) is converted as HTML.
    Anything else is refused rather than imported as plain text (LibreOffice would accept any bytes).
    """
    if not raw.strip():
        raise SkipFile(REASON_EMPTY)
    if raw.startswith(b"PK\x03\x04"):
        return _load_zip(raw)
    if raw.startswith(OLE_MAGIC):
        if ole_encrypted(raw):
            raise SkipFile(REASON_PASSWORD)
        names = ole_stream_names(raw)
        if not names or names == {"root entry"}:
            raise SkipFile(REASON_DOC_CORRUPT)  # LibreOffice would import the bytes as plain text
        # Word 97–2003 and Kingsoft WPS Writer files carry a WordDocument stream; MS Works .wps does not
        suffix = "doc" if "worddocument" in names else "wps"
        return _docx_from(convert(raw, suffix, "docx"))
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return _docx_from(convert(raw, "rtf", "docx"))
    sniff = _text_head(head)
    if sniff.startswith("mime-version:") or "multipart/related" in sniff[:2000]:
        html = _mht_html(raw)
        if html is None:
            raise SkipFile(REASON_DOC_CORRUPT)
        return _docx_from(convert(html, "html", "docx"))
    if re.match(r"(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta)\b", sniff, re.S):
        return _docx_from(convert(raw, "html", "docx"))
    if sniff.startswith("<?xml") and ("w:worddocument" in sniff or "office:word" in sniff
                                       or "progid=\"word.document\"" in sniff):
        return _docx_from(convert(raw, "xml", "docx"))  # Word 2003 XML
    raise SkipFile(REASON_DOC_CORRUPT)


def _load_zip(raw: bytes) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SkipFile(REASON_DOC_CORRUPT) from exc
    if "word/document.xml" in names:
        return load_docx(raw)  # a .docx under an old name
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return _docx_from(convert(raw, "odt", "docx"))
    raise SkipFile(REASON_DOC_CORRUPT)


def _text_head(head: bytes) -> str:
    sample = head[:4096]
    for enc in ("utf-16",) if sample[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8", "gb18030", "latin-1"):
        try:
            return sample.decode(enc, "strict" if enc != "utf-8" else "ignore").lower().lstrip("\ufeff \t\r\n")
        except UnicodeDecodeError:
            continue
    return ""


def _mht_html(raw: bytes) -> bytes | None:
    """The HTML part of a single-file web page (Word's "save as .mht/.doc"), re-encoded as UTF-8."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() != "text/html":
                continue
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                text = payload.decode(charset)
            except (LookupError, UnicodeDecodeError):
                text = payload.decode("gb18030", "replace")
            text = re.sub(r"charset\s*=\s*[\"']?[\w-]+", "charset=utf-8", text, flags=re.I)
            if "charset=utf-8" not in text[:4096].lower():
                text = '<meta charset="utf-8">' + text
            return text.encode("utf-8")
    except Exception as exc:  # the email parser is lenient, but stay safe on odd input
        logger.info("cannot read MHT: %s", exc)
    return None


def _docx_from(docx_bytes: bytes) -> Extracted:
    try:
        extracted = load_docx(docx_bytes)
    except SkipFile as exc:  # LibreOffice wrote something python-docx cannot read
        raise SkipFile(REASON_CONVERT_FAILED) from exc
    return _mark_tables(docx_bytes, extracted)


def _mark_tables(docx_bytes: bytes, extracted: Extracted) -> Extracted:
    """Mark table rows as block lines and count tables (load_docx renders the rows but does not mark them).

    Walks the body the way load_docx does and keeps the result only if every table row is found exactly
    on the line it expects; otherwise (or if load_docx already marks tables) `extracted` is returned as is.
    """
    if extracted.block_lines or extracted.tables:
        return extracted
    try:
        import docx

        from policyqa.ingest.loaders import docx as docx_loader

        w = docx_loader._w
        document = docx.Document(io.BytesIO(docx_bytes))
        styles = docx_loader._DocxStyles(document.styles.element)
        lines = extracted.text.split("\n")
        n, blocks, tables = 0, set(), 0
        for el in docx_loader._body_blocks(document.element.body):
            if el.tag == w("tbl"):
                rows = docx_loader._table_rows(el)
                if lines[n:n + len(rows)] != rows:
                    return extracted
                blocks.update(range(n, n + len(rows)))
                n += len(rows)
                tables += bool(rows)
                continue
            ppr = el.find(w("pPr"))
            text = docx_loader._paragraph_text(el)
            heading = bool(text.strip()) and styles.is_heading(docx_loader._wval(ppr, "pStyle"), ppr)
            n += 1 if heading else len(text.split("\n"))
        if n != len(lines):
            return extracted
    except Exception as exc:  # only an enrichment: never fail the file for it
        logger.debug("cannot mark table rows: %s", exc)
        return extracted
    return Extracted(extracted.text, encoding=extracted.encoding, title=extracted.title,
                     heading_lines=extracted.heading_lines, page_starts=extracted.page_starts,
                     block_lines=frozenset(blocks), ocr_pages=extracted.ocr_pages, tables=tables,
                     meta=dict(extracted.meta))


# ------------------------------------------------------------------------------ compound file (OLE2)

def _ole_directory(raw: bytes):
    """A compound file's (sector size, sector reader, FAT chain walker, directory entries as
    (name, type, start sector, size), mini-stream cutoff), or None if `raw` is not one."""
    if len(raw) < 512 or not raw.startswith(OLE_MAGIC):
        return None
    shift = struct.unpack_from("<H", raw, 30)[0]
    if shift not in (9, 12):
        return None
    size = 1 << shift

    def sector(i: int) -> bytes:  # sector i follows the header sector (512 or 4096 bytes)
        off = (i + 1) * size
        return raw[off:off + size] if i < 0xFFFFFFFA and off + size <= len(raw) else b""

    difat = [s for s in struct.unpack_from("<109I", raw, 76) if s < 0xFFFFFFFA]
    nxt, guard = struct.unpack_from("<I", raw, 68)[0], 0
    while nxt < 0xFFFFFFFA and guard < 1000:
        data = sector(nxt)
        if len(data) < size:
            break
        entries = struct.unpack(f"<{size // 4}I", data)
        difat.extend(s for s in entries[:-1] if s < 0xFFFFFFFA)
        nxt, guard = entries[-1], guard + 1
    fat: list[int] = []
    for s in difat:
        data = sector(s)
        if len(data) == size:
            fat.extend(struct.unpack(f"<{size // 4}I", data))

    def chain(start: int, limit: int = 1 << 20):
        seen = set()
        while start < len(fat) and start not in seen and len(seen) < limit:
            seen.add(start)
            yield start
            start = fat[start]

    entries = []
    for s in chain(struct.unpack_from("<I", raw, 48)[0], limit=4096):
        data = sector(s)
        for off in range(0, len(data) - 127, 128):
            name_len = struct.unpack_from("<H", data, off + 64)[0]
            kind = data[off + 66]
            if kind == 0 or not 2 <= name_len <= 64:
                continue
            name = data[off:off + name_len - 2].decode("utf-16-le", "replace")
            start, length = struct.unpack_from("<II", data, off + 116)
            entries.append((name, kind, start, length))
    return size, sector, chain, entries, struct.unpack_from("<I", raw, 56)[0]


def ole_stream_names(raw: bytes) -> set[str] | None:
    """Lower-cased stream and storage names of a compound file, or None if it cannot be read."""
    try:
        parsed = _ole_directory(raw)
    except struct.error:
        return None
    return None if parsed is None else {name.lower() for name, *_ in parsed[3]}


def _ole_stream_head(raw: bytes, wanted: str, limit: int = 4096) -> bytes | None:
    """The first `limit` bytes of stream `wanted` (case-insensitive), or None."""
    try:
        parsed = _ole_directory(raw)
        if parsed is None:
            return None
        size, sector, chain, entries, mini_cutoff = parsed
        root = next((e for e in entries if e[1] == 5), None)
        entry = next((e for e in entries if e[1] == 2 and e[0].lower() == wanted.lower()), None)
        if entry is None:
            return None
        _, _, start, length = entry
        want = min(length, limit)
        if length >= mini_cutoff or root is None:
            out = b""
            for s in chain(start):
                out += sector(s)
                if len(out) >= want:
                    break
            return out[:want]
        # small streams live in 64-byte mini sectors inside the root entry's stream
        mini_fat_start = struct.unpack_from("<I", raw, 60)[0]
        mini_fat: list[int] = []
        for s in chain(mini_fat_start, limit=4096):
            data = sector(s)
            mini_fat.extend(struct.unpack(f"<{len(data) // 4}I", data))
        container = b"".join(sector(s) for s in chain(root[2], limit=(64 * 1024 * 64) // size + 64))
        out, s, seen = b"", start, set()
        while s < len(mini_fat) and s not in seen and len(out) < want:
            seen.add(s)
            out += container[s * 64:(s + 1) * 64]
            s = mini_fat[s]
        return out[:want]
    except (struct.error, IndexError):
        return None


def ole_encrypted(raw: bytes) -> bool:
    """True for a password-protected Office file: encrypted .docx/.xlsx (an OLE container), .doc, .xls."""
    names = ole_stream_names(raw)
    if names is None:
        return False
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return True
    fib = _ole_stream_head(raw, "WordDocument", 64)
    if fib and len(fib) >= 12 and struct.unpack_from("<H", fib, 0)[0] == 0xA5EC:
        return bool(struct.unpack_from("<H", fib, 10)[0] & 0x0100)  # FIB fEncrypted
    for stream in ("Workbook", "Book"):
        head = _ole_stream_head(raw, stream, 4096)
        if head:
            return _biff_filepass(head)
    return False


def _biff_filepass(head: bytes) -> bool:
    """A FILEPASS record (0x002F) right after the first BOF of an .xls workbook stream."""
    if len(head) < 8:
        return False
    rtype, rlen = struct.unpack_from("<HH", head, 0)
    if rtype not in (0x0809, 0x0409, 0x0209, 0x0009) or len(head) < 8 + rlen:
        return False
    return struct.unpack_from("<H", head, 4 + rlen)[0] == 0x002F
