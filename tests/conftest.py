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
