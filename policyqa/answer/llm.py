"""Optional LLM answerer: any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, a hosted API).

Off unless POLICYQA_LLM_BASE_URL and POLICYQA_LLM_MODEL are set. Its answer goes through the same
support check as the extractive one; callers fall back to the extractive answer when it fails."""

from __future__ import annotations

import logging
from pathlib import Path

from policyqa.answer.followup import standalone
from policyqa.answer.support import check_support
from policyqa.answer.types import REFUSAL_LEAD, Answer, Citation, Passage
from policyqa.config import AnswerMode, Config
from policyqa.text import MARK

log = logging.getLogger(__name__)



class LLMAnswerer:
    def __init__(self, cfg: Config):
        from openai import OpenAI

        self.cfg = cfg
        self.client = OpenAI(base_url=cfg.llm_base_url, api_key=cfg.llm_api_key or "not-needed",
                             timeout=cfg.llm_timeout, max_retries=0)
        self.prompts = Path(cfg.prompts_dir)

    def _template(self, name: str) -> str:
        return (self.prompts / name).read_text("utf-8")

    def _chat(self, system: str | None, user: str) -> str:
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": user}]
        resp = self.client.chat.completions.create(model=self.cfg.llm_model, messages=messages, temperature=0)
        return (resp.choices[0].message.content or "").strip()

    def standalone(self, question: str, history: list[str]) -> str:
        """Rewrite a follow-up into a standalone question; the heuristic rewrite covers failures."""
        try:
            text = self._chat(None, self._template("rewrite.txt").format(
                history="\n".join(f"- {h}" for h in history[-3:]), question=question))
            return text.splitlines()[0].strip() if text else standalone(question, history)
        except Exception as exc:
            log.warning("LLM rewrite failed, using the heuristic: %s", exc)
            return standalone(question, history)

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        # passages are quoted as data: fenced and numbered, never concatenated into the instructions
        block = "\n\n".join(f"[{i}] {p.label}\n«{p.paragraph}»" for i, p in enumerate(passages, 1))
        text = self._chat(self._template("answer_system.txt"),
                          self._template("answer_user.txt").format(passages=block, question=question))
        if not text:
            raise RuntimeError("empty completion")
        if REFUSAL_LEAD in text and not MARK.search(text):
            return Answer(question=question, answer=text, refused=True, answer_mode=AnswerMode.LLM)
        used = sorted({int(n) for n in MARK.findall(text) if 1 <= int(n) <= len(passages)})
        renumber = {old: new for new, old in enumerate(used, 1)}
        text = MARK.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber
                         else "", text)
        citations = [Citation(n=renumber[old], doc=p.doc, title=p.title, clause=p.label,
                              paragraph_id=p.paragraph_id, text=p.paragraph, quote="", span=(0, 0))
                     for old, p in ((o, passages[o - 1]) for o in used)]
        text, citations = check_support(text, citations, self.cfg.support_threshold)
        return Answer(question=question, answer=text, refused=False, citations=citations, answer_mode=AnswerMode.LLM)
