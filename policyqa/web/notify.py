"""Toasts with Chinese titles (Gradio titles them Warning / Info / Error). Gradio renders a toast's message as
HTML, and messages carry file names and other user text: each is escaped here, so it shows as text."""

from __future__ import annotations

from html import escape

import gradio as gr


def info(message: str) -> None:
    gr.Info(escape(message), title="提示")


def warn(message: str) -> None:
    gr.Warning(escape(message), title="注意")


def error(message: str) -> gr.Error:
    """An error to raise: shown as a toast titled 错误, without the traceback in the page."""
    return gr.Error(escape(message), title="错误", print_exception=False)
