"""Conversations kept per owner: listed in the sidebar, reopened, deleted, surviving a reload; with a login the
owner is the user, feedback records who gave it, and 退出登录 ends the session."""

from __future__ import annotations


from playwright.sync_api import expect

from ui import DESKTOP, ask, login, shot
from policyqa.web.conversations import ConversationStore


def _sidebar(page):
    """The sidebar's conversation list, opened (a closed sidebar is only moved off-screen, so ask its class)."""
    if page.locator(".sidebar.open").count() == 0:
        page.locator(".sidebar .toggle-button").click()
    expect(page.locator(".sidebar.open")).to_have_count(1)
    history = page.locator("#pq-history")
    expect(history).to_be_visible()
    return history


def test_conversations_are_kept_reopened_and_deleted(page, app_server):
    ask(page, "湛茂都市圈土地总面积是多少？")
    history = _sidebar(page)
    expect(history.locator("label")).to_have_count(1)
    expect(history).to_contain_text("湛茂都市圈土地总面积是多少？")
    # a reload reopens the conversation shown last
    page.reload()
    expect(page.locator("#pq-chat .pq-question")).to_have_count(1, timeout=20_000)
    expect(page.locator("#pq-chat .pq-answer").first).to_contain_text("2.47万平方公里")
    page.get_by_role("button", name="新对话").click()
    expect(page.locator("#pq-chat .pq-question")).to_have_count(0)
    ask(page, "湛茂都市圈的规划期是哪几年？")
    history = _sidebar(page)
    expect(history.locator("label")).to_have_count(2)
    shot(page, "40-history")
    # reopen the first conversation, then delete it
    history.locator("label", has_text="土地总面积").click()
    expect(page.locator("#pq-chat .pq-question")).to_have_count(1)
    expect(page.locator("#pq-chat .pq-question").first).to_contain_text("土地总面积")
    page.get_by_role("button", name="删除所选对话").click()
    expect(history.locator("label")).to_have_count(1)
    expect(history).not_to_contain_text("土地总面积")
    expect(page.locator("#pq-chat .pq-question")).to_have_count(0)  # it was on screen: a new one starts
    # another browser (a new context) does not see these conversations
    other = page.context.browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    other.goto(app_server.url)
    expect(_sidebar(other).locator("label")).to_have_count(0)
    other.context.close()


def test_login_owns_conversations_records_feedback_and_logs_out(browser, own_app):
    url, backend = own_app(auth="alice:pw-a,bob:pw-b")
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = context.new_page()
        login(page, url, "alice", "pw-a")
        answer = ask(page, "湛茂都市圈土地总面积是多少？")
        answer.get_by_role("button", name="有帮助", exact=True).click()
        expect(answer.locator(".pq-fb-note")).to_be_visible()
        _sidebar(page)
        expect(page.locator("#pq-user")).to_contain_text("alice")
        expect(page.locator("#pq-history label")).to_have_count(1)
        assert [r["user"] for r in backend.feedback.select("up")] == ["alice"]
        audited = backend.audit.select("alice")
        assert [(r["channel"], r["question"]) for r in audited] == [("ui", "湛茂都市圈土地总面积是多少？")]
        assert len(ConversationStore(backend.cfg.conversations_db).list("user:alice")) == 1
        page.get_by_role("link", name="退出登录").click()
        expect(page.get_by_label("用户名")).to_be_visible(timeout=20_000)
        # another user sees none of alice's conversations
        login(page, url, "bob", "pw-b")
        _sidebar(page)
        expect(page.locator("#pq-user")).to_contain_text("bob")
        expect(page.locator("#pq-history label")).to_have_count(0)
    finally:
        context.close()
