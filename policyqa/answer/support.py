"""The support check: every answer sentence must be backed by the paragraph it cites."""

from __future__ import annotations

import re
from dataclasses import replace

from policyqa.answer.types import COUNT_LEAD, UNSUPPORTED, Citation
from policyqa.text import DIGITS, MARK, bigrams, normalize, sentences, strip_marks

def best_support(claim: str, paragraph: str) -> tuple[float, tuple[int, int]]:
    """How well `paragraph` backs `claim`, and the span of the sentences that do: verbatim containment
    scores 1; otherwise the share of the claim's character bigrams found in the best window of up to
    three consecutive sentences, zeroed when the claim states a number the window does not."""
    claim_n = normalize(strip_marks(claim)).rstrip("。！？；;!?")
    if not claim_n:
        return 0.0, (0, 0)
    para_n = normalize(paragraph)
    spans = sentences(paragraph) or [(0, len(paragraph))]
    if claim_n in para_n:
        for i in range(len(spans)):
            for j in range(i, min(i + 6, len(spans))):
                if claim_n in normalize(paragraph[spans[i][0]:spans[j][1]]):
                    return 1.0, (spans[i][0], spans[j][1])
        return 1.0, (0, len(paragraph))
    want = bigrams(claim_n) or {claim_n}
    numbers = set(DIGITS.findall(claim_n))
    best, best_span = 0.0, spans[0]
    for i in range(len(spans)):
        for j in range(i, min(i + 3, len(spans))):
            window = paragraph[spans[i][0]:spans[j][1]]
            score = len(want & bigrams(window)) / len(want)
            if numbers - set(DIGITS.findall(normalize(window))):
                score = 0.0
            if score > best:
                best, best_span = score, (spans[i][0], spans[j][1])
    return best, best_span


def check_support(answer: str, citations: list[Citation], threshold: float = 0.6) -> tuple[str, list[Citation]]:
    """Confirm every answer sentence is backed by the passages it cites; flag the ones that are not.

    Returns the answer with unsupported sentences marked (⚠未核实) and new citations with `supported` set
    (a citation is supported when some sentence citing it is) and a quote filled in where it had none.
    `threshold` is `Config.support_threshold`."""
    answer = _MARK_AFTER_END.sub(r"\2\1", answer)
    by_n = {c.n: c for c in citations}
    ok: dict[int, bool] = {c.n: False for c in citations}
    quotes: dict[int, tuple[str, tuple[int, int]]] = {}
    out, last = [], 0
    for s, e in sentences(answer):
        sent = answer[s:e]
        out.append(answer[last:s])
        last = e
        claim = _ITEM_NUMBER.sub("", strip_marks(sent))  # "2. " numbers an item of a list answer
        good = not normalize(claim).strip("。；，,.;：:") or bool(COUNT_LEAD.match(normalize(claim)))
        for n in map(int, MARK.findall(sent)):
            c = by_n.get(n)
            if c is None:
                continue
            score, span = best_support(claim, c.text)
            if score >= threshold:
                good = ok[n] = True
                if not c.quote and n not in quotes:
                    quotes[n] = (c.text[span[0]:span[1]], span)
        out.append(sent if good else _flag(sent))
    out.append(answer[last:])
    checked = []
    for c in citations:
        quote, span = quotes.get(c.n, (c.quote, c.span))
        checked.append(replace(c, supported=ok[c.n], quote=quote, span=span))
    return "".join(out), checked


_ITEM_NUMBER = re.compile(r"^\s*\d{1,2}\. ")
_MARK_AFTER_END = re.compile(r"([。！？；])((?:\[\d+\])+)")


def _flag(sentence: str) -> str:
    end = len(sentence.rstrip("。！？；!?;"))
    return sentence[:end] + UNSUPPORTED + sentence[end:]
