"""A published index on disk, loaded read-only for searching (`policyqa.store.build` writes it).

Layout of an index directory:
    current -> builds/<id>        symlink, replaced atomically when a build completes
    builds/<id>/manifest.json     format version, model identity, chunker settings, per-document hashes
    builds/<id>/corpus.sqlite     documents, paragraphs, chunks (row = FAISS id = BM25 doc id)
    builds/<id>/dense.faiss       passage embeddings (inner product on normalised vectors)
    builds/<id>/vectors.npy       the same vectors, reused by incremental ingests
    builds/<id>/bm25/             bm25s index over jieba tokens of the chunks' embed text
    builds/<id>/sentence_vectors.npy  one embedding per sentence (row = sentences.row): answers pick the
                                  sentence that means what the question asks, not only the one sharing its words
    builds/<id>/sentence_chunks.npy   the chunk row of each sentence: the best sentence lifts its chunk in search
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from policyqa.errors import IndexUnavailable
from policyqa.schema import Chunk, Document, Paragraph
from policyqa.store.lexical import BM25Index

log = logging.getLogger(__name__)

FORMAT_VERSION = 6  # 6: paragraphs.instructions
CURRENT = "current"
BUILDS = "builds"


@dataclass
class IndexedDoc:
    """One document as the index holds it: parsed text, its chunks and their vectors."""

    doc: Document
    chunks: list[Chunk]
    vectors: np.ndarray  # (len(chunks), dim) float32
    path: str = ""
    ingested_at: str = ""
    sentences: list[tuple[str, int, int]] = field(default_factory=list)  # (paragraph id, start, end)
    sentence_vectors: np.ndarray | None = None  # (len(sentences), dim) float32


@dataclass(frozen=True)
class DocInfo:
    name: str
    title: str
    hash: str
    path: str
    ingested_at: str
    paragraphs: int
    clauses: int
    chunks: int
    status: str = ""
    date: str = ""
    issuer: str = ""
    number: str = ""
    doctype: str = ""
    kind: str = ""
    pages: int = 0


def current_build(index_dir: Path) -> Path | None:
    link = Path(index_dir) / CURRENT
    if link.is_dir() and (link / "manifest.json").is_file():
        return link.resolve()
    return None


def read_manifest(index_dir: Path) -> dict | None:
    build = current_build(index_dir)
    if build is None:
        return None
    return json.loads((build / "manifest.json").read_text("utf-8"))


class Index:
    """A published index, loaded for searching (read-only)."""

    def __init__(self, path: Path, manifest: dict, db: sqlite3.Connection, dense, bm25: BM25Index,
                 chunk_docs: np.ndarray, sentence_vectors: np.ndarray, sentence_chunks: np.ndarray):
        self.path = path
        self.manifest = manifest
        self._db = db
        self._dense = dense
        self.bm25 = bm25
        self.chunk_docs = chunk_docs  # document name of each chunk row
        self._sentence_vectors = sentence_vectors
        self._sentence_chunks = sentence_chunks
        # one BLAS thread for the per-query products: idle OpenBLAS threads spin after a call and starve the
        # next query embedding of CPU (measured: 13 ms → 99 ms per query on 2 cores)
        self._blas = ThreadpoolController()

    @classmethod
    def load(cls, index_dir: Path, model_identity: dict | None = None, chunker: dict | None = None) -> "Index":
        import faiss

        build = current_build(index_dir)
        if build is None:
            raise IndexUnavailable(f"索引不存在或不完整（{index_dir}）。请先导入文件：python ingest.py")
        manifest = json.loads((build / "manifest.json").read_text("utf-8"))
        problems = []
        if manifest.get("format_version") != FORMAT_VERSION:
            problems.append(f"索引格式版本 {manifest.get('format_version')}，当前程序需要 {FORMAT_VERSION}")
        if model_identity is not None and manifest.get("model") != model_identity:
            problems.append("索引由另一个嵌入模型构建")
        if chunker is not None and manifest.get("chunker") != chunker:
            problems.append(f"分块设置不同（索引：{manifest.get('chunker')}，当前：{chunker}）")
        if problems:
            raise IndexUnavailable("；".join(problems) + "。请重新导入：python ingest.py --rebuild")
        db = sqlite3.connect(build / "corpus.sqlite", check_same_thread=False)
        dense = faiss.read_index(str(build / "dense.faiss"))
        bm25 = BM25Index.load(build / "bm25")
        docs = [r[0] for r in db.execute("SELECT doc FROM chunks ORDER BY row")]
        # in memory: every query scans all sentence vectors
        sentence_vectors = np.load(build / "sentence_vectors.npy")
        sentence_chunks = np.load(build / "sentence_chunks.npy")
        return cls(build, manifest, db, dense, bm25, np.array(docs, dtype=object), sentence_vectors,
                   sentence_chunks)

    def close(self) -> None:
        self._db.close()

    @property
    def size(self) -> int:
        return len(self.chunk_docs)

    # --- search -------------------------------------------------------------------------------
    def dense_search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k chunk rows by inner product, optionally among `rows` only."""
        import faiss

        q = np.asarray(query, dtype=np.float32).reshape(1, -1)
        k = min(k, self.size if rows is None else len(rows))
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        params = None
        if rows is not None:
            sel = faiss.IDSelectorBatch(np.asarray(rows, dtype=np.int64))
            params = (faiss.SearchParametersHNSW(sel=sel) if isinstance(self._dense, faiss.IndexHNSW)
                      else faiss.SearchParameters(sel=sel))
        scores, ids = self._dense.search(q, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def sentence_scores(self, query: np.ndarray) -> np.ndarray:
        """Per chunk row, its best sentence's inner product with `query` (-inf for a chunk without one)."""
        best = np.full(self.size, -np.inf, dtype=np.float32)
        if len(self._sentence_chunks):
            with self._blas.limit(limits=1, user_api="blas"):
                scores = self._sentence_vectors @ np.asarray(query, dtype=np.float32).ravel()
            owned = self._sentence_chunks >= 0
            np.maximum.at(best, self._sentence_chunks[owned], scores[owned])
        return best

    def chunk_scores(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Inner products of `query` with the vectors of chunk `rows`."""
        if not len(rows):
            return np.zeros(0, np.float32)
        vectors = self._dense.reconstruct_batch(np.asarray(rows, dtype=np.int64))
        with self._blas.limit(limits=1, user_api="blas"):
            return vectors @ np.asarray(query, dtype=np.float32).ravel()

    def rows_for_docs(self, docs: list[str] | None) -> np.ndarray | None:
        if not docs:
            return None
        return np.flatnonzero(np.isin(self.chunk_docs, list(docs)))

    # --- records ------------------------------------------------------------------------------
    def chunk(self, row: int) -> Chunk:
        r = self._db.execute("SELECT id, doc, paragraph_ids, clause, text, embed_text, spans FROM chunks "
                             "WHERE row=?", (int(row),)).fetchone()
        return Chunk(id=r[0], doc=r[1], paragraph_ids=tuple(json.loads(r[2])), clause=tuple(json.loads(r[3])),
                     text=r[4], embed_text=r[5], spans=tuple(tuple(s) for s in json.loads(r[6])))

    def chunks_of(self, doc: str) -> list[tuple[int, Chunk]]:
        rows = [r[0] for r in self._db.execute("SELECT row FROM chunks WHERE doc=? ORDER BY row", (doc,))]
        return [(row, self.chunk(row)) for row in rows]

    def paragraph(self, pid: str) -> Paragraph | None:
        r = self._db.execute(f"SELECT {_PCOLS} FROM paragraphs WHERE id=?", (pid,)).fetchone()
        return _paragraph(r) if r else None

    def paragraphs(self, doc: str) -> list[Paragraph]:
        return [_paragraph(r) for r in
                self._db.execute(f"SELECT {_PCOLS} FROM paragraphs WHERE doc=? ORDER BY idx", (doc,))]

    def titles(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT name, title FROM documents"))

    def document(self, name: str, with_paragraphs: bool = True) -> Document | None:
        r = self._db.execute("SELECT name, title, hash, kind, text, issuer, date, status, source, articles, "
                             "pages, ocr_pages, tables, number, doctype, period FROM documents WHERE name=?",
                             (name,)).fetchone()
        if r is None:
            return None
        return Document(name=r[0], title=r[1], hash=r[2], kind=r[3], text=r[4], issuer=r[5], date=r[6],
                        status=r[7], source=r[8], articles=r[9] or 0, pages=r[10] or 0,
                        ocr_pages=r[11] or 0, tables=r[12] or 0, number=r[13] or "", doctype=r[14] or "",
                        period=r[15] or "",
                        paragraphs=self.paragraphs(name) if with_paragraphs else [])

    def document_path(self, name: str) -> str:
        """Where the document was ingested from ('' when unknown)."""
        r = self._db.execute("SELECT path FROM documents WHERE name=?", (name,)).fetchone()
        return (r[0] or "") if r else ""

    def source_line(self, name: str) -> str:
        """发文机关 · 文号 · 日期 · 状态 of a document, as citations show it ('' when it declares none)."""
        r = self._db.execute("SELECT issuer, number, date, status FROM documents WHERE name=?", (name,)).fetchone()
        return " · ".join(x for x in (r or ()) if x)

    def documents(self) -> list[DocInfo]:
        out = []
        for r in self._db.execute("SELECT name, title, hash, path, ingested_at, status, date, issuer, number, "
                                  "doctype, kind, pages FROM documents ORDER BY name").fetchall():
            counts = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(heading), 0) FROM paragraphs WHERE doc=?", (r[0],)).fetchone()
            n_chunks = self._db.execute("SELECT COUNT(*) FROM chunks WHERE doc=?", (r[0],)).fetchone()[0]
            clauses = self._db.execute("SELECT COUNT(DISTINCT clause) FROM paragraphs WHERE doc=? AND heading=0",
                                       (r[0],)).fetchone()[0]
            out.append(DocInfo(name=r[0], title=r[1], hash=r[2], path=r[3], ingested_at=r[4],
                               paragraphs=counts[0] - counts[1], clauses=clauses, chunks=n_chunks,
                               status=r[5], date=r[6], issuer=r[7], number=r[8] or "", doctype=r[9] or "",
                               kind=r[10] or "", pages=r[11] or 0))
        return out

    def sentences(self, paragraph_ids: list[str]) -> list[tuple[str, int, int, np.ndarray]]:
        """(paragraph id, start, end, vector) of every embedded sentence of these paragraphs."""
        if not paragraph_ids:
            return []
        marks = ",".join("?" * len(paragraph_ids))
        rows = self._db.execute('SELECT row, paragraph_id, start, "end" FROM sentences '
                                f"WHERE paragraph_id IN ({marks})", paragraph_ids).fetchall()
        return [(pid, s, e, self._sentence_vectors[row]) for row, pid, s, e in rows]

    def indexed_doc(self, name: str) -> IndexedDoc:
        """Everything needed to carry an unchanged document into the next build without re-embedding."""
        doc = self.document(name)
        rows_chunks = self.chunks_of(name)
        vectors = np.load(self.path / "vectors.npy", mmap_mode="r")
        rows = [row for row, _ in rows_chunks]
        info = self._db.execute("SELECT path, ingested_at FROM documents WHERE name=?", (name,)).fetchone()
        sents = self.sentences([p.id for p in doc.paragraphs])
        return IndexedDoc(doc=doc, chunks=[c for _, c in rows_chunks], vectors=np.array(vectors[rows]),
                          path=info[0], ingested_at=info[1], sentences=[(pid, s, e) for pid, s, e, _ in sents],
                          sentence_vectors=np.array([v for *_, v in sents], dtype=np.float32).reshape(len(sents), -1))


_PCOLS = 'id, doc, idx, clause, text, start, "end", line_start, line_end, heading, page, instructions'


def _paragraph(r) -> Paragraph:
    return Paragraph(id=r[0], doc=r[1], index=r[2], clause=tuple(json.loads(r[3])), text=r[4], start=r[5],
                     end=r[6], line_start=r[7], line_end=r[8], heading=bool(r[9]), page=r[10] or 0,
                     instruction_spans=tuple(tuple(x) for x in json.loads(r[11])) if r[11] else ())
