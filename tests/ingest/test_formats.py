"""A folder of the files offices actually hold, ingested in one run: every fixture's known sentences are
retrievable and cited with the right page; the summary lists format, pages, tables; the document's own
metadata answers questions about it."""

from __future__ import annotations

import io

import pytest

from ofd_fixture import build_ofd
from pdf_fixture import LEFT, RIGHT, build_pdf
from test_metadata import NOTICE
from test_ocr import BODY as SCAN_BODY
from test_ocr import DPI, TITLE as SCAN_TITLE, _page

from policyqa.assistant import Assistant
from policyqa.ingest.pipeline import ingest


def _workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "责任单位", "完成时限"])
    ws.append([1, "建成县级智慧水务平台", "县水务局", "2026年12月"])
    ws.append([2, "完成农村供水工程标准化管理评价", "县农业农村局", "2027年6月"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _doc() -> bytes:
    """A Word 97 .doc (what a .wps often is) made by LibreOffice from a .docx."""
    from docx import Document

    from policyqa.ingest.loaders.office import convert

    d = Document()
    d.add_paragraph("关于开展节约用水宣传周活动的通知")
    d.add_paragraph("各乡镇：经研究，定于每年5月第二周开展节约用水宣传周活动，由县水务局统一组织。")
    out = io.BytesIO()
    d.save(out)
    return convert(out.getvalue(), ".docx", "doc")


OFD_PAGES = [["青禾县城镇排水管理办法", "第一条 为加强城镇排水管理，保障城镇排水设施安全运行，制定本办法。",
              "第二条 县水务局负责本县城镇排水的监督管理工作。"],
             ["第三条 新建住宅小区应当实行雨水、污水分流，", "排水户接入市政管网前应当取得排水许可证。",
              "第四条 违反本办法规定的，由县水务局责令改正，可处五万元以下罚款。"]]


@pytest.fixture(scope="module")
def formats(tmp_path_factory, config, embedder):
    folder = tmp_path_factory.mktemp("formats")
    (folder / "供水方案.pdf").write_bytes(build_pdf())
    (folder / "供水通知.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "排水办法.ofd").write_bytes(build_ofd(OFD_PAGES, title="青禾县城镇排水管理办法", author="青禾县水务局",
                                                  creation_date="2025-06-30", split=True, reverse=True))
    scan = io.BytesIO()
    _page([(SCAN_TITLE, 16)] + [(p, 12) for p in SCAN_BODY]).save(scan, "PDF", resolution=DPI)
    (folder / "扫描通知.pdf").write_bytes(scan.getvalue())
    (folder / "任务清单.xlsx").write_bytes(_workbook())
    (folder / "旧通知.wps").write_bytes(_doc())
    cfg = config.replace(index_dir=tmp_path_factory.mktemp("formats-index"))
    report = ingest([folder], cfg, embedder=embedder, show_progress=False)
    return report, Assistant.open(cfg, embedder=embedder)


def test_summary_lists_format_pages_and_tables(formats):
    report, _ = formats
    rows = {f.name: f for f in report.files}
    pdf = rows["供水方案.pdf"]
    assert (pdf.status, pdf.kind, pdf.pages, pdf.tables) == ("added", "pdf", 3, 1)
    assert "3页" in report.table() and "表格1个" in report.table()
    ofd = rows["排水办法.ofd"]
    assert (ofd.status, ofd.kind, ofd.pages) == ("added", "ofd", 2)


@pytest.mark.parametrize("question, fact, page", [
    ("老旧管网计划改造多少公里？", "420公里", 2),           # left column of the two-column page
    ("县财政每年安排多少城乡供水专项资金？", "3000万元", 2),  # right column
    ("镇村管网改造工程总投资是多少？", "18500万元", 3),       # a table cell, found through its row
    ("水质监测能力提升工程由哪个单位牵头？", "县卫生健康局", 3),
])
def test_pdf_facts_are_cited_with_their_page(formats, question, fact, page):
    _, assistant = formats
    ans = assistant.ask(question)
    assert not ans.refused and fact in ans.answer, ans.answer
    cited = [c for c in ans.citations if fact in c.quote]
    assert cited and cited[0].clause.endswith(f"第{page}页"), [c.clause for c in ans.citations]


def test_ofd_text_is_cited_with_its_page(formats):
    _, assistant = formats
    ans = assistant.ask("排水户接入市政管网前需要取得什么？")
    assert not ans.refused and "排水许可证" in ans.answer, ans.answer
    cited = next(c for c in ans.citations if "排水许可证" in c.quote)
    assert cited.clause.endswith("第2页") and "第三条" in cited.clause
    # a sentence wrapped onto the next line is one paragraph again
    assert "".join(cited.text.split()) == "第三条新建住宅小区应当实行雨水、污水分流，排水户接入市政管网前应当取得排水许可证。"
    doc = assistant.index.document("排水办法.ofd", with_paragraphs=False)
    assert (doc.title, doc.issuer, doc.date, doc.pages) == ("青禾县城镇排水管理办法", "青禾县水务局", "2025-06-30", 2)


def test_scanned_pdf_is_read_by_ocr_and_cited_with_its_page(formats):
    report, assistant = formats
    scan = next(f for f in report.files if f.name == "扫描通知.pdf")
    assert (scan.status, scan.pages, scan.ocr_pages) == ("added", 1, 1)
    assert "文字识别1页" in report.table()
    ans = assistant.ask("城市更新项目单个项目补助比例不超过总投资的多少？")
    assert not ans.refused and "30%" in ans.answer, ans.answer
    cited = next(c for c in ans.citations if "30%" in c.quote)
    assert cited.doc == "扫描通知.pdf" and cited.clause.endswith("第1页")
    assert assistant.index.document("扫描通知.pdf", with_paragraphs=False).ocr_pages == 1


@pytest.mark.parametrize("question, fact, doc", [
    ("农村供水工程标准化管理评价由哪个单位负责？", "县农业农村局", "任务清单.xlsx"),
    ("节约用水宣传周在什么时候开展？", "5月第二周", "旧通知.wps"),
])
def test_spreadsheet_rows_and_word_files_are_answered(formats, question, fact, doc):
    report, assistant = formats
    assert next(f for f in report.files if f.name == doc).status == "added"
    ans = assistant.ask(question)
    assert not ans.refused and fact in ans.answer, ans.answer
    assert ans.citations[0].doc == doc


def test_column_paragraphs_are_whole(formats):
    _, assistant = formats
    ans = assistant.ask("农村居民用水价格按照什么标准执行？")
    assert any(c.text == RIGHT[0] for c in ans.citations), [c.text for c in ans.citations]
    assert LEFT[0] in {p.text for p in assistant.index.paragraphs("供水方案.pdf")}


@pytest.mark.parametrize("question, expected", [
    ("青禾县城乡供水一体化实施方案的文号是多少？", "青政办〔2025〕17号"),
    ("青禾县城乡供水一体化实施方案是哪个部门印发的？", "青禾县人民政府办公室"),
    ("青禾县城乡供水一体化实施方案是什么时候印发的？", "2025年3月18日"),
])
def test_attribute_questions_are_answered_from_metadata(formats, question, expected):
    _, assistant = formats
    ans = assistant.ask(question)
    assert expected in ans.answer.split("[")[0], ans.answer
    assert ans.citations and expected in ans.citations[0].quote
    assert "青政办〔2025〕17号" in ans.citations[0].source


def test_attribute_of_a_document_not_held_is_not_invented(formats):
    _, assistant = formats
    ans = assistant.ask("某市人才引进补贴办法的文号是多少？")
    assert ans.refused and "青政办" not in ans.answer.split("以下段落")[0]
