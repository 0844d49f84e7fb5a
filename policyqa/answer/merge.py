"""One answer from the answers of several knowledge bases to the same question.

Each knowledge base has its own index, so each answers on its own; the parts that answer are shown one after the
other under their knowledge base's name, the one whose evidence is closest in meaning first, with the citations
renumbered. When none answers, the refusal that found the asked section (文件未载明…) is kept over 未找到."""

from __future__ import annotations

import re
from dataclasses import replace

from policyqa.answer.types import NOT_STATED_LEAD, Answer

_MARK = re.compile(r"\[(\d+)\]")
# a knowledge base's answer is shown beside the best one only when its evidence is this close in cosine: a
# collection that merely shares words with the question answers with a neighbouring sentence (0.85 against the
# 0.95 of the collection that holds the fact), where two that both hold it stay within a few hundredths. Set by
# hand on cross-collection probes (two small fixtures and the seeds).
MARGIN = 0.04


def tag(answer: Answer, kb: str) -> Answer:
    """`answer` with its citations, contexts and related passages marked as coming from knowledge base `kb`."""
    return replace(answer, citations=[replace(c, kb=kb) for c in answer.citations],
                   contexts=[{**c, "kb": kb} for c in answer.contexts],
                   related=[{**r, "kb": kb} for r in answer.related])


def merge(parts: list[tuple[str, str, Answer]]) -> Answer:
    """`parts` are (knowledge base id, its name, its answer) to one question, in the order asked."""
    tagged = [(name, tag(a, kb)) for kb, name, a in parts]
    if len(tagged) == 1:
        return tagged[0][1]
    answered = sorted(((n, a) for n, a in tagged if not a.refused), key=lambda p: -_closeness(p[1]))
    answered = [(n, a) for n, a in answered if _closeness(a) >= _closeness(answered[0][1]) - MARGIN]
    contexts = sorted((c for _, a in tagged for c in a.contexts), key=lambda c: -c.get("dense", 0.0))
    timings = {k: sum(a.timings_ms.get(k, 0.0) for _, a in tagged) for k in tagged[0][1].timings_ms}
    if not answered:
        found = [a for _, a in tagged if a.answer.startswith(NOT_STATED_LEAD)]
        best = found[0] if found else tagged[0][1]
        related = best.related + [r for _, a in tagged if a is not best for r in a.related]
        return replace(best, contexts=contexts, related=related[:3], timings_ms=timings)
    if len(answered) == 1:
        return replace(answered[0][1], contexts=contexts, timings_ms=timings)
    texts, citations = [], []
    for name, a in answered:
        offset = len(citations)
        texts.append(f"【{name}】" + _MARK.sub(lambda m: f"[{int(m.group(1)) + offset}]", a.answer))
        citations += [replace(c, n=c.n + offset) for c in a.citations]
    first = answered[0][1]
    return replace(first, answer="\n\n".join(texts), citations=citations, contexts=contexts, timings_ms=timings,
                   notice="；".join(dict.fromkeys(a.notice for _, a in answered if a.notice)))


def _closeness(answer: Answer) -> float:
    """How close in meaning the answer's best evidence is to the question (the same model embeds every
    knowledge base, so cosines compare across them where fused scores do not)."""
    return max((c.get("dense", 0.0) for c in answer.contexts[:3]), default=0.0)
