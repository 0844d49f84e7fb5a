"""The 评测 tab: run an evaluation on an uploaded question set, then grade the answers by hand."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from html import escape  # questions, answers and document text are untrusted: every piece is escaped
from pathlib import Path

import gradio as gr

from policyqa.errors import PolicyQAError, QuestionSetError
from policyqa.evaluation.grading import AUTO_OK, AUTO_WRONG, GRADES, GradeStore, agreement, auto_correct
from policyqa.evaluation.questions import QUESTION_SUFFIXES, load_questions
from policyqa.evaluation.report import HEADLINE, METRIC_NOTES, fmt, metric_label, type_label
from policyqa.evaluation.runner import run_eval
from policyqa.evaluation.runs import load_run
from policyqa.web import notify
from policyqa.web.backend import EvalBackend
from policyqa.web.exports import export_dir, seal

log = logging.getLogger(__name__)

RUN_FILES = ("report.html", "questions.csv", "metrics.json")  # offered for download after a run


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


# ---------------------------------------------------------------- HTML pieces (all text escaped)


def status_html(text: str, error: bool = False) -> str:
    if not text:
        return ""
    color = "#b42318" if error else "inherit"
    return f'<div class="pq-eval-status" style="color:{color}">{escape(text)}</div>'


def metrics_html(summary: dict) -> str:
    m = summary.get("metrics") or {}
    rows = []
    for key in HEADLINE:
        v = m.get(key)
        if v is None:
            continue
        rows.append(f"<tr><td title='{escape(key)}'>{escape(metric_label(key))}</td>"
                    f"<td style='text-align:right'>{escape(fmt(key, v))}</td>"
                    f"<td>{escape(METRIC_NOTES.get(key, ''))}</td></tr>")
    secs = (summary.get("seconds") or {}).get("total", 0) or 0
    head = (f"评测批次 {summary.get('name', '')}：共 {summary.get('n_questions', 0)} 题"
            f"（可答 {m.get('n_answerable', '—')}，不可答 {m.get('n_unanswerable', '—')}），"
            f"未通过 {summary.get('n_failures', 0)} 题，出错 {summary.get('errors', 0)} 题，用时 {secs:.1f} 秒。")
    missing = (summary.get("index") or {}).get("missing_docs") or []
    warn = ""
    if missing:
        text = f"注意：{len(missing)} 个证据文档不在索引中（如 {'、'.join(missing[:3])}），相关题目无法命中。"
        warn = f"<p style='color:#b42318'>{escape(text)}</p>"
    return (f"<div id='pq-eval-summary'><p>{escape(head)}</p>{warn}"
            "<table class='pq-eval-table'><thead><tr><th>指标</th><th>数值</th><th>说明</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def item_html(run: dict, idx: int, saved: dict | None) -> str:
    items = run["items"]
    it = items[idx]
    parts = [f"<div class='pq-grade-head'><b>第 {idx + 1} / {len(items)} 题</b> · 编号 {escape(it['id'])}"
             + (f" · 类型 {escape(type_label(it['type']))}" if it.get("type") else "")
             + (f" · 已评分：{escape(saved['grade'])}" if saved else " · 未评分") + "</div>",
             f"<h4>问题</h4><div class='pq-grade-question'>{escape(it['question'])}</div>"]
    answer = escape(it["answer"] or "（无回答）")
    flag = "<b>【系统拒答】</b> " if it["refused"] else ""
    if it.get("error"):
        flag += f"<b>【出错：{escape(it['error'])}】</b> "
    parts.append(f"<h4>系统回答</h4><div class='pq-grade-answer' style='white-space:pre-wrap'>{flag}{answer}</div>")
    if it["citations"]:
        lis = "".join(f"<li>[{escape(str(c.get('n', '')))}] {escape(c.get('clause') or '（无条款路径）')}"
                      f"<span style='opacity:.7'>（{escape(c.get('doc') or '')}）</span>"
                      + ("" if c.get("supported", True) else "（未核实）")
                      + f"<div class='pq-grade-cite-text'>{escape(c.get('quote') or c.get('text') or '')}</div></li>"
                      for c in it["citations"])
        parts.append(f"<h4>引用条款</h4><ul class='pq-grade-cites'>{lis}</ul>")
    else:
        parts.append("<h4>引用条款</h4><div>（无引用）</div>")
    ref = it["reference"] or ("（不可答题：应拒答）" if not it["answerable"] else "（问题集未提供参考答案）")
    parts.append(f"<h4>参考答案</h4><div class='pq-grade-reference' style='white-space:pre-wrap'>{escape(ref)}</div>")
    if it.get("keywords"):
        parts.append(f"<div style='opacity:.8'>要点：{escape('、'.join(it['keywords']))}</div>")
    auto = auto_correct(run["rows"].get(it["id"], {}))
    kc = run["rows"].get(it["id"], {}).get("keyword_coverage")
    facts = [f"自动判定：{'正确' if auto else '错误' if auto is False else '无法判定'}"]
    if it["answerable"]:
        facts.append(f"要点覆盖率：{'—' if kc in (None, '') else escape(str(kc))}")
    parts.append(f"<div class='pq-grade-auto' style='opacity:.8'>{escape('；'.join(facts))}</div>")
    return f"<div id='pq-grade-card'>{''.join(parts)}</div>"


def agreement_html(run: dict | None, grades: list[dict]) -> str:
    if not run:
        return "<div id='pq-grade-agree'>完成评测后在此显示人工评分与自动指标的一致性。</div>"
    a = agreement(grades, run["rows"].values())
    n_total = len(run["items"])
    head = f"已评分 {a['n_graded']} / {n_total} 题"
    if a["n_compared"]:
        head += f"；与自动判定一致 {a['n_agree']} / {a['n_compared']} 题（一致率 {_pct(a['agreement'])}）"
    body = "".join(f"<tr><td>{escape(g)}</td><td style='text-align:right'>{a['confusion'][g][AUTO_OK]}</td>"
                   f"<td style='text-align:right'>{a['confusion'][g][AUTO_WRONG]}</td></tr>" for g in GRADES)
    table = ("<table class='pq-eval-table'><thead><tr><th>人工评分</th>"
             f"<th>{escape(AUTO_OK)}</th><th>{escape(AUTO_WRONG)}</th></tr></thead><tbody>{body}</tbody></table>")
    extra = []
    if a["citation_judged"]:
        extra.append(f"引用正确：{a['citation_ok']} / {a['citation_judged']} 题")
    if a["disagreements"]:
        extra.append("不一致的题目：" + "、".join(a["disagreements"][:20]))
    note = ("自动判定：可答题回答且包含全部要点（要点覆盖率为 100%）为正确，不可答题正确拒答为正确；"
            "人工“部分正确”计为与“自动判定错误”一致。")
    return (f"<div id='pq-grade-agree'><p><b>{escape(head)}</b></p>{table}"
            + "".join(f"<p>{escape(x)}</p>" for x in extra)
            + f"<p style='opacity:.7;font-size:.9em'>{escape(note)}</p></div>")


# ---------------------------------------------------------------- run folder → grading items


def load_items(summary: dict, questions_path: Path) -> dict:
    """What grading needs from a finished run: one item per question, and the questions.csv rows by id."""
    out = Path(summary["out_dir"])
    _, rows = load_run(out)
    refs = load_questions(questions_path).by_id()
    answers = {}
    with (out / "answers.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                a = json.loads(line)
                answers[str(a.get("id"))] = a
    items = []
    for r in rows:
        qid = str(r.get("id"))
        a, q = answers.get(qid, {}), refs.get(qid)
        items.append({
            "id": qid, "type": r.get("type") or "", "question": r.get("question") or a.get("question", ""),
            "answer": a.get("answer", r.get("answer") or ""), "refused": bool(a.get("refused", r.get("refused"))),
            "error": a.get("error", ""), "answerable": bool(r.get("answerable", True)),
            "citations": [{k: c.get(k) for k in ("n", "clause", "doc", "supported", "quote", "text")}
                          for c in a.get("citations", [])],
            "reference": q.answer if q else "", "keywords": list(q.keywords) if q else [],
        })
    return {"run_id": summary["name"], "out_dir": str(out), "items": items,
            "rows": {str(r.get("id")): r for r in rows}}


def _download_copies(out_dir: Path, names: tuple[str, ...]) -> list[str]:
    """Copies of run files in a temporary folder (Gradio serves files from there wherever the runs are)."""
    tmp = export_dir("run")
    paths = []
    for name in names:
        src = out_dir / name
        if src.is_file():
            shutil.copy2(src, tmp / name)
            paths.append(seal(tmp / name))
    return paths


# ---------------------------------------------------------------- the tab


@dataclass
class EvalTab:
    run_state: gr.State  # load_items(...) of the current run
    idx_state: gr.State  # the question being graded
    kb: gr.Dropdown  # the knowledge base evaluated; filled with the user's on page load (app.py)
    qfile: gr.File
    run_btn: gr.Button
    status: gr.HTML
    files_out: gr.File
    metrics_out: gr.HTML
    grade_box: gr.Column
    card: gr.HTML
    grade: gr.Radio
    cite_ok: gr.Checkbox
    comment: gr.Textbox
    prev_btn: gr.Button
    next_btn: gr.Button
    failed_only: gr.Checkbox  # step through the questions the automatic verdict failed
    jump_no: gr.Number
    jump_btn: gr.Button
    agree: gr.HTML
    fmt_radio: gr.Radio
    export_btn: gr.Button
    export_file: gr.File

    @property
    def view_outputs(self) -> list:
        """What `_view` fills: the card, the grading inputs and the agreement."""
        return [self.card, self.grade, self.cite_ok, self.comment, self.agree]


def build_eval_tab(backend: EvalBackend) -> EvalTab:
    """Add the 评测 tab (call inside ``with gr.Tabs():``). A run writes its folder under ``cfg.runs_dir`` (as
    ``python -m policyqa eval`` does); grades go to ``cfg.grades_db``."""
    store = GradeStore(backend.cfg.grades_db)
    with gr.Tab("评测", id="eval"):
        tab = _layout()
    _wire_run(tab, backend, store)
    _wire_grading(tab, store)
    return tab


def _layout() -> EvalTab:
    states = dict(run_state=gr.State(None), idx_state=gr.State(0))
    gr.Markdown("上传问题集（JSONL、CSV、XLSX 或 SQuAD 格式 JSON），对所选知识库运行评测；"
                "完成后可逐题人工评分，并与自动指标对照。")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            kb = gr.Dropdown(label="知识库", choices=[], value=None, elem_id="pq-eval-kb")
            qfile = gr.File(label="问题集文件（jsonl、csv、xlsx、json）", file_types=list(QUESTION_SUFFIXES),
                            file_count="single", type="filepath", elem_id="pq-eval-upload")
            run_btn = gr.Button("开始评测", variant="primary", elem_id="pq-eval-run")
            status = gr.HTML("", elem_id="pq-eval-status")
            files_out = gr.File(label="评测结果下载（report.html 可离线打开）", file_count="multiple",
                                interactive=False, visible=False, elem_id="pq-eval-files")
        with gr.Column(scale=3, min_width=400):
            metrics_out = gr.HTML("<div style='opacity:.7'>尚未运行评测。</div>", elem_id="pq-eval-metrics")

    with gr.Column(visible=False, elem_id="pq-grade-box") as grade_box:
        gr.Markdown("### 人工评分")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                card = gr.HTML("", elem_id="pq-grade-item")
                grade = gr.Radio(list(GRADES), value=None, label="评分", elem_id="pq-grade-radio")
                cite_ok = gr.Checkbox(label="引用正确", value=False, elem_id="pq-grade-cite")
                comment = gr.Textbox(label="备注", lines=2, max_lines=6, max_length=1000,
                                     placeholder="例如：数字正确但遗漏了第二项要点…", elem_id="pq-grade-comment")
                with gr.Row():
                    prev_btn = gr.Button("上一题", variant="secondary", elem_id="pq-grade-prev")
                    next_btn = gr.Button("保存并下一题", variant="primary", elem_id="pq-grade-next")
                with gr.Row(equal_height=True):
                    failed_only = gr.Checkbox(label="只看未通过的题目", value=False, elem_id="pq-grade-failed")
                    jump_no = gr.Number(label="跳到第几题", value=None, precision=0, minimum=1, elem_id="pq-grade-jump-no")
                    jump_btn = gr.Button("跳转", size="sm", elem_id="pq-grade-jump")
            with gr.Column(scale=2, min_width=320):
                gr.Markdown("#### 与自动指标的一致性")
                agree = gr.HTML(agreement_html(None, []), elem_id="pq-grade-agree-box")
                with gr.Row():
                    fmt_radio = gr.Radio(["XLSX", "CSV"], value="XLSX", label="导出格式", scale=2)
                    export_btn = gr.Button("导出评分", scale=1, elem_id="pq-grade-export")
                export_file = gr.File(label="评分文件", interactive=False, visible=False, elem_id="pq-grade-file")
    return EvalTab(kb=kb, qfile=qfile, run_btn=run_btn, status=status, files_out=files_out, metrics_out=metrics_out,
                   grade_box=grade_box, card=card, grade=grade, cite_ok=cite_ok, comment=comment, prev_btn=prev_btn,
                   next_btn=next_btn, failed_only=failed_only, jump_no=jump_no, jump_btn=jump_btn, agree=agree, fmt_radio=fmt_radio, export_btn=export_btn,
                   export_file=export_file, **states)


def _view(store: GradeStore, run: dict | None, idx: int) -> tuple:
    """card, grade, cite_ok, comment, agreement for question `idx` (pre-filled with a saved grade)."""
    if not run or not run["items"]:
        return "", gr.update(value=None), gr.update(value=False), gr.update(value=""), agreement_html(run, [])
    it = run["items"][idx]
    saved = store.get(run["run_id"], it["id"])
    grades = store.grades(run["run_id"])
    return (item_html(run, idx, saved), gr.update(value=saved["grade"] if saved else None),
            gr.update(value=bool(saved and saved["citation_ok"]), interactive=bool(it["citations"])),
            gr.update(value=saved["comment"] if saved else ""), agreement_html(run, grades))


def _wire_run(tab: EvalTab, backend: EvalBackend, store: GradeStore) -> None:
    """开始评测: the run with a progress bar, its metrics and downloads, then the first question to grade."""

    def run_fn(path, kb, request: gr.Request, progress=gr.Progress()):
        def fail(msg: str):
            return {tab.status: status_html(msg, error=True)}

        if not path:
            return fail("请先上传问题集文件。")
        src = Path(path)
        if src.suffix.lower() not in QUESTION_SUFFIXES:
            return fail("不支持的文件类型：请上传 jsonl、csv、xlsx 或 json 文件。")
        try:
            assistant = backend.locked_assistant(kb or None, getattr(request, "username", None) or None) \
                if backend.wait() else None
        except PolicyQAError as exc:
            return fail(exc.reason)
        if assistant is None:
            return fail(backend.error or "系统尚未就绪，请稍后再试。")
        progress(0, desc="准备评测…")

        def cb(done: int, total: int) -> None:
            progress((done, max(total, 1)), desc=f"评测中：{done}/{total} 题", unit="题")

        try:
            summary = run_eval(src, backend.cfg, assistant=assistant,
                               progress=cb, show_progress=False)
            run = load_items(summary, src)
        except QuestionSetError as exc:
            return fail(f"问题集无法读取：{exc.reason}")
        except PolicyQAError as exc:
            return fail(exc.reason)
        except Exception:
            log.exception("evaluation failed")
            return fail("评测失败：运行时出错，详情见服务日志。")
        files = _download_copies(Path(summary["out_dir"]), RUN_FILES)
        msg = f"评测完成：{summary['n_questions']} 题，批次 {summary['name']}。可在下方下载报告和明细。"
        return {tab.status: status_html(msg), tab.metrics_out: metrics_html(summary),
                tab.files_out: gr.update(value=files, visible=True), tab.run_state: run, tab.idx_state: 0,
                tab.grade_box: gr.update(visible=True), **dict(zip(tab.view_outputs, _view(store, run, 0))),
                tab.export_file: gr.update(value=None, visible=False)}

    tab.run_btn.click(run_fn, inputs=[tab.qfile, tab.kb],
                      outputs=[tab.status, tab.metrics_out, tab.files_out, tab.run_state, tab.idx_state, tab.grade_box,
                               tab.export_file, *tab.view_outputs],
                      api_visibility="private", concurrency_limit=1, concurrency_id="pq-eval")


def failed(run: dict, idx: int) -> bool:
    """The automatic verdict of question `idx` is not 'correct' (wrong, undecidable, or the question erred)."""
    it = run["items"][idx]
    return bool(it.get("error")) or auto_correct(run["rows"].get(it["id"], {})) is not True


def _step(run: dict, idx: int, direction: int, failed_only: bool) -> int | None:
    """The next (+1) or previous (-1) question to show from `idx`, None when there is none."""
    i = idx + direction
    while 0 <= i < len(run["items"]):
        if not failed_only or failed(run, i):
            return i
        i += direction
    return None


def _wire_grading(tab: EvalTab, store: GradeStore) -> None:
    """保存并下一题 / 上一题 through the run's questions (all, or only the failed ones), 跳转 to question N,
    and the export of the grades."""
    outputs = [tab.idx_state, *tab.view_outputs]

    def save_next(run, idx, grade_value, cite_value, comment_value, failed_only, request: gr.Request):
        if not run:
            return (idx, *_view(store, run, idx))
        if grade_value not in GRADES:
            notify.warn("请先选择评分（正确、部分正确或错误）。")
            return (idx, gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
        it = run["items"][idx]
        store.save(run["run_id"], it["id"], it["question"], it["answer"], grade_value,
                   bool(cite_value) if it["citations"] else None, comment_value or "",
                   grader=getattr(request, "username", None) or "")
        nxt = _step(run, idx, 1, failed_only)
        if nxt is None:
            notify.info("已保存。这是最后一题。")
            return (idx, *_view(store, run, idx))
        return (nxt, *_view(store, run, nxt))

    def prev(run, idx, failed_only):
        if not run:
            return (idx, *_view(store, run, idx))
        back = _step(run, int(idx or 0), -1, failed_only)
        idx = int(idx or 0) if back is None else back
        return (idx, *_view(store, run, idx))

    def filter_fn(run, idx, failed_only):
        if not run or not failed_only or failed(run, idx):
            return (idx, *_view(store, run, idx))
        first = _step(run, -1, 1, True)
        if first is None:
            notify.info("本次评测没有未通过的题目。")
            return (idx, *_view(store, run, idx))
        return (first, *_view(store, run, first))

    def jump(run, number):
        if not run:
            return (0, *_view(store, run, 0))
        n = len(run["items"])
        if number is None or not 1 <= int(number) <= n:
            notify.warn(f"请输入 1 到 {n} 之间的题号。")
            return (gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
        return (int(number) - 1, *_view(store, run, int(number) - 1))

    def export_fn(run, fmt_value):
        if not run:
            notify.warn("还没有评测结果。")
            return gr.update(visible=False)
        if not store.grades(run["run_id"]):
            notify.warn("本次评测还没有人工评分。")
            return gr.update(visible=False)
        suffix = ".csv" if fmt_value == "CSV" else ".xlsx"
        tmp = export_dir("grades")
        context = {it["id"]: {"reference": it["reference"], "auto": _verdict(run, i)}
                   for i, it in enumerate(run["items"])}
        path = store.export(run["run_id"], tmp / f"人工评分-{run['run_id']}{suffix}", context)
        return gr.update(value=seal(path), visible=True)

    private = dict(api_visibility="private")
    tab.next_btn.click(save_next, inputs=[tab.run_state, tab.idx_state, tab.grade, tab.cite_ok, tab.comment,
                                          tab.failed_only], outputs=outputs, **private)
    tab.prev_btn.click(prev, inputs=[tab.run_state, tab.idx_state, tab.failed_only], outputs=outputs, **private)
    tab.failed_only.change(filter_fn, inputs=[tab.run_state, tab.idx_state, tab.failed_only], outputs=outputs,
                           **private)
    tab.jump_btn.click(jump, inputs=[tab.run_state, tab.jump_no], outputs=outputs, **private)
    tab.export_btn.click(export_fn, inputs=[tab.run_state, tab.fmt_radio], outputs=[tab.export_file], **private)


def _verdict(run: dict, idx: int) -> str:
    auto = auto_correct(run["rows"].get(run["items"][idx]["id"], {}))
    return AUTO_OK if auto else AUTO_WRONG if auto is False else "无法判定"


__all__ = ["build_eval_tab", "load_items", "metrics_html", "item_html", "agreement_html"]
