"""Extractive answerer: picks the sentences of the retrieved paragraphs that answer the question and
quotes them verbatim, each followed by its citation [n]. No LLM needed."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from policyqa.answer import lists
from policyqa.answer.analysis import ACTUAL, Intent, QuestionAnalysis, analyze, split_question
from policyqa.answer.candidates import Candidate, EvidenceStrength, cover, overlaps
from policyqa.answer.compose import Citations, asker_quantities, list_block, quoted, states_number, trim
from policyqa.answer.consequences import cited_rule, consequence, next_steps
from policyqa.answer.definitions import footnote
from policyqa.answer.figures import about, contradicts, counts
from policyqa.answer.lists import enumerates, introduces
from policyqa.answer.measures import measures_paragraph, named_item, purpose_run
from policyqa.answer.names import PLACE_CLASSES, asks_names, members, names_span, naming_sentences, place_names
from policyqa.answer.scoring import CAUSE_CUE, CONCLUDES, CandidateScorer, Meaning, lists_counted
from policyqa.answer.sections import OPENS_LIST, Item, Sections, with_step
from policyqa.answer.types import Citation, Passage
from policyqa.answer.who import ACTOR_LABELS, actor_sentences
from policyqa.ingest.clean import DUTY_FIELD
from policyqa.store.lexical import Tokenizer
from policyqa.text import normalize

NOTE = re.compile(r"[（(][^（）()]{2,80}[）)][。．.]?")  # a parenthesised note after a sentence (（牵头单位：…）)


# the post a who-question asks the holder of (由谁当组长 → 组长)
ROLE_ASKED = re.compile(r"谁(?:来)?(?:当|任|担任|出任)([\u4e00-\u9fff]{1,5}?)(?=[？?，,]|$)")
# a sentence that escalates the one before it (拒不改正的，处…罚款): quoted after it, it reads as the rule says
ESCALATES = re.compile(r"(?:拒不|逾期不|逾期未|仍不|不听|再次|情节严重|情节特别严重|造成严重后果)[^，。]{0,8}的[，,]")


# a document's opening (…现将有关事项通知如下：, 制定本方案。): what follows is the whole document, not its items
PREAMBLE = re.compile(r"(?:通知|公告|通告|报告|说明|意见)如下|制定本(?:方案|办法|计划|规定|细则|条例)")


ADDED_Q = re.compile(r"除[^，。？?]{1,16}(?:外|以外)|另行|另外")
ADDED = re.compile(r"另(?:须|需|行|应|外)|还(?:须|需|应)")
STATED_CAUSE = re.compile(r"原因[，,]?(?:主要)?(?:是|在于)(?![：:])")
# a heading that asks why (四、为什么技师证书不在补贴范围内): the paragraph under it is the explanation, whole
WHY_HEADING = re.compile(r"为什么|为何|为啥|原因")
# a sentence that carries on the one before it (…；此外，…) with another cause or measure
CARRIES_ON = re.compile(r"(?:此外|另外|同时|其次|再次|再者|加之|(?:再)?加上|另一方面)[，,、]?")
COUNTED_ON = re.compile(r"(?:其[二三四五]|[二三四五六]是)[，,、]?")  # …after 一是 in the lead; a lead that is 二是 is one item


class ExtractiveAnswerer:
    def __init__(self, tokenizer: Tokenizer | None = None, max_sentences: int = 4, max_chars: int = 260):
        self.tokenizer = tokenizer or Tokenizer()
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.scorer = CandidateScorer(self.tokenizer)

    def weights(self, question: str) -> dict[str, float]:
        """Key terms of the question with IDF weights (see CandidateScorer.weights)."""
        return self.scorer.weights(question)

    def assess(self, question: str, passages: list[Passage], analysis: QuestionAnalysis | None = None,
               meaning: Meaning | None = None) -> tuple[list[Candidate], EvidenceStrength]:
        """Every sentence of the passages scored against the question, best first, and the evidence of the best."""
        return self.scorer.assess(question, passages, analysis, meaning)

    def answer(self, question: str, passages: list[Passage],
               accept: Callable[[EvidenceStrength], bool] = lambda e: True, sections: Sections | None = None, meaning: Meaning | None = None
               ) -> tuple[str, list[Citation], EvidenceStrength]:
        """Answer each part of the question ("…是哪几年？展望到哪一年？" has two) from the passages.
        A part whose evidence `accept` rejects gets no sentence; no accepted part → empty answer.
        With `sections`, a list, reason or measures question is answered with the items of the clause
        that holds them."""
        parts = split_question(question)
        citations = Citations()
        chosen: list[Candidate] = []
        blocks: list[str] = []
        evidences = []
        budget = self.max_sentences + len(parts) - 1
        for part in parts:
            a = analyze(part)
            cands, evidence = self.assess(part, passages, a, meaning)
            evidences.append(evidence)
            if not cands or not accept(evidence):
                continue
            note = footnote(part, cands, sections) if a.intent is Intent.DEFINITION and sections else None
            if note is not None:  # the document defines the term in its footnote: that is the answer
                lead = cands[0] if cands[0].passage.paragraph_id != note.passage.paragraph_id else None
                chosen.extend([lead] if lead else [])
                blocks.append(quoted(note.passage, note.start, note.end, citations)
                              + (self._sentence(lead, self.weights(part), a, citations) if lead else ""))
                continue
            if not a.gathers and not a.asks_number and a.intent in (Intent.FACT, Intent.YESNO) \
                    and OPENS_LIST.search(cands[0].text):
                a = replace(a, wants_list=True)  # 在什么情况下会被停掉: the best sentence opens 有下列情形之一的…：
            named = [] if a.asks_number else (actor_sentences(part, cands) if a.intent is Intent.MEASURES
                                              and not a.wants_list else []) or named_item(part, cands)
            if not named and not a.asks_number and not a.wants_list and a.intent in (Intent.MEASURES, Intent.FACT):
                # 会怎么处理: the article that cites the prohibited item; 复审通过以后怎么分配: the steps after it
                named = consequence(part, cands) or next_steps(part, a, cands)
            # the names of things of a class (哪些铁路) stand in sentences, not in a section's headings
            naming = [] if named or a.asks_number or not asks_names(a.names) or lists_counted(a, normalize(cands[0].text)) \
                else naming_sentences(a, cands, budget - len(chosen))
            # 主要原因是受…影响: the best sentence states the cause itself; its section's other items are other matters
            stated = (a.intent is Intent.REASON and not a.wants_list and STATED_CAUSE.search(cands[0].text)
                      # 除通用材料外还需另行提供哪些: the sentence of what is added (另须提供A、B和C), not the common list
                      or ADDED_Q.search(part) and ADDED.search(cands[0].text)
                      # 牵头单位有哪些: a task's field line (牵头单位：市住建局、市消防救援支队) names them all
                      or a.intent is Intent.WHO and DUTY_FIELD.match(cands[0].text))
            items = (self.list_items(part, a, cands, sections) if a.gathers and sections is not None and not named
                     and not naming and not stated else [])
            items = [it for it in items if not it.passage.instructs(it.start, it.end)]
            if items and lists.questions(items):
                items = []  # a Q&A's questions (问四：…标准是多少？) are its headings, not the items asked for
            if a.asks_steps:
                items = [with_step(it) for it in items]
            if items:
                blocks.append(list_block(items, part, citations))
                continue
            weights = self.weights(part)
            mine = []
            whole = named or naming or (measures_paragraph(cands) or purpose_run(cands)
                                        if a.intent is Intent.MEASURES else [])
            # …是多少？比上年增长多少？: the sentence quoted for the figure answers the rate too — unless this part's own
            # best sentence, in the same document, states another figure in the asked unit (比上年增长5.9%, not 年均增长6.2%)
            own = cands[0] if states_number(cands[0].text) and (not a.unit or counts(a.unit, cands[0].text)) else None
            # — nor a part asking what came about (实际新增了多少张) after one asking the target
            stated = next((c for c in chosen if a.asks_number and a.focus and not ACTUAL.search(part)
                           and all(t in normalize(c.text).lower() for t in a.focus) and states_number(c.text)
                           and (not a.unit or counts(a.unit, c.text))
                           and (own is None or overlaps(own, c) or own.passage.doc != c.passage.doc)), None)
            picked = [] if stated else whole or self._select(part, a, cands, budget - len(chosen))
            quoted_before = stated or next((o for o in chosen if picked and overlaps(picked[0], o)), None)
            if quoted_before is not None:
                # 涉及多少个村？农村人口有多少？: the sentence quoted for one part answers this one too — unless the
                # clause after it states this part's own figure (对个人和单位分别处多少罚款: …对个人处200元罚款；对单位处…)
                picked = [c for c in cands if a.asks_number and c.passage.paragraph_id == quoted_before.passage.paragraph_id
                          and 0 <= c.start - quoted_before.end <= 2 and states_number(c.text)
                          and any(t in normalize(c.text).lower() and t not in normalize(quoted_before.text).lower()
                                  for t in weights)][:1]
                if not picked:
                    continue
            for c in picked:
                if not any(overlaps(c, o) for o in chosen):
                    chosen.append(c)
                    mine.append(c)
            blocks.append("".join(self._sentence(c, weights, a, citations, cut=len(parts) == 1) for c in mine))
        best = max(evidences, key=lambda e: e.coverage)
        text = "\n".join(b for b in blocks if b)
        if not text:
            return "", [], best
        return text, citations.all(), best

    def _select(self, question: str, a: QuestionAnalysis, cands: list[Candidate], budget: int) -> list[Candidate]:
        """The lead sentence, then sentences that add key terms the lead lacks or continue its list."""
        weights = self.weights(question)
        total = sum(weights.values()) or 1.0
        chosen = [cands[0]]
        covered = set(cands[0].covered)
        listy = a.gathers
        length = len(cands[0].text)
        max_chars = self.max_chars * 2 if listy else self.max_chars  # reasons and lists need room
        lead = chosen[0]
        # "一、双核：…" or "实施“一谷三全”策略。": the answer is what follows — unless the short line already states the
        # asked figure or date (（二）集中施工阶段（4月至10月） answers 什么时候施工)
        if introduces(lead) and not (a.asks_number and states_number(lead.text)) and not PREAMBLE.search(lead.text):
            following = sorted((c for c in cands if c.order > lead.order and c.passage.doc == lead.passage.doc
                                and c.passage.rank == lead.passage.rank), key=lambda c: c.order)
            for c in following[:max(2, a.count or 0)]:  # 三大…产业: one sentence per named item
                if len(chosen) < budget and length + len(c.text) <= max_chars:
                    chosen.append(c)
                    covered |= c.covered
                    length += len(c.text)
        note = next((c for c in cands[1:] if c.passage.paragraph_id == lead.passage.paragraph_id
                     and 0 <= c.start - lead.end <= 2 and NOTE.fullmatch(c.text.strip())), None)
        if note is not None:  # …建设。（牵头单位：…） belongs to the sentence it follows: one quote with it
            lead = chosen[0] = replace(lead, end=note.end, covered=lead.covered | note.covered)
            covered |= note.covered
            length += len(note.text)
        prior = next((c for c in cands[1:] if c.passage.paragraph_id == lead.passage.paragraph_id
                      and 0 <= lead.start - c.end <= 2), None) if ESCALATES.match(lead.text) else None
        if prior is not None:  # 拒不改正的，处…罚款 is the fine after what it escalates: one quote with it
            lead = chosen[0] = replace(lead, start=prior.start, covered=lead.covered | prior.covered)
            covered |= prior.covered
            length += len(prior.text)
        if a.intent in (Intent.REASON, Intent.MEASURES) and not a.asks_number and not a.wants_list:
            before = [c for c in cands[1:] if c.passage.paragraph_id == lead.passage.paragraph_id
                      and c.end <= lead.start] if CONCLUDES.match(lead.text) or (
                a.intent is Intent.REASON and lead.passage.clause and WHY_HEADING.search(lead.passage.clause[-1])) else []
            for c in sorted(before, key=lambda c: -c.start)[:2]:  # 因此，建议及时申请: the two sentences it rests on
                if 0 <= lead.start - c.end <= 2 and length + len(c.text) <= max_chars:
                    lead = chosen[0] = replace(lead, start=c.start, covered=lead.covered | c.covered)
                    covered |= c.covered
                    length += len(c.text)
            after = sorted((c for c in cands[1:] if c.passage.paragraph_id == lead.passage.paragraph_id
                            and c.start >= lead.end), key=lambda c: c.start)
            for c in after:  # …主要是由于A；此外，B: each cause or measure the paragraph adds to the lead's
                carries = CARRIES_ON.match(c.text) or COUNTED_ON.match(c.text) and re.search("一是|其一", lead.text) or (
                    # 补贴金额同比增长142%。…解释说，…一方面是因为…: the figure asked about, then its cause
                    a.intent is Intent.REASON and not CAUSE_CUE.search(lead.text) and CAUSE_CUE.search(c.text))
                if c.start - lead.end > 2 or not carries or length + len(c.text) > max_chars:
                    break
                lead = chosen[0] = replace(lead, end=c.end, covered=lead.covered | c.covered)
                covered |= c.covered
                length += len(c.text)
        rule = cited_rule(question, weights, lead, cands) if a.asks_number else None
        if rule is not None and len(chosen) < budget and not any(overlaps(rule, o) for o in chosen):
            chosen.append(rule)  # 第八条 违反第七条…罚款: the cited item that names the asked deed says what the fine is for
            covered |= rule.covered
            length += len(rule.text)
        for c in cands[1:]:
            if len(chosen) >= budget or length + len(c.text) > max_chars:
                continue
            if any(overlaps(c, o) for o in chosen):
                continue
            gain = cover(weights, c.covered - covered) / total
            lead = chosen[0]
            adjacent = c.passage.paragraph_id == lead.passage.paragraph_id and 0 <= c.start - lead.end <= 2
            # the next sentence often carries what the lead only introduces (…建设。（牵头单位：…）)
            follows = adjacent and (listy and c.score >= 0.6 * lead.score or gain > 0.05)
            if a.asks_number and not follows and (not states_number(c.text) or a.predicate
                                                  and a.predicate not in normalize(c.text).lower()):
                continue  # a number answer adds figures of the asked deed, not a headline's fragment
            if a.asks_number and a.qualifiers and contradicts(a.qualifiers, normalize(c.text).lower()):
                continue  # 二级医院 asked: the 一级 clause's figures are another quantity
            if a.asks_number and not follows and a.focus and not about(a, normalize(c.text).lower()):
                continue  # a number answer adds only sentences about what it measures, not the section's other figures
            if gain >= 0.2 and c.score >= 0.5 * lead.score or follows:
                chosen.append(c)
                covered |= c.covered
                length += len(c.text)
        return chosen

    def _sentence(self, c: Candidate, weights: dict[str, float], a: QuestionAnalysis, citations: Citations,
                  cut: bool = True) -> str:
        """The quote of `c`; `cut`: a number answer may start at the asked figure's clause (not for a compound
        question, whose other parts' figures may stand before it)."""
        named = [m for m in (members(a.names, c.text) or (place_names(c.text, a.question) if a.names in PLACE_CLASSES
                                                            else [])) if m not in a.question] if asks_names(a.names) else []
        if named and len(c.text) > 110:  # the clauses from the first name to the last: the names are the answer
            s, e = names_span(c.text, named)
            return quoted(c.passage, c.start + s, c.start + e, citations)
        # an enumerating sentence stays whole for a list: every item is part of the answer
        # …and so a reason or measure carried on (…；此外，…) is quoted whole
        limit = 220 if a.gathers and (enumerates(c) or a.intent in (Intent.REASON, Intent.MEASURES)) else 110
        if ESCALATES.search(c.text, 1):  # …招揽顾客的，由…责令改正；拒不改正的，…罚款: the deed and its fine, whole
            limit = 220
        if a.intent is Intent.WHO:  # a table row's cell 责任单位：… is what 哪个部门 asks, however few words it shares
            # …and so is the clause of the post asked (由谁当组长 → 由县长任组长)
            posts = ROLE_ASKED.findall(a.question)
            weights = {**weights, **dict.fromkeys(ACTOR_LABELS + tuple(posts), sum(weights.values()) or 1.0)}
        s, e = trim(c.text, weights, limit, want_number=a.asks_number, focus=a.focus, cut=cut,
                    own=tuple(asker_quantities(a.question)) if a.asks_number else ())
        return quoted(c.passage, c.start + s, c.start + e, citations)

    def list_items(self, question: str, a: QuestionAnalysis, cands: list[Candidate], sections: Sections
                   ) -> list[Item]:
        """The items that answer a list, reason or measures question, from the document's structure
        (see lists.list_items)."""
        return lists.list_items(question, a, cands, sections, self.weights(question))
