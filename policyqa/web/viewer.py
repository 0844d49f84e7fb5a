"""The document viewer's state and its moves, shared by the chat (a cited paragraph) and the library (any
document): open at a paragraph, follow the outline, show more context."""

from __future__ import annotations

from typing import Any

from policyqa.errors import PolicyQAError
from policyqa.web import render
from policyqa.web.backend import Backend

PAGED = ("pdf", "ofd")  # formats whose original page can be shown beside the text


def opened(doc: str, pid: str, span: Any = None, quote: str = "", kb: str = "") -> dict:
    """The viewer state at paragraph `pid` of `doc` in knowledge base `kb`; `span`/`quote` mark the cited
    sentence there."""
    return {"doc": doc, "pid": pid, "before": 3, "after": 3, "cite_pid": pid, "span": span, "quote": quote,
            "kb": kb}


def html(backend: Backend, vs: dict, user: str | None) -> str:
    """The viewer for state `vs`, with the original page when the format has pages; `user` must be allowed to
    read the document's knowledge base (else the reason is shown instead)."""
    try:
        doc = backend.document(vs["doc"], vs.get("kb") or None, user)
    except PolicyQAError as exc:
        return f'<div class="pq-viewer-empty">{render.esc(exc.reason)}</div>'
    same = vs["pid"] == vs["cite_pid"]
    target = next((p for p in doc.paragraphs if p.id == vs["pid"]), None) if doc is not None else None
    image = ""
    if target is not None and target.page and doc.kind in PAGED:
        image = backend.page_image(doc.name, target.page, vs["quote"] if same and vs["quote"] else target.text,
                                   vs.get("kb") or None, user)
    return render.viewer_html(doc, vs["pid"], before=vs["before"], after=vs["after"],
                              span=vs["span"] if same else None, quote=vs["quote"] if same else "", page_image=image)


def moved(vs: dict | None, data: dict) -> dict | None:
    """The state after a click in the viewer (an outline entry, 显示更多上文/下文); None when nothing moves."""
    if not vs:
        return None
    vs = dict(vs)
    if data.get("act") == "goto" and data.get("pid"):
        vs.update(pid=str(data["pid"]), before=3, after=6)
    elif data.get("act") == "more":
        key = "before" if data.get("dir") == "before" else "after"
        vs[key] = vs[key] + 10
    else:
        return None
    return vs
