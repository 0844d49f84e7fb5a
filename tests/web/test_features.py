"""What staff expect of a daily tool, in a real browser: the citation preview in place, any document opened from
文档库, and 检索测试 with its scores and reasons."""

from __future__ import annotations

from playwright.sync_api import expect

from ui import ANSWER_TIMEOUT, ask, shot


def test_hovering_a_citation_previews_its_clause_and_quote(laptop):
    answer = ask(laptop, "湛茂都市圈土地总面积是多少？")
    cite = answer.locator("a.pq-cite").first
    pop = cite.locator(".pq-pop")
    expect(pop).to_be_hidden()
    cite.hover()
    expect(pop).to_be_visible()
    expect(pop.locator(".pq-pop-clause")).to_contain_text("湛茂都市圈发展规划")
    expect(pop.locator(".pq-pop-quote")).to_contain_text("2.47万平方公里")
    expect(pop).to_be_in_viewport(ratio=1.0)
    shot(laptop, "30-citation-preview")
    laptop.mouse.move(5, 5)
    expect(pop).to_be_hidden()
    cite.focus()  # a tap focuses the link: the preview works without a mouse
    expect(pop).to_be_visible()


def test_any_document_opens_in_the_library_viewer(page, app_server):
    doc = next(d for d in app_server.backend.documents() if d.title == "湛茂都市圈发展规划")
    page.get_by_role("tab", name="文档库").click()
    page.get_by_text("查看文档", exact=True).click()
    page.locator("#pq-detail-choice input").click()
    page.get_by_role("option", name=f"{doc.title}（{doc.name}）").click()
    detail = page.locator("#pq-detail")
    expect(detail.locator(".pq-viewer-title")).to_contain_text(doc.title, timeout=ANSWER_TIMEOUT)
    expect(detail.locator(".pq-viewer-meta")).to_contain_text(doc.name)
    expect(detail.locator(".pq-viewer-meta")).to_contain_text("2023—2030年")  # the plan period, from its metadata
    assert detail.locator(".pq-outline li").count() >= 10
    # the outline moves the text view to a heading further on
    entry = detail.locator(".pq-outline li a", has_text="第二节 存在问题")
    entry.click()
    expect(detail.locator(".pq-target")).to_contain_text("第二节 存在问题")
    expect(detail.locator(".pq-para").nth(1)).to_be_visible()
    shot(page, "31-library-viewer")


def test_hit_testing_shows_scores_and_reasons(page):
    page.get_by_role("tab", name="检索测试").click()
    page.get_by_label("检索内容").fill("湛茂都市圈土地总面积")
    page.get_by_role("button", name="检索", exact=True).click()
    hits = page.locator("#pq-hits .pq-hit")
    expect(hits.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    assert hits.count() == 10
    first = hits.first
    expect(first).to_contain_text("湛茂都市圈发展规划")
    expect(first.locator(".pq-hit-text")).to_contain_text("2.47万平方公里")
    expect(first.locator(".pq-hit-why")).to_contain_text("含检索词")
    expect(page.locator("#pq-hits .pq-hits-head")).to_contain_text("融合权重")
    # BM25 only: the dense column is empty and every reason is a keyword match
    page.get_by_label("仅 BM25").check()
    page.locator("#pq-hit-k input[type=number]").fill("5")
    page.locator("#pq-hit-k input[type=number]").press("Enter")
    page.get_by_role("button", name="检索", exact=True).click()
    expect(hits).to_have_count(5, timeout=ANSWER_TIMEOUT)
    for i in range(5):
        expect(hits.nth(i).locator(".pq-hit-why")).to_contain_text("关键词匹配")
        expect(hits.nth(i).locator(".pq-hit-why")).not_to_contain_text("语义相近")
    shot(page, "32-hit-testing")


def test_feedback_review_filters_opens_and_exports(page, app_server):
    import io
    from pathlib import Path

    from openpyxl import load_workbook

    answer = ask(page, "湛茂都市圈发展规划的规划期是哪几年？")
    answer.get_by_role("button", name="没帮助", exact=True).click()
    expect(answer.locator(".pq-fb-note")).to_be_visible()
    page.get_by_label("意见（可选）").fill("希望同时说明展望年份")
    page.get_by_role("button", name="提交意见").click()
    expect(page.get_by_label("意见（可选）")).to_have_value("")

    page.get_by_role("tab", name="反馈").click()
    table = page.locator("#pq-fb-table")
    expect(table).to_contain_text("希望同时说明展望年份", timeout=ANSWER_TIMEOUT)
    page.locator("#pq-fb-verdict").get_by_label("没帮助").check()
    expect(table).to_contain_text("希望同时说明展望年份")
    down = [r for r in app_server.backend.feedback.select("down")]
    assert down and all(r["rating"] == "down" for r in down)
    expect(table).not_to_contain_text("有帮助")
    # a date range that excludes today empties the list; a malformed date is refused in Chinese
    page.get_by_label("截止日期").fill("2000-01-01")
    page.get_by_role("button", name="查询").click()
    expect(table).not_to_contain_text("希望同时说明展望年份")
    page.get_by_label("截止日期").fill("")
    page.get_by_role("button", name="查询").click()
    table.get_by_test_id("cell-0-2").click()
    detail = page.locator("#pq-fb-detail")
    expect(detail).to_contain_text("湛茂都市圈发展规划的规划期是哪几年？")
    expect(detail).to_contain_text("没帮助")
    expect(detail.locator(".pq-fb-quote").first).to_contain_text("2023")
    shot(page, "33-feedback-review")
    page.get_by_role("button", name="导出反馈").click()
    with page.expect_download() as dl:
        page.locator("#pq-fb-file a").first.click()
    sheet = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:4] == ["时间", "评价", "意见", "问题"]
    assert any(r[1] == "没帮助" and r[2] == "希望同时说明展望年份" and "湛茂都市圈" in r[5] for r in rows[1:]), rows
