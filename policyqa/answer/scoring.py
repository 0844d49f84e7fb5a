"""Sentence scoring: how well each retrieved sentence answers the question, and how strongly the best one does."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Callable

from policyqa.answer.analysis import (ACTUAL, CONTACT_Q, GROUP_OF, REASON_Q, TITLE, TOTAL_Q, Intent, QuestionAnalysis,
                                      _tagged, analyze, qualifiers)
from policyqa.answer.candidates import QUOTED, Candidate, EvidenceStrength, cover
from policyqa.answer.compose import BAND, asker_quantities, holds, states_bound, states_number
from policyqa.answer.consequences import (ARTICLE, CONSEQUENCE_Q, SANCTION, article_of, cited_items, citing,
                                          own_citations, violation_said, violation_weight)
from policyqa.answer.figures import (BANNED_SPAN, BOUND_NEAR, CHANGE_Q, COMBINED_LEVELS, COUNTERS, DEED_NEAR,
                                     NEGATION_Q, PERSONS, PLACE_SUFFIX, STATES_FIGURE, TOTAL, UNIT_NEAR, VERB_QUALIFIERS,
                                     another_item, another_level, another_span, bound_terms, contradicts, counts,
                                     one_of_group, only_changes, owned_by_other, own_scope, part_row, place_elsewhere)
from policyqa.answer.kinds import (END_ASKED, END_STATED, KIND_BY_ATTRIBUTE, KIND_BY_INTENT, KIND_OK, PLANNED,
                                   RANK_ASKED, RANK_STATED, START_ASKED, START_STATED, TARGET_ASKED, TARGET_STATED,
                                   YEAR_ASKED, YEAR_STATED)
from policyqa.answer.lists import in_article, other_kind
from policyqa.answer.names import (PLACE_CLASSES, THING_CLASSES, asks_members, asks_names, members, names_any,
                                   place_names)
from policyqa.answer.sections import INTRO, OPENS_LIST
from policyqa.answer.types import Passage
from policyqa.answer.who import (GENERIC_BODY, GENERIC_PERSON, NAMED_ORG, asked_actions, does_asked, doer, names_person,
                                 person_role)
from policyqa.answer.wording import (AREA, AREA_FIGURE, AREA_UNIT, COST_STATED, TIME_STATED, TIME_VERB, asks_cost,
                                     asks_time, phrase_credit, stands, stands_as_figure, unit_pattern)
from policyqa.store.lexical import Tokenizer
from policyqa.text import DIGITS, bigrams, normalize, sentences

GLUE = re.compile(r"[\s的是了和与及在对为将把被由从向等]")  # bigrams across these join nothing
Meaning = Callable[[str], dict[tuple[str, int], float]]  # question → similarity per (paragraph id, start)
MEANING_WEIGHT = 0.3  # the most similar sentence of the candidates gains this much over the least similar
PLACE_WEIGHT = 3.0
NEGATED_WEIGHT = 0.3
LAY_SAID = 0.1  # a sentence stating a lay phrase of the question in its official term  # a term the question says its subject cannot reach (接不进管网)  # a place name's cap: rare names would otherwise outweigh what is asked
AROUND = 1.0  # weight of question terms found in the title or clause path rather than the sentence

ANAPHOR = re.compile(r"该(?:项目|工程|厂|站|园区?|中心|企业|公司|学校|医院)")  # a reference back to the subject
NOTE_START = re.compile(r"\s*[（(][^（）()]{2,80}[）)]")  # a parenthesised note right after a sentence
ASKED_CLASS = frozenset("部门 单位 机构 机关 人员".split())
COUNTED = re.compile(r"[两二三四五六七八九十\d]+[个所座家条项处]")
NAME_WORDS = re.compile(r"叫什么名字|叫什么|的?名字|的?名称(?=是什么|有哪些)")  # the names are the answer, no term of it
WH_TOKEN = re.compile(r"多少|哪几年|几年|哪一年|哪年|哪些|哪几|哪几个|哪个|哪种|哪类|哪家|哪|什么|何时|如何|怎样|怎么|为什么|为何|是否|几|几个|几位|几家|第几")

# the causes of what happened (受…影响, 得益于; 雨水少、光照足，加上…技术), not the purposes of a measure: they answer
# why over any other sentence
CAUSE_CUE = re.compile(r"因为|由于|原因|之所以|[，,]加上|再加上|得益于|受益于|归功于|受[^，。]{1,20}影响|多亏")
REASON_CUE = re.compile(CAUSE_CUE.pattern + r"|有利于|为了|旨在|目的|意义|是[^，。]{0,20}(?:重要|重大)举措|以便|从而"
                        r"|为贯彻|为落实|为深入|根据|依据|抓住|机遇|必然要求|迫切需要"
                        r"|用于|为解决|解决[^，。]{0,30}问题"  # 主要用于解决…问题: what it is for
                        r"|紧迫|亟需|亟待|急需|满负荷|超负荷|不堪重负|供不应求|难以满足|缺口"
                        r"|为(?:切实|进一步|确保|保障|加强|推动|加快)|易发多发|多发|频发"
                        r"|拖累|离不开|带动")  # why a figure rose or fell; a document's basis is its reason
# 有哪些功能上的要求 / 在安全方面有什么规定: the aspect a requirement is asked for
ASPECT = re.compile(r"(?:哪些|什么|啥|在|对)([\u4e00-\u9fff]{2,4}?)(?:上|方面)(?:的|有|都有)?(?:什么|哪些|啥)?"
                    r"(?:要求|规定|标准|条件|措施|责任|义务)")
# a list of what is banned, asked in any words, and the document's words for a ban
BANS_ASKED = re.compile(r"不许|不允许|不准|不让|不得|禁止|明令|严禁|不可以|不能(?:干|做|有)")
BANS_SAID = re.compile(r"禁止|不得|严禁")
# 'A中的B' asks about B within A: A's words scope the question, B's say what is asked
WITHIN = re.compile(r"^([^，。？?]{4,})(?:中的|里的|当中的)([^，。？?]{2,})")


def scope_and_asked(question: str) -> tuple[str, str]:
    """'城北片区老旧小区改造中的完善类改造包括哪些' → (its scope, what is asked in it), normalised; ("", "") otherwise."""
    m = WITHIN.search(normalize(question).lower())
    return (m.group(1), m.group(2)) if m else ("", "")
SCOPE_WEIGHT = 0.5
# a list asked by its verb (包括哪些, 分为哪几类): the sentence that enumerates after that verb holds the items
LIST_VERB = re.compile(r"(包括|包含|涵盖|分为|分成|涉及)了?(?:哪些|哪几|什么)")
# a sentence that reports a document's issue (…印发《…实施方案》) gives no reason for it
ISSUED = re.compile(r"(?:印发|发布|出台|公布|颁布)了?《")
# …and a news item's lead reports an event (本报讯…建成通水): it tells what happened, not why
NEWS_EVENT = re.compile(r"本报讯|建成|通水|通车|开工|投用|投入使用|完工|开园|揭牌|落成")
CLEAR_MARGIN = 0.3  # score lead over the next sentence that makes it "clearly the one" (set on our dev sets:
# the reworded questions it lets through lead by 0.35, no unanswerable question of them by more than 0.04)

STANDING_Q = re.compile(r"地位|定位|角色|性质")
STANDING_SAID = r"[港市区县省镇]?(?:是|为|被定位为|定位为|作为|成为)"

# a sentence's short opening phrase before its first comma (上半年，/截至6月底，/2024年，): clauses after its ；
# still stand under it (上半年，全市实现…；全市累计完成工业投资78.15亿元 → 上半年 too)
LEAD_IN = re.compile(r"^([^，,。；;：:“”]{2,8})[，,]")

LOCATED = re.compile(r"位于|坐落|地址|地点[:：为在]|在[\u4e00-\u9fff]{2,10}(?:路|街|巷|大道)\d+号")
OWN_PURPOSE = re.compile(r"制定本(?:方案|办法|计划|规定|细则|条例|意见|规则|标准)")
BASIS_Q = re.compile(r"依据|根据|目的|宗旨|为了|为何|为什么|出发点")
DEFINED = re.compile(r"所称[^，。]{1,20}[，,]?(?:是指|指)|是指|系指|指的是")

# the opening before a colon that the ；-clauses after it still stand under: longer than a label (牵头单位：), shorter
# than a sentence
COLON_SCOPE = 40
# a conclusion (因此，建议…) rests on the sentences before it: for why and how, they are the answer
CONCLUDES = re.compile(r"(?:因此|所以|为此|故此|故而|正因(?:为)?如此|由此|鉴于此|基于此|有鉴于此)[，,]|所以(?=[我他她它这那])")
REASON_NEAR = 0.7  # share of the best score at which a sentence of reasons leads over the news of an issue


class CandidateScorer:
    """Scores every sentence of the retrieved passages against the question and weighs the evidence of the best."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
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
        rest = NAME_WORDS.sub(" ", QUOTED.sub(" ", question))
        rest = A_NOT_A.sub(r"\1", rest)  # 会不会被罚款: the question form, not 不会, is what it says
        places = set(analyze(question).places)
        who = analyze(question).intent is Intent.WHO
        negated = None if analyze(question).intent is Intent.YESNO else True
        scope, asked = scope_and_asked(question)
        for t in self.tokenizer.key_terms(rest):
            if WH_TOKEN.fullmatch(t) or t in out or who and t in ASKED_CLASS:
                continue  # 哪个部门负责: 部门 is what is asked, no term a sentence must share (主管部门 is any body's)
            if ASKER_WORD.fullmatch(t):
                continue  # 我家是低保户，政府有没有一笔钱: the asker's way of telling, no word of the document's
            if len(t) == 1 and not t.isdigit() and not t.isascii():
                w = min(idf.get(t, median), 6.0) * 0.5  # single characters are weak evidence
            elif t in places:
                w = min(idf.get(t, median), PLACE_WEIGHT)  # the place scopes the question: 全市/我市 stand for it
            else:
                w = min(idf.get(t, median), 10.0)
            if negated is not None and _negated(rest, t):
                w *= NEGATED_WEIGHT  # 污水接不进管网: what the asker cannot do is not what the answer says
            if scope and t in scope and t not in asked:
                w *= SCOPE_WEIGHT  # 老旧小区改造中的完善类改造: the scope before 中的, the thing asked after it
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
        # 我奶奶今年92岁, 研发费用300万: the asker's own quantity falls in a band (90周岁至99周岁); no sentence states it
        told = asker_quantities(question)
        own_numbers = {n for n in q_numbers if any(float(n) == v for v, _ in told)}
        q_grams = bigrams(normalize(question))
        # character bigrams survive word-segmentation mistakes (规划期 → 规划 + 期是)
        content_grams = set().union(*(bigrams(part) for part in
                                      GLUE.split(WH_TOKEN.sub(" ", normalize(question).lower()))))
        denied: list[str] = []  # 没有备案的合同: the clause for the case without it (未提供备案证明的) answers
        if a.intent is not Intent.YESNO:  # what the asker cannot reach (接不进管网) is not what the answer says
            denied = [t for t in weights if len(t) >= 2 and _negated(question, t)]
            content_grams -= {g for t in denied for g in bigrams(t)}
            focus = [t for t in focus if not _negated(question, t)]
        lay = phrase_credit(question)
        quoted_terms = [t.lower() for t in QUOTED.findall(question)]
        group = GROUP_OF.get(a.target, ()) if a.kind_asked else ()
        # 登记有哪些要求: the sentence that introduces them (应当符合以下要求：…) holds the asked kind itself
        introducing = (re.compile(r"(?:下列|以下|如下)[^。；：:，,]{0,6}" + re.escape(a.target))
                       if a.wants_list and len(a.target) >= 2 else None)
        named_class = asks_names(a.names)
        verb = LIST_VERB.search(question) if a.wants_list else None
        bans_asked = a.wants_list and bool(BANS_ASKED.search(question))
        m = ASPECT.search(question)
        aspect = m.group(1) if m else ""
        enumerated = verb.group(1) if verb else ""
        actions = asked_actions(question) if a.intent is Intent.WHO else ()
        role = person_role(question)
        timed = asks_time(question) and a.intent is not Intent.REASON  # 干嘛要延长开放时间 asks why, not when
        consequence_q = bool(CONSEQUENCE_Q.search(question))
        contact_q = bool(CONTACT_Q.search(question))
        each = ["每" + x for x in EACH_LAY.findall(question)] if needs_number else []  # 一个班收几个 → 每班
        # 招牌有哪些要求: a rule's purpose article (为了…，制定本办法) says why it was made, not what it asks
        purpose_off = a.intent is not Intent.REASON and not BASIS_Q.search(question)
        costly = a.intent is Intent.YESNO and asks_cost(question)
        totalled = needs_number and bool(TOTAL_Q.search(question))
        asked_deeds = yesno_deeds(question) if a.intent is Intent.YESNO and not costly else ()
        cands: list[Candidate] = []
        units = []  # (passage index, passage, ctx, start, end, text, normalised text, bigrams)
        lead_ins: dict[tuple[int, int], str] = {}
        explains: set[tuple[int, int]] = set()
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
            asked_why = False  # the sentence before asks why (为什么要开通夜间公交？): this one explains
            before = ""
            for s, e in sentences(p.paragraph):
                if p.instructs(s, e):
                    continue  # addressed to the answering system, not a statement of the document's
                text = p.paragraph[s:e]
                norm = normalize(text).lower()
                m = LEAD_IN.match(norm)
                own = m.group(1) if m else ""
                colon = norm.find("：")
                if not own and 8 <= colon <= COLON_SCOPE and norm.endswith((";", "；")):
                    own = norm[:colon]  # 2025年…主要预期目标是：A；B；C: each clause is a target of 2025
                heard = norm if not scope or own else scope + "，" + norm
                if FOLLOWS_ON.match(norm) and before:
                    heard = before + norm  # 拒不改正的，对个人处…罚款 is the fine for the deed the sentence before names
                scope = (own or scope) if norm.endswith((";", "；")) else ""
                before = norm
                if len(norm) >= 4:
                    units.append((i, p, ctx, s, e, text, heard, bigrams(heard) | bigrams(ctx)))
                    lead_ins[(i, s)] = heard[:len(heard) - len(norm)]
                    if asked_why:
                        explains.add((i, s))
                asked_why = norm.endswith(("？", "?")) and bool(REASON_Q.search(norm))
        # local IDF over the candidate sentences: bigrams every sentence shares (the document's topic)
        # say little; the rare ones the question shares with one sentence say most
        sf = Counter(g for u in units for g in u[7] & content_grams)
        gram_w = {g: math.log(1 + len(units) / (1 + sf[g])) for g in content_grams if sf[g]}
        scope, asked = scope_and_asked(question)
        # the words only the asked part (after 中的) has: a sentence without any of them speaks of the scope alone
        own_terms = [t for t in weights if len(t) >= 2 and t in asked and t not in scope]
        if scope:  # the scope before 中的 weighs less than what is asked after it (see _weights_of)
            scope_grams = bigrams(scope) - bigrams(asked)
            gram_w = {g: w * (SCOPE_WEIGHT if g in scope_grams else 1.0) for g, w in gram_w.items()}
        gram_total = sum(gram_w.values()) or 1.0
        for i, p, ctx, s, e, text, norm, grams in units:
            inside = {t for t in weights if t in norm or len(t) == 4 and _contracted(t, norm, strict=True)
                      or stands(t, norm, question)}
            compound = False  # the sentence names the question's two-word phrase contracted (商会协会 → 商协会)
            for t1, t2 in pairs:
                if t1 + t2 not in norm and _contracted(t1 + t2, norm, strict=True):
                    inside |= {t1, t2}
                    compound = True
            named = [m for m in members(a.names, text) if m not in question] if named_class else []
            if len(named) >= 2 and a.names in THING_CLASSES:  # 三座公园叫什么: a sentence naming the members states their count and kind too
                inside |= {t for t in weights if COUNTED.fullmatch(t) or t == a.names}
            around = {t for t in weights if t not in inside and (t in ctx or stands(t, ctx, question))}
            score = (cover(weights, inside) + AROUND * cover(weights, around)) / total
            score += 0.06 / p.rank
            score += 0.4 * sum(gram_w.get(g, 0.0) for g in grams) / gram_total
            sim = sims.get((p.paragraph_id, s))
            if sim is not None and hi > lo:
                score += MEANING_WEIGHT * (sim - lo) / (hi - lo)  # the sentence means what is asked
            bare = text
            for n in q_numbers:  # 2027年度…什么时候截止: the year the question names is no figure the sentence answers
                bare = bare.replace(n, " ")
            numbered = states_number(bare)
            if grams and len(grams - q_grams) / len(grams) < 0.4 and not (needs_number and numbered):
                score -= 0.35  # it only restates the question (often a heading): no answer in it
            if norm.rstrip("”\"」）)").endswith(("？", "?")):
                score -= 0.5  # a question (问：…？ of a policy Q&A) answers nothing itself
            if needs_number:
                score += 0.12 if numbered else -0.1
                if unit and (AREA_UNIT.search(text) if unit == AREA else counts(unit, text) if unit in PERSONS
                             else re.search(r"\d\s*[万亿千百]?" + ("[" + COUNTERS + "]" if unit in COUNTERS
                                                                  else unit_pattern(unit)), text)):
                    score += 0.1  # a figure in digits and the asked unit or counter (五个一 is a slogan, not a count)
            if focus:
                score += 0.1 * sum(t in norm for t in focus) / len(focus)
            if each and any(x in norm for x in each):
                score += 0.15  # 一个班最多收几个娃: the figure per class (每班…不超过20人)
            if lay:  # 钱从哪些渠道来 → 资金: the sentence states the asker's words in official terms, the more the better
                score += LAY_SAID * sum(lay_ph not in norm and any(o in norm for o in officials) for lay_ph, officials in lay
                                        if not any(lay_ph != other and lay_ph in other for other, _ in lay))  # 低保 in 吃低保
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
            if totalled and numbered and (TOTAL.search(text) or TOTAL_ROW.match(norm)):
                score += 0.15  # 三年一共要加装多少部: the total (年度：合计；…900), not one year's row
            if told and BAND.search(text):  # 我爸今年85了, 大概300万: the clause of the band that holds it is theirs
                score += 0.3 if any(holds(text, v, u) for v, u in told) else -0.1
            if denied and any(re.search(r"(?:未|无|没有|不)[\u4e00-\u9fff]{0,4}" + re.escape(t), norm) for t in denied):
                score += 0.15  # the sentence states the case the question describes: without it
            if standing and any(re.search(re.escape(t) + STANDING_SAID, norm) for t in standing):
                score += 0.1  # 乙港的地位 → 乙港是全国…枢纽港之一: the sentence says what X is
            if a.qualifiers and a.qualifiers & qualifiers(norm):
                score += 0.1  # states the asked level / threshold / year (超五十亿 = 50亿元以上): it should lead
            if lists_counted(a, norm):
                score += 0.3  # 新增了哪三个游乐区: the sentence that names 攀爬网、戏水池、沙坑乐园3个游乐区
            if listy and ("、" in text or "：" in text):
                score += 0.08
            if introducing and introducing.search(norm) or listy and a.wants_list and OPENS_LIST.search(norm):
                score += 0.1  # …禁止下列行为：: the sentence that opens the list asked
            if aspect:  # 有哪些功能上的要求: the sentence on that aspect (应当具备…等功能); one without it answers little
                score += 0.15 if aspect in norm else -0.1
            if bans_asked and BANS_SAID.search(norm):
                score += 0.2  # 哪些做法是明令不许干的: the sentence of what is banned (禁止下列行为), not of what is required
            elif bans_asked and re.search(r"应当|必须", norm):
                score -= 0.1
            if own_terms and not any(t in norm for t in own_terms):
                score -= 0.2
            if enumerated and re.search(enumerated + r"[^。；：]{0,30}、", norm):
                score += 0.2  # 完善类改造包括哪些: the sentence where it 包括 A、B、C
            if group:  # 有哪些长处: a sentence or clause in the words of its kind (优势) is where they stand
                if any(w in norm for w in group) or not other_kind(a.target, norm) and any(w in ctx for w in group):
                    score += 0.15
                elif other_kind(a.target, norm):
                    score -= 0.15  # …存在以下几方面问题 answers 不足, not 长处
            if named_class:  # 哪些铁路: a sentence naming members of the class (甲乙高铁、丙乙铁路) is where they stand
                n = len(named)
                score += 0.1 * min(n, 3) if n else -0.1
            if a.intent is Intent.WHERE and LOCATED.search(text):
                score += 0.15  # 在哪里: the sentence giving the address (位于幸福路18号), not the headline naming the place
            elif a.intent is Intent.WHERE and p.heading:
                score -= 0.15
            if a.intent is Intent.DEFINITION and DEFINED.search(text):
                score += 0.15  # 哪种房子算老旧住宅: the sentence that defines (本办法所称…是指…)
            elif DEFINED.search(text):
                score -= 0.1  # 招牌有哪些要求: what a word means is no requirement, step or figure
            if purpose_off and OWN_PURPOSE.search(text):
                score -= 0.1
            if POINTER.search(text):
                score -= 1.0  # …的原因详见正文第三部分: it sends the reader elsewhere; what it points to answers
            if TITLE.fullmatch(normalize(text).strip("（）()0-9一二三四五六七八九十、.．。；;")):
                score -= 0.2  # （四）《…申请表》: a form's name shares the question's words and answers nothing
            if timed and TIME_STATED.search(text):
                score += 0.15  # 几点: the sentence with a clock time (13:30至17:00)
            if costly and COST_STATED.search(text):
                score += 0.2  # 要花钱吗: the sentence stating the fee, or that none is charged
            if contact_q and CONTACT_STATED.search(text):
                score += 0.25  # 有疑问找谁: the contact line (联系人：…，电话：…), not the body's duty to hear objections
            if consequence_q and SANCTION.search(text):
                score += 0.15  # 骗补贴会怎么样: the sentence stating the sanction (追回…取消…资格), cited or not
            if a.intent is Intent.REASON and (i, s) in explains:
                score += 0.2  # a report's own 为什么…？ is followed by the answer (负责人解释说，…)
            if a.intent is Intent.REASON and REASON_CUE.search(text):
                score += 0.1
            elif a.intent is Intent.REASON and (ISSUED.search(text) or NEWS_EVENT.search(text)):
                score -= 0.15  # 近日…印发《方案》 is the news of the scheme, not why it was made
            note = NOTE_START.match(p.paragraph[e:])
            if a.intent is Intent.WHO and KIND_BY_INTENT[Intent.WHO].search(text + (note.group(0) if note else "")):
                score += 0.15  # the sentence names a body, or its note does (…建设。（牵头单位：…）)
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
                         and states_number(c.text) and c.score >= DEED_NEAR * cands[0].score), None)
            if deed is not None:
                cands.remove(deed)
                cands.insert(0, deed)
        if a.intent is Intent.REASON and cands and not REASON_CUE.search(cands[0].text) and cands[0].order not in explains:
            # the news of a scheme's issue (or a headline) names it best, but why stands in a sentence of reasons;
            # over any other sentence, a sentence of causes (因为, 加上) leads
            announces = bool(ISSUED.search(cands[0].text) or NEWS_EVENT.search(cands[0].text) or cands[0].passage.heading
                             or explains)
            why = next((c for c in cands[1:6] if (announces and REASON_CUE.search(c.text) or CAUSE_CUE.search(c.text)
                                                  or c.order in explains or CONCLUDES.match(c.text))
                        and c.score >= REASON_NEAR * cands[0].score), None)
            if why is not None:
                cands.remove(why)
                cands.insert(0, why)
        topic = None  # the best-matching sentence, when a reorder leads with another of its report or paragraph
        if role[0] and cands and not names_person(role, cands[0].text):
            # 接受采访的果农是谁: the sentence naming one (果农陈国良), however much more another says of 果农;
            # 是哪位官员 after …”郑嘉明说，2024年…: the person it quotes, where the report names them with a post
            said = ({w for w, f in _tagged(cands[0].text) if f.startswith("nr") and len(w) >= 2}
                    if role[0] in GENERIC_PERSON else set())
            named = next((c for c in (cands[1:] if said else cands[1:8]) if names_person(role, c.text) and (
                not said or c.passage.doc == cands[0].passage.doc and any(w in c.text for w in said))), None)
            if named is not None and said:
                topic = cands[0]
            if named is not None:
                cands.remove(named)
                cands.insert(0, named)
        if needs_number and cands and "罚" in question:
            # 推着电瓶车进电梯罚多少: the best fine is another deed's (改装), or names less of this deed; the item naming
            # more of it (（二）携带…进入电梯轿厢) leads instead, and the block below brings the article that cites it
            said = violation_weight(question, weights, _window(cands[0]), normalize(cands[0].passage.title).lower())
            item = next((c for c in cands[1:5] if "罚" not in c.text and c.passage.doc == cands[0].passage.doc
                         and violation_weight(question, weights, _window(c), normalize(c.passage.title).lower()) > said
                         and citing(c, cands) is not None), None)
            if item is None and "罚" in cands[0].text:
                # 河边钓鱼罚多少: of two fines, the one whose article names the deed (…游泳、垂钓的…不听劝阻的，处…)
                weighed = [(violation_weight(question, weights, _window(c), normalize(c.passage.title).lower()), c)
                           for c in cands[1:5] if "罚" in c.text and states_number(c.text)
                           and c.passage.doc == cands[0].passage.doc]
                item = max((wc for wc in weighed if wc[0] > said), key=lambda wc: wc[0], default=(0, None))[1]
            if item is not None:
                cands.remove(item)
                cands.insert(0, item)
        if needs_number and cands and "罚" in question and "罚" not in cands[0].text:
            # 改装电动车罚多少钱: the best sentence is the prohibited item; its fine stands where it is cited
            cited = citing(cands[0], cands)
            if cited is not None and not states_number(cited.text):
                # …的，由消防救援机构责令改正；拒不改正的，处200元以上500元以下罚款: the fine follows in the article
                cited = next((c for c in sorted(cands, key=lambda c: c.start) if c.passage.paragraph_id ==
                              cited.passage.paragraph_id and c.start >= cited.end and "罚" in c.text
                              and states_number(c.text)), cited)
            if cited is None and not states_number(cands[0].text):
                # 第二十六条 私拉电线…的，由街道办事处责令改正；拒不改正的，对个人处50元…罚款: the deed's own
                # article states the fine in its next clause
                lead = cands[0]
                cited = next((c for c in sorted(cands, key=lambda c: c.start) if c.passage.paragraph_id ==
                              lead.passage.paragraph_id and c.start >= lead.end and "罚" in c.text
                              and states_number(c.text)), None)
            if cited is not None:
                item = cands[0]
                cands.remove(cited)
                cands.insert(0, replace(cited, covered=cited.covered | item.covered,
                                        cites=normalize(item.text).lower()))
        if needs_number and unit and unit != AREA and cands and not counts(unit, cands[0].text):
            # 吃顿午饭要多少钱: the sentence with a figure in the asked unit (5块钱) answers, not its neighbour that
            # names the place better but counts something else (3个村, 20名老人)
            held = [t for t in focus[-1:] if t in normalize(cands[0].text).lower()]  # what the lead says is measured
            counted = max((c for c in cands[1:6] if counts(unit, c.text) and c.score >= UNIT_NEAR * cands[0].score
                            and c.passage.doc == cands[0].passage.doc
                            and (all(t in normalize(c.text).lower() or stands(t, normalize(c.text).lower(), question)
                                     for t in held)  # 增加值 asked: 营业收入412.8亿元 is no answer
                                 # …该项目总投资2.7亿元: the report's subject, by reference
                                 or ANAPHOR.search(c.text) and c.passage.clause[:1] == cands[0].passage.clause[:1])
                            and not (a.qualifiers and contradicts(
                                a.qualifiers, normalize(c.text).lower(),
                                normalize(c.passage.title + "".join(c.passage.clause)).lower(),
                                clause=normalize("".join(c.passage.clause)).lower()))),
                          # of several, the one that names what is measured (发车间隔…票价2元, not the headline's 2元)
                          key=lambda c: sum(t in normalize(c.text).lower() for t in focus), default=None)
            if counted is not None:
                cands.remove(counted)
                cands.insert(0, counted)
        if needs_number and a.qualifiers and cands and contradicts(
                a.qualifiers, normalize(cands[0].text).lower(), clause=normalize("".join(cands[0].passage.clause)).lower()):
            # 二级医院报销比例: the parallel clause of the asked grade (在二级…75%), not the fuller one of another (一级…90%)
            fits = next((c for c in cands[1:4] if c.score >= UNIT_NEAR * cands[0].score and states_number(c.text)
                         and c.passage.doc == cands[0].passage.doc and not contradicts(
                             a.qualifiers, normalize(c.text).lower(), clause=normalize("".join(c.passage.clause)).lower())
                         and a.qualifiers & qualifiers(c.lead_in + normalize(c.text).lower())), None)
            if fits is not None:
                cands.remove(fits)
                cands.insert(0, fits)
        if needs_number and unit and unit != AREA and cands and counts(unit, cands[0].text):
            # 复审要多少天: the figure of the clause that states the asked deed (10个工作日内完成复审), not a neighbour's
            # figure in the same unit for another deed (复审合格的，公示7天)
            deeds = {w for w, tag in _tagged(question) if tag.startswith("v") and len(w) >= 2}
            if not bound_terms(deeds, cands[0].text, unit):
                bound = next((c for c in cands[1:4] if c.passage.doc == cands[0].passage.doc
                              and c.score >= BOUND_NEAR * cands[0].score and bound_terms(deeds, c.text, unit)), None)
                if bound is not None:
                    cands.remove(bound)
                    cands.insert(0, bound)
        if needs_number and cands and one_of_group(question, weights, cands[0].text):
            # 滨江幼儿园能收多少: the member's own figure (滨江幼儿园…可提供学位450个), not the joint one of the three
            own = next((c for c in cands[1:4] if c.passage.doc == cands[0].passage.doc and states_number(c.text)
                        and c.score >= UNIT_NEAR * cands[0].score and not one_of_group(question, weights, c.text)
                        and (not unit or counts(unit, c.text))
                        and any(len(t) >= 2 and t in normalize(c.text).lower() for t in a.places or weights)), None)
            if own is not None:
                cands.remove(own)
                cands.insert(0, own)
        if needs_number and cands and part_row(question, cands[0].text):
            # 全市地区生产总值: the whole's figure (全年全市地区生产总值2387.52亿元), not a district's row of the table
            _to_front(cands, next((c for c in cands[1:8] if re.search(r"\d", c.text) and states_number(c.text)
                                   and not part_row(question, c.text) and not _table_head(c.text)
                                   and c.score >= UNIT_NEAR * cands[0].score), None))
        if needs_number and unit != AREA and cands and not re.search(AREA_WORDS, question) and area_only(cands[0].text):
            # 打了多少粮食: the area sown (播种面积62.4万亩) answers no question but an area; the harvest next to it does
            other = next((c for c in cands[1:4] if c.passage.doc == cands[0].passage.doc and not area_only(c.text)
                          and states_number(c.text) and c.score >= UNIT_NEAR * cands[0].score
                          and all(t in normalize(c.text).lower() for t in focus)), None)
            if other is not None:
                cands.remove(other)
                cands.insert(0, other)
        banded = next((c for c in cands[:8] if told and c.passage.doc == cands[0].passage.doc
                       and any(holds(c.text, v, u) for v, u in told)), None) if cands and (
            needs_number or a.intent is Intent.YESNO) else None  # why 年满80周岁后要及时申请 asks no band's figure
        bounded = None
        if banded is None and told and cands and a.intent is Intent.YESNO:
            # 刚满15岁，能骑电瓶车吗: the rule's bound in the asker's unit (应当年满十六周岁) answers yes or no
            asked_of = _asked_nouns(question)

            def speaks_of(c: Candidate) -> bool:  # most of the things asked about (游泳馆的年卡 is not 游船)
                around = _window(c, 40)
                return 2 * sum(t in around or stands(t, around, question) for t in asked_of) >= len(asked_of)

            banded = bounded = next((c for c in cands[:8] if c.score >= UNIT_NEAR * cands[0].score
                                     and any(states_bound(c.text, u) for _, u in told) and speaks_of(c)), None)
        if banded is not None:  # 研发费用大概300万: the tier of 200万元（含）至500万元 is the asker's, whatever ranks above it
            cands.remove(banded)
            cands.insert(0, banded)
        # 条例第三十条禁止哪些行为: the article the asker names, over the ones that cite it or stand near it — but
        # 违反第三十条会受到哪些处罚 asks for the article that punishes it
        named = ARTICLE.findall(question) if a.wants_list and not CITED_ARTICLE_Q.search(question) else []
        if named and cands and not in_article(cands[0], named):
            _to_front(cands, next((c for c in cands[1:] if in_article(c, named)), None))
        draft = (cands[0] if needs_number and cands and DRAFT_SAID.search(cands[0].text)
                 and not DRAFT_SAID.search(question) else None)
        if draft is not None:
            # 牵引绳最长多长: the rule as enacted (不得超过一点五米), not a draft's figure an opinion quotes (草案规定…二米);
            # the draft's words (在城区) still say what the rule is about
            enacted = next((c for c in cands[1:4] if c.score >= DRAFT_NEAR * draft.score
                            and c.passage.doc == draft.passage.doc and not DRAFT_SAID.search(c.text)
                            and states_number(c.text) and any(t in normalize(c.text).lower() for t in focus)), None)
            _to_front(cands, enacted)
            draft = draft if enacted is not None else None
        if a.wants_list and cands and not CITED_ARTICLE_Q.search(question):
            # 哪些改装是不允许的: the article a sanction cites lists the deeds (违反本条例第十二条第一款规定…的，处…)
            cited, sanction = own_citations(cands[0].passage.paragraph), cands[0]
            if cited and any(c.passage.doc == sanction.passage.doc and any(n in c.passage.clause for n in cited)
                             for c in cands):  # the sanction's own items (改装一辆的，处…) are no deeds
                cands[:] = [c for c in cands if c.passage.doc != sanction.passage.doc
                            or article_of(c.passage.clause)[:1] != article_of(sanction.passage.clause)[:1]]
                rule = [c for c in cands if c.passage.doc == sanction.passage.doc
                        and any(n in c.passage.clause for n in cited)]
                _to_front(cands, next((c for c in rule if OPENS_LIST.search(c.text)), rule[0]))
                topic = sanction  # its words (非法改装) name the deeds the cited rule lists
        if bans_asked and cands and not (BANS_SAID.search(cands[0].text) and OPENS_LIST.search(cands[0].text)):
            # 禁止哪些做法: the article listing the bans (在公共场所，禁止下列行为：), over a duty or a ban of its own
            listing = next((c for c in cands[1:4] if BANS_SAID.search(c.text) and OPENS_LIST.search(c.text)
                            and c.score >= BANS_NEAR * cands[0].score), None)
            _to_front(cands, listing)
        if a.intent is Intent.DATE and cands and not KIND_OK[Intent.DATE](cands[0].text):
            # 投诉后部门多久给答复: the sentence stating a time (5个工作日内…告知), not the one of the matter (拨打110报警)
            deeds = {w for w, tag in _tagged(question) if tag == "v" and len(w) >= 2}
            # 什么时候公示的: the time of 公示 — the asked deed with a time marks the sentence from further down
            dated = max((c for c in cands[1:8 if deeds else 5] if KIND_OK[Intent.DATE](c.text)
                         and c.score >= DATE_NEAR * cands[0].score
                         and (not deeds or any(d in c.text for d in deeds))),
                        key=lambda c: c.score, default=None)
            _to_front(cands, dated)
        attribute_said = KIND_BY_ATTRIBUTE.get(a.attribute) if a.attribute else None
        if attribute_said is not None and cands and not attribute_said.search(cands[0].text):
            # 从哪天开始施行: the sentence that says so (自2024年7月1日起施行), not the old rule's (…起施行的…同时废止)
            said_so = next((c for c in cands[1:4] if attribute_said.search(c.text)
                            and c.score >= ATTRIBUTE_NEAR * cands[0].score), None)
            _to_front(cands, said_so)
        if needs_number and cands and ACTUAL.search(question) and _planned(cands[0]):
            # 实际开通了几条: the sentence of what came about (今年已开通…6条), not the target above it (…前不少于10条)
            done = max((c for c in cands[1:6] if states_number(c.text) and not _planned(c)
                        and c.score >= cands[0].score / 2 and all(t in normalize(c.text).lower() for t in focus)),
                       key=lambda c: c.score, default=None)
            _to_front(cands, done)
        if cands and END_ASKED.search(question) and not END_STATED.search(cands[0].text):
            # 持续到哪一天: the sentence stating the end (持续至10月31日), not the opening day above it
            end = next((c for c in cands[1:6] if c.passage.doc == cands[0].passage.doc and END_STATED.search(c.text)
                        and c.score >= cands[0].score / 2), None)
            if end is not None:
                if end.passage.paragraph_id == cands[0].passage.paragraph_id:
                    topic = cands[0]  # 本届消费季持续至…: the paragraph's first sentence names what 本届 refers to
                cands.remove(end)
                cands.insert(0, end)
        if (a.intent is Intent.MEASURES and not a.wants_list and len(focus) >= 2 and cands
                and not _holds_focus(cands[0], focus, question)):
            # 停车楼怎么收费: the sentence that says 收费 (每小时收费3元…) over one on the car park that does not
            _to_front(cands, next((c for c in cands[1:4] if c.score >= FOCUS_NEAR * cands[0].score
                                   and _holds_focus(c, focus, question)), None))
        doing = doer(question, cands, UNIT_NEAR) if a.intent is Intent.WHO and not a.wants_list and cands else None
        if doing is not None:  # 谁来复核: a step list (申请—受理—审核—复核) names no body; the sentence naming who does it
            cands.remove(doing)
            cands.insert(0, doing)
        lead = cands[0] if cands else None
        coverage = (cover(weights, lead.covered | (topic.covered if topic else set())) / total) if lead else 0.0
        # 乱搭棚子罚多少: the items the fine's article cites say what it is for
        cited = cited_items(lead, cands) if lead and needs_number and "罚" in question else ""
        window = _window(lead) + lead.cites + cited + (normalize(draft.text).lower() if draft else "") if lead else ""
        if lead and banded is lead:  # 第三档；6人及以上；12000元: a tier's row is about what its clause's lead-in names
            window += "".join(normalize(c.text).lower() for c in cands if c.passage.doc == lead.passage.doc
                              and c.passage.clause == lead.passage.clause and INTRO.search(c.text))
        said = (normalize(lead.text).lower(), normalize(lead.passage.title + "".join(lead.passage.clause)).lower()
                ) if lead else ("", "")
        clause_of = normalize("".join(lead.passage.clause)).lower() if lead else ""
        # every focus term must stand by the sentence: a number next to something else answers another question
        # 一顿饭能补多少钱: the lay phrase of (or before) the question word (补多少 → 补贴) names what is measured; stated, it is
        # the figure asked, whatever the place the question tells of (在社区食堂)
        asked_at = [m.start() for m in re.finditer("多少|几", question)]
        measured = any(any(o in window for o in officials) and (
            re.search("多少|几", ph) or any(0 <= k - question.find(ph) - len(ph) <= 1 for k in asked_at))  # 少掏多少钱
            for ph, officials in lay)
        nxt = next((c for c in cands[1:] if lead and normalize(c.text) != normalize(lead.text)), None)
        clear = bool(lead and sims and (nxt is None or lead.score - nxt.score >= CLEAR_MARGIN)
                     and sims.get((lead.passage.paragraph_id, lead.start), lo) >= hi)
        # 能省多少钱: far the best sentence, in meaning and words, stating a figure in the asked unit answers in its
        # own words (物流成本下降了约600元), though the asker's word for the quantity is not in it
        # — but a fine answers only a question about a fine (举报能拿多少奖金 is not 处200元以上500元以下罚款)
        # — and not when a word of the asker's that the sentence lacks names another quantity (耕地面积 asked,
        # 土地总面积 stated)
        reworded = (clear and needs_number and bool(unit) and counts(unit, said[0])
                    and ("罚" in question) == ("罚" in said[0])
                    and not _stated_elsewhere([t for t in focus if t not in window], unit, lead, cands))
        focus_ok = (measured or reworded or contact_q and bool(lead and CONTACT_STATED.search(lead.text)) or all(
            t in window or stands_as_figure(t, window) or _contracted(t, window) or stands(t, window, question)
            or t in a.places and PLACE_SUFFIX.sub("", t) in window and len(PLACE_SUFFIX.sub("", t)) >= 2
            # 西川县 (or its stem 西川) asked, 全县 said: the document speaks of its own place
            or any(t in (p, PLACE_SUFFIX.sub("", p)) and own_scope(p, window) for p in a.places)
            or timed and TIME_VERB.fullmatch(t) and TIME_STATED.search(lead.text)
            for t in focus)) and (
            # the figure in the asked unit stands in the sentence itself, not in a neighbour (…600万元 next door)
            not unit or counts(unit, said[0] + lead.cites + cited)
        ) and not (lead and a.qualifiers and contradicts(a.qualifiers, *said, clause=clause_of))
        if lead and needs_number and a.places and owned_by_other(a, said[0], said[1]):
            focus_ok = False  # 某山森林覆盖率超80% is no figure of 东川: another place owns it
        if lead and needs_number and "罚" in question and not violation_said(
                question, weights, window, normalize(lead.passage.title).lower()):
            focus_ok = False  # 超速罚多少钱 is not answered by the fine for riding without a helmet
        if lead and needs_number and BANNED_SPAN.search(said[0]) and not NEGATION_Q.search(question):
            focus_ok = False  # 能租几年 is not answered by 5年内不得再次申请: a span of a ban, not of the deed asked
        if lead and needs_number and unit != AREA and not re.search(AREA_WORDS, question) and area_only(said[0]):
            focus_ok = False  # 打了多少粮食 is not answered by 粮食播种面积62.4万亩: an area answers only an area
        if lead and a.intent is Intent.NUMBER and not timed and TIME_STATED.search(said[0]) and not states_number(
                TIME_STATED.sub(" ", said[0])):
            focus_ok = False  # 亮度最高多少 is not answered by 播放时间为7时至23时: a clock time answers only a time
        parts = PARTS_EACH.search(said[0]) if lead and needs_number else None
        if parts and not any(p in normalize(question).lower() for p in parts.group(1).split("、")):
            focus_ok = False  # 全市城镇化率 is not 信宜、高州、化州…分别为44.26%、…: the parts' figures, not the whole's
        if lead and needs_number and place_elsewhere(a, said[0], said[1], lead.passage.title):
            focus_ok = False  # 某镇有多少个行政村 is not answered from 某县's plan: the figure is another place's
        if lead and needs_number and unit and not CHANGE_Q.search(question) and only_changes(unit, said[0]):
            focus_ok = False  # 最高能报多少钱 is not answered by 最高支付限额提高1000元: a change, not the amount
        if lead and needs_number and (another_level(question, said[0]) or another_span(question, said[0])):
            focus_ok = False  # 县（区）财政配套多少 is not 市级财政…4318万元; 每小时收多少 is not 每月…1600元
        if lead and needs_number and part_row(question, lead.text):
            focus_ok = False  # 沅州市的生产总值 is not 县市区：临沅区；地区生产总值（亿元）：315.38
        if lead and needs_number and another_item(question, lead.text):
            focus_ok = False  # 数字治理工程的投资 is not the 补盲工程's, the item above it
        if lead and needs_number and one_of_group(question, weights, lead.text):
            focus_ok = False  # 两校共新增学位2700个 is no figure of one of the two schools
        if lead and any(k == "level" for k, _ in a.qualifiers) and COMBINED_LEVELS.search(said[0]):
            focus_ok = False  # 9个国家级、省级产业园 counts both levels together: not the number of 国家级 ones
        # a year the question names must be the year of the best sentence, not merely of its neighbour
        years = (frozenset(q for q in qualifiers(TITLE.sub(" ", question)) if q[0] == "year")
                 if a.intent not in (Intent.DATE, Intent.REASON) else frozenset())  # a cause may date its effects
        window_in = window + (lead.lead_in if lead else "")
        # why a figure is what it is (为啥只涨了4.2%): the figure stands in the document, its cause in another sentence
        stated = window_in + ("".join(c.text for c in cands if c.passage.doc == lead.passage.doc)
                              if lead and a.intent is Intent.REASON else "")
        numbers_ok = all(n in stated for n in q_numbers - own_numbers) and not (lead and years
                                                                  and contradicts(years, *said, clause=clause_of))
        # 申请表需要盖章吗: a sentence that does not speak of 盖章 says neither yes nor no
        deed_said = not asked_deeds or banded is lead or any(
            d in _window(lead, 40) or stands(d, _window(lead, 40), question) for d in asked_deeds)
        kind = KIND_BY_ATTRIBUTE.get(a.attribute) if a.attribute else KIND_BY_INTENT.get(a.intent)
        kind_rest = bool(lead and (kind is None or kind.search(_window(lead, 40)))
                       and not (a.intent is Intent.DATE and YEAR_ASKED.search(question)
                                and not YEAR_STATED.search(_window(lead, 40)))
                       and not (START_ASKED.search(question) and not START_STATED.search(lead.text))
                       and not (RANK_ASKED.search(question) and not RANK_STATED.search(lead.text))
                       and not (TARGET_ASKED.search(question) and not TARGET_STATED.search(_window(lead, 40)))
                       and not (needs_number and ACTUAL.search(question) and _planned(lead))
                       and (a.attribute or a.wants_list or a.intent not in KIND_OK or KIND_OK[a.intent](_window(lead, 40)))
                       and not (a.intent is Intent.WHO and not a.wants_list and not does_asked(question, lead))
                       and not (timed and not TIME_STATED.search(_window(lead, 40)))
                       and not (costly and not COST_STATED.search(_window(lead, 40)))  # …or of the fee, 要钱吗
                       and (not asks_members(a.names) or lead.passage.heading or names_any(a.names, lead.text)
                            or lists_counted(a, normalize(lead.text).lower())  # 攀爬网、戏水池、沙坑乐园3个游乐区
                            # a place may be named without its level (广州、深圳), but it is named
                            or a.names in PLACE_CLASSES and bool(place_names(_window(lead, 40), question))))
        if timed and lead and focus_ok and TIME_STATED.search(lead.text) and not any(
                TIME_STATED.search(c.text) for c in cands[1:4] if c.passage.paragraph_id != lead.passage.paragraph_id):
            clear = True  # the one clock time among the best sentences, by what is asked (受理): a reworded 几点 question
        if lead and bounded is lead:
            clear = True  # the asker's story (我儿子…上学) is not in the rule; its bound in the asker's unit answers
        if role[0] and lead and names_person(role, lead.text):
            clear = True  # the sentence names a person of the asked role: what 是谁 asks, however it is worded
        if (a.intent is Intent.REASON and lead and CAUSE_CUE.search(lead.text)
                and (nxt is None or lead.score - nxt.score >= CLEAR_MARGIN)):
            clear = True  # 为啥快检少了: far the best sentence, and it states a cause (主要是由于…), however it is worded
        # 会不会受影响: the clearly best sentence answers a yes/no question in its own words when it lays down a rule
        # (…原则上不得申报县级以上农业项目); a form's name (…申请表) says nothing of 盖章
        kind_ok = kind_rest and (deed_said or clear and bool(RULE_SAID.search(lead.text)))
        coverage_doc = coverage
        if lead:
            said_all = normalize(lead.text).lower() + normalize(lead.passage.title + "".join(lead.passage.clause)).lower()
            coverage_doc = max(coverage, cover(weights, {t for t in weights if t in said_all}) / total)
        evidence = EvidenceStrength(coverage=coverage, needs_number=needs_number, clear=clear, coverage_doc=coverage_doc,
                                    has_number=bool(lead and states_number(lead.text)), focus=focus, unit=unit,
                                    focus_ok=focus_ok, numbers_ok=numbers_ok,
                                    kind_ok=kind_ok,
                                    lead=lead.passage if lead else None)
        return cands, evidence


# figures of several named parts, each its own (信宜、高州、化州…分别为44.26%、43.04%、41.77%)
PARTS_EACH = re.compile(r"((?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4})[^，。；]{0,20}?分别(?:为|是|达到|达|增长|下降)")
# words of the asker's telling that no document says (我家, 咱们, 一笔, 正在, 可以)
ASKER_WORD = re.compile(r"(?:我|我们|俺|咱|咱们|你|您)(?:家|家里|们)?|一笔|一下|正在|可以|能够")
# a table's row of a whole (年度：合计；改造小区（个）：612；…)
TOTAL_ROW = re.compile(r"[^：:；;]{1,8}[：:](?:合计|总计|累计|总数)[；;]")
# a sentence reporting a draft or an opinion on it, in a legislative note (有的意见提出，草案规定…)
DRAFT_SAID = re.compile(r"草案|征求意见稿|送审稿|有的(?:意见|委员|代表|常委会组成人员|单位|部门)")
FOCUS_NEAR = 0.9  # share of the best score at which a sentence holding every focus term leads a how-question
DRAFT_NEAR = 0.6  # share of the draft sentence's score the enacted rule needs to lead instead
# a sentence that lays down a rule: what must or may not be done
RULE_SAID = re.compile(r"不得|禁止|不予|不准|应当|必须|取消|暂停")
# a sentence that refers the reader to another part (详见正文第三部分, 具体见附件2)
POINTER = re.compile(r"(?:详|参|具体)见(?:正文|附件|附表|第[一二三四五六七八九十\d]+|本[章节条])")
# a sentence that goes on from the one before it (拒不改正的，…; 情节严重的，…): it is about that sentence's deed
FOLLOWS_ON = re.compile(r"(?:拒不|逾期不|逾期未|仍不|仍未|警告后不|警告后仍不)(?:改正|整改|履行|缴纳)的|不听劝阻的|情节(?:严重|较重|特别严重)的"
                        r"|造成严重后果的"
                        r"|对(?:个人|单位)(?:可以)?(?:处|并处)")  # 对个人处…罚款: the fine of the deed just named
AREA_WORDS = r"面积|多大|亩|公顷|平方|地"  # a question that speaks of land or area in any words
YESNO_END = re.compile(r"(?:吗|么|没有|不)[？?]?$")
MODAL = frozenset("需要 能够 可以 应该 应当 必须 允许 还能 还要 还会 还有 会不会 能不能 可不可以 要不要 是不是 需不需要".split())


def lists_counted(a: QuestionAnalysis, text: str) -> bool:
    """哪三个游乐区 asked, the text names them and their count: 攀爬网、戏水池、沙坑乐园3个游乐区."""
    if not (a.wants_list and a.count and 2 <= a.count <= 10 and len(a.target) >= 2):
        return False
    count = f"(?:{a.count}|{'两二三四五六七八九十'[a.count - 2]})"
    return bool(re.search(r"、[^。；]{0,40}" + count + r"\s*[个项类种条家所座大]?" + re.escape(a.target), text))


def area_only(text: str) -> bool:
    """The sentence's figures are all areas (播种面积62.4万亩，比上年增加0.3万亩)."""
    return bool(AREA_UNIT.search(text)) and not states_number(AREA_FIGURE.sub(" ", text))


def _stated_elsewhere(terms: list[str], unit: str, lead: Candidate, cands: list[Candidate]) -> bool:
    """Some of `terms` (the asker's words the lead lacks) names another quantity than the lead's figure: it stands
    in another sentence with a figure in the asked unit, or it is a kind of the quantity the lead measures
    (耕地面积 asked, 土地总面积1.86万平方公里 said; 户籍人口 asked, 常住人口812万人 said). A one-character
    modifier is the tagger's cut (宁梓县托位 → 县托位), no kind."""
    said = normalize(lead.text).lower()
    return any(len(t) >= 4 and re.search(re.escape(t[-2:]) + r"[^，。；,;]{0,3}\d", said) for t in terms) or any(
        t in normalize(c.text).lower() for c in cands if c is not lead and counts(unit, normalize(c.text))
        for t in terms)


def _table_head(text: str) -> bool:
    """A table's head row (县市区｜地区生产总值（亿元）｜比上年增长（%）): names of columns, no figure."""
    return "｜" in text and not re.search(r"\d", text)


def _asked_nouns(question: str) -> list[str]:
    """The things the asking clause of a yes/no question speaks of (我家孩子12岁，能办游泳馆的年卡吗 → 游泳馆, 年卡):
    a rule answers it only if it speaks of most of them (骑电瓶车上学: 电瓶车, not the errand 上学)."""
    q = re.split(r"[，,；;]", YESNO_END.sub("", question.strip()))[-1]
    return [w for w, f in _tagged(q) if len(w) >= 2 and f[:1] == "n" and f != "nr"]


def yesno_deeds(question: str) -> tuple[str, ...]:
    """What a yes/no question asks is done (申请表需要盖章吗 → 盖章, 能免费吗 → 免费): the last content word of two
    or more characters before 吗 — of each alternative it asks (收检查费或者硬要买报警器 → 检查费, 报警器)."""
    q = re.split(r"[，,；;]", YESNO_END.sub("", question.strip()))[-1]  # the asking clause, not the story
    deeds = []
    for alternative in re.split(r"或者|还是|或是|或", q):
        # 取出来付 is cut 取出 / 来付: a word opening with a directional complement is the tagger's seam, no deed
        words = [w for w, f in _tagged(alternative) if len(w) >= 2 and f[:1] in ("n", "v", "a") and w not in MODAL
                 and w[0] not in "来去"]
        deeds += [words[-1].lower()] if words else []
    return tuple(deeds)


def _negated(question: str, term: str) -> bool:
    """Every mention of `term` in the question is the object of a negated verb (污水接不进管网, 没地方停车)."""
    found = [question[max(0, m.start() - 3):m.start()] for m in re.finditer(re.escape(term), question)]
    # 不准装修, 不许摆摊: a ban asked about, whose deed the answer names — not a deed the asker cannot do
    return bool(found) and all(re.search(r"[不没][\u4e00-\u9fff]{1,2}$", before)
                               and not re.search(r"不(?:准|许|让|得|能)[\u4e00-\u9fff]?$", before) for before in found)


def _holds_focus(c: Candidate, focus: tuple[str, ...], question: str) -> bool:
    text = normalize(c.text).lower()
    return all(t in text or stands(t, text, question) for t in focus)


def _to_front(cands: list[Candidate], c: Candidate | None) -> None:
    if c is not None:
        cands.remove(c)
        cands.insert(0, c)


def _planned(c: Candidate) -> bool:
    """The sentence states a target or a floor, in its words, its clause's heading or its document's title."""
    # 比年度目标少4座 / 比年度计划多开通1条: a result measured against the target is a result
    return PLANNED.search(MEASURED_AGAINST.sub("", c.text) + "".join(c.passage.clause) + c.passage.title) is not None


ATTRIBUTE_NEAR = 0.8
BANS_NEAR = 0.8
DATE_NEAR = 0.7
CITED_ARTICLE_Q = re.compile(r"违反|罚|处分|责任|后果")
EACH_LAY = re.compile(r"(?<![第这那哪])一个?([班户人家间床])(?![级业地])")  # not 一个月: every rate is 每月
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
CONTACT_STATED = re.compile(r"(?:电话|热线|联系方式)[：:]?\s*[\d（(]|联系人[：:]")
MEASURED_AGAINST = re.compile(r"(?:比|较|超额?|完成|实现|达到|距离?|离)[^，。；]{0,6}(?:目标|计划|任务)")


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


def _context(p: Passage) -> str:
    """The title and clause path a sentence stands under, without the parts that state a figure of their own."""
    parts = [p.title, *p.clause]
    return normalize("".join(x for x in parts if not STATES_FIGURE.search(x))).lower()


def _window(c: Candidate, around: int = 80) -> str:
    """The best sentence with its neighbours and clause path: where the asked-for fact must be."""
    p = c.passage
    lo, hi = max(0, c.start - around), min(len(p.paragraph), c.end + around)
    return _context(p) + normalize(p.paragraph[lo:hi]).lower()
