"""The "评测" tab of the web app: run an evaluation on an uploaded question set, then grade the answers by hand.

``build_eval_tab(backend)`` is called inside ``with gr.Tabs():`` of ``ui.build_app``. A run writes its folder
to ``<index_dir>/../runs/<set>-<time>`` (as ``python -m policyqa eval`` does) and shows the headline metrics;
the report and the per-question table can be downloaded. The answers are then graded one by one
(正确/部分正确/错误, citations right or not, comment) into ``grades.sqlite`` next to the feedback database,
with the agreement between the human grades and the automatic metrics shown beside.

Everything placed into ``gr.HTML`` is built from ``html.escape``d pieces (questions, answers and document
text are untrusted)."""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from datetime import datetime
from html import escape
from pathlib import Path

import gradio as gr

from policyqa.evaluation.grading import AUTO_OK, AUTO_WRONG, GRADES, GradeStore, agreement, auto_correct

log = logging.getLogger(__name__)

QUESTION_TYPES = [".jsonl", ".csv", ".xlsx", ".json"]
_UNSAFE = re.compile(r"[^\w.\-]+")


class _Locked:
    """The assistant, with each question asked under the backend lock (so chat and evaluation interleave
    safely, and an import cannot reload the index in the middle of an answer)."""

    def __init__(self, assistant, lock):
        self._assistant, self._lock = assistant, lock

    def ask(self, *args, **kwargs):
        with self._lock:
            return self._assistant.ask(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._assistant, name)


def _run_dir(cfg, questions_path: Path) -> Path:
    stem = _UNSAFE.sub("_", questions_path.stem).strip("._")[:60] or "questions"
    base = cfg.runs_dir / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    return out


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


# ---------------------------------------------------------------- HTML pieces (all text escaped)


def status_html(text: str, error: bool = False) -> str:
    if not text:
        return ""
    color = "#b42318" if error else "inherit"
    return f'<div class="pq-eval-status" style="color:{color}">{escape(text)}</div>'


def metrics_html(summary: dict) -> str:
    from policyqa.evaluation.runner import HEADLINE
    from policyqa.evaluation.report import METRIC_NOTES, fmt

    m = summary.get("metrics") or {}
    rows = []
    for key in HEADLINE:
        v = m.get(key)
        if v is None:
            continue
        rows.append(f"<tr><td><code>{escape(key)}</code></td><td style='text-align:right'>{escape(fmt(key, v))}</td>"
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
             + (f" · 类型 {escape(it['type'])}" if it.get("type") else "")
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
                      + ("" if c.get("supported", True) else "（未核实）") + "</li>" for c in it["citations"])
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
    note = ("自动判定：可答题回答且包含全部要点（keyword_coverage = 1）为正确，不可答题正确拒答为正确；"
            "人工“部分正确”计为与“自动判定错误”一致。")
    return (f"<div id='pq-grade-agree'><p><b>{escape(head)}</b></p>{table}"
            + "".join(f"<p>{escape(x)}</p>" for x in extra)
            + f"<p style='opacity:.7;font-size:.9em'>{escape(note)}</p></div>")


# ---------------------------------------------------------------- run folder → grading items


def load_items(summary: dict, questions_path: Path) -> dict:
    """What grading needs from a finished run: one item per question, and the questions.csv rows by id."""
    from policyqa.evaluation.runner import load_run
    from policyqa.evaluation.questions import load_questions

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
            "citations": [{k: c.get(k) for k in ("n", "clause", "doc", "supported")} for c in a.get("citations", [])],
            "reference": q.answer if q else "", "keywords": list(q.keywords) if q else [],
        })
    return {"run_id": summary["name"], "out_dir": str(out), "items": items,
            "rows": {str(r.get("id")): r for r in rows}}


def _download_copies(out_dir: Path, names: tuple[str, ...]) -> list[str]:
    """Copies of run files in a temporary folder (Gradio serves files from there wherever the runs are)."""
    tmp = Path(tempfile.mkdtemp(prefix="policyqa-run-"))
    paths = []
    for name in names:
        src = out_dir / name
        if src.is_file():
            shutil.copy2(src, tmp / name)
            paths.append(str(tmp / name))
    return paths


# ---------------------------------------------------------------- the tab


def build_eval_tab(backend) -> None:
    """Add the "评测" tab (call inside ``with gr.Tabs():``)."""
    store = GradeStore(backend.cfg.grades_db)

    with gr.Tab("评测", id="eval"):
        run_state = gr.State(None)  # load_items(...) of the current run
        idx_state = gr.State(0)
        gr.Markdown("上传问题集（JSONL、CSV、XLSX 或 SQuAD 格式 JSON），对当前文档库运行评测；"
                    "完成后可逐题人工评分，并与自动指标对照。")
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                qfile = gr.File(label="问题集文件（jsonl、csv、xlsx、json）", file_types=QUESTION_TYPES,
                                file_count="single", type="filepath", elem_id="pq-eval-upload")
                run_btn = gr.Button("开始评测", variant="primary", elem_id="pq-eval-run")
                eval_status = gr.HTML("", elem_id="pq-eval-status")
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
                with gr.Column(scale=2, min_width=320):
                    gr.Markdown("#### 与自动指标的一致性")
                    agree = gr.HTML(agreement_html(None, []), elem_id="pq-grade-agree-box")
                    with gr.Row():
                        fmt_radio = gr.Radio(["XLSX", "CSV"], value="XLSX", label="导出格式", scale=2)
                        export_btn = gr.Button("导出评分", scale=1, elem_id="pq-grade-export")
                    export_file = gr.File(label="评分文件", interactive=False, visible=False,
                                          elem_id="pq-grade-file")

    def view(run: dict | None, idx: int) -> tuple:
        """card, grade, cite_ok, comment, agreement for question `idx` (pre-filled with a saved grade)."""
        if not run or not run["items"]:
            return "", gr.update(value=None), gr.update(value=False), gr.update(value=""), agreement_html(run, [])
        it = run["items"][idx]
        saved = store.get(run["run_id"], it["id"])
        grades = store.grades(run["run_id"])
        return (item_html(run, idx, saved), gr.update(value=saved["grade"] if saved else None),
                gr.update(value=bool(saved and saved["citation_ok"]), interactive=bool(it["citations"])),
                gr.update(value=saved["comment"] if saved else ""), agreement_html(run, grades))

    def run_fn(path, progress=gr.Progress()):
        from policyqa.evaluation.runner import run_eval
        from policyqa.evaluation.questions import QuestionSetError
        from policyqa.store.index import IndexUnavailable

        def fail(msg: str):
            return {eval_status: status_html(msg, error=True)}

        if not path:
            return fail("请先上传问题集文件。")
        src = Path(path)
        if src.suffix.lower() not in QUESTION_TYPES:
            return fail("不支持的文件类型：请上传 jsonl、csv、xlsx 或 json 文件。")
        if not backend.wait() or backend.assistant is None:
            return fail(backend.error or "系统尚未就绪，请稍后再试。")
        progress(0, desc="准备评测…")

        def cb(done: int, total: int) -> None:
            progress((done, max(total, 1)), desc=f"评测中：{done}/{total} 题", unit="题")

        try:
            summary = run_eval(src, backend.cfg, out_dir=_run_dir(backend.cfg, src),
                               assistant=_Locked(backend.assistant, backend.lock), progress=cb, show_progress=False)
            run = load_items(summary, src)
        except QuestionSetError as exc:
            return fail(f"问题集无法读取：{exc}")
        except IndexUnavailable as exc:
            return fail(str(exc))
        except Exception as exc:
            log.exception("evaluation failed")
            return fail(f"评测失败：{type(exc).__name__}: {exc}")
        files = _download_copies(Path(summary["out_dir"]), ("report.html", "questions.csv", "metrics.json"))
        msg = f"评测完成：{summary['n_questions']} 题，结果保存在 {summary['out_dir']}。"
        c, g, ck, cm, ag = view(run, 0)
        return {eval_status: status_html(msg), metrics_out: metrics_html(summary),
                files_out: gr.update(value=files, visible=True), run_state: run, idx_state: 0,
                grade_box: gr.update(visible=True), card: c, grade: g, cite_ok: ck, comment: cm, agree: ag,
                export_file: gr.update(value=None, visible=False)}

    view_outputs = [card, grade, cite_ok, comment, agree]
    run_btn.click(run_fn, inputs=[qfile],
                  outputs=[eval_status, metrics_out, files_out, run_state, idx_state, grade_box, export_file,
                           *view_outputs],
                  api_visibility="private", concurrency_limit=1, concurrency_id="pq-eval")

    def save_next(run, idx, grade_value, cite_value, comment_value):
        if not run:
            return (idx, *view(run, idx))
        if grade_value not in GRADES:
            gr.Warning("请先选择评分（正确、部分正确或错误）。")
            return (idx, gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
        it = run["items"][idx]
        store.save(run["run_id"], it["id"], it["question"], it["answer"], grade_value,
                   bool(cite_value) if it["citations"] else None, comment_value or "")
        last = len(run["items"]) - 1
        if idx >= last:
            gr.Info("已保存。这是最后一题。")
            return (idx, *view(run, idx))
        return (idx + 1, *view(run, idx + 1))

    next_btn.click(save_next, inputs=[run_state, idx_state, grade, cite_ok, comment],
                   outputs=[idx_state, *view_outputs], api_visibility="private")

    def prev(run, idx):
        idx = max(0, int(idx or 0) - 1)
        return (idx, *view(run, idx))

    prev_btn.click(prev, inputs=[run_state, idx_state], outputs=[idx_state, *view_outputs],
                   api_visibility="private")

    def export_fn(run, fmt_value):
        if not run:
            gr.Warning("还没有评测结果。")
            return gr.update(visible=False)
        if not store.grades(run["run_id"]):
            gr.Warning("本次评测还没有人工评分。")
            return gr.update(visible=False)
        suffix = ".csv" if fmt_value == "CSV" else ".xlsx"
        tmp = Path(tempfile.mkdtemp(prefix="policyqa-grades-"))
        path = store.export(run["run_id"], tmp / f"人工评分-{run['run_id']}{suffix}")
        return gr.update(value=str(path), visible=True)

    export_btn.click(export_fn, inputs=[run_state, fmt_radio], outputs=[export_file], api_visibility="private")


__all__ = ["build_eval_tab", "load_items", "metrics_html", "item_html", "agreement_html"]
