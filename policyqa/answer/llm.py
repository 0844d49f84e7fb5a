"""Optional LLM answerer: any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server, a hosted API).

Off unless POLICYQA_LLM_BASE_URL and POLICYQA_LLM_MODEL are set. Its answer goes through the same
support check as the extractive one; callers fall back to the extractive answer when it fails."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from policyqa.answer.analysis import GROUP_OF, WORDING_Q, Intent, QuestionAnalysis, analyze, split_question
from policyqa.answer.followup import standalone
from policyqa.answer.names import asks_members
from policyqa.answer.support import check_support
from policyqa.answer.types import NOT_STATED_LEAD, REFUSAL_LEAD, Answer, Citation, Passage
from policyqa.config import AnswerMode, Config
from policyqa.ingest.injection import masked
from policyqa.text import MARK

log = logging.getLogger(__name__)

# what the model reads in place of a passage addressed to it (系统提示：…): it is not shown the instruction at all
WITHHELD = "〔此处是文件中写给问答系统的指令，已略去，不是事实依据〕"
_FENCE = re.compile(r"</?资料[^>]*>")  # a passage must not close its own fence
_BLANK = "\u25a1"  # same-length filler: spans found in a blanked paragraph stay valid in the original


def passage_block(passages: list[Passage]) -> str:
    """The passages as the prompt quotes them: each one fenced and numbered, the parts addressed to the system
    withheld, and nothing inside able to close its fence or pose as a new message."""
    parts = []
    for i, p in enumerate(passages, 1):
        text = masked(p.paragraph, p.instruction_spans, WITHHELD) if p.instruction_spans else p.paragraph
        text = _FENCE.sub("", text)
        parts.append(f"[{i}] {_FENCE.sub('', p.label)}\n<资料>\n{text}\n</资料>")
    return "\n\n".join(parts)


def _blanked(p: Passage) -> str:
    text = p.paragraph
    for s, e in p.instruction_spans:
        text = text[:s] + _BLANK * (e - s) + text[e:]
    return text



GUIDANCE = {  # what the answer must lead with, by what is asked (the same analysis the extractive answer uses)
    Intent.NUMBER: "问的是数字：第一句写出数字及单位和它衡量的对象；资料没有这个数字时回答“文件未载明……”。",
    Intent.DATE: "问的是时间或期限：第一句写出时间；资料没有写明时回答“文件未载明……”。",
    Intent.LIST: "问的是列举：先写“共N项：”，再逐项列出全部条目，每项一行并标注编号。",
    Intent.REASON: "问的是原因或意义：列出资料中陈述的每一条原因或意义，不要只写一句。",
    Intent.MEASURES: "问的是做法或措施：列出资料中的每一项措施，每项标注编号。",
    Intent.WHO: "问的是部门或单位：第一句写出部门或单位名称；资料没有写明时回答“文件未载明……”。",
    Intent.WHERE: "问的是地点：第一句写出地点。",
    Intent.DEFINITION: "问的是含义：第一句写出资料对该词的解释，要完整。",
    Intent.YESNO: "问的是是否：第一句先回答是或否，再给依据。",
    Intent.ATTRIBUTE: "问的是文件本身的属性（印发部门、日期、状态）：资料没有写明时回答“文件未载明……”。",
    Intent.FACT: "第一句直接回答所问的内容。",
}


def guidance(a: QuestionAnalysis) -> str:
    """One line of the prompt: the question part, what it asks for and what the answer must do."""
    line = f"「{a.question}」{GUIDANCE[a.intent]}"
    if a.intent is Intent.FACT and WORDING_Q.search(a.question):
        line = f"「{a.question}」问的是文件原文怎么表述：第一句照抄资料中表述它的那一句，不要改写，也不要列举措施。"
    if a.wants_list and a.intent is not Intent.LIST:
        line += "答案有多项时全部列出。"
    if asks_members(a.names):
        line += (f"要写出{a.names}的具体名称；资料只提到“{a.names}”这一类而没有写出名称时，回答“文件未载明所问的{a.names}名称”。")
    if any(k == "year" for k, _ in a.qualifiers):
        line += "所问年份须是数字所对应的目标年份；文件标题或规划期（如“2022—2035年”）中的年份不算。"
    others = [w for w in GROUP_OF.get(a.target, ()) if w != a.target]
    if a.kind_asked and others:
        line += (f"文件里的“{a.target}”可能写作{'、'.join('“' + w + '”' for w in others[:4])}等：列出这样命名的那一节的全部条目，"
                 "不要列出另一类（如问长处时不列问题或挑战）。")
    return line


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

    def official_wording(self, question: str) -> str | None:
        """The question in the documents' own wording (房东 → 出租人), searched beside the user's: None when the
        endpoint fails or returns nothing usable."""
        try:
            text = self._chat(None, self._template("query_rewrite.txt").format(question=question))
        except Exception as exc:
            log.warning("LLM query rewrite failed, searching the question only: %s", exc)
            return None
        line = text.splitlines()[0].strip() if text else ""
        return line if line and line != question and len(line) <= 4 * len(question) + 40 else None

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        # passages are quoted as data: fenced and numbered, never concatenated into the instructions
        block = passage_block(passages)
        analysis = "\n".join(guidance(analyze(part)) for part in split_question(question))
        text = self._chat(self._template("answer_system.txt"), self._template("answer_user.txt").format(
            passages=block, question=question, analysis=analysis))
        if not text:
            raise RuntimeError("empty completion")
        if (text.startswith(NOT_STATED_LEAD) or REFUSAL_LEAD in text) and not MARK.search(text):
            return Answer(question=question, answer=text, refused=True, answer_mode=AnswerMode.LLM)
        used = sorted({int(n) for n in MARK.findall(text) if 1 <= int(n) <= len(passages)})
        renumber = {old: new for new, old in enumerate(used, 1)}
        text = MARK.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber
                         else "", text)
        cited = [(renumber[old], passages[old - 1]) for old in used]
        # checked against the paragraph without its instructions: repeating one is not supported by the document
        citations = [Citation(n=n, doc=p.doc, title=p.title, clause=p.label, paragraph_id=p.paragraph_id,
                              text=_blanked(p), quote="", span=(0, 0), source=p.source) for n, p in cited]
        text, citations = check_support(text, citations, self.cfg.support_threshold)
        citations = [replace(c, text=p.paragraph, quote=p.paragraph[c.span[0]:c.span[1]] if c.quote else "")
                     for c, (_, p) in zip(citations, cited)]
        return Answer(question=question, answer=text, refused=False, citations=citations, answer_mode=AnswerMode.LLM)
