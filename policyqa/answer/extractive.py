"""Extractive answerer: picks the sentences of the retrieved paragraphs that answer the question and
quotes them verbatim, each followed by its citation [n]. No LLM needed."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Callable

from policyqa.answer.analysis import (GROUP_OF, HEADING_GROUPS, TITLE, Attribute, Intent, QuestionAnalysis, analyze, heading_names,
                                      qualifiers, split_question)
from policyqa.answer.compose import ENUMERATOR, NUMBER, Citations, list_block, quoted, trim
from policyqa.answer.sections import (INTRO, LEAD_MIN, Item, Sections, inline_items, numbered_run, opens_list,
                                      section_items)
from policyqa.ingest.metadata import DOC_NUMBER
from policyqa.answer.types import Citation, Passage
from policyqa.answer.names import PLACE_CLASSES, asks_members, asks_names, members, names_body, place_names
from policyqa.answer.wording import (AREA, AREA_UNIT, COST_STATED, TIME_STATED, TIME_VERB, asks_cost, asks_time,
                                     phrase_credit, stands, stands_as_figure, unit_pattern)
from policyqa.store.lexical import Tokenizer
from policyqa.text import DIGITS, bigrams, normalize, sentences

GLUE = re.compile(r"[\s的是了和与及在对为将把被由从向等]")  # bigrams across these join nothing
Meaning = Callable[[str], dict[tuple[str, int], float]]  # question → similarity per (paragraph id, start)
MEANING_WEIGHT = 0.3  # the most similar sentence of the candidates gains this much over the least similar
PLACE_WEIGHT = 3.0
NEGATED_WEIGHT = 0.3
LAY_SAID = 0.1  # a sentence stating a lay phrase of the question in its official term  # a term the question says its subject cannot reach (接不进管网)  # a place name's cap: rare names would otherwise outweigh what is asked
AROUND = 1.0  # weight of question terms found in the title or clause path rather than the sentence
QUOTED = re.compile(r"[“\"「《]([^”\"」》]+)[”\"」》]")
WH_TOKEN = re.compile(r"多少|哪几年|几年|哪一年|哪年|哪些|哪几|哪几个|哪个|哪种|哪类|哪家|哪|什么|何时|如何|怎样|怎么|为什么|为何|是否|几|几个|几位|几家|第几")
ORG = r"(?:委员会|人民政府|政府|办公厅|办公室|厅|局|部门|委|院|海关|法院|检察院|中心|机关|单位)"
# what the sentence that answers must hold, by what is asked
KIND_BY_INTENT = {Intent.WHO: re.compile(ORG + r"|牵头|负责|主管")}
# the answering sentence of a who-question names a body or a post (市自然资源局, 园区管委会, 市主要领导), not only
# 有关部门 / 相关责任单位; of a date question, a date, a year or a span (2025年, 6月底, 三年内)
GENERIC_BODY = re.compile(r"(?:各|全|本)?(?:有关|相关|各|其他)(?:责任|职能|主管|行政|政府|管理)?(?:部门|单位|机关|机构|方面)"
                          r"|(?:牵头|责任|参加|配合|主管)(?:部门|单位)")
_ORG_NAME = (r"[\u4e00-\u9fff]{2,}?(?:委员会|管委会|人民政府|政府|办公厅|办公室|工商联|统战部"
             r"|(?<![东南西北中内外全局基头腹底顶干])部(?!门|分|署)|厅|(?<![布格结大全开当时僵棋出终])局|委(?!托)"
             r"|院|海关|法院|检察院|机关|中心(?!城)|公司|集团|银行|商会|协会|(?:管理|监督|监管|执法)部门)"
             r"|(?:主管|负责)[\u4e00-\u9fff]{2,12}的(?:部门|机关|机构|单位)")  # 主管公安派出所工作的部门
# a body by name, not a post: 哪个部门/单位 is not answered by 负责同志 or 市领导
NAMED_ORG = re.compile(_ORG_NAME)
NAMED_BODY = re.compile(_ORG_NAME + r"|领导|负责人|负责同志|书记|市长|县长|主任")  # a body or a post
# a question for the year (哪一年开工) is answered by a year, not by a duration (2小时交通圈) or a month
YEAR_ASKED = re.compile(r"哪一?年|何年|哪个年份|什么年份")
YEAR_STATED = re.compile(r"(?:19|20)\d{2}|今年|明年|去年|后年|十[一二三四五六七]五")
DATE_STATED = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|(?:19|20)\d{2}|\d{1,2}月|[一二三四五六七八九十]{1,2}月|年底|年内|年初|年末|今年|明年|上半年|下半年"
                         r"|(?:\d+|[一二三四五六七八九十百两半]+)个?(?:年|月|日|天|小时|分钟|周|星期|工作日|季度)")
ORG_ASKED = re.compile(r"(?:哪个|哪些|什么|哪一个|哪家|哪级|哪[两三四五六七八九十几]个?)[^，。？?、]{0,4}?(?:部门|单位|机关|机构)")
# what a who-question asks the body to do, by kin (牵头 ≈ 负责 ≈ 主管; 推进 ≈ 落实 ≈ 实施): the sentence that answers
# says the body does it — 中共甲市市委印发《方案》 does not say who leads its implementation
ACTION_KIN = (("牵头", "负责", "主管", "主抓", "统筹", "组织", "领导"),
              ("推进", "推动", "落实", "实施", "执行", "开展", "承担", "负责", "牵头"),
              ("审批", "批准", "核准", "审核", "审查"),
              ("监督", "监管", "检查", "管理"),
              ("指导", "管理", "负责"))


# a lay who-question for the body in charge: 归哪个部门管, 谁来管, 哪个单位管
IN_CHARGE_Q = re.compile(r"(?:归|由)?(?:谁|哪个部门|哪个单位|哪个机关|哪些部门|哪家)(?:来)?管(?!理)")


def asked_actions(question: str) -> tuple[str, ...]:
    """The words a who-question asks the body to do, with their kin (由哪个部门牵头推进 → 牵头, 负责, 推进, 落实…)."""
    after = question[ORG_ASKED.search(question).start():] if ORG_ASKED.search(question) else question
    before = question[:ORG_ASKED.search(question).start()] if ORG_ASKED.search(question) else ""
    told = [w for g in ACTION_KIN for w in g if w in after or before.endswith("由") and w in after]
    if IN_CHARGE_Q.search(question):
        told.append("主管")  # 归哪个部门管 / 谁管: the body in charge (主管部门)
    return tuple(dict.fromkeys(k for g in ACTION_KIN if any(w in g for w in told) for k in g))


KIND_OK = {Intent.WHO: lambda text: bool(NAMED_BODY.search(GENERIC_BODY.sub("", text))),
           Intent.DATE: lambda text: bool(DATE_STATED.search(text))}
KIND_BY_ATTRIBUTE = {
    Attribute.ISSUER: re.compile(ORG + r"[^。]{0,30}(?:印发|发布|制定|起草|颁布|出台|编制)|(?:印发|发布|制定|起草|颁布|编制)"
                                 r"(?:单位|部门|机关)[：:]"),
    Attribute.NUMBER: DOC_NUMBER,
    Attribute.DATE: re.compile(r"\d{4}年\d{1,2}月|\d{4}[-./]\d{1,2}[-./]\d{1,2}|[二〇一九零]{4}年[一二三四五六七八九十]{1,2}月"),
}
SECTION_AFTER = re.compile(r"(?:这一|这个|一)?(?:方面|章|节|部分|专栏|板块)")  # 在“…”一节 / “…”这一章
PARTS_Q = re.compile(r"哪几?[个类]?(?:方面|部分|节)|几[个类]?(?:方面|部分|节)")
REASON_CUE = re.compile(r"有利于|为了|旨在|目的|意义|原因|是[^，。]{0,20}(?:重要|重大)举措|因为|由于|以便|从而"
                        r"|为贯彻|为落实|为深入|根据|依据|抓住|机遇|必然要求|迫切需要"
                        r"|用于|为解决|解决[^，。]{0,30}问题")  # 主要用于解决…问题: what it is for  # a document's basis is its reason
# a sentence that reports a document's issue (…印发《…实施方案》) gives no reason for it
ISSUED = re.compile(r"(?:印发|发布|出台|公布|颁布)了?《")
CLEAR_MARGIN = 0.3  # score lead over the next sentence that makes it "clearly the one" (set on our dev sets:
# the reworded questions it lets through lead by 0.35, no unanswerable question of them by more than 0.04)
NOTE = re.compile(r"[（(][^（）()]{2,80}[）)][。．.]?")  # a parenthesised note after a sentence (（牵头单位：…）)
INTRO_NEAR = 0.9  # share of the lead's score at which a sentence introducing the asked items (下列条件：) answers
NAMED_HEADING = 0.8  # share of a heading's bigrams a question must hold to name it (存在问题 vs 存在哪些问题: 2/3)
INTENT_HEADINGS = {  # a heading with these words holds the answer to a question of that intent
    Intent.REASON: re.compile(r"意义|目的|原因|必要性|背景|重要性"),
    Intent.MEASURES: re.compile(r"措施|举措|路径|对策|建议|做法|办法"),
}

@dataclass
class Candidate:
    passage: Passage
    start: int  # within the paragraph
    end: int
    score: float
    covered: frozenset[str]
    order: tuple[int, int] = (0, 0)  # reading order among the passages: (passage index, start)
    lead_in: str = ""  # the lead-in its sentence's clauses stand under (2024年，…；产业带龙眼… → 2024年)
    cites: str = ""  # the item of a rule it cites, when it answers for that item (违反…第（四）项 → （四）擅自改装…)

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
    focus_ok: bool = True  # focus terms and unit appear around the best sentence, which states no other qualifier
    numbers_ok: bool = True  # numbers of the question (years…) appear around the best sentence, no other year in it
    kind_ok: bool = True  # the best sentence holds the kind of fact asked (a body for 哪个部门, an issuer…)
    lead: Passage | None = None  # the passage of the best sentence: where the documents come closest
    # the best sentence is clearly the one: far ahead of the next and the closest in meaning of all candidates
    # (a reworded question shares few characters with it: 岁数上千年的老荔枝树 → 千年以上古荔枝树)
    clear: bool = False
    # coverage of the best sentence with all of its title and clause path, headlines too: whether the documents
    # hold the question's subject (文件未载明 rather than 未找到) even when the headline is no sentence's context
    coverage_doc: float = 0.0


class ExtractiveAnswerer:
    def __init__(self, tokenizer: Tokenizer | None = None, max_sentences: int = 4, max_chars: int = 260):
        self.tokenizer = tokenizer or Tokenizer()
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self._weights: dict[str, dict[str, float]] = {}

    @cached_property
    def _idf(self) -> tuple[dict[str, float], float]:
        import jieba.analyse

        tfidf = jieba.analyse.TFIDF()
        return tfidf.idf_freq, tfidf.median_idf

    def weights(self, question: str) -> dict[str, float]:
        """Key terms of the question with IDF weights (general Chinese IDF). Quoted phrases (“四小园”)
        are kept whole: they name the thing asked about."""
        if question not in self._weights:
            if len(self._weights) > 256:
                self._weights.clear()
            self._weights[question] = self._weights_of(question)
        return self._weights[question]

    def _weights_of(self, question: str) -> dict[str, float]:
        idf, median = self._idf
        out: dict[str, float] = {}
        for term in QUOTED.findall(question):
            if 1 < len(term) <= 20:
                out[normalize(term).lower()] = 12.0  # compared with normalised text: "专栏5 水…" has a space
        rest = QUOTED.sub(" ", question)
        places = set(analyze(question).places)
        negated = None if analyze(question).intent is Intent.YESNO else True
        for t in self.tokenizer.key_terms(rest):
            if WH_TOKEN.fullmatch(t) or t in out:
                continue
            if len(t) == 1 and not t.isdigit() and not t.isascii():
                w = min(idf.get(t, median), 6.0) * 0.5  # single characters are weak evidence
            elif t in places:
                w = min(idf.get(t, median), PLACE_WEIGHT)  # the place scopes the question: 全市/我市 stand for it
            else:
                w = min(idf.get(t, median), 10.0)
            if negated is not None and _negated(rest, t):
                w *= NEGATED_WEIGHT  # 污水接不进管网: what the asker cannot do is not what the answer says
            out[t] = max(w, 0.5)
        return out

    def assess(self, question: str, passages: list[Passage], analysis: QuestionAnalysis | None = None,
               meaning: Meaning | None = None) -> tuple[list[Candidate], EvidenceStrength]:
        a = analysis or analyze(question)
        sims = meaning(question) if meaning else {}
        lo, hi = (min(sims.values()), max(sims.values())) if sims else (0.0, 0.0)
        weights = self.weights(question)
        total = sum(weights.values()) or 1.0
        needs_number = a.asks_number
        listy = a.gathers
        focus, unit = list(a.focus), a.unit
        q_numbers = set(DIGITS.findall(question))
        q_grams = bigrams(normalize(question))
        # character bigrams survive word-segmentation mistakes (规划期 → 规划 + 期是)
        content_grams = set().union(*(bigrams(part) for part in
                                      GLUE.split(WH_TOKEN.sub(" ", normalize(question).lower()))))
        if a.intent is not Intent.YESNO:  # what the asker cannot reach (接不进管网) is not what the answer says
            content_grams -= {g for t in weights if len(t) >= 2 and _negated(question, t) for g in bigrams(t)}
            focus = [t for t in focus if not _negated(question, t)]
        lay = phrase_credit(question)
        quoted_terms = [t.lower() for t in QUOTED.findall(question)]
        group = GROUP_OF.get(a.target, ()) if a.kind_asked else ()
        named_class = asks_names(a.names)
        actions = asked_actions(question) if a.intent is Intent.WHO else ()
        timed = asks_time(question)
        costly = a.intent is Intent.YESNO and asks_cost(question)
        cands: list[Candidate] = []
        units = []  # (passage index, passage, ctx, start, end, text, normalised text, bigrams)
        lead_ins: dict[tuple[int, int], str] = {}
        # a question about the standing of X (X的地位/定位/角色) is answered by a sentence that says what X is
        standing = [t for t in a.focus if len(t) >= 2 and STANDING_Q.search(t) is None] if STANDING_Q.search(
            question) else []
        # two words of the question written as one (商会协会) may stand contracted in the document (商协会)
        qn = normalize(question).lower()
        pairs = [(qn[k:k + 2], qn[k + 2:k + 4]) for k in range(len(qn) - 3)
                 if qn[k:k + 2] in weights and qn[k + 2:k + 4] in weights]
        # …or joined by a conjunction (商会和协会 → 商协会)
        pairs += [(qn[k:k + 2], qn[k + 3:k + 5]) for k in range(len(qn) - 4)
                  if qn[k + 2] in "和与及、" and qn[k:k + 2] in weights and qn[k + 3:k + 5] in weights]
        for i, p in enumerate(passages):
            ctx = _context(p)
            scope = ""  # the lead-in (上半年，) a sentence's clauses after ； still stand under
            for s, e in sentences(p.paragraph):
                if p.instructs(s, e):
                    continue  # addressed to the answering system, not a statement of the document's
                text = p.paragraph[s:e]
                norm = normalize(text).lower()
                m = LEAD_IN.match(norm)
                own = m.group(1) if m else ""
                heard = norm if not scope or own else scope + "，" + norm
                scope = (own or scope) if norm.endswith((";", "；")) else ""
                if len(norm) >= 4:
                    units.append((i, p, ctx, s, e, text, heard, bigrams(heard) | bigrams(ctx)))
                    lead_ins[(i, s)] = heard[:len(heard) - len(norm)]
        # local IDF over the candidate sentences: bigrams every sentence shares (the document's topic)
        # say little; the rare ones the question shares with one sentence say most
        sf = Counter(g for u in units for g in u[7] & content_grams)
        gram_w = {g: math.log(1 + len(units) / (1 + sf[g])) for g in content_grams if sf[g]}
        gram_total = sum(gram_w.values()) or 1.0
        for i, p, ctx, s, e, text, norm, grams in units:
            inside = {t for t in weights if t in norm or len(t) == 4 and _contracted(t, norm, strict=True)
                      or stands(t, norm, question)}
            compound = False  # the sentence names the question's two-word phrase contracted (商会协会 → 商协会)
            for t1, t2 in pairs:
                if t1 + t2 not in norm and _contracted(t1 + t2, norm, strict=True):
                    inside |= {t1, t2}
                    compound = True
            around = {t for t in weights if t not in inside and (t in ctx or stands(t, ctx, question))}
            score = (_cover(weights, inside) + AROUND * _cover(weights, around)) / total
            score += 0.06 / p.rank
            score += 0.4 * sum(gram_w.get(g, 0.0) for g in grams) / gram_total
            sim = sims.get((p.paragraph_id, s))
            if sim is not None and hi > lo:
                score += MEANING_WEIGHT * (sim - lo) / (hi - lo)  # the sentence means what is asked
            numbered = bool(NUMBER.search(text))
            if grams and len(grams - q_grams) / len(grams) < 0.4 and not (needs_number and numbered):
                score -= 0.35  # it only restates the question (often a heading): no answer in it
            if needs_number:
                score += 0.12 if numbered else -0.1
                if unit and (AREA_UNIT.search(text) if unit == AREA else re.search(
                        r"\d\s*[万亿千百]?" + ("[" + COUNTERS + "]" if unit in COUNTERS else unit_pattern(unit)), text)):
                    score += 0.1  # a figure in digits and the asked unit or counter (五个一 is a slogan, not a count)
            if focus:
                score += 0.1 * sum(t in norm for t in focus) / len(focus)
            if lay and any(lay_ph not in norm and any(o in norm for o in officials) for lay_ph, officials in lay):
                score += LAY_SAID  # 钱从哪些渠道来 → 资金: the sentence states the asker's words in official terms
            if a.predicate and needs_number:  # 新签约了多少个: the clause that says 新签约, not 在谈 or 已签约
                if a.predicate in norm:
                    score += 0.15
                elif len(a.predicate) == 3 and any(q + a.predicate[1:] in norm for q in VERB_QUALIFIERS):
                    score -= 0.1  # 已签约 is not 新签约: another qualifier of the same deed
                elif a.predicate[-2:] in norm:
                    score += 0.05
                if numbered and TOTAL.search(text):
                    score += 0.05  # the whole's figure (共计26个) over a part's (其中…13个)
            if compound:
                score += 0.1
            if standing and any(re.search(re.escape(t) + STANDING_SAID, norm) for t in standing):
                score += 0.1  # 乙港的地位 → 乙港是全国…枢纽港之一: the sentence says what X is
            if a.qualifiers and a.qualifiers & qualifiers(norm):
                score += 0.1  # states the asked level / threshold / year (超五十亿 = 50亿元以上): it should lead
            if listy and ("、" in text or "：" in text):
                score += 0.08
            if group:  # 有哪些长处: a sentence or clause in the words of its kind (优势) is where they stand
                if any(w in norm for w in group) or not _other_kind(a.target, norm) and any(w in ctx for w in group):
                    score += 0.15
                elif _other_kind(a.target, norm):
                    score -= 0.15  # …存在以下几方面问题 answers 不足, not 长处
            if named_class:  # 哪些铁路: a sentence naming members of the class (甲乙高铁、丙乙铁路) is where they stand
                n = len([m for m in members(a.names, text) if m not in question])
                score += 0.1 * min(n, 3) if n else -0.1
            if a.intent is Intent.WHERE and LOCATED.search(text):
                score += 0.15  # 在哪里: the sentence giving the address (位于幸福路18号), not the headline naming the place
            elif a.intent is Intent.WHERE and p.heading:
                score -= 0.15
            if a.intent is Intent.DEFINITION and DEFINED.search(text):
                score += 0.15  # 哪种房子算老旧住宅: the sentence that defines (本办法所称…是指…)
            if timed and TIME_STATED.search(text):
                score += 0.15  # 几点: the sentence with a clock time (13:30至17:00)
            if costly and COST_STATED.search(text):
                score += 0.2  # 要花钱吗: the sentence stating the fee, or that none is charged
            if a.intent is Intent.REASON and REASON_CUE.search(text):
                score += 0.1
            elif a.intent is Intent.REASON and ISSUED.search(text):
                score -= 0.15  # 近日…印发《方案》 is the news of the scheme, not why it was made
            if a.intent is Intent.WHO and KIND_BY_INTENT[Intent.WHO].search(text):
                score += 0.15  # the sentence names a body (（牵头单位：…）)
            if actions and any(w in norm for w in actions) and NAMED_ORG.search(GENERIC_BODY.sub("", text)):
                score += 0.1  # …and says it does what is asked (市委统战部…扎实推进…)
            if any(re.search(re.escape(t) + r"[”」]?(?:[：:]|是指|指的是|即|包括|分别是|分别为)", norm)
                   for t in quoted_terms):
                score += 0.2  # defines the quoted term the question asks about
            if p.heading and not (needs_number and numbered):
                score -= 0.05  # a headline that states the asked number answers it
            cands.append(Candidate(p, s, e, score, frozenset(inside | around), (i, s), lead_ins.get((i, s), "")))
        cands.sort(key=lambda c: -c.score)
        if (len(a.predicate) == 3 and a.predicate[0] in VERB_QUALIFIERS and needs_number and cands
                and a.predicate not in normalize(cands[0].text).lower()):
            # the clause that states the asked deed with a figure (新签约项目共计18个) answers, however many
            # scoping words (上半年, 园区) a neighbouring clause of another deed (在谈项目35个) shares
            deed = next((c for c in cands[1:4] if a.predicate in normalize(c.text).lower()
                         and all(t in c.covered for t in quoted_terms)
                         and NUMBER.search(c.text) and c.score >= DEED_NEAR * cands[0].score), None)
            if deed is not None:
                cands.remove(deed)
                cands.insert(0, deed)
        if a.intent is Intent.REASON and cands and (ISSUED.search(cands[0].text) or cands[0].passage.heading) \
                and not REASON_CUE.search(cands[0].text):
            # the news of a scheme's issue (or a headline) names it best, but why stands in a sentence of reasons
            why = next((c for c in cands[1:4] if REASON_CUE.search(c.text) and c.score >= REASON_NEAR * cands[0].score),
                       None)
            if why is not None:
                cands.remove(why)
                cands.insert(0, why)
        if needs_number and cands and "罚" in question and "罚" not in cands[0].text:
            # 改装电动车罚多少钱: the best sentence is the prohibited item; its fine stands where it is cited
            cited = _citing(cands[0], cands)
            if cited is not None:
                item = cands[0]
                cands.remove(cited)
                cands.insert(0, replace(cited, covered=cited.covered | item.covered,
                                        cites=normalize(item.text).lower()))
        if needs_number and unit and unit != AREA and cands and not _counts(unit, cands[0].text):
            # 吃顿午饭要多少钱: the sentence with a figure in the asked unit (5块钱) answers, not its neighbour that
            # names the place better but counts something else (3个村, 20名老人)
            counted = next((c for c in cands[1:3] if _counts(unit, c.text) and c.score >= UNIT_NEAR * cands[0].score
                            and c.passage.doc == cands[0].passage.doc and not (a.qualifiers and _contradicts(
                                a.qualifiers, normalize(c.text).lower(),
                                normalize(c.passage.title + "".join(c.passage.clause)).lower(),
                                clause=normalize("".join(c.passage.clause)).lower()))), None)  # not another year's
            if counted is not None:
                cands.remove(counted)
                cands.insert(0, counted)
        lead = cands[0] if cands else None
        coverage = (_cover(weights, lead.covered) / total) if lead else 0.0
        window = _window(lead) + lead.cites if lead else ""
        said = (normalize(lead.text).lower(), normalize(lead.passage.title + "".join(lead.passage.clause)).lower()
                ) if lead else ("", "")
        clause_of = normalize("".join(lead.passage.clause)).lower() if lead else ""
        # every focus term must stand by the sentence: a number next to something else answers another question
        focus_ok = all(t in window or stands_as_figure(t, window) or _contracted(t, window) or stands(t, window, question)
                       or t in a.places and PLACE_SUFFIX.sub("", t) in window and len(PLACE_SUFFIX.sub("", t)) >= 2
                       or timed and TIME_VERB.fullmatch(t) and TIME_STATED.search(lead.text)
                       for t in focus) and (
            not unit or _counts(unit, window)) and not (
            lead and a.qualifiers and _contradicts(a.qualifiers, *said, clause=clause_of))
        if lead and needs_number and a.places and _owned_by_other(a, said[0], said[1]):
            focus_ok = False  # 某山森林覆盖率超80% is no figure of 东川: another place owns it
        if lead and needs_number and "罚" in question and not _violation_said(
                question, weights, window + _cited_items(lead, cands), normalize(lead.passage.title).lower()):
            focus_ok = False  # 超速罚多少钱 is not answered by the fine for riding without a helmet
        if lead and needs_number and BANNED_SPAN.search(said[0]) and not NEGATION_Q.search(question):
            focus_ok = False  # 能租几年 is not answered by 5年内不得再次申请: a span of a ban, not of the deed asked
        if lead and needs_number and _place_elsewhere(a, said[0], said[1], lead.passage.title):
            focus_ok = False  # 某镇有多少个行政村 is not answered from 某县's plan: the figure is another place's
        if lead and needs_number and _one_of_group(question, weights, lead.text):
            focus_ok = False  # 两校共新增学位2700个 is no figure of one of the two schools
        if lead and any(k == "level" for k, _ in a.qualifiers) and COMBINED_LEVELS.search(said[0]):
            focus_ok = False  # 9个国家级、省级产业园 counts both levels together: not the number of 国家级 ones
        # a year the question names must be the year of the best sentence, not merely of its neighbour
        years = (frozenset(q for q in qualifiers(TITLE.sub(" ", question)) if q[0] == "year")
                 if a.intent is not Intent.DATE else frozenset())
        window_in = window + (lead.lead_in if lead else "")
        numbers_ok = all(n in window_in for n in q_numbers) and not (lead and years
                                                                     and _contradicts(years, *said, clause=clause_of))
        kind = KIND_BY_ATTRIBUTE.get(a.attribute) if a.attribute else KIND_BY_INTENT.get(a.intent)
        kind_ok = bool(lead and (kind is None or kind.search(_window(lead, 40)))
                       and not (a.intent is Intent.DATE and YEAR_ASKED.search(question)
                                and not YEAR_STATED.search(_window(lead, 40)))
                       and (a.attribute or a.wants_list or a.intent not in KIND_OK or KIND_OK[a.intent](_window(lead, 40)))
                       and not (a.intent is Intent.WHO and not a.wants_list and not _does_asked(question, lead))
                       and not (timed and not TIME_STATED.search(_window(lead, 40)))
                       and (not asks_members(a.names) or a.names in PLACE_CLASSES or lead.passage.heading
                            or _names_any(a.names, lead.text)))
        nxt = next((c for c in cands[1:] if lead and normalize(c.text) != normalize(lead.text)), None)
        clear = bool(lead and sims and (nxt is None or lead.score - nxt.score >= CLEAR_MARGIN)
                     and sims.get((lead.passage.paragraph_id, lead.start), lo) >= hi)
        if timed and lead and focus_ok and TIME_STATED.search(lead.text) and not any(
                TIME_STATED.search(c.text) for c in cands[1:4] if c.passage.paragraph_id != lead.passage.paragraph_id):
            clear = True  # the one clock time among the best sentences, by what is asked (受理): a reworded 几点 question
        coverage_doc = coverage
        if lead:
            said_all = normalize(lead.text).lower() + normalize(lead.passage.title + "".join(lead.passage.clause)).lower()
            coverage_doc = max(coverage, _cover(weights, {t for t in weights if t in said_all}) / total)
        evidence = EvidenceStrength(coverage=coverage, needs_number=needs_number, clear=clear, coverage_doc=coverage_doc,
                                    has_number=bool(lead and NUMBER.search(lead.text)), focus=focus, unit=unit,
                                    focus_ok=focus_ok, numbers_ok=numbers_ok,
                                    kind_ok=kind_ok,
                                    lead=lead.passage if lead else None)
        return cands, evidence

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
            note = _footnote(part, cands, sections) if a.intent is Intent.DEFINITION and sections else None
            if note is not None:  # the document defines the term in its footnote: that is the answer
                lead = cands[0] if cands[0].passage.paragraph_id != note.passage.paragraph_id else None
                chosen.extend([lead] if lead else [])
                blocks.append(quoted(note.passage, note.start, note.end, citations)
                              + (self._sentence(lead, self.weights(part), a, citations) if lead else ""))
                continue
            named = [] if a.asks_number else (_actor_sentences(part, cands) if a.intent is Intent.MEASURES
                                              and not a.wants_list else []) or _named_item(part, cands)
            if not named and not a.asks_number and not a.wants_list and a.intent in (Intent.MEASURES, Intent.FACT):
                # 会怎么处理: the article that cites the prohibited item; 复审通过以后怎么分配: the steps after it
                named = _consequence(part, cands) or _next_steps(part, a, cands)
            # the names of things of a class (哪些铁路) stand in sentences, not in a section's headings
            naming = [] if named or a.asks_number or not asks_names(a.names) else _naming(a, cands, budget - len(chosen))
            items = (self.list_items(part, a, cands, sections) if a.gathers and sections is not None and not named
                     and not naming else [])
            items = [it for it in items if not it.passage.instructs(it.start, it.end)]
            if items:
                blocks.append(list_block(items, part, citations))
                continue
            weights = self.weights(part)
            mine = []
            whole = named or naming or (_measures_paragraph(cands) if a.intent is Intent.MEASURES else [])
            for c in whole or self._select(part, a, cands, budget - len(chosen)):
                if not any(_overlaps(c, o) for o in chosen):
                    chosen.append(c)
                    mine.append(c)
            blocks.append("".join(self._sentence(c, weights, a, citations) for c in mine))
        best = max(evidences, key=lambda e: e.coverage)
        text = "\n".join(b for b in blocks if b)
        if not text:
            return "", [], best
        return text, citations.all(), best

    def _sentence(self, c: Candidate, weights: dict[str, float], a: QuestionAnalysis, citations: Citations) -> str:
        named = [m for m in (members(a.names, c.text) or (place_names(c.text, a.question) if a.names in PLACE_CLASSES
                                                            else [])) if m not in a.question] if asks_names(a.names) else []
        if named and len(c.text) > 110:  # the clauses from the first name to the last: the names are the answer
            s, e = _names_span(c.text, named)
            return quoted(c.passage, c.start + s, c.start + e, citations)
        # an enumerating sentence stays whole for a list: every item is part of the answer
        limit = 220 if a.gathers and _enumerates(c) else 110
        s, e = trim(c.text, weights, limit, want_number=a.asks_number, focus=a.focus)
        return quoted(c.passage, c.start + s, c.start + e, citations)

    def list_items(self, question: str, a: QuestionAnalysis, cands: list[Candidate], sections: Sections
                   ) -> list[Item]:
        """The items that answer a list, reason or measures question, from the document's structure: the
        enumeration the best sentence opens (建议三：…制度创新方面，…), else the sub-clauses or paragraphs of a
        top passage's clause whose heading names what is asked (哪些问题 → 存在问题; reasons → 意义) and holds
        or is named by the best sentence, else an enumeration a top sentence opens."""
        weights = self.weights(question)
        top = [c for c in cands[:8] if c.score >= 0.6 * cands[0].score]

        def items_of(c: Candidate, depth: int) -> list[Item]:
            """The items of the clause `c.passage.clause[:depth]`, under its heading (or an article's opening
            paragraph: 第十三条 …符合下列条件的…：)."""
            clause = c.passage.clause[:depth]
            section = sections.section(c.passage, depth)
            head = (next((q for q in section if q.heading and q.clause == clause), None)
                    or next((q for q in section if q.clause == clause), None))
            return section_items(head, section) if head is not None else []

        lead = cands[0]
        items = self._quoted_heading_items(question, a, top, sections) if a.gathers else []
        if len(items) >= 2:
            return items
        items = self._named_heading_items(question, a, top, sections) if a.gathers else []
        if len(items) >= 2:
            return items
        if INTRO.search(lead.text) and lead.passage.clause:
            items = items_of(lead, len(lead.passage.clause))  # 应当符合下列条件：the clause's items follow
            if len(items) >= 2:
                return items
        asked = a.target if len(a.target) >= 2 else ""
        for c in top[1:3]:  # a sentence introducing the asked items (应当符合下列条件：) nearly as good as the lead
            if (asked and asked in c.text and INTRO.search(c.text) and c.passage.clause
                    and c.score >= INTRO_NEAR * lead.score and asked not in lead.text):
                items = items_of(c, len(c.passage.clause))
                if len(items) >= 2:
                    return items
        items = inline_items(lead.passage, lead.start)
        if (len(items) >= 2 and (not a.count or len(items) == a.count) and items[0].start < lead.end + 2
                and opens_list(items[0]) and not (a.kind_asked and _other_kind(a.target, lead.text))):
            if len(lead.passage.clause) > 1 and numbered_run(items):  # 1.…2.… may run on into the next paragraph
                wider = items_of(lead, len(lead.passage.clause) - 1)
                if len(wider) > len(items) and numbered_run(wider):
                    return wider
            return items
        kind = INTENT_HEADINGS.get(a.intent)
        target = a.target if len(a.target) >= 2 else ""  # one character (区) stands inside too many words

        def names(label: str) -> bool:
            return bool(heading_names(target, label) or kind and kind.search(label))

        scope = {t.lower() for t in a.terms}  # a quoted name says which document, not which clause
        plain = {t: w for t, w in weights.items() if t not in scope}
        plain_total = sum(plain.values()) or 1.0

        def covers(label: str) -> bool:
            return _cover(plain, {t for t in plain if t in label}) / plain_total >= 0.5

        def targets(label: str) -> bool:
            return heading_names(target, label)

        own = [c for c in top if c.passage.clause]
        fits = (lambda items: len(items) == a.count) if a.count else (lambda items: len(items) >= 2)

        lead_text = normalize(lead.text).lower()
        enumerates = _enumerates(lead)

        def leads_to(clause: tuple[str, ...]) -> bool:
            """The best sentence lies in this clause, or names it (an overview listing the sections). A best
            sentence that enumerates deeper down answers itself: its clause is narrower than this one."""
            label = ENUMERATOR.sub("", normalize(clause[-1]).lower())
            inside = lead.passage.clause[:len(clause)] == clause
            if inside:
                return not (enumerates and len(lead.passage.clause) > len(clause))
            above = clause[:len(lead.passage.clause)] == lead.passage.clause  # the lead introduces its part
            return above or len(label) >= 4 and label in lead_text

        def search(test, up: int) -> list[Item]:
            for c in own:
                depth = len(c.passage.clause) - up
                if depth < 1 or up and covers(normalize(c.passage.clause[-1]).lower()):
                    continue  # the passage's own clause is the one the question names: not its parent
                if depth == 1 and sections.articles(c.passage.doc):
                    continue  # a page of several reports: the top level is a report's title, not a clause
                label = normalize(c.passage.clause[depth - 1]).lower()
                # the best-retrieved clause whose heading is the asked thing answers even when the best
                # sentence stands elsewhere
                if test(label) and (leads_to(c.passage.clause[:depth]) or c.passage.rank == 1 and targets(label)):
                    items = items_of(c, depth)
                    if fits(items):
                        return items
            return []

        items = search(names, 0)  # the clause a top passage is in names what is asked
        if items:
            return items
        items = self._synonym_heading_items(a, top, sections)
        if items:
            return items
        if enumerates:
            return []  # the best sentence lists the items itself (…码头、…管线): it answers as it stands
        # a heading that holds most of a list question's terms (六、优化“大环境”，强化资源要素支撑)
        items = search(targets, 1) or (search(covers, 0) if a.wants_list else [])
        if items:
            return items
        for c in top:
            items = inline_items(c.passage, c.start)
            if fits(items) and items[0].start < c.end + 2 and opens_list(items[0]):
                return items
        return []

    @staticmethod
    def _quoted_heading_items(question: str, a: QuestionAnalysis, top: list[Candidate], sections: Sections
                              ) -> list[Item]:
        """A list question that quotes a heading — whole (“专栏5 水安全保障重点工程”包括哪几类), or named as a
        section (在“优化产业发展格局”一节, “X”这一章) or asked for its parts (“发展态势分析”从哪几个方面) — is
        answered by that heading's items, wherever in a retrieved document it stands. A quoted name of a
        thing (“百会帮百镇”采取了哪些…) or a question for the bodies in charge is not."""
        if a.intent is Intent.WHO:
            return []
        quotes = []  # (normalised quote, may match part of a heading)
        for m in QUOTED.finditer(question):
            q = normalize(m.group(1)).lower()
            if len(q) >= 4:
                quotes.append((q, bool(SECTION_AFTER.match(question[m.end():]) or PARTS_Q.search(question))))
        seen: set[str] = set()
        for c in top:
            if not quotes or c.passage.doc in seen:
                continue
            seen.add(c.passage.doc)
            title = normalize(c.passage.title).lower()  # a quoted title names the document, not a heading
            named = [(q, part) for q, part in quotes if q not in title]
            for head in sections.section(c.passage, 0) if named else []:
                label = normalize(head.paragraph).lower()
                whole = re.sub(r"[“”\"「」]", "", ENUMERATOR.sub("", label))
                if head.heading and any(q == whole or part and q in label for q, part in named):
                    section = sections.section(head, len(head.clause))
                    items = section_items(head, section)
                    if len(items) >= 2:
                        return items
        return []

    @staticmethod
    def _synonym_heading_items(a: QuestionAnalysis, top: list[Candidate], sections: Sections) -> list[Item]:
        """A list question asking for a kind of section in its own word (有哪些长处/短板/威胁) is answered by the
        heading of the best document (and report, on a page of several) that names that kind in any word of
        its group (优势分析, 劣势分析, 挑战分析), even when no retrieved sentence stands under it."""
        if not top or not a.kind_asked:
            return []
        lead = top[0].passage
        several = sections.articles(lead.doc) > 0
        for head in sections.section(lead, 0):
            if not head.heading or not head.clause:
                continue
            if several and (len(head.clause) == 1 or not lead.clause or head.clause[0] != lead.clause[0]):
                continue  # a page of reports: only the best report's own parts
            label = normalize(ENUMERATOR.sub("", head.paragraph)).lower()
            if heading_names(a.target, label):
                items = section_items(head, sections.section(head, len(head.clause)))
                if len(items) >= 2 and (not a.count or len(items) == a.count):
                    return items
        return []

    @staticmethod
    def _named_heading_items(question: str, a: QuestionAnalysis, top: list[Candidate], sections: Sections
                             ) -> list[Item]:
        """A list question that names a heading in its own words, unquoted (在做强X这一块部署了哪些任务,
        在打造Y、提高Z方面有哪几项措施, 在优势分析中列出了哪些优势), is answered by that heading's items
        even when the best sentence is an overview that only mentions it. The heading must stand almost
        whole in the question: a heading that shares a word or two is a neighbour, not the one asked."""
        if a.intent is Intent.WHO:
            return []
        asked = bigrams(normalize(question).lower())
        best: tuple[float, int, list[Item]] | None = None
        seen: set[str] = set()
        for c in top:
            doc = c.passage.doc
            if doc in seen:
                continue
            seen.add(doc)
            title = bigrams(normalize(c.passage.title).lower())
            several = sections.articles(doc) > 0  # a page of reports: the top level is a report's title
            for head in sections.section(c.passage, 0):
                if not head.heading or not head.clause or several and len(head.clause) == 1:
                    continue
                # words the heading shares with the document's title name the document, not the part
                label = bigrams(normalize(ENUMERATOR.sub("", head.paragraph)).lower()) - title
                if len(label) < 3:
                    continue  # too little of its own to name a part
                share = len(label & asked) / len(label)
                if share < NAMED_HEADING or best and (share, len(label)) <= best[:2]:
                    continue
                items = section_items(head, sections.section(head, len(head.clause)))
                if len(items) >= 2 and (not a.count or len(items) == a.count):
                    best = (share, len(label), items)
        return best[2] if best else []

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
        if _introduces(lead) and not (a.asks_number and NUMBER.search(lead.text)):
            following = sorted((c for c in cands if c.order > lead.order and c.passage.doc == lead.passage.doc
                                and c.passage.rank == lead.passage.rank), key=lambda c: c.order)
            for c in following[:max(2, a.count or 0)]:  # 三大…产业: one sentence per named item
                if len(chosen) < budget and length + len(c.text) <= max_chars:
                    chosen.append(c)
                    covered |= c.covered
                    length += len(c.text)
        note = next((c for c in cands[1:] if c.passage.paragraph_id == lead.passage.paragraph_id
                     and 0 <= c.start - lead.end <= 2 and NOTE.fullmatch(c.text.strip())), None)
        if note is not None and len(chosen) < budget:  # …建设。（牵头单位：…） belongs to the sentence it follows
            chosen.append(note)
            covered |= note.covered
            length += len(note.text)
        for c in cands[1:]:
            if len(chosen) >= budget or length + len(c.text) > max_chars:
                continue
            if any(_overlaps(c, o) for o in chosen):
                continue
            gain = _cover(weights, c.covered - covered) / total
            lead = chosen[0]
            adjacent = c.passage.paragraph_id == lead.passage.paragraph_id and 0 <= c.start - lead.end <= 2
            # the next sentence often carries what the lead only introduces (…建设。（牵头单位：…）)
            follows = adjacent and (listy and c.score >= 0.6 * lead.score or gain > 0.05)
            if a.asks_number and not follows and (not NUMBER.search(c.text) or a.predicate
                                                  and a.predicate not in normalize(c.text).lower()):
                continue  # a number answer adds figures of the asked deed, not a headline's fragment
            if a.asks_number and not follows and a.focus and not _about(a, normalize(c.text).lower()):
                continue  # a number answer adds only sentences about what it measures, not the section's other figures
            if gain >= 0.2 and c.score >= 0.5 * lead.score or follows:
                chosen.append(c)
                covered |= c.covered
                length += len(c.text)
        return chosen


def _does_asked(question: str, lead: Candidate) -> bool:
    """The best sentence of a who-question names what was asked: a body by name when a department or unit is
    asked (not a post: 负责同志), doing what the question asks (牵头/推进…, or a kin) when it asks a deed."""
    # the sentence with what follows it closely (…工程建设。（牵头单位：省能源局）) and its own heading
    after = re.match(r"\s*[（(][^）)]{0,80}[）)]", lead.passage.paragraph[lead.end:])
    own = lead.text + (after.group(0) if after else "") + "".join(lead.passage.clause[-1:])
    if ORG_ASKED.search(question) and not NAMED_ORG.search(GENERIC_BODY.sub("", own)):
        return False
    actions = asked_actions(question)
    # a document's name (《…》, 实施方案, 工作方案) says no deed: 印发《…实施方案》 does not say who implements it
    said = DOC_NAME.sub("", own)
    if actions and any(w in said for w in actions):
        return True
    # 复审由哪个单位负责: 负责 is a light verb; a body doing the named task (区住房保障中心…完成复审) answers it
    asked = ORG_ASKED.search(question)
    light = asked and re.match(r"[^，。？?]{0,6}?(?:负责|承担|办理)", question[asked.end():])
    task = _task(question[:asked.start()]) if light else ""
    return not actions or bool(task) and task in said


def _task(before: str) -> str:
    """The task a who-question names before its question word (公租房申请的复审由… → 复审): its last noun."""
    from policyqa.answer.analysis import _tagged
    words = [w for w, f in _tagged(re.sub(r"由$", "", before.strip())) if len(w) >= 2 and f[:1] in "nvlj"]
    return words[-1] if words else ""


DOC_NAME = re.compile(r"《[^》]*》|实施(?:方案|意见|细则|办法|计划)|工作(?:方案|指引|机制)|领导小组")


def _owned_by_other(a: QuestionAnalysis, sentence: str, around: str) -> bool:
    """The figure asked about belongs to another subject than the question's place: the words right before what
    it measures (某山 in 某山森林覆盖率超80%) share nothing with the question, and the question's place stands
    neither in the sentence nor in its title and clause path."""
    stems = {PLACE_SUFFIX.sub("", p) for p in a.places} | set(a.places)
    if any(p in sentence or p in around for p in stems if len(p) >= 2):
        return False
    asked = bigrams(normalize(a.question).lower())
    for t in a.focus:
        at = sentence.find(t)
        if at < 0:
            continue
        owner = re.split(r"[，,。；;：:、（）()\s]", sentence[:at])[-1]
        if 2 <= len(owner) <= 6 and not bigrams(owner) & asked and owner not in OWN_SCOPE:
            return True
    return False


# a place with its level at the head of a document's title (某县农村…方案, 青山镇2026年工作总结): whose document it is
TITLE_PLACE = re.compile(r"^(?!关于)[\u4e00-\u9fff]{1,4}?(?:省|市|县|区|镇|乡)(?![级委长城])")


def _place_elsewhere(a: QuestionAnalysis, sentence: str, around: str, title: str) -> bool:
    """The question names a place that stands neither in the best sentence nor in its title and clause path, and the
    document's title is another place's (某镇的行政村 asked, 某县的方案 found): the figure is not the place's asked."""
    stems = {PLACE_SUFFIX.sub("", p) for p in a.places} | set(a.places)
    stems = {p for p in stems if len(p) >= 2}
    if not stems or any(p in sentence or p in around for p in stems):
        return False
    m = TITLE_PLACE.match(normalize(title))
    return bool(m) and not any(p in m.group(0) or m.group(0) in p for p in stems)


# one figure for several members together (两校共新增学位2700个, 3个村合计): it answers no question about one of them
COMBINED_MEMBERS = re.compile(r"[两二三四五六七八九十\d]+\s*[个所家座条项名位]?[\u4e00-\u9fff]{0,2}?(?:共|合计|共计|总计|一共)"
                              r"[\u4e00-\u9fff]{0,6}?\d")
TOTAL_ASKED = re.compile(r"共|合计|加起来|总计|总数|总共|累计|[两二三四五六七八九十]\s*[个所家座条项]?[\u4e00-\u9fff]?(?:校|所|家|村|条)")


JOINT = re.compile(r"(?:共计|合计|总计|总共|一共|累计|共有|(?<!公)共)[\u4e00-\u9fff]{0,10}?\d")
LISTED = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})*(?:、|和|及|与)[\u4e00-\u9fff]{2,8}")


def _one_of_group(question: str, weights: dict[str, float], sentence: str) -> bool:
    """The question names one of several members a sentence lists before their joint figure (A和B…两校共…2700个), or
    after a total (共推出420套，分布在A、B和C三个项目): the figure is all of theirs, not the one member's."""
    if TOTAL_ASKED.search(question) or "分别" in sentence:
        return False
    m = COMBINED_MEMBERS.search(sentence)
    if not m:
        text = normalize(sentence).lower()
        terms = [t for t in weights if len(t) >= 2]
        for e in LISTED.finditer(text):
            if "、" not in e.group(0):
                continue  # A和B alone may be one name (发展和改革局)
            named = [g for g in re.split(r"[、和及与]", e.group(0)) if any(t in g for t in terms)]
            if len(named) != 1:
                continue  # the question names none of them, or several
            mine = [t for t in terms if t in named[0]]
            tail = text[e.end():]
            clause = re.split(r"[。；;]", tail)[0]
            if any(t in tail for t in mine) or re.search(r"各|每|分别", clause):
                continue  # the member's own figure may follow, or one for each
            if JOINT.search(text[:e.start()]):  # a total before the list (共推出420套，分布在A、B和C三个项目)
                return True
        return False
    head = normalize(sentence[:m.start()]).lower()
    joint = normalize(m.group(0)).lower()
    quoted = {normalize(q).lower() for q in QUOTED.findall(question)}  # a document's name is no member
    return bool(re.search(r"[和与及、]", head)) and any(len(t) >= 2 and t in head and t not in joint and t not in quoted
                                                      for t in weights)


OWN_SCOPE = frozenset("全市 全省 全县 全区 全镇 我市 本市 我省 本省 我县 本县 全国 其中 同时 目前 当前 此外 区域 全域".split())


def _names_any(cls: str, text: str) -> bool:
    """`text` names a member of the class asked: a thing or place of a kind (甲乙高铁), else a body (华康集团)."""
    if asks_names(cls):
        return bool(members(cls, text))
    # 哪些机构/单位: a body named by its office (省委外办, 省发展改革委) is a name too
    return names_body(text) or cls in BODY_CLASSES and bool(NAMED_ORG.search(GENERIC_BODY.sub("", text)))


BODY_CLASSES = frozenset("机构 单位 部门 机关".split())


def _naming(a: QuestionAnalysis, cands: list[Candidate], budget: int, limit: int = 400) -> list[Candidate]:
    """A question for the members of a class (哪些铁路, 哪几个县): the best sentence naming members, then the other
    good sentences that name members it does not (a list of names often runs over two sentences)."""
    def named(c: Candidate) -> list[str]:
        found = members(a.names, c.text) or (place_names(c.text, a.question) if a.names in PLACE_CLASSES else [])
        return [m for m in found if m not in a.question]  # names the question gives are no answer

    best = next((c for c in cands[:8] if named(c)), None)
    if best is None:
        return []
    out, seen, length = [best], set(named(best)), len(best.text)
    for c in cands[1:8]:
        near = c.passage.paragraph_id == best.passage.paragraph_id and c.score >= 0.6 * best.score
        if len(out) >= min(budget, 3) or c is best or c.score < 0.8 * best.score and not near:
            continue  # a list of names runs on in the next sentence of its paragraph (…；C完成改扩建)
        new = [m for m in named(c) if m not in seen]
        if new and length + len(c.text) <= limit and not any(_overlaps(c, o) for o in out):
            out.append(c)
            seen.update(new)
            length += len(c.text)
    return out


def _names_span(text: str, named: list[str]) -> tuple[int, int]:
    """The span of `text` from the clause of its first name to the end of the clause of its last name."""
    first = min(text.find(n) for n in named)
    last = max(text.find(n) + len(n) for n in named)
    lo = max((text.rfind(ch, 0, first) for ch in "，,；;：:"), default=-1) + 1
    ends = [i for i in (text.find(ch, last) for ch in "，,；;。") if i >= 0]
    hi = min(ends) + 1 if ends else len(text)
    return lo, hi


ACTOR = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:要|将|应当|应|需要|需)")


def _actor_sentences(question: str, cands: list[Candidate], top: int = 3, limit: int = 320) -> list[Candidate]:
    """A how-question about one actor's task (南川要怎样推动…) in a passage where several actors each get their
    own sentences (西川要…。东川要…。南川要…。): the best sentence of that actor's run, then the run's other
    sentences in order, up to the next actor's. Not the report's general list of proposals around them."""
    asked = normalize(question).lower()
    for c in cands[:top]:
        para = sorted((d for d in cands if d.passage.paragraph_id == c.passage.paragraph_id), key=lambda d: d.start)
        here = next(i for i, d in enumerate(para) if d is c)
        first = None
        for i in range(here, -1, -1):  # the run's first sentence names the actor (南川要…); stop at a heading
            m = ACTOR.match(normalize(para[i].text))
            if m:
                first = (i, m.group(1))
                break
            if ENUMERATOR.match(para[i].text) or re.match(r"建议|对策", para[i].text):
                break
        if first is None or first[1].lower() not in asked:
            continue
        actors = {m.group(1) for d in para if (m := ACTOR.match(normalize(d.text)))}
        if len(actors) < 2:
            continue  # one subject with 要 (重大项目要做到…) is no passage of several actors' tasks
        run, length = [], 0
        for d in para[first[0]:]:
            other = ACTOR.match(normalize(d.text))
            if run and (other and other.group(1) != first[1] or ENUMERATOR.match(d.text)
                        or length + len(d.text) > limit or re.match(r"建议|对策", d.text)):
                break
            run.append(d)
            length += len(d.text)
        if c not in run:
            continue
        return [c] + [d for d in run if d is not c]
    return []


def _negated(question: str, term: str) -> bool:
    """Every mention of `term` in the question is the object of a negated verb (污水接不进管网, 没地方停车)."""
    found = [m.start() for m in re.finditer(re.escape(term), question)]
    return bool(found) and all(re.search(r"[不没][\u4e00-\u9fff]{1,2}$", question[max(0, k - 3):k]) for k in found)


# a question for what follows a deed (会怎么处理, 怎么罚, 有什么后果): a penalty, stated where the rule is cited
CONSEQUENCE_Q = re.compile(r"会(?:怎么|怎样|如何)(?:处理|办|样)|(?:怎么|怎样|如何)(?:处罚|罚)|会被(?:怎么|怎样|如何)"
                           r"|什么(?:后果|处罚|法律责任)|承担什么责任")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
ITEM_NO = re.compile(r"[（(][一二三四五六七八九十]+[)）]")


def _violation_said(question: str, weights: dict[str, float], window: str, title: str) -> bool:
    """A fine question's deed (超速, 在楼道里充电 — its words before 罚, less the document's subject named in its title)
    stands around the fine's sentence or the rule it cites, in part at least (不戴头盔 → 未佩戴安全头盔): a fine is for
    one violation, and another's is no answer."""
    deed = [t for t in weights if len(t) >= 2 and t in question[:question.find("罚")]
            and t not in title and not stands(t, title, question)]
    said = [t for t in deed if t in window or stands(t, window, question)]
    return not deed or bool(said)


CITED = re.compile(r"(第[一二三四五六七八九十百零〇\d]+条)((?:[、和及]?第?[（(][一二三四五六七八九十]+[)）]项?)*)")


def _cited_items(lead: Candidate, cands: list[Candidate]) -> str:
    """The text of the rules the lead's paragraph cites (违反本办法第六条第（一）项、第（二）项… → those items; 违反本办法
    第七条… → that article), from the retrieved sentences."""
    out = []
    own = lead.passage.clause[:1]
    for m in CITED.finditer(lead.passage.paragraph):
        items = ITEM_NO.findall(m.group(2))
        for d in cands:
            if d.passage.clause[:1] == own or not any(x.startswith(m.group(1)) for x in d.passage.clause[:1]):
                continue
            if not items or any(x.startswith(tuple(items)) for x in d.passage.clause[1:]):
                out.append(normalize(d.text).lower())
    return "".join(dict.fromkeys(out))


def _citing(c: Candidate, cands: list[Candidate]) -> Candidate | None:
    """The sentence of another article that cites the article or item `c` stands in (违反本办法第六条第（一）项…)."""
    art = next((m.group(0) for x in c.passage.clause if (m := ARTICLE.match(x))), None)
    item = next((m.group(0) for x in reversed(c.passage.clause) if (m := ITEM_NO.match(x))), None)
    if not art:
        return None
    for d in cands:
        at = d.text.find(art)
        if at < 0 or d.passage.clause[:1] == c.passage.clause[:1]:
            continue  # the rule itself is no consequence of it
        cited = d.text[at + len(art):]
        if item and "第" + item + "项" in cited or not item and cited.startswith("规定"):
            return d
    return None


def _consequence(question: str, cands: list[Candidate], top: int = 3, limit: int = 300) -> list[Candidate]:
    """A question for what happens after a prohibited deed, whose best sentence is an item of a rule (第六条（一）在楼梯间
    充电): the sentence of another article that cites that item (违反本办法第六条第（一）项…的，由…责令改正), and the
    sentence that continues it (拒不改正的，…罚款)."""
    if not CONSEQUENCE_Q.search(question):
        return []
    for c in cands[:top]:
        d = _citing(c, cands)
        if d is not None:
            own = sorted((e for e in cands if e.passage.paragraph_id == d.passage.paragraph_id and e.start >= d.start),
                         key=lambda e: e.start)
            out, length = [], 0
            for e in own[:2]:
                if out and (length + len(e.text) > limit or e.start - out[-1].end > 2):
                    break
                out.append(e)
                length += len(e.text)
            return out
    return []


AFTER_STEP = re.compile(r"^(.{2,20}?)(?:以后|之后|后)[，,]")
STEP_DONE = frozenset("通过 合格 完成 结束 办完 批准 以后 之后".split())


def _next_steps(question: str, a: QuestionAnalysis, cands: list[Candidate], top: int = 3, limit: int = 300
                ) -> list[Candidate]:
    """A how-question for what comes after a step (复审通过以后，房子怎么分配): the sentences after the best one naming
    that step, in its paragraph — the one stating what is asked first (配租 for 分配), then the others in order."""
    m = AFTER_STEP.search(question)
    if not m:
        return []
    from policyqa.answer.analysis import _tagged
    words = [w for w, f in _tagged(m.group(1)) if len(w) >= 2 and f[:1] in "nv" and w not in STEP_DONE]
    step = words[-1] if words else ""
    c = next((c for c in cands[:top] if step and step in c.text), None)
    if c is None:
        return []
    run, length = [], 0
    for d in sorted((d for d in cands if d.passage.paragraph_id == c.passage.paragraph_id and d.start >= c.end),
                    key=lambda d: d.start):
        if len(run) >= 3 or length + len(d.text) > limit:
            break
        run.append(d)
        length += len(d.text)
    if not run:
        return []
    said = lambda d: sum(t in normalize(d.text).lower() or stands(t, normalize(d.text).lower(), question) for t in a.focus)
    lead = max(run, key=lambda d: (said(d), -d.start))
    return [lead] + [d for d in run if d is not lead]


def _contracted(term: str, text: str, strict: bool = False) -> bool:
    """A four-character term stands in `text` contracted, as Chinese abbreviates two words: 商会协会 → 商协会,
    第二产业 → 二产, and (not `strict`) 乡镇街道 → 镇街. Strict matching, for scoring every sentence, leaves out the
    two middle characters, which often stand across words (小时通勤 → 时通 in 1小时通达)."""
    return any(short in text for short in _contractions(term, strict))


@lru_cache(maxsize=1024)
def _contractions(term: str, strict: bool = False) -> tuple[str, ...]:
    if len(term) != 4 or not re.fullmatch(r"[\u4e00-\u9fff]{4}", term):
        return ()
    a, b, c, d = term
    if a == "第":  # an ordinal and a word: 第二产业 → 二产
        return (b + c,)
    # not a + c: 内通外联 → 内外 stands in every 国内外
    return (a + c + d,) if strict else (a + c + d, b + c)


# a place written with its level (东川县城 → 东川县) stands by its name alone (东川)
PLACE_SUFFIX = re.compile(r"(?:省|市|县|区|镇|乡|村)$")
STANDING_Q = re.compile(r"地位|定位|角色|性质")
STANDING_SAID = r"[港市区县省镇]?(?:是|为|被定位为|定位为|作为|成为)"
# one figure for several levels together (9个国家级、省级现代农业产业园): it answers no question about one of them
COMBINED_LEVELS = re.compile(r"\d+\s*[个家项所座处]?(?:(?:国家|省|市|县|区)级?[、和及与或]){1,3}(?:国家|省|市|县|区)级")


FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


def _footnote(question: str, cands: list[Candidate], sections: Sections, top: int = 3) -> Item | None:
    """The footnote that defines what a definition question asks about: a top sentence marks the asked term
    with a superscript (本地IDC²服务, “一湾双轴”⁴建设) and a paragraph of the same document opens with that
    mark and the term (² IDC：…). The nearest such paragraph after the mark is the note."""
    asked = normalize(question).lower()
    for c in cands[:top]:
        for m in FOOTNOTE_MARK.finditer(c.text):
            before = re.sub(r"[“”\"「」]", "", c.text[max(0, m.start() - 12):m.start()]).lower()
            terms = [before[i:] for i in range(len(before) - 1) if before[i:] in asked]  # longest first
            if not terms:
                continue  # the mark follows something the question does not ask about
            doc = sections.section(c.passage, 0)
            here = next((i for i, q in enumerate(doc) if q.paragraph_id == c.passage.paragraph_id), 0)
            marked = [q for q in doc[here + 1:] + doc[:here]  # numbering restarts by page: the next one first
                      if q.paragraph.lstrip().startswith(m.group())]
            note = next((q for t in terms for q in marked if t in normalize(q.paragraph).lower()), None)
            if note is not None:
                start = len(note.paragraph) - len(note.paragraph.lstrip())
                end = len(note.paragraph.rstrip())
                return Item(note, start, min(end, start + 220))
    return None


def _named_item(question: str, cands: list[Candidate], top: int = 3, limit: int = 600) -> list[Candidate]:
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
            out, length = [], 0
            for d in own:
                if out and length + len(d.text) > limit:
                    break
                out.append(d)
                length += len(d.text)
            if len(out) >= 2:
                return out
    return []


def _measures_paragraph(cands: list[Candidate], top: int = 8, limit: int = 600) -> list[Candidate]:
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
    out, length = [lead], len(lead.text)
    for c in own:
        if c is lead:
            continue
        if out and length + len(c.text) > limit:
            break
        out.append(c)
        length += len(c.text)
    return out


def _enumerates(c: Candidate) -> bool:
    """A sentence that lists several items itself (A、B、C or A；B；C)."""
    return not c.passage.heading and (c.text.count("、") >= 3 or c.text.count("；") >= 2)


def _introduces(c: Candidate) -> bool:
    """A heading, a line ending in a colon, or a short sentence that names rather than states."""
    text = c.text.rstrip()
    if c.passage.heading and STATES_FIGURE.search(text):
        return False  # a headline that states a figure is a statement: it answers, it does not introduce
    return c.passage.heading or text.endswith(("：", ":")) or len(normalize(text)) < 20


def _contradicts(asked: frozenset[tuple[str, str]], sentence: str, around: str = "", clause: str = "") -> bool:
    """The sentence measures something else than asked: it states another qualifier of a kind the question
    names (市级 for 县级, 超百亿 for 超五十亿, 到2025年 for 2027年) and not the asked one, or lacks the per-unit
    measure asked (人均GDP → GDP is a total). A kind the sentence does not state is read from `around` (its
    title and clause path: 2023年上半年… over a sentence without a year)."""
    own, context, part = qualifiers(sentence), qualifiers(around), qualifiers(clause)
    for kind in {k for k, _ in asked}:
        mine = {v for k, v in asked if k == kind}
        # the sentence's own, else its clause path's (一、2026年主要工作成效), else its title's with the clause's
        theirs = ({v for k, v in own if k == kind} or {v for k, v in part if k == kind}
                  or {v for k, v in context if k == kind})
        if not mine & theirs and (theirs or kind == "per"):
            return True
    return False


# a sentence's short opening phrase before its first comma (上半年，/截至6月底，/2024年，): clauses after its ；
# still stand under it (上半年，全市实现…；全市累计完成工业投资78.15亿元 → 上半年 too)
LEAD_IN = re.compile(r"^([^，,。；;：:“”]{2,8})[，,]")
# a heading or title that states a figure (a news headline: …完成工业投资78.15亿元) is a statement of its own,
# not the topic of every sentence below it
STATES_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:[万亿千百]+)?(?:元|美元|%|％|个|家|项|人|吨|亩|公里|倍|批|件)")


def _about(a: QuestionAnalysis, text: str) -> bool:
    """`text` names what the number asked measures: its focus terms, as one phrase when the question has them so
    (工业投资 — not 工业经济 … 投资提振)."""
    phrase = "".join(a.focus)
    if len(a.focus) > 1 and phrase in normalize(a.question).lower():
        return phrase in text
    return any(t in text for t in a.focus)


def _other_kind(target: str, text: str) -> bool:
    """`text` introduces another kind of section than the one asked (面临着诸多挑战 for 有哪些机会)."""
    group = GROUP_OF.get(target, ())
    return bool(group) and not any(w in text for w in group) and any(
        w in text for g in HEADING_GROUPS if g is not group for w in g if len(w) >= 2)


# counters of things: a question's (多少棵, 多少个) and the document's (100株, 20大…集群) may differ
COUNTERS = "个家项条座所名位只头台辆套间张批件份处棵株类种"


def _counts(unit: str, text: str) -> bool:
    """`text` states a figure in the asked unit: digits (78.15亿元) or a Chinese numeral (三十个) before it — not the
    article 一 (一批货 is one batch, not how many). A counter of things accepts another counter (棵 → 株, 个 → 20大)."""
    if unit == AREA:  # 地盘有多大: any unit of area (万平方公里, 亩) answers
        return bool(AREA_UNIT.search(text))
    if unit == "元" and FINE_MULTIPLE.search(text):
        return True  # 罚多少钱: a law states a fine as a multiple of a value (货值金额二倍以下的罚款)
    units = unit_pattern(unit) if unit not in COUNTERS else "[" + COUNTERS + "大]"
    if re.search(r"\d\s*[万亿千百]?" + units, text):
        return True
    return any(m.group(1) != "一" for m in re.finditer(r"([零〇一二三四五六七八九十百千万亿两]+)" + units, text))


LOCATED = re.compile(r"位于|坐落|地址|地点[:：为在]|在[\u4e00-\u9fff]{2,10}(?:路|街|巷|大道)\d+号")
DEFINED = re.compile(r"所称[^，。]{1,20}[，,]?(?:是指|指)|是指|系指|指的是")
# a span that bans (5年内不得再次申请, 三年内不予受理) — a question asking it says 不/禁/限制 itself
BANNED_SPAN = re.compile(r"\d+\s*个?(?:年|月|日|天|工作日)内(?:不得|不准|不能|不予|禁止|不再)")
NEGATION_Q = re.compile(r"不|没|禁|限制|取消|失去")
UNIT_NEAR = 0.7  # share of the best score at which a sentence stating a figure in the asked unit leads instead
REASON_NEAR = 0.7  # share of the best score at which a sentence of reasons leads over the news of an issue
DEED_NEAR = 0.8  # share of the best score at which the clause stating the asked deed leads instead
VERB_QUALIFIERS = "新已未再共总净累"  # one-character qualifiers of a counted deed (新签约, 已签约, 再增加)
# a figure for the whole (共计26个, 合计, 全市共) rather than for one part of it (其中…)
TOTAL = re.compile(r"(?:共计|合计|总计|总共|一共|累计|共有|共)\s*\d")
FINE_MULTIPLE = re.compile(r"(?:[一二三四五六七八九十\d]+倍|百分之[一二三四五六七八九十百]+)(?:以上|以下)?的?罚款")


def _context(p: Passage) -> str:
    """The title and clause path a sentence stands under, without the parts that state a figure of their own."""
    parts = [p.title, *p.clause]
    return normalize("".join(x for x in parts if not STATES_FIGURE.search(x))).lower()


def _window(c: Candidate, around: int = 80) -> str:
    """The best sentence with its neighbours and clause path: where the asked-for fact must be."""
    p = c.passage
    lo, hi = max(0, c.start - around), min(len(p.paragraph), c.end + around)
    return _context(p) + normalize(p.paragraph[lo:hi]).lower()


def _cover(weights: dict[str, float], text_or_terms) -> float:
    if isinstance(text_or_terms, str):
        return sum(w for t, w in weights.items() if t in text_or_terms)
    return sum(weights.get(t, 0.0) for t in text_or_terms)


def _overlaps(a: Candidate, b: Candidate) -> bool:
    if a.passage.paragraph_id == b.passage.paragraph_id:
        return a.start < b.end and b.start < a.end
    return normalize(a.text) in normalize(b.passage.paragraph) or normalize(b.text) in normalize(a.passage.paragraph)
