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
    from policyqa.model import load_embedder, prepare_model

    prepare_model(config)  # idempotent; `make test` has normally done it already
    return load_embedder(config)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, config, embedder):
    """The five seeds ingested once into a temporary index; returns the config that points at it."""
    from policyqa.ingestion import ingest

    cfg = config.replace(index_dir=tmp_path_factory.mktemp("seed-index"))
    report = ingest([SEEDS], cfg, embedder=embedder, show_progress=False)
    assert report.documents == 5, report.table()
    return cfg


@pytest.fixture(scope="session")
def assistant(seed_index, embedder):
    from policyqa.qa import Assistant

    return Assistant.open(seed_index, embedder=embedder)
