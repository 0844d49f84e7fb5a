"""Example questions made from the documents' titles, sections and metadata, or taken from the settings."""

from __future__ import annotations

from policyqa.schema import Document, Paragraph
from policyqa.web.examples import MAX_EXAMPLES, example_questions, subject


def _doc(name: str, title: str, headings: list[str], **meta) -> Document:
    paras = [Paragraph(id=f"{name}-{i}", doc=name, index=i, clause=(h,), text=h, start=0, end=len(h), line_start=i,
                       line_end=i, heading=True) for i, h in enumerate(headings)]
    return Document(name=name, title=title, hash="", kind="txt", text="", paragraphs=paras, **meta)


PLAN = _doc("a.txt", "青禾县水网建设规划", ["第一章 现状与问题", "第二节 存在问题", "第三章 主要任务", "四、保障措施"],
            doctype="规划", period="2024—2030年", issuer="青禾县水务局")
NOTICE = _doc("b.txt", "关于做好秋季防汛工作的通知（试行）", ["一、工作目标", "二、重点任务"])
DIGEST = _doc("c.txt", "白鹭湾通讯等3篇", ["一、存在问题"])
LONG = _doc("d.txt", "关于进一步深化营商环境综合配套改革推动民营经济高质量发展的若干措施", ["一、主要任务"])


def test_questions_follow_each_documents_own_structure():
    assert example_questions([PLAN]) == ["青禾县水网建设规划的规划期是哪几年？", "青禾县水网建设规划指出了哪些问题？",
                                         "青禾县水网建设规划有哪些主要任务？", "青禾县水网建设规划有哪些保障措施？"]
    # one per document in turn; a bracketed status is left out of the subject
    assert example_questions([PLAN, NOTICE])[:2] == ["青禾县水网建设规划的规划期是哪几年？",
                                                     "关于做好秋季防汛工作的通知的工作目标是什么？"]
    assert len(example_questions([PLAN, NOTICE])) == MAX_EXAMPLES


def test_titles_that_cannot_be_a_subject_give_no_questions():
    assert subject(DIGEST.title) == "" and subject(LONG.title) == ""
    assert example_questions([DIGEST, LONG]) == []


def test_configured_questions_win():
    assert example_questions([PLAN], ["甲是什么？", " ", "乙有哪些？"]) == ["甲是什么？", "乙有哪些？"]
