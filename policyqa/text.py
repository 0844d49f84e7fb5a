"""Chinese text helpers shared by every stage: characters and punctuation, the one whitespace
normaliser, sentence spans, character bigrams and the [n] citation markers."""

from __future__ import annotations

import re
import unicodedata

#: an answer's citation marker, "[3]"
MARK = re.compile(r"\[(\d+)\]")
#: markers in answers of other systems too: [1], [1,2], 【3】, [1-3]
ANY_MARK = re.compile(r"[\[【]\s*\d+(?:\s*[,，、\-–~]\s*\d+)*\s*[\]】]")
#: a number as written in text: "2035", "1327", "2.47"
DIGITS = re.compile(r"\d+(?:\.\d+)?")
_WS = re.compile(r"[\s\u200b\ufeff]+")  # \s covers U+3000 and NBSP; zero-width chars sneak in from Word/PDF

CN_DIGITS = "零〇一二三四五六七八九十百千两"
_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: punctuation after which a sentence (and possibly a paragraph) is complete
FINAL_PUNCT = "。！？!?；;：:…"
#: closing marks that may follow the final punctuation ("。”", "。）")
CLOSING = "”’」』）)】》〉"
#: a line ending in one of these is certainly continued on the next line
OPEN_END = "，,、（(“‘《〈【「『—-/·"
#: a line starting with one of these continues the previous line
CLOSING_START = "，,、。．；;：:！!？?）)”’」』】》〉…"
#: punctuation inside a line that marks running text rather than a title
INNER_PUNCT = "，。；！？;!?"


def cn_to_int(s: str) -> int | None:
    """'十九' → 19, '二十三' → 23, '7' → 7."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, num = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            num = _CN_VAL[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        elif ch == "千":
            total += (num or 1) * 1000
            num = 0
        else:
            return None
    return total + num


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FFFF
            or 0xF900 <= o <= 0xFAFF)


def is_cjk_punct(ch: str) -> bool:
    o = ord(ch)
    return (0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x2027 or 0x2030 <= o <= 0x205E
            or ch in "·《》〈〉【】「」『』" or 0x2460 <= o <= 0x24FF or 0x25A0 <= o <= 0x25FF)


def is_cjkish(ch: str) -> bool:
    return is_cjk(ch) or is_cjk_punct(ch)


def display_width(s: str) -> int:
    """Layout width in half-width units: CJK characters and Chinese punctuation count 2."""
    w = 0
    for ch in s:
        if unicodedata.east_asian_width(ch) in "WF" or ch in "“”‘’—…·":
            w += 2
        else:
            w += 1
    return w


def strip_closing(s: str) -> str:
    return s.rstrip().rstrip(CLOSING).rstrip()


def ends_final(s: str) -> bool:
    """The text ends a sentence (。！？；：… possibly followed by a closing quote or bracket, or by a
    bracketed note after the full stop: "……体系。（牵头单位：省水利厅）")."""
    t = strip_closing(s)
    if t and t[-1] in FINAL_PUNCT:
        return True
    s = s.rstrip()
    if s.endswith(("）", ")")):
        depth = 0
        for k in range(len(s) - 1, max(-1, len(s) - 200), -1):
            if s[k] in "）)":
                depth += 1
            elif s[k] in "（(":
                depth -= 1
                if depth == 0:
                    return k > 0 and s[k - 1] in FINAL_PUNCT
    return False


def ends_open(s: str) -> bool:
    t = s.rstrip()
    return bool(t) and t[-1] in OPEN_END


def starts_closing(s: str) -> bool:
    t = s.lstrip()
    return bool(t) and t[0] in CLOSING_START


def has_inner_punct(s: str) -> bool:
    return any(ch in INNER_PUNCT for ch in s)


_PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("【", "】"), ("「", "」"))


def unbalanced_open(s: str) -> bool:
    """An opening quote or bracket is still open at the end of `s`."""
    return any(s.count(a) > s.count(b) for a, b in _PAIRS)


def letter_spaced(s: str) -> bool:
    """'担 当 源 自 责 任' — single CJK characters separated by spaces (justified or decorative text)."""
    return len(re.findall(r"(?<![^\s])[\u4e00-\u9fff](?= )", s.strip() + " ")) >= 4 and \
        len(re.findall(r"[\u4e00-\u9fff]{3,}", s)) <= 1


_OPEN, _CLOSE = "（(《“「[", "）)》”」]"
_ENDS = "。！？；!?;"


#: a table row as ingest writes it: "项目名称：…；总投资：…；牵头单位：…"
TABLE_ROW = re.compile(r"[^；：。\n]{1,24}：[^；\n]*(?:；[^；：。\n]{1,24}：[^；\n]*)+")


def sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (end exclusive, whitespace trimmed) of `text`. A sentence ends at 。！？； or a line
    break, but not inside brackets or quotes: "（牵头单位：省水利厅；参加单位：…）" stays whole; nor does a
    table row, whose cells only mean something together."""
    if TABLE_ROW.fullmatch(text.strip()):
        s = len(text) - len(text.lstrip())
        return [(s + offset, len(text.rstrip()) + offset)]
    spans = []
    depth = opened = 0
    start = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in _OPEN:
            depth += 1
            opened = i
        elif depth and i - opened > 160:  # an unbalanced bracket must not swallow the paragraph
            depth = 0
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch == "\n":
            spans.append((start, i))
            start = i = i + 1
            depth = 0
            continue
        if ch in _ENDS and depth == 0:
            end = i + 1
            while end < n and text[end] in _ENDS + "”’」』）)":  # keep closing marks with their sentence
                end += 1
            spans.append((start, end))
            start = i = end
            continue
        i += 1
    spans.append((start, n))
    out = []
    for s, e in spans:
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append((s + offset, e + offset))
    return out


def normalize(text: str) -> str:
    """Delete all whitespace (spaces, tabs, newlines, U+3000, zero-width marks): the form texts are compared in."""
    return _WS.sub("", text or "")


def strip_marks(text: str) -> str:
    """Remove [n] markers (and other systems' [1,2] / 【3】)."""
    return ANY_MARK.sub("", text or "")


def bigrams(text: str) -> set[str]:
    """Character bigrams of the word characters of `text` (punctuation and spaces dropped)."""
    t = re.sub(r"[\W_]+", "", text)
    return {t[i:i + 2] for i in range(len(t) - 1)}
