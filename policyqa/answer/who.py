"""Who-questions: the bodies a sentence names, the deeds asked of them, and the sentences of one actor's task."""

from __future__ import annotations

import re

from policyqa.answer.candidates import Candidate
from policyqa.answer.compose import ENUMERATOR
from policyqa.text import normalize

# the answering sentence of a who-question names a body or a post (市自然资源局, 园区管委会, 市主要领导), not only
# 有关部门 / 相关责任单位
GENERIC_BODY = re.compile(r"(?:各|全|本)?(?:有关|相关|各|其他)(?:责任|职能|主管|行政|政府|管理)?(?:部门|单位|机关|机构|方面)"
                          r"|(?:牵头|责任|参加|配合|主管)(?:部门|单位)")

_ORG_NAME = (r"[\u4e00-\u9fff]{2,}?(?:委员会|管委会|人民政府|政府|办公厅|办公室|工商联|统战部"
             r"|(?<![东南西北中内外全局基头腹底顶干])部(?!门|分|署)|厅|(?<![布格结大全开当时僵棋出终])局|委(?!托)"
             r"|院|海关|法院|检察院|机关|(?<!数据|物流|会展|体育|文化|购物|商务|展示|研发|活动|演艺|商业)中心(?!城)"
             r"|公司|集团|银行|商会|协会|(?:管理|监督|监管|执法)部门"  # 大数据中心, 会展中心: a building, no body
             r"|(?:救援|消防|执法|交警|巡警)[总支大中]队"  # 市消防救援大队: a brigade is a body
             # a rule names a body by its function (住房城乡建设部门, 消防救援机构)
             r"|(?:建设|规划|资源|卫生|健康|教育|财政|民政|交通|运输|农业|水利|商务|旅游|应急|环境|保障|税务|公安|救援|城管)"
             r"(?:行政|主管)?(?:部门|机构))"
             r"|(?:主管|负责)[\u4e00-\u9fff]{2,12}的(?:部门|机关|机构|单位)")  # 主管公安派出所工作的部门
# a body by name, not a post: 哪个部门/单位 is not answered by 负责同志 or 市领导
NAMED_ORG = re.compile(_ORG_NAME)
NAMED_BODY = re.compile(_ORG_NAME + r"|领导|负责人|负责同志|书记|市长|县长|主任")  # a body or a post

# facilities counted (建设县级电商公共服务中心5个): built things, not a body that acts
COUNTED_FACILITY = re.compile(r"(?:中心|站|院|馆|所)\s*(?:\d+|[一二三四五六七八九十两]+)\s*[个座家所处]")

ORG_ASKED = re.compile(r"(?:哪个|哪些|什么|哪一个|哪家|哪级|哪[两三四五六七八九十几]个?)[^，。？?、]{0,4}?(?:部门|单位|机关|机构)")
# what a who-question asks the body to do, by kin (牵头 ≈ 负责 ≈ 主管; 推进 ≈ 落实 ≈ 实施): the sentence that answers
# says the body does it — 中共甲市市委印发《方案》 does not say who leads its implementation
ACTION_KIN = (("牵头", "负责", "主管", "主抓", "统筹", "组织", "领导", "责任单位"),
              ("推进", "推动", "落实", "实施", "执行", "开展", "承担", "负责", "牵头", "责任单位"),
              ("审批", "批准", "核准", "审核", "审查", "复核"),
              ("监督", "监管", "检查", "管理"),
              ("指导", "管理", "负责"),
              ("主管", "监管", "管理", "负责", "责令", "警告"))  # 归谁管: the body that oversees it or acts on a breach

# the labels of a table's cell that names the body doing the work (…；责任单位：市住房城乡建设局；)
ACTOR_LABELS = ("牵头单位", "责任单位", "负责单位", "牵头部门", "责任部门", "主管部门", "实施单位", "承办单位")

# a lay who-question for the body in charge: 归哪个部门管, 谁来管, 哪个单位管
IN_CHARGE_Q = re.compile(r"(?:归|由)?(?:谁|哪个部门|哪个单位|哪个机关|哪些部门|哪家)(?:来)?管(?!理)")


# 接受采访的果农是谁 / 那位居民叫什么名字: a person, whom a report names right after the role (果农陈国良)
# 介绍…的是哪位官员 / 哪位领导: a person, named with a post; the post words a person is named after
WHICH_PERSON = re.compile(r"哪位([\u4e00-\u9fff]{0,3}?)[？?]?$")
GENERIC_PERSON = frozenset("人 官员 领导 同志 负责同志".split())
POST = re.compile(r"(?:局|处|科|厅|部|院|所|站|馆|校|市|县|区|镇|乡|村|社)长$|主任$|书记$|负责人$|主席$|经理$|专家$|委员$")
PERSON_Q = re.compile(r"(?:是谁|叫什么(?:名字)?|叫啥(?:名字)?|姓什么)[？?]?$")


def person_role(question: str) -> tuple[str, str]:
    """The role of the person a question asks the name of, and the noun it belongs to when one stands right
    before it (接受采访的果农是谁 → 果农, ""; 集团负责人是谁 → 负责人, 集团); ("", "") for other questions."""
    from policyqa.answer.analysis import _tagged  # jieba's tagger, loaded on first use

    which = WHICH_PERSON.search(question)
    if which:  # 是哪位官员: any person named with a post (副局长郑嘉明)
        return which.group(1) or "人", ""
    m = PERSON_Q.search(question)
    if not m:
        return "", ""
    tagged = _tagged(question[:m.start()])
    k = next((k for k in range(len(tagged) - 1, -1, -1) if tagged[k][1] == "n" and len(tagged[k][0]) >= 2), None)
    if k is None:
        return "", ""
    owner = tagged[k - 1][0] if k and tagged[k - 1][1][:1] == "n" and len(tagged[k - 1][0]) >= 2 else ""
    return tagged[k][0], owner


def names_person(role: tuple[str, str], text: str) -> bool:
    """`text` names a person right after the role (果农陈国良, 居民王秀英), of its owner when the question names one
    (集团负责人 is not answered by 办事处负责人黄志刚)."""
    from policyqa.answer.analysis import _tagged

    word, owner = role
    tagged = _tagged(text)
    if word in GENERIC_PERSON:
        return any(POST.search(w) and k + 1 < len(tagged) and tagged[k + 1][1].startswith("nr")
                   for k, (w, _) in enumerate(tagged))
    if not word or word not in text:
        return False
    return any(w == word and k + 1 < len(tagged) and tagged[k + 1][1].startswith("nr")
               and (not owner or owner in "".join(x for x, _ in tagged[max(0, k - 4):k]))
               for k, (w, _) in enumerate(tagged))


def asked_actions(question: str) -> tuple[str, ...]:
    """The words a who-question asks the body to do, with their kin (由哪个部门牵头推进 → 牵头, 负责, 推进, 落实…)."""
    after = question[ORG_ASKED.search(question).start():] if ORG_ASKED.search(question) else question
    before = question[:ORG_ASKED.search(question).start()] if ORG_ASKED.search(question) else ""
    told = [w for g in ACTION_KIN for w in g if w in after or before.endswith("由") and w in after]
    if IN_CHARGE_Q.search(question):
        told.append("主管")  # 归哪个部门管 / 谁管: the body in charge (主管部门)
    return tuple(dict.fromkeys(k for g in ACTION_KIN if any(w in g for w in told) for k in g))


PURPOSE = re.compile(r"^为了?(?:贯彻|落实|深入|认真|全面|进一步|加快|推动|推进|规范|加强)[^，。]*[，,]")


def _own(c: Candidate) -> str:
    """The sentence with what follows it closely (…工程建设。（牵头单位：省能源局）) and its own heading."""
    after = re.match(r"\s*[（(][^）)]{0,80}[）)]", c.passage.paragraph[c.end:])
    own = c.text + (after.group(0) if after else "") + "".join(c.passage.clause[-1:])
    return PURPOSE.sub("", own)  # 为贯彻落实省委…部署，制定本计划: whose policy it carries out, not who does the deed


def doer(question: str, cands: list[Candidate], near: float) -> Candidate | None:
    """谁来复核: when the best sentence names no body (申请—受理—审核—复核), a close one of the same document that
    names the body doing the very deed asked (县残联…进行复核)."""
    told = [w for g in ACTION_KIN for w in g if w in question]
    if IN_CHARGE_Q.search(question):  # 归谁管: the body that oversees it, or that acts on a breach (由公安机关给予警告)
        told += ACTION_KIN[-1]
    if not told or NAMED_ORG.search(GENERIC_BODY.sub("", _own(cands[0]))):
        return None

    def does(text: str) -> bool:  # the body stands before the deed: its subject (县残联…进行复核, not 复核通过的，在县政府…)
        org = NAMED_ORG.search(GENERIC_BODY.sub("", text))
        return bool(org) and any(org.start() < GENERIC_BODY.sub("", text).find(w) for w in told if w in text)
    return next((c for c in cands[1:4] if c.passage.doc == cands[0].passage.doc and c.score >= near * cands[0].score
                 and does(c.text)), None)


def does_asked(question: str, lead: Candidate) -> bool:
    """The best sentence of a who-question names what was asked: a body by name when a department or unit is
    asked (not a post: 负责同志), doing what the question asks (牵头/推进…, or a kin) when it asks a deed."""
    own = _own(lead)
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


ACTOR = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:要|将|应当|应|需要|需)")


def actor_sentences(question: str, cands: list[Candidate], top: int = 3, limit: int = 320) -> list[Candidate]:
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
