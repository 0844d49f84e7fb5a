"""An assistant over a few small documents a test module writes (its own fixtures, not the seeds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def small_assistant(tmp_path_factory, config, embedder):
    """`small_assistant({"plan.txt": PLAN, …})`: those documents ingested into a fresh index, and its assistant."""
    from policyqa.assistant import Assistant
    from policyqa.ingest.pipeline import ingest

    def build(documents: dict[str, str]) -> Assistant:
        docs = tmp_path_factory.mktemp("docs")
        for name, text in documents.items():
            (docs / name).write_text(text, "utf-8")
        cfg = config.replace(index_dir=tmp_path_factory.mktemp("index"))
        report = ingest([docs], cfg, embedder=embedder, show_progress=False)
        assert report.documents == len(documents), report.table()
        return Assistant.open(cfg, embedder=embedder)

    return build


@pytest.fixture(scope="session")
def answered():
    """`answered(assistant, question)`: the answer's text, marks removed and normalised, after checking it is no
    refusal."""
    from policyqa.text import normalize, strip_marks

    def read(assistant, question: str) -> str:
        ans = assistant.ask(question)
        assert not ans.refused, ans.answer
        return normalize(strip_marks(ans.answer))

    return read
