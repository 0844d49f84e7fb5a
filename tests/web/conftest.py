"""Browser fixtures: one Chromium per module, a fresh page per test at desktop or laptop size. A test fails
when the page logs a console error or the app prints a traceback while it runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ui import CHROMIUM, DESKTOP, LAPTOP, LAUNCH_ARGS


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium fonts-wqy-microhei (or `make browser`)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def _open(browser, url: str, viewport: dict, capfd):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.dialogs = []  # every alert/confirm the page opens; confirmations are accepted
    pg.errors = []  # console errors and uncaught exceptions
    pg.left = []  # errors logged by a page that was then left (reloaded or closed): Gradio's streams breaking

    def on_dialog(d):
        pg.dialogs.append((d.type, d.message))
        d.accept() if d.type == "confirm" else d.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    # a reload unloads the page: a stream break its client logged before the new page loaded is the browser leaving
    pg.seen = 0  # errors logged before the page's last load

    def on_load(_):
        pg.left.extend(e for e in pg.errors[pg.seen:] if _leaving(e))
        pg.seen = len(pg.errors)

    pg.on("load", on_load)
    pg.goto(url)
    expect(pg.get_by_label("问题")).to_be_visible()
    return context, pg


def _unload_abort(error: str) -> bool:
    """Gradio's client aborts its open stream when the page unloads (a reload, or the test closing it); the
    rejection is the browser leaving, not a fault of the app."""
    return error.startswith("AbortError") and ".close " in error


def _leaving(error: str) -> bool:
    """The message Gradio's client logs when its stream breaks: a fault only while the page stays."""
    return "Connection errored out" in error


def _check_clean(pg, capfd) -> None:
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err, (out + err)[-3000:]
    left, errors = list(pg.left), []
    for e in pg.errors:
        if e in left:
            left.remove(e)  # logged by a page on its way out
        elif not _unload_abort(e):
            errors.append(e)
    assert errors == [], errors


@pytest.fixture
def page(browser, app_server, capfd):
    context, pg = _open(browser, app_server.url, DESKTOP, capfd)
    yield pg
    before = len(pg.errors)
    context.close()
    pg.left.extend(e for e in pg.errors[before:] if _leaving(e))  # closing leaves the page too
    _check_clean(pg, capfd)


@pytest.fixture
def laptop(browser, app_server, capfd):
    context, pg = _open(browser, app_server.url, LAPTOP, capfd)
    yield pg
    before = len(pg.errors)
    context.close()
    pg.left.extend(e for e in pg.errors[before:] if _leaving(e))  # closing leaves the page too
    _check_clean(pg, capfd)


@pytest.fixture(params=[DESKTOP, LAPTOP], ids=["desktop", "laptop"])
def sized(request, browser, app_server, capfd):
    """A fresh page at desktop, then at laptop size (the defects a new user hit depended on the window)."""
    context, pg = _open(browser, app_server.url, request.param, capfd)
    yield pg
    before = len(pg.errors)
    context.close()
    pg.left.extend(e for e in pg.errors[before:] if _leaving(e))  # closing leaves the page too
    _check_clean(pg, capfd)


@pytest.fixture
def own_app(app_server, embedder, tmp_path, free_port):
    """Launch another app over a copy of the seed index (no feedback, conversations, accounts or audit of the
    shared one): `own_app(before=fn(cfg), **settings)` returns (url, backend); closed after the test."""
    import shutil

    from policyqa.web import app as ui

    demos = []

    def launch(before=None, **settings):
        port = free_port()
        src = str(app_server.cfg.index_dir)
        shutil.copytree(src, tmp_path / "index", symlinks=True, ignore=lambda folder, names: [
            n for n in names if folder == src and (n.endswith(".sqlite") or n in ("browser.secret", "uploads"))])
        cfg = app_server.cfg.replace(index_dir=tmp_path / "index", port=port, **{"auth": "", **settings})
        if before:
            before(cfg)
        backend = ui.Backend(cfg, embedder=embedder).start(background=False)
        demo = ui.build_app(backend)
        demos.append(demo)
        return ui.start(demo, backend, cfg, quiet=True), backend

    yield launch
    for demo in demos:
        demo.close()
