"""The 检索测试 tab: type a query, see the ranked chunks with their clause paths, fused / dense / BM25 scores and
why each one ranked where it did — the tool staff use to check what a question finds."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from policyqa.errors import PolicyQAError
from policyqa.ingest.chunk import clause_label
from policyqa.retrieve.retriever import Hit, RetrievalMode, RetrievalResult
from policyqa.web import notify
from policyqa.web.backend import Backend
from policyqa.web.render import esc

MODES = [("混合检索（向量 + BM25）", RetrievalMode.HYBRID.value), ("仅向量", RetrievalMode.DENSE.value),
         ("仅 BM25", RetrievalMode.BM25.value)]
PREVIEW = 160  # characters of a chunk's text shown


@dataclass
class HitTestTab:
    kb: gr.Dropdown  # filled with the user's knowledge bases on page load (app.py)
    query: gr.Textbox
    k: gr.Slider
    mode: gr.Radio
    run_btn: gr.Button
    results: gr.HTML


def build_hit_test_tab(backend: Backend) -> HitTestTab:
    """Add the 检索测试 tab (call inside ``with gr.Tabs():``)."""
    with gr.Tab("检索测试", id="hits"):
        gr.Markdown("输入一个问题或关键词，查看检索到的段落、各自的得分和排名理由（不生成答案）。")
        kb = gr.Dropdown(label="知识库", choices=[], value=None, elem_id="pq-hit-kb")
        with gr.Row():
            query = gr.Textbox(label="检索内容", placeholder="例如：土地总面积", scale=4, max_length=500,
                               elem_id="pq-hit-query")
            run_btn = gr.Button("检索", variant="primary", scale=1, elem_id="pq-hit-run")
        with gr.Row():
            k = gr.Slider(1, 30, value=10, step=1, label="显示条数", elem_id="pq-hit-k")
            mode = gr.Radio(MODES, value=RetrievalMode.HYBRID.value, label="检索方式")
        results = gr.HTML("", elem_id="pq-hits")
    tab = HitTestTab(kb=kb, query=query, k=k, mode=mode, run_btn=run_btn, results=results)

    def run(q, kb_value, k_value, mode_value, request: gr.Request):
        q = (q or "").strip()
        if not q:
            notify.warn("请先输入检索内容。")
            return gr.update()
        backend.wait()
        try:
            result = backend.search(q, int(k_value), RetrievalMode(mode_value), kb=kb_value or None,
                                    user=getattr(request, "username", None) or None)
        except PolicyQAError as exc:
            notify.warn(exc.reason)
            return gr.update()
        return results_html(result)

    for trigger in (run_btn.click, query.submit):
        trigger(run, inputs=[query, kb, k, mode], outputs=[results], api_visibility="private")
    return tab


def results_html(result: RetrievalResult) -> str:
    """The ranked hits as an escaped table, with the fusion weights the question got."""
    if not result.hits:
        return '<div class="pq-hits-empty">没有检索到段落。</div>'
    dense_w, bm25_w = result.weights
    head = (f'<div class="pq-hits-head">检索词：{esc("、".join(result.query_terms) or "（无）")}；'
            f'融合权重：向量 {dense_w:.2f}，BM25 {bm25_w:.2f}</div>')
    rows = "".join(_row(i, h, result.query_terms) for i, h in enumerate(result.hits, 1))
    return (head + '<table class="pq-hits-table"><thead><tr><th>排名</th><th>文档与条款</th><th>综合得分</th>'
            '<th>向量</th><th>BM25</th><th>排名理由</th><th>原文</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def why(hit: Hit, terms: list[str]) -> str:
    """One line saying what put the chunk here: its place on each side and the query terms it holds."""
    parts = []
    if hit.dense_rank is not None:
        parts.append(f"语义相近（向量第 {hit.dense_rank} 名）")
    if hit.bm25_rank is not None:
        parts.append(f"关键词匹配（BM25 第 {hit.bm25_rank} 名）")
    found = [t for t in dict.fromkeys(terms) if len(t) > 1 and t in hit.chunk.text]
    if found:
        parts.append("含检索词：" + "、".join(found[:8]))
    return "；".join(parts) or "仅因同一文档的多样性规则入选"


def _row(rank: int, hit: Hit, terms: list[str]) -> str:
    text = hit.chunk.text
    preview = text if len(text) <= PREVIEW else text[: PREVIEW - 1] + "…"
    dense = f"{hit.dense:.3f}（第 {hit.dense_rank} 名）" if hit.dense_rank is not None else "—"
    bm25 = f"{hit.bm25:.2f}（第 {hit.bm25_rank} 名）" if hit.bm25_rank is not None else "—"
    return (f'<tr class="pq-hit"><td>{rank}</td><td><div class="pq-hit-title">《{esc(hit.title)}》</div>'
            f'<div class="pq-hit-clause">{esc(clause_label(hit.title, hit.chunk.clause))}</div></td>'
            f'<td>{hit.score:.3f}</td><td>{esc(dense)}</td><td>{esc(bm25)}</td>'
            f'<td class="pq-hit-why">{esc(why(hit, terms))}</td><td class="pq-hit-text">{esc(preview)}</td></tr>')
