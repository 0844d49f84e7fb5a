"""How-questions answered by a run of one paragraph's sentences: the named item's, or the paragraph of measures."""

from __future__ import annotations

import re
from collections import Counter

from policyqa.answer.candidates import Candidate
from policyqa.answer.compose import ENUMERATOR
from policyqa.answer.lists import NAMED_HEADING
from policyqa.answer.sections import LEAD_MIN, inline_items
from policyqa.text import bigrams, normalize


def named_item(question: str, cands: list[Candidate], top: int = 3, limit: int = 600) -> list[Candidate]:
    """The sentences of the one enumerated item the question names (…建议怎样建设原材料多元化供应网络 → 一是建设
    原材料多元化供应网络。…, up to 二是): the question asks about that item, not for the list around it."""
    asked = bigrams(normalize(question).lower())
    for c in cands[:top]:
        items = inline_items(c.passage)
        for i, it in enumerate(items):
            head = it.text.split("。")[0]
            grams = bigrams(normalize(ENUMERATOR.sub("", head)).lower())
            if len(grams) < 5 or len(grams & asked) < NAMED_HEADING * len(grams):
                continue
            end = items[i + 1].start if i + 1 < len(items) else len(c.passage.paragraph)
            own = sorted((d for d in cands if d.passage.paragraph_id == c.passage.paragraph_id
                          and it.start <= d.start < end), key=lambda d: d.start)
            out = _run(own[0], own[1:], limit) if own else []
            if len(out) >= 2:
                return out
    return []


def measures_paragraph(cands: list[Candidate], top: int = 8, limit: int = 600) -> list[Candidate]:
    """A how-question (怎样…, 采取了哪些做法) whose best sentences gather in one paragraph of several sentences
    is answered by that paragraph's measures in order: each sentence states one, and two of them are a
    fragment. The paragraph holding the most of the top candidates' score wins; its sub-clause heading
    (（十五）强化…。) only restates what was asked and is left out."""
    best = [c for c in cands[:top] if c.score >= 0.6 * cands[0].score]
    mass: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for c in best:
        mass[c.passage.paragraph_id] += c.score
        hits[c.passage.paragraph_id] += 1
    if not mass:
        return []
    pid, _ = mass.most_common(1)[0]
    own = sorted((c for c in cands if c.passage.paragraph_id == pid), key=lambda c: c.start)
    # a run-in heading (金融支持。/（十五）强化…。) only restates what was asked
    titled = [c for c in own if len(normalize(c.text)) < LEAD_MIN or ENUMERATOR.match(c.text) and len(normalize(c.text)) < 20]
    own = [c for c in own if c not in titled]
    # a paragraph under its own run-in heading (金融支持。A。B。) holds that heading's measures even when two
    if hits[pid] < 2 or len(own) < (2 if titled and titled[0].start < own[0].start else 3):
        return []
    # many fair sentences outweigh the best one only when they are far more, or one of them is nearly as good
    # (an overview that mentions the asked thing is not where its measures stand)
    lead_mass = mass[cands[0].passage.paragraph_id]
    if mass[pid] < 2 * lead_mass and max(c.score for c in own) < 0.9 * cands[0].score:
        return []
    lead = max(own, key=lambda c: c.score)  # the asked fact first, then the paragraph's other measures in order
    return _run(lead, [c for c in own if c is not lead], limit)


def _run(first: Candidate, rest: list[Candidate], limit: int) -> list[Candidate]:
    """`first`, then the sentences of `rest` in order while they fit in `limit` characters."""
    out, length = [first], len(first.text)
    for c in rest:
        if length + len(c.text) > limit:
            break
        out.append(c)
        length += len(c.text)
    return out


# 为解决…的问题，某区探索形成…机制。: a purpose stated first, the measures taken for it after it
PURPOSE_LEAD = re.compile(r"^(?:[^，。]{0,10}[，,])?为(?:了)?(?:解决|破解|缓解|应对|化解|打通|补齐|弥补)[^。]{2,40}?[，,]")


def purpose_run(cands: list[Candidate], limit: int = 400) -> list[Candidate]:
    """How-questions whose best sentence states the purpose (为解决…问题，…): it and the sentences after it in its
    paragraph, which state the measures taken for it (区财政对…给予…补助。同时，引导…)."""
    lead = cands[0] if cands else None
    if lead is None or not PURPOSE_LEAD.search(normalize(lead.text)):
        return []
    out = _run(lead, sorted((c for c in cands if c.passage.paragraph_id == lead.passage.paragraph_id
                             and c.start > lead.start), key=lambda c: c.start), limit)
    return out if len(out) >= 2 else []
