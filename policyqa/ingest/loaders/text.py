"""Plain text and Markdown: decoding (BOMs, UTF-8, GB18030, charset detection) and Markdown headings."""

from __future__ import annotations

import codecs
import re
import unicodedata

from policyqa.errors import SkipFile
from policyqa.ingest.loaders.base import REASON_BINARY, REASON_ENCODING, Extracted, normalize_newlines

BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer names for legacy simplified-Chinese code pages: GB18030 is a strict superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "iso2022_cn"}


def load_text(raw: bytes, markdown: bool = False) -> Extracted:
    text, encoding = decode_text(raw)
    text = normalize_newlines(text)
    if markdown:
        headings, title = _markdown_headings(text)
        return Extracted(text, encoding, title, headings)
    return Extracted(text, encoding)


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name). Raises `SkipFile` for binary junk."""
    for bom, codec in BOMS:
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
    """Reject decoded text that is mostly control / unassigned characters (binary data); drop the stray
    control characters of a text file (a NUL left by an editor or a transfer)."""
    sample = text[:200_000]
    junk = _junk(sample)
    # a few stray characters in a short file are not binary: one NUL in 60 characters is 1.7%
    if junk > max(MIN_JUNK, 0.01 * len(sample)):
        raise SkipFile(REASON_BINARY)
    return _CONTROLS.sub("", text)


_ALLOWED_CONTROLS = set("\t\n\r\x0b\x0c\x1a")  # \x1a: DOS end-of-file marker in old text files
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
MIN_JUNK = 3


def _junk(sample: str) -> int:
    return sum(1 for c in sample
               if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in ("Cc", "Cn", "Cs", "Co"))


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
