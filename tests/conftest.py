"""Shared fixtures: one session-scoped model load, the seed corpus, and a built seed index."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyqa.config import Config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.load()


@pytest.fixture(scope="session")
def embedder(config):
    from policyqa.embedding.convert import prepare_model
    from policyqa.embedding.embedder import load_embedder

    prepare_model(config)  # idempotent; `make test` has normally done it already
    return load_embedder(config)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, config, embedder):
    """The five seeds ingested once into a temporary index; returns the config that points at it."""
    from policyqa.ingest.pipeline import ingest

    cfg = config.replace(index_dir=tmp_path_factory.mktemp("seed-index"))
    report = ingest([SEEDS], cfg, embedder=embedder, show_progress=False)
    assert report.documents == 5, report.table()
    return cfg


@pytest.fixture(scope="session")
def assistant(seed_index, embedder):
    from policyqa.assistant import Assistant

    return Assistant.open(seed_index, embedder=embedder)


# --- the web app (tests/web/) ----------------------------------------------


@pytest.fixture(scope="session")
def free_port():
    """A function returning a free local port (for another app server)."""
    return _free_port


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, seed_index, embedder):
    """The real web app, launched in-process on a free local port over its own copy of the seed index
    (uploads in the tests change it); yields an object with url, cfg and backend."""
    import shutil
    from types import SimpleNamespace

    from policyqa.web import app as ui

    tmp = tmp_path_factory.mktemp("app")
    shutil.copytree(seed_index.index_dir, tmp / "index", symlinks=True)
    cfg = seed_index.replace(index_dir=tmp / "index", host="127.0.0.1",
                             port=_free_port(), auth="")
    backend = ui.Backend(cfg, embedder=embedder).start(background=False)
    assert backend.assistant is not None, backend.error
    demo = ui.build_app(backend)
    demo.queue(default_concurrency_limit=2)
    url = ui.start(demo, backend, cfg, quiet=True)
    try:
        yield SimpleNamespace(url=url, cfg=cfg, backend=backend, demo=demo)
    finally:
        demo.close()


# --- a loopback OpenAI-compatible chat server (the LLM answer mode) --------------------------------


@pytest.fixture()
def fake_llm():
    """An OpenAI chat-completions endpoint on loopback: set `.reply = fn(messages) -> str`; `.requests` holds
    the request bodies; `.base_url` is what `llm_base_url` takes."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from types import SimpleNamespace

    llm = SimpleNamespace(reply=None, requests=[], base_url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            llm.requests.append(body)
            data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                               "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant",
                                                        "content": llm.reply(body["messages"])}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    llm.base_url = f"http://127.0.0.1:{server.server_port}/v1"
    yield llm
    server.shutdown()
