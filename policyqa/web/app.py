"""The web app: the page composed of its tabs, the launch settings, and serving it."""

from __future__ import annotations

import hmac
from typing import Any, Callable

import gradio as gr
from starlette.middleware import Middleware

from policyqa.access.users import UserStore, parse_auth
from policyqa.config import Config
from policyqa.web.admin_tab import build_admin_tab, show_to
from policyqa.web.assets import CSS, PAGE_JS, theme
from policyqa.web.api import add_ask_api
from policyqa.web.backend import Backend
from policyqa.web.chat import build_chat_tab
from policyqa.web.eval_tab import build_eval_tab
from policyqa.web.feedback_tab import build_feedback_tab
from policyqa.web.history import build_history
from policyqa.web.hit_test import build_hit_test_tab
from policyqa.web.library import ChatLink, build_library_tab, refresh
from policyqa.web.rest import mount_rest
from policyqa.web.throttle import ThrottleLogins

TITLE = "# 政策问答\n离线政策文件问答：回答均附条款出处，点击 [1]、[2] 查看依据原文。"


def build_app(backend: Backend) -> gr.Blocks:
    """The page: 问答, 文档库, 检索测试, 评测, 反馈 and (for admins) 管理 tabs and the `/ask` API over one `backend`;
    the library's changes refresh the chat."""
    # Gradio serves downloads (exports) from copies in its cache: removed after an hour, as ours are
    with gr.Blocks(title="政策问答", analytics_enabled=False, delete_cache=(1800, 3600)) as demo:
        gr.Markdown(TITLE, elem_id="pq-title")
        with gr.Tabs():
            chat = build_chat_tab(backend)
            library = build_library_tab(backend, ChatLink(chat.kbs, chat.scope, chat.conv_state, chat.chat_html, chat.filters,
                                                                chat.example_btns))
            hits = build_hit_test_tab(backend)
            evaluation = build_eval_tab(backend)
            build_feedback_tab(backend)
            admin = build_admin_tab(backend)
        history = build_history(backend, chat)
        add_ask_api(backend)

        def on_load(conv, request: gr.Request):
            backend.wait()  # the page is served at once; the document list fills in once loading is done
            # the conversation is redrawn only to show why there is no answer: a question asked while the page
            # was loading must not be wiped by the conversation as it was when loading began
            return refresh(backend, library, request.username or None, conv=conv, chat=bool(backend.banner()))

        def show_admin(request: gr.Request):
            choices = [(kb.name, kb.id) for kb in backend.readable(request.username or None)]
            first = choices[0][1] if choices else None
            kb_choices = {dd: gr.update(choices=choices, value=first) for dd in (hits.kb, evaluation.kb)}
            return {**show_to(backend, admin, request), **kb_choices}

        demo.load(show_admin, outputs=[admin.notice, admin.body, hits.kb, evaluation.kb], api_visibility="private",
                  show_progress="hidden")
        # the history first: it may reopen a conversation, which the library's refresh then renders
        demo.load(**history.on_load).then(on_load, inputs=[chat.conv_state], outputs=library.outputs,
                                          api_visibility="private", concurrency_limit=None, show_progress="hidden")
    return demo


def launch_kwargs(cfg: Config) -> dict:
    """Arguments for `demo.launch`: local binding, no share link, optional login, upload size limit, style."""
    auth = login_check(cfg)
    return dict(server_name=cfg.host, server_port=cfg.port, share=False, auth=auth,
                auth_message="政策问答系统：请输入用户名和密码" if auth else None,
                max_file_size=f"{cfg.max_upload_mb}mb", css=CSS, js=PAGE_JS, theme=theme(), footer_links=["api"],
                show_error=False,
                # FastAPI's own /openapi.json needs no login (Gradio's /gradio_api/openapi.json does)
                app_kwargs={"openapi_url": None, "middleware": [Middleware(ThrottleLogins)]})


def login_check(cfg: Config) -> Callable[[str, str], bool] | None:
    """The login Gradio asks for: the shared logins of POLICYQA_AUTH, and the accounts in the data directory
    (`python -m policyqa user add`); None (no login) when there are neither."""
    shared = parse_auth(cfg.auth)
    users = UserStore(cfg.users_db)
    if not shared and not len(users):
        return None

    def check(name: str, password: str) -> bool:
        if any(hmac.compare_digest(name.encode(), u.encode()) and hmac.compare_digest(password.encode(), p.encode())
               for u, p in shared):
            return True
        return users.verify(name, password) is not None

    return check


def start(demo: gr.Blocks, backend: Backend, cfg: Config, **overrides: Any) -> str:
    """Launch `demo` without blocking and add the REST endpoints beside it; returns the local URL."""
    _, url, _ = demo.launch(prevent_thread_lock=True, **{**launch_kwargs(cfg), **overrides})
    mount_rest(demo.app, backend)
    return url


def serve(cfg: Config) -> None:
    """Serve the app until stopped. The model and the index load in a background thread (never at import),
    so the page is served at once; a question asked before loading finishes waits."""
    login_check(cfg)  # a bad POLICYQA_AUTH fails here, before anything loads
    backend = Backend(cfg).start(background=True)
    demo = build_app(backend)
    demo.queue(default_concurrency_limit=2)
    start(demo, backend, cfg)
    demo.block_thread()
