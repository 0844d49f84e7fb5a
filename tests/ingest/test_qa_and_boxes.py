"""Policy Q&A documents (问：…/答：…) and boxes without a number (专栏 重点工程): their clause paths."""

from __future__ import annotations

from policyqa.ingest.chunk import ChunkSettings, chunk_document
from policyqa.ingest.clean import clean_blocks
from policyqa.ingest.headings import heading_level, is_answer_start
from policyqa.ingest.structure import build_document
from policyqa.schema import Document, LoadedFile

QA = """某县2026年城乡居民养老保险政策问答

为便于群众了解城乡居民养老保险政策，县人力资源和社会保障局对群众关心的问题解答如下。

问：哪些人可以参加城乡居民养老保险？

答：年满16周岁、不在校、未参加职工基本养老保险的本县户籍居民，可以参加城乡居民养老保险。

问：个人缴费分几个档次？

答：个人缴费标准分为以下档次：
（一）每年200元；
（二）每年500元；
（三）每年1000元

问：为什么要尽早参保缴费？

答：养老金待遇与缴费年限和缴费金额挂钩，缴费越早、越多，领取的养老金越多。
参保人年满60周岁时累计缴费不足15年的，应当按年补缴。

2.问：政府给缴费补贴吗
答：给。选择200元档次的，政府补贴30元；选择500元档次的，补贴60元。
Q5：在哪里办理参保登记？A：到户籍所在地村（社区）服务站办理。
"""

GROUPED = """某区医疗保障政策问答

一、参保缴费

1.问：新生儿怎么参保？

答：新生儿出生后90日内办理参保登记并缴费，自出生之日起享受待遇。

二、待遇保障

2.问：门诊费用能报销吗？

答：能，报销比例为50%。
"""

PLAN = """某县智慧旅游发展规划（2026—2030年）

第一章 发展基础

全县旅游业保持较快增长。

第二章 主要任务

第一节 完善旅游基础设施

推进景区道路、停车场和游客中心建设。

第二节 发展智慧旅游

建设全域旅游大数据平台，推动景区预约、导览、结算一网通办。

专栏 重点工程

1.景区提质工程：改造提升A级景区12个。
2.智慧导览工程：建设景区智能导览系统8套。
3.游客服务工程：新建游客服务中心6个。
4.旅游厕所工程：新建改建旅游厕所120座。
5.人才培训工程：培训导游和旅游从业人员3000人次。

第三节 培育旅游品牌

打造“山水某县”旅游品牌。

专栏：品牌建设行动

1.节庆品牌：每年举办乡村旅游节。
2.线路品牌：推出精品旅游线路10条。

第三章 保障措施

加强组织领导。
"""


def build(text: str, name: str = "t.txt") -> Document:
    lf = LoadedFile(name=name, kind="txt", text=text)
    return build_document(lf, clean_blocks(lf))


def para(d: Document, needle: str):
    hits = [p for p in d.paragraphs if needle in p.text]
    assert len(hits) == 1, (needle, [p.text[:30] for p in hits])
    return hits[0]


# ---- questions and answers --------------------------------------------------------------------------------

def test_question_lines_are_recognised():
    for line in ("问：哪些人可以参保？", "问:哪些人可以参保?", "Q：哪些人可以参保？", "一问：哪些人可以参保？",
                 "1.问：哪些人可以参保？", "问1：哪些人可以参保？", "问十二：哪些人可以参保？",
                 "问题三：哪些人可以参保？", "【问】哪些人可以参保？"):
        h = heading_level(line)
        assert h is not None and h.kind == "question" and not h.inline, line
        assert h.display.endswith("哪些人可以参保？") or h.display.endswith("哪些人可以参保?"), line
    h = heading_level("问：可以补缴吗？答：可以。")
    assert h.kind == "question" and h.inline and h.display == "问：可以补缴吗？"
    # running text that merely starts with the characters
    assert heading_level("问题：部分企业未按时缴费。") is None
    assert heading_level("问询函已经送达。") is None
    assert is_answer_start("答：可以。") and is_answer_start("A: yes") and is_answer_start("【答】可以。")
    assert not is_answer_start("答复意见如下。")


def test_answers_sit_under_their_question():
    d = build(QA)
    q = para(d, "问：为什么要尽早参保缴费？")
    assert q.heading and q.clause == ("问：为什么要尽早参保缴费？",)
    # every answer paragraph (verbatim, with its 答： label) has the question as clause path
    a = para(d, "答：养老金待遇与缴费年限")
    assert not a.heading and a.text.startswith("答：") and a.clause == ("问：为什么要尽早参保缴费？",)
    assert para(d, "参保人年满60周岁时累计缴费不足15年").clause == ("问：为什么要尽早参保缴费？",)
    # the introduction stays above the questions
    assert para(d, "对群众关心的问题解答如下").clause == ()
    # the list of an answer nests under the question; its last line (no end mark) is an item, not a heading
    first = para(d, "（一）每年200元")
    assert first.clause == ("问：个人缴费分几个档次？", "（一）每年200元") and not first.heading
    last = para(d, "（三）每年1000元")
    assert last.clause == ("问：个人缴费分几个档次？", "（三）每年1000元") and not last.heading
    # a numbered question without a question mark, its answer set right under it
    n = para(d, "2.问：政府给缴费补贴吗")
    assert n.heading and n.text == "2.问：政府给缴费补贴吗"
    assert para(d, "答：给。").clause == ("2.问：政府给缴费补贴吗",)
    # a question that carries its answer on the same line is one paragraph under the question's words
    qa = para(d, "Q5：在哪里办理参保登记？")
    assert not qa.heading and qa.clause == ("Q5：在哪里办理参保登记？",) and "A：到户籍所在地" in qa.text
    assert [p.text for p in d.paragraphs if p.heading and p.clause] == [
        "问：哪些人可以参加城乡居民养老保险？", "问：个人缴费分几个档次？", "问：为什么要尽早参保缴费？", "2.问：政府给缴费补贴吗"]


def test_questions_nest_under_the_headings_that_group_them():
    d = build(GROUPED)
    assert para(d, "一、参保缴费").heading
    assert para(d, "新生儿出生后90日内").clause == ("一、参保缴费", "1.问：新生儿怎么参保？")
    h = para(d, "二、待遇保障")
    assert h.heading and h.clause == ("二、待遇保障",)
    assert para(d, "答：能，报销比例为50%。").clause == ("二、待遇保障", "2.问：门诊费用能报销吗？")


def test_an_answer_is_chunked_with_its_question():
    d = build(QA)
    # a unit smaller than the whole text, as in a full-length Q&A: each answer is a clause of its own
    settings = ChunkSettings(size=200, overlap=20, unit=200)
    chunks = [c for c in chunk_document(d, settings) if "养老金待遇与缴费年限" in c.text]
    assert len(chunks) == 1
    c = chunks[0]
    assert c.clause == ("问：为什么要尽早参保缴费？",) and c.text.startswith("问：为什么要尽早参保缴费？\n答：")
    assert "问：个人缴费分几个档次？" not in c.text and "问：为什么要尽早参保缴费？" in c.embed_text


# ---- boxes without a number -------------------------------------------------------------------------------

def test_unnumbered_box_lines():
    assert heading_level("专栏 重点工程").display == "专栏 重点工程"
    assert heading_level("专栏：重点工程").display == "专栏 重点工程"
    h = heading_level("专栏重点工程")
    assert h.kind == "box" and h.number is None
    assert heading_level("专栏文章指出，要加快数字化转型。") is None
    assert heading_level("专栏3 重点工程").display == "专栏3 重点工程"


def test_unnumbered_box_owns_its_items_until_the_next_section():
    d = build(PLAN)
    box = para(d, "专栏 重点工程")
    section = ("第二章 主要任务", "第二节 发展智慧旅游")
    assert box.heading and box.clause == section + ("专栏 重点工程",)
    items = [p for p in d.paragraphs if p.clause[:3] == section + ("专栏 重点工程",) and not p.heading]
    assert [p.clause[-1] for p in items] == ["1.景区提质工程", "2.智慧导览工程", "3.游客服务工程", "4.旅游厕所工程",
                                              "5.人才培训工程"]
    # the box ends at the next 节
    assert para(d, "第三节 培育旅游品牌").clause == ("第二章 主要任务", "第三节 培育旅游品牌")
    assert para(d, "打造“山水某县”旅游品牌").clause == ("第二章 主要任务", "第三节 培育旅游品牌")
    # a 专栏：… box numbers its items afresh, and ends at the next 章
    second = ("第二章 主要任务", "第三节 培育旅游品牌", "专栏 品牌建设行动")
    assert para(d, "1.节庆品牌").clause == second + ("1.节庆品牌",)
    assert para(d, "2.线路品牌").clause == second + ("2.线路品牌",)
    assert para(d, "加强组织领导。").clause == ("第三章 保障措施",)
