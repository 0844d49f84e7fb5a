"""Writing an index: a build directory filled aside (SQLite corpus, FAISS, vectors, BM25, manifest last), then
published by one atomic symlink swap."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Callable

import numpy as np

from policyqa.config import FaissIndex
from policyqa.store.index import BUILDS, CURRENT, FORMAT_VERSION, IndexedDoc, current_build
from policyqa.store.lexical import BM25Index

SCHEMA = """
CREATE TABLE documents (name TEXT PRIMARY KEY, title TEXT, hash TEXT, kind TEXT, issuer TEXT, date TEXT,
    status TEXT, source TEXT, path TEXT, ingested_at TEXT, text TEXT, articles INTEGER, pages INTEGER,
    ocr_pages INTEGER, tables INTEGER, number TEXT, doctype TEXT, period TEXT);
CREATE TABLE paragraphs (id TEXT PRIMARY KEY, doc TEXT, idx INTEGER, clause TEXT, text TEXT, start INTEGER,
    "end" INTEGER, line_start INTEGER, line_end INTEGER, heading INTEGER, page INTEGER, instructions TEXT);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, id TEXT, doc TEXT, paragraph_ids TEXT, clause TEXT, text TEXT,
    embed_text TEXT, spans TEXT);
CREATE TABLE sentences (row INTEGER PRIMARY KEY, paragraph_id TEXT, start INTEGER, "end" INTEGER);
CREATE INDEX paragraphs_doc ON paragraphs (doc, idx);
CREATE INDEX sentences_paragraph ON sentences (paragraph_id);
CREATE INDEX chunks_doc ON chunks (doc);
"""


def build_dir_for(index_dir: Path) -> Path:
    """A fresh directory to build into; it only becomes visible through `publish`."""
    path = Path(index_dir) / BUILDS / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.partial"
    path.mkdir(parents=True)
    return path


def write_index(build_dir: Path, docs: list[IndexedDoc], manifest: dict, faiss_type: FaissIndex, hnsw_m: int,
                tokenize: Callable[[str], list[str]]) -> None:
    """Write every part of an index into `build_dir` (not yet published)."""
    import faiss

    dim = int(manifest["dim"])
    db = sqlite3.connect(build_dir / "corpus.sqlite")
    db.executescript(SCHEMA)
    row = srow = 0
    vectors, tokens, sentence_vectors, sentence_chunks = [], [], [], []
    for item in docs:
        d = item.doc
        db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (d.name, d.title, d.hash, d.kind, d.issuer, d.date, d.status, d.source, item.path,
                    item.ingested_at, d.text, d.articles, d.pages, d.ocr_pages, d.tables, d.number, d.doctype,
                    d.period))
        db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
            (p.id, p.doc, p.index, json.dumps(p.clause, ensure_ascii=False), p.text, p.start, p.end,
             p.line_start, p.line_end, int(p.heading), p.page,
             json.dumps(p.instruction_spans) if p.instruction_spans else None) for p in d.paragraphs])
        sentence_chunks += _sentence_chunks(item, row)
        for c in item.chunks:
            db.execute("INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?)",
                       (row, c.id, c.doc, json.dumps(c.paragraph_ids), json.dumps(c.clause, ensure_ascii=False),
                        c.text, c.embed_text, json.dumps(c.spans)))
            tokens.append(tokenize(c.embed_text))
            row += 1
        vectors.append(np.asarray(item.vectors, dtype=np.float32).reshape(-1, dim))
        db.executemany('INSERT INTO sentences VALUES (?,?,?,?)',
                       [(srow + i, pid, s, e) for i, (pid, s, e) in enumerate(item.sentences)])
        srow += len(item.sentences)
        if item.sentences:
            sentence_vectors.append(np.asarray(item.sentence_vectors, dtype=np.float32).reshape(-1, dim))
    db.commit()
    db.close()
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, dim), np.float32)
    np.save(build_dir / "vectors.npy", matrix)
    np.save(build_dir / "sentence_vectors.npy",
            np.concatenate(sentence_vectors) if sentence_vectors else np.zeros((0, dim), np.float32))
    np.save(build_dir / "sentence_chunks.npy", np.asarray(sentence_chunks, dtype=np.int64))
    if faiss_type is FaissIndex.HNSW:
        dense = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
    else:
        dense = faiss.IndexFlatIP(dim)
    dense.add(matrix)
    faiss.write_index(dense, str(build_dir / "dense.faiss"))
    BM25Index.build(tokens).save(build_dir / "bm25")
    manifest = dict(manifest, format_version=FORMAT_VERSION, faiss_index=str(faiss_type), chunks=row,
                    created_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    # the manifest is written last: a build without one is incomplete
    (build_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")


def _sentence_chunks(item: IndexedDoc, first_row: int) -> list[int]:
    """The chunk row holding each sentence of `item` (the one overlapping it most when a long paragraph was
    split into several chunks), so a sentence's score can lift its chunk."""
    starts = {p.id: p.start for p in item.doc.paragraphs}
    parts: dict[str, list[tuple[int, int, int]]] = {}
    for offset, c in enumerate(item.chunks):
        for pid, (s, e) in zip(c.paragraph_ids, c.spans):
            parts.setdefault(pid, []).append((s, e, first_row + offset))
    out = []
    for pid, s, e in item.sentences:
        s, e = s + starts.get(pid, 0), e + starts.get(pid, 0)
        out.append(max(parts.get(pid, [(0, 0, -1)]), key=lambda part: min(e, part[1]) - max(s, part[0]))[2])
    return out


def publish(index_dir: Path, build_dir: Path) -> Path:
    """Make `build_dir` the current index with one atomic rename, then drop older builds."""
    index_dir = Path(index_dir)
    final = build_dir.with_name(build_dir.name.removesuffix(".partial"))
    build_dir.rename(final)
    tmp_link = index_dir / f".{CURRENT}-{uuid.uuid4().hex[:6]}"
    os.symlink(Path(BUILDS) / final.name, tmp_link)
    os.replace(tmp_link, index_dir / CURRENT)
    prune(index_dir)
    return final


def prune(index_dir: Path) -> None:
    """Remove every build but the current one. Callers hold the ingest lock, so a partial build left
    here belongs to an ingest that died."""
    index_dir = Path(index_dir)
    # a temporary link left by a publish that died before its rename
    for stale in index_dir.glob(f".{CURRENT}-*"):
        if stale.is_symlink():
            stale.unlink(missing_ok=True)
    current = current_build(index_dir)
    builds = index_dir / BUILDS
    if not builds.is_dir():
        return
    for path in builds.iterdir():
        if current is not None and path.resolve() == current.resolve():
            continue
        shutil.rmtree(path, ignore_errors=True)
