"""The text tables the command line prints: a run's headline metrics, and one run against another."""

from __future__ import annotations

from typing import Any, Mapping

from policyqa.evaluation.report import HEADLINE, fmt, lower_is_better


def _fmt_diff(metric: str, d: Any) -> str:
    if d is None:
        return ""
    if abs(d) < 1e-12:
        return "0"
    s = (f"{d:+.0f}" if abs(d) >= 10 else f"{d:+.1f}") if metric.endswith("_ms") else f"{d:+.3f}"
    good = (d < 0) if lower_is_better(metric) else (d > 0)
    return s + (" ↑" if good else " ↓")


def format_summary(summary: Mapping[str, Any]) -> str:
    """The headline metrics as a text table, baselines beside (printed at the end of a run)."""
    m = summary["metrics"]
    base = summary.get("baselines") or {}
    cols = ["full", *base]
    lines = [f"{'metric':<24}" + "".join(f"{c:>10}" for c in cols), "-" * (24 + 10 * len(cols))]
    for key in HEADLINE:
        vals = [m.get(key)] + [base[c].get(key) for c in base]
        if all(v is None for v in vals):
            continue
        lines.append(f"{key:<24}" + "".join(f"{fmt(key, v):>10}" for v in vals))
    s = summary.get("seconds", {})
    lines.append("-" * (24 + 10 * len(cols)))
    lines.append(f"{summary['n_questions']} 题（可答 {m['n_answerable']}，不可答 {m['n_unanswerable']}），"
                 f"失败 {summary.get('n_failures', 0)} 题，出错 {summary.get('errors', 0)} 题；"
                 f"索引 {summary['index'].get('documents')} 篇 / {summary['index'].get('chunks')} 块；"
                 f"用时 {s.get('total', 0):.1f} 秒" + (f"（导入 {s['ingest']:.1f} 秒）" if "ingest" in s else "")
                 + (f"，{summary['questions_per_s']:.2f} 题/秒" if summary.get("questions_per_s") else ""))
    if m.get("n_wrong_number"):
        lines.append(f"数字错误 {m['n_wrong_number']} 题（原因 wrong_number，见 failures.json）。")
    missing = summary["index"].get("missing_docs") or []
    if missing:
        lines.append(f"注意：{len(missing)} 个证据文档不在索引中（如 {', '.join(missing[:3])}），相关题目无法命中。")
    return "\n".join(lines)


def format_compare(result: Mapping[str, Any], max_questions: int = 20) -> str:
    """Per-metric differences and per-question wins/losses of run B over run A, as text."""
    lines = [f"A = {result['a']}", f"B = {result['b']}", "",
             f"{'metric':<26}{'A':>10}{'B':>10}{'B − A':>12}", "-" * 58]
    for key, v in result["metrics"].items():
        if key.startswith("n_") and v["diff"] in (0, None):
            continue
        if v["a"] is None and v["b"] is None:
            continue
        lines.append(f"{key:<26}{fmt(key, v['a']):>10}{fmt(key, v['b']):>10}"
                     f"{_fmt_diff(key, v['diff']):>12}")
    q = result["questions"]
    lines += ["", f"逐题（B 相对 A）：胜 {len(q['wins'])}，负 {len(q['losses'])}，互有胜负 {len(q['mixed'])}，"
                  f"持平 {q['ties']}" + (f"；仅 A 有 {len(q['only_in_a'])} 题" if q["only_in_a"] else "")
              + (f"；仅 B 有 {len(q['only_in_b'])} 题" if q["only_in_b"] else "")]
    asp = result.get("aspects", {})
    if asp:
        lines.append("分项：" + "，".join(f"{k} +{v['wins']}/−{v['losses']}" for k, v in asp.items()))
    changes = result.get("changes") or []
    if changes:
        lines += ["", f"{'':<3}{'id':<14}{'rank A→B':>12}{'kw A→B':>14}{'refusal':>9}  question", "-" * 86]
        mark = {"win": "+", "loss": "−", "mixed": "±"}
        order = {"loss": 0, "mixed": 1, "win": 2}  # losses first: they are what needs looking at
        for c in sorted(changes, key=lambda c: order[c["verdict"]])[:max_questions]:
            ranks = f"{_r(c['hit_rank_a'])}→{_r(c['hit_rank_b'])}"
            kws = f"{fmt('kw', c['keyword_coverage_a'])}→{fmt('kw', c['keyword_coverage_b'])}"
            ref = f"{_ok(c['correct_refusal_a'])}→{_ok(c['correct_refusal_b'])}"
            lines.append(f"{mark[c['verdict']]:<3}{str(c['id'])[:13]:<14}{ranks:>12}{kws:>14}{ref:>9}  "
                         f"{(c.get('question') or '')[:30]}")
        if len(changes) > max_questions:
            lines.append(f"… 另有 {len(changes) - max_questions} 题有变化，见 compare.json")
    return "\n".join(lines)


def _ok(v: Any) -> str:
    return "✓" if v else "✗"


def _r(rank: Any) -> str:
    return "—" if rank is None else str(rank)
