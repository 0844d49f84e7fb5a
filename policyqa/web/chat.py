"""The 问答 tab: chat with cited answers, source cards, the document viewer, feedback, export, and `/ask`."""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

import gradio as gr

from policyqa.assistant import validate
from policyqa.errors import PolicyQAError
from policyqa.web import notify, render, viewer
from policyqa.web.assets import CHAT_JS, SOURCES_JS, VIEWER_JS
from policyqa.web.backend import LOADING, Backend
from policyqa.web.examples import MAX_EXAMPLES
from policyqa.web.scope import FACETS, matching
from policyqa.web.exports import export_dir, write_private
from policyqa.web.feedback import conversation_json, conversation_markdown

log = logging.getLogger(__name__)

STREAM_DELAY = 0.04  # seconds between streamed sentences
QUESTION_HINT = "请输入关于政策文件的问题。按 Enter 发送，Shift+Enter 换行。"
FEEDBACK_HINT = "在回答下方点击“有帮助”或“没帮助”评价；也可以填写意见。"
PRIVATE: dict[str, Any] = dict(api_visibility="private")  # UI events stay out of the API page
QUIET: dict[str, Any] = dict(api_visibility="private", show_progress="hidden")


@dataclass
class ChatTab:
    """The components of the 问答 tab (the library refreshes `scope` and `chat_html` via app.py)."""

    chat_html: gr.HTML
    examples_row: gr.Row
    example_btns: list[gr.Button]
    question: gr.Textbox
    ask_btn: gr.Button
    new_btn: gr.Button
    kbs: gr.Dropdown  # the knowledge bases searched (none chosen: every one the user may read)
    scope: gr.CheckboxGroup
    scope_all: gr.Button
    scope_none: gr.Button
    filters: list[gr.Dropdown]  # by the documents' metadata, one per FACETS key
    k_slider: gr.Slider
    mode: gr.Radio
    fb_target_md: gr.Markdown
    fb_comment: gr.Textbox
    fb_btn: gr.Button
    dl_md: gr.DownloadButton
    dl_json: gr.DownloadButton
    sources_html: gr.HTML
    viewer_box: gr.Column
    close_btn: gr.Button
    viewer_html: gr.HTML
    conv_state: gr.State  # {"id", "turns"}; created by the first question
    viewer_state: gr.State  # {"doc", "pid", "before", "after", "cite_pid", "span", "quote", "kb"}
    fb_turn: gr.State  # the answer a comment applies to (default: the last)


def build_chat_tab(backend: Backend) -> ChatTab:
    """Add the 问答 tab (call inside ``with gr.Tabs():``) with its events."""
    with gr.Tab("问答", id="chat"):
        ui = _layout(backend)
    _wire_questions(ui, backend)
    _wire_filters(ui, backend)
    _wire_sources(ui, backend)
    _wire_feedback(ui, backend)
    return ui


# --------------------------------------------------------------------------------------------------
# helpers


def _stream_pieces(text: str) -> list[str]:
    """Growing prefixes of `text`, one more sentence each."""
    ends = [m.end() for m in re.finditer(r"[。！？；\n]+(?:(?:\[\d+\])+)?|$", text) if m.end() > 0]
    out, last = [], 0
    for e in ends:
        if e > last:
            out.append(text[:e])
            last = e
    return out or [text]


def _new_conv() -> dict:
    return {"id": uuid.uuid4().hex[:12], "turns": []}


def _turns(conv: dict | None) -> list[dict]:
    return (conv or {}).get("turns", [])


def _event_data(evt: gr.EventData) -> dict:
    """What the page's JavaScript sent with a click on custom HTML (data-act, data-turn, …)."""
    return getattr(evt, "_data", None) or {}


def _clicked(d: dict, kind: str) -> dict | None:
    """The selection {"turn", "n", "kind"} a click's data names, or None when its numbers are malformed."""
    try:
        return {"turn": int(d.get("turn", -1)), "n": int(d.get("n", 0)), "kind": kind}
    except (TypeError, ValueError):
        return None


def write_exports(conv: dict) -> tuple[str, str]:
    folder = export_dir("conversation")
    stamp = time.strftime("%Y%m%d-%H%M")
    md = write_private(folder / f"政策问答对话-{stamp}.md", conversation_markdown(conv["turns"], conv["id"]))
    js = write_private(folder / f"政策问答对话-{stamp}.json", conversation_json(conv["turns"], conv["id"]))
    return str(md), str(js)


def login_name(request: gr.Request | None) -> str | None:
    """Who is asking: the login name, or None without a login (everything is theirs)."""
    return getattr(request, "username", None) or None


def _target(turns: list[dict], sel: dict | None) -> tuple[str, str, Any, str, str] | None:
    """(doc, paragraph_id, span, quote, knowledge base) of the selected source card, or None."""
    if not sel or sel.get("n") is None or not (0 <= sel.get("turn", -1) < len(turns)):
        return None
    t = turns[sel["turn"]]
    if sel.get("kind") == "related":
        rel = t.get("related", [])
        if 0 <= sel["n"] < len(rel):
            r = rel[sel["n"]]
            return r["doc"], r["paragraph_id"], None, "", r.get("kb", "")
        return None
    for c in t.get("citations", []):
        if int(c["n"]) == sel["n"]:
            return c["doc"], c["paragraph_id"], c.get("span"), c.get("quote", ""), c.get("kb", "")
    return None


def scope_docs(backend: Backend, kbs: list[str] | None, user: str | None) -> list:
    """The documents of the chosen knowledge bases (every readable one when none is chosen)."""
    chosen = kbs or [kb.id for kb in backend.readable(user)]
    docs = []
    for kb in chosen:
        try:
            docs += backend.documents(kb, user)
        except PolicyQAError:  # a knowledge base deleted, or no longer granted, since the page was loaded
            continue
    return docs


def _docs_arg(backend: Backend, scope: list[str] | None, kbs: list[str] | None, user: str | None
              ) -> list[str] | None:
    """The documents to search: None (all) when the scope is empty or covers every document."""
    names = {d.name for d in scope_docs(backend, kbs, user)}
    chosen = [s for s in (scope or []) if s in names]
    if not chosen or set(chosen) >= names:
        return None
    return chosen


def _record_feedback(backend: Backend, conv: dict, turn: int, request: gr.Request | None, **feedback: str) -> None:
    """Store a rating or comment on one answer, with who gave it when logged in, and keep it on the turn
    (shown, and exported)."""
    turns = conv["turns"]
    user = getattr(request, "username", None) or ""
    row = backend.feedback.record(conv["id"], turn, turns[turn], user=user, **feedback)
    turns[turn]["feedback"] = {"rating": row["rating"], "comment": row["comment"]}


# --------------------------------------------------------------------------------------------------
# layout


def _layout(backend: Backend) -> ChatTab:
    cfg = backend.cfg
    states = dict(conv_state=gr.State(None), viewer_state=gr.State(None),
                  fb_turn=gr.State(None))
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            chat_html = gr.HTML(render.conversation_html([], banner=backend.banner()), elem_id="pq-chat",
                                js_on_load=CHAT_JS, apply_default_css=False)
            with gr.Row(visible=True) as examples_row:
                # filled from the documents by the page load (library.refresh)
                example_btns = [gr.Button("", size="sm", variant="secondary", elem_classes="pq-example",
                                          visible=False) for _ in range(MAX_EXAMPLES)]
            question = gr.Textbox(label="问题", placeholder=QUESTION_HINT,
                                  lines=2, max_lines=6, max_length=500, elem_id="pq-question")
            with gr.Row():
                ask_btn = gr.Button("提问", variant="primary", elem_id="pq-ask", scale=3)
                new_btn = gr.Button("新对话", variant="secondary", scale=1)
            with gr.Accordion("检索范围（默认全部知识库、全部文档）", open=False):
                kbs = gr.Dropdown(choices=[], value=[], multiselect=True, label="知识库", elem_id="pq-kbs",
                                  info="不选等同于检索您可以查阅的全部知识库。")
                with gr.Row():
                    filters = [gr.Dropdown(choices=[], value=[], multiselect=True, label=label, scale=1,
                                           elem_id=f"pq-filter-{key}", info="按文件信息筛选")
                               for key, label in FACETS.items()]
                scope = gr.CheckboxGroup(label="在以下文档中检索", choices=[], value=[],
                                         info="全部不选等同于检索全部文档。", elem_id="pq-scope")
                with gr.Row():
                    scope_all = gr.Button("全选", size="sm", scale=0, elem_id="pq-scope-all")
                    scope_none = gr.Button("全不选", size="sm", scale=0, elem_id="pq-scope-none")
            with gr.Accordion("设置", open=False):
                k_slider = gr.Slider(10, 50, value=max(cfg.top_k, 10), step=1, label="检索段落数（k）",
                                     info="检索并提供给回答模块的段落数量。")
                llm_ok = backend.cfg.llm_configured
                mode = gr.Radio([("抽取式（逐句摘录原文）", "extractive"), ("大模型生成", "llm")],
                                value=cfg.answer_mode if llm_ok else "extractive", label="回答方式",
                                interactive=llm_ok,
                                info=None if llm_ok else
                                "未配置大模型服务（llm_base_url、llm_model），仅可使用抽取式回答。")
            with gr.Accordion("评价与导出", open=True):
                fb_target_md = gr.Markdown(FEEDBACK_HINT)
                with gr.Row():
                    fb_comment = gr.Textbox(label="意见（可选）", placeholder="例如：引用的条款不准确…", lines=1,
                                            max_length=1000, scale=4)
                    fb_btn = gr.Button("提交意见", scale=1)
                with gr.Row():
                    dl_md = gr.DownloadButton("导出对话（Markdown）", visible=False, size="sm")
                    dl_json = gr.DownloadButton("导出对话（JSON）", visible=False, size="sm")
        with gr.Column(scale=2, min_width=320, elem_id="pq-sources-col"):
            gr.Markdown("### 引用来源")
            sources_html = gr.HTML(render.sources_html([], None), elem_id="pq-sources", js_on_load=SOURCES_JS,
                                   apply_default_css=False)
    with gr.Column(visible=False, elem_id="pq-viewer-box") as viewer_box:
        with gr.Row():
            gr.Markdown("### 原文查看")
            close_btn = gr.Button("关闭原文", size="sm", scale=0, elem_id="pq-viewer-close")
        viewer_html = gr.HTML("", elem_id="pq-viewer", js_on_load=VIEWER_JS, apply_default_css=False)
    return ChatTab(chat_html=chat_html, examples_row=examples_row, example_btns=example_btns, question=question,
                   ask_btn=ask_btn, new_btn=new_btn, kbs=kbs, scope=scope, scope_all=scope_all, scope_none=scope_none, filters=filters, k_slider=k_slider, mode=mode,
                   fb_target_md=fb_target_md, fb_comment=fb_comment, fb_btn=fb_btn, dl_md=dl_md, dl_json=dl_json,
                   sources_html=sources_html, viewer_box=viewer_box, close_btn=close_btn,
                   viewer_html=viewer_html, **states)


# --------------------------------------------------------------------------------------------------
# events


def _wire_filters(ui: ChatTab, backend: Backend) -> None:
    """A filter choice selects, in the scope list, the documents whose metadata match every chosen filter."""
    def filter_fn(kbs, issuer, year, doctype, status, request: gr.Request):  # one value per FACETS key
        chosen = dict(zip(FACETS, (issuer, year, doctype, status)))
        docs = scope_docs(backend, kbs, login_name(request))
        return gr.update(value=matching(docs, chosen) if any(chosen.values()) else [d.name for d in docs])

    def all_fn(kbs, request: gr.Request):
        return gr.update(value=[d.name for d in scope_docs(backend, kbs, login_name(request))])

    for dd in ui.filters:
        dd.change(filter_fn, inputs=[ui.kbs, *ui.filters], outputs=ui.scope, **QUIET)
    ui.scope_all.click(all_fn, inputs=[ui.kbs], outputs=ui.scope, **QUIET)
    ui.scope_none.click(lambda: gr.update(value=[]), outputs=ui.scope, queue=False, **QUIET)


def _wire_questions(ui: ChatTab, backend: Backend) -> None:
    """Asking (button, Enter, example questions) with the answer streamed sentence by sentence; 新对话."""
    ask_outputs = [ui.chat_html, ui.sources_html, ui.question, ui.examples_row, ui.dl_md, ui.dl_json,
                   ui.conv_state, ui.fb_turn, ui.fb_target_md]
    ask_kw = dict(fn=_answer_stream(ui, backend),
                  inputs=[ui.question, ui.conv_state, ui.kbs, ui.scope, ui.k_slider, ui.mode],
                  outputs=ask_outputs, concurrency_limit=8, **QUIET)
    ui.ask_btn.click(**ask_kw)
    ui.question.submit(**ask_kw)
    for btn in ui.example_btns:
        btn.click(lambda x: x, inputs=[btn], outputs=[ui.question], queue=False, **PRIVATE).then(**ask_kw)

    ui.new_btn.click(lambda: shown(ui, backend, _new_conv()), outputs=ask_outputs + [ui.viewer_box, ui.viewer_state],
                     **PRIVATE)


def shown(ui: ChatTab, backend: Backend, conv: dict) -> dict:
    """Updates that show conversation `conv` (a new one, or one reopened from the history) from its start."""
    turns = conv["turns"]
    last = len(turns) - 1 if turns else None
    md, js = write_exports(conv) if turns else (None, None)
    return {ui.chat_html: render.conversation_html(turns, banner=backend.banner()),
            ui.sources_html: render.sources_html(turns, last), ui.question: "",
            ui.examples_row: gr.update(visible=not turns),
            ui.dl_md: gr.update(value=md, visible=bool(turns)), ui.dl_json: gr.update(value=js, visible=bool(turns)),
            ui.conv_state: conv, ui.fb_turn: last, ui.fb_target_md: FEEDBACK_HINT,
            ui.viewer_box: gr.update(visible=False), ui.viewer_state: None}


CHAT_OUTPUTS = ("chat_html", "sources_html", "question", "examples_row", "dl_md", "dl_json", "conv_state", "fb_turn",
                "fb_target_md", "viewer_box", "viewer_state")  # what `shown` updates


def _answer_stream(ui: ChatTab, backend: Backend):
    """The chat's ask handler: a generator of updates (pending turn, growing answer, finished turn)."""

    def ask_fn(q, conv, kbs, scope_value, k, mode_value, request: gr.Request):
        conv = conv or _new_conv()
        turns = conv["turns"]
        try:
            q = validate(q)
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            yield {ui.question: gr.update()}
            return
        pending = {"question": q, "answer": "", "status": "正在检索相关条款…" if backend.loaded else LOADING}
        yield {ui.chat_html: render.conversation_html(turns, pending), ui.question: "",
               ui.examples_row: gr.update(visible=False)}
        if not backend.wait():
            notify.warn("模型加载超时，请稍后再试。")
            yield {ui.chat_html: render.conversation_html(turns, banner=LOADING), ui.question: q}
            return
        try:
            user = login_name(request)
            ans = backend.ask(q, history=[t["question"] for t in turns], k=int(k) if k else None,
                              docs=_docs_arg(backend, scope_value, kbs, user), answer_mode=mode_value or None,
                              kbs=kbs or None, user=user, channel="ui")
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            yield {ui.chat_html: render.conversation_html(turns, banner=exc.reason), ui.question: q,
                   ui.examples_row: gr.update(visible=not turns)}
            return
        except Exception as exc:
            log.exception("answering failed")
            yield {ui.chat_html: render.conversation_html(turns), ui.question: q}
            raise notify.error("回答时出错，详情见服务日志。") from exc
        i = len(turns)
        turn = ans.to_json(f"{conv['id']}-{i + 1}")
        turn["related"] = ans.related
        turn["feedback"] = {}
        if not ans.refused:
            for j, partial in enumerate(_stream_pieces(turn["answer"])):
                update = {ui.chat_html: render.conversation_html(turns, {"question": q, "answer": partial,
                                                                         "citations": turn["citations"]})}
                if j == 0:  # the cards appear with the first sentence
                    update[ui.sources_html] = render.sources_html(turns + [turn], i)
                yield update
                time.sleep(STREAM_DELAY)
        conv = {"id": conv["id"], "turns": turns + [turn]}
        md, js = write_exports(conv)
        yield {ui.chat_html: render.conversation_html(conv["turns"]),
               ui.sources_html: render.sources_html(conv["turns"], i),
               ui.dl_md: gr.update(value=md, visible=True), ui.dl_json: gr.update(value=js, visible=True),
               ui.conv_state: conv, ui.fb_turn: i,
               ui.fb_target_md: f"意见将附在第 {i + 1} 问的回答上；在回答下方点击“有帮助”或“没帮助”评价。"}

    return ask_fn


def _wire_sources(ui: ChatTab, backend: Backend) -> None:
    """Clicks in the conversation ([n], related passages, ratings) and on source cards; the document viewer."""

    def open_viewer(turns, sel, user):
        target = _target(turns, sel)
        if target is None:
            return {ui.viewer_state: gr.update()}
        vs = viewer.opened(*target)
        return {ui.viewer_box: gr.update(visible=True), ui.viewer_html: viewer.html(backend, vs, user),
                ui.viewer_state: vs}

    def chat_click(conv, evt: gr.EventData, request: gr.Request):
        d, turns = _event_data(evt), _turns(conv)
        act = d.get("act")
        sel = _clicked(d, "cite" if act == "cite" else "related")
        if sel is None or not (0 <= sel["turn"] < len(turns)):
            return {ui.fb_turn: gr.update()}
        turn = sel["turn"]
        if act in ("cite", "related"):
            if _target(turns, sel) is None:
                return {ui.fb_turn: gr.update()}
            return {ui.sources_html: render.sources_html(turns, turn, sel["n"])}
        if act == "rate" and d.get("rating") in ("up", "down"):
            _record_feedback(backend, conv, turn, request, rating=d["rating"])
            notify.info("感谢您的评价！")
            return {ui.chat_html: render.conversation_html(turns), ui.conv_state: conv, ui.fb_turn: turn,
                    ui.fb_target_md: f"意见将附在第 {turn + 1} 问的回答上。"}
        return {ui.fb_turn: gr.update()}

    def sources_click(conv, evt: gr.EventData, request: gr.Request):
        d, turns = _event_data(evt), _turns(conv)
        sel = _clicked(d, "related" if d.get("kind") == "related" else "cite")
        if d.get("act") != "view" or sel is None or _target(turns, sel) is None:
            return {ui.viewer_state: gr.update()}  # a click on a card only marks it, in the page
        return {**open_viewer(turns, sel, login_name(request)),
                ui.sources_html: render.sources_html(turns, sel["turn"], sel["n"])}

    def viewer_click(vs, evt: gr.EventData, request: gr.Request):
        vs = viewer.moved(vs, _event_data(evt))
        if vs is None:
            return {ui.viewer_state: gr.update()}
        return {ui.viewer_html: viewer.html(backend, vs, login_name(request)), ui.viewer_state: vs}

    ui.chat_html.click(chat_click, inputs=[ui.conv_state],
                       outputs=[ui.chat_html, ui.sources_html, ui.conv_state, ui.fb_turn,
                                ui.fb_target_md], **QUIET)
    viewer_outputs = [ui.viewer_box, ui.viewer_html, ui.viewer_state]
    ui.sources_html.click(sources_click, inputs=[ui.conv_state],
                          outputs=[*viewer_outputs, ui.sources_html], **QUIET)
    ui.viewer_html.click(viewer_click, inputs=[ui.viewer_state], outputs=[ui.viewer_html, ui.viewer_state], **QUIET)
    ui.close_btn.click(lambda: gr.update(visible=False), outputs=[ui.viewer_box], queue=False, **PRIVATE)


def _wire_feedback(ui: ChatTab, backend: Backend) -> None:
    """A comment on an answer (the one last rated, else the last); the exports are rewritten with it."""

    def comment_fn(text, conv, turn, request: gr.Request):
        turns = _turns(conv)
        text = (text or "").strip()
        if not turns:
            notify.warn("还没有可评价的回答。")
            return {ui.fb_comment: gr.update()}
        if not text:
            notify.warn("请先填写意见。")
            return {ui.fb_comment: gr.update()}
        turn = turn if isinstance(turn, int) and 0 <= turn < len(turns) else len(turns) - 1
        _record_feedback(backend, conv, turn, request, comment=text)
        md, js = write_exports(conv)
        notify.info("意见已提交，谢谢！")
        return {ui.fb_comment: "", ui.chat_html: render.conversation_html(turns), ui.conv_state: conv,
                ui.dl_md: gr.update(value=md), ui.dl_json: gr.update(value=js)}

    ui.fb_btn.click(comment_fn, inputs=[ui.fb_comment, ui.conv_state, ui.fb_turn],
                    outputs=[ui.fb_comment, ui.chat_html, ui.conv_state, ui.dl_md, ui.dl_json], **PRIVATE)
