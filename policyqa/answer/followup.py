"""Follow-up questions: turn "那甲市呢？" or "它的牵头单位是？" into a standalone question (heuristic)."""

from __future__ import annotations

import re

_ELLIPSIS = re.compile(r"^(?:那么?|那|还有|另外|再问一下|那如果是)?\s*(?P<x>[^，。？?！!]{1,20}?)\s*(?:呢|的呢|怎么样|又如何|如何呢)\s*[？?]*$")
_PRONOUN = re.compile(r"^(?:那么?|那)?\s*(它们|它|其|该项|该|这个|这项|这些|此项|上述)")
_PLACE_LIKE = re.compile(r"(?:省|市|县|区|镇|港|圈|湾)$")


def standalone(question: str, history: list[str]) -> str:
    """Rewrite `question` using the previous user questions (most recent last); unchanged when it
    already stands alone."""
    q = question.strip()
    if not history:
        return q
    prev = history[-1].strip()
    m = _ELLIPSIS.match(q)
    if m and len(q) <= 24:
        x = m.group("x").strip()
        swapped = _swap_entity(prev, x)
        return swapped if swapped != prev else f"{x}{prev}"
    m = _PRONOUN.match(q)
    if m and len(q) <= 40:
        topic, rest = _topic(prev), q[m.end():]
        if not topic:
            return f"{prev} {q}"
        return topic + ("" if rest.startswith("的") else "的") + rest
    return q


def _swap_entity(prev: str, x: str) -> str:
    """Replace what `x` stands in for in the previous question: the stretch of it most like `x`
    (工业增加值 ↔ 工业总产值), else an entity of the same kind (a place for a place)."""
    best, best_shared = None, 0
    for size in range(max(2, len(x) - 2), len(x) + 3):
        for i in range(0, len(prev) - size + 1):
            window = prev[i:i + size]
            shared = len(set(window) & set(x))
            if shared > best_shared:
                best, best_shared = window, shared
    if best is not None and best_shared >= max(2, 0.4 * len(x)):
        return prev.replace(best, x, 1)
    import jieba.posseg as pseg

    x_place = bool(_PLACE_LIKE.search(x)) or any(f.startswith("ns") for _, f in pseg.cut(x))
    for w, flag in pseg.cut(prev):
        if w == x:
            return prev
        same_kind = (flag.startswith("ns") or _PLACE_LIKE.search(w)) if x_place else flag.startswith(("ns", "nr", "nt"))
        if same_kind and len(w) >= 2:
            return prev.replace(w, x, 1)
    return prev


def _topic(prev: str) -> str:
    """The previous question without its question words: what a pronoun most likely refers to."""
    t = re.sub(r"[？?。！!]+$", "", prev)
    t = re.sub(r"(是)?(什么|哪些|哪个|多少|如何|怎样|怎么|为什么|谁|哪里)\S*$", "", t)
    t = re.sub(r"(的|是|有|要)$", "", t)
    return t.strip()
