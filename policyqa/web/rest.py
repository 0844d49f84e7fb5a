"""REST endpoints for other office systems, beside the app on the same server (Gradio runs on FastAPI):

- `POST /api/v1/ask` — {"question", "k"?, "docs"?, "kbs"?} → the JSON answer (as `python -m policyqa ask --json`);
- `POST /v1/chat/completions` — OpenAI-compatible: the last user message is the question, earlier user messages
  the conversation; the cited answer is the assistant message, its citations beside it;
- `GET /v1/models` — `policyqa` (every knowledge base the user may read) and `policyqa/<知识库>` (that one
  alone), for OpenAI clients that choose a model rather than pass `kbs`.

Each needs `Authorization: Bearer <API key>` (`python -m policyqa user key NAME`); errors are JSON with a
Chinese reason: 401 without a valid key, 403 for a knowledge base the key's user may not read, 400 for a bad
argument, 503 while there is no index. `kbs` (knowledge base names) defaults to every one the user may read."""

from __future__ import annotations

import functools
import time
import uuid
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from policyqa.access.users import User
from policyqa.errors import AccessError, IndexUnavailable, InvalidQuestion, PolicyQAError
from policyqa.web.api import api_docs, api_k, api_kbs
from policyqa.web.backend import LOADING, Backend

MODEL_NAME = "policyqa"


class _Refused(Exception):
    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason


def _user(backend: Backend, request: Request) -> User:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    user = backend.users.user_for_key(key.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise _Refused(401, "需要有效的 API 密钥（请求头 Authorization: Bearer <密钥>）。")
    return user


async def _body(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise _Refused(400, "请求体应为 JSON。") from None
    if not isinstance(body, dict):
        raise _Refused(400, "请求体应为 JSON 对象。")
    return body


def _answer(backend: Backend, user: User, channel: str, question: Any, history: list[str] | None,
            body: dict) -> dict:
    if not backend.wait():
        raise _Refused(503, LOADING)
    try:
        return backend.ask(question, history=history, k=api_k(body.get("k")), docs=api_docs(body.get("docs")),
                           kbs=api_kbs(body.get("kbs")), user=user.name, channel=channel).to_json()
    except AccessError as exc:
        raise _Refused(403, exc.reason) from exc
    except IndexUnavailable as exc:
        raise _Refused(503, exc.reason) from exc
    except PolicyQAError as exc:
        raise _Refused(400, exc.reason) from exc


def _messages(body: dict) -> tuple[str, list[str]]:
    """(the question, the earlier user questions) of an OpenAI `messages` list."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidQuestion("messages 应为非空的消息列表。")
    asked = []
    for m in messages:
        if not isinstance(m, dict) or not isinstance(m.get("content", ""), (str, list)):
            raise InvalidQuestion("messages 中的每条消息应为含 role 和 content 的对象。")
        if m.get("role") == "user":
            content = m["content"]
            if isinstance(content, list):  # content parts: the text ones
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
            asked.append(content)
    if not asked:
        raise InvalidQuestion("messages 中没有用户提出的问题。")
    return asked[-1], asked[:-1]


def _refusals(endpoint):
    """The endpoint with a `_Refused` turned into its JSON error (exception handlers cannot be added to an app
    that is already serving)."""

    @functools.wraps(endpoint)
    async def wrapped(request: Request):
        try:
            return await endpoint(request)
        except _Refused as exc:
            return JSONResponse({"error": {"message": exc.reason, "code": exc.status}}, status_code=exc.status)

    return wrapped


def rest_router(backend: Backend) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/ask")
    @_refusals
    async def ask(request: Request):
        user = _user(backend, request)
        body = await _body(request)
        return await run_in_threadpool(_answer, backend, user, "api", body.get("question"), None, body)

    @router.post("/v1/chat/completions")
    @_refusals
    async def chat_completions(request: Request):
        user = _user(backend, request)
        body = await _body(request)
        if body.get("stream"):
            raise _Refused(400, "暂不支持流式输出（stream），请去掉该参数。")
        try:
            question, history = _messages(body)
        except InvalidQuestion as exc:
            raise _Refused(400, exc.reason) from exc
        model = body.get("model")
        if isinstance(model, str) and model.startswith(MODEL_NAME + "/") and not body.get("kbs"):
            body = {**body, "kbs": [model.removeprefix(MODEL_NAME + "/")]}
        answer = await run_in_threadpool(_answer, backend, user, "openai", question, history, body)
        message = {"role": "assistant", "content": answer["answer"], "citations": answer["citations"]}
        return {"id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()),
                "model": MODEL_NAME, "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": answer["citations"], "refused": answer["refused"]}

    @router.get("/v1/models")
    @_refusals
    async def models(request: Request):
        user = _user(backend, request)
        names = [MODEL_NAME] + [f"{MODEL_NAME}/{kb.name}" for kb in backend.readable(user.name)]
        return {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "policyqa"}
                                           for name in names]}

    return router


def mount_rest(app: FastAPI, backend: Backend) -> None:
    """Add the endpoints to the app Gradio serves (routes are looked up per request, so after launch is fine)."""
    app.include_router(rest_router(backend))
