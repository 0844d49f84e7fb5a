"""The sidebar: the owner's past conversations (reopen, delete), who is logged in, and 退出登录.

The owner of a conversation is the logged-in user; without a login it is an id this browser keeps (so each
browser sees its own conversations, and they survive a reload). The browser also remembers the conversation it
showed last, which a reload reopens."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from policyqa.web import notify
from policyqa.web.backend import Backend
from policyqa.web.chat import CHAT_OUTPUTS, ChatTab, shown

PRIVATE = dict(api_visibility="private", show_progress="hidden")


@dataclass
class History:
    browser: gr.BrowserState  # {"anon": this browser's owner id, "last": the conversation shown last}
    conv_list: gr.Radio
    delete_btn: gr.Button
    user_md: gr.Markdown
    logout_btn: gr.Button
    on_load: dict = field(default_factory=dict)  # the page-load event's arguments (app.py runs it)

    @property
    def outputs(self) -> list:
        return [self.browser, self.conv_list, self.user_md, self.logout_btn]


def _secret(index_dir: Path) -> str:
    """The key that encrypts what the browser keeps: stable across restarts, so a browser keeps its id."""
    path = Path(index_dir) / "browser.secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), "ascii")
        path.chmod(0o600)
    return path.read_text("ascii").strip()


def build_history(backend: Backend, chat: ChatTab) -> History:
    """The sidebar (call inside the Blocks, outside the tabs); `load` must run on page load (app.py)."""
    with gr.Sidebar(label="对话记录", open=False, elem_id="pq-sidebar"):
        user_md = gr.Markdown("", elem_id="pq-user")
        conv_list = gr.Radio(choices=[], value=None, label="对话记录", info="点击一条对话重新打开。",
                             elem_id="pq-history")
        delete_btn = gr.Button("删除所选对话", size="sm", variant="stop", elem_id="pq-history-delete")
        logout_btn = gr.Button("退出登录", link="/logout", size="sm", visible=False, elem_id="pq-logout")
    browser = gr.BrowserState({"anon": "", "last": ""}, storage_key="policyqa", secret=_secret(backend.cfg.index_dir))
    ui = History(browser=browser, conv_list=conv_list, delete_btn=delete_btn, user_md=user_md, logout_btn=logout_btn)
    ui.on_load = _wire(ui, chat, backend)
    return ui


def _owner(request: gr.Request | None, browser: dict) -> str:
    user = getattr(request, "username", None)
    return f"user:{user}" if user else f"browser:{browser.get('anon', '')}"


def _choices(backend: Backend, owner: str) -> list[tuple[str, str]]:
    return [(f"{c['title']}（{c['updated_at'][5:16]}，{c['n_turns']}问）", c["id"])
            for c in backend.conversations.list(owner)]


def _with_feedback(backend: Backend, conversation: str, turns: list[dict]) -> list[dict]:
    """The turns with the ratings and comments stored since (the feedback table is their record)."""
    for i, t in enumerate(turns):
        row = backend.feedback.get(conversation, i)
        if row:
            t["feedback"] = {"rating": row["rating"], "comment": row["comment"]}
    return turns


def _wire(ui: History, chat: ChatTab, backend: Backend) -> dict:
    chat_outputs = [getattr(chat, name) for name in CHAT_OUTPUTS]

    def load(browser, request: gr.Request):
        browser = dict(browser or {})
        browser["anon"] = browser.get("anon") or uuid.uuid4().hex
        owner = _owner(request, browser)
        user = getattr(request, "username", None)
        out = {ui.browser: browser, ui.conv_list: gr.update(choices=_choices(backend, owner), value=None),
               ui.user_md: f"当前用户：**{user}**" if user else "未登录：对话记录保存在本浏览器名下。",
               ui.logout_btn: gr.update(visible=bool(user))}
        turns = backend.conversations.get(owner, browser.get("last", "")) if browser.get("last") else None
        if turns:  # a reload reopens the conversation shown last
            out.update(shown(chat, backend, {"id": browser["last"], "turns": _with_feedback(backend, browser["last"],
                                                                                               turns)}))
            out[ui.conv_list] = gr.update(choices=_choices(backend, owner), value=browser["last"])
        return out

    def saved(conv, browser, request: gr.Request):
        if not conv or not conv.get("turns"):
            return {ui.browser: gr.update()}
        owner = _owner(request, browser or {})
        backend.conversations.save(owner, conv["id"], conv["turns"])
        return {ui.browser: {**(browser or {}), "last": conv["id"]},
                ui.conv_list: gr.update(choices=_choices(backend, owner), value=conv["id"])}

    def reopen(conversation, browser, request: gr.Request):
        owner = _owner(request, browser or {})
        turns = backend.conversations.get(owner, conversation) if conversation else None
        if turns is None:
            return {ui.browser: gr.update()}
        conv = {"id": conversation, "turns": _with_feedback(backend, conversation, turns)}
        return {**shown(chat, backend, conv), ui.browser: {**(browser or {}), "last": conversation}}

    def delete(conversation, conv, browser, request: gr.Request):
        owner = _owner(request, browser or {})
        if not conversation:
            notify.warn("请先在列表中选择要删除的对话。")
            return {ui.browser: gr.update()}
        backend.conversations.delete(owner, conversation)
        notify.info("对话已删除。")
        out = {ui.conv_list: gr.update(choices=_choices(backend, owner), value=None)}
        if conv and conv.get("id") == conversation:  # the one on screen: start afresh
            out.update(shown(chat, backend, {"id": uuid.uuid4().hex[:12], "turns": []}))
            out[ui.browser] = {**(browser or {}), "last": ""}
        return out

    # every finished answer (and 新对话) changes the conversation: keep it
    chat.conv_state.change(saved, inputs=[chat.conv_state, ui.browser], outputs=[ui.browser, ui.conv_list], **PRIVATE)
    ui.conv_list.input(reopen, inputs=[ui.conv_list, ui.browser], outputs=[ui.browser, *chat_outputs], **PRIVATE)
    ui.delete_btn.click(delete, inputs=[ui.conv_list, chat.conv_state, ui.browser],
                        outputs=[ui.browser, ui.conv_list, *chat_outputs], **PRIVATE)
    return dict(fn=load, inputs=[ui.browser], outputs=ui.outputs + chat_outputs, **PRIVATE)
