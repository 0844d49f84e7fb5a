"""Toasts with Chinese titles (Gradio titles them Warning / Info / Error)."""

from __future__ import annotations

import gradio as gr


def info(message: str) -> None:
    gr.Info(message, title="提示")


def warn(message: str) -> None:
    gr.Warning(message, title="注意")


def error(message: str) -> gr.Error:
    """An error to raise: shown as a toast titled 错误, without the traceback in the page."""
    return gr.Error(message, title="错误", print_exception=False)
