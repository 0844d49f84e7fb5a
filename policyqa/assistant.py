"""The assistant: a question (and the conversation so far) in, a cited answer or an honest refusal out."""

from __future__ import annotations

import logging
import re
import time

from policyqa.answer.types import Answer, contexts_json, passages_from_hits
from policyqa.config import Config
from policyqa.answer.extractive import Evidence, ExtractiveAnswerer, split_question
from policyqa.answer.followup import standalone
from policyqa.store.lexical import Tokenizer
from policyqa.retrieve.retriever import RetrievalResult, Retriever
from policyqa.store.index import Index, IndexUnavailable

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
REFUSAL = "未在已收录的文件中找到该问题的答案。"
_TEXT = re.compile(r"[\w\u4e00-\u9fff]")


class InvalidQuestion(ValueError):
    """The question cannot be searched; the message (Chinese) says why."""


def validate(question: str) -> str:
    q = (question or "").strip()
    if not q:
        raise InvalidQuestion("请输入问题。")
    if len(q) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(f"问题过长（{len(q)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内。")
    if not _TEXT.search(q):
        raise InvalidQuestion("问题中没有可检索的文字，请用文字描述您的问题。")
    return q


class Assistant:
    """Holds the model and the index (loaded once) and answers questions."""

    def __init__(self, cfg: Config, embedder, index: Index):
        self.cfg = cfg
        self.embedder = embedder
        self.index = index
        self.tokenizer = Tokenizer()
        self.retriever = Retriever(index, embedder, cfg, self.tokenizer)
        self.extractive = ExtractiveAnswerer(self.tokenizer, cfg.max_answer_sentences)
        self._llm = None

    @classmethod
    def open(cls, cfg: Config, embedder=None) -> "Assistant":
        from policyqa.ingest.chunk import ChunkSettings
        from policyqa.embedding.convert import load_embedder, model_identity

        index = Index.load(cfg.index_dir, model_identity(cfg), ChunkSettings(cfg.chunk_size, cfg.chunk_overlap).identity())
        return cls(cfg, embedder or load_embedder(cfg), index)

    def reload(self) -> None:
        """Pick up a newly published index (after an ingest)."""
        old = self.index
        self.index = Index.load(self.cfg.index_dir, old.manifest.get("model"), old.manifest.get("chunker"))
        self.retriever = Retriever(self.index, self.embedder, self.cfg, self.tokenizer)
        old.close()

    @property
    def llm(self):
        if self._llm is None and self.cfg.llm_base_url and self.cfg.llm_model:
            from policyqa.answer.llm import LLMAnswerer

            self._llm = LLMAnswerer(self.cfg)
        return self._llm

    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, mode: str | None = None, retrieval: str = "hybrid") -> Answer:
        """Answer `question`; `history` holds the earlier user questions of the conversation.
        `retrieval` is hybrid, or dense / bm25 alone (the evaluation's baselines)."""
        t0 = time.perf_counter()
        q = validate(question)
        mode = mode or self.cfg.answer_mode
        if history:
            llm = self.llm if mode == "llm" else None
            sq = llm.standalone(q, history) if llm else standalone(q, history)
        else:
            sq = q
        k = max(k or self.cfg.top_k, 10)
        result = self._retrieve(sq, k, docs, retrieval)
        t1 = time.perf_counter()
        answer = self._answer(sq, result, mode)
        t2 = time.perf_counter()
        answer.question = q
        answer.standalone_question = sq
        answer.contexts = contexts_json(result.hits)
        answer.timings_ms = {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000,
                             "total": (t2 - t0) * 1000,
                             **{f"retrieve_{stage}": ms for stage, ms in result.timings_ms.items()}}
        return answer

    def _retrieve(self, question: str, k: int, docs: list[str] | None, mode: str) -> RetrievalResult:
        """A compound question ("规划期是哪几年？行动计划的期限呢？") is searched part by part and the
        rankings interleaved, so each part — often each document — gets its evidence near the top."""
        parts = split_question(question)
        if len(parts) == 1:
            return self.retriever.search(question, k=k, docs=docs, mode=mode)
        results = [self.retriever.search(question, k=k, docs=docs, mode=mode)]
        results += [self.retriever.search(p, k=k, docs=docs, mode=mode) for p in parts]
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

    def _answer(self, question: str, result: RetrievalResult, mode: str) -> Answer:
        passages = passages_from_hits(result.hits[:6], self.index)  # the LLM reads one hit more
        top5 = [p for p in passages if p.rank <= 5]
        text, citations, _ = self.extractive.answer(question, top5, accept=lambda e: not self.refuse(e))
        if not text:
            related = [{"doc": p.doc, "title": p.title, "clause": p.label, "paragraph_id": p.paragraph_id,
                        "text": p.paragraph} for p in top5[:3]]
            return Answer(question=question, answer=REFUSAL + _related_note(related), refused=True,
                          related=related, mode="extractive")
        if mode == "llm" and self.llm is not None:
            try:
                return self.llm.answer(question, passages)
            except Exception as exc:  # unreachable or failing endpoint: the extractive answer stands
                log.warning("LLM answer failed, falling back to extractive: %s", exc)
                notice = "大模型服务不可用，以下为抽取式答案。"
                return Answer(question=question, answer=text, refused=False, citations=citations,
                              mode="extractive", notice=notice)
        return Answer(question=question, answer=text, refused=False, citations=citations, mode="extractive")

    def refuse(self, evidence: Evidence) -> bool:
        """Refuse when the best evidence covers too little of the question's key terms, when numbers the
        question names (years…) are not around the best sentence, or — for questions asking for a number —
        when the best sentence holds no number or lacks what the number is about (吞吐量是多少 → 吞吐量)."""
        if evidence.coverage < self.cfg.refusal_threshold or not evidence.numbers_ok:
            return True
        return evidence.needs_number and not (evidence.has_number and evidence.focus_ok)


def _related_note(related: list[dict]) -> str:
    if not related:
        return ""
    lines = "\n".join(f"- {r['clause']}" for r in related)
    return f"\n\n以下段落可能相关，请自行查阅：\n{lines}"


__all__ = ["Assistant", "InvalidQuestion", "IndexUnavailable", "REFUSAL", "validate"]
