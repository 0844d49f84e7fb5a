"""Number questions: whether a sentence's figure is the one asked — its unit, qualifiers, place, deed and scope."""

from __future__ import annotations

import re

from policyqa.answer.analysis import TITLE, QuestionAnalysis, qualifiers
from policyqa.answer.candidates import QUOTED
from policyqa.answer.compose import ORDINAL
from policyqa.answer.wording import AREA, AREA_UNIT, unit_pattern
from policyqa.text import bigrams, normalize

# a place written with its level (东川县城 → 东川县) stands by its name alone (东川)
PLACE_SUFFIX = re.compile(r"(?:省|市|县|区|镇|乡|村)$")

# a heading or title that states a figure (a news headline: …完成工业投资78.15亿元) is a statement of its own,
# not the topic of every sentence below it
STATES_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:[万亿千百]+)?(?:元|美元|%|％|个|家|项|人|吨|亩|公里|倍|批|件)")

# a span that bans (5年内不得再次申请, 三年内不予受理) — a question asking it says 不/禁/限制 itself
BANNED_SPAN = re.compile(r"\d+\s*个?(?:年|月|日|天|工作日)内(?:不得|不准|不能|不予|禁止|不再)")
NEGATION_Q = re.compile(r"不|没|禁|限制|取消|失去")
UNIT_NEAR = 0.7  # share of the best score at which a sentence stating a figure in the asked unit leads instead
DEED_NEAR = 0.8  # share of the best score at which the clause stating the asked deed leads instead
VERB_QUALIFIERS = "新已未再共总净累"  # one-character qualifiers of a counted deed (新签约, 已签约, 再增加)
# a figure for the whole (共计26个, 合计, 全市共) rather than for one part of it (其中…)
TOTAL = re.compile(r"(?:共计|合计|总计|总共|一共|累计|共有|共)\s*\d")
FINE_MULTIPLE = re.compile(r"(?:[一二三四五六七八九十\d]+倍|百分之[一二三四五六七八九十百]+)(?:以上|以下)?的?罚款")

# one figure for several levels together (9个国家级、省级现代农业产业园): it answers no question about one of them
COMBINED_LEVELS = re.compile(r"\d+\s*[个家项所座处]?(?:(?:国家|省|市|县|区)级?[、和及与或]){1,3}(?:国家|省|市|县|区)级")


def owned_by_other(a: QuestionAnalysis, sentence: str, around: str) -> bool:
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


def place_elsewhere(a: QuestionAnalysis, sentence: str, around: str, title: str) -> bool:
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


def one_of_group(question: str, weights: dict[str, float], sentence: str) -> bool:
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


def contradicts(asked: frozenset[tuple[str, str]], sentence: str, around: str = "", clause: str = "") -> bool:
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


def about(a: QuestionAnalysis, text: str) -> bool:
    """`text` names what the number asked measures: its focus terms, as one phrase when the question has them so
    (工业投资 — not 工业经济 … 投资提振)."""
    phrase = "".join(a.focus)
    if len(a.focus) > 1 and phrase in normalize(a.question).lower():
        return phrase in text
    return any(t in text for t in a.focus)


# counters of things: a question's (多少棵, 多少个) and the document's (100株, 20大…集群) may differ
COUNTERS = "个家项条座所名位只头台辆套间张批件份处棵株类种"
PERSONS = "名位"  # counters of people: a count of people is in persons, not in items
SEATS = re.compile(r"(?:学位|托位|床位|名额|岗位)\s*\d|\d\s*[万千百]?\s*个?(?:学位|托位|床位|名额|岗位)")


_PEOPLE = r"(?:人数|人员|户数|业主|住户|居民|村民|成员|代表|职工|会员)"
_FRACTION = r"(?:[一二三四五六七八九十百]+分之[一二三四五六七八九十]+|半数|过半数?)"
SHARE_OF_PEOPLE = re.compile(_PEOPLE + r"(?:总数|总人数|人数|户数)?的?" + _FRACTION + "|" + _FRACTION
                             + r"(?:以上|以下)?的?" + _PEOPLE)


BOUND_NEAR = 0.6  # share of the best score at which the clause binding the asked deed to its figure leads instead
# the event a span is counted from (收到申请后, 自受理之日起): the span measures the deed after it, not this one
ANCHOR = re.compile(r"^[^，,；;。]*?(?:之日起|日起|起|以后|之后|后)(?=\s*(?:\d|[一二三四五六七八九十两]))")


def bound_terms(terms: set[str], text: str, unit: str) -> set[str]:
    """The `terms` standing in the clause of `text` that holds a figure in the asked unit, beside the figure rather
    than in the event it is counted from (收到申请后10个工作日内完成复审 binds 复审, not 申请)."""
    out: set[str] = set()
    for clause in re.split(r"[，,；;。]", normalize(text).lower()):
        if counts(unit, clause):
            own = ANCHOR.sub("", clause)
            out |= {t for t in terms if t in own}
    return out


# a numbered item of a list of projects (1.乙乡网络补盲工程：…总投资6.8亿元) and a project a question names
ITEM_NAME = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*([^：:，。]{2,20}?(?:工程|项目|行动|计划|平台|基地))[：:]")
ASKED_NAME = re.compile(r"([\u4e00-\u9fff]{2,14}?(?:工程|项目|行动|计划|平台|基地))")


def another_item(question: str, sentence: str) -> bool:
    """The sentence is a numbered project of a list, and the question names another one: a sibling's figure is no
    answer (乙乡数字治理工程 asked, 1.乙乡网络补盲工程：…6.8亿元 found)."""
    item = ITEM_NAME.match(sentence)
    asked = ASKED_NAME.findall(TITLE.sub(" ", question))
    return bool(item and asked) and not any(a in item.group(1) or item.group(1) in a for a in asked)



def own_scope(place: str, text: str) -> bool:
    """A document speaks of its own place as 全县 / 本市 / 我镇: 西川县 stands as 全县 in 西川县's bulletin."""
    level = PLACE_SUFFIX.search(place)
    return bool(level) and any(w + level.group(0) in text for w in "全本我该")


def counts(unit: str, text: str) -> bool:
    """`text` states a figure in the asked unit: digits (78.15亿元) or a Chinese numeral (三十个) before it — not the
    article 一 (一批货 is one batch, not how many). A counter of things accepts another counter (棵 → 株, 个 → 20大)."""
    text = ORDINAL.sub(" ", text)
    if unit == AREA:  # 地盘有多大: any unit of area (万平方公里, 亩) answers
        return bool(AREA_UNIT.search(text))
    if unit == "元" and FINE_MULTIPLE.search(text):
        return True  # 罚多少钱: a law states a fine as a multiple of a value (货值金额二倍以下的罚款)
    units = (unit_pattern(unit) if unit not in COUNTERS else "(?:[名位]|人(?!次))" if unit in PERSONS  # 多少名: not 两项补贴, nor 300人次
             else "[" + COUNTERS + "大]")
    if re.search(r"\d\s*[万亿千百]?" + units, text):
        return True
    if re.search(r"[（(][万亿千百]?" + units + r"[）)][：:]\s*\d", text):
        return True  # a table's row names the unit in its column's head (新建网点（个）：120)
    if unit in PERSONS and SEATS.search(text):
        return True  # 能收多少个孩子: the places it offers (学位450个, 新增托位300个) count the people it takes
    if (unit in PERSONS or unit in ("人", "户")) and SHARE_OF_PEOPLE.search(text):
        return True  # 要多少人同意: a vote's threshold is a share of the people (业主人数的三分之二以上)
    return any(m.group(1) != "一" for m in re.finditer(r"([零〇一二三四五六七八九十百千万亿两]+)" + units, text))


# a question about a change (提高了多少, 比去年多多少, 便宜了多少) is answered by a change; any other by a level
CHANGE_Q = re.compile(r"增|涨|提高|提升|降|减|下调|上调|多了|少了|变化|比|差|相差|便宜|贵了|翻")
CHANGE_BY = re.compile(r"(?:提高|增加|增长|上涨|上调|下降|降低|下调|减少)了?\s*$")


def only_changes(unit: str, text: str) -> bool:
    """Every figure of `text` in the asked unit is a change (大病保险最高支付限额提高1000元), none a level
    (提高至1000元 is one)."""
    units = unit_pattern(unit) if unit not in COUNTERS else "[" + COUNTERS + "]"
    found = list(re.finditer(r"\d+(?:\.\d+)?\s*[万亿千百]?" + units, text))
    return bool(found) and all(CHANGE_BY.search(text[:m.start()]) for m in found)


# the level of government whose money or rule a figure is (县（区）财政, 市级, 省本级)
LEVEL = re.compile(r"(省|市|县|区|乡镇|镇)(?:[（(]区[）)])?(?:级|本级|财政)")
# the span a rate is stated per (每小时, 每月, 按月)
PER_TIME = re.compile(r"[每按](小时|天|日|周|月|季度|年|学期)")
_SAME_SPAN = {"日": "天"}


def _levels(text: str) -> set[str]:
    found = set()
    for m in LEVEL.finditer(text):
        found.add(m.group(1))
        if re.match(r"[县市](?:[（(]区[）)])", m.group(0)):
            found.add("区")  # 县（区）: the counties and the districts
    return found


def another_level(question: str, sentence: str) -> bool:
    """The question asks one level's figure (县（区）财政配套多少), the sentence states another's (市级财政…4318万元)."""
    asked, said = _levels(question), _levels(sentence)
    return bool(asked and said and not asked & said)


def another_span(question: str, sentence: str) -> bool:
    """The question asks a rate per one span (计时托每小时收多少), the sentence states rates per another (每月…1600元)."""
    asked = {_SAME_SPAN.get(x, x) for x in PER_TIME.findall(question)}
    said = {_SAME_SPAN.get(x, x) for x in PER_TIME.findall(sentence)}
    return bool(asked and said and not asked & said)


# a table's row keyed by a place (县市区：临沅区；地区生产总值（亿元）：315.38): a part's figure
PLACE_ROW = re.compile(r"^(?:县市区|县（市、区）|县\(市、区\)|县（区）|县区|区县|地区|城市|镇（街道）|乡镇|街道|市县)[：:]([^；;]{2,12})[；;]")


def part_row(question: str, sentence: str) -> bool:
    """`sentence` is a table's row of a place the question does not name: one part's figure, not the asked one."""
    m = PLACE_ROW.match(normalize(sentence))
    return bool(m) and m.group(1) not in question and m.group(1) not in ("合计", "全市", "总计", "全县")
