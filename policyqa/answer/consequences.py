"""What follows a deed or a step: the penalty where a rule is cited, and the steps after a named one."""

from __future__ import annotations

import re

from policyqa.answer.analysis import QuestionAnalysis
from policyqa.answer.candidates import Candidate
from policyqa.answer.wording import stands
from policyqa.text import cn_to_int, normalize

# a question for what follows a deed (会怎么处理, 怎么罚, 有什么后果): a penalty, stated where the rule is cited
CONSEQUENCE_Q = re.compile(r"会(?:怎么|怎样|如何)(?:处理|办|样)|(?:怎么|怎样|如何)(?:处罚|罚)|会被(?:怎么|怎样|如何)"
                           r"|什么(?:后果|处罚|法律责任)|承担什么责任")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
ITEM_NO = re.compile(r"[（(][一二三四五六七八九十]+[)）]")


def violation_said(question: str, weights: dict[str, float], window: str, title: str) -> bool:
    """A fine question's deed (超速, 在楼道里充电 — its words before 罚, less the document's subject named in its title)
    stands around the fine's sentence or the rule it cites, in part at least (不戴头盔 → 未佩戴安全头盔): a fine is for
    one violation, and another's is no answer."""
    deed = _deed(question, weights, title)
    return not deed or violation_weight(question, weights, window, title) > 0


def violation_weight(question: str, weights: dict[str, float], window: str, title: str) -> float:
    """How much of a fine question's deed stands around a sentence: of two fines that both name the vehicle, the one
    that also names the place (电梯) is the deed's."""
    return sum(weights[t] for t in _deed(question, weights, title) if t in window or stands(t, window, question))


def _deed(question: str, weights: dict[str, float], title: str) -> list[str]:
    return [t for t in weights if len(t) >= 2 and t in question[:question.find("罚")]
            and t not in title and not stands(t, title, question)]


# an item cited with brackets (第（三）项) or without (第三项, 第一款第三项)
_CITED_ITEM = r"(?:第[一二三四五六七八九十]+款)?第?(?:[（(][一二三四五六七八九十]+[)）]项?|[一二三四五六七八九十]+项)"
CITED = re.compile(r"(第[一二三四五六七八九十百零〇\d]+条)((?:(?:[、和及至到—－-]|以及)?" + _CITED_ITEM + r")*)")
_ITEM_IN_CITATION = re.compile(r"[（(]([一二三四五六七八九十]+)[)）]|第?([一二三四五六七八九十]+)项")
# a sanction stated outright, without citing an article (对骗取补贴的，由…追回…，并取消…资格)
SANCTION = re.compile(r"追回|罚款|没收|取消[^，。]{0,8}资格|纳入[^，。]{0,8}信用|移送[^，。]{0,6}(?:司法|公安)机关|追究[^，。]{0,6}责任"
                      r"|责令(?:改正|限期|停止|退还)|吊销|暂停")


def cited_numbers(citation: str) -> list[str]:
    """The items a citation names, ranges spelled out (第（三）项至第（五）项 → （三）（四）（五））."""
    found = list(_ITEM_IN_CITATION.finditer(citation))
    out = [f"（{m.group(1) or m.group(2)}）" for m in found]
    for a, b in zip(found, found[1:]):
        between = citation[a.end():b.start()]
        lo, hi = cn_to_int(a.group(1) or a.group(2)), cn_to_int(b.group(1) or b.group(2))
        if re.search(r"至|到|—|－|-", between) and lo and hi and hi - lo > 1:
            out += [f"（{_CN_ITEMS[k]}）" for k in range(lo + 1, hi) if k < len(_CN_ITEMS)]
    return out


_CN_ITEMS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def article_of(clause: tuple[str, ...]) -> tuple[str, ...]:
    """The clause path from its article (第七条) down, below any chapter or section (第三章 管理与服务)."""
    at = next((k for k, x in enumerate(clause) if ARTICLE.match(x)), None)
    return clause[at:] if at is not None else clause


def cited_rule(question: str, weights: dict[str, float], lead: Candidate, cands: list[Candidate]) -> Candidate | None:
    """The item of a rule the fine's sentence cites that names the asked deed (乱搭棚子 → （三）擅自搭建建筑物、构筑物):
    quoted after the fine, it shows what the fine is for."""
    if "罚" not in question:
        return None
    deed = [t for t in weights if len(t) >= 2 and t in question[:question.find("罚")]]
    own = article_of(lead.passage.clause)[:1]
    for m in CITED.finditer(lead.passage.paragraph):
        items = cited_numbers(m.group(2))
        for d in cands:
            path = article_of(d.passage.clause)
            if path[:1] == own or not path or not path[0].startswith(m.group(1)):
                continue
            text = normalize(d.text).lower()
            if items and not any(x.startswith(tuple(items)) for x in path[1:]):
                continue  # 违反…第二十条第三项: item (五) of that article is another deed
            if ITEM_NO.match(text) and any(t in text or stands(t, text, question) for t in deed):
                return d
    return None


# a sanction citing other articles of its own document (违反本条例第十二条第一款规定…): the cited articles list the
# deeds it sanctions
OWN_CITATION = re.compile(r"本(?:条例|办法|规定|细则|法)((?:第[一二三四五六七八九十百零〇\d]+条[^，。；：]{0,12}?)+)规定")


def own_citations(text: str) -> list[str]:
    """The articles of its own document `text` cites (第十条, 第十一条), in order."""
    return list(dict.fromkeys(n for m in OWN_CITATION.finditer(text) for n in ARTICLE.findall(m.group(1))))


def cited_items(lead: Candidate, cands: list[Candidate]) -> str:
    """The text of the rules the lead's paragraph cites (违反本办法第六条第（一）项、第（二）项… → those items; 违反本办法
    第七条… → that article), from the retrieved sentences."""
    out = []
    own = article_of(lead.passage.clause)[:1]
    for m in CITED.finditer(lead.passage.paragraph):
        items = [x.replace("(", "（").replace(")", "）") for x in cited_numbers(m.group(2))]
        for d in cands:
            path = article_of(d.passage.clause)
            if path[:1] == own or not any(x.startswith(m.group(1)) for x in path[:1]):
                continue
            if not items or any(x.startswith(tuple(items)) for x in path[1:]):
                out.append(normalize(d.text).lower())
    return "".join(dict.fromkeys(out))


def citing(c: Candidate, cands: list[Candidate]) -> Candidate | None:
    """The sentence of another article that cites the article or item `c` stands in (违反本办法第六条第（一）项…)."""
    art = next((m.group(0) for x in c.passage.clause if (m := ARTICLE.match(x))), None)
    item = next((m.group(0) for x in reversed(c.passage.clause) if (m := ITEM_NO.match(x))), None)
    if not art:
        return None
    for d in cands:
        at = d.text.find(art)
        if at < 0 or article_of(d.passage.clause)[:1] == article_of(c.passage.clause)[:1]:
            continue  # the rule itself is no consequence of it
        cited = d.text[at + len(art):]
        named = CITED.match(d.text[at:])
        if item and item in cited_numbers(named.group(2) if named else "") or cited.startswith("规定"):
            # a whole article's citation covers its items; a range (（三）项至（五）项) those between
            return d
    return None


RULE_NEAR = 0.5  # share of the best sentence's score a rule needs for its sanction to answer (set on our dev sets)


def consequence(question: str, cands: list[Candidate], top: int = 3, limit: int = 300) -> list[Candidate]:
    """A question for what happens after a prohibited deed, whose best sentence is an item of a rule (第六条（一）在楼梯间
    充电): the sentence of another article that cites that item (违反本办法第六条第（一）项…的，由…责令改正), and the
    sentence that continues it (拒不改正的，…罚款)."""
    if not CONSEQUENCE_Q.search(question):
        return []
    for c in cands[:top]:
        if c.score < RULE_NEAR * cands[0].score:
            break  # a rule far below the best sentence is another deed's (不得遗弃 under 承担侵权责任)
        d = citing(c, cands)
        if d is not None:
            own = sorted((e for e in cands if e.passage.paragraph_id == d.passage.paragraph_id and e.start >= d.start),
                         key=lambda e: e.start)
            out, length = [], 0
            for e in own[:2]:
                if out and (length + len(e.text) > limit or e.start - out[-1].end > 2):
                    break
                out.append(e)
                length += len(e.text)
            if out[-1].text.rstrip().endswith(("：", ":")):  # …按照下列规定处以罚款：the fines are its items
                clause = d.passage.clause
                items = sorted((e for e in cands if e.passage.doc == d.passage.doc and len(e.passage.clause) > len(clause)
                                and e.passage.clause[:len(clause)] == clause), key=lambda e: e.order)
                for e in items:
                    if length + len(e.text) > limit:
                        break
                    out.append(e)
                    length += len(e.text)
            return out
    return []


AFTER_STEP = re.compile(r"^(.{2,20}?)(?:以后|之后|后)[，,]")
STEP_DONE = frozenset("通过 合格 完成 结束 办完 批准 以后 之后".split())


def next_steps(question: str, a: QuestionAnalysis, cands: list[Candidate], top: int = 3, limit: int = 300
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
    def said(d: Candidate) -> int:
        text = normalize(d.text).lower()
        return sum(t in text or stands(t, text, question) for t in a.focus)

    lead = max(run, key=lambda d: (said(d), -d.start))
    return [lead] + [d for d in run if d is not lead]
