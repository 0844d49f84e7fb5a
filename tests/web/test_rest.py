"""Accounts (argon2 hashes, roles, API keys), the append-only audit trail, and the REST endpoints other office
systems call: /api/v1/ask and the OpenAI-compatible /v1/chat/completions, driven with the real `openai` client."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from policyqa.access.audit import AuditLog
from policyqa.access.users import Role, UserStore
from policyqa.errors import AccessError

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "湛茂都市圈土地总面积是多少？"


def test_passwords_are_salted_argon2_and_checked(tmp_path):
    users = UserStore(tmp_path / "users.sqlite")
    users.add("alice", "correct horse", "admin")
    users.add("bob", "correct horse", Role.READER)
    with sqlite3.connect(users.path) as db:
        hashes = [h for (h,) in db.execute("SELECT password_hash FROM users")]
    assert all(h.startswith("$argon2id$") for h in hashes) and hashes[0] != hashes[1]
    assert "correct horse" not in "".join(hashes)
    assert users.verify("alice", "correct horse").role is Role.ADMIN
    assert users.verify("alice", "wrong horse") is None and users.verify("nobody", "correct horse") is None
    with pytest.raises(AccessError, match="已存在"):
        users.add("alice", "another one", "reader")
    with pytest.raises(AccessError, match="至少需要 8 个字符"):
        users.add("carol", "short", "reader")
    with pytest.raises(AccessError, match="未知的角色"):
        users.add("carol", "long enough", "owner")
    key = users.new_api_key("bob", "OA")
    assert users.user_for_key(key).name == "bob" and users.user_for_key(key + "x") is None
    assert users.remove("bob") and users.user_for_key(key) is None


def test_roles_of_logins(config, tmp_path):
    from policyqa.web.backend import Backend

    backend = Backend(config.replace(index_dir=tmp_path, auth="office:shared-pw"))  # not started: no model
    backend.users.add("ed", "a long password", "editor")
    assert backend.role(None) is Role.ADMIN  # no login at all: one trusted user, as before accounts
    assert backend.role("office") is Role.ADMIN  # a shared POLICYQA_AUTH login
    assert backend.role("ed") is Role.EDITOR and backend.may_edit("ed")
    backend.users.remove("ed")  # an account deleted while its session lives on only reads
    assert backend.role("ed") is Role.READER and not backend.may_edit("ed")


def test_audit_trail_is_append_only_and_filtered(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    answer = {"question": "问", "answer": "答[1]。", "refused": False, "citations": [{"paragraph_id": "p7"}]}
    log.record(user="alice", channel="ui", answer=answer, docs=None, index_version={"default": "b1"})
    log.record(user="bob", channel="api", answer=answer, docs=["a.txt"], index_version={"default": "b2", "kb-1": "c1"})
    rows = log.select(current={"default": "b2", "kb-1": "c1"})
    assert [(r["user"], r["channel"], r["paragraphs"], r["kbs"], r["current"]) for r in rows] == [
        ("bob", "api", ["p7"], ["default", "kb-1"], True), ("alice", "ui", ["p7"], ["default"], False)]
    assert not log.select(current={"default": "b2", "kb-1": "c2"})[0]["current"]  # one knowledge base re-indexed
    assert [r["user"] for r in log.select("alice")] == ["alice"]
    with sqlite3.connect(log.path) as db:
        for sql in ("UPDATE audit SET user='mallory'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)
    out = log.export(tmp_path / "audit.csv", rows)
    table = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert table[0][:3] == ["序号", "时间", "用户"] and table[1][2] == "bob" and table[2][-1] == "否"


@pytest.fixture(scope="module")
def api_key(app_server):
    users = app_server.backend.users
    if users.get("oa-system") is None:
        users.add("oa-system", "a long password", "reader")
    return users.new_api_key("oa-system", "办公系统")


@pytest.mark.parametrize("method, path", [("post", "/api/v1/ask"), ("post", "/v1/chat/completions"),
                                          ("get", "/v1/models")])
def test_rest_refuses_without_a_valid_key(app_server, method, path):
    with httpx.Client(base_url=app_server.url, timeout=30) as http:
        for headers in ({}, {"Authorization": "Bearer pqa-not-a-key"}, {"Authorization": "Basic x"}):
            r = http.request(method.upper(), path, json={"question": QUESTION}, headers=headers)
            assert r.status_code == 401, (path, headers, r.text)
            assert "API 密钥" in r.json()["error"]["message"]


def test_rest_ask_answers_and_is_audited(app_server, api_key):
    with httpx.Client(base_url=app_server.url, timeout=60, headers={"Authorization": f"Bearer {api_key}"}) as http:
        r = http.post("/api/v1/ask", json={"question": QUESTION, "k": 12})
        assert r.status_code == 200, r.text
        out = r.json()
        assert "2.47万平方公里" in out["answer"] and out["citations"][0]["paragraph_id"]
        bad = http.post("/api/v1/ask", json={"question": QUESTION, "k": "abc"})
        assert bad.status_code == 400 and "参数 k" in bad.json()["error"]["message"]
        assert http.post("/api/v1/ask", content=b"not json").status_code == 400
    row = app_server.backend.audit.select("oa-system")[0]
    assert row["channel"] == "api" and row["question"] == QUESTION
    assert row["paragraphs"] == [c["paragraph_id"] for c in out["citations"]]
    assert row["index_version"] == {"default": app_server.backend.index_version()} and row["kbs"] == ["default"]


def test_openai_client_gets_the_cited_answer(app_server, api_key):
    client = OpenAI(base_url=app_server.url.rstrip("/") + "/v1", api_key=api_key)
    assert [m.id for m in client.models.list()] == ["policyqa", "policyqa/默认知识库"]
    reply = client.chat.completions.create(model="policyqa", messages=[{"role": "user", "content": QUESTION}])
    message = reply.choices[0].message
    assert message.role == "assistant" and "2.47万平方公里" in message.content and "[1]" in message.content
    citations = reply.model_extra["citations"]
    assert citations[0]["clause"].startswith("《") and citations[0]["quote"]
    # the earlier user messages are the conversation: a follow-up is understood
    follow = client.chat.completions.create(model="policyqa", messages=[
        {"role": "system", "content": "你是助手。"}, {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": message.content}, {"role": "user", "content": "常住人口呢？"}])
    assert "1327" in follow.choices[0].message.content
    assert app_server.backend.audit.select("oa-system")[0]["channel"] == "openai"


def test_cli_manages_users_keys_and_exports_the_audit(tmp_path):
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(tmp_path)}

    def cli(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "policyqa", *args], cwd=ROOT, env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    added = cli("user", "add", "王科长", "--role", "editor", "--password-stdin", stdin="a long password\n")
    assert added.returncode == 0 and "已添加用户 王科长（编辑）" in added.stdout, added.stderr
    assert "王科长\teditor" in cli("user", "list").stdout
    key = cli("user", "key", "王科长").stdout.strip()
    assert UserStore(tmp_path / "users.sqlite").user_for_key(key).name == "王科长"
    bad = cli("user", "add", "李四", "--role", "owner", "--password-stdin", stdin="a long password\n")
    assert bad.returncode == 2 and "未知的角色" in bad.stderr and "Traceback" not in bad.stderr
    AuditLog(tmp_path / "audit.sqlite").record(user="王科长", channel="ui", answer={"question": "问", "answer": "答"},
                                               docs=None, index_version={})
    exported = cli("audit", str(tmp_path / "audit.xlsx"))
    assert exported.returncode == 0 and "已导出 1 条审计记录" in exported.stdout
