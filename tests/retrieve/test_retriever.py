"""Retrieval on the real seed index: the best sentence lifts its chunk, and the LangChain recipe baseline."""

from __future__ import annotations

import numpy as np
import pytest

from policyqa.evaluation.recipe import LangChainRecipe
from policyqa.retrieve.retriever import RetrievalMode, Retriever
from policyqa.store.index import Index
from policyqa.text import normalize


@pytest.fixture(scope="module")
def index(seed_index):
    idx = Index.load(seed_index.index_dir)
    yield idx
    idx.close()


def test_every_sentence_lifts_the_chunk_that_holds_it(index, embedder):
    q = embedder.encode_queries(["湛江港的货物吞吐量是多少？"])[0]
    best = index.sentence_scores(q)
    assert best.shape == (index.size,) and np.isfinite(best).mean() > 0.9
    for row in range(0, index.size, 17):
        chunk = index.chunk(row)
        sents = index.sentences(list(chunk.paragraph_ids))
        # the chunk's score is its best sentence's cosine, and that sentence's text lies in the chunk
        inside = [(pid, s, e, v) for pid, s, e, v in sents
                  if normalize(index.paragraph(pid).text[s:e]) in normalize(chunk.text)]
        if inside and np.isfinite(best[row]):
            assert best[row] == pytest.approx(max(float(v @ q) for *_, v in inside), abs=1e-4)


def test_sentence_weight_mixes_the_best_sentence_into_dense_scores(seed_index, index, embedder):
    question = "两个城市加起来一共有多少常住人口？"
    plain = Retriever(index, embedder, seed_index.replace(sentence_weight=0.0))
    lifted = Retriever(index, embedder, seed_index.replace(sentence_weight=1.0))
    a = plain.search(question, mode=RetrievalMode.DENSE)
    b = lifted.search(question, mode=RetrievalMode.DENSE)
    assert [h.row for h in a.hits] != [h.row for h in b.hits] or a.hits[0].dense != b.hits[0].dense
    q = embedder.encode_queries([question])[0]
    # with full weight the dense score is the best sentence's cosine
    assert b.hits[0].dense == pytest.approx(float(index.sentence_scores(q)[b.hits[0].row]), abs=1e-4)
    assert all(h.dense == pytest.approx(float(index.sentence_scores(q)[h.row]), abs=1e-4) for h in b.hits
               if np.isfinite(index.sentence_scores(q)[h.row]))
    # the default mix finds the paraphrased fact
    found = Retriever(index, embedder, seed_index).search(question)
    assert "1327" in "".join(h.chunk.text for h in found.hits[:5])


def test_langchain_recipe_retrieves_1000_character_chunks(index, embedder):
    recipe = LangChainRecipe(index, embedder, show_progress=False)
    assert recipe.chunks and max(len(t) for _, t in recipe.chunks) <= 1000
    ctx = recipe.contexts("湛茂都市圈的常住人口是多少？", k=10)
    assert [c["rank"] for c in ctx] == list(range(1, 11))
    assert all(c["doc"] in index.titles() for c in ctx)
    assert ctx[0]["score"] >= ctx[-1]["score"]
