"""The knowledge base part of the 管理 tab: create, rename, grant (who reads, who edits) and delete. Each handler
goes through `Backend.manage`, which refuses anyone but an admin."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from policyqa.access.kbs import DEFAULT_KB, EVERYONE
from policyqa.errors import AccessError, PolicyQAError
from policyqa.web import notify
from policyqa.web.backend import Backend

KB_HEADERS = ["名称", "编号", "读者", "编辑", "文档数"]
PRIVATE = dict(api_visibility="private")


@dataclass
class KbAdmin:
    table: gr.Dataframe
    name: gr.Textbox
    new_name: gr.Textbox
    readers: gr.Textbox
    editors: gr.Textbox
    create_btn: gr.Button
    rename_btn: gr.Button
    grant_btn: gr.Button
    delete_btn: gr.Button
    confirm: gr.Checkbox


def build_kb_admin(backend: Backend) -> KbAdmin:
    """Add the section (inside the 管理 tab's admin-only column)."""
    gr.Markdown("### 知识库\n每个知识库有自己的文档和索引。读者可以检索和查看，编辑（编辑角色的账号）还可以上传和移除；"
                f"名单用逗号分隔，{EVERYONE} 表示所有账号。管理员可以查阅和编辑全部知识库。")
    table = gr.Dataframe(buttons=[], headers=KB_HEADERS, value=[], interactive=False, label="知识库", wrap=True,
                         elem_id="pq-kbs-table")
    with gr.Row():
        name = gr.Textbox(label="知识库名称", max_length=40, elem_id="pq-kb-name")
        new_name = gr.Textbox(label="新名称（改名时填写）", max_length=40, elem_id="pq-kb-new-name")
    with gr.Row():
        readers = gr.Textbox(label="读者（用户名，逗号分隔）", elem_id="pq-kb-readers")
        editors = gr.Textbox(label="编辑（用户名，逗号分隔）", elem_id="pq-kb-editors")
    with gr.Row():
        create_btn = gr.Button("新建知识库", variant="primary", elem_id="pq-kb-create")
        grant_btn = gr.Button("保存权限", elem_id="pq-kb-grant")
        rename_btn = gr.Button("改名", elem_id="pq-kb-rename")
        confirm = gr.Checkbox(label="确认删除该知识库及其全部文件", value=False, elem_id="pq-kb-confirm")
        delete_btn = gr.Button("删除知识库", variant="stop", elem_id="pq-kb-delete")
    ui = KbAdmin(table, name, new_name, readers, editors, create_btn, rename_btn, grant_btn, delete_btn, confirm)
    _wire(ui, backend)
    return ui


def kb_rows(backend: Backend, user: str | None) -> list[list]:
    rows = []
    for kb in backend.readable(user):
        rows.append([kb.name, kb.id, "、".join(kb.readers) or "（仅管理员）", "、".join(kb.editors) or "（仅管理员）",
                     len(backend.documents(kb.id, user))])
    return rows


def _wire(ui: KbAdmin, backend: Backend) -> None:
    def act(do, done: str):
        """A handler running `do(catalog, user, *values)`, then the table; a refusal becomes a toast."""

        def handler(name, new_name, readers, editors, confirm, request: gr.Request):
            user = request.username or None
            try:
                kb = do(user, (name or "").strip(), (new_name or "").strip(), readers or "", editors or "", confirm)
            except PolicyQAError as exc:
                notify.warn(exc.reason)
                return {ui.table: gr.update()}
            notify.info(done.format(name=kb.name))
            return {ui.table: kb_rows(backend, user), ui.confirm: False}

        return handler

    def create(user, name, _new, readers, editors, _confirm):
        return backend.manage(user).create(name, readers, editors)

    def grant(user, name, _new, readers, editors, _confirm):
        return backend.manage(user).set_access(name, readers, editors)

    def rename(user, name, new_name, *_):
        return backend.manage(user).rename(name, new_name)

    def delete(user, name, _new, _readers, _editors, confirm):
        kb = backend.manage(user).need(name)
        if kb.id != DEFAULT_KB and not confirm:
            raise AccessError("请先勾选“确认删除该知识库及其全部文件”。")
        return backend.delete_kb(user, kb.id)

    inputs = [ui.name, ui.new_name, ui.readers, ui.editors, ui.confirm]
    outputs = [ui.table, ui.confirm]
    ui.create_btn.click(act(create, "已新建知识库“{name}”。"), inputs=inputs, outputs=outputs, **PRIVATE)
    ui.grant_btn.click(act(grant, "已保存知识库“{name}”的权限。"), inputs=inputs, outputs=outputs, **PRIVATE)
    ui.rename_btn.click(act(rename, "知识库已改名为“{name}”。"), inputs=inputs, outputs=outputs, **PRIVATE)
    ui.delete_btn.click(act(delete, "已删除知识库“{name}”。"), inputs=inputs, outputs=outputs, **PRIVATE)

    def pick(evt: gr.SelectData, rows):
        """A click on a row fills the form with that knowledge base."""
        row = rows.values.tolist()[evt.index[0]] if hasattr(rows, "values") else rows[evt.index[0]]
        lists = [("" if v.startswith("（") else v.replace("、", ",")) for v in (row[2], row[3])]
        return row[0], *lists

    ui.table.select(pick, inputs=[ui.table], outputs=[ui.name, ui.readers, ui.editors], **PRIVATE)
