"""The evaluation report: one self-contained HTML page (inline CSS and SVG, no script, no network).

Every piece of text that comes from data (questions, answers, document names, metric keys) goes through
``html.escape``: question sets are typed by people and answers quote documents, either may hold markup.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Any, Mapping, Sequence

# The metrics shown in the printed summary and at the top of the report, in that order.
HEADLINE = [
    "hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "all_evidence@5",
    "keyword_coverage", "keyword_full", "list_completeness", "lead_accuracy", "wrong_number", "f1",
    "citation_precision", "citation_recall", "support_rate", "refusal_rate", "false_refusal_rate", "refusal_accuracy",
    "latency_total_p50_ms", "latency_total_p95_ms", "latency_retrieve_p50_ms", "latency_answer_p50_ms",
]

SERIES = {  # pipeline → (label, colour); colours stay distinguishable for common colour-vision deficiencies
    "full": ("完整流程", "#2b6cb0"),
    "bm25": ("仅 BM25", "#dd8452"),
    "dense": ("仅向量", "#55a868"),
    "langchain": ("LangChain 默认做法", "#8172b3"),
}

METRIC_NOTES = {
    "hit@1": "第 1 个检索结果即含证据的题目比例",
    "hit@5": "前 5 个检索结果中含证据的题目比例",
    "hit@10": "前 10 个检索结果中含证据的题目比例",
    "mrr@10": "首个命中结果排名的倒数（前 10 内）的平均",
    "ndcg@10": "按证据条目计的 nDCG@10",
    "all_evidence@5": "多证据题：全部证据都在前 5 个结果中的比例",
    "keyword_coverage": "答案包含的要点（关键词）比例",
    "keyword_full": "答案包含全部要点的题目比例",
    "list_completeness": "列举题：答案包含的列表项比例",
    "lead_accuracy": "答案第一句即含要点（或列表项）的题目比例",
    "wrong_number": "数值题首句给出了与要点不同的数字、或不可答题答出了数字的比例（越低越好）",
    "f1": "答案与参考答案的字级 F1",
    "citation_precision": "引用的段落中确实支持该题证据的比例",
    "citation_recall": "证据条目被引用覆盖的比例",
    "support_rate": "引用被系统核实为“支持”的比例",
    "refusal_rate": "不可答题中正确拒答的比例（越高越好）",
    "false_refusal_rate": "可答题中错误拒答的比例（越低越好）",
    "refusal_accuracy": "拒答与否判断正确的题目比例",
    "latency_total_p50_ms": "每题总耗时中位数（毫秒）",
    "latency_total_p95_ms": "每题总耗时 95 分位（毫秒）",
    "latency_retrieve_p50_ms": "检索耗时中位数（毫秒）",
    "latency_answer_p50_ms": "生成答案耗时中位数（毫秒）",
}

# What a user reads; the English keys stay in metrics.json and the CSV.
METRIC_LABELS = {
    "hit@1": "首位命中率", "hit@5": "前5命中率", "hit@10": "前10命中率", "mrr@10": "平均倒数排名",
    "ndcg@10": "排序质量 nDCG", "all_evidence@5": "多证据全命中率", "keyword_coverage": "要点覆盖率",
    "keyword_full": "要点全覆盖率", "list_completeness": "列表完整度", "lead_accuracy": "首句答中率",
    "wrong_number": "数字错误率", "f1": "字级 F1", "citation_precision": "引用准确率",
    "citation_recall": "引用召回率", "support_rate": "引用核实率", "refusal_rate": "正确拒答率",
    "false_refusal_rate": "误拒答率", "refusal_accuracy": "拒答判断准确率",
    "latency_total_p50_ms": "总耗时中位数（毫秒）", "latency_total_p95_ms": "总耗时95分位（毫秒）",
    "latency_retrieve_p50_ms": "检索耗时中位数（毫秒）", "latency_answer_p50_ms": "答案耗时中位数（毫秒）",
    "n_questions": "题数",
}

TYPE_LABELS = {
    "factoid": "事实", "numeric": "数值", "list": "列举", "why-how": "原因与做法", "cross-doc": "跨文档",
    "paraphrase": "换说法", "unanswerable": "不可答", "": "未分类",
}


def metric_label(key: str) -> str:
    return METRIC_LABELS.get(key, key)


def type_label(qtype: str) -> str:
    return TYPE_LABELS.get(qtype, qtype)


REASONS = {
    "retrieval_miss@5": "前 5 个结果未命中证据",
    "missing_keywords": "答案缺少要点",
    "false_refusal": "误拒答",
    "not_refused": "应拒答而未拒答",
    "missing_answer": "没有答案",
    "incomplete_list": "列表不完整",
    "lead_miss": "首句未答出要点",
    "wrong_number": "数字错误",
}

BREAKDOWN_COLUMNS = ["n_questions", "hit@1", "hit@5", "mrr@10", "keyword_coverage", "list_completeness",
                     "lead_accuracy", "wrong_number", "f1", "refusal_rate", "false_refusal_rate",
                     "latency_total_p50_ms"]

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;
 margin:0 auto;max-width:1100px;padding:16px 24px;color:#1a202c;line-height:1.5}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #cbd5e0}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #e2e8f0;padding:3px 8px;text-align:right;vertical-align:top}
th{background:#f7fafc}td.l,th.l{text-align:left}td.note{text-align:left;color:#4a5568;font-size:.9em}
.best{font-weight:bold}.muted{color:#718096}.warn{color:#c05621}
.info{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:.92em}
.info dt{color:#4a5568}.info dd{margin:0}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #e2e8f0;padding:6px}
details{border:1px solid #e2e8f0;margin:6px 0;padding:4px 8px}summary{cursor:pointer}
.tag{display:inline-block;background:#fed7d7;color:#9b2c2c;border-radius:3px;padding:0 5px;margin-right:4px;
 font-size:.85em}
.ok{color:#276749;font-weight:bold}.no{color:#c53030;font-weight:bold}
pre.answer{white-space:pre-wrap;background:#f7fafc;padding:6px;margin:4px 0;font-family:inherit}
ol.top{margin:4px 0;padding-left:1.5em}ol.top li{margin:2px 0}
"""


def _e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


def fmt(metric: str, v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if metric.endswith("_ms"):
        return f"{v:.0f}"
    if metric.startswith("n_") or isinstance(v, int):
        return str(v)
    return f"{v:.3f}"


def lower_is_better(metric: str) -> bool:
    return metric in ("false_refusal_rate", "wrong_number", "n_wrong_number") or metric.startswith("latency_")


# ---------------------------------------------------------------- SVG charts


def bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]],
              counts: Sequence[int] | None = None, ymax: float = 1.0) -> str:
    """Grouped vertical bars (values in [0, ymax]); `series` = (label, colour, one value per category)."""
    bw, gap, left, top, plot_h = 16, 18, 40, 34, 160
    labels = [_clip(c, CHART_LABEL_CHARS) for c in categories]
    # a group is at least as wide as its label, so neighbouring labels never overlap
    group_w = max([bw * len(series) + gap] + [_text_width(c, 10) + 8 for c in labels])
    legend_w = left + sum(14 + _text_width(label, 10) + 10 for label, _, _ in series)
    width = math.ceil(max(340, left + 10 + group_w * len(categories), legend_w))
    height = top + plot_h + 44
    y = lambda v: top + plot_h - plot_h * min(max(v, 0.0), ymax) / ymax  # noqa: E731
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-label="{_e(title)}">',
             f'<text x="{left}" y="16" font-size="13" font-weight="bold">{_e(title)}</text>']
    for i in range(5):  # grid at 0, 25, 50, 75, 100 %
        v = ymax * i / 4
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v:.2f}</text>')
    for gi, (cat, shown) in enumerate(zip(categories, labels)):
        x0 = left + 8 + gi * group_w
        for si, (label, colour, values) in enumerate(series):
            v = values[gi] if gi < len(values) else None
            x = x0 + si * bw
            if v is None:
                parts.append(f'<text x="{x + bw / 2:.1f}" y="{top + plot_h - 3}" font-size="9" '
                             f'text-anchor="middle" fill="#a0aec0">—</text>')
                continue
            parts.append(f'<rect x="{x}" y="{y(v):.1f}" width="{bw - 2}" height="{top + plot_h - y(v):.1f}" '
                         f'fill="{colour}"><title>{_e(cat)} · {_e(label)}: {v:.3f}</title></rect>')
        cx = x0 + (group_w - gap) / 2
        parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle">'
                     f'{_e(shown)}</text>')
        if counts is not None:
            parts.append(f'<text x="{cx:.1f}" y="{top + plot_h + 26}" font-size="9" text-anchor="middle" '
                         f'fill="#718096">n={counts[gi]}</text>')
    lx = left
    for label, colour, _ in series:  # legend along the bottom
        parts.append(f'<rect x="{lx:.1f}" y="{height - 11}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{lx + 14:.1f}" y="{height - 2}" font-size="10">{_e(label)}</text>')
        lx += 14 + _text_width(label, 10) + 10
    parts.append("</svg>")
    return "".join(parts)


CHART_LABEL_CHARS = 8


def _text_width(text: str, size: float) -> float:
    """Approximate drawn width: CJK glyphs are square, the rest about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def histogram(title: str, values: Sequence[float], unit: str = "ms", bins: int = 12,
              marks: Mapping[str, float | None] | None = None) -> str:
    """A histogram of `values` with optional vertical marker lines (e.g. p50, p95)."""
    left, top, plot_w, plot_h = 40, 34, 420, 160
    width, height = left + plot_w + 20, top + plot_h + 40
    parts = [f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-label="{_e(title)}">',
             f'<text x="{left}" y="16" font-size="13" font-weight="bold">{_e(title)}</text>']
    if not values:
        parts.append(f'<text x="{left}" y="{top + 40}" font-size="12" fill="#718096">（没有数据）</text></svg>')
        return "".join(parts)
    ordered = sorted(values)
    p95, biggest = ordered[int(0.95 * (len(ordered) - 1))], ordered[-1]
    # A few stalls (a busy machine) would squash every other bar into the first bin: put them in an
    # overflow bar of their own instead.
    cap = p95 * 1.5 if p95 > 0 and biggest > 3 * p95 else biggest
    step = _nice_step(cap / bins)
    n = max(1, math.ceil(cap / step - 1e-9))
    if cap == biggest and biggest >= n * step:  # the maximum sits on the last edge: give it its own bin
        n += 1
    counts = [0] * n
    overflow = 0
    for v in values:
        i = int(max(v, 0) // step)
        if i >= n and cap < biggest:
            overflow += 1
        else:
            counts[min(n - 1, i)] += 1
    slots = n + (1 if overflow else 0)
    ystep = max(1, math.ceil(_nice_step(max(counts + [overflow]) / 4)))  # whole questions on the count axis
    cmax = ystep * math.ceil(max(counts + [overflow]) / ystep)
    bar_w = plot_w / slots
    xs = lambda v: left + bar_w * v / step  # noqa: E731
    for i in range(cmax // ystep + 1):
        c = i * ystep
        yy = top + plot_h - plot_h * c / cmax
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e2e8f0"/>'
                     f'<text x="{left - 4}" y="{yy + 4:.1f}" font-size="10" text-anchor="end">{c:.0f}</text>')
    for i, c in enumerate(counts):
        h = plot_h * c / cmax if cmax else 0
        lo, hi = i * step, (i + 1) * step
        parts.append(f'<rect x="{left + i * bar_w + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                     f'height="{h:.1f}" fill="#2b6cb0"><title>{lo:g}–{hi:g} {_e(unit)}: {c}</title></rect>')
    if overflow:
        h = plot_h * overflow / cmax
        parts.append(f'<rect x="{left + n * bar_w + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                     f'height="{h:.1f}" fill="#c05621"><title>≥ {n * step:g} {_e(unit)}: {overflow}'
                     f'（最大 {biggest:.0f}）</title></rect>'
                     f'<text x="{left + (n + 0.5) * bar_w:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="9" '
                     f'text-anchor="middle" fill="#c05621">最大 {biggest:.0f}</text>')
    every = max(1, math.ceil(n / 8))
    for i in range(0, n + 1, every):
        parts.append(f'<text x="{xs(i * step):.1f}" y="{top + plot_h + 14}" font-size="10" '
                     f'text-anchor="middle">{i * step:g}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{top + plot_h + 30}" font-size="10" text-anchor="end">'
                 f'{_e(unit)}（共 {len(values)} 题）</text>')
    for k, (label, v) in enumerate((marks or {}).items()):
        if v is None or v > n * step:
            continue
        x = xs(v)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#c53030" '
                     f'stroke-dasharray="4 3"/><text x="{x + 3:.1f}" y="{top + 10 + 12 * k}" font-size="10" '
                     f'fill="#c53030">{_e(label)} {v:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- sections


def _headline(summary: Mapping[str, Any], keys: Sequence[str]) -> str:
    m = summary["metrics"]
    base = summary.get("baselines") or {}
    cols = ["full", *base]
    head = "".join(f"<th>{_e(SERIES.get(c, (c,))[0])}</th>" for c in cols)
    out = [f'<table><tr><th class="l">指标</th>{head}<th class="l">说明</th></tr>']
    for key in keys:
        vals = [m.get(key)] + [base[c].get(key) for c in base]
        if all(v is None for v in vals):
            continue
        nums = [v for v in vals if isinstance(v, (int, float))]
        best = (min(nums) if lower_is_better(key) else max(nums)) if len(set(nums)) > 1 else None
        cells = "".join(f'<td{" class=best" if best is not None and v == best else ""}>{_e(fmt(key, v))}</td>'
                        for v in vals)
        out.append(f'<tr><td class="l" title="{_e(key)}">{_e(metric_label(key))}</td>{cells}'
                   f'<td class="note">{_e(METRIC_NOTES.get(key, ""))}'
                   f"</td></tr>")
    out.append("</table>")
    return "".join(out)


def _breakdown(groups: Mapping[str, Mapping[str, Any]], label: str, limit: int | None = None) -> str:
    items = list(groups.items())
    note = ""
    if limit is not None and len(items) > limit:
        # Many documents (a benchmark corpus): show the weakest ones, which are what needs attention.
        keys = ("hit@5", "mrr@10", "keyword_coverage")
        items.sort(key=lambda kv: tuple(x for k in keys for x in (kv[1].get(k) is None, kv[1].get(k) or 0.0)))
        items = items[:limit]
        note = (f'<p class="muted">共 {len(groups)} 项，仅列出最弱的 {limit} 项（按前5命中率、平均倒数排名、要点覆盖率升序）；'
                "完整数据见 metrics.json。</p>")
    head = "".join(f'<th title="{_e(c)}">{_e(metric_label(c))}</th>' for c in BREAKDOWN_COLUMNS)
    out = [note, f'<table><tr><th class="l">{_e(label)}</th>{head}</tr>']
    for name, m in items:
        cells = "".join(f"<td>{_e(fmt(c, m.get(c)))}</td>" for c in BREAKDOWN_COLUMNS)
        out.append(f'<tr><td class="l">{_e(name)}</td>{cells}</tr>')
    out.append("</table>")
    return "".join(out)


def _charts(summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> str:
    by_type = summary.get("by_type") or {}
    base_types = summary.get("baselines_by_type") or {}
    types = list(by_type)
    counts = [by_type[t].get("n_questions", 0) for t in types]
    charts = []
    for metric, title in (("hit@5", "各题型前5命中率"), ("keyword_coverage", "各题型要点覆盖率")):
        series = [(SERIES["full"][0], SERIES["full"][1], [by_type[t].get(metric) for t in types])]
        for mode, groups in base_types.items():
            label, colour = SERIES.get(mode, (mode, "#718096"))
            series.append((label, colour, [(groups.get(t) or {}).get(metric) for t in types]))
        charts.append(bar_chart(title, [type_label(t) for t in types], series, counts))
    latencies = [r["latency_ms"] for r in rows if isinstance(r.get("latency_ms"), (int, float))]
    m = summary["metrics"]
    charts.append(histogram("每题耗时分布（完整流程）", latencies, "毫秒",
                            marks={"p50": m.get("latency_total_p50_ms"), "p95": m.get("latency_total_p95_ms")}))
    return '<div class="charts">' + "".join(f"<div>{c}</div>" for c in charts) + "</div>"


def _failure(f: Mapping[str, Any], open_: bool) -> str:
    tags = "".join(f'<span class="tag">{_e(REASONS.get(r, r))}</span>' for r in f.get("reasons", []))
    ev = f.get("expected_evidence") or []
    ev_html = ("<ul>" + "".join(f"<li>{_e(e.get('doc'))}{'：' + _e(e.get('quote')) if e.get('quote') else ''}</li>"
                                for e in ev) + "</ul>") if ev else '<p class="muted">（无：应当拒答）</p>'
    top = []
    for c in f.get("top3") or []:
        mark = '<span class="ok">✓</span>' if c.get("supports") else '<span class="no">✗</span>'
        text = str(c.get("text") or "")
        top.append(f"<li>{mark} <b>{_e(c.get('doc'))}</b> · {_e(c.get('clause'))}<br>"
                   f"<span class=muted>{_e(text[:200])}{'…' if len(text) > 200 else ''}</span></li>")
    top_html = f'<ol class="top">{"".join(top)}</ol>' if top else '<p class="muted">（没有检索结果）</p>'
    facts = [f"命中排名：{_e(f.get('hit_rank') if f.get('hit_rank') is not None else '—')}",
             f"要点覆盖：{_e(fmt('kw', f.get('keyword_coverage')))}"]
    if f.get("missing_keywords"):
        facts.append("缺少要点：" + _e("、".join(f["missing_keywords"])))
    if f.get("list_completeness") is not None:
        facts.append(f"列表完整度：{_e(fmt('list', f['list_completeness']))}")
    if f.get("missing_items"):
        facts.append("缺少列表项：" + _e("、".join(f["missing_items"])))
    if f.get("lead_ok") is False or f.get("wrong_number"):
        facts.append("首句：" + (_e(f.get("lead")) or "（空）"))
    if f.get("refused"):
        facts.append("已拒答")
    return (f'<details{" open" if open_ else ""}><summary><b>{_e(f.get("id"))}</b> '
            f'<span class="muted">[{_e(type_label(f.get("type") or ""))}]</span> {tags}{_e(f.get("question"))}</summary>'
            f"<p>{'；'.join(facts)}</p><div><b>预期证据</b>{ev_html}</div>"
            f"<div><b>检索结果前三</b>{top_html}</div>"
            f'<div><b>回答</b><pre class="answer">{_e(f.get("answer"))}</pre></div></details>')


def _info(summary: Mapping[str, Any]) -> str:
    idx = summary.get("index") or {}
    s = summary.get("seconds") or {}
    m = summary["metrics"]
    items = [
        ("问题集", f"{Path(str(summary.get('questions_file') or '')).name}（{summary.get('format')}）"),
        ("题目", f"{summary.get('n_questions')} 题" + (
            f"（取自 {summary.get('n_questions_in_set')} 题）"
            if summary.get("n_questions_in_set") not in (None, summary.get("n_questions")) else "")
         + f"：可答 {m.get('n_answerable')}，不可答 {m.get('n_unanswerable')}，有证据 {m.get('n_retrieval')}"),
        ("时间", summary.get("created")),
        ("索引", f"{idx.get('documents')} 篇文档，{idx.get('chunks')} 个分块"
                 + (f"，模型 {idx.get('model')}" if idx.get("model") else "")),
        ("用时", "，".join(f"{k} {v:.1f} 秒" for k, v in s.items())
         + (f"；{summary['questions_per_s']:.2f} 题/秒" if summary.get("questions_per_s") else "")),
        ("设置", "，".join(f"{k}={v}" for k, v in (summary.get("config") or {}).items())),
    ]
    out = '<dl class="info">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"
    warnings = []
    if idx.get("missing_docs"):
        miss = idx["missing_docs"]
        warnings.append(f"{len(miss)} 个证据文档不在索引中（如 {'、'.join(miss[:5])}），相关题目不可能命中。")
    if idx.get("skipped"):
        warnings.append(f"{len(idx['skipped'])} 个段落未能导入索引。")
    if summary.get("errors"):
        warnings.append(f"{summary['errors']} 题提问出错（见 answers.jsonl 的 error 字段）。")
    out += "".join(f'<p class="warn">⚠ {_e(w)}</p>' for w in warnings)
    return out


def render_report(summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]],
                  failures: Sequence[Mapping[str, Any]], max_failures: int = 300, max_docs: int = 100) -> str:
    """The whole report page as a string."""
    name = summary.get("name") or "评估"
    shown = list(failures)[:max_failures]
    fail_note = (f'<p class="muted">共 {len(failures)} 题未通过，列出前 {max_failures} 题；全部见 failures.json。</p>'
                 if len(failures) > max_failures else "")
    body = [
        f"<h1>评估报告：{_e(name)}</h1>",
        _info(summary),
        "<h2>核心指标</h2>",
        _headline(summary, HEADLINE),
        "<h2>图表</h2>",
        _charts(summary, rows),
        "<h2>按题型</h2>",
        _breakdown({type_label(k): v for k, v in (summary.get("by_type") or {}).items()}, "题型"),
        "<h2>按文档</h2>",
        _breakdown(summary.get("by_doc") or {}, "文档", limit=max_docs)
        if summary.get("by_doc") else '<p class="muted">（题目没有标注证据文档）</p>',
        f"<h2>未通过的题目（{len(failures)}）</h2>",
        fail_note,
        "".join(_failure(f, open_=len(shown) <= 30) for f in shown) or '<p class="muted">（没有）</p>',
    ]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>评估报告：{_e(name)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
