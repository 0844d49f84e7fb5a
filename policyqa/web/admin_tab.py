"""The 管理 tab, for admins: the accounts (add, remove, issue an API key), the knowledge bases (web.kb_admin) and
the audit trail (filter, export, reproduce an answer).
It is shown only to admins, and every handler checks the role again on the server: hiding is not the guard."""

from __future__ import annotations

import time
from dataclasses import dataclass

import gradio as gr

from policyqa.access.users import ROLE_LABELS, Role
from policyqa.errors import AccessError, PolicyQAError
from policyqa.web import notify
from policyqa.web.backend import Backend
from policyqa.web.exports import export_dir, seal
from policyqa.web.render import md_text
from policyqa.web.kb_admin import KbAdmin, build_kb_admin, kb_rows

AUDIT_HEADERS = ["序号", "时间", "用户", "渠道", "知识库", "问题", "回答", "引用段落", "索引"]
CHANNELS = {"ui": "网页", "api": "接口", "openai": "OpenAI 接口"}
AUDIT_ROWS = 500  # shown; the export has them all
NOT_ADMIN = "只有管理员可以管理账号和查看审计日志。"


@dataclass
class AdminTab:
    tab: gr.Tab
    notice: gr.Markdown
    body: gr.Column
    users_df: gr.Dataframe
    name: gr.Textbox
    password: gr.Textbox
    role: gr.Radio
    add_btn: gr.Button
    remove_btn: gr.Button
    key_btn: gr.Button
    key_md: gr.Markdown
    audit_user: gr.Textbox
    since: gr.Textbox
    until: gr.Textbox
    audit_btn: gr.Button
    audit_df: gr.Dataframe
    export_btn: gr.Button
    export_file: gr.File
    row_no: gr.Textbox
    reproduce_btn: gr.Button
    reproduced: gr.Markdown
    kbs: KbAdmin


def build_admin_tab(backend: Backend) -> AdminTab:
    """Add the 管理 tab (call inside ``with gr.Tabs():``); `show_to` must run on page load (app.py)."""
    # the tab stays for everyone, its content shown to admins only: Gradio cannot select a tab that was hidden
    # when the page was built
    with gr.Tab("管理", id="admin") as tab:
        notice = gr.Markdown(NOT_ADMIN, elem_id="pq-admin-notice")
        with gr.Column(visible=False) as body:
            gr.Markdown("### 账号\n角色：管理员（全部功能）、编辑（上传和移除文档）、读者（提问）。")
            users_df = gr.Dataframe(buttons=[], headers=["用户名", "角色"], value=[], interactive=False, label="账号",
                                    wrap=True, elem_id="pq-users")
            with gr.Row():
                name = gr.Textbox(label="用户名", max_length=64, elem_id="pq-user-name")
                password = gr.Textbox(label="密码（添加时填写，至少 8 个字符）", type="password",
                                      elem_id="pq-user-password")
                role = gr.Radio([(label, r.value) for r, label in ROLE_LABELS.items()], value=Role.READER.value,
                                label="角色", elem_id="pq-user-role")
            with gr.Row():
                add_btn = gr.Button("添加账号", variant="primary", elem_id="pq-user-add")
                key_btn = gr.Button("生成 API 密钥", elem_id="pq-user-key")
                remove_btn = gr.Button("删除账号", variant="stop", elem_id="pq-user-remove")
            key_md = gr.Markdown("", elem_id="pq-user-key-out")
            kbs = build_kb_admin(backend)
            gr.Markdown("### 审计日志\n每次提问的用户、时间、渠道、引用的段落和所用的索引版本（只增不改）。")
            with gr.Row():
                audit_user = gr.Textbox(label="用户（留空为全部）", scale=1, elem_id="pq-audit-user")
                since = gr.Textbox(label="起始日期", placeholder="2026-01-01", max_length=10, scale=1)
                until = gr.Textbox(label="截止日期", placeholder="2026-12-31", max_length=10, scale=1)
                audit_btn = gr.Button("查询", variant="primary", scale=0, elem_id="pq-audit-query")
            audit_df = gr.Dataframe(buttons=[], headers=AUDIT_HEADERS, value=[], interactive=False, wrap=True,
                                    label="审计记录", elem_id="pq-audit")
            export_btn = gr.Button("导出审计日志（XLSX）", elem_id="pq-audit-export")
            export_file = gr.File(label="审计日志文件", interactive=False, visible=False, elem_id="pq-audit-file")
            with gr.Row():
                row_no = gr.Textbox(label="按序号复现一条回答（审计记录的序号）", max_length=12, scale=1,
                                    elem_id="pq-audit-row")
                reproduce_btn = gr.Button("复现", scale=0, elem_id="pq-audit-reproduce")
            reproduced = gr.Markdown("", elem_id="pq-audit-reproduced")
    ui = AdminTab(tab, notice, body, users_df, name, password, role, add_btn, remove_btn, key_btn, key_md,
                  audit_user, since, until, audit_btn, audit_df, export_btn, export_file, row_no, reproduce_btn,
                  reproduced, kbs)
    _wire(ui, backend)
    return ui


def show_to(backend: Backend, ui: AdminTab, request: gr.Request) -> dict:
    """On page load: the tab's content for an admin, the notice for anyone else (its tables fill in when it is
    opened)."""
    is_admin = backend.role(request.username) is Role.ADMIN
    return {ui.notice: gr.update(visible=not is_admin), ui.body: gr.update(visible=is_admin)}


def _users(backend: Backend) -> list[list[str]]:
    return [[u.name, ROLE_LABELS[u.role]] for u in backend.users.users()]


def _audit_rows(backend: Backend, user: str, since: str, until: str) -> list[dict]:
    """The rows, their knowledge bases by name (a deleted one keeps its id)."""
    names = {kb.id: kb.name for kb in backend.kbs.all()}
    # a filter box not yet drawn when the tab opens sends None, not ""
    user, since, until = (x or "" for x in (user, since, until))
    rows = backend.audit.select(user.strip() or None, since.strip(), until.strip(), backend.index_versions())
    return [{**r, "kbs": [names.get(kb, kb) for kb in r["kbs"]]} for r in rows]


def _audit(backend: Backend, user: str, since: str, until: str) -> list[list]:
    return [[r["id"], r["at"], r["user"], CHANNELS.get(r["channel"], r["channel"]), "、".join(r["kbs"]),
             r["question"], r["answer"][:80],
             "；".join(r["paragraphs"]), "当前" if r["current"] else "旧版本"]
            for r in _audit_rows(backend, user, since, until)[:AUDIT_ROWS]]


def _wire(ui: AdminTab, backend: Backend) -> None:
    private = dict(api_visibility="private")

    def admin(request: gr.Request) -> bool:
        if backend.role(request.username) is Role.ADMIN:
            return True
        notify.warn(NOT_ADMIN)
        return False

    def add(name, password, role, request: gr.Request):
        if not admin(request):
            return {ui.users_df: gr.update()}
        try:
            user = backend.users.add(name, password, role)
        except AccessError as exc:
            notify.warn(exc.reason)
            return {ui.users_df: gr.update()}
        notify.info(f"已添加账号 {user.name}（{ROLE_LABELS[user.role]}）。")
        return {ui.users_df: _users(backend), ui.password: ""}

    def remove(name, request: gr.Request):
        if not admin(request):
            return {ui.users_df: gr.update()}
        if name == request.username:
            notify.warn("不能删除当前登录的账号。")
            return {ui.users_df: gr.update()}
        if not backend.users.remove((name or "").strip()):
            notify.warn(f"账号不存在：{name}")
            return {ui.users_df: gr.update()}
        notify.info(f"已删除账号 {name}。")
        return {ui.users_df: _users(backend)}

    def key(name, request: gr.Request):
        if not admin(request):
            return ""
        try:
            value = backend.users.new_api_key((name or "").strip(), "网页生成")
        except AccessError as exc:
            notify.warn(exc.reason)
            return ""
        return f"{name} 的新 API 密钥（只显示这一次）：`{value}`"

    def query(user, since, until, request: gr.Request):
        return _audit(backend, user, since, until) if admin(request) else gr.update()

    def export(user, since, until, request: gr.Request):
        if not admin(request):
            return gr.update(visible=False)
        rows = _audit_rows(backend, user, since, until)
        path = backend.audit.export(export_dir("audit") / f"审计日志-{time.strftime('%Y%m%d-%H%M')}.xlsx", rows)
        return gr.update(value=seal(path), visible=True)

    def reproduce(row_id, request: gr.Request):
        if not admin(request):
            return ""
        if not str(row_id or "").strip().isdigit():
            notify.warn("请填写审计记录的序号（整数）。")
            return ""
        try:
            status, answer = backend.reproduce(request.username or None, int(row_id))
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            return ""
        if answer is None:
            return status
        return status + "\n\n" + "\n".join("> " + md_text(line) for line in answer.answer.splitlines())

    def opened(user, since, until, request: gr.Request):  # fresh tables each time the tab is opened
        if backend.role(request.username) is not Role.ADMIN:
            return gr.update(), gr.update(), gr.update()
        return _users(backend), _audit(backend, user, since, until), kb_rows(backend, request.username or None)

    ui.tab.select(opened, inputs=[ui.audit_user, ui.since, ui.until],
                  outputs=[ui.users_df, ui.audit_df, ui.kbs.table], **private)
    ui.reproduce_btn.click(reproduce, inputs=[ui.row_no], outputs=[ui.reproduced], **private)
    ui.add_btn.click(add, inputs=[ui.name, ui.password, ui.role], outputs=[ui.users_df, ui.password], **private)
    ui.remove_btn.click(remove, inputs=[ui.name], outputs=[ui.users_df], **private)
    ui.key_btn.click(key, inputs=[ui.name], outputs=[ui.key_md], **private)
    filters = [ui.audit_user, ui.since, ui.until]
    ui.audit_btn.click(query, inputs=filters, outputs=[ui.audit_df], **private)
    ui.export_btn.click(export, inputs=filters, outputs=[ui.export_file], **private)

