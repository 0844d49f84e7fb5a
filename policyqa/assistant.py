"""The assistant: a question (and the conversation so far) in, a cited answer or an honest refusal out."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from typing import Protocol

import numpy as np

from policyqa.answer.analysis import RELATIVE_WORD, Attribute, Intent, QuestionAnalysis, analyze, split_question
from policyqa.answer.attributes import attribute_answer
from policyqa.answer.candidates import EvidenceStrength
from policyqa.answer.compose import Citations
from policyqa.answer.extractive import ExtractiveAnswerer
from policyqa.answer.followup import standalone
from policyqa.answer.llm import LLMAnswerer
from policyqa.answer.names import asks_members
from policyqa.answer.passages import contexts_json, passages_from_hits
from policyqa.answer.sections import IndexSections
from policyqa.answer.wording import plain_wh
from policyqa.answer.types import NOT_STATED_LEAD, REFUSAL, Answer, Passage
from policyqa.config import AnswerMode, Config
from policyqa.embedding.embedder import Embedder, load_embedder, model_identity
from policyqa.errors import IndexUnavailable, InvalidQuestion
from policyqa.ingest.chunk import ChunkSettings
from policyqa.retrieve.retriever import RetrievalMode, RetrievalResult, Retriever
from policyqa.store.index import Index
from policyqa.store.lexical import Tokenizer

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
_TEXT = re.compile(r"[\w\u4e00-\u9fff]")


def validate(question: str) -> str:
    if question is not None and not isinstance(question, str):
        raise InvalidQuestion("问题应为一段文字。")
    q = (question or "").strip()
    try:
        q.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no document can hold it, and logs and SQLite refuse it
        raise InvalidQuestion("问题中含有无法识别的字符，请重新输入。") from None
    if not q:
        raise InvalidQuestion("请输入问题。")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"问题过长（{len(q)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内。")
    if not _TEXT.search(q):
        raise InvalidQuestion("问题中没有可检索的文字，请用文字描述您的问题。")
    return q


class Asker(Protocol):
    """What the app and the evaluation need of an assistant."""

    cfg: Config
    index: Index
    embedder: Embedder

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, answer_mode: AnswerMode | str | None = None,
            retrieval_mode: RetrievalMode | str = RetrievalMode.HYBRID) -> Answer: ...

    def reload(self) -> None: ...


class Assistant:
    """Holds the model and the index (loaded once) and answers questions."""

    def __init__(self, cfg: Config, embedder: Embedder, index: Index):
        self.cfg = cfg
        self.embedder = embedder
        self.index = index
        self.tokenizer = Tokenizer()
        self.retriever = Retriever(index, embedder, cfg, self.tokenizer)
        self.extractive = ExtractiveAnswerer(self.tokenizer, cfg.max_answer_sentences)
        self.llm = LLMAnswerer(cfg) if cfg.llm_configured else None

    @classmethod
    def open(cls, cfg: Config, embedder: Embedder | None = None) -> "Assistant":
        chunker = ChunkSettings(cfg.chunk_size, cfg.chunk_overlap, cfg.chunk_unit).identity()
        index = Index.load(cfg.index_dir, model_identity(cfg), chunker)
        return cls(cfg, embedder or load_embedder(cfg), index)

    def reload(self) -> None:
        """Pick up a newly published index (after an ingest)."""
        old = self.index
        self.index = Index.load(self.cfg.index_dir, old.manifest.get("model"), old.manifest.get("chunker"))
        self.retriever = Retriever(self.index, self.embedder, self.cfg, self.tokenizer)
        old.close()

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, answer_mode: AnswerMode | str | None = None,
            retrieval_mode: RetrievalMode | str = RetrievalMode.HYBRID) -> Answer:
        """Answer `question`; `history` holds the earlier user questions of the conversation.
        `retrieval_mode` is hybrid, or dense / bm25 alone (the evaluation's baselines)."""
        t0 = time.perf_counter()
        q = validate(question)
        mode = AnswerMode(answer_mode or self.cfg.answer_mode)
        llm = self.llm if mode is AnswerMode.LLM else None
        if history:
            sq = llm.standalone(q, history) if llm else standalone(q, history)
        else:
            sq = q
        sq = plain_wh(sq)
        k = max(k or self.cfg.top_k, 10)
        if docs:
            unknown = sorted(set(docs) - self.retriever.titles.keys())
            if unknown:
                raise InvalidQuestion(f"检索范围中有未收录的文档：{'、'.join(unknown)}")
        rewrites = []
        if llm is not None and self.cfg.llm_query_rewrite:
            rewrite = llm.official_wording(sq)
            if rewrite:
                log.info("searching also with the LLM's wording: %s", rewrite)
                rewrites.append(rewrite)
        result = self._retrieve(sq, k, docs, RetrievalMode(retrieval_mode), rewrites)
        t1 = time.perf_counter()
        answer = self._answer(sq, result, llm)
        t2 = time.perf_counter()
        timings = {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000,
                   **{f"retrieve_{stage}": ms for stage, ms in result.timings_ms.items()}}
        return replace(answer, question=q, standalone_question=sq, contexts=contexts_json(result.hits),
                       timings_ms=timings)

    def _retrieve(self, question: str, k: int, docs: list[str] | None, mode: RetrievalMode,
                  rewrites: list[str] | None = None) -> RetrievalResult:
        """A compound question ("规划期是哪几年？行动计划的期限呢？") is searched part by part and the
        rankings interleaved, so each part — often each document — gets its evidence near the top. A rewrite
        in the documents' wording is searched the same way, its hits first."""
        parts = split_question(question)
        queries = (rewrites or []) + (parts if len(parts) > 1 else [])
        if not queries:
            return self.retriever.search(question, k=k, docs=docs, mode=mode)
        results = [self.retriever.search(question, k=k, docs=docs, mode=mode)]
        results += [self.retriever.search(p, k=k, docs=docs, mode=mode) for p in queries]
        hits, seen = [], set()
        for rank in range(k):
            for r in results[1:] + results[:1]:
                if rank < len(r.hits) and r.hits[rank].row not in seen:
                    seen.add(r.hits[rank].row)
                    hits.append(r.hits[rank])
        timings: dict[str, float] = {}
        for r in results:
            for key, v in r.timings_ms.items():
                timings[key] = timings.get(key, 0.0) + v
        return RetrievalResult(question=question, hits=hits[:k], query_terms=results[0].query_terms,
                               timings_ms=timings)

    def _answer(self, question: str, result: RetrievalResult, llm: LLMAnswerer | None) -> Answer:
        """The answer body (question, contexts and timings are the caller's): extractive, or the LLM's when
        the extractive evidence is strong enough to answer at all."""
        cfg = self.cfg
        passages = passages_from_hits(result.hits[:max(cfg.answer_passages, cfg.llm_passages)], self.index)
        top = [p for p in passages if p.rank <= cfg.answer_passages]
        # 是哪几家单位印发的？文号是什么？: each part an attribute the metadata holds, of the document the whole names
        cites = Citations()
        from_meta = [attribute_answer(replace(analyze(part), question=question), top, self.index, cites)
                     for part in split_question(question)]
        if all(from_meta):
            return Answer(question=question, answer="\n".join(m[0] for m in from_meta), refused=False,
                          citations=cites.all())
        text, citations, _ = self.extractive.answer(question, top, accept=lambda e: not self.refuse(e),
                                                    sections=IndexSections(self.index), meaning=self._meaning(top))
        if not text:
            return _refusal(question, top, self._not_stated(question, top))
        if llm is not None:
            try:
                return llm.answer(question, [p for p in passages if p.rank <= cfg.llm_passages])
            except Exception as exc:  # unreachable or failing endpoint: the extractive answer stands
                log.warning("LLM answer failed, falling back to extractive: %s", exc)
                return Answer(question=question, answer=text, refused=False, citations=citations,
                              notice="大模型服务不可用，以下为抽取式答案。")
        return Answer(question=question, answer=text, refused=False, citations=citations)

    def _meaning(self, passages: list[Passage]):
        """Cosine similarity of a question to each embedded sentence of `passages`, keyed (paragraph id,
        sentence start): the sentence vectors were made at ingest, so this costs one dot product."""
        rows = self.index.sentences([p.paragraph_id for p in passages])
        if not rows:
            return None
        keys = [(pid, s) for pid, s, _, _ in rows]
        matrix = np.stack([v for *_, v in rows]).astype(np.float32)

        def meaning(question: str) -> dict[tuple[str, int], float]:
            sims = matrix @ self.retriever.query_vector(question)
            return dict(zip(keys, map(float, sims)))
        return meaning

    def refuse(self, evidence: EvidenceStrength) -> bool:
        """Refuse when the best evidence covers too little of the question's key terms, when numbers the
        question names (years…) are not around the best sentence, when it lacks the kind of fact asked (a
        body for 哪个部门, an issuer for 谁印发的) — or, for questions asking for a number, when the best
        sentence holds no number or lacks what the number is about (吞吐量是多少 → 吞吐量)."""
        low = evidence.coverage < self.cfg.refusal_threshold and not (
            evidence.clear and evidence.coverage >= self.cfg.refusal_threshold / 2)  # a reworded question, clearly answered
        if low or not evidence.numbers_ok or not evidence.kind_ok:
            return True
        return evidence.needs_number and not (evidence.has_number and evidence.focus_ok)

    def _not_stated(self, question: str, passages: list[Passage]) -> tuple[Passage, QuestionAnalysis] | None:
        """The passage where the documents come closest when they do hold the question's subject but not
        the asked fact (an amount, an issuer, a date): the best evidence covers the question well."""
        best = None
        meaning = self._meaning(passages)
        for part in split_question(question):
            _, evidence = self.extractive.assess(part, passages, meaning=meaning)
            if evidence.lead is not None and evidence.coverage_doc >= NOT_STATED_COVERAGE and (
                    best is None or evidence.coverage_doc > best[0]):
                best = (evidence.coverage_doc, evidence.lead, analyze(part))
        return (best[1], best[2]) if best else None

# a refusal says 文件未载明 (rather than 未找到) when the closest passage holds this share of the question's
# key terms: the document and section are the ones asked about. Set on near-miss questions of our own sets.
NOT_STATED_COVERAGE = 0.6


def _refusal(question: str, nearest: list[Passage], found: tuple[Passage, QuestionAnalysis] | None = None
             ) -> Answer:
    """未在已收录的文件中找到… — or, when `found` is the section the question is about, 文件未载明… naming it."""
    if found is not None:
        found, analysis = found
        nearest = [found] + [p for p in nearest if p.paragraph_id != found.paragraph_id]
    related = [{"doc": p.doc, "title": p.title, "clause": p.label, "paragraph_id": p.paragraph_id,
                "text": p.paragraph} for p in nearest[:3]]
    if found is not None:
        lead = f"{NOT_STATED_LEAD}{_missing(analysis)}。找到的最相关内容在{found.label}，其中没有写明。"
    else:
        lead = REFUSAL
    note = "\n\n以下段落可能相关，请自行查阅：\n" + "\n".join(f"- {r['clause']}" for r in related) if related else ""
    return Answer(question=question, answer=lead + note, refused=True, related=related)


def _missing(a: QuestionAnalysis) -> str:
    """What the documents do not state, in the user's terms."""
    if a.intent is Intent.ATTRIBUTE:
        return {Attribute.ISSUER: "印发（起草）部门", Attribute.DATE: "印发日期", Attribute.EFFECTIVE: "施行日期",
                Attribute.STATUS: "文件状态", Attribute.NUMBER: "文号", Attribute.SPEAKER: "报告（讲话）人",
                Attribute.OCCASION: "报告（讲话）的时间和会议"}[a.attribute]
    if asks_members(a.names):  # 合作银行是哪几家 / 哪些铁路: the names are missing
        return f"所问的{a.names}名称"
    if a.intent is Intent.NUMBER:
        # the asked level / per-unit / year, as the user wrote them (a threshold is kept as a value only)
        named = [f"{v}年" if k == "year" else RELATIVE_WORD[v] if k == "ryear" else v
                 for k, v in sorted(a.qualifiers) if k != "threshold"]
        parts = "；".join(([a.unit] if a.unit else []) + named)
        return f"所问的数字（{parts}）" if parts else "所问的具体数字"
    return {Intent.DATE: "所问的时间", Intent.WHO: "所问的部门或单位", Intent.WHERE: "所问的地点"}.get(a.intent, "所问的内容")


__all__ = ["Assistant", "Asker", "InvalidQuestion", "IndexUnavailable", "REFUSAL", "validate"]
