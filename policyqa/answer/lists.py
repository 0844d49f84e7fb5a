"""List, reason and measures questions answered by the document's structure: the items of the asked heading."""

from __future__ import annotations

import re

from policyqa.answer.analysis import GROUP_OF, HEADING_GROUPS, Intent, QuestionAnalysis, heading_names
from policyqa.answer.candidates import QUOTED, Candidate, cover
from policyqa.answer.compose import ENUMERATOR
from policyqa.answer.figures import STATES_FIGURE
from policyqa.answer.consequences import ARTICLE
from policyqa.answer.sections import (INTRO, Item, Sections, inline_items, introduced_run, numbered_run,
                                      opening_names, opens_list, section_items)
from policyqa.answer.wording import stands
from policyqa.text import bigrams, normalize, sentences

SECTION_AFTER = re.compile(r"(?:这一|这个|一)?(?:方面|章|节|部分|专栏|板块)")  # 在“…”一节 / “…”这一章
PARTS_Q = re.compile(r"哪几?[个类]?(?:方面|部分|节)|几[个类]?(?:方面|部分|节)")

INTRODUCED_SHARE = 0.5  # share of the question's own terms a lead-in (禁止下列行为：) must hold to answer a list
STEPS_NEAR = 0.8  # …and at which a rule's own procedure (按照下列程序：) answers over a sentence naming its steps
INTRO_NEAR = 0.9  # share of the lead's score at which a sentence introducing the asked items (下列条件：) answers
NAMED_HEADING = 0.8  # share of a heading's bigrams a question must hold to name it (存在问题 vs 存在哪些问题: 2/3)
INTENT_HEADINGS = {  # a heading with these words holds the answer to a question of that intent
    Intent.REASON: re.compile(r"意义|目的|原因|必要性|背景|重要性"),
    Intent.MEASURES: re.compile(r"措施|举措|路径|对策|建议|做法|办法"),
}


# 分成哪几章 / 由几个部分组成: the document's outline, its top-level headings
OUTLINE_Q = re.compile(r"(?:分成|分为|划分为|包括|包含|由|有)(?:哪几|几)个?(章|部分|篇|编)|(?:哪几|几)个?(章|篇|编)(?:组成|构成)")
CHAPTER = re.compile(r"第[一二三四五六七八九十\d]+(章|篇|编|部分)")


def outline_items(question: str, top: list[Candidate], sections: Sections) -> list[Item]:
    """The top-level headings of the best document when the question asks how it is divided."""
    m = OUTLINE_Q.search(question)
    if not m or not top:
        return []
    unit = m.group(1) or m.group(2)
    heads = [q for q in sections.section(top[0].passage, 0) if q.heading and len(q.clause) == 1]
    if unit != "部分":  # 哪几章: the chapters, not a preface or an annex
        heads = [q for q in heads if (c := CHAPTER.match(q.clause[0])) and c.group(1) == unit]
    return [Item(q, 0, len(q.paragraph)) for q in heads] if len(heads) >= 2 else []


# the aspect a list question names (在资金保障方面…哪些措施)
ASPECT_Q = re.compile(r"(?:^|[在从，,])([^在从，,？?]{2,8}?)方面")
# a Q&A's question (问四：…标准是多少？): a heading of the Q&A, never an item of what is asked
ASKS = re.compile(r"^问[一二三四五六七八九十百\d]+[：:]|[？?]$")


def questions(items: list[Item]) -> bool:
    """Half or more of `items` are a Q&A's questions, not the answer's items."""
    return sum(bool(ASKS.search(it.text.strip())) for it in items) * 2 >= len(items)


def in_article(c: Candidate, articles: list[str]) -> int:
    """The depth of the level of `c`'s clause path that one of `articles` (第三十条) opens, or 0."""
    return next((i + 1 for i, label in enumerate(c.passage.clause)
                 if (m := ARTICLE.match(label.strip())) and m.group(0) in articles), 0)


def list_items(question: str, a: QuestionAnalysis, cands: list[Candidate], sections: Sections,
               weights: dict[str, float]) -> list[Item]:
    """The items that answer a list, reason or measures question, from the document's structure: the
    enumeration the best sentence opens (建议三：…制度创新方面，…), else the sub-clauses or paragraphs of a
    top passage's clause whose heading names what is asked (哪些问题 → 存在问题; reasons → 意义) and holds
    or is named by the best sentence, else an enumeration a top sentence opens."""
    top = [c for c in cands[:8] if c.score >= 0.6 * cands[0].score]
    outline = outline_items(question, top, sections)
    if outline and not questions(outline):
        return outline

    def items_of(c: Candidate, depth: int) -> list[Item]:
        """The items of the clause `c.passage.clause[:depth]`, under its heading (or an article's opening
        paragraph: 第十三条 …符合下列条件的…：)."""
        clause = c.passage.clause[:depth]
        section = sections.section(c.passage, depth)
        head = (next((q for q in section if q.heading and q.clause == clause), None)
                or next((q for q in section if q.clause == clause), None))
        return section_items(head, section, a.count) if head is not None else []

    lead = cands[0]
    depth = in_article(lead, ARTICLE.findall(question))
    items = items_of(lead, depth) if depth else []
    if len(items) >= 2:  # 第三十条禁止哪些行为: the items of the article named, not of its chapter
        return items
    items = _quoted_heading_items(question, a, top, sections) if a.gathers else []
    if len(items) >= 2:
        return items
    items = _introduced_items(a, top, sections, weights) if a.wants_list else []
    if len(items) >= 2:
        return items
    items = _named_heading_items(question, a, top, sections) if a.gathers else []
    if len(items) >= 2 and not questions(items):
        return items
    if INTRO.search(lead.text) and lead.passage.clause:
        items = items_of(lead, len(lead.passage.clause))  # 应当符合下列条件：the clause's items follow
        if len(items) >= 2:
            return items
    asked = a.target if len(a.target) >= 2 else ""
    for c in top[1:3]:  # a sentence introducing the asked items (应当符合下列条件：) nearly as good as the lead
        if (asked and heading_names(asked, c.text) and INTRO.search(c.text) and c.passage.clause
                and (c.score >= INTRO_NEAR * lead.score and not (INTRO.search(lead.text) or enumerates(lead))
                     or c.score >= STEPS_NEAR * lead.score and a.asks_steps and not INTRO.search(lead.text))):
            # (a lead that merely says the word, 符合…条件的，发给证书, lists nothing; a lead that names the steps,
            # 规定了核查、评审、公示四个环节, says less of each than the rule's own 按照下列程序：)
            items = items_of(c, len(c.passage.clause))
            if len(items) >= 2:
                return items
    items = inline_items(lead.passage, lead.start, a.count)
    if (len(items) >= 2 and (not a.count or len(items) == a.count) and items[0].start < lead.end + 2
            and opens_list(items[0]) and not (a.kind_asked and other_kind(a.target, lead.text))):
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
        return cover(plain, {t for t in plain if t in label}) / plain_total >= 0.5

    def targets(label: str) -> bool:
        return heading_names(target, label)

    own = [c for c in top if c.passage.clause]
    fits = (lambda items: len(items) == a.count) if a.count else (lambda items: len(items) >= 2)

    lead_text = normalize(lead.text).lower()
    lead_enumerates = enumerates(lead)

    def leads_to(clause: tuple[str, ...]) -> bool:
        """The best sentence lies in this clause, or names it (an overview listing the sections). A best
        sentence that enumerates deeper down answers itself: its clause is narrower than this one."""
        label = ENUMERATOR.sub("", normalize(clause[-1]).lower())
        inside = lead.passage.clause[:len(clause)] == clause
        if inside:
            return not (lead_enumerates and len(lead.passage.clause) > len(clause))
        above = clause[:len(lead.passage.clause)] == lead.passage.clause  # the lead introduces its part
        return above or len(label) >= 4 and label in lead_text

    def search(test, up: int) -> list[Item]:
        for c in own:
            depth = len(c.passage.clause) - up
            if depth < 1 or up and covers(normalize(c.passage.clause[-1]).lower()):
                continue  # the passage's own clause is the one the question names: not its parent
            if depth == 1 and sections.articles(c.passage.doc):
                continue  # a page of several reports: the top level is a report's title, not a clause
            if up and names(normalize(c.passage.clause[depth]).lower()):
                continue  # the passage's own heading (第二节 重大意义) names what is asked: its parent lists siblings
            label = normalize(c.passage.clause[depth - 1]).lower()
            # the best-retrieved clause whose heading is the asked thing answers even when the best
            # sentence stands elsewhere
            if test(label) and (leads_to(c.passage.clause[:depth]) or c.passage.rank == 1 and targets(label)):
                items = items_of(c, depth)
                if fits(items) and not sibling_headings(items, question):
                    return items
        return []

    aspect = ASPECT_Q.search(question)
    if aspect and lead.passage.clause and aspect.group(1) in normalize(lead.passage.clause[-1]):
        # 在资金保障方面采取了哪些措施: the best sentence's clause is named for that aspect (（二）强化资金保障): its own
        # items, or its sentences — not its parent's headings
        items = items_of(lead, len(lead.passage.clause))
        return items if fits(items) else []
    items = search(names, 0)  # the clause a top passage is in names what is asked
    if items:
        return items
    for c in own if target and a.intent is not Intent.WHO and not a.names else []:
        # 分哪几个阶段: the best sentence stands under one （一）…阶段 of several; their parent's items are the answer
        if len(c.passage.clause) >= 2 and target in c.passage.clause[-1]:
            items = items_of(c, len(c.passage.clause) - 1)
            if fits(items) and sum(target in it.text for it in items) >= 2:
                return items
    items = _synonym_heading_items(a, top, sections)
    if items:
        return items
    if lead_enumerates:
        return []  # the best sentence lists the items itself (…码头、…管线): it answers as it stands
    # a heading that holds most of a list question's terms (六、优化“大环境”，强化资源要素支撑)
    items = search(targets, 1) or (search(covers, 0) if a.wants_list else [])
    if items:
        return items
    key = {t: w for t, w in plain.items() if t not in normalize(lead.passage.title).lower()}
    key_total = sum(key.values())

    def introduced(c: Candidate, items: list[Item]) -> bool:
        """Another paragraph's enumeration answers only under a lead-in or heading that holds most of the
        question's own terms (those of the document's title name the document, not this list): the 一是…四是
        of the problems is no answer to how the money is secured."""
        if c.passage.paragraph_id == lead.passage.paragraph_id or c.passage.clause and c.passage.clause == lead.passage.clause:
            return True
        text = c.passage.paragraph
        before = [s for s, _ in sentences(text) if s < items[0].start][-2:]
        lead_in = text[before[0]:items[0].start] if before else ""
        label = normalize(lead_in + " " + (c.passage.clause[-1] if c.passage.clause else "")).lower()
        return not key_total or cover(key, {t for t in key if t in label}) / key_total >= 0.5

    for c in top:
        items = inline_items(c.passage, c.start, a.count)
        if fits(items) and items[0].start < c.end + 2 and opens_list(items[0]) and introduced(c, items):
            return items
    return []


def sibling_headings(items: list[Item], question: str) -> bool:
    """The items are headings one of which the question names almost whole (第一节 发展基础 / 第二节 重大意义
    for …有什么重大意义): that is the asked heading among its siblings, so they list its parent, not its items."""
    asked = bigrams(normalize(question).lower())
    for it in items:
        label = bigrams(normalize(ENUMERATOR.sub("", it.text)).lower())
        if it.passage.heading and len(label) >= 2 and len(label & asked) >= NAMED_HEADING * len(label):
            return True
    return False


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
                items = section_items(head, section, a.count)
                if len(items) >= 2:
                    return items
    return []


def _introduced_items(a: QuestionAnalysis, top: list[Candidate], sections: Sections, weights: dict[str, float]
                      ) -> list[Item]:
    """A rule's article that introduces the asked things (第十一条 禁止下列行为：, 物业服务企业应当履行下列职责：)
    answers with its items, wherever in the best document it stands: the question's own terms (not those
    naming the document) must stand in the lead-in."""
    target = a.target if len(a.target) >= 2 else ""
    if not target or not top:
        return []
    doc = top[0].passage
    paragraphs = sections.section(doc, 0)
    named = normalize(doc.title + opening_names((p.paragraph, p.clause, p.heading) for p in paragraphs)).lower()
    key = {t: w for t, w in weights.items() if t not in named and t != target}
    total = sum(key.values())
    lead_in = re.compile(r"(?:下列|以下|如下)[^。；：:]{0,6}" + re.escape(target))
    best: tuple[float, list[Item]] | None = None
    for head in paragraphs:
        text = normalize(head.paragraph).lower()
        if not (head.clause and ARTICLE.match(head.clause[-1].strip()) and lead_in.search(text)):
            continue
        # in the rule's words or the official ones of the asker's (给狗上户口 → 办理养犬登记)
        share = cover(key, {t for t in key if t in text or stands(t, text, a.question)}) / total if total else 1.0
        if share < INTRODUCED_SHARE or best and share <= best[0]:
            continue
        # its items follow (禁止下列行为：) or run on in its own paragraph (应当符合以下要求：A；B；C。)
        items = section_items(head, sections.section(head, len(head.clause)), a.count) if INTRO.search(text) else []
        items = items if len(items) >= 2 else introduced_run(head)
        if len(items) >= 2:
            best = (share, items)
    return best[1] if best else []


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
            items = section_items(head, sections.section(head, len(head.clause)), a.count)
            if len(items) >= 2 and (not a.count or len(items) == a.count):
                return items
    return []


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
        paragraphs = sections.section(c.passage, 0)
        # a decree's opening lines (…人民政府令 / X办法) name the rules it issues, as a title does
        title = bigrams(normalize(c.passage.title + opening_names((p.paragraph, p.clause, p.heading) for p in paragraphs)).lower())
        several = sections.articles(doc) > 0  # a page of reports: the top level is a report's title
        for head in paragraphs:
            if not head.heading or not head.clause or several and len(head.clause) == 1:
                continue
            # words the heading shares with the document's title name the document, not the part
            label = bigrams(normalize(ENUMERATOR.sub("", head.paragraph)).lower()) - title
            if len(label) < 3:
                continue  # too little of its own to name a part
            share = len(label & asked) / len(label)
            if share < NAMED_HEADING or best and (share, len(label)) <= best[:2]:
                continue
            items = section_items(head, sections.section(head, len(head.clause)), a.count)
            if len(items) >= 2 and (not a.count or len(items) == a.count):
                best = (share, len(label), items)
    return best[2] if best else []


def enumerates(c: Candidate) -> bool:
    """A sentence that lists several items itself (A、B、C or A；B；C)."""
    return not c.passage.heading and (c.text.count("、") >= 3 or c.text.count("；") >= 2)


def introduces(c: Candidate) -> bool:
    """A heading, a line ending in a colon, or a short sentence that names rather than states."""
    text = c.text.rstrip()
    if c.passage.heading and STATES_FIGURE.search(text):
        return False  # a headline that states a figure is a statement: it answers, it does not introduce
    return c.passage.heading or text.endswith(("：", ":")) or len(normalize(text)) < 20


def other_kind(target: str, text: str) -> bool:
    """`text` introduces another kind of section than the one asked (面临着诸多挑战 for 有哪些机会)."""
    group = GROUP_OF.get(target, ())
    return bool(group) and not any(w in text for w in group) and any(
        w in text for g in HEADING_GROUPS if g is not group for w in g if len(w) >= 2)
