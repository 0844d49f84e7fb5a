"""The pure fusion functions: weighted score scaling, reciprocal-rank fusion, and room for a second document."""

import pytest

from policyqa.retrieve import fusion


def test_weighted_scales_each_side_to_unit_range():
    dense = {1: (1, 0.90), 2: (2, 0.80), 3: (3, 0.70)}  # cosines: scaled from the lowest candidate
    lexical = {2: (1, 12.0), 4: (2, 6.0)}  # BM25: scaled from zero
    fused = fusion.weighted(dense, lexical, dense_weight=0.3, bm25_weight=0.7)
    assert fused[1] == pytest.approx(0.3)
    assert fused[2] == pytest.approx(0.3 * 0.5 + 0.7)
    assert fused[3] == pytest.approx(0.0)
    assert fused[4] == pytest.approx(0.35)
    assert max(fused, key=fused.get) == 2


def test_weighted_with_one_side_empty_keeps_the_other():
    fused = fusion.weighted({}, {7: (1, 3.0), 8: (2, 1.5)}, 0.3, 0.7)
    assert fused == pytest.approx({7: 0.7, 8: 0.35})


def test_rrf_uses_ranks_not_scores():
    fused = fusion.rrf({1: (1, 0.2), 2: (2, 0.99)}, {2: (1, 50.0)}, 1.0, 1.0, k=60)
    assert fused[1] == pytest.approx(1 / 61)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)


def test_diversify_pulls_a_close_second_document_into_the_top():
    docs = ["a"] * 6 + ["b"]
    ranked = list(range(7))
    scores = {r: 1.0 - 0.05 * r for r in ranked}
    out = fusion.diversify(ranked, scores, docs, share=0.6, top=5)
    assert out[:5] == [0, 1, 2, 3, 6] and sorted(out) == ranked
    far = {**scores, 6: 0.1}  # too far behind: the order stays
    assert fusion.diversify(ranked, far, docs, share=0.6, top=5) == ranked
    mixed = ["a", "b"] + ["a"] * 5  # already two documents in the top
    assert fusion.diversify(ranked, scores, mixed, share=0.6, top=5) == ranked


def test_lay_wording_trusts_the_dense_side_more():
    assert fusion.adaptive_dense_weight(0.3, 0.3, 0.4, 0.8) == 0.4
    assert fusion.adaptive_dense_weight(0.9, 0.3, 0.4, 0.8) == 0.3


def test_coverage_weights_rare_terms_more():
    from policyqa.store.lexical import BM25Index

    bm25 = BM25Index.build([["合同", "解除", "通知"], ["合同", "违约", "赔偿"], ["合同", "订立"], ["租赁", "合同"]])
    assert bm25.coverage(["违约", "赔偿"], 1) == pytest.approx(1.0)
    # 合同 is in every chunk (weighs little), 违约 in one: holding 违约 covers more than holding 合同
    assert bm25.coverage(["合同", "违约"], 1) > 0.5 > bm25.coverage(["合同", "违约"], 0) > 0
    assert bm25.coverage(["未知词"], 0) == 0.0
