"""The web app in a real browser (headless Chromium via Playwright): the real model, an index of the seeds
built in a temporary folder, the app launched in-process (fixture `app_server` in conftest.py).

Screenshots of the main screens go to tests/artifacts/; the browser fixtures are in conftest.py."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

from ui import ANSWER_TIMEOUT, ask, open_viewer, shot, upload

UPLOAD_NAME = "青禾县数字档案馆建设通知.txt"
UPLOAD_TEXT = """青禾县数字档案馆建设通知

一、建设目标
青禾县数字档案馆于2025年建成，馆藏电子档案共计38.6万件。

二、开放时间
数字档案馆每周二至周六对公众开放，查阅服务免费提供。
"""
XSS_NAME = "xss-test.txt"
# The cleaner drops raw tags from text files but decodes entities, so the entity-encoded markup reaches the
# page as literal document text: it must show as text there, and nothing may run.
XSS_TEXT = """白鹭湾湿地保护办法

第一条 白鹭湾湿地的核心保护区面积为1280公顷。<script>alert(1)</script>

第二条 任何单位不得在核心保护区内采砂。<img src=x onerror=alert(1)>

第三条 违反第二条规定的，由主管部门责令改正 & 处以罚款"'。<img src=x onerror=alert(2)
"""


def test_empty_screen_shows_examples(page, app_server):
    expect(page.locator("#pq-chat .pq-empty")).to_be_visible()
    examples = page.locator("button.pq-example")
    expect(examples.first).to_be_visible()
    assert examples.all_inner_texts() == app_server.backend.examples()
    example = "湛茂都市圈发展规划的规划期是哪几年？"  # made from the seed plan's title and period
    expect(page.get_by_role("button", name=example)).to_be_visible()
    shot(page, "01-empty")
    # an example question is answered with a citation
    page.get_by_role("button", name=example).click()
    answer = page.locator("#pq-chat .pq-answer").first
    expect(answer.locator("a.pq-cite").first).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(answer).to_contain_text("2023—2030年")
    expect(page.get_by_role("button", name=example)).to_be_hidden()


def test_answer_citation_and_viewer(page, app_server):
    answer = ask(page, "湛茂都市圈土地总面积是多少？")
    expect(answer).to_contain_text("2.47万平方公里")
    expect(answer).not_to_have_class(re.compile("pq-refused"))
    cite = answer.locator("a.pq-cite", has_text="[1]")
    expect(cite).to_be_visible()
    shot(page, "02-answer")

    cite.click()
    card = page.locator("#pq-sources .pq-card.pq-selected")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-n", "1")
    expect(card.locator(".pq-card-clause")).not_to_be_empty()
    expect(card.locator("mark")).to_be_visible()
    expect(card.locator("mark")).to_contain_text("2.47")
    # the document's title names the card; the (hash) file name stands small at its foot
    title = card.locator(".pq-card-title")
    expect(title).to_have_text("《湛茂都市圈发展规划》")
    expect(title).not_to_contain_text(".txt")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    assert card.locator(".pq-card-doc").evaluate(size) < title.evaluate(size)
    shot(page, "03-source-selected")

    viewer = open_viewer(page)
    target = viewer.locator(".pq-target")
    expect(target).to_contain_text("2.47")
    expect(target.locator("mark")).to_be_visible()
    expect(viewer.locator(".pq-outline")).to_be_visible()
    assert viewer.locator(".pq-outline li").count() >= 3
    expect(viewer.locator(".pq-outline .pq-current").first).to_be_visible()
    assert viewer.locator(".pq-para").count() > 1  # neighbours around the target
    shot(page, "04-viewer")

    # the outline navigates the viewer
    viewer.locator(".pq-outline li a").last.click()
    expect(viewer.locator(".pq-target")).not_to_contain_text("2.47")
    page.get_by_role("button", name="关闭原文").click()
    expect(viewer).to_be_hidden()

    # follow-up: the earlier question is the context; the card of the old turn is still reachable
    follow = ask(page, "常住人口呢？")
    expect(follow).to_contain_text("1327")
    page.locator("#pq-chat .pq-answer").first.locator("a.pq-cite").first.click()
    expect(page.locator("#pq-sources .pq-sources-head")).to_contain_text("第 1 问")

    # feedback is stored with the question, the answer and its citations
    follow.get_by_role("button", name="有帮助", exact=True).click()
    expect(follow.locator(".pq-fb-note")).to_be_visible()
    page.get_by_label("意见（可选）").fill("引用准确")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_label("意见（可选）")).to_have_value("")
    with sqlite3.connect(app_server.cfg.feedback_db) as db:
        rows = db.execute("SELECT rating, comment, question, citations FROM feedback ORDER BY id").fetchall()
    assert any(r[0] == "up" and r[1] == "引用准确" and r[2] == "常住人口呢？" and json.loads(r[3]) for r in rows), rows

    # the conversation exports as JSON with its citations
    with page.expect_download() as dl:
        page.get_by_role("button", name="导出对话（JSON）").click()
    exported = json.loads(Path(dl.value.path()).read_text("utf-8"))
    assert [t["question"] for t in exported["turns"]] == ["湛茂都市圈土地总面积是多少？", "常住人口呢？"]
    assert exported["turns"][0]["citations"][0]["quote"]
    with page.expect_download() as dl:
        page.get_by_role("button", name="导出对话（Markdown）").click()
    md = Path(dl.value.path()).read_text("utf-8")
    assert "湛茂都市圈土地总面积是多少？" in md and "2.47" in md


def test_refusal_looks_different(page, app_server):
    answer = ask(page, "火星基地的建设预算是多少？")
    expect(answer).to_have_class(re.compile("pq-refused"))
    expect(answer).to_contain_text("未找到答案")
    expect(answer.locator(".pq-icon")).to_be_visible()
    expect(answer.locator("a.pq-cite")).to_have_count(0)
    # answers have a blue edge, refusals a red one
    assert answer.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(200, 30, 30)"
    expect(page.locator("#pq-sources .pq-sources-note")).to_contain_text("未找到可引用的依据")
    shot(page, "05-refusal")


def test_upload_then_ask(page, app_server, tmp_path):
    upload(page, tmp_path, UPLOAD_NAME, UPLOAD_TEXT)
    assert (Path(app_server.cfg.index_dir) / "uploads" / UPLOAD_NAME).is_file()
    answer = ask(page, "青禾县数字档案馆馆藏电子档案共计多少件？")
    expect(answer).to_contain_text("38.6万件")
    answer.locator("a.pq-cite").first.click()
    expect(page.locator("#pq-sources .pq-card.pq-selected")).to_contain_text(UPLOAD_NAME)
    # the scope selector lists the new document (selected, like all others)
    page.get_by_text("检索范围（默认全部知识库、全部文档）").click()
    expect(page.locator("#pq-scope")).to_contain_text(UPLOAD_NAME)
    for doc in app_server.backend.documents():
        expect(page.locator("#pq-scope label", has_text=doc.name).locator("input")).to_be_checked()
    page.get_by_role("tab", name="文档库").click()
    expect(page.locator("#pq-docs")).to_contain_text("青禾县数字档案馆建设通知")
    shot(page, "06-library")


def test_unsupported_upload_is_refused(page, app_server, tmp_path):
    page.get_by_role("tab", name="文档库").click()
    bad = tmp_path / "程序.exe"
    bad.write_bytes(b"MZ\x90\x00 not a document")
    page.locator("#pq-upload input[type=file]").set_input_files(str(bad))
    # the browser-side filter (file_types) or the server-side check rejects it; it is never indexed
    page.wait_for_timeout(1500)
    expect(page.locator("#pq-docs")).not_to_contain_text("程序.exe")
    assert not (Path(app_server.cfg.index_dir) / "uploads" / "程序.exe").exists()


def test_scope_filters_by_the_documents_metadata(page, app_server):
    docs = app_server.backend.documents()
    plans = [d.name for d in docs if d.doctype == "规划"]
    assert plans and len(plans) < len(docs)
    page.get_by_text("检索范围（默认全部知识库、全部文档）").click()
    page.locator("#pq-filter-doctype input").click()
    page.get_by_role("option", name="规划", exact=True).click()
    for d in docs:
        box = page.locator("#pq-scope label", has_text=d.name).locator("input")
        expect(box).to_be_checked() if d.name in plans else expect(box).not_to_be_checked()


def test_markup_in_documents_is_shown_as_text(page, app_server, tmp_path):
    """The cleaner drops complete tags; what it leaves (an unclosed <img …, quotes, &) must show as text,
    exactly as stored, and nothing may run."""
    upload(page, tmp_path, XSS_NAME, XSS_TEXT)
    stored = [p.text for p in app_server.backend.document(XSS_NAME).paragraphs]
    assert any("<img" in t for t in stored), stored  # some markup reaches the page, so escaping is exercised
    answer = ask(page, "白鹭湾湿地的核心保护区面积是多少？")
    expect(answer).to_contain_text("1280公顷")
    answer.locator("a.pq-cite").first.click()
    card = page.locator("#pq-sources .pq-card.pq-selected")
    expect(card).to_contain_text("1280公顷")
    viewer = open_viewer(page)
    expect(viewer).to_contain_text("<img src=x onerror=alert(2)")
    assert [t.strip() for t in viewer.locator(".pq-para").all_inner_texts()] == stored
    # a question carrying markup is shown as text too
    ask(page, "<img src=x onerror=alert(1)>白鹭湾湿地内可以采砂吗？")
    expect(page.locator("#pq-chat .pq-question").last).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("#pq-viewer img, #pq-sources img, #pq-chat img, #pq-viewer script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    shot(page, "07-markup-as-text")


def test_render_escapes_everything():
    """Every rendering helper, fed hostile text everywhere, yields only its own tags and no handlers."""
    from html.parser import HTMLParser

    from policyqa.web import render
    from policyqa.schema import Document, Paragraph

    bad = '"><img src=x onerror=alert(1)><script>alert(2)</script>\'&'
    cit = {"n": 1, "doc": bad, "title": bad, "clause": bad, "paragraph_id": bad, "text": bad + "。" + bad,
           "quote": bad, "span": [0, len(bad)], "supported": False}
    turns = [{"question": bad, "answer": bad + "[1]（⚠未核实）。", "refused": False, "citations": [cit],
              "notice": bad, "standalone_question": bad + "?", "feedback": {"rating": "up", "comment": bad}},
             {"question": bad, "answer": bad + "\n\n以下段落可能相关", "refused": True, "notice": bad,
              "related": [{"doc": bad, "title": bad, "clause": bad, "paragraph_id": bad, "text": bad}]}]
    paras = [Paragraph(id=bad + str(i), doc=bad, index=i, clause=(bad,) * (i % 3), text=bad, start=0, end=1,
                       line_start=i, line_end=i, heading=i % 2 == 0, instruction_spans=((0, 5),) * (i % 2))
             for i in range(6)]
    doc = Document(name=bad, title=bad, hash="", kind="txt", text="", paragraphs=paras, issuer=bad, date=bad)
    pages = [render.conversation_html(turns, {"question": bad, "answer": bad + "[1]", "cited": [1]}, banner=bad),
             render.sources_html(turns, 0, 1), render.sources_html(turns, 1, 0),
             render.viewer_html(doc, paras[3].id, span=(0, 5), quote=bad[:5])]
    allowed = {"div", "span", "a", "br", "mark", "button", "ul", "ol", "li", "svg", "path", "circle"}

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag in allowed, tag
            assert not [k for k, _ in attrs if k.startswith("on")], attrs

    for html in pages:
        Tags().feed(html)
        assert "<img" not in html and "<script" not in html


def test_remove_document(page, app_server):
    page.get_by_role("tab", name="文档库").click()
    expect(page.locator("#pq-docs")).to_contain_text(XSS_NAME)
    page.locator("#pq-remove-choice input").click()
    page.get_by_role("option", name=re.compile(re.escape(XSS_NAME))).click()
    page.get_by_role("button", name="移除文档").click()
    confirm = page.locator("#pq-remove-confirm")
    expect(confirm).to_contain_text("白鹭湾湿地保护办法")
    page.get_by_role("button", name="确定移除").click()
    expect(page.locator("#pq-docs")).not_to_contain_text(XSS_NAME, timeout=ANSWER_TIMEOUT)
    expect(confirm).to_be_hidden()
    assert page.dialogs == []
    assert not (Path(app_server.cfg.index_dir) / "uploads" / XSS_NAME).exists()
    assert XSS_NAME not in {d.name for d in app_server.backend.documents()}


def test_without_index_upload_creates_it(browser, embedder, seed_index, tmp_path):
    """A fresh install: no index yet. The chat says so in Chinese; an upload in the library builds the index
    and the question is then answered."""
    import socket

    from policyqa.web import app as ui

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = seed_index.replace(index_dir=tmp_path / "index",
                             port=port, auth="")
    backend = ui.Backend(cfg, embedder=embedder).start(background=False)
    assert backend.assistant is None and "尚未建立索引" in backend.error
    demo = ui.build_app(backend)
    url = ui.start(demo, backend, cfg, quiet=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.locator("#pq-chat .pq-banner")).to_contain_text("尚未建立索引")
        page.get_by_label("问题").fill("青禾县数字档案馆馆藏电子档案共计多少件？")
        page.get_by_role("button", name="提问", exact=True).click()
        expect(page.locator("#pq-chat .pq-banner")).to_contain_text("文档库")
        shot(page, "08-no-index")
        upload(page, tmp_path, UPLOAD_NAME, UPLOAD_TEXT)
        expect(page.locator("#pq-chat .pq-banner")).to_have_count(0)
        answer = ask(page, "青禾县数字档案馆馆藏电子档案共计多少件？")
        expect(answer).to_contain_text("38.6万件")
    finally:
        context.close()
        demo.close()


def test_pdf_upload_cites_the_page_and_shows_it(page, app_server, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))
    from pdf_fixture import build_pdf

    path = tmp_path / "供水方案.pdf"
    path.write_bytes(build_pdf())
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pq-upload input[type=file]").set_input_files(str(path))
    results = page.locator("#pq-results")
    expect(results).to_contain_text("3页", timeout=ANSWER_TIMEOUT * 2)
    expect(results).to_contain_text("表格1个")
    page.get_by_role("tab", name="问答").click()
    answer = ask(page, "老旧管网计划改造多少公里？")
    expect(answer).to_contain_text("420公里")
    answer.locator("a.pq-cite", has_text="[1]").click()
    card = page.locator("#pq-sources .pq-card.pq-selected")
    expect(card.locator(".pq-card-clause")).to_contain_text("第2页")
    open_viewer(page)
    image = page.locator("#pq-viewer img.pq-page-img")
    expect(image).to_be_visible()
    expect(page.locator("#pq-viewer")).to_contain_text("原文页面（第 2 页")
    assert image.evaluate("img => img.naturalWidth") > 500
    shot(page, "12-pdf-page")
