"""The `/ask` API endpoint (gradio_client, or the page's API link), and the checks on its arguments: an API
caller can send any JSON, so each argument gets a Chinese reason when it is not what the endpoint takes."""

from __future__ import annotations

import math
from typing import Any

import gradio as gr

from policyqa.errors import InvalidQuestion, PolicyQAError
from policyqa.web.backend import LOADING, Backend

K_MIN, K_MAX = 1, 50  # as the 设置 slider allows


def api_k(k: Any) -> int | None:
    """The number of passages: None (the default) or a whole number in [K_MIN, K_MAX]."""
    if k is None or k == "":
        return None
    bad = InvalidQuestion(f"参数 k 应为 {K_MIN} 到 {K_MAX} 之间的整数。")
    if isinstance(k, bool):
        raise bad
    if isinstance(k, str):
        try:
            k = float(k.strip())
        except ValueError:
            raise bad from None
    if not isinstance(k, (int, float)) or not math.isfinite(k) or k != int(k) or not K_MIN <= k <= K_MAX:
        raise bad
    return int(k)


def api_docs(docs: Any) -> list[str] | None:
    """The documents to search: None (all), or a list of document names (one name alone is taken as a list)."""
    return _names(docs, "参数 docs 应为文档文件名的列表。")


def api_kbs(kbs: Any) -> list[str] | None:
    """The knowledge bases to search: None (all the caller may read), or a list of names or ids."""
    return _names(kbs, "参数 kbs 应为知识库名称的列表。")


def _names(value: Any, reason: str) -> list[str] | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise InvalidQuestion(reason)
    return list(value)


def add_ask_api(backend: Backend) -> None:
    """Add `/ask`; call outside ``gr.Tabs()``, whose children must all be tabs."""

    def ask(question: str, k: int | None = None, docs: list[str] | None = None, kbs: list[str] | None = None,
            request: gr.Request = None) -> dict:
        """Answer a question; returns the JSON of `python -m policyqa ask --json` (answer, refused,
        citations with clause / paragraph_id / quote / kb, contexts, timings_ms). k: 1–50 passages; docs: document
        file names to search (all when empty); kbs: knowledge bases to search (all you may read when empty)."""
        if not backend.wait():
            raise _error(LOADING)
        try:
            ans = backend.ask(question, k=api_k(k), docs=api_docs(docs), kbs=api_kbs(kbs),
                              user=getattr(request, "username", None) or "", channel="api")
        except PolicyQAError as exc:
            raise _error(exc.reason) from exc
        return ans.to_json()

    gr.api(ask, api_name="ask", concurrency_limit=4)


def _error(reason: str) -> gr.Error:
    # plain text, not a toast: an API caller reads the message as it stands
    return gr.Error(reason, title="错误", print_exception=False)
