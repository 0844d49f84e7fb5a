"""Knowledge bases and who may read them: two knowledge bases (A, B) and three accounts (an admin, an editor of A,
a reader of B). The reader of B gets nothing of A — no paragraph, citation, viewer page, file or API result —
through the page, the REST API, the OpenAI-compatible endpoint and Gradio's own routes; a client without a login
or key gets 401; every answered question is one audit row with its cited paragraphs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from playwright.sync_api import expect

from ui import DESKTOP, ask, login, open_viewer, shot

ROOT = Path(__file__).resolve().parents[2]
A_DOC = ("甲市档案开放办法.txt", "甲市档案开放办法\n\n第一条 市档案馆每周二至周六对外开放，开放时间为上午九时至下午五时。\n\n"
         "第二条 查阅涉密档案，须经市档案局局长批准。\n")
B_DOC = ("乙县农机补贴通知.txt", "乙县农机购置补贴通知\n\n一、补贴标准：购置拖拉机每台补贴3000元。\n\n"
         "二、申请材料由乡镇农业服务中心受理，受理时间为每年三月至五月。\n")
A_QUESTION, B_QUESTION = "市档案馆的开放时间是什么？", "购置拖拉机每台补贴多少钱？"
A_WORDS = ("甲市", "九时", "涉密", "档案开放办法", "甲库")  # nothing the reader of B receives may hold these
PASSWORDS = {"root": "root-password", "ed-a": "editor-password", "reader-b": "reader-password"}


@pytest.fixture(scope="module")
def kb_app(seed_index, embedder, tmp_path_factory, free_port):
    """An app with accounts over the seeds (the default knowledge base, admins only here) and knowledge bases A
    and B of one document each."""
    from policyqa.access.users import UserStore
    from policyqa.web import app as ui

    tmp = tmp_path_factory.mktemp("kbs")
    shutil.copytree(seed_index.index_dir, tmp / "index", symlinks=True)
    cfg = seed_index.replace(index_dir=tmp / "index", host="127.0.0.1", port=free_port(), auth="")
    users = UserStore(cfg.users_db)
    for name, role in (("root", "admin"), ("ed-a", "editor"), ("reader-b", "reader")):
        users.add(name, PASSWORDS[name], role)
    backend = ui.Backend(cfg, embedder=embedder).start(background=False)
    backend.kbs.set_access("default", [], [])
    kb_a = backend.kbs.create("甲库", readers=[], editors=["ed-a"])
    kb_b = backend.kbs.create("乙库", readers=["reader-b"], editors=[])
    for kb, (name, text) in ((kb_a, A_DOC), (kb_b, B_DOC)):
        path = tmp / name
        path.write_text(text, "utf-8")
        backend.ingest([path], kb=kb.id)
    demo = ui.build_app(backend)
    demo.queue(default_concurrency_limit=2)
    url = ui.start(demo, backend, cfg, quiet=True)
    keys = {name: users.new_api_key(name, "test") for name in PASSWORDS}
    try:
        yield SimpleNamespace(url=url.rstrip("/"), cfg=cfg, backend=backend, a=kb_a, b=kb_b, keys=keys,
                              a_path=str(tmp / A_DOC[0]))
    finally:
        demo.close()


def _no_a(payload) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert not any(w in text for w in A_WORDS), text[:2000]


def test_the_backend_checks_every_read(kb_app):
    from policyqa.errors import AccessError, IndexUnavailable
    from policyqa.retrieve.retriever import RetrievalMode

    backend, a, b = kb_app.backend, kb_app.a, kb_app.b
    assert [kb.name for kb in backend.readable("reader-b")] == ["乙库"]
    assert [kb.name for kb in backend.readable("ed-a")] == ["甲库"]
    assert [kb.name for kb in backend.readable("root")] == ["默认知识库", "甲库", "乙库"]
    for call in (lambda: backend.documents(a.id, "reader-b"), lambda: backend.document(A_DOC[0], a.id, "reader-b"),
                 lambda: backend.search(A_QUESTION, 5, RetrievalMode.HYBRID, kb=a.id, user="reader-b"),
                 lambda: backend.page_image(A_DOC[0], 1, kb=a.id, user="reader-b"),
                 lambda: backend.locked_assistant(a.id, "reader-b"),
                 lambda: backend.ask(A_QUESTION, kbs=["甲库"], user="reader-b"),
                 lambda: backend.ingest([], remove=[B_DOC[0]], kb=b.id, user="reader-b")):
        with pytest.raises(AccessError):
            call()
    backend.kbs.set_access(b.id, ["reader-b", "ed-a"], ["reader-b"])
    try:  # reading B lets the editor of A read it, not edit it; a reader account never edits, even if listed
        assert backend.documents(b.id, "ed-a")
        for user in ("ed-a", "reader-b"):
            with pytest.raises(AccessError, match="没有编辑"):
                backend.ingest([], remove=[B_DOC[0]], kb=b.id, user=user)
    finally:
        backend.kbs.set_access(b.id, ["reader-b"], [])
    answer = backend.ask(A_QUESTION, user="reader-b")  # all the reader may read: B alone
    _no_a(answer.to_json())
    answer = backend.ask(A_QUESTION, user="root")  # every knowledge base: A answers, cited as A's
    assert "上午九时至下午五时" in answer.answer and {c.kb for c in answer.citations} == {a.id}
    empty = backend.kbs.create("空库", readers=["reader-b"])
    try:
        with pytest.raises(IndexUnavailable, match="知识库“空库”还没有文件"):
            backend.ask(B_QUESTION, kbs=["空库"], user="reader-b")
        assert "3000元" in backend.ask(B_QUESTION, user="reader-b").answer  # an empty one among several is skipped
    finally:
        backend.delete_kb("root", empty.id)
    assert not (kb_app.cfg.index_dir / "kb" / empty.id).exists()
    backend.feedback.record("kb-test", 0, answer.to_json(), rating="up", user="root")  # rated by the admin
    assert backend.feedback_for("root") and not backend.feedback_for("reader-b")  # its quotes are A's


def test_rest_and_openai_endpoints_keep_to_what_the_key_may_read(kb_app):
    from openai import OpenAI, PermissionDeniedError

    key = kb_app.keys["reader-b"]
    with httpx.Client(base_url=kb_app.url, timeout=60, headers={"Authorization": f"Bearer {key}"}) as http:
        r = http.post("/api/v1/ask", json={"question": A_QUESTION})
        assert r.status_code == 200, r.text
        _no_a(r.json())
        denied = http.post("/api/v1/ask", json={"question": A_QUESTION, "kbs": ["甲库"]})
        assert denied.status_code == 403 and "没有查阅它的权限" in denied.json()["error"]["message"]
        # the same answer for a name that does not exist: the names of others' knowledge bases stay unknown
        missing = http.post("/api/v1/ask", json={"question": A_QUESTION, "kbs": ["丙库"]})
        assert missing.status_code == 403 and missing.json()["error"]["message"].replace("丙库", "甲库") == \
            denied.json()["error"]["message"]
        own = http.post("/api/v1/ask", json={"question": B_QUESTION, "kbs": ["乙库"]}).json()
        assert "3000元" in own["answer"] and {c["kb"] for c in own["citations"]} == {kb_app.b.id}
    client = OpenAI(base_url=kb_app.url + "/v1", api_key=key)
    assert [m.id for m in client.models.list()] == ["policyqa", "policyqa/乙库"]
    reply = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": A_QUESTION}])
    _no_a(reply.model_dump())
    with pytest.raises(PermissionDeniedError):
        client.chat.completions.create(model="policyqa/甲库", messages=[{"role": "user", "content": A_QUESTION}])


def test_gradio_routes_keep_to_what_the_login_may_read(kb_app):
    client = Client(kb_app.url, auth=("reader-b", PASSWORDS["reader-b"]), verbose=False)
    _no_a(client.predict(A_QUESTION, 10, None, None, api_name="/ask"))
    with pytest.raises(AppError, match="没有查阅它的权限"):
        client.predict(A_QUESTION, 10, None, ["甲库"], api_name="/ask")
    with pytest.raises(AppError, match="未收录的文档"):  # A's file name is not a way in either
        client.predict(A_QUESTION, 10, [A_DOC[0]], None, api_name="/ask")
    with httpx.Client(base_url=kb_app.url, timeout=30) as http:
        assert http.post("/login", data={"username": "reader-b", "password": PASSWORDS["reader-b"]}).status_code == 200
        for path in (f"/gradio_api/file={kb_app.a_path}", f"/file={kb_app.a_path}"):
            r = http.get(path)
            assert r.status_code in (403, 404) and "九时" not in r.text, (path, r.status_code)


@pytest.mark.parametrize("method,path", [
    ("GET", "/config"), ("GET", "/gradio_api/info"), ("POST", "/gradio_api/call/ask"),
    ("POST", "/gradio_api/queue/join"), ("GET", "/gradio_api/file=README.md"), ("POST", "/gradio_api/upload"),
    ("GET", "/gradio_api/queue/data"), ("POST", "/api/v1/ask"),
    ("POST", "/v1/chat/completions"), ("GET", "/v1/models")])
def test_unauthenticated_clients_get_401(kb_app, method, path):
    r = httpx.request(method, kb_app.url + path, json={"question": A_QUESTION, "data": [A_QUESTION]}, timeout=30)
    assert r.status_code == 401, (path, r.status_code, r.text[:200])


def test_the_audit_trail_has_a_row_per_answer_and_reproduces_it(kb_app, tmp_path):
    backend = kb_app.backend
    before = len(backend.audit.select())
    answer = backend.ask(B_QUESTION, kbs=["乙库"], user="reader-b", channel="api")
    assert len(backend.audit.select()) == before + 1
    row = backend.audit.select("reader-b")[0]
    assert row["question"] == B_QUESTION and row["kbs"] == [kb_app.b.id]
    assert row["paragraphs"] == [c.paragraph_id for c in answer.citations] and row["paragraphs"]
    assert row["index_version"] == {kb_app.b.id: backend.index_version(kb_app.b.id)}
    status, again = backend.reproduce("root", row["id"])
    assert "答案与当时一致" in status and again.answer == answer.answer
    path = backend.audit.export(tmp_path / "audit.xlsx", backend.audit.select("reader-b"))
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][8] == "知识库" and sheet.cell(2, 5).value == B_QUESTION
    with pytest.raises(Exception, match="管理员"):
        backend.reproduce("reader-b", row["id"])
    # B re-indexed: the old build is gone, so the row is marked as answered on an older version
    extra = tmp_path / "乙县补充通知.txt"
    extra.write_text("乙县补充通知\n\n一、本通知自印发之日起施行。\n", "utf-8")
    backend.ingest([extra], kb=kb_app.b.id)
    status, again = backend.reproduce("root", row["id"])
    assert "旧版索引" in status and again is None
    assert backend.audit.select("reader-b", current=backend.index_versions())[0]["current"] is False


def test_the_page_shows_a_reader_only_their_knowledge_base(browser, kb_app):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = context.new_page()
        login(page, kb_app.url, "reader-b", PASSWORDS["reader-b"])
        ask(page, A_QUESTION)
        for w in A_WORDS:
            expect(page.locator("#pq-chat")).not_to_contain_text(w)
            expect(page.locator("#pq-sources")).not_to_contain_text(w)
        answer = ask(page, B_QUESTION)
        expect(answer).to_contain_text("3000元")
        answer.locator("a.pq-cite").first.click()
        expect(open_viewer(page)).to_contain_text("乡镇农业服务中心")
        page.get_by_role("tab", name="文档库").click()
        expect(page.locator("#pq-docs")).to_contain_text(B_DOC[0])
        expect(page.locator("#pq-docs")).not_to_contain_text("甲市")
        page.locator("#pq-lib-kb input").click()
        expect(page.get_by_role("option")).to_have_count(1)
        expect(page.get_by_role("option", name="乙库")).to_have_count(1)
        page.keyboard.press("Escape")
        expect(page.locator("#pq-lib-status")).to_contain_text("只能查阅")
        shot(page, "60-kb-reader")
        page.goto(kb_app.url + "/logout")

        login(page, kb_app.url, "root", PASSWORDS["root"])
        page.get_by_role("tab", name="管理").click()
        table = page.locator("#pq-kbs-table")
        expect(table).to_contain_text("甲库")
        expect(table).to_contain_text("reader-b")
        page.locator("#pq-kb-name textarea, #pq-kb-name input").first.fill("丙库")
        page.locator("#pq-kb-readers textarea, #pq-kb-readers input").first.fill("reader-b")
        page.get_by_role("button", name="新建知识库").click()
        expect(table).to_contain_text("丙库")
        row = kb_app.backend.audit.select("reader-b")[0]["id"]
        page.locator("#pq-audit-row textarea, #pq-audit-row input").first.fill(str(row))
        page.get_by_role("button", name="复现", exact=True).click()
        expect(page.locator("#pq-audit-reproduced")).to_contain_text(f"第 {row} 条")
        page.screenshot(path="/tmp/kb-admin-viewport.png")
        shot(page, "61-kb-admin")
        assert [kb.name for kb in kb_app.backend.readable("reader-b")] == ["乙库", "丙库"]
    finally:
        context.close()
    kb_app.backend.delete_kb("root", "丙库")


def test_cli_ingests_into_a_knowledge_base_and_asks_it(tmp_path):
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(tmp_path / "data")}
    doc = tmp_path / B_DOC[0]
    doc.write_text(B_DOC[1], "utf-8")

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    out = run("ingest.py", "--kb", "农业", str(doc))
    assert out.returncode == 0 and "已新建知识库：农业" in out.stdout, out.stderr[-2000:]
    listed = run("-m", "policyqa", "kb", "list")
    assert "农业\tkb-" in listed.stdout and "读者：（仅管理员）" in listed.stdout
    granted = run("-m", "policyqa", "kb", "grant", "农业", "--readers", "*")
    assert granted.returncode == 0 and "读者 *" in granted.stdout
    asked = run("-m", "policyqa", "ask", "--kb", "农业", "--json", B_QUESTION)
    assert asked.returncode == 0, asked.stderr[-2000:]
    assert "3000元" in json.loads(asked.stdout)["answer"]
    missing = run("-m", "policyqa", "ask", "--kb", "没有这个库", B_QUESTION)
    assert missing.returncode == 2 and "不存在" in missing.stderr and "Traceback" not in missing.stderr
