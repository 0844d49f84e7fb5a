"""The web app (`python app.py`): chat with cited answers, source cards, a document viewer, the document
library (upload / remove), feedback and conversation export, and the `/ask` API endpoint.

The model and the index load once, in a background thread started by `main()` (never at import), so the
page is served at once; a question asked before loading finishes waits for it."""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no telemetry calls

import gradio as gr  # noqa: E402

from policyqa.web import render  # noqa: E402
from policyqa.config import Config  # noqa: E402
from policyqa.web.feedback import FeedbackStore, conversation_json, conversation_markdown  # noqa: E402
from policyqa.assistant import InvalidQuestion, validate  # noqa: E402
from policyqa.store.index import IndexUnavailable, current_build  # noqa: E402
from policyqa.web.assets import CHAT_JS, CSS, SOURCES_JS, VIEWER_JS, theme  # noqa: E402
from policyqa.web.eval_tab import build_eval_tab  # noqa: E402

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
EXAMPLES = [
    "湛茂都市圈的规划期是哪几年？",
    "湛茂都市圈土地总面积是多少？",
    "茂名港有什么突出的港口设施优势？",
    "海关引导月饼出口企业用好什么政策红利？",
]
NO_INDEX = "尚未建立索引：请在“文档库”页上传政策文件，或在服务器上运行 python ingest.py 导入文件。"
LOADING = "正在加载模型和索引，请稍候…"
STATUS_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "removed": "移除", "skipped": "跳过"}
DOC_HEADERS = ["标题", "文件", "条款数", "段落数", "分块数", "导入时间"]
RESULT_HEADERS = ["文件", "结果", "段落", "分块", "说明"]
STREAM_DELAY = 0.04  # seconds between streamed sentences
LOAD_TIMEOUT = 300


# --------------------------------------------------------------------------------------------------
# Back end: the assistant, loaded once, shared by all sessions


class Backend:
    """Holds the assistant (model + index), the feedback store and the upload folder. Index reads and
    reloads are serialised by one lock, so an ingest never swaps the index under a running question."""

    def __init__(self, cfg: Config, embedder=None):
        self.cfg = cfg
        self.embedder = embedder
        self.assistant = None
        self.error = ""
        self.ready = threading.Event()
        self.lock = threading.RLock()
        self.feedback = FeedbackStore(cfg.feedback_db)
        self.upload_dir = cfg.uploads_dir
        self.load_seconds = 0.0

    def start(self, background: bool = True) -> "Backend":
        if background:
            threading.Thread(target=self.load, name="policyqa-load", daemon=True).start()
        else:
            self.load()
        return self

    def load(self) -> None:
        t = time.perf_counter()
        try:
            self._load()
        except Exception as exc:  # never leave the app waiting forever
            log.exception("loading failed")
            self.error = f"加载失败：{type(exc).__name__}: {exc}"
        finally:
            self.load_seconds = time.perf_counter() - t
            self.ready.set()
            log.info("model and index loaded in %.1fs%s", self.load_seconds, f" ({self.error})" if self.error else "")
        self._warm_up()

    def _load(self) -> None:
        from policyqa.embedding.convert import ModelError, load_embedder

        if self.embedder is None:
            try:
                self.embedder = load_embedder(self.cfg)
            except ModelError as exc:
                self.error = f"嵌入模型无法加载：{exc}"
                return
        self._open()

    def _open(self) -> None:
        from policyqa.assistant import Assistant

        with self.lock:
            if current_build(self.cfg.index_dir) is None:
                self.assistant, self.error = None, NO_INDEX
                return
            try:
                if self.assistant is None:
                    self.assistant = Assistant.open(self.cfg, embedder=self.embedder)
                else:
                    self.assistant.reload()
                self.error = ""
            except IndexUnavailable as exc:
                self.assistant, self.error = None, str(exc)

    def _warm_up(self) -> None:
        """One throw-away question, so the first real one does not pay for lazy initialisation."""
        if self.assistant is None:
            return
        try:
            self.ask("规划的目标是什么？")
        except Exception:  # warm-up only
            log.debug("warm-up failed", exc_info=True)

    def wait(self, timeout: float = LOAD_TIMEOUT) -> bool:
        return self.ready.wait(timeout)

    # --- questions --------------------------------------------------------------------------------
    def ask(self, question: str, history: list[str] | None = None, k: int | None = None,
            docs: list[str] | None = None, mode: str | None = None):
        with self.lock:
            if self.assistant is None:
                raise IndexUnavailable(self.error or NO_INDEX)
            return self.assistant.ask(question, history=history, k=k, docs=docs, answer_mode=mode)

    # --- documents --------------------------------------------------------------------------------
    def documents(self) -> list:
        with self.lock:
            return self.assistant.index.documents() if self.assistant is not None else []

    def document(self, name: str):
        with self.lock:
            return self.assistant.index.document(name) if self.assistant is not None else None

    def ingest(self, files: list[Path], remove: list[str] = (), progress=None):
        """Ingest `files` (and drop `remove`) into the index, then reload the assistant."""
        from policyqa.ingest.pipeline import ingest

        report = ingest(files, self.cfg, remove=list(remove), embedder=self.embedder, progress=progress,
                        show_progress=False)
        if report.changed or self.assistant is None:
            self._open()
        return report

    @property
    def llm_available(self) -> bool:
        return bool(self.cfg.llm_base_url and self.cfg.llm_model)


# --------------------------------------------------------------------------------------------------
# helpers


def parse_auth(spec: str) -> list[tuple[str, str]]:
    """`user:password[,user2:password2]` → [(user, password), …]; malformed entries raise ValueError."""
    out = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            raise ValueError("POLICYQA_AUTH 格式应为 用户名:密码[,用户名2:密码2]")
        out.append((user, password))
    return out


def launch_kwargs(cfg: Config) -> dict:
    """Arguments for `demo.launch`: local binding, no share link, optional login, upload size limit, style."""
    auth = parse_auth(cfg.auth)
    return dict(server_name=cfg.host, server_port=cfg.port, share=False, auth=auth or None,
                auth_message="政策问答系统：请输入用户名和密码" if auth else None,
                max_file_size=f"{cfg.max_upload_mb}mb", css=CSS, theme=theme(), footer_links=["api"],
                show_error=False)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_name(name: str) -> str:
    """A file name safe to store in the upload folder (no path parts, no control or reserved characters)."""
    base = Path(str(name).replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, suffix = os.path.splitext(base)
    return (stem[:120] or "upload") + suffix.lower()


def _stream_pieces(text: str) -> list[str]:
    """Growing prefixes of `text`, one more sentence each."""
    ends = [m.end() for m in re.finditer(r"[。！？；\n]+(?:(?:\[\d+\])+)?|$", text) if m.end() > 0]
    out, last = [], 0
    for e in ends:
        if e > last:
            out.append(text[:e])
            last = e
    return out or [text]


def _doc_rows(docs) -> list[list]:
    return [[d.title, d.name, d.clauses, d.paragraphs, d.chunks, d.ingested_at] for d in docs]


def _scope_choices(docs) -> list[tuple[str, str]]:
    return [(f"{d.title}（{d.name}）" if d.title != d.name else d.name, d.name) for d in docs]


def _new_conv() -> dict:
    return {"id": uuid.uuid4().hex[:12], "turns": []}


def _write_exports(conv: dict) -> tuple[str, str]:
    folder = Path(tempfile.gettempdir()) / "policyqa-exports" / conv["id"]
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M")
    md = folder / f"政策问答对话-{stamp}.md"
    js = folder / f"政策问答对话-{stamp}.json"
    md.write_text(conversation_markdown(conv["turns"], conv["id"]), "utf-8")
    js.write_text(conversation_json(conv["turns"], conv["id"]), "utf-8")
    return str(md), str(js)


def _view_label(sel: dict | None) -> str:
    if not sel or sel.get("n") is None:
        return "查看原文"
    if sel.get("kind") == "related":
        return f"查看原文（相关段落 {sel['n'] + 1}）"
    return f"查看原文 [{sel['n']}]"


def _target(turns: list[dict], sel: dict | None):
    """(doc, paragraph_id, span, quote) of the selected source card, or None."""
    if not sel or sel.get("n") is None or not (0 <= sel.get("turn", -1) < len(turns)):
        return None
    t = turns[sel["turn"]]
    if sel.get("kind") == "related":
        rel = t.get("related", [])
        if 0 <= sel["n"] < len(rel):
            r = rel[sel["n"]]
            return r["doc"], r["paragraph_id"], None, ""
        return None
    for c in t.get("citations", []):
        if int(c["n"]) == sel["n"]:
            return c["doc"], c["paragraph_id"], c.get("span"), c.get("quote", "")
    return None


# --------------------------------------------------------------------------------------------------
# the app


def build_app(backend: Backend) -> gr.Blocks:
    cfg = backend.cfg

    def banner() -> str:
        if not backend.ready.is_set():
            return ""
        return backend.error

    def docs_arg(scope: list[str] | None) -> list[str] | None:
        names = {d.name for d in backend.documents()}
        chosen = [s for s in (scope or []) if s in names]
        if not chosen or set(chosen) >= names:
            return None
        return chosen

    with gr.Blocks(title="政策问答", analytics_enabled=False) as demo:
        conv_state = gr.State(None)  # {"id", "turns"}; created by the first question
        sel_state = gr.State(None)  # {"turn", "n", "kind"} of the selected source card
        viewer_state = gr.State(None)  # {"doc", "pid", "before", "after", "cite_pid", "span", "quote"}
        fb_turn = gr.State(None)  # the answer a comment applies to (default: the last)

        gr.Markdown("# 政策问答\n离线政策文件问答：回答均附条款出处，点击 [1]、[2] 查看依据原文。",
                    elem_id="pq-title")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=420):
                        chat_html = gr.HTML(render.conversation_html([], banner=banner()), elem_id="pq-chat",
                                            js_on_load=CHAT_JS, apply_default_css=False)
                        with gr.Row(visible=True) as examples_row:
                            example_btns = [gr.Button(q, size="sm", variant="secondary", elem_classes="pq-example")
                                            for q in EXAMPLES]
                        question = gr.Textbox(label="问题", placeholder="请输入关于政策文件的问题，例如：" + EXAMPLES[0],
                                              lines=2, max_lines=6, max_length=500, elem_id="pq-question")
                        with gr.Row():
                            ask_btn = gr.Button("提问", variant="primary", elem_id="pq-ask", scale=3)
                            new_btn = gr.Button("新对话", variant="secondary", scale=1)
                        with gr.Accordion("检索范围（默认全部文档）", open=False):
                            scope = gr.CheckboxGroup(label="在以下文档中检索", choices=[], value=[],
                                                     show_select_all=True, info="全部不选等同于检索全部文档。",
                                                     elem_id="pq-scope")
                        with gr.Accordion("设置", open=False):
                            k_slider = gr.Slider(10, 50, value=max(cfg.top_k, 10), step=1, label="检索段落数（k）",
                                                 info="检索并提供给回答模块的段落数量。")
                            llm_ok = backend.llm_available
                            mode = gr.Radio([("抽取式（逐句摘录原文）", "extractive"), ("大模型生成", "llm")],
                                            value=cfg.answer_mode if llm_ok else "extractive", label="回答方式",
                                            interactive=llm_ok,
                                            info=None if llm_ok else
                                            "未配置大模型服务（llm_base_url、llm_model），仅可使用抽取式回答。")
                        with gr.Accordion("评价与导出", open=True):
                            fb_target_md = gr.Markdown("在回答下方点击 👍 / 👎 评价；也可以填写意见。")
                            with gr.Row():
                                fb_comment = gr.Textbox(label="意见（可选）", placeholder="例如：引用的条款不准确…",
                                                        lines=1, max_length=1000, scale=4)
                                fb_btn = gr.Button("提交意见", scale=1)
                            with gr.Row():
                                dl_md = gr.DownloadButton("导出对话（Markdown）", visible=False, size="sm")
                                dl_json = gr.DownloadButton("导出对话（JSON）", visible=False, size="sm")
                    with gr.Column(scale=2, min_width=320, elem_id="pq-sources-col"):
                        gr.Markdown("### 引用来源")
                        sources_html = gr.HTML(render.sources_html([], None), elem_id="pq-sources",
                                               js_on_load=SOURCES_JS, apply_default_css=False)
                        view_btn = gr.Button("查看原文", interactive=False, elem_id="pq-view-btn", size="sm")
                with gr.Column(visible=False, elem_id="pq-viewer-box") as viewer_box:
                    with gr.Row():
                        gr.Markdown("### 原文查看")
                        close_btn = gr.Button("关闭原文", size="sm", scale=0, elem_id="pq-viewer-close")
                    viewer_html = gr.HTML("", elem_id="pq-viewer", js_on_load=VIEWER_JS, apply_default_css=False)

            with gr.Tab("文档库", id="library"):
                lib_status = gr.Markdown(elem_id="pq-lib-status")
                docs_df = gr.Dataframe(headers=DOC_HEADERS, value=[], interactive=False, label="已收录文档",
                                       wrap=True, elem_id="pq-docs",
                                       column_widths=["38%", "22%", "8%", "8%", "8%", "16%"])
                refresh_btn = gr.Button("刷新列表", size="sm")
                with gr.Row(equal_height=False):
                    with gr.Column():
                        upload = gr.File(label=f"上传文件（txt、md、html、htm、pdf、docx，单个不超过 {cfg.max_upload_mb} MB）",
                                         file_count="multiple", file_types=list(UPLOAD_TYPES), elem_id="pq-upload")
                        gr.Markdown("上传后自动导入；已存在的同名文件将被更新。")
                    with gr.Column():
                        results_df = gr.Dataframe(headers=RESULT_HEADERS, value=[], interactive=False,
                                                  label="导入结果", wrap=True, elem_id="pq-results")
                with gr.Row():
                    remove_dd = gr.Dropdown(label="选择要移除的文档", choices=[], value=None, scale=3,
                                            elem_id="pq-remove-choice")
                    remove_btn = gr.Button("移除文档", variant="stop", scale=1, elem_id="pq-remove")

            build_eval_tab(backend)

        # --- chat ------------------------------------------------------------------------------------
        ask_outputs = [chat_html, sources_html, question, examples_row, view_btn, dl_md, dl_json, conv_state,
                       sel_state, fb_turn, fb_target_md]

        def ask_fn(q, conv, scope_value, k, mode_value):
            conv = conv or _new_conv()
            turns = conv["turns"]
            try:
                q = validate(q)
            except InvalidQuestion as exc:
                gr.Warning(str(exc))
                yield {question: gr.update()}
                return
            pending = {"question": q, "answer": "", "status": "正在检索相关条款…" if backend.ready.is_set() else LOADING}
            yield {chat_html: render.conversation_html(turns, pending), question: "",
                   examples_row: gr.update(visible=False)}
            if not backend.wait():
                gr.Warning("模型加载超时，请稍后再试。")
                yield {chat_html: render.conversation_html(turns, banner=LOADING), question: q}
                return
            try:
                ans = backend.ask(q, history=[t["question"] for t in turns], k=int(k) if k else None,
                                  docs=docs_arg(scope_value), mode=mode_value or None)
            except (InvalidQuestion, IndexUnavailable) as exc:
                gr.Warning(str(exc))
                yield {chat_html: render.conversation_html(turns, banner=str(exc)), question: q,
                       examples_row: gr.update(visible=not turns)}
                return
            except Exception as exc:
                log.exception("answering failed")
                yield {chat_html: render.conversation_html(turns), question: q}
                raise gr.Error(f"回答时出错：{type(exc).__name__}") from exc
            i = len(turns)
            turn = ans.to_json(f"{conv['id']}-{i + 1}")
            turn["related"] = ans.related
            turn["feedback"] = {}
            if not ans.refused:
                cited = [int(c["n"]) for c in turn["citations"]]
                first = True
                for partial in _stream_pieces(turn["answer"]):
                    update = {chat_html: render.conversation_html(
                        turns, {"question": q, "answer": partial, "cited": cited})}
                    if first:
                        update[sources_html] = render.sources_html(turns + [turn], i)
                        first = False
                    yield update
                    time.sleep(STREAM_DELAY)
            conv = {"id": conv["id"], "turns": turns + [turn]}
            md, js = _write_exports(conv)
            yield {chat_html: render.conversation_html(conv["turns"]),
                   sources_html: render.sources_html(conv["turns"], i),
                   view_btn: gr.update(value="查看原文", interactive=False),
                   dl_md: gr.update(value=md, visible=True), dl_json: gr.update(value=js, visible=True),
                   conv_state: conv, sel_state: None, fb_turn: i,
                   fb_target_md: f"意见将附在第 {i + 1} 问的回答上；在回答下方点击 👍 / 👎 评价。"}

        ask_kw = dict(fn=ask_fn, inputs=[question, conv_state, scope, k_slider, mode], outputs=ask_outputs,
                      api_visibility="private", concurrency_limit=8, show_progress="hidden")
        ask_btn.click(**ask_kw)
        question.submit(**ask_kw)
        for btn in example_btns:
            btn.click(lambda x: x, inputs=[btn], outputs=[question], api_visibility="private",
                      queue=False).then(**ask_kw)

        def new_fn():
            return {chat_html: render.conversation_html([], banner=banner()),
                    sources_html: render.sources_html([], None), question: "",
                    examples_row: gr.update(visible=True), view_btn: gr.update(value="查看原文", interactive=False),
                    dl_md: gr.update(value=None, visible=False), dl_json: gr.update(value=None, visible=False),
                    conv_state: _new_conv(), sel_state: None, fb_turn: None,
                    fb_target_md: "在回答下方点击 👍 / 👎 评价；也可以填写意见。",
                    viewer_box: gr.update(visible=False), viewer_state: None}

        new_btn.click(new_fn, outputs=ask_outputs + [viewer_box, viewer_state], api_visibility="private")

        # clicks inside the conversation: [n] markers, related passages, 👍/👎
        def chat_click(conv, evt: gr.EventData):
            d = getattr(evt, "_data", None) or {}
            turns = (conv or {}).get("turns", [])
            try:
                turn, n = int(d.get("turn", -1)), int(d.get("n", 0))
            except (TypeError, ValueError):
                return {}
            if not (0 <= turn < len(turns)):
                return {}
            act = d.get("act")
            if act in ("cite", "related"):
                sel = {"turn": turn, "n": n, "kind": "cite" if act == "cite" else "related"}
                if _target(turns, sel) is None:
                    return {}
                return {sources_html: render.sources_html(turns, turn, n), sel_state: sel,
                        view_btn: gr.update(value=_view_label(sel), interactive=True)}
            if act == "rate" and d.get("rating") in ("up", "down"):
                t = turns[turn]
                row = backend.feedback.record(conv["id"], turn, t, rating=d["rating"])
                t["feedback"] = {"rating": row["rating"], "comment": row["comment"]}
                gr.Info("感谢您的评价！")
                return {chat_html: render.conversation_html(turns), conv_state: conv, fb_turn: turn,
                        fb_target_md: f"意见将附在第 {turn + 1} 问的回答上。"}
            return {}

        chat_html.click(chat_click, inputs=[conv_state],
                        outputs=[chat_html, sources_html, sel_state, view_btn, conv_state, fb_turn, fb_target_md],
                        api_visibility="private", show_progress="hidden")

        # --- sources and the document viewer ----------------------------------------------------------
        def open_viewer(turns, sel):
            target = _target(turns, sel)
            if target is None:
                gr.Warning("请先点击答案中的 [n] 或来源卡片选择一个来源。")
                return {}
            doc_name, pid, span, quote = target
            vs = {"doc": doc_name, "pid": pid, "before": 3, "after": 3, "cite_pid": pid, "span": span, "quote": quote}
            return {viewer_box: gr.update(visible=True), viewer_html: _viewer(vs), viewer_state: vs}

        def _viewer(vs: dict) -> str:
            doc = backend.document(vs["doc"])
            same = vs["pid"] == vs["cite_pid"]
            return render.viewer_html(doc, vs["pid"], before=vs["before"], after=vs["after"],
                                      span=vs["span"] if same else None, quote=vs["quote"] if same else "")

        def sources_click(conv, evt: gr.EventData):
            d = getattr(evt, "_data", None) or {}
            turns = (conv or {}).get("turns", [])
            try:
                sel = {"turn": int(d.get("turn", -1)), "n": int(d.get("n", 0)),
                       "kind": "related" if d.get("kind") == "related" else "cite"}
            except (TypeError, ValueError):
                return {}
            if _target(turns, sel) is None:
                return {}
            out = {sel_state: sel, view_btn: gr.update(value=_view_label(sel), interactive=True)}
            if d.get("act") == "view":
                out.update(open_viewer(turns, sel))
                out[sources_html] = render.sources_html(turns, sel["turn"], sel["n"])
            return out

        sources_click_outputs = [sel_state, view_btn, viewer_box, viewer_html, viewer_state, sources_html]
        sources_html.click(sources_click, inputs=[conv_state], outputs=sources_click_outputs,
                           api_visibility="private", show_progress="hidden")
        view_btn.click(lambda conv, sel: open_viewer((conv or {}).get("turns", []), sel),
                       inputs=[conv_state, sel_state], outputs=[viewer_box, viewer_html, viewer_state],
                       api_visibility="private", show_progress="hidden")

        def viewer_click(vs, evt: gr.EventData):
            d = getattr(evt, "_data", None) or {}
            if not vs:
                return {}
            vs = dict(vs)
            if d.get("act") == "goto" and d.get("pid"):
                vs.update(pid=str(d["pid"]), before=3, after=6)
            elif d.get("act") == "more":
                key = "before" if d.get("dir") == "before" else "after"
                vs[key] = vs[key] + 10
            else:
                return {}
            return {viewer_html: _viewer(vs), viewer_state: vs}

        viewer_html.click(viewer_click, inputs=[viewer_state], outputs=[viewer_html, viewer_state],
                          api_visibility="private", show_progress="hidden")
        close_btn.click(lambda: gr.update(visible=False), outputs=[viewer_box], api_visibility="private",
                        queue=False)

        # --- feedback comments -----------------------------------------------------------------------------
        def comment_fn(text, conv, turn):
            turns = (conv or {}).get("turns", [])
            text = (text or "").strip()
            if not turns:
                gr.Warning("还没有可评价的回答。")
                return {}
            if not text:
                gr.Warning("请先填写意见。")
                return {}
            turn = turn if isinstance(turn, int) and 0 <= turn < len(turns) else len(turns) - 1
            row = backend.feedback.record(conv["id"], turn, turns[turn], comment=text)
            turns[turn]["feedback"] = {"rating": row["rating"], "comment": row["comment"]}
            md, js = _write_exports(conv)
            gr.Info("意见已提交，谢谢！")
            return {fb_comment: "", chat_html: render.conversation_html(turns), conv_state: conv,
                    dl_md: gr.update(value=md), dl_json: gr.update(value=js)}

        fb_btn.click(comment_fn, inputs=[fb_comment, conv_state, fb_turn],
                     outputs=[fb_comment, chat_html, conv_state, dl_md, dl_json], api_visibility="private")

        # --- library -------------------------------------------------------------------------------------
        def lib_updates(scope_value=None, added=(), conv=None) -> dict:
            docs = backend.documents()
            names = [d.name for d in docs]
            if scope_value is None:
                new_scope = names
            else:
                new_scope = [n for n in names if n in set(scope_value) or n in set(added)]
            if backend.error:
                status = f"⚠️ {backend.error}"
            else:
                status = (f"共收录 **{len(docs)}** 篇文档，{sum(d.paragraphs for d in docs)} 个段落，"
                          f"{sum(d.chunks for d in docs)} 个分块。")
            return {docs_df: _doc_rows(docs),
                    scope: gr.update(choices=_scope_choices(docs), value=new_scope),
                    remove_dd: gr.update(choices=_scope_choices(docs), value=None),
                    lib_status: status,
                    chat_html: render.conversation_html((conv or {}).get("turns", []), banner=banner())}

        lib_outputs = [docs_df, scope, remove_dd, lib_status, chat_html]

        def on_load(conv):
            backend.wait()
            return lib_updates(None, conv=conv)

        demo.load(on_load, inputs=[conv_state], outputs=lib_outputs, api_visibility="private",
                  concurrency_limit=None, show_progress="hidden")
        refresh_btn.click(lambda s, c: lib_updates(s, conv=c), inputs=[scope, conv_state], outputs=lib_outputs,
                          api_visibility="private")

        def import_fn(files, scope_value, conv, progress=gr.Progress()):
            backend.wait()
            rows, accepted = [], []
            limit = cfg.max_upload_mb * 1024 * 1024
            backend.upload_dir.mkdir(parents=True, exist_ok=True)
            for f in files or []:
                src = Path(f if isinstance(f, str) else getattr(f, "name", f))
                name = safe_name(src.name)
                size = src.stat().st_size if src.exists() else 0
                if Path(name).suffix.lower() not in UPLOAD_TYPES:
                    rows.append([name, "跳过", 0, 0, "不支持的文件类型（支持 txt、md、html、htm、pdf、docx）"])
                elif size > limit:
                    rows.append([name, "跳过", 0, 0, f"文件超过 {cfg.max_upload_mb} MB 的大小限制"])
                elif size == 0:
                    rows.append([name, "跳过", 0, 0, "文件为空"])
                else:
                    accepted.append((src, name))
            added: list[str] = []
            if accepted:
                staged = _stage(accepted)
                progress(0.02, desc="开始导入…")

                def cb(stage, done, total):
                    total = max(total, 1)
                    if stage == "parse":
                        progress(0.05 + 0.25 * done / total, desc=f"解析文件 {min(done + 1, total)}/{total}")
                    elif stage == "embed":
                        progress(0.3 + 0.6 * done / total, desc=f"计算向量：{done}/{total} 个分块")

                try:
                    report = backend.ingest([dest for dest, _ in staged.values()], progress=cb)
                except Exception as exc:
                    if not isinstance(exc, IndexUnavailable):
                        log.exception("ingest failed")
                    _unstage(staged, set(staged))
                    reason = str(exc) if isinstance(exc, IndexUnavailable) else f"导入失败：{type(exc).__name__}: {exc}"
                    rows += [[name, "跳过", 0, 0, reason] for name in staged]
                else:
                    progress(0.95, desc="更新检索索引…")
                    _unstage(staged, {fr.name for fr in report.files if fr.status == "skipped"})
                    for fr in report.files:
                        rows.append([fr.name, STATUS_LABELS.get(fr.status, fr.status), fr.paragraphs, fr.chunks,
                                     fr.reason])
                        if fr.status in ("added", "updated"):
                            added.append(fr.name)
                    _drop_backups(staged)
            if not rows:
                return {}
            ok = len(added)
            if ok:
                gr.Info(f"已导入 {ok} 个文件。")
            else:
                gr.Warning("没有导入任何文件，请查看导入结果中的说明。")
            out = lib_updates(scope_value, added, conv)
            out.update({results_df: rows, upload: None})
            return out

        def _stage(accepted):
            """Copy uploads into the upload folder; an existing file of the same name is kept aside."""
            staged = {}
            for src, name in accepted:
                dest = backend.upload_dir / name
                backup = None
                if dest.exists():
                    backup = dest.with_name(f".{name}.{uuid.uuid4().hex[:6]}.bak")
                    dest.replace(backup)
                shutil.copyfile(src, dest)
                staged[name] = (dest, backup)
            return staged

        def _unstage(staged, names):
            """Put back what was there before for the files that were not ingested."""
            for name in names:
                if name in staged:
                    dest, backup = staged.pop(name)
                    dest.unlink(missing_ok=True)
                    if backup is not None:
                        backup.replace(dest)

        def _drop_backups(staged):
            for dest, backup in staged.values():
                if backup is not None:
                    backup.unlink(missing_ok=True)

        upload.upload(import_fn, inputs=[upload, scope, conv_state], outputs=lib_outputs + [results_df, upload],
                      api_visibility="private", show_progress="full", show_progress_on=[results_df])

        def remove_fn(name, scope_value, conv):
            if name == "":  # cancelled in the confirmation dialog
                return {}
            if not name:
                gr.Warning("请先选择要移除的文档。")
                return {}
            backend.wait()
            info = next((d for d in backend.documents() if d.name == name), None)
            try:
                report = backend.ingest([], remove=[name])
            except Exception as exc:
                log.exception("remove failed")
                raise gr.Error(f"移除失败：{exc}") from exc
            if info is not None and info.path:
                path = Path(info.path)
                if path.parent.resolve() == backend.upload_dir.resolve():
                    path.unlink(missing_ok=True)
            removed = [f.name for f in report.files if f.status == "removed"]
            if removed:
                gr.Info(f"已移除：{'、'.join(removed)}")
            else:
                gr.Warning(f"未找到文档：{name}")
            out = lib_updates(scope_value, conv=conv)
            out[results_df] = [[f.name, STATUS_LABELS.get(f.status, f.status), f.paragraphs, f.chunks, f.reason]
                               for f in report.files if f.status == "removed"]
            return out

        remove_btn.click(remove_fn, inputs=[remove_dd, scope, conv_state], outputs=lib_outputs + [results_df],
                         api_visibility="private", js="(n, s, c) => (n && !confirm('确定从索引中移除该文档吗？')) ? ['', s, c] : [n, s, c]")

        # --- API --------------------------------------------------------------------------------------
        def ask(question: str, k: int | None = None, docs: list[str] | None = None) -> dict:
            """Answer a question; returns the JSON of `python -m policyqa ask --json` (answer, refused,
            citations with clause / paragraph_id / quote, contexts, timings_ms)."""
            if not backend.wait():
                raise gr.Error(LOADING)
            try:
                ans = backend.ask(question, k=int(k) if k else None, docs=list(docs) if docs else None)
            except (InvalidQuestion, IndexUnavailable) as exc:
                raise gr.Error(str(exc)) from exc
            return ans.to_json()

        gr.api(ask, api_name="ask", concurrency_limit=4)
    return demo


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None, cfg: Config | None = None) -> int:
    ap = argparse.ArgumentParser(prog="app.py", description="政策问答：网页界面")
    ap.add_argument("--config", type=Path)
    ap.add_argument("--host", help="监听地址（默认取配置，127.0.0.1）")
    ap.add_argument("--port", type=int)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "sentence_transformers", "transformers", "jieba", "faiss", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    cfg = cfg or Config.load(args.config)
    if args.host:
        cfg = cfg.replace(host=args.host)
    if args.port:
        cfg = cfg.replace(port=args.port)
    try:
        kwargs = launch_kwargs(cfg)
    except ValueError as exc:
        print(f"错误：{exc}")
        return 2
    backend = Backend(cfg).start(background=True)
    demo = build_app(backend)
    demo.queue(default_concurrency_limit=2)
    demo.launch(**kwargs)
    return 0
