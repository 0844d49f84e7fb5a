"""Extractive answerer: picks the sentences of the retrieved paragraphs that answer the question and
quotes them verbatim, each followed by its citation [n]. No LLM needed."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Callable

from policyqa.answer.types import Citation, Passage
from policyqa.store.lexical import STOPWORDS, Tokenizer
from policyqa.text import DIGITS, bigrams, normalize, sentences

NUMERIC_Q = re.compile(r"多少|哪天|哪一天|什么时间|几月|何年|哪几年|(?<!哪)几[个家项年条万亿所座次倍岁天]|哪一年|哪年|何时|什么时候|多大|多长|多高|比例|比重|占比|增速|增幅|率是")
LIST_Q = re.compile(r"哪些|哪几|有什么|包括什么|包含什么|分别是|分别为|几大|哪[两三四五六七八九十]")
HOW_Q = re.compile(r"为什么|为何|如何|怎样|怎么|什么措施|哪些措施|原因")
NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万亿]+[个家项条所座%％倍]|[%％]")
GLUE = re.compile(r"[\s的是了和与及在对为将把被由从向等]")  # bigrams across these join nothing
AROUND = 1.0  # weight of question terms found in the title or clause path rather than the sentence
CLAUSE_SPLIT = re.compile(r"[^，,：:]*[，,：:]?")
QUOTED = re.compile(r"[“\"「《]([^”\"」》]+)[”\"」》]")
WH_TOKEN = re.compile(r"多少|哪几年|几年|哪一年|哪年|哪些|哪几|哪几个|哪个|哪种|哪类|哪家|哪|什么|何时|如何|怎样|怎么|为什么|为何|是否|几|几个|几位|几家|第几")
FOCUS_WH = re.compile(r"多少|哪?几[个家项年条所座次倍位]?|哪一年|哪年|哪天|哪一天|何时|什么时候|多高|多大|多长|多远|多重|多快")
FOCUS_TRAIL = re.compile(r"(是|有|为|达|达到|约|大约|共|一共|总共|要|将|会|能|可|在|了|的|共计|累计|预计|计划)+$")
GENERIC_FOCUS = frozenset("目标 规模 数量 总量 总数 数值 数字 比例 比重 占比 水平 时间 日期 年份 期限 情况 金额 幅度".split())
UNIT = re.compile(r"(?:万|亿|千|百)?(?:个|家|项|条|座|所|名|人|户|吨|元|平方公里|公里|千米|米|亩|倍|天|次|台|辆|套|间|床|张|千瓦|瓦|标箱|标准箱|%|％)")


@dataclass
class Candidate:
    passage: Passage
    start: int  # within the paragraph
    end: int
    score: float
    covered: frozenset[str]
    order: tuple[int, int] = (0, 0)  # reading order among the passages: (passage index, start)

    @property
    def text(self) -> str:
        return self.passage.paragraph[self.start:self.end]


@dataclass
class EvidenceStrength:
    """How strongly the retrieved passages answer the question (the refusal decision reads this)."""

    coverage: float  # weighted share of the question's key terms in the best sentence (+ its clause path)
    needs_number: bool
    has_number: bool
    focus: list[str] = field(default_factory=list)  # the terms next to the question word
    unit: str = ""  # the unit asked for (多少万吨 → 万吨)
    focus_ok: bool = True  # focus terms and unit appear around the best sentence
    numbers_ok: bool = True  # numbers of the question (years…) appear around the best sentence


class ExtractiveAnswerer:
    def __init__(self, tokenizer: Tokenizer | None = None, max_sentences: int = 4, max_chars: int = 260):
        self.tokenizer = tokenizer or Tokenizer()
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    @cached_property
    def _idf(self) -> tuple[dict[str, float], float]:
        import jieba.analyse

        tfidf = jieba.analyse.TFIDF()
        return tfidf.idf_freq, tfidf.median_idf

    def weights(self, question: str) -> dict[str, float]:
        """Key terms of the question with IDF weights (general Chinese IDF). Quoted phrases (“四小园”)
        are kept whole: they name the thing asked about."""
        idf, median = self._idf
        out: dict[str, float] = {}
        for quoted in QUOTED.findall(question):
            if 1 < len(quoted) <= 20:
                out[quoted.lower()] = 12.0
        rest = QUOTED.sub(" ", question)
        for t in self.tokenizer.key_terms(rest):
            if WH_TOKEN.fullmatch(t) or t in out:
                continue
            if len(t) == 1 and not t.isdigit() and not t.isascii():
                w = min(idf.get(t, median), 6.0) * 0.5  # single characters are weak evidence
            else:
                w = min(idf.get(t, median), 10.0)
            out[t] = max(w, 0.5)
        return out

    def focus(self, question: str) -> tuple[list[str], str]:
        """The nouns next to the question word (what is asked about: "吞吐量是多少" → 吞吐量) and the
        unit asked for ("多少万吨" → 万吨). Generic nouns (目标, 规模…) say nothing and are left out."""
        m = FOCUS_WH.search(question)
        if not m:
            return [], ""
        before = FOCUS_TRAIL.sub("", question[:m.start()])
        after = question[m.end():]
        unit_m = UNIT.match(after)
        unit = unit_m.group(0) if unit_m else ""
        after = re.split(r"[，,。？?！!]", after[len(unit):])[0]
        terms = self._nouns(before)[-2:] + self._nouns(after)[:1]
        return [t for t in terms if t not in GENERIC_FOCUS], unit

    def _nouns(self, text: str) -> list[str]:
        import jieba.posseg

        return [w.lower() for w, flag in jieba.posseg.cut(text)
                if len(w) > 1 and flag[:1] in ("n", "v") and flag != "v" and w not in STOPWORDS]

    def assess(self, question: str, passages: list[Passage]) -> tuple[list[Candidate], EvidenceStrength]:
        weights = self.weights(question)
        total = sum(weights.values()) or 1.0
        needs_number = bool(NUMERIC_Q.search(question))
        listy = bool(LIST_Q.search(question))
        focus, unit = self.focus(question)
        q_numbers = set(DIGITS.findall(question))
        q_grams = bigrams(normalize(question))
        # character bigrams survive word-segmentation mistakes (规划期 → 规划 + 期是)
        content_grams = set().union(*(bigrams(part) for part in
                                      GLUE.split(WH_TOKEN.sub(" ", normalize(question).lower()))))
        quoted = [t.lower() for t in QUOTED.findall(question)]
        cands: list[Candidate] = []
        units = []  # (passage index, passage, ctx, start, end, text, normalised text, bigrams)
        for i, p in enumerate(passages):
            ctx = normalize(p.title + "".join(p.clause)).lower()
            for s, e in sentences(p.paragraph):
                norm = normalize(p.paragraph[s:e]).lower()
                if len(norm) >= 4:
                    units.append((i, p, ctx, s, e, p.paragraph[s:e], norm, bigrams(norm) | bigrams(ctx)))
        # local IDF over the candidate sentences: bigrams every sentence shares (the document's topic)
        # say little; the rare ones the question shares with one sentence say most
        sf = Counter(g for u in units for g in u[7] & content_grams)
        gram_w = {g: math.log(1 + len(units) / (1 + sf[g])) for g in content_grams if sf[g]}
        gram_total = sum(gram_w.values()) or 1.0
        for i, p, ctx, s, e, text, norm, grams in units:
            inside = {t for t in weights if t in norm}
            around = {t for t in weights if t not in inside and t in ctx}
            score = (_cover(weights, inside) + AROUND * _cover(weights, around)) / total
            score += 0.06 / p.rank
            score += 0.4 * sum(gram_w.get(g, 0.0) for g in grams) / gram_total
            if grams and len(grams - q_grams) / len(grams) < 0.4:
                score -= 0.35  # it only restates the question (often a heading): no answer in it
            if needs_number:
                score += 0.12 if NUMBER.search(text) else -0.1
                if unit and re.search(r"\d\s*" + re.escape(unit), text):
                    score += 0.1
            if focus:
                score += 0.1 * sum(t in norm for t in focus) / len(focus)
            if listy and ("、" in text or "：" in text):
                score += 0.08
            if any(re.search(re.escape(t) + r"[”」]?(?:[：:]|是指|指的是|即|包括|分别是|分别为)", norm)
                   for t in quoted):
                score += 0.2  # defines the quoted term the question asks about
            if p.heading:
                score -= 0.05
            cands.append(Candidate(p, s, e, score, frozenset(inside | around), (i, s)))
        cands.sort(key=lambda c: -c.score)
        lead = cands[0] if cands else None
        coverage = (_cover(weights, lead.covered) / total) if lead else 0.0
        window = _window(lead) if lead else ""
        focus_ok = all(t in window for t in focus) and (not unit or bool(re.search(r"\d\s*" + re.escape(unit), window)
                                                                             or unit in window))
        numbers_ok = all(n in window for n in q_numbers)
        evidence = EvidenceStrength(coverage=coverage, needs_number=needs_number,
                            has_number=bool(lead and NUMBER.search(lead.text)), focus=focus, unit=unit,
                            focus_ok=focus_ok, numbers_ok=numbers_ok)
        return cands, evidence

    def answer(self, question: str, passages: list[Passage], accept: Callable[[EvidenceStrength], bool] = lambda e: True
               ) -> tuple[str, list[Citation], EvidenceStrength]:
        """Answer each part of the question ("…是哪几年？展望到哪一年？" has two) from the passages.
        A part whose evidence `accept` rejects gets no sentence; no accepted part → empty answer."""
        parts = split_question(question)
        chosen: list[Candidate] = []
        evidences = []
        budget = self.max_sentences + len(parts) - 1
        for part in parts:
            cands, evidence = self.assess(part, passages)
            evidences.append(evidence)
            if not cands or not accept(evidence):
                continue
            for c in self._select(part, cands, budget - len(chosen)):
                if not any(_overlaps(c, o) for o in chosen):
                    chosen.append(c)
        best = max(evidences, key=lambda e: e.coverage)
        if not chosen:
            return "", [], best
        return (*_compose(chosen, self.weights(question)), best)

    def _select(self, question: str, cands: list[Candidate], budget: int) -> list[Candidate]:
        """The lead sentence, then sentences that add key terms the lead lacks or continue its list."""
        weights = self.weights(question)
        total = sum(weights.values()) or 1.0
        chosen = [cands[0]]
        covered = set(cands[0].covered)
        listy = bool(LIST_Q.search(question)) or bool(HOW_Q.search(question))
        length = len(cands[0].text)
        lead = chosen[0]
        if _introduces(lead):  # "一、双核：…" or "实施“一谷三全”策略。": the answer is what follows
            following = sorted((c for c in cands if c.order > lead.order and c.passage.doc == lead.passage.doc
                                and c.passage.rank == lead.passage.rank), key=lambda c: c.order)
            for c in following[:2]:
                if len(chosen) < budget and length + len(c.text) <= self.max_chars:
                    chosen.append(c)
                    covered |= c.covered
                    length += len(c.text)
        for c in cands[1:]:
            if len(chosen) >= budget or length + len(c.text) > self.max_chars:
                continue
            if any(_overlaps(c, o) for o in chosen):
                continue
            gain = _cover(weights, c.covered - covered) / total
            lead = chosen[0]
            adjacent = c.passage.paragraph_id == lead.passage.paragraph_id and 0 <= c.start - lead.end <= 2
            # the next sentence often carries what the lead only introduces (…建设。（牵头单位：…）)
            follows = adjacent and (listy and c.score >= 0.6 * lead.score or gain > 0.05)
            if gain >= 0.2 and c.score >= 0.5 * lead.score or follows:
                chosen.append(c)
                covered |= c.covered
                length += len(c.text)
        return chosen


def _introduces(c: Candidate) -> bool:
    """A heading, a line ending in a colon, or a short sentence that names rather than states."""
    text = c.text.rstrip()
    return c.passage.heading or text.endswith(("：", ":")) or len(normalize(text)) < 20


def split_question(question: str) -> list[str]:
    """Parts of a compound question, split at question marks (and 。；) — parts too short to search stay
    attached to their neighbour."""
    parts = [p.strip() for p in re.split(r"(?<=[？?；;。])", question) if p.strip()]
    merged: list[str] = []
    for p in parts:
        if merged and len(re.sub(r"\W", "", p)) < 4:
            merged[-1] += p
        else:
            merged.append(p)
    return merged or [question]


def _window(c: Candidate) -> str:
    """The best sentence with its neighbours and clause path: where the asked-for fact must be."""
    p = c.passage
    lo, hi = max(0, c.start - 80), min(len(p.paragraph), c.end + 80)
    return normalize(p.title + "".join(p.clause) + p.paragraph[lo:hi]).lower()


def _cover(weights: dict[str, float], text_or_terms) -> float:
    if isinstance(text_or_terms, str):
        return sum(w for t, w in weights.items() if t in text_or_terms)
    return sum(weights.get(t, 0.0) for t in text_or_terms)


def _overlaps(a: Candidate, b: Candidate) -> bool:
    if a.passage.paragraph_id == b.passage.paragraph_id:
        return a.start < b.end and b.start < a.end
    return normalize(a.text) in normalize(b.passage.paragraph) or normalize(b.text) in normalize(a.passage.paragraph)


def _trim(c: Candidate, weights: dict[str, float], limit: int = 110) -> tuple[int, int]:
    """A long sentence shrinks to its clauses around the best-matching one (still verbatim)."""
    if c.end - c.start <= limit:
        return c.start, c.end
    text = c.text
    parts = [(m.start(), m.end()) for m in CLAUSE_SPLIT.finditer(text) if m.end() > m.start()]
    scores = [_cover(weights, normalize(text[s:e]).lower()) + (0.5 if NUMBER.search(text[s:e]) else 0)
              for s, e in parts]
    i = max(range(len(parts)), key=lambda k: scores[k])
    lo = hi = i
    while True:
        grown = False
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(parts) and scores[j] > 0:
                span = parts[min(lo, j)][0], parts[max(hi, j)][1]
                if span[1] - span[0] <= limit:
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    while parts[hi][1] - parts[lo][0] < 30 and (lo > 0 or hi < len(parts) - 1):
        if hi < len(parts) - 1:
            hi += 1
        else:
            lo -= 1
    return c.start + parts[lo][0], c.start + parts[hi][1]


def _compose(chosen: list[Candidate], weights: dict[str, float]) -> tuple[str, list[Citation]]:
    """Lead sentence first; each sentence verbatim, followed by the number of the paragraph it quotes."""
    citations: dict[str, Citation] = {}
    parts = []
    for c in chosen:
        s, e = _trim(c, weights)
        quote = c.passage.paragraph[s:e]
        body = quote.rstrip("，,：:。；;！!？? ")
        end = quote[len(body):].strip()
        end = end if end and end[0] in "。！？!?" else "。"
        p = c.passage
        cit = citations.get(p.paragraph_id)
        if cit is None:
            cit = citations[p.paragraph_id] = Citation(
                n=len(citations) + 1, doc=p.doc, title=p.title, clause=p.label, paragraph_id=p.paragraph_id,
                text=p.paragraph, quote=quote, span=(s, e))
        elif (s, e) != cit.span:
            lo, hi = min(s, cit.span[0]), max(e, cit.span[1])
            cit = citations[p.paragraph_id] = replace(cit, span=(lo, hi), quote=p.paragraph[lo:hi])
        parts.append(f"{body}[{cit.n}]{end}")
    return "".join(parts), list(citations.values())
