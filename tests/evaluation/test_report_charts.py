"""The report's bar chart: category labels never overlap, however long or many they are."""

from __future__ import annotations

import re

from policyqa.evaluation.report import _text_width, bar_chart


def test_category_labels_do_not_overlap():
    cats = ["原因与做法", "跨文档", "不可答", "换说法", "一个很长很长的题型名称"]
    series = [("完整流程", "#2b6cb0", [0.5] * 5), ("仅 BM25", "#dd8452", [0.4] * 5)]
    svg = bar_chart("各题型前5命中率", cats, series, counts=[3] * 5)
    labels = re.findall(r'<text x="([\d.]+)" y="\d+" font-size="10" text-anchor="middle">([^<]+)</text>', svg)
    assert [t for _, t in labels][:4] == cats[:4] and labels[4][1].endswith("…")
    spans = [(float(x) - _text_width(t, 10) / 2, float(x) + _text_width(t, 10) / 2) for x, t in labels]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
    width = float(re.search(r'width="(\d+)"', svg).group(1))
    assert spans[-1][1] <= width
