"""Lay wording on the answer side: the everyday words of a question (地盘, 住着多少人, 树林覆盖) and the official
terms a document states its figures in (土地总面积, 常住人口, 森林覆盖率). The pairs are the lexical side's table
(`policyqa/retrieve/lay_terms.tsv`), read with its `LayTerms` class, plus a few words of what a figure measures.
A lay term only stands for its official term; whether the sentence states the kind of figure asked (an area for
多大, a count of people for 多少人) is checked apart, by the asked unit."""

from __future__ import annotations

import re
from functools import lru_cache

from policyqa.retrieve.expansion import LayTerms, says

# dialect question words, written as the question patterns know them (要带啥材料 → 要带什么材料)
_DIALECT = ((re.compile(r"啥子|啥"), "什么"), (re.compile(r"咋样"), "怎样"), (re.compile(r"咋(?:个)?"), "怎么"),
            (re.compile(r"多会儿"), "什么时候"))


def plain_wh(question: str) -> str:
    """The question with dialect question words in standard form (啥 → 什么, 咋 → 怎么)."""
    for pattern, standard in _DIALECT:
        question = pattern.sub(standard, question)
    return question


# what a figure measures, in lay words, beside the table (经济总量 → 地区生产总值)
_EXTRA = {"经济总量": ("地区生产总值", "生产总值", "gdp"), "经济规模": ("地区生产总值", "生产总值", "gdp"),
          "gdp": ("地区生产总值", "生产总值"), "地区生产总值": ("gdp",)}
# official terms no answer sentence is read for: the legal table's generic ones would credit any sentence
_TOO_WIDE = frozenset(("劳动", "质量", "网络", "违法"))


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    table = {lay.lower(): tuple(o.lower() for o in officials if o not in _TOO_WIDE)
             for lay, officials in LayTerms.load().table.items()}
    for lay, officials in _EXTRA.items():
        table[lay] = tuple(dict.fromkeys(table.get(lay, ()) + officials))
    return {k: v for k, v in table.items() if v}


@lru_cache(maxsize=2048)
def official_forms(term: str) -> tuple[str, ...]:
    """The official wordings of a question term: the table's entry for the whole term, and the term with a lay
    part replaced (树林覆盖率 → 森林覆盖率). Empty when no lay word stands in it."""
    table = _table()
    out = list(table.get(term, ()))
    for lay, officials in table.items():
        if lay != term and len(lay) >= 2 and lay in term:
            out += [term.replace(lay, o) for o in officials]
    return tuple(dict.fromkeys(o for o in out if o and o != term))


@lru_cache(maxsize=512)
def phrase_credit(question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Lay phrases of the question (技术好的工人, 住着) with their official terms: a sentence holding an official
    term holds the phrase's words too (技术好的工人 → 高技能人才 credits 技术 and 工人)."""
    q = question.lower()
    plain = DEGREE.sub("得", q)  # 住得很散 is 住得散: a degree word between 得 and its adjective says nothing
    return tuple((lay, officials) for lay, officials in _table().items()
                 if len(lay) >= 2 and (says(lay, q) or lay in plain))


DEGREE = re.compile(r"得(?:很|太|非常|特别|比较|挺|有点|十分|相当)")


def stands(term: str, text: str, question: str = "") -> bool:
    """`term` of the question stands in `text` in official words: its own official form, or the official term of a
    lay phrase of the question that holds it."""
    if any(o in text for o in official_forms(term)):
        return True
    if len(term) == 4 and re.search(re.escape(term[:2]) + r"[\u4e00-\u9fff]" + re.escape(term[2:]), text):
        return True  # 消防通道 is 消防车通道 said short: two words the asker joined without the one between them
    return any(term in lay and any(o in text for o in officials) for lay, officials in phrase_credit(question))


# a question for how big a piece of land is (地盘有多大, 占地多大, 面积多大) asks for an area — not 投资多大的项目
AREA_Q = re.compile(r"(?:地盘|占地|面积|土地|国土|地方|区域|范围|空间|地块)(?:有|是|为|约|大约|总共|一共|加起来|合计)*"
                    r"(?:多大|多少平方|多广|多宽)")
_AREA_UNITS = r"(?:[万亿千百]\s*)?(?:平方公里|平方千米|平方米|公顷|亩)"
AREA_UNIT = re.compile(r"\d\s*" + _AREA_UNITS)
AREA_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*" + _AREA_UNITS)  # the whole figure, to take it out of a sentence
AREA = "面积"  # the asked 'unit' of an area question: any unit of area answers


def asks_area(question: str) -> bool:
    """The question asks how large an area is (某都市圈的地盘有多大)."""
    return bool(AREA_Q.search(question))


# a yes/no question about a cost (要花钱吗, 收不收费, 要不要交钱, 门票多少): the sentence stating the fee or that
# none is charged (免费, 不收取费用, 收费标准) answers it
COST_Q = re.compile(r"(?:花|交|要|收|付|掏)(?:不(?:花|交|要|收|付))?钱|收(?:不收)?费|免费|费用|门票|要不要钱|贵不贵")
COST_STATED = re.compile(r"免费|免收|不收取|不收|收取|收费|费用|减免|票价|门票")


def asks_cost(question: str) -> bool:
    """The question asks whether something costs money (上牌要花钱吗)."""
    return bool(COST_Q.search(question))


# a question for a time of day (下午几点就不收了, 几点开门): a clock time (17:00, 9时, 下午5点) answers it
TIME_Q = re.compile(r"几点|几时(?!候)|什么时段|哪个时段|开放时间|营业时间|办公时间|受理时间")
TIME_STATED = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*(?:时|点)(?!\d*\s*(?:亿|万))|[上下]午[一二三四五六七八九十\d]{1,3}(?:时|点)")


# what a time of day is asked of (几点关门, 几点截止): a clock range (8:00至17:30) states it, whatever the notice calls it
TIME_VERB = re.compile(r"关门|开门|截止|下班|上班|营业|开放|关闭|结束|开始|停止|不收|收|受理|办公|开诊|门诊")


def asks_time(question: str) -> bool:
    return bool(TIME_Q.search(question))


# the counters a lay unit stands for in documents: 多少钱 → 元 or 块; 多少户 → 户 or 套 (a dwelling per household);
# 几天 → 天, 日 or 工作日
UNIT_KIN = {"元": "元|块钱?", "户": "户|套", "天": "天|日|个?工作日"}


def unit_pattern(unit: str) -> str:
    """A regular expression for `unit` and its everyday kin."""
    return "(?:" + UNIT_KIN[unit] + ")" if unit in UNIT_KIN else re.escape(unit)


NUMERAL = r"(?:\d+(?:\.\d+)?\s*[万亿千百]?|[零〇一二三四五六七八九十百千万亿两]{2,}|[两二三四五六七八九十百千万])"
# lay words for what a number counts, and what they stand for in documents: 多少乡亲 → 35万群众, 岁数上千年 → 千年以上
LAY_FOCUS = {
    re.compile(r"乡亲|老百姓|百姓|群众|老乡|民众|村民|居民|农民"):
        re.compile(NUMERAL + r"(?:名|位|个)?(?:人|群众|农民|村民|居民|人口|乡亲|百姓|民众)"),
    re.compile(r"岁数|年龄|树龄|年纪|年头"): re.compile(NUMERAL + r"(?:年|岁)"),
    re.compile(r"增速|增幅|增长率|增长速度"): re.compile(r"(?:增长|增加|下降|减少|回落)\s*\d+(?:\.\d+)?\s*[%％]"),
}


def stands_as_figure(term: str, window: str) -> bool:
    """A lay focus term stands for a figure of the document's kind in `window` (乡亲 → 35万群众)."""
    return any(lay.fullmatch(term) and said.search(window) for lay, said in LAY_FOCUS.items())
