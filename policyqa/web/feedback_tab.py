"""The 反馈 tab: every 有帮助 / 没帮助 and comment staff left, filtered by verdict and date, each opened with its
question, answer and citations, and exported as CSV or XLSX."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import gradio as gr

from policyqa.evaluation.sheets import write_csv, write_xlsx
from policyqa.web import notify
from policyqa.web.backend import Backend
from policyqa.web.exports import export_dir, seal
from policyqa.web.feedback import RATINGS
from policyqa.web.render import esc

VERDICTS = [("全部", "all"), ("有帮助", "up"), ("没帮助", "down"), ("仅有意见", "")]
HEADERS = ["时间", "评价", "意见", "问题", "回答", "用户"]
EXPORT_HEADERS = ["时间", "评价", "意见", "问题", "回答", "引用条款", "用户", "对话编号", "轮次"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SHORT = 60  # characters of an answer in the table


@dataclass
class FeedbackTab:
    verdict: gr.Radio
    since: gr.Textbox
    until: gr.Textbox
    refresh_btn: gr.Button
    table: gr.Dataframe
    detail: gr.HTML
    fmt: gr.Radio
    export_btn: gr.Button
    export_file: gr.File
    rows_state: gr.State  # the rows shown, newest first


def build_feedback_tab(backend: Backend) -> FeedbackTab:
    """Add the 反馈 tab (call inside ``with gr.Tabs():``)."""
    with gr.Tab("反馈", id="feedback") as tab_el:
        gr.Markdown("用户对回答的评价和意见。点击一行查看该回答及其引用。")
        with gr.Row():
            verdict = gr.Radio(VERDICTS, value="all", label="评价", scale=2, elem_id="pq-fb-verdict")
            since = gr.Textbox(label="起始日期", placeholder="2026-01-01", scale=1, max_length=10, elem_id="pq-fb-since")
            until = gr.Textbox(label="截止日期", placeholder="2026-12-31", scale=1, max_length=10, elem_id="pq-fb-until")
            refresh_btn = gr.Button("查询", variant="primary", scale=0, elem_id="pq-fb-refresh")
        table = gr.Dataframe(buttons=[], headers=HEADERS, value=[], interactive=False, wrap=True, label="反馈记录",
                             elem_id="pq-fb-table", column_widths=["13%", "7%", "20%", "22%", "30%", "8%"])
        detail = gr.HTML("", elem_id="pq-fb-detail")
        with gr.Row():
            fmt = gr.Radio(["XLSX", "CSV"], value="XLSX", label="导出格式", scale=2)
            export_btn = gr.Button("导出反馈", scale=1, elem_id="pq-fb-export")
        export_file = gr.File(label="反馈文件", interactive=False, visible=False, elem_id="pq-fb-file")
    ui = FeedbackTab(verdict=verdict, since=since, until=until, refresh_btn=refresh_btn, table=table, detail=detail,
                     fmt=fmt, export_btn=export_btn, export_file=export_file, rows_state=gr.State([]))
    _wire(ui, tab_el, backend)
    return ui


def _query(backend: Backend, user: str | None, verdict: str, since: str, until: str) -> list[dict] | None:
    since, until = (since or "").strip(), (until or "").strip()
    for value in (since, until):
        if value and not _DATE.match(value):
            notify.warn("日期格式应为 年-月-日，例如 2026-01-31。")
            return None
    return backend.feedback_for(user, None if verdict == "all" else verdict, since, until)


def _table(rows: list[dict]) -> list[list]:
    return [[r["updated_at"], RATINGS.get(r["rating"], ""), r["comment"], r["question"],
             _short(r["answer"]), r["user"]] for r in rows]


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def detail_html(row: dict) -> str:
    """One feedback row in full: the question, the verdict and comment, the answer and every citation."""
    cites = "".join(f"<li><b>[{esc(c.get('n', ''))}]</b> {esc(c.get('clause', ''))}"
                    f"<div class='pq-fb-quote'>{esc(c.get('quote') or c.get('text', ''))}</div></li>"
                    for c in row.get("citations", []))
    verdict = RATINGS.get(row["rating"], "") or "（未评价）"
    return (f"<div class='pq-fb-item'><h4>问题</h4><div>{esc(row['question'])}</div>"
            f"<h4>评价</h4><div>{esc(verdict)}{'；意见：' + esc(row['comment']) if row['comment'] else ''}"
            f"<span style='opacity:.7'>（{esc(row['updated_at'])}{'，' + esc(row['user']) if row['user'] else ''}）"
            f"</span></div><h4>{'回答（已拒答）' if row['refused'] else '回答'}</h4>"
            f"<div style='white-space:pre-wrap'>{esc(row['answer'])}</div>"
            f"<h4>引用</h4>{'<ol class=pq-fb-cites>' + cites + '</ol>' if cites else '<div>（无引用）</div>'}</div>")


def _wire(ui: FeedbackTab, tab_el: gr.Tab, backend: Backend) -> None:
    private = dict(api_visibility="private")

    def load(verdict, since, until, request: gr.Request):
        rows = _query(backend, request.username or None, verdict, since, until)
        if rows is None:
            return {ui.detail: gr.update()}
        return {ui.table: _table(rows), ui.rows_state: rows, ui.detail: "",
                ui.export_file: gr.update(value=None, visible=False)}

    def select(rows, evt: gr.SelectData):
        i = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        return detail_html(rows[i]) if rows and 0 <= i < len(rows) else ""

    def export(rows, fmt_value):
        if not rows:
            notify.warn("没有可导出的反馈。")
            return gr.update(visible=False)
        out = [[r["updated_at"], RATINGS.get(r["rating"], ""), r["comment"], r["question"], r["answer"],
                "；".join(f"[{c.get('n', '')}] {c.get('clause', '')}" for c in r["citations"]), r["user"],
                r["conversation"], r["turn"] + 1] for r in rows]
        folder = export_dir("feedback")
        stamp = time.strftime("%Y%m%d-%H%M")
        if fmt_value == "CSV":
            path = write_csv(folder / f"用户反馈-{stamp}.csv", EXPORT_HEADERS, out)
        else:
            path = write_xlsx(folder / f"用户反馈-{stamp}.xlsx", EXPORT_HEADERS, out, "用户反馈",
                              (18, 8, 30, 40, 60, 40, 10, 14, 6), as_text=True)
        return gr.update(value=seal(path), visible=True)

    filters = [ui.verdict, ui.since, ui.until]
    outputs = [ui.table, ui.rows_state, ui.detail, ui.export_file]
    for trigger in (ui.refresh_btn.click, ui.verdict.change, tab_el.select):
        trigger(load, inputs=filters, outputs=outputs, **private)
    ui.table.select(select, inputs=[ui.rows_state], outputs=[ui.detail], **private)
    ui.export_btn.click(export, inputs=[ui.rows_state, ui.fmt], outputs=[ui.export_file], **private)
