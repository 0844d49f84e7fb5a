"""The document's own metadata read from its text: 文号, 文种, plan period, issuer of the header."""

from __future__ import annotations

from policyqa.ingest.clean import clean_blocks
from policyqa.ingest.metadata import doctype, read_metadata
from policyqa.ingest.structure import build_document
from policyqa.schema import LoadedFile

NOTICE = """青禾县人民政府办公室文件

青政办〔2025〕17号

青禾县人民政府办公室关于印发《青禾县城乡供水一体化实施方案（2025—2027年）》的通知

各乡镇人民政府，县直有关单位：
《青禾县城乡供水一体化实施方案（2025—2027年）》已经县人民政府同意，现印发给你们，请认真组织实施。根据《市人民政府关于加强供水保障的意见》（临府〔2024〕9号）要求，各单位要抓好落实。

青禾县人民政府办公室
2025年3月18日
"""


def test_header_number_issuer_and_type():
    meta = read_metadata("青禾县人民政府办公室关于印发《青禾县城乡供水一体化实施方案（2025—2027年）》的通知",
                         NOTICE.split("\n"))
    assert meta.number == "青政办〔2025〕17号"  # not the other file cited in the body
    assert meta.issuer == "青禾县人民政府办公室"
    assert meta.doctype == "通知"
    assert meta.period == "2025—2027年"


def test_number_cited_in_a_body_sentence_is_not_the_documents():
    body = ["各县区：", "根据《关于加强供水保障的意见》（临府〔2024〕9号）要求，现将有关事项通知如下。"]
    assert read_metadata("关于做好供水工作的通知", body).number == ""


def test_doctype_from_the_end_of_the_title():
    assert doctype("某市制造业当家行动计划（征求意见稿）") == "行动计划"
    assert doctype("某省数字政府建设实施方案（2023—2025年）") == "实施方案"
    assert doctype("中华人民共和国劳动法") == "法"
    assert doctype("某县农村人居环境整治工作报告会议纪要") == ""


def test_plan_period_stated_in_the_text():
    meta = read_metadata("某市国土空间总体规划", ["第一章 总则", "规划期限为2021—2035年，近期至2025年。"])
    assert meta.period == "2021—2035年" and meta.doctype == "规划"


def test_document_carries_its_metadata():
    loaded = LoadedFile(name="notice.txt", kind="txt", text=NOTICE)
    doc = build_document(loaded, clean_blocks(loaded))
    assert (doc.number, doc.issuer, doc.date, doc.doctype) == ("青政办〔2025〕17号", "青禾县人民政府办公室",
                                                              "2025-03-18", "通知")
    # the catalog still overrides what the text says
    doc = build_document(loaded, clean_blocks(loaded), {"number": "青政办〔2025〕18号", "issuer": "青禾县水务局"})
    assert (doc.number, doc.issuer) == ("青政办〔2025〕18号", "青禾县水务局")


def test_a_byline_of_bodies_under_the_title_is_the_issuer():
    lines = ["申县2025年国民经济和社会发展统计公报", "", "申县统计局　国家统计局申县调查队", "", "2026年3月18日",
             "2025年，全县经济运行总体平稳。"]
    assert read_metadata(lines[0], lines).issuer == "申县统计局、国家统计局申县调查队"
    # an addressee line is no byline, nor a sentence that names a body
    assert read_metadata("关于做好供水工作的通知", ["关于做好供水工作的通知", "各乡镇人民政府，县直有关单位：",
                                                  "县水利局要抓好落实。"]).issuer == ""



JOINT = """卯县民政局　卯县残疾人联合会　卯县财政局
关于印发《卯县残疾人两项补贴实施细则》的通知

卯民发〔2025〕9号

各乡镇人民政府、街道办事处，县直有关单位：
现将《卯县残疾人两项补贴实施细则》印发给你们，请认真贯彻执行。
"""


def test_the_bodies_over_a_title_and_the_number_under_it_are_header_lines_of_their_own():
    loaded = LoadedFile(name="joint.txt", kind="txt", text=JOINT)
    doc = build_document(loaded, clean_blocks(loaded))
    # the official title names its issuers before 关于…; the number is no part of it
    assert doc.title == "卯县民政局卯县残疾人联合会卯县财政局关于印发《卯县残疾人两项补贴实施细则》的通知", doc.title
    assert (doc.issuer, doc.number) == ("卯县民政局、卯县残疾人联合会、卯县财政局", "卯民发〔2025〕9号")
