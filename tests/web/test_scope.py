"""The 检索范围 filters choose documents by their own metadata."""

from __future__ import annotations

from policyqa.store.index import DocInfo
from policyqa.web.scope import facet_choices, matching


def _doc(name: str, **kw) -> DocInfo:
    return DocInfo(name=name, title=name, hash="", path="", ingested_at="", paragraphs=1, clauses=1, chunks=1, **kw)


DOCS = [_doc("plan.txt", issuer="某市人民政府", date="2023-05-10", doctype="行动计划", status="征求意见稿"),
        _doc("notice.txt", issuer="某县人民政府办公室", date="2025-03-18", doctype="通知"),
        _doc("law.txt", doctype="法")]


def test_choices_are_the_values_the_library_holds():
    choices = facet_choices(DOCS)
    assert choices["year"] == ["2025", "2023"]  # newest first
    assert choices["status"] == ["征求意见稿"] and "" not in choices["issuer"]


def test_every_chosen_facet_must_match():
    assert matching(DOCS, {"year": ["2025"]}) == ["notice.txt"]
    assert matching(DOCS, {"doctype": ["通知", "法"], "year": []}) == ["notice.txt", "law.txt"]
    assert matching(DOCS, {"doctype": ["通知"], "status": ["征求意见稿"]}) == []
    assert matching(DOCS, {}) == [d.name for d in DOCS]
