"""The 检索范围 filters: documents chosen by their own metadata (issuer, year, type, status)."""

from __future__ import annotations

from typing import Iterable, Sequence

from policyqa.store.index import DocInfo

#: facet key → its label in the app
FACETS = {"issuer": "发文机关", "year": "年份", "doctype": "文种", "status": "状态"}


def facet_value(doc: DocInfo, facet: str) -> str:
    if facet == "year":
        return doc.date[:4] if doc.date[:4].isdigit() else ""
    return getattr(doc, facet)


def facet_choices(docs: Iterable[DocInfo]) -> dict[str, list[str]]:
    """The values each facet takes in the library (empty values left out), sorted."""
    docs = list(docs)
    return {f: sorted({facet_value(d, f) for d in docs} - {""}, reverse=f == "year") for f in FACETS}


def matching(docs: Iterable[DocInfo], chosen: dict[str, Sequence[str]]) -> list[str]:
    """Names of the documents whose value is among the chosen ones for every facet with a choice."""
    return [d.name for d in docs
            if all(not values or facet_value(d, f) in values for f, values in chosen.items())]
