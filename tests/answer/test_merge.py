"""One answer from several knowledge bases' answers: parts under their names, citations renumbered and marked
with their knowledge base, a far weaker part dropped, and the refusal that found the section kept."""

from __future__ import annotations

from policyqa.answer.merge import merge
from policyqa.answer.types import NOT_STATED_LEAD, REFUSAL, Answer, Citation


def _answer(text: str, dense: float, n_cites: int = 1, refused: bool = False) -> Answer:
    cites = [Citation(n=i, doc="d.txt", title="通知", clause="《通知》", paragraph_id=f"p{i}", text="原文",
                      quote="原文", span=(0, 2)) for i in range(1, n_cites + 1)]
    return Answer(question="问", answer=text, refused=refused, citations=[] if refused else cites,
                  contexts=[{"doc": "d.txt", "dense": dense}], timings_ms={"total": 10.0})


def test_parts_are_named_ordered_and_renumbered():
    out = merge([("kb-a", "甲库", _answer("甲的回答[1]。另一句[2]。", 0.91, 2)),
                 ("kb-b", "乙库", _answer("乙的回答[1]。", 0.93))])
    assert out.answer == "【乙库】乙的回答[1]。\n\n【甲库】甲的回答[2]。另一句[3]。"
    assert [(c.n, c.kb) for c in out.citations] == [(1, "kb-b"), (2, "kb-a"), (3, "kb-a")]
    assert out.timings_ms["total"] == 20.0 and {c["kb"] for c in out.contexts} == {"kb-a", "kb-b"}


def test_a_far_weaker_part_is_dropped_and_one_answer_stays_plain():
    out = merge([("kb-a", "甲库", _answer("相关的回答[1]。", 0.95)), ("default", "默认", _answer("邻近的句子[1]。", 0.85))])
    assert out.answer == "相关的回答[1]。" and [c.kb for c in out.citations] == ["kb-a"]


def test_refusals_keep_the_one_that_found_the_section():
    found = _answer(NOT_STATED_LEAD + "所问的数字。", 0.9, refused=True)
    out = merge([("kb-a", "甲库", _answer(REFUSAL, 0.8, refused=True)), ("kb-b", "乙库", found)])
    assert out.refused and out.answer.startswith(NOT_STATED_LEAD)
