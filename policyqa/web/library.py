"""The 文档库 tab: the document table, upload with progress (staged, rolled back on failure), remove."""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import gradio as gr

from policyqa.errors import PolicyQAError, SkipFile
from policyqa.ingest.files import shown_name, upload_target
from policyqa.ingest.loaders import SUPPORTED_SUFFIXES
from policyqa.ingest.pipeline import STATUS_LABELS, FileResult, IngestReport
from policyqa.store.index import DocInfo
from policyqa.web import notify, render, viewer
from policyqa.web.render import md_text
from policyqa.web.assets import VIEWER_JS
from policyqa.access.kbs import DEFAULT_KB
from policyqa.web.backend import Backend
from policyqa.web.chat import login_name, scope_docs
from policyqa.web.scope import FACETS, facet_choices

log = logging.getLogger(__name__)

UPLOAD_TYPES = SUPPORTED_SUFFIXES
UPLOAD_TYPES_TEXT = "、".join(s.lstrip(".") for s in UPLOAD_TYPES)  # txt、md、html、htm、pdf、docx
DOC_HEADERS = ["标题", "文件", "发文机关", "文号", "日期", "文种", "状态", "页数", "段落数", "导入时间"]
RESULT_HEADERS = ["文件", "结果", "段落", "分块", "说明"]

Staged = dict[str, tuple[Path, Path | None]]  # name → (file in the upload folder, the older file kept aside)


@dataclass(frozen=True)
class ChatLink:
    """The chat's components that follow the document list: its 检索范围 choices and its banner."""

    kbs: gr.Dropdown  # the knowledge bases the chat searches
    scope: gr.CheckboxGroup
    conv_state: gr.State
    chat_html: gr.HTML
    filters: list[gr.Dropdown]  # the scope's metadata filters, one per FACETS key
    examples: list[gr.Button]  # the empty chat's example questions, made from the documents


@dataclass
class LibraryTab:
    """The components of the 文档库 tab, and the chat's that follow its document list."""

    kb: gr.Dropdown  # the knowledge base shown here, and the one uploads go to
    status: gr.Markdown
    docs_df: gr.Dataframe
    refresh_btn: gr.Button
    upload: gr.File
    results_df: gr.Dataframe
    remove_dd: gr.Dropdown
    remove_btn: gr.Button
    detail_dd: gr.Dropdown  # 查看文档: any document opened in the viewer
    detail_html: gr.HTML
    detail_state: gr.State  # the viewer state (web.viewer)
    confirm_row: gr.Row  # 确定移除 / 取消, shown by 移除文档
    confirm_md: gr.Markdown
    confirm_btn: gr.Button
    cancel_btn: gr.Button
    chat: ChatLink

    @property
    def outputs(self) -> list:
        """What `refresh` updates: the document list here and in the chat."""
        return [self.kb, self.chat.kbs, self.docs_df, self.chat.scope, self.remove_dd, self.detail_dd, self.status,
                self.chat.chat_html, *self.chat.filters, *self.chat.examples]

    @property
    def inputs(self) -> list:
        """What `refresh` reads: the knowledge bases chosen here and in the chat, the chat's scope, the
        conversation."""
        return [self.kb, self.chat.kbs, self.chat.scope, self.chat.conv_state]


def build_library_tab(backend: Backend, chat: ChatLink) -> LibraryTab:
    """Add the 文档库 tab (call inside ``with gr.Tabs():``); its changes refresh the `chat` components too.
    The page load fills it through `refresh` (wired in app.py)."""
    with gr.Tab("文档库", id="library"):
        lib = _layout(backend, chat)
    _wire(lib, backend)
    return lib


# --------------------------------------------------------------------------------------------------
# helpers


def _doc_rows(docs: Iterable[DocInfo]) -> list[list]:
    return [[d.title, d.name, d.issuer, d.number, d.date, d.doctype, d.status, d.pages or "", d.paragraphs,
             d.ingested_at] for d in docs]


def _doc_choices(docs: Iterable[DocInfo]) -> list[tuple[str, str]]:
    return [(f"{d.title}（{d.name}）" if d.title != d.name else d.name, d.name) for d in docs]


def _result_row(f: FileResult) -> list:
    return [f.name, STATUS_LABELS.get(f.status, f.status), f.paragraphs, f.chunks,
            "；".join(x for x in (f.notes, f.reason) if x)]


def _skip_row(name: str, reason: str) -> list:
    return [name, STATUS_LABELS["skipped"], 0, 0, reason]


def refresh(backend: Backend, lib: LibraryTab, user: str | None, lib_kb: str | None = None,
            chat_kbs: Sequence[str] | None = None, scope_value: Sequence[str] | None = None,
            added: Iterable[str] = (), conv: dict | None = None, chat: bool = True) -> dict:
    """Updates for `lib.outputs` after the document list changed, for `user` (the knowledge bases offered are
    the ones they may read). The chat's scope keeps its selection plus the `added` documents (all documents
    when `scope_value` is None: the page load). `chat`: redraw the conversation (its banner) too."""
    readable = backend.readable(user)
    ids = [kb.id for kb in readable]
    lib_kb = lib_kb if lib_kb in ids else (ids[0] if ids else None)
    chat_kbs = [k for k in (chat_kbs or []) if k in ids]
    docs = backend.documents(lib_kb, user) if lib_kb else []
    in_scope = scope_docs(backend, chat_kbs, user)
    names = [d.name for d in in_scope]
    if scope_value is None:
        new_scope = names
    else:
        keep = set(scope_value) | set(added)
        new_scope = [n for n in names if n in keep]
    kb = next((k for k in readable if k.id == lib_kb), None)
    if kb is None:
        status = "⚠️ 您的账号还没有可以查阅的知识库，请联系管理员开通。"
    elif kb.id == DEFAULT_KB and backend.error:
        status = f"⚠️ {backend.error}"
    else:
        status = (f"知识库“{md_text(kb.name)}”共收录 **{len(docs)}** 篇文档，{sum(d.paragraphs for d in docs)} 个段落，"
                  f"{sum(d.chunks for d in docs)} 个分块。")
        if not backend.may_edit(user, kb.id):
            status += "您只能查阅这个知识库。"
    choices = facet_choices(in_scope)
    filters = {dd: gr.update(choices=choices[key]) for key, dd in zip(FACETS, lib.chat.filters)}
    questions = backend.examples(user)
    examples = {btn: gr.update(value=questions[i], visible=True) if i < len(questions) else gr.update(visible=False)
                for i, btn in enumerate(lib.chat.examples)}
    kb_choices = [(k.name, k.id) for k in readable]
    return {**filters, **examples, lib.docs_df: _doc_rows(docs),
            lib.kb: gr.update(choices=kb_choices, value=lib_kb), lib.chat.kbs: gr.update(choices=kb_choices, value=chat_kbs),
            lib.chat.scope: gr.update(choices=_doc_choices(in_scope), value=new_scope),
            lib.remove_dd: gr.update(choices=_doc_choices(docs), value=None),
            lib.detail_dd: gr.update(choices=_doc_choices(docs), value=None),
            lib.status: status,
            lib.chat.chat_html: render.conversation_html((conv or {}).get("turns", []), banner=backend.banner())
            if chat else gr.update()}


def _check_uploads(files: list | None, folder: Path, max_mb: int) -> tuple[list[list], list[tuple[Path, str]]]:
    """(result rows of the refused files, [(uploaded file, safe name in `folder`)] of the accepted ones)."""
    rows, accepted = [], []
    limit = max_mb * 1024 * 1024
    for f in files or []:
        src = Path(f if isinstance(f, str) else getattr(f, "name", f))
        try:
            name = upload_target(folder, src.name).name
        except SkipFile as exc:
            rows.append(_skip_row(shown_name(src.name), exc.reason))
            continue
        size = src.stat().st_size if src.exists() else 0
        if Path(name).suffix.lower() not in UPLOAD_TYPES:
            rows.append(_skip_row(name, f"不支持的文件类型（支持 {UPLOAD_TYPES_TEXT}）"))
        elif size > limit:
            rows.append(_skip_row(name, f"文件超过 {max_mb} MB 的大小限制"))
        elif size == 0:
            rows.append(_skip_row(name, "文件为空"))
        else:
            accepted.append((src, name))
    return rows, accepted


def _stage(folder: Path, accepted: list[tuple[Path, str]]) -> Staged:
    """Copy uploads into the upload folder; an existing file of the same name is kept aside."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: Staged = {}
    for src, name in accepted:
        dest = folder / name
        backup = None
        if dest.exists():
            backup = dest.with_name(f".{name}.{uuid.uuid4().hex[:6]}.bak")
            dest.replace(backup)
        shutil.copyfile(src, dest)
        staged[name] = (dest, backup)
    return staged


def _unstage(staged: Staged, names: Iterable[str]) -> None:
    """Put back what was there before for the files that were not ingested."""
    for name in names:
        if name in staged:
            dest, backup = staged.pop(name)
            dest.unlink(missing_ok=True)
            if backup is not None:
                backup.replace(dest)


def _roll_back(staged: Staged, reason: str) -> list[list]:
    """Put every staged file back; one skipped row each, with `reason`."""
    names = list(staged)
    _unstage(staged, names)
    return [_skip_row(name, reason) for name in names]


def _drop_backups(staged: Staged) -> None:
    for _, backup in staged.values():
        if backup is not None:
            backup.unlink(missing_ok=True)


def _ingest_staged(backend: Backend, staged: Staged, progress: gr.Progress, kb: str, user: str | None
                   ) -> tuple[list[list], list[str]]:
    """Ingest the staged files; (result rows, names added or updated). On failure every file is put back."""

    def cb(stage: str, done: int, total: int) -> None:
        total = max(total, 1)
        if stage == "parse":
            progress(0.05 + 0.25 * done / total, desc=f"解析文件 {min(done + 1, total)}/{total}")
        elif stage == "embed":
            progress(0.3 + 0.6 * done / total, desc=f"计算向量：{done}/{total}")

    progress(0.02, desc="开始导入…")
    try:
        report: IngestReport = backend.ingest([dest for dest, _ in staged.values()], progress=cb, kb=kb, user=user)
    except PolicyQAError as exc:
        return _roll_back(staged, exc.reason), []
    except Exception:
        log.exception("ingest failed")
        return _roll_back(staged, "导入失败：运行时出错，详情见服务日志。"), []
    progress(0.95, desc="更新检索索引…")
    _unstage(staged, {fr.name for fr in report.files if fr.status == "skipped"})
    _drop_backups(staged)
    added = [fr.name for fr in report.files if fr.status in ("added", "updated")]
    return [_result_row(fr) for fr in report.files], added


# --------------------------------------------------------------------------------------------------
# layout and events


def _layout(backend: Backend, chat: ChatLink) -> LibraryTab:
    max_mb = backend.cfg.max_upload_mb
    kb = gr.Dropdown(label="知识库", choices=[], value=None, elem_id="pq-lib-kb",
                     info="下方的文档列表、查看、上传和移除都针对这个知识库。")
    status = gr.Markdown(elem_id="pq-lib-status")
    docs_df = gr.Dataframe(buttons=[], headers=DOC_HEADERS, value=[], interactive=False, label="已收录文档", wrap=True,
                           elem_id="pq-docs", column_widths=["24%", "14%", "12%", "10%", "8%", "6%", "7%", "5%", "5%", "9%"])
    refresh_btn = gr.Button("刷新列表", size="sm")
    with gr.Accordion("查看文档", open=False, elem_id="pq-detail-box"):
        detail_dd = gr.Dropdown(label="选择文档，查看其目录、正文和文件信息", choices=[], value=None,
                                elem_id="pq-detail-choice")
        detail_html = gr.HTML("", elem_id="pq-detail", js_on_load=VIEWER_JS, apply_default_css=False)
    with gr.Row(equal_height=False):
        with gr.Column():
            upload = gr.File(label=f"上传文件（{UPLOAD_TYPES_TEXT}，单个不超过 {max_mb} MB）", file_count="multiple",
                             file_types=list(UPLOAD_TYPES), elem_id="pq-upload")
            gr.Markdown("上传后自动导入；已存在的同名文件将被更新。")
        with gr.Column():
            results_df = gr.Dataframe(buttons=[], headers=RESULT_HEADERS, value=[], interactive=False, label="导入结果",
                                      wrap=True, elem_id="pq-results")
    with gr.Row():
        remove_dd = gr.Dropdown(label="选择要移除的文档", choices=[], value=None, scale=3, elem_id="pq-remove-choice")
        remove_btn = gr.Button("移除文档", variant="stop", scale=1, elem_id="pq-remove")
    with gr.Row(visible=False, elem_id="pq-remove-confirm") as confirm_row:
        confirm_md = gr.Markdown()
        confirm_btn = gr.Button("确定移除", variant="stop", scale=0, elem_id="pq-remove-yes")
        cancel_btn = gr.Button("取消", variant="secondary", scale=0, elem_id="pq-remove-no")
    return LibraryTab(kb=kb, status=status, docs_df=docs_df, refresh_btn=refresh_btn, upload=upload, results_df=results_df,
                      remove_dd=remove_dd, remove_btn=remove_btn, detail_dd=detail_dd, detail_html=detail_html,
                      detail_state=gr.State(None), confirm_row=confirm_row, confirm_md=confirm_md,
                      confirm_btn=confirm_btn, cancel_btn=cancel_btn, chat=chat)


READ_ONLY = "您只能查阅知识库“{name}”，不能在其中上传或移除文档（需要该知识库的编辑权限）。"



def _wire(lib: LibraryTab, backend: Backend) -> None:
    chat = lib.chat

    def import_fn(files, kb, chat_kbs, scope_value, conv, request: gr.Request, progress=gr.Progress()):
        backend.wait()
        user = login_name(request)
        kb = kb or DEFAULT_KB  # an upload before the page load filled the chooser goes where the list shows
        if not backend.may_edit(user, kb):
            found = backend.kbs.get(kb)
            notify.warn(READ_ONLY.format(name=found.name if found else kb))
            return {lib.results_df: gr.update(), lib.upload: None}
        folder = backend.uploads_dir(kb)
        rows, accepted = _check_uploads(files, folder, backend.cfg.max_upload_mb)
        added: list[str] = []
        if accepted:
            done, added = _ingest_staged(backend, _stage(folder, accepted), progress, kb, user)
            rows += done
        if not rows:
            return {lib.results_df: gr.update()}  # an empty dict would count as one (missing) output
        skipped = "、".join(r[0] for r in rows if r[1] == STATUS_LABELS["skipped"])
        if added:
            notify.info(f"已导入 {len(added)} 个文件。" + (f"未导入：{skipped}（原因见导入结果）。" if skipped else ""))
        else:
            notify.warn(f"没有导入任何文件{'：' + skipped if skipped else ''}。原因见导入结果中的说明。")
        return {**refresh(backend, lib, user, kb, chat_kbs, scope_value, added, conv), lib.results_df: rows,
                lib.upload: None}

    def ask_fn(name, kb, request: gr.Request):
        try:
            docs = backend.documents(kb, login_name(request)) if name else []
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            docs = []
        info = next((d for d in docs if d.name == name), None)
        if info is None:
            notify.warn("请先选择要移除的文档。")
            return {lib.confirm_row: gr.update(visible=False)}
        return {lib.confirm_row: gr.update(visible=True),
                lib.confirm_md: f"确定从索引中移除《{md_text(info.title)}》（{md_text(info.name)}）吗？"}

    def remove_fn(name, kb, chat_kbs, scope_value, conv, request: gr.Request):
        user = login_name(request)
        if not name:
            notify.warn("请先选择要移除的文档。")
            return {lib.confirm_row: gr.update(visible=False)}
        kb = kb or DEFAULT_KB
        if not backend.may_edit(user, kb):
            found = backend.kbs.get(kb)
            notify.warn(READ_ONLY.format(name=found.name if found else kb))
            return {lib.confirm_row: gr.update(visible=False)}
        backend.wait()
        info = next((d for d in backend.documents(kb, user) if d.name == name), None)
        try:
            report = backend.ingest([], remove=[name], kb=kb, user=user)
        except PolicyQAError as exc:
            raise notify.error(f"移除失败：{exc.reason}") from exc
        except Exception as exc:
            log.exception("remove failed")
            raise notify.error("移除失败：运行时出错，详情见服务日志。") from exc
        if info is not None and info.path:
            path = Path(info.path)
            if path.parent.resolve() == backend.uploads_dir(kb).resolve():
                path.unlink(missing_ok=True)
        removed = [f for f in report.files if f.status == "removed"]
        if removed:
            notify.info(f"已移除：{'、'.join(f.name for f in removed)}")
        else:
            notify.warn(f"未找到文档：{name}")
        return {**refresh(backend, lib, user, kb, chat_kbs, scope_value, conv=conv),
                lib.results_df: [_result_row(f) for f in removed],
                lib.confirm_row: gr.update(visible=False)}

    def refresh_fn(kb, chat_kbs, scope_value, conv, request: gr.Request):
        return refresh(backend, lib, login_name(request), kb, chat_kbs, scope_value, conv=conv)

    inputs: list[Any] = lib.inputs
    for trigger in (lib.refresh_btn.click, lib.kb.input, chat.kbs.input):
        trigger(refresh_fn, inputs=inputs, outputs=lib.outputs, api_visibility="private", show_progress="hidden")
    lib.upload.upload(import_fn, inputs=[lib.upload, *inputs], outputs=lib.outputs + [lib.results_df, lib.upload],
                      api_visibility="private", show_progress="full", show_progress_on=[lib.results_df])
    lib.remove_btn.click(ask_fn, inputs=[lib.remove_dd, lib.kb], outputs=[lib.confirm_row, lib.confirm_md],
                         api_visibility="private")
    lib.confirm_btn.click(remove_fn, inputs=[lib.remove_dd, *inputs],
                          outputs=lib.outputs + [lib.results_df, lib.confirm_row], api_visibility="private")
    lib.cancel_btn.click(lambda: gr.update(visible=False), outputs=[lib.confirm_row], queue=False,
                         api_visibility="private")
    lib.remove_dd.change(lambda: gr.update(visible=False), outputs=[lib.confirm_row], queue=False,
                         api_visibility="private")

    def detail_fn(name, kb, request: gr.Request):
        user = login_name(request)
        try:
            doc = backend.document(name, kb, user) if name else None
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            doc = None
        if doc is None or not doc.paragraphs:
            return {lib.detail_html: "", lib.detail_state: None}
        vs = viewer.opened(doc.name, doc.paragraphs[0].id, kb=kb)
        return {lib.detail_html: viewer.html(backend, vs, user), lib.detail_state: vs}

    def detail_click(vs, evt: gr.EventData, request: gr.Request):
        vs = viewer.moved(vs, getattr(evt, "_data", None) or {})
        if vs is None:
            return {lib.detail_state: gr.update()}
        return {lib.detail_html: viewer.html(backend, vs, login_name(request)), lib.detail_state: vs}

    lib.detail_dd.change(detail_fn, inputs=[lib.detail_dd, lib.kb], outputs=[lib.detail_html, lib.detail_state],
                         api_visibility="private", show_progress="hidden")
    lib.detail_html.click(detail_click, inputs=[lib.detail_state], outputs=[lib.detail_html, lib.detail_state],
                          api_visibility="private", show_progress="hidden")
