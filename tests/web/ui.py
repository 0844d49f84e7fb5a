"""Helpers for driving the app in headless Chromium: screenshots, asking, uploading."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT = 30_000  # ms; an answer normally takes about a second
DESKTOP = {"width": 1400, "height": 1000}
LAPTOP = {"width": 1366, "height": 768}


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_answered(page: Page, n: int):
    """Wait until the answer to the (n+1)-th question has finished streaming; return it."""
    expect(page.locator("#pq-chat .pq-question")).to_have_count(n + 1, timeout=ANSWER_TIMEOUT)
    answer = page.locator("#pq-chat .pq-answer").nth(n)
    expect(answer).not_to_have_class(re.compile("pq-streaming"), timeout=ANSWER_TIMEOUT)
    expect(page.locator("#pq-chat .pq-streaming")).to_have_count(0, timeout=ANSWER_TIMEOUT)
    return answer


def ask(page: Page, question: str):
    """Ask in the chat with the 提问 button; return the finished answer (or refusal)."""
    n = page.locator("#pq-chat .pq-question").count()
    page.get_by_label("问题").fill(question)
    page.get_by_role("button", name="提问", exact=True).click()
    return wait_answered(page, n)


def upload(page: Page, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pq-upload input[type=file]").set_input_files(str(path))
    results = page.locator("#pq-results")
    expect(results).to_contain_text(name, timeout=ANSWER_TIMEOUT * 2)
    expect(results).to_contain_text("新增")
    expect(page.locator("#pq-docs")).to_contain_text(name)
    page.get_by_role("tab", name="问答").click()


def open_viewer(page: Page):
    """Open the selected source card's document in the viewer (its 查看原文 button); return the viewer."""
    page.locator("#pq-sources .pq-card.pq-selected .pq-view").click()
    viewer = page.locator("#pq-viewer")
    expect(viewer.locator(".pq-target")).to_be_visible(timeout=ANSWER_TIMEOUT)
    return viewer


def in_viewport(page: Page, locator) -> bool:
    """The element's box lies inside the window (at least its top part, for tall ones)."""
    box = locator.bounding_box()
    vp = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["x"] + box["width"] <= vp["width"] + 1
            and 0 <= box["y"] < vp["height"])


def login(page: Page, url: str, user: str, password: str) -> None:
    """Log in on the app's login page and wait for the chat."""
    page.goto(url)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_label("问题")).to_be_visible(timeout=20_000)
