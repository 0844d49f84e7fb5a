"""Question analysis: what a question asks for (a number, a list, a reason, a department…), about what,
and within which scope — read from general Chinese question grammar, so answers can lead with the asked fact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from policyqa.answer.names import PLACE_CLASSES, THING_CLASSES
from policyqa.answer.wording import AREA, asks_area, phrase_credit
from policyqa.text import cn_to_int


class Intent(StrEnum):
    NUMBER = "number"  # an amount, a count, a ratio (多少, 几个, 比例)
    DATE = "date"  # a date, a year or a period (何时, 哪一年, 期限)
    LIST = "list"  # items (哪些, 哪几个方面, 包括什么)
    REASON = "reason"  # a reason or purpose (为什么, 意义, 目的)
    MEASURES = "measures"  # how, the measures (如何, 怎样, 采取哪些措施)
    WHO = "who"  # a department, a body, a person (哪个部门, 由谁, 牵头单位)
    WHERE = "where"  # a place (哪里, 位于)
    DEFINITION = "definition"  # what a term means (是指什么, 什么是, 含义)
    YESNO = "yesno"  # whether (是否, 能否, …吗)
    ATTRIBUTE = "attribute"  # an attribute of the document itself (issuer, date, status)
    FACT = "fact"  # anything else: the best sentence answers


class Attribute(StrEnum):
    ISSUER = "issuer"
    DATE = "date"
    EFFECTIVE = "effective"  # the day a law or rule takes effect (自…起施行)
    STATUS = "status"
    NUMBER = "number"  # 文号
    SPEAKER = "speaker"  # who delivered a report or speech (its byline: 区人民政府区长 某某)
    OCCASION = "occasion"  # when and where it was delivered (——2025年1月9日在…会议上)


@dataclass(frozen=True)
class QuestionAnalysis:
    question: str
    intent: Intent
    wants_list: bool = False  # the answer is several items (哪些部门, 有哪些措施, 几个方面)
    wants_count: bool = False  # the question asks how many items (有几个, 共多少项)
    focus: tuple[str, ...] = ()  # the terms next to the question word: what is asked about
    unit: str = ""  # the unit asked for (多少万吨 → 万吨)
    scope: tuple[str, ...] = ()  # named documents (《…》) the question is about
    places: tuple[str, ...] = ()
    years: tuple[str, ...] = ()  # years and other numbers the answer must be about
    attribute: Attribute | None = None
    terms: tuple[str, ...] = field(default=())  # quoted terms (“四小园”), kept whole
    count: int | None = None  # the number of items the question names (三大产业, 哪两个机关)
    target: str = ""  # the noun the question word asks for (哪些问题 → 问题; 保障措施有哪些 → 措施)
    # what restricts the asked number (县级, 人均, 超五十亿, a year): the answering sentence must not state another
    qualifiers: frozenset[tuple[str, str]] = frozenset()
    # the verb of a number question (园区新签约了多少个项目 → 新签约): what the figure counts is done so
    predicate: str = ""
    # the list asks for a kind of section in its own word, unmodified (有哪些长处, 面临哪些外部威胁 — not 有什么港口设施优势)
    kind_asked: bool = False
    # the question asks for the names of members of a class of bodies (合作银行是哪几家 → 银行, 哪些企业 → 企业): the
    # answer must name some, not only mention the class
    names: str = ""

    @property
    def asks_number(self) -> bool:
        return self.intent in (Intent.NUMBER, Intent.DATE) and not self.wants_list

    @property
    def gathers(self) -> bool:
        """The answer is several sentences or items, not one: lists, reasons, measures."""
        return self.wants_list or self.intent in (Intent.LIST, Intent.REASON, Intent.MEASURES)

    @property
    def asks_steps(self) -> bool:
        """The list asks for the steps of a procedure (要经过哪些环节, 办理流程有哪些)."""
        return self.target in STEP_WORDS


_DOC_NOUN = r"(?:文件|方案|规划|计划|意见|通知|办法|条例|规定|决定|纲要|报告|细则|法|本文|该文)"
ATTRIBUTE_Q = {
    Attribute.SPEAKER: re.compile(r"(?:由谁|谁|哪位(?:领导)?)(?:代表[^，。？?]{0,10})?(?:作|做)(?:的|了)?(?:报告|讲话|这个|这份|[？?]|$)"
                                  r"|报告人是|(?:报告|讲话)是(?:由)?谁"),
    Attribute.OCCASION: re.compile(r"(?:哪次|哪个|什么|哪一?届)[^，。？?]{0,8}会(?:议)?上|在哪一?天[^，。？?]{0,6}(?:作|做)的"
                                   r"|什么时候(?:作|做)的(?:报告|讲话)"),
    # before DATE: 什么时候施行 asks the day it takes effect, not the day it was issued
    Attribute.EFFECTIVE: re.compile(r"(?:什么时候|何时|哪天|哪一天|哪一?年|几月|几号|什么时间|什么日期|啥时候)(?:起|开始)?"
                                    r"[^，。？?]{0,4}?(?:施行|生效)|(?:施行|生效)(?:时间|日期)"
                                    # a rule's 开始执行 is its taking effect; a measure's is its schedule
                                    r"|(?:规定|办法|条例|新规|细则|政策)[^，。？?]{0,8}(?:什么时候|何时|哪天|哪一天|几号|啥时候)"
                                    r"(?:起|开始)(?:执行|实施)"),
    Attribute.ISSUER: re.compile(r"(?:哪个|哪些|什么|哪一?家?|哪几[家个]?|哪级)(?:部门|单位|机关|机构|政府)[^，。？?]{0,6}(?:印发|发布|制定|出台|起草|发文|颁布|编制)"
                                 r"|(?:印发|发布|发文|制定|颁布|起草|编制)(?:单位|部门|机关|机构|主体)|由谁(?:印发|发布|制定|出台|颁布|起草|编制)"
                                 r"|谁(?:印发|发布|制定|出台|颁布|起草|编制)的"),
    Attribute.DATE: re.compile(r"(?:什么时候|何时|哪天|哪一天|哪一?年|几月|什么时间|什么日期)[^，。？?]{0,4}(?:印发|发布|出台|颁布|公布|成文)"
                               r"|(?:印发|发布|出台|颁布|公布|成文|施行)(?:时间|日期)"),
    Attribute.NUMBER: re.compile(r"文号|发文字号|发文号|字号是"),
    Attribute.STATUS: re.compile(r"(?:是否|是不是)(?:已经)?(?:正式|生效|有效|定稿|废止|失效)|征求意见稿吗|(?:文件|" + _DOC_NOUN
                                 + r")的?(?:状态|效力)"),
}
# a question for the document's wording (…是怎么表述的, …怎么说的): the sentence that says it, not measures
WORDING_Q = re.compile(r"(?:怎么|怎样|如何)(?:表述|描述|说|写|提|讲|措辞|表达|定位|评价)(?:的|呢)?[？?]?$"
                       r"|(?:原文|原话|具体表述|提法)是(?:什么|怎样|怎么)")
DEFINITION_Q = re.compile(r"(?:哪种|哪类|什么样的?)(?![^，。？?]{0,4}条件)[^，。？?]{0,6}算(?:是|作)?|是指什么|指的是什么|指什么|什么是|是什么意思|什么意思|的含义|含义是|定义|何谓|指哪些|是什么概念|是怎么界定|如何界定|怎样界定")
WHO_Q = re.compile(r"(?:哪个|哪些|(?<!为)什么|哪一个|哪家|哪级|哪[两三四五六七八九十几]个?)[^，。？?、]{0,4}?"
                   r"(?:部门|单位|机关|机构|主体|组织|人员|人)(?!可以|能|才能|符合|需要|应当|要|有资格|参加|参保|申请|享受)"
                   r"|由谁|谁来|谁负责|谁(?:牵头|主管|审批|批准|承担|决定)|(?:找|问|联系|向|跟)谁"
                   r"|牵头单位|责任单位|主管部门是|负责部门|承担单位|^谁|[，,]谁|归谁|谁管(?!理)|哪位")
# a question that ends asking for a person or a level (…的是哪位官员？ 最终由哪一级批准？)
WHO_LAST = re.compile(r"(?:是|由)(?:哪位|哪一?级)[\u4e00-\u9fff]{0,4}[？?]?$")
REASON_Q = re.compile(r"为什么|为何|为啥|干嘛要|原因|何故|意义|目的是|目的何在|什么目的|为了什么|出于什么|有什么好处|有何好处|有什么作用|有何作用|作用是什么|必要性|重要性")
MEASURES_Q = re.compile(r"如何|怎样(?!的)|怎么(?!样)|(?:哪些|什么|几项|哪几项|几条)(?:[^，。？?]{0,6})?(?:措施|举措|办法|途径|路径|手段|做法|方式|对策|政策|保障)"
                        r"|采取了?(?:哪些|什么)|通过什么")
LIST_Q = re.compile(r"哪些|哪几|[两三四五六七八九十\d]+[个所座家条]\w{0,6}?(?:叫什么|的?名字|的?名称)|有什么(?!意义|作用|好处|区别|不同|要求吗|麻烦|后果|影响)|包括什么|包含什么|包括哪|分别是|分别为|分别有|几大"
                    r"|(?<![第])[两三四五六七八九十]大(?!\w{0,3}(?:项目|工程)?(?:是多少|有多少))|哪[两三四五六七八九十]|列举"
                    r"|有几[个项类种条方]|几个方面|什么(?:材料|资料|证件|证明|手续|条件)"
                    # 十件民生实事都是啥 / 三项措施是什么: a counted thing asked for is its members
                    r"|都(?:是|有|包括)(?:啥|什么|哪些)|[两三四五六七八九十]+[件项条类种]\w{1,8}?(?:是什么|是啥|有啥)")
COUNT_Q = re.compile(r"有几[个项类种条方家所座]|共有?几|一共有?几|多少[个项类种条家所座](?:方面|任务|措施|目标|领域|类|部分)?")
DATE_Q = re.compile(r"何时|什么时候|几点|几时(?!候)|哪一年|哪年|哪天|哪一天|几月|几号|什么时间|什么日期|哪几年|哪个阶段|多久|多长时间|期限|时限|截止|起止|几年内|几日内|多少天|多少日|几天")
NUMBER_Q = re.compile(r"多少|百分之几|几成(?![本为立员功])|(?<!哪)几[个家项年条万亿所座次倍岁天位名人户]|多大|多高|多长|多远|多重|多快|比例|比重|占比|增速|增幅|增长率|率是|金额|数量是|规模是|第几")
WHERE_Q = re.compile(r"哪里|哪儿|什么地方|哪个地方|在哪(?!些|几|一|个|种|类|项)|何处|哪个(?:区|市|县|镇|省|地区|园区|港口|城市)|位于|坐落")
YESNO_Q = re.compile(r"是否|能否|可否|能不能|可不可以|是不是|有没有|会不会|要不要|需不需要|吗[？?]?$")
QUOTED = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")
TITLE = re.compile(r"《([^》]{2,60})》")
YEAR = re.compile(r"\d{4}(?=年)|\d+(?:\.\d+)?(?=%|％)")
NUMBER_WH = re.compile(r"多少|哪?几[个家项年条所座次倍位]?|哪一年|哪年|哪天|哪一天|何时|什么时候|多高|多大|多长|多远|多重|多快")
FOCUS_WH = re.compile(NUMBER_WH.pattern + r"|哪些|哪几|什么|哪个|哪里|如何|怎样|怎么|为什么|为何|是否|谁")
FOCUS_TRAIL = re.compile(r"(是|有|为|达|达到|约|大约|共|一共|总共|要|将|会|能|可|在|了|的|共计|累计|预计|计划|主要|具体|包括|采取|提出|存在|需要)+$")
GENERIC_FOCUS = frozenset("时候 政府 国家 名字 名称 部分 目标 预期 规模 数量 总量 总数 数值 数字 比例 比重 占比 水平 时间 日期 年份 期限 情况 金额 幅度 方面 内容 东西 地方 部门 单位 哪些 什么 "
                         "程度 一共 总共 加起来 一起 额度 实际".split())
PERSON_COUNTED = re.compile(r"娃|孩子|小孩|宝宝|老人|老年人|学生|员工|职工|工人|人(?!次)")
LAY_UNIT = re.compile(r"块钱|钱|年(?![级度底初末内前后])|成(?![本为立员功])")
LAY_UNIT_AS = {"块钱": "元", "钱": "元", "年": "年", "成": "%"}  # 能报几成: a share, stated in per cent
UNIT = re.compile(r"(?:万|亿|千|百)?(?:个|家|项|条|座|所|名|人|户|吨|元|平方公里|公里|千米|米|亩|倍|天|日|次|台|辆|套|间|床|张|千瓦|瓦|标箱|标准箱|批|件|份|届|棵|株|%|％"
                  r"|[A-Za-z]{1,4}(?![A-Za-z]))")  # 多少GWh: a unit in Latin letters is asked as any other


# 要掏多少接户费 / 补贴是多少: a fee, price or grant is an amount of money, stated in 元 (or 万元, 亿元)
MONEY_WORD = r"(?:费|价格?|租金|工资|补贴|补助|奖励|奖金|资金|经费)"
MONEY_Q = re.compile(r"多少[\u4e00-\u9fff]{0,4}" + MONEY_WORD + r"(?:[？?]|$)|" + MONEY_WORD + r"(?:标准)?(?:是|为|有|能有|给)?多少(?:[？?]|$)")
GROWTH_Q = re.compile(r"(?:增速|增幅|增长率|增长速度)(?:是|为|有|达到?)?(?:多少|如何|怎样|怎么样|几)|增长了?多少")
RATE_Q = re.compile(r"(?:增速|增幅|增长率|同比增长|占比|比重|完成率)(?:如何|怎样|怎么样)[？?]?$")


def split_question(question: str) -> list[str]:
    """Parts of a compound question, split at question marks (and 。；) — parts too short to search stay
    attached to their neighbour — and at the conjuncts of 分别 (户籍人口和常住人口分别是多少 asks two figures)."""
    parts = [r for p in re.split(r"(?<=[？?；;。])", question) if p.strip()
             for q in respectively(p.strip()) for r in two_asks(q)]
    merged: list[str] = []
    for p in parts:
        if merged and ACHIEVED_Q.match(p):
            continue  # …实际新增了多少张？目标完成了吗？: the figures answer it; alone it names nothing to search for
        if merged and len(re.sub(r"\W", "", p)) < 4:
            merged[-1] += p
        elif merged and (RATE_FOLLOW_ON.match(p) or SANCTION_FOLLOW_ON.match(p) or CONTACT_FOLLOW_ON.match(p)
                         or _bare(p)):
            # …完成工业投资多少？增速如何？: the rate is of the first part's subject; …归哪个部门管？会怎么处罚？: so is
            # the sanction
            # 邻居装了个地锁，有人管吗？会罚多少？: a fine asked after a yes/no part is for the deed its story tells
            story = merged[0].rpartition("，")[0] + "，" if SANCTION_FOLLOW_ON.match(p) and "，" in merged[0] else ""
            merged.append((_subject(merged[0]) or story) + p)
        elif merged and _unnamed(p):
            # …目标是多少？据报道，实际新增了多少张？: what came about is of the first part's thing
            head, comma, last = p.rpartition("，")
            merged.append(head + comma + _thing(merged[0]) + last)
        else:
            merged.append(p)
    return merged or [question]


def _thing(part: str) -> str:
    """The noun phrase of `part`'s focus, as the part words it (养老床位, 客货邮融合线路): the words before the focus
    word are taken while they are nouns, not a place."""
    words = _tagged(part)
    focus = analyze(part).focus
    at = next((i for i, (w, _) in enumerate(words) if any(t in w for t in focus)), None)
    if at is None:
        return "".join(focus)
    start = at
    while start > 0 and _nounish(words[start - 1][1]) and len("".join(w for w, _ in words[start - 1:at + 1])) <= 12:
        start -= 1
    return "".join(w for w, _ in words[start:at + 1])


def _nounish(flag: str) -> bool:
    return flag[:1] == "n" and flag != "ns" or flag in ("vn", "j", "l")


ACHIEVED_Q = re.compile(r"(?:那|那么)?(?:年度)?(?:目标|任务|计划)?(?:是否|有没有)?(?:已经)?(?:完成|实现|达到|达标|超额完成)了?"
                        r"(?:目标|任务|计划)?(?:吗|没有|没|了没)?[？?]?$")


# 据《…日报》报道 / 按…报道: where a part's figure is told, not what it measures
TOLD_BY = re.compile(r"(?:据|按|按照|根据|从)[^，,？?]{0,12}(?:报道|报告|通报|公布|发布)(?:的|看|来看|中)?[，,]?")


def _unnamed(part: str) -> bool:
    """A part that names nothing but how its figure came about or adds up (实际新增了多少张？ 三年一共要建多少个？):
    its thing is the one the part before it asks about."""
    plain = TOLD_BY.sub("", TITLE.sub("", part))
    m = NUMBER_WH.search(plain)
    asks = plain[:m.start()] if m else ""
    return bool(m) and (ACTUAL.search(asks) or TOTAL_Q.search(asks)) is not None and not [
        w for w in _nouns(asks) if w not in GENERIC_FOCUS]


ACTUAL = re.compile(r"实际|真正|最终")
# a question for a whole (一共多少, 加起来多少)
TOTAL_Q = re.compile(r"一共|总共|合计|共计|总计|累计|加起来|加在一起")


def _bare(part: str) -> bool:
    """A short part that names nothing before its question word (…几点以后就不能放音乐了？该找哪个部门管？): it asks
    about what the part before it does."""
    m = FOCUS_WH.search(part)
    return bool(m) and len(re.sub(r"\W", "", part)) <= 8 and not _nouns(part[:m.start()])


def two_asks(part: str) -> list[str]:
    """'初审由哪些部门负责，截止到什么时候？' asks twice in one sentence: one part per clause with a question word,
    the second with the first's subject when it names none (…初审截止到什么时候？)."""
    k = max(part.rfind("，"), part.rfind(","))
    first, second = part[:k], part[k + 1:]
    m2 = FOCUS_WH.search(second)
    if k <= 0 or not (FOCUS_WH.search(first) and m2):
        # 部门多久会处理、多久给答复: two asks joined by 、, the second of the first's subject
        k = part.rfind("、")
        first, second = part[:k], part[k + 1:]
        m1 = re.search(r"多久|多少|几|什么时候", first)
        if k <= 0 or not m1 or not re.match(r"多久|多少|几|什么时候", second):
            return [part]
        return [first + "？", first[:m1.start()] + second]
    if not _nouns(second[:m2.start()]):
        second = _subject(first) + second
    return [first + "？", second]


def _subject(part: str) -> str:
    """What a part asks about: its words before the question word, less trailing function words (…初审由 → …初审)."""
    m = FOCUS_WH.search(part)
    return FOCUS_TRAIL.sub("", re.sub(r"(?:由|归)$", "", part[:m.start()])) if m else ""


# 和/与/及/、 joining two things asked about (not 参与, 及时, 和谐)
CONJUNCTION = re.compile(r"(?<![参给])(?:以及|和|与|及|、)(?![时谐平])")
RESPECTIVELY = re.compile(r"分别|各自")


def respectively(part: str) -> list[str]:
    """'…A和B分别是多少？' → '…A是多少？', '…B是多少？': one part per conjunct before 分别, each with the scope
    the first conjunct carries (年末户籍人口和常住人口 → 年末常住人口) and a short tail the last one carries
    (工业投资和制造业投资的占比 → 工业投资的占比). A 分别 after one name (“三全”分别指什么) stays one part."""
    m = RESPECTIVELY.search(part)
    if not m:
        return [part]
    start = max(part.rfind(c, 0, m.start()) for c in "，,；;：:") + 1
    head, seg, rest = part[:start], part[start:m.start()], part[m.end():]
    conjuncts = [c.strip() for c in CONJUNCTION.split(seg)]
    if len(conjuncts) < 2 or any(len(c) < 2 for c in conjuncts):
        return [part]
    first, last = conjuncts[0], conjuncts[-1]
    of = last.rfind("的")
    if "的" not in first and 0 < of and len(last) - of <= 6:  # …的占比目标 belongs to every conjunct
        rest = last[of:] + rest
        conjuncts[-1] = last[:of]
    out = [head + first + rest]
    words = [w for w, _ in _tagged(first)]
    for c in conjuncts[1:]:
        if "的" in first:  # 化橘红的种植面积 → 化橘红的 + 全产业链产值
            scope = first[:first.rfind("的") + 1]
        else:  # the first conjunct's words less as many characters as this one has (年末户籍人口 → 年末)
            k, cut = len(words), 0
            while k and cut < len(c) - 1:
                k -= 1
                cut += len(words[k])
            scope = "".join(words[:k])
        out.append(head + scope + c + rest)
    return out


# a follow-on part asking only for a rate of what the part before measures (增速如何？同比增长多少？)
RATE_FOLLOW_ON = re.compile(r"^(?:其|它的|它|那)?(?:(?:比|较)(?:去年|上年|上一年|前年|同期)?(?:增长|增加|提高|下降|减少)了?"
                            r"|增速|增幅|增长率|同比增长|同比增速|同比|占比|比重|完成率"
                            # 涨了几个点？: the spoken form of a rate
                            r"|(?:比|较)?(?:去年|上年|上一年)?(?:涨|上涨|增长|增加|提高|降|下降|跌|减少)了?"
                            r"(?:几个(?:百分)?点|多少个?(?:百分)?点|百分之几|几成))"
                            r"(?:如何|怎样|怎么样|是多少|多少|有多少|是几)?[？?。]?$")


# a follow-on part asking only what befalls the deed the part before names (会怎么处罚？罚多少？)
SANCTION_FOLLOW_ON = re.compile(r"^(?:那|那么)?(?:会|要|将)?(?:被)?(?:怎么|如何|怎样)(?:处罚|罚|处理)|^(?:会|要)?(?:被)?罚(?:多少|几)")


# 有疑问可以找谁？/ 咨询电话是多少: a contact of the document's (联系人：…，电话：…), not a body's duty
CONTACT_Q = re.compile(r"(?:联系|咨询|服务|办公|热线)电话|联系方式|联系人|(?:疑问|不清楚|不明白|咨询|问题)[^？?]{0,12}(?:找|问|联系)谁")
# …可以找谁？电话多少？ 办公地址在哪里？: the number or address of the contact the part before asks for
CONTACT_FOLLOW_ON = re.compile(r"^(?:那|那么)?(?:联系|咨询|办公|办事)?(?:电话|联系方式|地址|地点)")
CONSEQUENCE_Q = re.compile(r"(?:会|要)(?:有|带来|造成|惹上?|碰到)(?:什么|啥|哪些)(?:麻烦|后果|影响)")


FINE_Q = re.compile(r"罚(?:款)?(?:多少|几)|怎么罚|罚不罚|被罚(?:钱|款)?吗|罚钱")


def detect_intent(question: str) -> tuple[Intent, Attribute | None]:
    """The one thing the question asks for; the first matching rule wins, most specific first."""
    for attribute, pattern in ATTRIBUTE_Q.items():
        if pattern.search(question):
            return Intent.ATTRIBUTE, attribute
    if WORDING_Q.search(question) and not DEFINITION_Q.search(question):
        return Intent.FACT, None
    if CONSEQUENCE_Q.search(question):
        return Intent.FACT, None  # 转手会有什么麻烦吗: what befalls the deed, one rule's say, not a list of troubles
    if WHO_LAST.search(question):
        return Intent.WHO, None  # 介绍…比重的是哪位官员: the person, whatever figure tells who
    if RATE_Q.search(question):
        return Intent.NUMBER, None  # 增速如何 asks for a rate, not for measures
    for intent, pattern in ((Intent.DEFINITION, DEFINITION_Q), (Intent.REASON, REASON_Q), (Intent.WHO, WHO_Q),
                            (Intent.MEASURES, MEASURES_Q), (Intent.DATE, DATE_Q), (Intent.NUMBER, NUMBER_Q),
                            (Intent.WHERE, WHERE_Q), (Intent.LIST, LIST_Q), (Intent.YESNO, YESNO_Q)):
        if pattern.search(question):
            return intent, None
    return Intent.FACT, None


@lru_cache(maxsize=256)  # pure: the answerer asks again for each part and each step
def analyze(question: str) -> QuestionAnalysis:
    """Analyse `question`: its intent, focus terms, scope and constraints."""
    q = question.strip()
    intent, attribute = detect_intent(q)
    last = re.split(r"[，,：:]", q.rstrip("？?。 "))[-1]
    if intent in (Intent.NUMBER, Intent.DATE) and last != q.rstrip("？?。 ") and not (
            NUMBER_Q.search(last) or DATE_Q.search(last)):
        # 我们几个人想成立…，需要符合哪些条件？: a number told in the story is not the one asked; the last clause asks
        told, _ = detect_intent(last)
        if told not in (Intent.FACT, Intent.YESNO):
            intent = told
    wants_list = bool(LIST_Q.search(q) or CONTENT_Q.search(q)) and intent not in (
        Intent.DEFINITION, Intent.ATTRIBUTE, Intent.YESNO)
    wants_count = bool(COUNT_Q.search(q)) and wants_list
    if wants_count and re.search(r"几[个项类种条家所座]?[？?]?$", q):
        intent, wants_list = Intent.NUMBER, False  # 试点县一共有几个？ asks for the count alone
    elif intent is Intent.NUMBER and wants_count:
        intent = Intent.LIST  # 有几个方面的任务: the items, with their count
    if intent is Intent.DATE and re.search(r"哪几年|期限|起止", q):
        wants_list = False  # a period is one answer, not items
    focus, unit = _focus(q, NUMBER_WH if intent in (Intent.NUMBER, Intent.DATE) else FOCUS_WH)
    places = tuple(_places(q))
    # 澄湖区 asked: the tagger's piece of it (湖区) is no measured noun
    focus = tuple(t for t in focus if not any(t != p and t in p for p in places) and not HERE.fullmatch(t))
    if unit == "名":  # 能收多少个孩子: the people are counted in persons or in the places offered (托位120个)
        focus = tuple(t for t in focus if not PERSON_COUNTED.fullmatch(t))
    if intent is Intent.NUMBER and FINE_Q.search(q):
        focus = ()  # 在禁采期采砂会被罚多少钱: the deed fined is checked against the cited rule, not as a measured noun
    if intent is Intent.NUMBER and not unit and GROWTH_Q.search(q):
        unit = "%"  # a growth rate is stated in per cent (同比增长2.6%)
    elif intent is Intent.NUMBER and not unit and asks_area(q):
        unit = AREA  # 地盘有多大: an area, in whatever unit of area
    elif intent is Intent.NUMBER and not unit and MONEY_Q.search(q):
        unit = "元"
    return QuestionAnalysis(
        question=q, intent=intent, wants_list=wants_list, wants_count=wants_count, focus=focus, unit=unit,
        scope=tuple(TITLE.findall(q)), places=places, years=tuple(YEAR.findall(q)),
        attribute=attribute, terms=tuple(QUOTED.findall(q)), target=_target(q), count=_count(q) if wants_list else None,
        kind_asked=wants_list and _kind_asked(q), names=_names_asked(q) if intent not in (
            Intent.NUMBER, Intent.DATE, Intent.MEASURES, Intent.REASON, Intent.ATTRIBUTE) or wants_list else "",
        qualifiers=_asked_qualifiers(q, intent) if intent in (Intent.NUMBER, Intent.DATE) and not wants_list
        else frozenset(), predicate=_predicate(q) if intent is Intent.NUMBER and not wants_list else "")


_BARE_VERBS = frozenset("还有 拥有 共有 具有 存在 需要 达到 成为 属于 包括 还剩 剩下 一共 总共 大概 大约".split())


def _predicate(question: str) -> str:
    """The verb just before a number question's question word, with a one-character prefix that qualifies it
    (新签约, 已签约, 再增加): 新签约了多少个项目 is not answered by 已签约项目104个."""
    m = NUMBER_WH.search(question)
    if not m:
        return ""
    before = re.split(r"[，,；;]", question[:m.start()])[-1]
    before = re.sub(r"(?:了|的|共|一共|总共|累计|要|将|会|能|可|还|又|再|到|达|达到)+$", "", before)
    tagged = _tagged(before)
    if not tagged or tagged[-1][1][:1] != "v" or len(tagged[-1][0]) < 2:
        return ""
    verb = tagged[-1][0]
    if verb in _BARE_VERBS:
        return ""  # 还有多少棵: says nothing of what the figure counts
    if len(tagged) > 1 and len(tagged[-2][0]) == 1 and tagged[-2][0] in "新已未再共总净累":
        verb = tagged[-2][0] + verb
    return verb


# Qualifiers of a measured noun, by kind: an administrative level, a per-unit measure, an amount threshold, a year.
# Two of the same kind name different quantities (市级 vs 县级 funds, GDP vs 人均GDP, 超百亿 vs 超五十亿 firms).
LEVEL = re.compile(r"(?:国家|省|(?<![城都])市|县|(?<![园社小地景校])区|镇|乡|村)级")
PER_UNIT = {"人均": re.compile(r"人均|每人|每名|每位"), "户均": re.compile(r"户均|每户"),
            "亩均": re.compile(r"亩均|每亩"), "地均": re.compile(r"地均|每平方公里")}
_AMOUNT = r"(\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)([万亿]{1,2})元?"
# 亿元以上项目 (no number): one 亿 and above
THRESHOLD = re.compile(r"(?:超过?|逾|高于|不低于)" + _AMOUNT + r"|" + _AMOUNT.replace(")([", ")?([", 1) + r"(级|及?以上|以下)"
                       + r"|(?:不足|低于|不到)" + _AMOUNT)
# 附件1 2024年…: normalised, an annex number runs into the year it is followed by
QUAL_YEAR = re.compile(r"(?:(?<!\d)|(?<=附件\d)|(?<=附表\d))((?:19|20)\d{2})(?=年)")
# 县里拿多少钱: the place of the document's own government, no measured noun
HERE = re.compile(r"[省市县区镇乡村]里")
# the base a rate is measured on: 年均增长6.3% (a period's average) is another quantity than 比上年增长5.8%
RATE_BASE = re.compile(r"年均|年平均|比上年|比去年|较上年|较去年|同比")
RATE_BASES = {"年均": "年均", "年平均": "年均", "比上年": "上年", "比去年": "上年", "较上年": "上年", "较去年": "上年",
              "同比": "上年"}
# a grade or class (二级医院, 中级（四级）证书, 技师): 一级 and 二级 figures are different quantities
# the two sides of one account: 支出 asked, a sentence of 收入 alone states another quantity
SIDES = {"budget": ("收入", "支出"), "trade": ("进口", "出口"), "residence": ("户籍", "常住"), "insured": ("职工医保", "居民医保")}
GRADE = re.compile(r"(?<![省市县区镇乡村家第])(?:[一二三四五六七八九]级|[初中高]级(?!中学)|技师)")
# a year said relative to now (去年一季度 is not 今年一季度); 本年 is 今年, 上年 is 去年
RELATIVE_YEAR = {"今年": "0", "本年": "0", "当年": "0", "去年": "-1", "上年": "-1", "前年": "-2", "明年": "+1"}
RELATIVE_WORD = {"0": "今年", "-1": "去年", "-2": "前年", "+1": "明年"}  # how a refusal names the asked year
_RELATIVE = re.compile("(?:" + "|".join(RELATIVE_YEAR) + r")(?!度?同期)")  # 比去年同期: a comparison, not the year
# a period (2022—2035年, 2023-2027 年, 2021至2024年) and a title (《…（2022—2035年）》) name a span or a document,
# not the year a figure is for: a target year asked (到2035年) is not stated by them
PERIOD = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年?\s*(?:[-—–~～－]+|至|到)\s*(?:19|20)\d{2}\s*年?")
_MAGNITUDE = {"万": 1e4, "亿": 1e8, "万亿": 1e12, "亿万": 1e12}


def qualifiers(text: str, year: bool = True) -> frozenset[tuple[str, str]]:
    """The qualifiers `text` states, as (kind, value): ("level", "县级"), ("per", "人均"), ("threshold", ">5e9"),
    ("year", "2025") — equal values compare equal however written (超五十亿 = 50亿元以上)."""
    out = {("level", m.group(0)) for m in LEVEL.finditer(text)}
    out |= {("per", name) for name, pattern in PER_UNIT.items() if pattern.search(text)}
    for m in THRESHOLD.finditer(text):
        g = m.groups()
        number, magnitude, direction = ((g[0], g[1], ">") if g[0] else (g[2], g[3], "<" if g[4] == "以下" else ">")
                                        if g[3] else (g[5], g[6], "<"))
        value = 1.0 if not number else float(number) if number[0].isdigit() else cn_to_int(number)
        if value is not None and magnitude in _MAGNITUDE:
            out.add(("threshold", f"{direction}{value * _MAGNITUDE[magnitude]:g}"))
    out |= {("grade", m.group(0)) for m in GRADE.finditer(text)}
    both = text.replace("进出口", "")  # 进出口额 is both sides of the trade account, neither alone
    out |= {(kind, w) for kind, words in SIDES.items() for w in words if w in both}
    out |= {("rate", RATE_BASES[m.group(0)]) for m in RATE_BASE.finditer(text)}
    if year:
        out |= {("year", y) for y in QUAL_YEAR.findall(PERIOD.sub(" ", TITLE.sub(" ", text)))}
        out |= {("ryear", RELATIVE_YEAR[m.group(0)]) for m in _RELATIVE.finditer(text)}
    return frozenset(out)


def _asked_qualifiers(question: str, intent: Intent) -> frozenset[tuple[str, str]]:
    """Qualifiers of what a number question measures; a document's title (《…》) names it, not the number.
    The year of a date question may be the answer itself, so only number questions keep theirs."""
    return qualifiers(TITLE.sub(" ", question), year=intent is Intent.NUMBER)


def _focus(question: str, wh: re.Pattern) -> tuple[tuple[str, ...], str]:
    """The nouns next to the question word ("吞吐量是多少" → 吞吐量) and the unit asked for ("多少万吨" → 万吨).
    Generic nouns (目标, 规模…) say nothing and are left out."""
    m = wh.search(question) or FOCUS_WH.search(question)
    if not m:
        return (), ""
    before = FOCUS_TRAIL.sub("", TITLE.sub(" ", question[:m.start()]))
    # the clause of the question word says what is asked; an earlier clause tells the story (开一家劳务派遣公司，…)
    own = FOCUS_TRAIL.sub("", re.split(r"[，,；;]", before)[-1])
    if wh is NUMBER_WH and [w for w in _nouns(own) if w not in GENERIC_FOCUS]:
        before = own
    after = question[m.end():]
    counting = m.group(0) in ("多少", "几") or m.group(0).startswith(("几", "哪几"))
    unit_m = UNIT.match(after) if counting else None
    unit = unit_m.group(0) if unit_m else ""
    lay = LAY_UNIT.match(after) if counting and not unit else None
    if lay:  # 多少钱 is an amount in 元; 能保护多少年 a span of years
        unit, after = LAY_UNIT_AS[lay.group(0)], after[len(lay.group(0)):]
    after = re.split(r"[，,。？?！!]", after[len(unit):])[0]
    if counting and unit in ("", "个") and PERSON_COUNTED.match(after):
        unit = "名"  # 一个班收几个娃 / 多少个老人: a count of people, in persons (20人, 30名), not of things (8所)
    if wh is NUMBER_WH and not [w for w in _nouns(own + after) if w not in GENERIC_FOCUS]:
        # 最高可罚多少钱 / 下午几点就不收了: the question word's clause names no noun, only a lay verb — what is asked
        # is that verb's official term (罚款, 受理), not a noun of the story told before it
        officials = [o[0] for _, o in phrase_credit(own + "|" + after)]
        if officials:
            return tuple(dict.fromkeys(officials)), unit
    counted = _counted(after) if wh is NUMBER_WH else ""
    if counted and unit == "名" and PERSON_COUNTED.fullmatch(counted):
        counted = ""  # 能收多少个孩子: what takes them (托育中心) is the focus; the people are counted as its places
    if counted:  # 多少座户用卫生厕所: what is counted follows the question word
        # lay nouns with the suffix 子/儿 (村子, 厂子) are the plain noun in documents (124个村)
        return (counted[0] if len(counted) == 2 and counted[1] in "子儿" else counted,), unit
    deeds = [w for w, f in _tagged(own) if f[:1] == "v" and len(w) >= 2 and w not in GENERIC_FOCUS]
    if wh is NUMBER_WH and own.strip() != before.strip() and deeds and not _nouns(own + after):
        # 我的民宿去年翻修，现在重新开业了，改造能补多少钱: the question's own clause names the deed (改造),
        # the story before it (开业) says nothing of what the figure measures
        return (deeds[0],), unit
    if wh is NUMBER_WH and unit and _predicate_first(after):
        # 多少人从外地回到了家乡: the counter is what is counted; the words after it say what they did, in the
        # asker's words (回到家乡 for 回流), and need not stand by the figure
        return tuple(t for t in dict.fromkeys(_nouns(before)[-2:]) if t not in GENERIC_FOCUS), unit
    terms = [_unglued(t, question) for t in _nouns(before)[-2:] + _nouns(after)[:1]]
    return tuple(t for t in dict.fromkeys(terms) if t not in GENERIC_FOCUS and not _names_document(t, question)
                 and not re.search(r"(?:这|该|此|上述)[项个些]?" + re.escape(t), question)), unit  # 这项工作: named before


def _unglued(term: str, question: str) -> str:
    """申请经托育机构确认: the tagger glues the preposition to the noun (经托育); the noun stands alone elsewhere in
    the question (托育费补贴), and it is the term."""
    if len(term) >= 3 and term[0] in "经由从对向在把被给按" and question.count(term[1:]) > question.count(term):
        return term[1:]
    if len(term) >= 3 and term[0] in "在于到" and _after_verb(term, question):
        return term[1:]  # 住在城镇的比例: 在 follows the verb (住在), the noun is 城镇
    return term


def _after_verb(term: str, question: str) -> bool:
    """`term` follows a verb in the question (住 | 在城镇): its first character is that verb's preposition."""
    tagged = _tagged(question)
    return any(w == term and k and tagged[k - 1][1][:1] == "v" and len(tagged[k - 1][0]) == 1
               for k, (w, _) in enumerate(tagged))


DOC_KIND = re.compile(r"(?:办法|条例|细则|方案|规划|意见|通知|规定|文件)(?:规定|明确|提出|要求|中|里|上|说|写|讲|不?允许|禁止)")


def _names_document(term: str, question: str) -> bool:
    """丁市养犬管理办法规定…: 办法 ends the document's name (written without 《》), it is not what is measured."""
    return any(m.group(0).startswith(term) for m in DOC_KIND.finditer(question))


def _predicate_first(after: str) -> bool:
    """The words after a question word open with a verb or preposition (从外地回来, 回流到…): a predicate."""
    tagged = _tagged(after)
    return bool(tagged) and tagged[0][1][:1] in ("v", "p", "d") and tagged[0][1] != "vn"


def _counted(after: str) -> str:
    """The noun a question word counts (多少家重点企业开展… → 企业): the last noun before the next verb.
    多少个是贫困镇: what follows 是 is what is counted, whole when the tagger splits it (贫困 + 镇)."""
    m = re.match(r"(?:是|为|属于)([\u4e00-\u9fff]{2,6})$", after)
    if m:
        return m.group(1)
    head = ""
    for w, flag in _tagged(after):
        if flag[:1] in ("v", "p", "c", "d", "r", "u") and flag != "vn":
            break
        if flag[:1] == "n" and len(w) > 1 and w not in GENERIC_FOCUS:
            head = w
    return head


TARGET_WH = re.compile(r"哪些|哪几[个项类种条]?|哪[两三四五六七八九十][个项类种条]?|几[个项类种条]|几大|(?<!为)什么|哪个|哪类|哪种")


# words that name the same kind of section in everyday and in document language (长处 → 优势分析, 不足 → 存在问题,
# 威胁 → 挑战): a list question asking for one is answered by a heading with another of its group
STEP_WORDS = ("程序", "流程", "步骤", "环节")
HEADING_GROUPS = (
    ("优势", "长处", "优点", "强项", "有利条件", "发展基础", "亮点"),
    ("问题", "不足", "短板", "劣势", "弱项", "缺点", "薄弱环节", "差距", "瓶颈"),
    ("挑战", "威胁", "风险"),
    ("机遇", "机会"),
    ("措施", "举措", "对策", "做法", "办法", "招数"),
    STEP_WORDS,
)
GROUP_OF = {w: g for g in HEADING_GROUPS for w in g}
_GROUP_WORD = re.compile("|".join(sorted(GROUP_OF, key=len, reverse=True)))


def _kind_asked(question: str) -> bool:
    """The question word asks for a kind of section, and no noun of its own restricts it (外部, 方面 do not)."""
    target = _target(question)
    m = _last_wh(question)
    if target not in GROUP_OF or not m or target not in question[m.end():]:
        return False  # 保障措施包括哪几条: the noun names the heading itself, before the question word
    middle = question[m.end():question.find(target, m.end())]
    return not [w for w in _nouns(middle) if w not in GENERIC_FOCUS]


def heading_names(target: str, label: str) -> bool:
    """Whether a heading `label` names what a list question asks for (`target`), in its words or a synonym's."""
    if not target:
        return False
    return target in label or any(w in label for w in GROUP_OF.get(target, ()))


def _last_wh(question: str) -> re.Match | None:
    """The last question word: 我们几个人想成立…，需要符合哪些条件 asks with 哪些, not with 几个."""
    found = list(TARGET_WH.finditer(question))
    return found[-1] if found else None


# 都改些什么 / 主要干些什么 / 要建哪些东西: the content of a deed, which a plan states under its …内容 heading
CONTENT_Q = re.compile(r"[\u4e00-\u9fff](?:了?些|点)什么|(?:哪些|什么)(?:东西|事情?)(?:[？?]|$)")


# 要带哪些东西 / 得准备啥: what one brings to an office is the materials a rule lists (提交下列材料：)
BRING_Q = re.compile(r"(?:要|得|需要|应该|该|应当|必须)(?:携?带|准备|提交|交)上?(?:哪些|什么|啥)"
                     r"|(?:携?带|准备|提交)上?(?:哪些|什么|啥)(?:东西|材料|证件|资料|手续)")  # not 产业带哪些劣势


QUOTED_SUBJECT = re.compile(r"[“\"「]([^”\"」]{2,8})[”\"」](?:主要|具体|一共|都)?(?:包括|包含|涵盖|分为|分成|有)?$")


def _target(question: str) -> str:
    if BRING_Q.search(question):
        return "材料"
    if CONTENT_Q.search(question):
        return "内容"
    m = _last_wh(question)
    if not m:
        return ""
    after = re.split(r"[，,。？?！!]", question[m.end():])[0]
    named = re.match(r"(?:[^，,。？?]{0,4}?)(" + _GROUP_WORD.pattern + ")", after)
    if named:  # 有哪些不足之处 / 面临哪些外部威胁: the section word, whatever jieba tags it
        return named.group(1)
    head = _phrase_head(after)
    if head:
        return head
    quoted = QUOTED_SUBJECT.search(question[:m.start()])
    if quoted:  # “特殊病”包括哪几种: the quoted term is what is listed, however the tagger cuts it (特殊 / 病)
        return quoted.group(1)
    before = [w for w in _nouns(FOCUS_TRAIL.sub("", question[:m.start()])) if w not in GENERIC_FOCUS]
    return before[-1] if before else ""


COUNT_NAMED = re.compile(r"(?:哪|这|那|的|是)?([两三四五六七八九十])(?:个|项|大|类|种|条|方面|件)")
_CN = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _count(question: str) -> int | None:
    m = COUNT_NAMED.search(question)
    if not m or re.search(r"(?:哪些|哪几[个项类种条件]?)(?=[\u4e00-\u9fff])(?![是呢吗个项类种条件])", question[m.end():]):
        return None  # 两项补贴哪些情况不予受理: the count names the subject; the list asked (情况) is not counted
    return _CN[m.group(1)]


# deeds the tagger may take for nouns when they close a question (…渠道办理)
DEEDS = frozenset("办理 申请 申报 审批 登记 处理 报名 缴纳 提交 认定 核定 查询 咨询 投诉 举报".split())


def _phrase_head(after: str) -> str:
    """The head of the noun phrase after the question word: its last plain noun (哪些合作共建模式 → 模式,
    哪些省直部门牵头 → 部门), else its first verbal noun."""
    tagged = [(w, f) for w, f in _tagged(after) if w not in GENERIC_FOCUS]
    plain = [w for w, f in tagged if f[:1] == "n" and f != "vn" and (len(w) > 1 or f == "n")]
    verbal = [w for w, f in tagged if f == "vn" and len(w) > 1]
    words = [w for w, f in tagged if f != "x"]
    if len(plain) >= 2 and plain[-1] == words[-1] and plain[-1] in DEEDS:
        plain.pop()  # 哪些线上渠道办理: the deed after the phrase (办理, tagged a noun) is no head of it
    if not plain and len(words) == 1 and len(words[0]) > 1:
        return words[0]  # 禁止哪些行为: the one word asked for, whatever jieba tags it (行为 as a verb)
    if not plain and len(words) >= 2 and tagged[0][1] == "b" and len(words[-1]) > 1:
        return words[-1]  # 哪些公共配套: after a modifier (公共), the phrase's last word is its head (配套)
    return plain[-1] if plain else (verbal[0] if verbal else "")


def _tagged(text: str) -> list[tuple[str, str]]:
    import jieba.posseg  # lazily: its dictionary loads on first use

    return [(w.lower(), flag) for w, flag in jieba.posseg.lcut(text)]


def _nouns(text: str) -> list[str]:
    from policyqa.store.lexical import STOPWORDS

    # nouns, verbal nouns and set phrases (粮食产量 is tagged l)
    return [_unmodal(w) for w, flag in _tagged(text) if len(w) > 1 and (flag[:1] == "n" or flag in ("vn", "l", "j"))
            and w not in STOPWORDS]


def _unmodal(word: str) -> str:
    """最高能贷多少: a word the tagger made up (no dictionary word) that opens with a modal is the modal and a verb;
    the verb (贷, as in 贷款) is what is asked about — 能源, 会议, 要素 are dictionary words."""
    import jieba

    return word[1:] if word[0] in "能可会要该得" and jieba.dt.FREQ.get(word) is None else word


# classes whose members a list question asks for by name: bodies (银行, 企业 …) and things or places of a kind
# (铁路, 园区, 县 — `names.py` has their members' name endings); a one-character place class (县, 区) only
# as a word of its own (哪几个县？ — not 哪些县级部门)
_THING_CLASS = "|".join(sorted(THING_CLASSES, key=len, reverse=True))
_PLACE_CLASS = (r"(?:" + "|".join(w for w in sorted(PLACE_CLASSES, key=len, reverse=True) if len(w) > 1)
                + r"|(?:县|区|镇|市|村)(?=[？?，,。]|$|都|分别|有|是|要|在|里|中|呢))")
_BODY_CLASS = r"银行|企业|公司|集团|机构|商会|协会|学校|高校|医院|平台|单位|部门|机关"
NAME_CLASS = r"(?:" + _THING_CLASS + "|" + _BODY_CLASS + "|" + _PLACE_CLASS + r")"
# 哪几家银行 / 哪些龙头企业 / 要建设哪些铁路 / 提到了哪几个县: the class after the question word
NAMES_AFTER = re.compile(r"(?:哪些|哪几[家个条所座]?|哪[两三四五六七八九十][家个条所座]|哪一?家|哪个)[^，,。？?、的]{0,4}?("
                         + NAME_CLASS + r")")
# 合作银行是哪几家 / 是哪家公司的: the class before it — not a place, which is the subject (青山镇有哪些长处)
# (not a class one stands in: 公园里有哪些设施 asks for the park's facilities, not parks' names)
_WITHIN = frozenset("公园 小区 住宅小区 幼儿园".split())
NAMES_BEFORE = re.compile(r"(" + "|".join(c for c in sorted(THING_CLASSES, key=len, reverse=True) if c not in _WITHIN)
                          + "|" + _BODY_CLASS + r")(?:[^，,。？?]{0,4}?)(?:是|有|包括|分别是)?"
                          r"(?:哪几家|哪些|哪家|哪几个|哪几条)")


# 三座公园叫什么名字 / 幼儿园的名称是什么: the class before the words asking for a name
NAMES_CALLED = re.compile(r"(" + _THING_CLASS + "|" + _BODY_CLASS + r")(?:[^，,。？?]{0,3}?)(?:叫什么|的?名字|的?名称(?:是什么|有哪些))")


def _names_asked(question: str) -> str:
    """The class of bodies whose names a question asks for (哪几家银行 → 银行), else ""."""
    q = TITLE.sub(" ", question)
    # the class after the question word first (26个项目是哪些企业投资的 → 企业, not 项目)
    before = NAMES_BEFORE.search(q)
    after = _tagged(q[before.end():]) if before else []
    if after and after[0][1].startswith("n") and len(after[0][0]) >= 2:
        before = None  # 物业服务企业应当履行哪些职责: the question word asks for 职责, the class is the subject
    m = NAMES_AFTER.search(q) or before or NAMES_CALLED.search(q)
    if m and m.group(1) in PLACE_CLASSES | THING_CLASSES.keys() and re.search(
            r"[\u4e00-\u9fff]{2,6}、[\u4e00-\u9fff]{2,6}", q[:m.start()]):
        return ""  # 西川、东川、南川中，哪几个…: the question gives the names, it asks which of them
    return m.group(1) if m else ""


def _places(question: str) -> list[str]:
    # a place the tagger knows (ns), or a pronoun-like name with its level (某镇, 该县 is no name: 本/我/该…)
    joined = _joined(_tagged(TITLE.sub(" ", question)))
    return list(dict.fromkeys(w for k, (w, flag) in enumerate(joined)
                              if (flag == "ns" or flag == "r" and LEVELLED.fullmatch(w)) and len(w) > 1
                              and w not in _NOT_PLACES and not FACILITY.search(w)
                              # 去越南参加展会: where the asker goes, not whose rules are asked
                              and not (k and joined[k - 1][0] in _TOWARDS)))


def _joined(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Place names the tagger splits, joined: a name and its one-character level (青石 + 镇 → 青石镇), or a
    one-character place or morpheme and the place after it (青 + 山镇 → 青山镇, 栖 + 梧县 → 栖梧县)."""
    out: list[tuple[str, str]] = []
    for w, flag in tagged:
        if out and (len(w) == 1 and w in "省市县区镇乡" and 1 <= len(out[-1][0]) <= 3
                    and (out[-1][1] in ("ns", "nr", "nz", "r") or out[-1][1][:1] == "n" and len(out[-1][0]) >= 2)
                    or flag == "ns" and out[-1][1] == "ns" and len(out[-1][0]) == 1
                    # a morpheme the tagger cut off the name (栖 + 梧县 → 栖梧县)
                    or flag == "ns" and len(w) == 2 and w[-1] in "省市县区镇乡" and len(out[-1][0]) == 1
                    and out[-1][1].endswith("g")):
            prev = out.pop()
            out.append((prev[0] + w, "ns" if prev[1] != "r" else "r"))
        else:
            out.append((w, flag))
    return out


LEVELLED = re.compile(r"(?![本我该全各此其那这])[\u4e00-\u9fff]{1,4}(?:省|市|县|区|镇|乡)")


# a port, an airport, a station is a thing asked about (乙港的地位), not the place that scopes the question
FACILITY = re.compile(r"(?:港|港区|机场|站|码头|大桥)$")


# 镇里 / 村里 / 县里: the asker's own place, as a document says 全镇 — not a place name
_TOWARDS = frozenset("去 到 赴 飞 往 前往 飞往".split())
_NOT_PLACES = frozenset("城市 都市 城乡 城镇 乡镇 集镇 农村 地区 新建 全国 全省 全市 国内 国外 海外 沿海 内地 镇里 村里 县里 市里 区里 乡里 省里 城里 "
                        "东西 上街 街上 大门口 门口 路边 河边 楼下 楼上".split())
