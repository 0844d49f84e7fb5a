"""Offline re-ranking experiments over one built index (issue 11): every question is scored once against every
chunk (chunk cosine, best-sentence cosine, lay-expanded BM25, evidence labels), the pipeline's fusion is replayed
with `policyqa.retrieve.fusion`, and variants are measured per half (even / odd question numbers: fit on even,
check on odd) without re-embedding the corpus.

    POLICYQA_INDEX_DIR=/tmp/stard_idx .venv/bin/python bench/rerank_offline.py QUESTIONS.jsonl [--windows]

`--windows` also embeds every chunk with its neighbours up to ~1000 characters after its law's title (the
LangChain recipe's view; ~18 min for stard_dev's 7,206 chunks on 2 cores) and adds it as a third fused source.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.config import Config  # noqa: E402
from policyqa.embedding.embedder import load_embedder  # noqa: E402
from policyqa.evaluation.metrics import evidence_match  # noqa: E402
from policyqa.evaluation.questions import load_questions  # noqa: E402
from policyqa.retrieve import fusion  # noqa: E402
from policyqa.retrieve.retriever import Retriever  # noqa: E402
from policyqa.store.index import Index  # noqa: E402

ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇\d]+条")


class Bench:
    def __init__(self, index: Index, retriever: Retriever, questions, cfg: Config):
        self.cfg = cfg
        self.n = index.size
        self.vectors = index._dense.reconstruct_n(0, self.n)
        self.chunks = [index.chunk(r) for r in range(self.n)]
        names = sorted({c.doc for c in self.chunks})
        self.docs = np.array([names.index(c.doc) for c in self.chunks])
        titles = index.titles()
        self.titles = [titles.get(d, d) for d in names]
        self.title_vectors = retriever.embedder.encode_queries(self.titles)
        # the article a chunk belongs to (its items and parts share it); other units stand alone
        self.articles = np.array([next((c.doc + "|" + p for p in c.clause if ARTICLE.match(p)), c.id)
                                  for c in self.chunks])
        self.questions = [q for q in questions if q.answerable and q.evidence]
        self.even = np.array([int(re.search(r"(\d+)\D*$", q.id).group(1)) % 2 == 0 for q in self.questions])
        self.qvecs = retriever.embedder.encode_queries([q.question for q in self.questions])
        self.cos = self.qvecs @ self.vectors.T
        self.sent, self.bm25, self.coverage, self.labels = [], [], [], []
        for q, v in zip(self.questions, self.qvecs):
            terms = retriever.tokenizer(q.question)
            bm = index.bm25.scores(retriever.lay_terms.expand(q.question, terms, retriever.tokenizer))
            self.bm25.append(np.asarray(bm, np.float32))
            self.coverage.append(index.bm25.coverage(terms, int(np.argsort(-bm, kind="stable")[0])))
            self.sent.append(index.sentence_scores(v))
            self.labels.append(np.array([any(evidence_match(c.text, c.doc, e) > 0 for e in q.evidence)
                                         for c in self.chunks]))

    def fused(self, i: int, cos=None, sent=None) -> dict[int, float]:
        """The pipeline's fused scores for question i (Retriever.search without the database reads)."""
        cfg, k = self.cfg, self.cfg.candidates
        c = self.cos[i] if cos is None else cos
        s = self.sent[i] if sent is None else sent
        union = np.union1d(np.argpartition(-c, k)[:k], np.argpartition(-s, k)[:k])
        best = np.where(np.isfinite(s[union]), s[union], c[union])
        mixed = (1 - cfg.sentence_weight) * c[union] + cfg.sentence_weight * best
        order = np.argsort(-mixed, kind="stable")[:k]
        dense = {int(r): (n + 1, float(v)) for n, (r, v) in enumerate(zip(union[order], mixed[order]))}
        bm = self.bm25[i]
        top = np.argsort(-bm, kind="stable")[:k]
        lexical = {int(r): (n + 1, float(bm[r])) for n, r in enumerate(top) if bm[r] > 0}
        dw = fusion.adaptive_dense_weight(self.coverage[i], cfg.dense_weight, cfg.lay_dense_weight,
                                          cfg.lay_coverage) if lexical else cfg.dense_weight
        return fusion.weighted(dense, lexical, dw, cfg.bm25_weight + cfg.dense_weight - dw)

    def ranked(self, scores: dict[int, float]) -> list[int]:
        order = sorted(scores, key=lambda r: -scores[r])
        return fusion.diversify(order, scores, self.docs, self.cfg.diversity)

    def rank(self, i: int, ranked: list[int]) -> int | None:
        return next((n + 1 for n, r in enumerate(ranked[:10]) if self.labels[i][r]), None)

    def report(self, name: str, ranks: list[int | None]) -> None:
        r = np.array([x or 99 for x in ranks])
        parts = [f"{h} {np.mean(r[m] <= 1):.3f}/{np.mean(r[m] <= 5):.3f}/{np.mean(r[m] <= 10):.3f}"
                 for h, m in (("even", self.even), ("odd", ~self.even), ("all", np.ones(len(r), bool)))]
        print(f"{name:<44} " + "  ".join(parts), flush=True)


def two_stage(b: Bench, i: int, beta: float, gamma: float) -> list[int]:
    """Each law scored by its best fused chunk plus the question's similarity to its title; chunks lifted by
    their law's score."""
    f = b.fused(i)
    rows = np.array(list(f))
    v = np.array([f[r] for r in rows])
    law = np.zeros(len(b.title_vectors))
    np.maximum.at(law, b.docs[rows], v)
    t = b.title_vectors @ b.qvecs[i]
    law = law / law.max() + gamma * (t - t.min()) / (np.ptp(t) or 1)
    return b.ranked(dict(zip(rows.tolist(), (v + beta * law[b.docs[rows]]).tolist())))


def distinct_articles(b: Bench, ranked: list[int], top: int = 5) -> list[int]:
    seen, head, rest = set(), [], []
    for r in ranked:
        (head if len(head) < top and b.articles[r] not in seen else rest).append(r)
        seen.add(b.articles[r])
    return head + rest


def logreg(b: Bench) -> None:
    """Pointwise logistic regression over the candidates' features, fitted on one half, applied to both."""
    from sklearn.linear_model import LogisticRegression

    titles = b.qvecs @ b.title_vectors.T

    def features(i):
        f = b.fused(i)
        rows = np.array(sorted(f))
        fu = np.array([f[r] for r in rows])
        c = b.cos[i][rows]
        s = np.where(np.isfinite(b.sent[i][rows]), b.sent[i][rows], c)
        bm = b.bm25[i][rows]
        d = b.docs[rows]
        law = np.zeros(len(b.title_vectors))
        np.maximum.at(law, d, fu)
        law_rank = np.empty(len(law))
        law_rank[np.argsort(-law)] = np.arange(len(law))
        mm = lambda x: (x - x.min()) / (np.ptp(x) or 1)  # noqa: E731
        lay = float(b.coverage[i] < b.cfg.lay_coverage)
        x = np.column_stack([mm(c), mm(s), bm / (bm.max() or 1), fu / fu.max(), law[d] / fu.max(),
                             1 / (1 + law_rank[d]), mm(titles[i][d]), lay * mm(c), lay * mm(s), c, s])
        return rows, x, b.labels[i][rows]

    data = [features(i) for i in range(len(b.questions))]
    for fit_on, mask in (("even", b.even), ("odd", ~b.even)):
        for reg in (0.1, 1.0):
            x = np.vstack([data[i][1] for i in np.flatnonzero(mask)])
            y = np.concatenate([data[i][2] for i in np.flatnonzero(mask)])
            model = LogisticRegression(C=reg, max_iter=2000, class_weight="balanced").fit(x, y)
            ranks = []
            for i, (rows, x, _) in enumerate(data):
                sc = model.decision_function(x)
                ranks.append(b.rank(i, b.ranked(dict(zip(rows.tolist(), (sc - sc.min()).tolist())))))
            b.report(f"logistic regression, fit on {fit_on}, C={reg}", ranks)


def lay_query(b: Bench, embedder, retriever: Retriever, index: Index) -> None:
    """A second dense query: the question with its lay phrases replaced by (or followed by) the official
    terms of lay_terms.tsv, cosines combined with the original's."""
    table = retriever.lay_terms.table
    for how in ("replace", "append"):
        texts = []
        for q in b.questions:
            t, extra = q.question, []
            for lay, officials in table.items():
                if lay in q.question:
                    t = t.replace(lay, officials[0])
                    extra += officials
            texts.append(t if how == "replace" else (q.question + "（" + "、".join(extra) + "）" if extra else t))
        vecs = embedder.encode_queries(texts)
        for comb in ("max", "mean"):
            ranks = []
            for i, v in enumerate(vecs):
                c2, s2 = b.vectors @ v, index.sentence_scores(v)
                op = np.maximum if comb == "max" else (lambda x, y: (x + y) / 2)
                ranks.append(b.rank(i, b.ranked(b.fused(i, op(b.cos[i], c2), op(b.sent[i], s2)))))
            b.report(f"lay-term second query ({how}, {comb})", ranks)


def windows(b: Bench, embedder) -> None:
    texts = [c.text for c in b.chunks]
    views = []
    for r in range(b.n):
        w, lo, hi = texts[r], r, r
        while len(w) < 900:
            grew = False
            if hi + 1 < b.n and b.docs[hi + 1] == b.docs[r]:
                hi += 1
                w, grew = w + "\n" + texts[hi], True
            if len(w) < 900 and lo > 0 and b.docs[lo - 1] == b.docs[r]:
                lo -= 1
                w, grew = texts[lo] + "\n" + w, True
            if not grew:
                break
        views.append(b.titles[b.docs[r]] + "\n" + w[:1000])
    t = time.perf_counter()
    vecs = embedder.encode_passages(views)
    print(f"windows embedded in {time.perf_counter() - t:.0f} s", flush=True)
    cw = b.qvecs @ vecs.T
    for w in (0.1, 0.2, 0.3):
        ranks = []
        for i in range(len(b.questions)):
            f = b.fused(i)
            rows = np.union1d(np.array(list(f)), np.argpartition(-cw[i], 50)[:50])
            v = cw[i][rows]
            v = (v - v.min()) / (np.ptp(v) or 1)
            ranks.append(b.rank(i, b.ranked({int(r): f.get(int(r), 0.0) + w * x for r, x in zip(rows, v)})))
        b.report(f"neighbour window as third source, w={w}", ranks)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--windows", action="store_true", help="also embed neighbour windows (slow)")
    args = ap.parse_args(argv)
    cfg = Config.load()
    index = Index.load(cfg.index_dir)
    embedder = load_embedder(cfg)
    retriever = Retriever(index, embedder, cfg)
    b = Bench(index, retriever, load_questions(args.questions).questions, cfg)
    n = len(b.questions)
    base = [b.ranked(b.fused(i)) for i in range(n)]
    b.report("pipeline (replayed)", [b.rank(i, r) for i, r in enumerate(base)])
    gold_laws = [set(b.docs[b.labels[i]]) for i in range(n)]
    b.report("oracle: gold law's chunks only", [b.rank(i, [r for r in base[i] if b.docs[r] in gold_laws[i]])
                                               for i in range(n)])
    b.report("distinct articles in the top 5", [b.rank(i, distinct_articles(b, r)) for i, r in enumerate(base)])
    for beta in (0.1, 0.4):
        for gamma in (0.0, 0.5):
            b.report(f"two-stage law prior beta={beta} title={gamma}", [b.rank(i, two_stage(b, i, beta, gamma))
                                                                       for i in range(n)])
    logreg(b)
    lay_query(b, embedder, retriever, index)
    if args.windows:
        windows(b, embedder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
