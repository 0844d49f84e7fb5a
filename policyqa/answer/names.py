"""Named members of a class of things a list question asks for (哪些铁路 → 甲乙高铁、丙乙铁路; 哪几个县 → 西川、东川、
南川): the classes, the endings of their members' names, and the names a sentence holds. General Chinese naming:
a member's own characters stand before its class's ending (…高铁, …工业园, …医院), or the members are listed before a
count and the class word (A、B、C三个县级市)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from policyqa.answer.candidates import Candidate, overlaps
from policyqa.answer.who import GENERIC_BODY, NAMED_ORG

if TYPE_CHECKING:  # analysis imports this module
    from policyqa.answer.analysis import QuestionAnalysis

# a class word of the question → the endings of its members' names (铁路 ↔ …铁路/…高铁/…城际)
_RAIL = "铁路|高铁|城际|轻轨|地铁|专用线|轨道交通"  # not 连接线/支线: roads have them too
_ROAD = "高速公路|高速|公路|国道|省道|大道|快速路|环路|路|街|巷"  # 光明路, 解放街, 桂花巷
_PORT = "港区|港口|码头|作业区|港"
_PARK = "工业园区|工业园|产业园区|产业园|园区|开发区|高新区|示范区|新区|集聚区|合作区"
_SCHOOL = "学校|中学|小学|高中|初中|大学|学院|幼儿园|技校"
_HOSPITAL = "医院|卫生院"
_SCENIC = "景区|景点|公园|度假区|保护区|风景区"
_ESTATE = "小区|家园|花园|苑|公寓|新村|社区"
THING_CLASSES = {
    "铁路": _RAIL, "高铁": _RAIL, "城际": _RAIL, "轨道": _RAIL, "轨道交通": _RAIL,
    "公路": _ROAD, "高速公路": _ROAD, "高速": _ROAD, "道路": _ROAD,
    "港口": _PORT, "码头": _PORT, "港区": _PORT,
    "机场": "机场",
    "园区": _PARK, "工业园区": _PARK, "工业园": _PARK, "产业园": _PARK, "产业园区": _PARK, "开发区": _PARK,
    "学校": _SCHOOL, "中学": _SCHOOL, "小学": _SCHOOL,
    "医院": _HOSPITAL,
    "景区": _SCENIC, "景点": _SCENIC, "公园": _SCENIC,
    "幼儿园": _SCHOOL, "小区": _ESTATE, "住宅小区": _ESTATE,
}  # not 项目/工程: 哪几项工程 asks for a section's items, and any plan names projects
# places: members are names, often without their level (西川、东川、南川三个县级市)
PLACE_CLASSES = {"县": "县", "县级市": "县|市", "区": "区", "镇": "镇", "乡镇": "镇|乡", "市": "市", "城市": "市",
                 "村": "村", "镇街": "镇|街道", "街道": "街道"}

# what stands before a name in running text: a verb or a function word, never part of the name
_LEAD = re.compile(r"^(?:加快推进|加快建设|尽快开工建设|开工建设|规划建设|谋划推进|有序推进|推进|加快|依托|建设|谋划|规划|推动|"
                   r"实施|新建|扩建|改造|完善|开行|利用|研究|支持|包括|打造|建成|引入|引进|开展|沿|经|以|向|在|对|将|与|"
                   r"和|及|至|由|从|把|的|是|为|等)+")
# words that make a class word generic, not a name (高速公路, 既有铁路, 重点项目, 省级工业园)
_GENERIC = frozenset("高速 城际 既有 专用 疏港 市域 沿海 新建 重点 主要 国家 省级 市级 县级 国家级 省市 相关 有关 重大 大型 "
                     "现代 特色 产业 工业 农业 一批 若干 各类 这些 其他 所有 全市 全省 全县 各地 区域 城市 农村 乡村 "
                     "交通 综合 配套 示范 优质 高水平 一流 本地 当地 周边 中心 内部 外部 对外 骨干 主干 干线 支线 "
                     "快速 高等 职业 公立 公办 民办 基层 乡镇 街道 社区 建设 推进 实施 项目 工程 改造 升级 扩能 提速".split())
_CJK = r"[\u4e00-\u9fffA-Za-z0-9]"
# characters that make …路/…街 a word rather than a street (思路, 线路, 铁路, 出路, 马路)
NOT_STREET = frozenset("思线出道铁门套电水网销进一半马公陆航来去走回后前")


@lru_cache(maxsize=64)
def _ending(cls: str) -> re.Pattern:
    endings = THING_CLASSES.get(cls) or PLACE_CLASSES.get(cls, "")
    return re.compile(r"(?:" + endings + r")")


def asks_names(cls: str) -> bool:
    return cls in THING_CLASSES or cls in PLACE_CLASSES


def members(cls: str, text: str) -> list[str]:
    """The names of members of class `cls` that `text` holds, in order (甲乙高铁, 丙乙铁路)."""
    if not asks_names(cls):
        return []
    found: list[str] = []
    for m in _ending(cls).finditer(text):
        # the name's own characters: up to 8 before the ending, back to a mark or a verb
        if cls in PLACE_CLASSES and re.match(r"[级城域委长]", text[m.end():m.end() + 1]):
            continue  # 县级市, 县城, 县委: a word of its own, no place's ending
        if m.group(0) in ("路", "街", "巷") and (text[m.start() - 1:m.start()] in NOT_STREET
                                               or text[m.end():m.end() + 1] in "道区头坊面网径线口"):
            continue  # 思路, 线路, 铁路, 街道, 路面: words, not a street's name
        before = re.split(r"[、，,；;。：:（）()“”\"《》\s等和与及或至了]", text[max(0, m.start() - 8):m.start()])[-1]
        own = _LEAD.sub("", before)
        while own and _LEAD.match(own):
            own = _LEAD.sub("", own)
        if len(own) < 2 and 2 <= len(before) <= 4 and not _LEAD.fullmatch(before):
            own = before  # 向阳幼儿园 opening its clause: 向 is the name's, not a preposition
        # a verb inside (推进甲乙) leaves the name after it
        cut = re.search(r"(?:推进|建设|开工|依托|谋划|规划|加快|推动|打造|实施|改造|开行|利用|支持|包括)", own)
        if cut:
            own = own[cut.end():]
        if len(own) >= 2 and own not in _GENERIC and own[-2:] not in _GENERIC and re.fullmatch(_CJK + "+", own) \
                and not re.search(r"[一二三四五六七八九十两\d]+[个所家条座]", own):
            found.append(own + m.group(0))
    if cls in THING_CLASSES:  # A路、B路和C巷4条道路 / A、B等学校: the listed names before a count and the class word
        for m in re.finditer(r"([\u4e00-\u9fff]{2,10}(?:、[\u4e00-\u9fff]{2,8})*(?:、|和|及|与)[\u4e00-\u9fff]{2,8})"
                             r"(?:等|共?[一二三四五六七八九十两\d]+[个条所座家处])(?:" + cls + ")", text):
            names = m.group(1).split("、")
            last = re.match(r"(.{2,8}?)(?:和|及|与)(.{2,8})$", names[-1])
            if last:  # the last joined by 和 — unless 和 is the name's own (和平街)
                names[-1:] = [last.group(1), last.group(2)]
            names[0] = re.split(r"[了的是为在将对把]", names[0])[-1]  # 完成了A路: the name after the verb
            found += [n for n in names if 2 <= len(n) <= 8 and n not in found]
    if cls in PLACE_CLASSES:  # A、B、C三个县级市 / A、B等县: the listed names before the class word
        cw = "|".join(sorted({cls, *PLACE_CLASSES[cls].split("|"), "县级市"}, key=len, reverse=True))
        for m in re.finditer(r"((?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4})(?:等|[一二三四五六七八九十两\d]+个)(?:" + cw + ")",
                             text):
            found += m.group(1).split("、")
    return list(dict.fromkeys(found))


def place_names(text: str, asked: str = "") -> list[str]:
    """Place names of `text` the tagger knows (广州、深圳), not those of the question (`asked`): the members of a
    place class written without their level."""
    from policyqa.answer.analysis import _tagged

    return list(dict.fromkeys(w for w, flag in _tagged(text) if flag == "ns" and len(w) >= 2 and w not in asked))


# the classes of bodies whose names a list question asks for (合作银行是哪几家), and what a name looks like: two or
# more characters of its own before a body's suffix (华康集团, 某市东川商会, 某某银行) — not a class word (合作银行,
# 行业协会, 重点企业, 行业云平台 name none)
MEMBER_CLASSES = frozenset("银行 企业 公司 集团 机构 商会 协会 学校 高校 医院 平台".split())
MEMBER_SUFFIX = re.compile(r"(?:银行|集团|有限公司|公司|制药|商会|协会|联合会|新阶联|大学|学院|医院|研究院|研究所|平台|交易所|中心|试验区|示范区|基地|产业园|园区)(?!商)")  # 平台商/服务商 are kinds of firms
GENERIC_PREFIX = frozenset(("合作 金融 重点 骨干 龙头 相关 有关 各类 服务 管理 链主 大型 中小 上市 优质 知名 国有 民营 外资 科技 "
                            "担保 融资 商业 政策 社会 行业 专业 这些 其他 地方 市场 运营 开发 投资 全市 全省 本地 当地 镇街 "
                            "各地 各级 主要 一批 新型 传统 示范 领军 标杆 头部 配套 下游 上游 招商 中介 孵化 检测 认证 评估 "
                            "公共 工业 制造 数据 互联 网络 信息 数字 综合 区域 产业 企业 协作 联合 会员 星级 四好 高校 院校 "
                            "职业 技工 该项 项目 省级 市级 县级 国家 银行 保险 村镇 商协").split())
GENERIC_CHAR = frozenset("云类级型性等个批些家各")


def names_body(text: str) -> bool:
    """`text` names at least one member of a class of bodies: a name's own characters before a body's suffix."""
    for m in MEMBER_SUFFIX.finditer(text):
        if m.group(0) == "有限公司":
            return True  # only a name stands before 有限公司 (…新材料科技有限公司)
        before = text[max(0, m.start() - 2):m.start()]
        if len(before) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", before) and before not in GENERIC_PREFIX \
                and not set(before) & GENERIC_CHAR:
            return True
    return False


def asks_members(cls: str) -> bool:
    """The question asks for the names of members of class `cls`: bodies (哪几家银行) or things and places (哪些铁路)."""
    return cls in MEMBER_CLASSES or asks_names(cls)


def names_any(cls: str, text: str) -> bool:
    """`text` names a member of the class asked: a thing or place of a kind (甲乙高铁), else a body (华康集团)."""
    if asks_names(cls):
        return bool(members(cls, text))
    # 哪些机构/单位: a body named by its office (省委外办, 省发展改革委) is a name too
    return names_body(text) or cls in BODY_CLASSES and bool(NAMED_ORG.search(GENERIC_BODY.sub("", text)))


BODY_CLASSES = frozenset("机构 单位 部门 机关".split())


def naming_sentences(a: QuestionAnalysis, cands: list[Candidate], budget: int, limit: int = 400) -> list[Candidate]:
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
        if new and length + len(c.text) <= limit and not any(overlaps(c, o) for o in out):
            out.append(c)
            seen.update(new)
            length += len(c.text)
    return out


def names_span(text: str, named: list[str]) -> tuple[int, int]:
    """The span of `text` from the clause of its first name to the end of the clause of its last name."""
    first = min(text.find(n) for n in named)
    last = max(text.find(n) + len(n) for n in named)
    lo = max((text.rfind(ch, 0, first) for ch in "，,；;：:"), default=-1) + 1
    ends = [i for i in (text.find(ch, last) for ch in "，,；;。") if i >= 0]
    hi = min(ends) + 1 if ends else len(text)
    return lo, hi
