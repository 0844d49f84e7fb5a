"""Answer text from chosen spans: every quote verbatim, followed by the number [n] of the paragraph it quotes."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from policyqa.answer.sections import Item
from policyqa.answer.types import Citation, Passage
from policyqa.text import cn_to_int, normalize

CLAUSE_SPLIT = re.compile(r"[^，,：:]*[，,：:]?")
ITEM_SPLIT = re.compile(r"[^，,：:、]*[，,：:、]?")
NUMBER = re.compile(r"\d|[一二三四五六七八九十百]+分之[一二三四五六七八九十百]+|[一二三四五六七八九十百千万亿两]+(?:点[一二三四五六七八九十零〇]+)?"
                    r"(?:[个家项条所座倍元年日天月岁人名次户吨亩周米只张台辆间]|小时|分钟|公里|工作日|季度|星期|%|％)|[%％]")
# an ordinal names a place in the document (第五条, 第（三）项, （二）), it states no figure
ORDINAL = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条章节款项篇部编]|第?[（(][一二三四五六七八九十\d]+[)）]项?"
                     r"|(?:附件|附表|专栏|表|图)\s*\d+(?![\d.]*\s*[%万亿千百元个人项])")  # 附件1 numbers a part, states no figure


def states_number(text: str) -> bool:
    """`text` states a figure: a number that is not an ordinal (第五条 states none)."""
    return bool(NUMBER.search(ORDINAL.sub(" ", text)))


ENUMERATOR = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[①②③④⑤⑥⑦⑧⑨⑩]|第[一二三四五六七八九十\d]+[条章节项])")


class Citations:
    """The citations of one answer: one per quoted paragraph, numbered in order of first use."""

    def __init__(self):
        self._by_pid: dict[str, Citation] = {}

    def cite(self, p: Passage, s: int, e: int) -> int:
        cit = self._by_pid.get(p.paragraph_id)
        if cit is None:
            cit = Citation(n=len(self._by_pid) + 1, doc=p.doc, title=p.title, clause=p.label,
                           paragraph_id=p.paragraph_id, text=p.paragraph, quote=p.paragraph[s:e], span=(s, e),
                           source=p.source)
        elif (s, e) != cit.span:
            lo, hi = min(s, cit.span[0]), max(e, cit.span[1])
            cit = replace(cit, span=(lo, hi), quote=p.paragraph[lo:hi])
        self._by_pid[p.paragraph_id] = cit
        return cit.n

    def all(self) -> list[Citation]:
        return list(self._by_pid.values())


NOTE_AFTER = re.compile(r"[。！？][（(][^（）()]*[）)]$")  # a parenthesised note after a sentence's end


ANSWER_LABEL = re.compile(r"\s*(?:答|回答|解答|A)\s*[:：]\s*|\s*【答】\s*")


def quoted(p: Passage, s: int, e: int, citations: Citations) -> str:
    """The span as one answer sentence: verbatim, its end mark after the citation number."""
    label = ANSWER_LABEL.match(p.paragraph, s, e)
    if label and e - label.end() >= 6:
        s = label.end()  # 答：参保居民…: a policy Q&A's label is no part of what the document says
    quote = p.paragraph[s:e]
    body = quote.rstrip("，,：:。；;！!？? ")
    end = quote[len(body):].strip()
    end = end if end and end[0] in "。！？!?" else "。"
    if NOTE_AFTER.search(body):
        end = ""  # …建设。（牵头单位：…）[1]: the note closes a sentence already ended
    return f"{body}[{citations.cite(p, s, e)}]{end}"


def count_lead(n: int, question: str) -> str:
    """The count line that opens a list answer ("共5个方面："); the support check accepts it as is."""
    part = re.search(r"(?:哪几|几)个?(章|部分|篇|编)", question)
    noun = "个方面" if re.search(r"几个?方面|哪些方面|什么方面", question) else (
        "个部分" if part.group(1) == "部分" else part.group(1)) if part else "项"
    return f"共{n}{noun}："


def list_block(items: list[Item], question: str, citations: Citations) -> str:
    """All items in document order, one per line, each cited, after the count."""
    lines = [count_lead(len(items), question)]
    for k, item in enumerate(items, 1):
        line = quoted(item.passage, item.start, item.end, citations)
        lines.append(line if ENUMERATOR.match(item.text) else f"{k}. {line}")
    return "\n".join(lines)


# a band of a measured quantity (80周岁至89周岁, 200万元（含）至500万元, 60分（含）至75分, 100周岁以上): a clause whose band
# holds the asker's own quantity (我奶奶92岁, 研发费用大概300万, 只打了70分) is the one for them
BAND_UNIT = r"周岁|岁|亿元|万元|万美元|美元|元|万|分|人|平方米|亩|个月|小时"
_NUM = r"(\d+(?:\.\d+)?)"
_INCL = r"\s*(?:[（(]含[）)])?\s*"
BAND = re.compile(_NUM + rf"\s*({BAND_UNIT})?{_INCL}(?:至|到|-|—|～|~){_INCL}" + _NUM + rf"\s*({BAND_UNIT})"
                  + "|" + _NUM + rf"\s*({BAND_UNIT}){_INCL}(?:及|或者?)?(以上|以下)")
# the asker's quantity: a number with a band's unit, not itself a bound (3000元以上) or a band's end
HELD = re.compile(r"(?<![\d.至到\-—～~])(?:今年)?" + _NUM + rf"\s*({BAND_UNIT})(?![\d（(]|\s*(?:以上|以下|至|到|及|-|—|～|~))|今年(\d+)了")
# a head count told in words or figures (才二十来个员工, 30多名职工): people, however they are called
HEADS = re.compile(r"(\d+|[一二两三四五六七八九十百]+)\s*(?:来|多)?\s*[个名位]?(?:员工|职工|工人|雇员|人)(?![\d（(]|以上|以下)")
_SAME = {"周岁": "岁", "万": "万元"}


# …told in words, about (进出口才三百来万美元, 五十多岁)
HELD_WORDS = re.compile(r"([一二两三四五六七八九十百千]+)\s*(?:来|多)?\s*(" + BAND_UNIT + r")(?![\d（(]|\s*(?:以上|以下|至|到))")


def asker_quantities(question: str) -> list[tuple[float, str]]:
    """The quantities the asker states of themselves (我奶奶92岁, 研发费用大概300万, 我爸今年85了, 二十来个员工,
    三百来万美元), with their unit."""
    told = [(float(m.group(1)), _SAME.get(m.group(2), m.group(2))) if m.group(1) else (float(m.group(3)), "岁")
            for m in HELD.finditer(question)]
    told += [(float(cn_to_int(m.group(1))), _SAME.get(m.group(2), m.group(2))) for m in HELD_WORDS.finditer(question)
             if m.group(2) != "人"]  # a head count is read apart, below
    heads = [(float(cn_to_int(m.group(1))), "人") for m in HEADS.finditer(question)]
    return told + [h for h in heads if h not in told]


def holds(clause: str, value: float, unit: str) -> bool:
    """`clause` states a band, in `unit`, that `value` falls in."""
    for m in BAND.finditer(clause):
        if m.group(1):
            u = _SAME.get(m.group(4), m.group(4))
            lo, hi = float(m.group(1)), float(m.group(3))
        else:
            u = _SAME.get(m.group(6), m.group(6))
            lo, hi = (float(m.group(5)), math.inf) if m.group(7) == "以上" else (0.0, float(m.group(5)))
        if u == unit and lo <= value <= hi:
            return True
    return False


# a bound in a unit (年满十六周岁, 不超过3万元, 60平方米以下): a rule the asker's own quantity is measured against
_CN_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
_BOUND_BEFORE = r"(?:年满|满|未满|不满|不足|超过|不超过|不得超过|不少于|不低于|低于|高于|至少|最多|最高|最低)"


def states_bound(clause: str, unit: str) -> bool:
    """`clause` lays down a bound in `unit` (the unit of the asker's quantity: 我儿子刚满15岁 → 岁)."""
    units = [u for u, same in [*_SAME.items(), (unit, unit)] if same == unit] + [unit]
    u = "(?:" + "|".join(map(re.escape, sorted(set(units), key=len, reverse=True))) + ")"
    before = _BOUND_BEFORE + r"[^，。；,;：:\d]{0,4}?" + _CN_NUM + u  # 最高补助3万元
    after = _CN_NUM + u + r"(?:及|或者?)?(?:以上|以下|以内)"  # 60平方米以下
    return bool(re.search(before + "|" + after, normalize(clause)))


def trim(text: str, weights: dict[str, float], limit: int = 110, want_number: bool = False,
         focus: tuple[str, ...] = (), cut: bool = True, own: tuple[tuple[float, str], ...] = ()) -> tuple[int, int]:
    """A long sentence shrinks to its clauses around the best-matching one (still verbatim).
    `want_number`: the clause that holds a number — next to what it measures (`focus`) — answers; `own`: the
    asker's quantities (我奶奶92岁), whose band's clause answers."""
    if len(text) <= limit:
        return (lead_cut(text, 0, len(text), weights, focus) if want_number and cut else 0), len(text)
    # a number asked for inside a long enumeration (…、甲港某新港区30万吨级原油码头、…) is its item
    split = ITEM_SPLIT if want_number and text.count("、") >= 3 else CLAUSE_SPLIT
    parts = [(m.start(), m.end()) for m in split.finditer(text) if m.end() > m.start()]
    bonus = 1.5 if want_number else 0.5
    scores = [_cover(weights, normalize(text[s:e]).lower()) + (bonus if states_number(text[s:e]) else 0)
              + (2.0 if want_number and states_number(text[s:e]) and any(t in text[s:e].lower() for t in focus) else 0)
              for s, e in parts]
    aged = [k for k, (s, e) in enumerate(parts) if want_number and own and states_number(text[s:e])
            and any(holds(text[s:e], v, u) for v, u in own)]
    measured = aged or [k for k, (s, e) in enumerate(parts) if want_number and states_number(text[s:e])
                        and any(t in text[s:e].lower() for t in focus)]
    # the number next to what it measures answers, however well a clause of names only matches
    i = max(measured or range(len(parts)), key=lambda k: scores[k])
    if split is ITEM_SPLIT and states_number(text[parts[i][0]:parts[i][1]]):
        return parts[i][0], parts[i][1] - (text[parts[i][1] - 1] in "、，,：:")
    lo = hi = i
    while True:
        grown = False
        for j in (lo - 1, hi + 1):
            if 0 <= j < len(parts) and scores[j] > 0:
                span = parts[min(lo, j)][0], parts[max(hi, j)][1]
                if span[1] - span[0] <= limit:
                    lo, hi = min(lo, j), max(hi, j)
                    grown = True
        if not grown:
            break
    if hi < len(parts) - 1 and text[parts[hi][1] - 1] in "：:":
        hi += 1  # a label (责任单位：) is quoted with what it names
    while parts[hi][1] - parts[lo][0] < 30 and (lo > 0 or hi < len(parts) - 1):
        if hi < len(parts) - 1:
            hi += 1
        else:
            lo -= 1
    s, e = parts[lo][0], parts[hi][1]
    return (lead_cut(text, s, e, weights, focus) if want_number and cut else s), e


# clauses of a figure sentence: cut at ，； and at an end mark inside it (a quotation: …钱。”赵某说，)
FIGURE_CLAUSE = re.compile(r"[^，,；;。！？!?]*(?:[，,；;]|[。！？!?][”’」』]*)?")
# a news dateline or source (本报讯（记者…）, 记者从…获悉, 据…介绍, 日前): it says who reports, not what is asked
DATELINE = re.compile(r"(?:本报讯|本报[^，,（(]{0,12}电|[^，,（(]{0,12}社[^，,（(]{0,12}电)[（(][^（）()]*[）)]"
                      r"|记者(?:从[^，,。]{1,30})?(?:获悉|了解到|看到)|据[^，,。]{0,30}(?:介绍|了解|统计|报道|消息|悉)"
                      r"|日前|近日|近期|据悉|\d{1,2}月\d{1,2}日")
# a clause that only says when (今年一季度，到2028年，): kept before the figure it dates
WHEN = re.compile(r"^(?:(?:到|至|截至|截止到?)?(?:\d{4}年|今年|去年|明年|全年|本年|年末|年底|年初)?"
                  r"(?:底|末|初|上半年|下半年|前?[一二三四1-4]季度|\d{1,2}月份?)?|按[^，,]{1,12}(?:计算|统计|口径))[，,]$")
# a clause that continues the figure before it (比上年增长…, 占…): it has no subject of its own
CONTINUES = re.compile(r"^(?:比|同比|环比|较|增长|下降|提高|降低|增加|减少|上升|年均|占)")
SHORT = 60  # a one-figure sentence this short is read at a glance: quoted whole
CONDITION = re.compile(r"的[，,]$")  # 未按规定…的，处…罚款: the deed the figure is for
SPEECH = re.compile(r"[“\"「『][^”」』]*[。！？!?…][”」』]")  # “…。” is someone's words; “某某产业带” a name
LABEL = re.compile(r"^[^，,：:]{1,10}[：:]")  # 乙段：… names what the clauses after it are about
SCOPE = re.compile(r"^(?:[^，,]{0,6}(?:年来|以来|期间)|截至|截止|到\d|至\d)")  # 三年来，截至8月4日，


def _outside_brackets(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses joined where a break falls inside brackets: （大于1，表明…） is one aside, not two clauses."""
    out: list[tuple[int, int]] = []
    for a, b in parts:
        before = text[:a]
        if out and before.count("（") + before.count("(") > before.count("）") + before.count(")"):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def lead_cut(text: str, s: int, e: int, weights: dict[str, float], focus: tuple[str, ...]) -> int:
    """Where a quote of a number answer starts: at the clause naming what is measured, so the asked figure comes
    first — not after a dateline or other measures' figures. Returns `s` when no clause can go."""
    parts = _outside_brackets(text, [(s + m.start(), s + m.end()) for m in FIGURE_CLAUSE.finditer(text[s:e])
                                     if m.end() > m.start()])
    asked = {n for t in weights for n in re.findall(r"\d+", t)}
    # a clause restating the question's own numbers (到2028年) states no figure of its own
    figure = [k for k, (a, b) in enumerate(parts) if states_number(text[a:b])
              and not set(re.findall(r"\d+", text[a:b])) <= asked]
    from policyqa.answer.analysis import qualifiers  # late: analysis imports modules that import this one
    # the asked figure's qualifiers (每户 → 户均, 县级): a clause stating them holds the asked measure
    kinds = {q for q in qualifiers(" ".join(weights), year=False) if q[0] in ("per", "level", "grade")}
    named = [k for k, (a, b) in enumerate(parts) if any(t in text[a:b].lower() for t in focus)]
    scores = {k: _cover(weights, normalize(text[a:b]).lower()) + (2.0 if k in named else 0) for k, (a, b) in
              enumerate(parts)}
    if not figure or max(scores[k] for k in figure) <= 0:
        return s  # no figure we can tell asked
    qualified = [k for k in figure if kinds & qualifiers(text[parts[k][0]:parts[k][1]], year=False)]
    f = max(qualified or figure, key=lambda k: scores[k])
    first = 0  # the first clause after the dateline
    while first < f and not DATELINE.sub("", text[parts[first][0]:parts[first][1]]).strip("，,；; "):
        first += 1
    if f == first:
        return parts[first][0]
    other = [k for k in figure if k != f and k >= first]
    if (e - parts[first][0] <= SHORT and not other) or any(CONDITION.search(text[a:b]) for a, b in parts[first:f]):
        return parts[first][0]  # a short one-figure sentence, or a condition the figure is for: whole
    start = f
    if f not in named:  # the subject (赵某说，他家…6.5万元) names what the figure measures
        start = next((k for k in range(f - 1, first - 1, -1) if k in named), f)
    if start == f > first and CONTINUES.match(text[parts[f][0]:parts[f][1]]):
        start -= 1  # 比上年增长6.5% is the change of the figure before it
    if start > first and start - 1 not in figure and scores[start - 1] > 0:
        start -= 1  # a clause of the question's words without a figure of its own: the subject of the figure
    while start > first and WHEN.match(text[parts[start - 1][0]:parts[start - 1][1]]):
        start -= 1
    # only a dateline, a quotation or another measure's figure goes: a clause of scope (三年来，截至8月4日，乙段：)
    # says which figure this is, so the quote starts at the first such clause
    quoting, kept = False, start
    for k in range(first, start):
        clause = text[parts[k][0]:parts[k][1]]
        opens = bool(re.match(r"[“\"「『]", clause)) and bool(SPEECH.match(text, parts[k][0]))
        closes = bool(re.search(r"[”」』][，,]?$", clause))
        if not (quoting or opens or _droppable(clause, k in figure)):
            kept = k
            break
        quoting = (quoting or opens) and not closes  # a resident's words, to the closing mark: not the document's
    return parts[kept][0]


def _droppable(clause: str, has_figure: bool) -> bool:
    """A clause before the asked figure that may go: a dateline, or another measure's figure that is no scope."""
    if not DATELINE.sub("", clause).strip("，,；; "):
        return True
    return has_figure and not (WHEN.match(clause) or LABEL.match(clause) or SCOPE.match(clause))


def _cover(weights: dict[str, float], text: str) -> float:
    return sum(w for t, w in weights.items() if t in text)

