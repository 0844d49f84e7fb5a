"""What a new user hits first, in a real browser at desktop (1400×1000) and laptop (1366×768) sizes: the source
cards stay on screen, cancelling a removal changes nothing, 查看原文 brings the viewer into view, Enter sends,
icons need no emoji font, and the page speaks Chinese."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from ui import ANSWER_TIMEOUT, ask, shot, wait_answered

LIST_QUESTION = "都市圈目前存在哪些问题？"  # five cited items: the cards are taller than the column
REFUSED_QUESTION = "茂名的人才公寓补贴标准是多少元？"  # refused, with three related passages
# emoji and pictographs, dingbats and the emoji variation selector: boxes without an emoji font (▲▼ and
# other geometric shapes are in GB 2312, so every Chinese font has them)
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")


def _cards_on_screen(page) -> None:
    """The source column has one column of cards: nothing off to the side, the first card in the window,
    and the last one reachable by scrolling the column down."""
    col = page.locator("#pq-sources-col")
    width, client = col.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= client + 1, (width, client)
    cards = page.locator("#pq-sources .pq-card")
    assert cards.count() >= 2
    expect(cards.first).to_be_in_viewport()
    xs = {round(cards.nth(i).bounding_box()["x"]) for i in range(cards.count())}
    assert len(xs) == 1, xs  # stacked, not side by side
    cards.last.scroll_into_view_if_needed()
    expect(cards.last).to_be_in_viewport()


def test_source_cards_stay_visible_after_a_long_answer(sized):
    answer = ask(sized, LIST_QUESTION)
    expect(answer).to_contain_text("共5项")
    _cards_on_screen(sized)
    shot(sized, f"20-list-sources-{sized.viewport_size['width']}")


def test_source_cards_stay_visible_after_a_refusal(sized):
    answer = ask(sized, REFUSED_QUESTION)
    expect(answer).to_have_class(re.compile("pq-refused"))
    _cards_on_screen(sized)
    ask(sized, LIST_QUESTION)
    _cards_on_screen(sized)


def test_first_view_brings_the_viewer_into_view(sized):
    laptop = sized
    ask(laptop, LIST_QUESTION)
    # one way to open the document: each card's own 查看原文
    views = laptop.get_by_role("button", name="查看原文", exact=True)
    expect(views).to_have_count(laptop.locator("#pq-sources .pq-card").count())
    laptop.locator("#pq-sources .pq-card").nth(1).locator(".pq-view").click()
    viewer = laptop.locator("#pq-viewer-box")
    expect(viewer.locator(".pq-target")).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(viewer).to_be_in_viewport(timeout=5_000)
    shot(laptop, f"21-viewer-{laptop.viewport_size['width']}")


def test_enter_sends_and_shift_enter_starts_a_new_line(sized):
    page = sized
    box = page.get_by_label("问题")
    expect(box).to_have_attribute("placeholder", re.compile("Enter 发送.*Shift\\+Enter 换行"))
    box.click()
    box.press_sequentially("湛茂都市圈土地总面积")
    box.press("Shift+Enter")
    box.press_sequentially("是多少？")
    expect(box).to_have_value("湛茂都市圈土地总面积\n是多少？")
    page.wait_for_timeout(500)
    assert page.locator("#pq-chat .pq-question").count() == 0
    box.press("Enter")
    answer = wait_answered(page, 0)
    expect(answer).to_contain_text("2.47万平方公里")
    expect(box).to_have_value("")


def test_icons_need_no_emoji_font(page):
    answer = ask(page, "湛茂都市圈土地总面积是多少？")
    expect(answer.locator(".pq-answer-head svg")).to_be_visible()
    expect(answer.get_by_role("button", name="有帮助", exact=True).locator("svg")).to_be_visible()
    refused = ask(page, REFUSED_QUESTION)
    expect(refused.locator(".pq-icon svg")).to_be_visible()
    texts = page.locator("body").inner_text()
    assert not EMOJI.findall(texts), EMOJI.findall(texts)


def test_toasts_and_controls_are_in_chinese(page):
    # a warning toast: a comment before any answer
    page.get_by_role("button", name="提交意见").click()
    toast = page.locator(".toast-body")
    expect(toast).to_contain_text("还没有可评价的回答", timeout=10_000)
    title = toast.locator(".toast-title")
    assert title.evaluate("e => getComputedStyle(e, '::before').content") == '"注意"'
    assert title.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Gradio's English level name
    # the scope list has its own Chinese select-all controls
    page.get_by_text("检索范围（默认全部知识库、全部文档）").click()
    scope = page.locator("#pq-scope")
    expect(scope).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Select All")
    assert page.locator("[title='Select/Deselect All']").count() == 0
    page.get_by_role("button", name="全不选").click()
    expect(scope.locator("input:checked")).to_have_count(0)
    page.get_by_role("button", name="全选", exact=True).click()
    expect(scope.locator("input:checked")).to_have_count(scope.locator("input").count())
    # tables carry no English toolbar (Copy table data / Fullscreen)
    page.get_by_role("tab", name="文档库").click()
    expect(page.locator("#pq-docs")).to_contain_text("湛茂都市圈发展规划")
    assert page.get_by_role("button", name=re.compile("Copy|Fullscreen")).count() == 0


def test_cancel_remove_changes_nothing(sized, app_server):
    page = sized
    before = [d.name for d in app_server.backend.documents()]
    page.get_by_role("tab", name="文档库").click()
    expect(page.locator("#pq-docs")).to_contain_text(before[0])
    page.locator("#pq-remove-choice input").click()
    page.get_by_role("option", name=re.compile(re.escape(before[0]))).click()
    page.get_by_role("button", name="移除文档").click()
    confirm = page.locator("#pq-remove-confirm")
    expect(confirm).to_contain_text("确定从索引中移除")
    page.get_by_role("button", name="取消").click()
    expect(confirm).to_be_hidden()
    page.wait_for_timeout(800)
    assert [d.name for d in app_server.backend.documents()] == before
    expect(page.locator("#pq-docs")).to_contain_text(before[0])
    expect(page.locator(".toast-body")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("错误")
    assert page.dialogs == []


def test_viewer_counts_paragraphs_as_the_library_does(page, app_server):
    ask(page, "湛茂都市圈土地总面积是多少？")
    page.locator("#pq-sources .pq-card").first.locator(".pq-view").click()
    sub = page.locator("#pq-viewer .pq-viewer-context .pq-viewer-sub")
    expect(sub).to_be_visible(timeout=ANSWER_TIMEOUT)
    doc = next(d for d in app_server.backend.documents() if d.title == "湛茂都市圈发展规划")
    expect(sub).to_contain_text(f"共 {doc.paragraphs} 段")
    page.get_by_role("tab", name="文档库").click()
    expect(page.locator("#pq-docs")).to_contain_text(str(doc.paragraphs))
