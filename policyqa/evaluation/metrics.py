"""Evaluation metrics over plain answer dicts (the `batch` JSON contract) and `Question`s.

Pure functions, no model. Conventions:

* Text comparison uses ``normalize`` (delete all whitespace, as in the shared question format), after Unicode
  NFKC folding and lower-casing, so full-/half-width variants (６６％ / 66%) and case do not matter.
* Evidence: a text supports an evidence item when it contains the (normalised) quote — score 1.0 — or when
  the longest common substring covers at least ``PARTIAL_RATIO`` (60 %) of the quote and is at least
  ``PARTIAL_MIN_CHARS`` (8) characters long (chunk boundaries often cut a quote; short quotes need a real
  overlap, not a chance 3-character one) — score = the covered fraction. When both the text and the
  evidence name a document they must agree (file extensions .txt/.md/… are ignored). An empty quote means
  the whole document is the gold passage (SQuAD): the document match alone scores 1.0.
* Retrieval (answerable questions with evidence): contexts are ordered by ``rank``; ``hit_rank`` is the first
  rank supporting any evidence item. Hit@k, MRR@10 as usual. nDCG@10 has binary gains per *evidence item*,
  credited once at the first rank that matches it (overlapping chunks repeating the same quote earn
  nothing extra); ideal DCG puts min(#evidence, 10) items at ranks 1..; the ratio is capped at 1 (one chunk
  can hold several items). all_evidence@5: every evidence item matched within the top 5, averaged over
  questions with ≥ 2 evidence items.
* Answers (answerable questions, refused ones included — a false refusal scores 0): keyword coverage on the
  answer with [n] markers removed (``keywords_any``: 1 if any keyword is present). Keywords compare by value
  too: numbers are written the same way in both before the match (百分之八十 = 80%, 五十元 = 50元, 1,200 = 1200),
  so an answer is not marked wrong for the way the document writes a figure. Character F1 after removing
  punctuation/symbols, max over references; citation precision = share of distinct cited paragraphs whose
  text supports the question, citation recall = share of evidence items supported by some citation;
  support rate = share of citations marked ``supported``. Undefined values are ``None`` and left out of means.
* List completeness (answerable questions with gold ``items``): the share of items present in the answer:
  it holds the item like a keyword, or one line of it holds 70% of the item's character bigrams and all its figures
  (gold items are often written short, 用不匹配的充电器充电 for 使用与电动自行车不匹配的充电器充电); ``None``
  without items.
* Lead accuracy (answerable questions with keywords, or else items): 1 when the answer's first sentence
  (``lead_sentence``: markers removed, split at 。！？!? — a parenthesised note right after the mark, （牵头单位：…）,
  stays with its sentence) contains at least one keyword (item), else 0. Not
  ``policyqa.text.sentences``: that also ends a sentence at ；/; and at line breaks, which would cut the lead
  of a list answer ("主要有：" and then numbered lines) down to "主要有：".
* A refused answerable question scores 0 on both (as on keywords and F1).
* Wrong number (``wrong_number`` rate, ``n_wrong_number`` count; lower is better), over the numeric questions
  — type ``numeric``, answerable, a keyword containing a digit — and the unanswerable ones. A numeric question
  counts when it is answered (not refused) and its lead sentence holds a number but none of the keyword
  numbers; an unanswerable question when it is answered with a number anywhere in the answer. A number is
  Arabic digits, or Chinese numerals followed by a unit (五千个, 三十万吨, 百分之六十六); numbers compare by
  value (2.47万 = 24700, 五千 = 5000). Not counted as answer numbers: ordinals (第3条, 第十二条), a lone 一
  before a classifier (一个, 一批: an article, not a quantity), and numbers the question itself contains
  (restating "到2030年" is no wrong answer). Such questions are listed in failures with reason wrong_number.
* Refusals: refusal_rate over unanswerable questions (higher is better), false_refusal_rate over answerable
  ones (lower is better). A refusal is the answer's ``refused`` flag, whatever its wording (「未在已收录的文件中
  找到…」 when nothing relevant was found, 「文件未载明…」 when the document does not state the fact).
* Failures: a question is listed with its reasons — retrieval_miss@5, missing_keywords, false_refusal,
  not_refused, missing_answer, wrong_number, and for answered (not refused) questions incomplete_list (list
  completeness < 1) and lead_miss (the lead sentence has no keyword/item).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from policyqa.evaluation.questions import Evidence, Question, question_from_dict
from policyqa.text import cn_to_int, normalize, strip_marks

log = logging.getLogger(__name__)

PARTIAL_RATIO = 0.6
PARTIAL_MIN_CHARS = 8
K = 10  # retrieval cut-off for MRR/nDCG/Hit@10
TOP_ALL = 5  # all-evidence-in-top-k

_DOC_EXT = re.compile(r"\.(txt|md|markdown|html?|pdf|docx?)$", re.IGNORECASE)
NUMERIC_TYPE = "numeric"
_LEAD_END = re.compile(r"[。｡！？!?](?![（(])")  # a note after the full stop (（牵头单位：…）) belongs to the sentence
# Units (and classifiers) after which Chinese numerals are a quantity: 五千个, 三十万吨级, 两小时. Not 角
# (珠三角), nor the ordinal-like 期/级 (二期工程).
_UNITS = ("平方公里|平方千米|平方米|公里|千米|厘米|毫米|米|公顷|亩|吨|千瓦时|千瓦|瓦|度|元|"
          "年|个月|月|日|天|周|小时|分钟|秒|岁|倍|成|%|个百分点|百分点|人次|人|名|位|户|家|个|项|条|次|所|座|"
          "台|辆|艘|架|件|种|类|批|处|场|届|栋|套|张|份|篇|部|本|只|头|株|棵|立方米|升|公斤|千克|克|万|亿")
_CN_NUMERALS = "零〇一二三四五六七八九十百千两"
_NUMBER = re.compile(
    r"(?P<pct>百分之(?P<pctv>[" + _CN_NUMERALS + r"]+))"
    r"|(?P<ar>(?<![\d.])(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?)"
    r"|(?P<cn>[" + _CN_NUMERALS + r"]+)(?=" + _UNITS + r")"
)
# List numbering at the start of a line ("1. ", "2、", "(3)", "（4）") is no number of the answer.
_ENUMERATOR = re.compile(r"^[ \t]*(?:[(（]\d{1,2}[)）]|\d{1,2}(?:[、)）]|\.(?!\d)))", re.MULTILINE)

ROW_COLUMNS = [
    "id", "type", "answerable", "n_evidence", "docs", "hit_rank", "hit1", "hit5", "hit10", "mrr", "ndcg",
    "all_in_top5", "keyword_coverage", "missing_keywords", "list_completeness", "missing_items", "lead_ok",
    "wrong_number", "f1", "citation_precision", "citation_recall",
    "support_rate", "n_citations", "refused", "correct_refusal", "missing_answer", "latency_ms", "retrieve_ms",
    "answer_ms", "question", "expected_evidence", "top_retrieved", "answer",
]


# ---------------------------------------------------------------- text


def _fold(text: str) -> str:
    # NFKC before deleting whitespace: it turns U+3000 into a plain space, full-width digits into ASCII.
    return normalize(unicodedata.normalize("NFKC", text or "")).lower()


def _answer_text(text: str) -> str:
    return _fold(strip_marks(unicodedata.normalize("NFKC", text or "")))


def _figure(m: re.Match) -> str:
    if m.group("ar"):
        return m.group("ar").replace(",", "")
    value = _cn_value(m.group("pctv") or m.group("cn"))
    if value is None:
        return m.group(0)
    return f"{value}%" if m.group("pct") else str(value)


def _valued(folded: str) -> str:
    """Folded text with every number written in Arabic digits (百分之八十 → 80%)."""
    return _NUMBER.sub(_figure, folded)


def _holds(text: str, key: str) -> bool:
    """Whether the folded `text` holds the folded keyword, literally or by value."""
    return key in text or _valued(key) in _valued(text)


def longest_common_substring(a: str, b: str) -> int:
    """Length of the longest common substring (binary search on the length; `in` runs at C speed)."""
    if len(a) > len(b):
        a, b = b, a
    lo, hi = 0, len(a)  # invariant: a common substring of length lo exists
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if any(a[i:i + mid] in b for i in range(len(a) - mid + 1)):
            lo = mid
        else:
            hi = mid - 1
    return lo


# ---------------------------------------------------------------- evidence


def _get(obj: Any, key: str, default: Any = None) -> Any:
    return obj.get(key, default) if isinstance(obj, Mapping) else getattr(obj, key, default)


def same_doc(a: str, b: str) -> bool:
    """Document keys agree, ignoring a file extension (passages may be stored as `<id>.txt`)."""
    return a == b or _DOC_EXT.sub("", a) == _DOC_EXT.sub("", b)


def evidence_match(text: str, doc: str | None, evidence: Evidence | Mapping[str, str]) -> float:
    """1.0 if `text` contains the quote, the covered fraction for a partial match (see module doc), else 0."""
    ev_doc, quote = _get(evidence, "doc") or "", _get(evidence, "quote") or ""
    if doc and ev_doc and not same_doc(doc, ev_doc):
        return 0.0
    q = _fold(quote)
    if not q:  # whole-passage evidence: only a confirmed document match counts
        return 1.0 if doc and ev_doc else 0.0
    t = _fold(text)
    if q in t:
        return 1.0
    common = longest_common_substring(q, t)
    if common >= PARTIAL_MIN_CHARS and common >= PARTIAL_RATIO * len(q):
        return common / len(q)
    return 0.0


def _question(q: Question | Mapping[str, Any]) -> Question:
    return q if isinstance(q, Question) else question_from_dict(q)


def supports(text: str, doc: str | None, question: Question | Mapping[str, Any]) -> bool:
    """Whether `text` (from document `doc`) supports any of the question's evidence items."""
    return any(evidence_match(text, doc, e) > 0 for e in _question(question).evidence)


# ---------------------------------------------------------------- retrieval


def _ordered(contexts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [c for _, c in sorted(enumerate(contexts or []), key=lambda ic: (_rank_of(ic[1], ic[0] + 1), ic[0]))]


def _rank_of(ctx: Mapping[str, Any], default: int) -> float:
    r = ctx.get("rank")
    return r if _number(r) else default


def evidence_ranks(contexts: Sequence[Mapping[str, Any]], question: Question) -> list[int | None]:
    """For each evidence item, the first 1-based rank whose context matches it (None if none does)."""
    ranks: list[int | None] = [None] * len(question.evidence)
    for pos, ctx in enumerate(_ordered(contexts), 1):
        for i, ev in enumerate(question.evidence):
            if ranks[i] is None and evidence_match(ctx.get("text", ""), ctx.get("doc"), ev) > 0:
                ranks[i] = pos
        if all(r is not None for r in ranks):
            break
    return ranks


def ndcg_at_k(ranks: Iterable[int | None], n_relevant: int, k: int = K) -> float:
    """Binary-gain nDCG@k from the ranks at which relevant items were found; ideal = min(n_relevant, k) hits."""
    dcg = sum(1 / math.log2(r + 1) for r in ranks if r is not None and r <= k)
    idcg = sum(1 / math.log2(i + 1) for i in range(1, min(n_relevant, k) + 1))
    return min(1.0, dcg / idcg) if idcg else 0.0


def retrieval_scores(contexts: Sequence[Mapping[str, Any]], question: Question, k: int = K) -> dict[str, Any]:
    """hit_rank (over all contexts), hit1/5/10, mrr (@k), ndcg (@k), all_in_top5 for one question."""
    ranks = evidence_ranks(contexts, question)
    found = [r for r in ranks if r is not None]
    hit_rank = min(found) if found else None
    return {
        "hit_rank": hit_rank,
        "hit1": hit_rank is not None and hit_rank <= 1,
        "hit5": hit_rank is not None and hit_rank <= 5,
        "hit10": hit_rank is not None and hit_rank <= 10,
        "mrr": 1 / hit_rank if hit_rank is not None and hit_rank <= k else 0.0,
        "ndcg": ndcg_at_k(ranks, len(question.evidence), k),
        "all_in_top5": bool(ranks) and all(r is not None and r <= TOP_ALL for r in ranks),
    }


# ---------------------------------------------------------------- answers


def keyword_coverage(answer: str, keywords: Sequence[str], any_of: bool = False) -> float | None:
    """Share of keywords found in the answer (markers removed, normalised); any_of: 1 if one is found."""
    keys = [k for k in (_fold(k) for k in keywords) if k]
    if not keys:
        return None
    text = _answer_text(answer)
    found = [_holds(text, k) for k in keys]
    return float(any(found)) if any_of else sum(found) / len(found)


def missing_keywords(answer: str, keywords: Sequence[str]) -> list[str]:
    text = _answer_text(answer)
    return [k for k in keywords if _fold(k) and not _holds(text, _fold(k))]


def list_completeness(answer: str, items: Sequence[str]) -> float | None:
    """Share of the gold list items found in the answer (None without items): an item counts when the answer
    holds it like a keyword, or one line of it holds ITEM_BIGRAMS of its character bigrams and all of its
    figures — a reader writes items short (私拉电线“飞线”充电) where the document writes them whole."""
    keys = [k for k in (_fold(k) for k in items) if k]
    if not keys:
        return None
    return 1 - len(missing_items(answer, keys)) / len(keys)


def missing_items(answer: str, items: Sequence[str]) -> list[str]:
    whole = _answer_text(answer)
    lines = [_answer_text(line) for line in answer.splitlines() if line.strip()]
    return [k for k in items if _fold(k) and not _holds(whole, _fold(k))
            and not any(_item_in(line, _fold(k)) for line in lines)]


ITEM_BIGRAMS = 0.7


def _item_in(line: str, item: str) -> bool:
    if _holds(line, item):
        return True
    plain = re.sub(r"[^\w]", "", item)
    grams = {plain[i:i + 2] for i in range(len(plain) - 1)}
    figures = re.findall(r"\d+(?:\.\d+)?", _valued(item))
    return bool(grams) and sum(g in line for g in grams) >= ITEM_BIGRAMS * len(grams) and all(
        f in _valued(line) for f in figures)


def lead_sentence(answer: str) -> str:
    """The answer's first sentence: [n] markers removed, split at 。！？!? (half-width too); '' for no text."""
    return next((part.strip() for part in _LEAD_END.split(strip_marks(answer or "")) if normalize(part)), "")


def lead_ok(answer: str, keys: Sequence[str], items: Sequence[str] = ()) -> bool | None:
    """Whether the lead sentence contains at least one of `keys`, or one of a list's gold `items` (as
    `missing_items` matches them); None when there are neither."""
    folded = [k for k in (_fold(k) for k in keys) if k]
    folded_items = [k for k in (_fold(k) for k in items) if k]
    if not folded and not folded_items:
        return None
    lead = _answer_text(lead_sentence(answer))
    return any(_holds(lead, k) for k in folded) or any(_item_in(lead, k) for k in folded_items)


def _cn_value(s: str) -> int | None:
    if len(s) > 1 and not any(c in "十百千" for c in s):  # digit by digit: 二〇三〇 → 2030
        digits = [cn_to_int(c) if c not in "〇零" else 0 for c in s]
        return int("".join(map(str, digits))) if all(d is not None for d in digits) else None
    return cn_to_int(s)


def numbers(text: str, ordinals: bool = False) -> set[Decimal]:
    """The values of the numbers in `text` (see the module doc): Arabic digits, or Chinese numerals followed
    by a unit; 万/亿 right after a number scale it. List numbering at a line start ("1. ", "（2）") is never a
    number; without `ordinals`, 第N and a lone 一 before a classifier are skipped too."""
    t = normalize(_ENUMERATOR.sub("", strip_marks(unicodedata.normalize("NFKC", text or ""))))
    out: set[Decimal] = set()
    for m in _NUMBER.finditer(t):
        if not ordinals and m.start() > 0 and t[m.start() - 1] == "第":
            continue
        nxt = t[m.end():m.end() + 1]
        if m.group("ar"):
            value = Decimal(m.group("ar").replace(",", ""))
        else:
            cn = m.group("pctv") or m.group("cn")
            if m.group("cn") == "一" and nxt not in ("万", "亿") and not ordinals:  # 一个, 一批 — but 一万人
                continue
            v = _cn_value(cn)
            if v is None:
                continue
            value = Decimal(v)
        if m.group("pct") is None and nxt in ("万", "亿"):
            value *= 10000 if nxt == "万" else 100000000
        out.add(value)
    return out


def is_numeric_question(q: Question) -> bool:
    """Type numeric, answerable, and some keyword holds a digit: the questions wrong_number checks."""
    return (q.answerable and q.type.strip().lower() == NUMERIC_TYPE
            and any(re.search(r"[0-9]", unicodedata.normalize("NFKC", k)) for k in q.keywords))


def wrong_number(q: Question, answer: str, refused: bool) -> bool | None:
    """Whether the answer gives an asked number wrongly (see the module doc); None for questions not checked."""
    if q.answerable and not is_numeric_question(q):
        return None
    if refused:
        return False
    asked = numbers(q.question)
    if q.answerable:
        found = numbers(lead_sentence(answer))
        gold = set().union(*(numbers(k, ordinals=True) for k in q.keywords))
        return bool(found - asked) and not (found & gold)
    return bool(numbers(answer) - asked)


def _f1_chars(text: str) -> list[str]:
    # Character level, as in CMRC's evaluation for Chinese; punctuation and symbols carry no content.
    return [c for c in _answer_text(text) if not unicodedata.category(c).startswith(("P", "S"))]


def char_f1(prediction: str, reference: str) -> float:
    """Character-level F1 after normalisation and punctuation removal."""
    pred, ref = _f1_chars(prediction), _f1_chars(reference)
    if not pred or not ref:
        return float(pred == ref)
    same = sum((Counter(pred) & Counter(ref)).values())
    if not same:
        return 0.0
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


def f1_score(prediction: str, references: Sequence[str]) -> float | None:
    """Max character F1 over the references (None when there is no reference)."""
    refs = [r for r in references if r]
    return max(char_f1(prediction, r) for r in refs) if refs else None


def _distinct_citations(citations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    seen, out = set(), []
    for c in citations or []:
        key = (c.get("doc"), c.get("paragraph_id") or c.get("text") or c.get("quote"))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def citation_scores(citations: Sequence[Mapping[str, Any]], question: Question) -> tuple[float | None, float | None]:
    """(precision, recall) of the citations against the evidence; None where undefined."""
    if not question.evidence:
        return None, None
    cited = _distinct_citations(citations)
    texts = [(c.get("text") or c.get("quote") or "", c.get("doc")) for c in cited]
    recall = sum(any(evidence_match(t, d, e) > 0 for t, d in texts) for e in question.evidence) / len(question.evidence)
    if not cited:
        return None, recall
    precision = sum(supports(t, d, question) for t, d in texts) / len(texts)
    return precision, recall


def support_rate(citations: Sequence[Mapping[str, Any]]) -> float | None:
    """Share of citations the system marked supported (None without citations)."""
    cits = list(citations or [])
    return sum(bool(c.get("supported")) for c in cits) / len(cits) if cits else None


# ---------------------------------------------------------------- aggregation


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear-interpolation percentile (numpy's default), None for no values."""
    s = sorted(values)
    if not s:
        return None
    pos = (len(s) - 1) * p / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _mean(values: Iterable[Any]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def aggregate(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Overall metrics from per-question rows (also used for the by-type and by-document breakdowns)."""
    ans = [r for r in rows if r["answerable"]]
    ret = [r for r in ans if r["n_evidence"]]
    multi = [r for r in ret if r["n_evidence"] >= 2]
    una = [r for r in rows if not r["answerable"]]
    m: dict[str, Any] = {
        "n_questions": len(rows),
        "n_answerable": len(ans),
        "n_unanswerable": len(una),
        "n_retrieval": len(ret),
        "n_multi_evidence": len(multi),
        "n_missing_answers": sum(bool(r["missing_answer"]) for r in rows),
        "hit@1": _mean(r["hit1"] for r in ret),
        "hit@5": _mean(r["hit5"] for r in ret),
        "hit@10": _mean(r["hit10"] for r in ret),
        "mrr@10": _mean(r["mrr"] for r in ret),
        "ndcg@10": _mean(r["ndcg"] for r in ret),
        "all_evidence@5": _mean(r["all_in_top5"] for r in multi),
        "keyword_coverage": _mean(r["keyword_coverage"] for r in ans),
        "keyword_full": _mean(r["keyword_coverage"] == 1 for r in ans if r["keyword_coverage"] is not None),
        "list_completeness": _mean(r["list_completeness"] for r in ans),
        "lead_accuracy": _mean(r["lead_ok"] for r in ans),
        "wrong_number": _mean(r["wrong_number"] for r in rows),
        "n_wrong_number": sum(bool(r["wrong_number"]) for r in rows),
        "f1": _mean(r["f1"] for r in ans),
        "citation_precision": _mean(r["citation_precision"] for r in ans),
        "citation_recall": _mean(r["citation_recall"] for r in ans),
        "support_rate": _mean(r["support_rate"] for r in ans),
        "refusal_rate": _mean(r["refused"] for r in una),
        "false_refusal_rate": _mean(r["refused"] for r in ans),
        "refusal_accuracy": _mean(r["correct_refusal"] for r in rows),
    }
    for stage, key in (("total", "latency_ms"), ("retrieve", "retrieve_ms"), ("answer", "answer_ms")):
        times = [r[key] for r in rows if r[key] is not None]
        m[f"latency_{stage}_p50_ms"] = percentile(times, 50)
        m[f"latency_{stage}_p95_ms"] = percentile(times, 95)
    return m


@dataclass
class EvalResult:
    metrics: dict[str, Any]
    rows: list[dict[str, Any]]  # one per question, keys = ROW_COLUMNS
    by_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_doc: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "by_type": self.by_type, "by_doc": self.by_doc,
                "failures": self.failures, "rows": self.rows}


def _ms(timings: Any, key: str) -> float | None:
    v = timings.get(key) if isinstance(timings, Mapping) else None
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _context_view(ctx: Mapping[str, Any], q: Question, width: int | None = None) -> dict[str, Any]:
    text = ctx.get("text", "")
    return {"rank": ctx.get("rank"), "doc": ctx.get("doc"), "clause": ctx.get("clause"),
            "text": text if width is None else text[:width], "supports": supports(text, ctx.get("doc"), q)}


def _row(q: Question, a: Mapping[str, Any] | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Per-question row, plus the top-3 contexts (for the failures list)."""
    missing = a is None
    a = a or {}
    answer = a.get("answer") or ""
    contexts = _ordered(a.get("contexts") or [])
    citations = a.get("citations") or []
    refused = bool(a.get("refused", False))
    timings = a.get("timings_ms") or {}
    top3 = [_context_view(c, q) for c in contexts[:3]]
    row: dict[str, Any] = {c: None for c in ROW_COLUMNS}
    row.update(
        id=q.id, type=q.type, answerable=q.answerable, n_evidence=len(q.evidence), docs="|".join(q.docs),
        refused=refused, correct_refusal=refused != q.answerable, missing_answer=missing,
        n_citations=len(citations), support_rate=support_rate(citations),
        latency_ms=_ms(timings, "total"), retrieve_ms=_ms(timings, "retrieve"), answer_ms=_ms(timings, "answer"),
        question=q.question,
        expected_evidence="\n".join(f"{e.doc}：{e.quote}" if e.quote else e.doc for e in q.evidence),
        top_retrieved="\n".join(
            f"{v['rank']}. {'✓' if v['supports'] else '✗'} {v['doc']}：{normalize(v['text'])[:80]}" for v in top3
        ),
        answer=answer,
    )
    if q.answerable:  # unanswerable questions only count for refusals (and latency)
        if q.evidence:
            row.update(retrieval_scores(contexts, q))
            row["citation_precision"], row["citation_recall"] = citation_scores(citations, q)
        row["keyword_coverage"] = keyword_coverage(answer, q.keywords, q.keywords_any)
        row["missing_keywords"] = "|".join(missing_keywords(answer, q.keywords)) if q.keywords else None
        row["f1"] = f1_score(answer, q.references)
        if q.items:
            row["list_completeness"] = 0.0 if refused else list_completeness(answer, q.items)
            row["missing_items"] = "|".join(missing_items(answer, q.items))
        lead = lead_ok(answer, q.keywords or q.items, q.items)
        row["lead_ok"] = lead and not refused if lead is not None else None
    else:
        row["support_rate"] = None
    row["wrong_number"] = wrong_number(q, answer, refused)
    return row, top3


def _failure(q: Question, row: Mapping[str, Any], top3: list[dict[str, Any]]) -> dict[str, Any] | None:
    reasons = []
    if row["missing_answer"]:
        reasons.append("missing_answer")
    if q.answerable:
        if q.evidence and not row["hit5"]:
            reasons.append("retrieval_miss@5")
        if row["keyword_coverage"] is not None and row["keyword_coverage"] < 1:
            reasons.append("missing_keywords")
        if row["refused"]:
            reasons.append("false_refusal")
        elif not row["missing_answer"]:  # a refusal or no answer has no list and no lead to judge
            if row["list_completeness"] is not None and row["list_completeness"] < 1:
                reasons.append("incomplete_list")
            if row["lead_ok"] is False:
                reasons.append("lead_miss")
    elif not row["refused"]:
        reasons.append("not_refused")
    if row["wrong_number"]:
        reasons.append("wrong_number")
    if not reasons:
        return None
    return {
        "id": q.id, "type": q.type, "reasons": reasons, "question": q.question,
        "expected_evidence": [{"doc": e.doc, "quote": e.quote} for e in q.evidence],
        "hit_rank": row["hit_rank"], "keyword_coverage": row["keyword_coverage"],
        "missing_keywords": row["missing_keywords"].split("|") if row["missing_keywords"] else [],
        "list_completeness": row["list_completeness"],
        "missing_items": row["missing_items"].split("|") if row["missing_items"] else [],
        "lead_ok": row["lead_ok"], "lead": lead_sentence(row["answer"]), "wrong_number": row["wrong_number"],
        "top3": top3, "answer": row["answer"], "refused": row["refused"],
    }


def evaluate(
    questions: Iterable[Question | Mapping[str, Any]],
    answers: Iterable[Mapping[str, Any]] | Mapping[str, Mapping[str, Any]],
) -> EvalResult:
    """Score answer objects (a list, or a dict by id) against questions; a missing answer scores as empty."""
    qs = [_question(q) for q in questions]
    if isinstance(answers, Mapping):
        by_id = {str(k): v for k, v in answers.items()}
    else:
        by_id = {str(a.get("id")): a for a in answers}
    extra = set(by_id) - {q.id for q in qs}
    if extra:
        log.warning("%d answers have no matching question (e.g. %s)", len(extra), sorted(extra)[:3])
    rows, failures = [], []
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in qs:
        a = by_id.get(q.id)
        if a is None:
            log.warning("no answer for question %s", q.id)
        row, top3 = _row(q, a)
        rows.append(row)
        by_type[q.type or "(none)"].append(row)
        for doc in q.docs:  # cross-document questions count for each of their documents
            by_doc[doc].append(row)
        failure = _failure(q, row, top3)
        if failure:
            failures.append(failure)
    return EvalResult(
        metrics=aggregate(rows),
        rows=rows,
        by_type={t: aggregate(rs) for t, rs in sorted(by_type.items())},
        by_doc={d: aggregate(rs) for d, rs in sorted(by_doc.items())},
        failures=failures,
    )


# ---------------------------------------------------------------- comparison


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def compare(
    metrics_a: Mapping[str, Any],
    metrics_b: Mapping[str, Any],
    rows_a: Sequence[Mapping[str, Any]],
    rows_b: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Run B against run A: metric differences (b − a) and per-question wins/losses for B.

    A question is a win when B is better on some aspect and worse on none — hit rank (lower is better; no
    hit counts as rank ∞), keyword coverage, correct refusal — a loss in the mirror case, mixed otherwise.
    """
    metrics = {}
    for key in dict.fromkeys([*metrics_a, *metrics_b]):
        va, vb = metrics_a.get(key), metrics_b.get(key)
        metrics[key] = {"a": va, "b": vb, "diff": vb - va if _number(va) and _number(vb) else None}

    ra, rb = {str(r["id"]): r for r in rows_a}, {str(r["id"]): r for r in rows_b}
    aspects = {"retrieval": {"wins": 0, "losses": 0}, "keywords": {"wins": 0, "losses": 0},
               "refusal": {"wins": 0, "losses": 0}}
    wins, losses, mixed, changes, ties = [], [], [], [], 0
    for qid in (i for i in ra if i in rb):
        a, b = ra[qid], rb[qid]
        signs = {
            # rank: fewer is better, so a − b
            "retrieval": _sign(_rank(a) - _rank(b)) if a.get("n_evidence") and a.get("answerable") else 0,
            "keywords": _sign((b.get("keyword_coverage") or 0) - (a.get("keyword_coverage") or 0))
            if a.get("keyword_coverage") is not None or b.get("keyword_coverage") is not None else 0,
            "refusal": _sign(int(bool(b.get("correct_refusal"))) - int(bool(a.get("correct_refusal")))),
        }
        for aspect, s in signs.items():
            if s:
                aspects[aspect]["wins" if s > 0 else "losses"] += 1
        better, worse = any(s > 0 for s in signs.values()), any(s < 0 for s in signs.values())
        if not better and not worse:
            ties += 1
            continue
        verdict = "mixed" if better and worse else "win" if better else "loss"
        {"win": wins, "loss": losses, "mixed": mixed}[verdict].append(qid)
        changes.append({
            "id": qid, "verdict": verdict, "question": a.get("question"),
            "hit_rank_a": a.get("hit_rank"), "hit_rank_b": b.get("hit_rank"),
            "keyword_coverage_a": a.get("keyword_coverage"), "keyword_coverage_b": b.get("keyword_coverage"),
            "correct_refusal_a": a.get("correct_refusal"), "correct_refusal_b": b.get("correct_refusal"),
        })
    return {
        "metrics": metrics,
        "questions": {
            "wins": wins, "losses": losses, "mixed": mixed, "ties": ties,
            "only_in_a": [i for i in ra if i not in rb], "only_in_b": [i for i in rb if i not in ra],
        },
        "aspects": aspects,
        "changes": changes,
    }


def _rank(row: Mapping[str, Any]) -> float:
    r = row.get("hit_rank")
    return float(r) if r is not None else math.inf
