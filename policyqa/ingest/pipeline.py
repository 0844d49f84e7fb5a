"""Ingestion: files → load → clean → structure → chunk → embed → index, incremental and atomic."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import re
import time
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
from tqdm.auto import tqdm

from policyqa.config import Config
from policyqa.embedding.embedder import Embedder, load_embedder, model_identity
from policyqa.errors import IndexUnavailable, SkipFile
from policyqa.ingest.chunk import ChunkSettings, chunk_document
from policyqa.ingest.clean import clean_blocks, normalize_spaces
from policyqa.ingest.files import discover, read_bytes, shown_name, strip_invisible
from policyqa.ingest.injection import instruction_spans, overlaps
from policyqa.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from policyqa.ingest.loaders.base import LoadOptions
from policyqa.ingest.structure import build_document
from policyqa.schema import Block, Chunk, Document
from policyqa.store.build import build_dir_for, prune, publish, write_index
from policyqa.store.index import Index, IndexedDoc, read_manifest
from policyqa.store.lexical import Tokenizer
from policyqa.text import normalize, sentences

log = logging.getLogger(__name__)

STATUS_LABELS = {"added": "新增", "updated": "更新", "unchanged": "未变", "removed": "移除",
                 "skipped": "跳过", "metadata": "元数据"}
REASON_TOO_MANY_CHUNKS = "文件切分后有 {n} 个分块，超过每篇 {limit} 个的上限，已跳过（可调整配置项 max_doc_chunks）"
NOTE_INSTRUCTIONS = "含{n}处写给问答系统的指令（如“忽略以上指令”），不作为答案依据"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class FileResult:
    name: str
    status: str  # added | updated | unchanged | removed | skipped | metadata (the folder's catalog.toml)
    reason: str = ""
    paragraphs: int = 0
    chunks: int = 0
    kind: str = ""  # the format read (pdf, docx, ofd, ...)
    pages: int = 0
    ocr_pages: int = 0  # pages whose text came from OCR
    tables: int = 0
    instructions: int = 0  # passages addressed to the answering system (never used as evidence)

    @classmethod
    def of(cls, name: str, status: str, doc: Document, chunks: int = 0) -> "FileResult":
        return cls(name, status, paragraphs=_body(doc), chunks=chunks, kind=doc.kind, pages=doc.pages,
                   ocr_pages=doc.ocr_pages, tables=doc.tables,
                   instructions=sum(len(p.instruction_spans) for p in doc.paragraphs))

    @property
    def shown_name(self) -> str:
        """The name on one line, as the summary shows it (a name may hold line breaks or bidi controls)."""
        return shown_name(self.name)

    @property
    def notes(self) -> str:
        """Pages, OCR, tables and instructions found, as the summary shows them."""
        parts = [f"{self.pages}页"] if self.pages else []
        if self.ocr_pages:
            parts.append(f"文字识别{self.ocr_pages}页")
        if self.tables:
            parts.append(f"表格{self.tables}个")
        if self.instructions:
            parts.append(NOTE_INSTRUCTIONS.format(n=self.instructions))
        return "，".join(parts)


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    documents: int = 0
    paragraphs: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks embedded in this run (the rest were reused)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    index_path: str = ""
    changed: bool = False

    @property
    def skipped(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "skipped"]

    @property
    def flagged(self) -> list[FileResult]:
        """Files holding passages addressed to the answering system."""
        return [f for f in self.files if f.instructions]

    def table(self) -> str:
        """The summary shown after an ingest (user-facing, Chinese)."""
        lines = [f"{'文件':<40} {'结果':<4} {'格式':<5} {'段落':>6} {'分块':>6}  说明", "-" * 86]
        for f in self.files:
            kind = shown_name(f.kind or Path(f.name).suffix.lstrip(".").lower())
            note = "；".join(x for x in (f.notes, f.reason) if x)
            lines.append(f"{f.shown_name[:40]:<40} {STATUS_LABELS[f.status]:<4} {kind[:5]:<5} {f.paragraphs:>6} "
                         f"{f.chunks:>6}  {note}")
        lines.append("-" * 86)
        total = sum(self.seconds.values())
        lines.append(f"文档 {self.documents} 篇，段落 {self.paragraphs} 个，分块 {self.chunks} 个"
                     f"（本次嵌入 {self.embedded} 个），跳过 {len(self.skipped)} 个文件，用时 {total:.1f} 秒")
        if self.flagged:
            lines.append(f"注意：{len(self.flagged)} 个文件含写给问答系统的指令（{sum(f.instructions for f in self.flagged)} 处），"
                         "这些句子已标记，不会作为答案依据：" + "、".join(f.shown_name for f in self.flagged))
        if self.seconds:
            lines.append("各阶段用时：" + "，".join(f"{k} {v:.2f}s" for k, v in self.seconds.items()))
        return "\n".join(lines)


def collect_files(paths: Iterable[Path], follow_links: bool = False) -> list[Path]:
    """Supported files under the given files and folders (hidden files, links and the catalog excluded)."""
    return [f.path for f in discover(paths, SUPPORTED_SUFFIXES, Config.catalog_file, follow_links)[0]]


def read_catalog(folder: Path, cfg: Config) -> dict[str, dict]:
    """Optional per-folder metadata: a TOML table per file name with title, issuer, date, status, source."""
    path = folder / cfg.catalog_file
    if not path.is_file() or path.is_symlink():  # a link could lead anywhere
        return {}
    try:
        with path.open("rb") as fh:
            return {k: v for k, v in tomllib.load(fh).items() if isinstance(v, dict)}
    except (tomllib.TOMLDecodeError, OSError) as exc:
        log.warning("ignoring unreadable catalog %s: %s", path, exc)
        return {}


@contextlib.contextmanager
def _lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexUnavailable("另一个导入任务正在进行，请稍后再试。") from None
        yield


def ingest(paths: Iterable[Path], cfg: Config, *, rebuild: bool = False, remove: Iterable[str] = (),
           embedder: Embedder | None = None, progress: Progress | None = None,
           show_progress: bool = True) -> IngestReport:
    """Bring the index in line with `paths` (files added or changed are parsed and embedded; files gone
    from a given folder are dropped), remove the documents named in `remove`, and publish atomically.
    Documents indexed from elsewhere stay. Nothing is published unless something changed."""
    paths = [Path(p) for p in paths]
    index_dir = Path(cfg.index_dir)
    report = IngestReport()
    settings = ChunkSettings(cfg.chunk_size, cfg.chunk_overlap, cfg.chunk_unit)
    identity = model_identity(cfg)
    with _lock(index_dir):
        prune(index_dir)  # builds left by an ingest that died
        manifest = read_manifest(index_dir)
        try:
            old = Index.load(index_dir) if manifest is not None else None
        except IndexUnavailable as exc:  # an index of an older format: start afresh from the files
            log.warning("ignoring the existing index: %s", exc)
            old = manifest = None
        compatible = (not rebuild and manifest is not None and manifest.get("model") == identity
                      and manifest.get("chunker") == settings.identity())
        old_docs: dict[str, dict] = (manifest or {}).get("documents", {})
        try:
            keep, todo = _plan(paths, cfg, old, old_docs, compatible, set(remove), report, progress,
                               show_progress)
        finally:
            if old is not None:
                old.close()
        if not report.changed:
            report.index_path = str(index_dir)
            _count(report, keep)
            return report
        embedded = _embed(todo, cfg, settings, embedder, report, progress, show_progress)
        t = time.perf_counter()
        docs = sorted(keep + embedded, key=lambda d: d.doc.name)
        new_manifest = {
            "model": identity, "dim": _dim(docs, manifest), "chunker": settings.identity(),
            "documents": {d.doc.name: {"hash": d.doc.hash, "title": d.doc.title, "path": d.path,
                                       "paragraphs": _body(d.doc), "chunks": len(d.chunks),
                                       "ingested_at": d.ingested_at} for d in docs},
        }
        build = build_dir_for(index_dir)
        write_index(build, docs, new_manifest, cfg.faiss_index, cfg.hnsw_m, Tokenizer())
        report.index_path = str(publish(index_dir, build))
        report.seconds["index"] += time.perf_counter() - t
        _count(report, docs)
    return report


def _plan(paths, cfg, old, old_docs, compatible, remove, report, progress, show_progress):
    """Decide per file: reuse the indexed version, parse it anew, drop it, or skip it with a reason."""
    files, refused = discover(paths, SUPPORTED_SUFFIXES, cfg.catalog_file, cfg.follow_links)
    for entry in refused:  # every entry of a given folder gets its line
        report.files.append(FileResult(entry.name, entry.status, entry.reason))
    catalogs: dict[Path, dict] = {}
    seen: set[str] = set()
    keep: list[IndexedDoc] = []
    todo: list[_Parsed] = []
    now = time.strftime("%Y-%m-%d %H:%M")
    for i, found in enumerate(tqdm(files, desc="parse", unit="file", disable=not show_progress)):
        if progress:
            progress("parse", i, len(files))
        path = found.path
        name = path.name
        if name in seen:
            report.files.append(FileResult(name, "skipped", f"与已导入文件同名：{path}"))
            continue
        seen.add(name)
        folder = path.parent
        if folder not in catalogs:
            catalogs[folder] = read_catalog(folder, cfg)
        meta = catalogs[folder].get(name, {})
        try:
            raw = read_bytes(found, cfg.follow_links, cfg.max_file_mb * 1024 * 1024)
        except SkipFile as exc:
            report.files.append(FileResult(name, "skipped", exc.reason))
            if old_docs.get(name) is not None and old is not None:  # keep what was indexed before: lose nothing
                _carry(old, name, compatible, keep, todo, report)
            continue
        key = _content_key(raw, meta)
        prev = old_docs.get(name)
        if compatible and prev is not None and prev.get("hash") == key and name not in remove:
            item = old.indexed_doc(name)
            keep.append(item)
            report.files.append(FileResult.of(name, "unchanged", item.doc, len(item.chunks)))
            continue
        try:
            doc = _parse(path, raw, meta, key, report, cfg)
            del raw
            chunks = _chunks_within(doc, cfg)
        except Exception as exc:
            if isinstance(exc, SkipFile):
                reason = exc.reason
            else:  # a parser bug must not sink the other files
                log.exception("failed to parse %s", path)
                reason = f"解析失败：{type(exc).__name__}: {exc}"
            report.files.append(FileResult(name, "skipped", reason))
            if prev is not None and old is not None:  # keep what was indexed before: lose nothing
                _carry(old, name, compatible, keep, todo, report)
            continue
        status = "updated" if prev is not None else "added"
        todo.append(_Parsed(doc, str(path.resolve()), now, chunks))
        report.files.append(FileResult.of(name, status, doc))
        report.changed = True
    # documents indexed before and not seen now
    given_dirs = [p.resolve() for p in paths if p.is_dir()]
    for name, info in old_docs.items():
        if name in seen:
            continue
        src = Path(info.get("path", ""))
        gone = any(_under(src, d) for d in given_dirs) and not src.exists()
        if name in remove or gone:
            report.files.append(FileResult(name, "removed"))
            report.changed = True
        else:
            _carry(old, name, compatible, keep, todo, report)
    return keep, todo


@dataclass(frozen=True)
class _Parsed:
    """A document to chunk and embed in this run."""

    doc: Document
    path: str
    ingested_at: str
    chunks: list[Chunk] | None = None  # made while parsing (to check the bound); None: chunk when embedding


def _carry(old: Index, name: str, compatible: bool, keep: list[IndexedDoc], todo: list[_Parsed],
           report: IngestReport) -> None:
    """Take an indexed document into the next build; re-chunk and re-embed it when settings changed."""
    item = old.indexed_doc(name)
    if compatible:
        keep.append(item)
    else:
        todo.append(_Parsed(item.doc, item.path, item.ingested_at))
        report.changed = True


def _parse(path: Path, raw: bytes, meta: dict, key: str, report: IngestReport, cfg: Config) -> Document:
    t = time.perf_counter()
    loaded = load_file(path, LoadOptions(ocr=cfg.ocr, ocr_max_pages=cfg.ocr_max_pages, max_chars=cfg.max_doc_chars,
                                         max_unzipped=cfg.max_unzipped_mb * 1024 * 1024), raw=raw)
    if loaded.title:
        loaded = replace(loaded, title=strip_invisible(loaded.title).strip())
    t1 = time.perf_counter()
    report.seconds["load"] += t1 - t
    blocks = clean_blocks(loaded)
    t2 = time.perf_counter()
    report.seconds["clean"] += t2 - t1
    doc = replace(build_document(loaded, blocks, meta), hash=key)  # the content key covers the catalog entry too
    # a title made from a file name may hold line breaks or a right-to-left override
    doc.title = " ".join(strip_invisible(doc.title).split()) or doc.title
    doc.paragraphs = [replace(p, instruction_spans=tuple(instruction_spans(p.text))) if not p.heading
                      else p for p in doc.paragraphs]
    if not any(not p.heading for p in doc.paragraphs):
        # the cleaner took every line for page furniture or web metadata (来源：… 编辑：…, 第1页): a short
        # document is still a document, so its own lines are its text
        lines = _plain_blocks(loaded.text)
        if lines:
            doc = replace(build_document(loaded, lines, meta), hash=key)
            doc.title = " ".join(strip_invisible(doc.title).split()) or doc.title
            doc.paragraphs = [replace(p, instruction_spans=tuple(instruction_spans(p.text))) if not p.heading
                              else p for p in doc.paragraphs]
    report.seconds["structure"] += time.perf_counter() - t2
    if not any(not p.heading for p in doc.paragraphs):
        raise SkipFile("文件中没有可用的正文段落")
    return doc


def _plain_blocks(text: str) -> list[Block]:
    """Every non-empty source line as a body block, markup removed: the text of a document the cleaner
    would drop whole."""
    out = []
    for i, line in enumerate(text.split("\n")):
        line = normalize_spaces(re.sub(r"<[^>]*>", " ", strip_invisible(line)))
        if line:
            out.append(Block(line, i, i))
    return out


def _embed(todo: list[_Parsed], cfg: Config, settings: ChunkSettings, embedder: Embedder | None,
           report: IngestReport, progress: Progress | None, show_progress: bool) -> list[IndexedDoc]:
    """Chunk and embed the parsed documents (the model is loaded only when there is something to embed)."""
    t = time.perf_counter()
    chunks = [item.chunks if item.chunks is not None else chunk_document(item.doc, settings) for item in todo]
    report.seconds["chunk"] += time.perf_counter() - t
    texts = [c.embed_text for cs in chunks for c in cs]
    if not texts:
        return [IndexedDoc(item.doc, cs, np.zeros((0, 0), np.float32), item.path, item.ingested_at)
                for item, cs in zip(todo, chunks)]
    t = time.perf_counter()
    if embedder is None:
        embedder = load_embedder(cfg)
    report.seconds["model"] += time.perf_counter() - t
    log.info("embedding %d chunks of %d documents", len(texts), len(todo))
    t = time.perf_counter()
    spans = [sentence_spans(item.doc) for item in todo]
    sentence_texts = [text for doc_spans in spans for _, _, _, text in doc_spans]
    log.info("embedding %d sentences", len(sentence_texts))
    both = _encode(embedder, texts + sentence_texts, progress, show_progress)
    matrix, sentence_matrix = both[:len(texts)], both[len(texts):]
    report.embedded = len(texts)
    out: list[IndexedDoc] = []
    offset = soffset = 0
    for item, cs, doc_spans in zip(todo, chunks, spans):
        out.append(IndexedDoc(item.doc, cs, matrix[offset:offset + len(cs)], item.path, item.ingested_at,
                              sentences=[(pid, s, e) for pid, s, e, _ in doc_spans],
                              sentence_vectors=sentence_matrix[soffset:soffset + len(doc_spans)]))
        offset += len(cs)
        soffset += len(doc_spans)
    report.seconds["embed"] += time.perf_counter() - t
    for f in report.files:
        for d in out:
            if d.doc.name == f.name:
                f.chunks = len(d.chunks)
    return out


def _encode(embedder: Embedder, texts: list[str], progress: Progress | None, show_progress: bool) -> np.ndarray:
    # batches of similar length: a batch is padded to its longest text
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = []
    step = 64
    if progress:
        progress("embed", 0, len(texts))
    for start in tqdm(range(0, len(texts), step), desc="embed", unit="batch", disable=not show_progress):
        vectors.append(embedder.encode_passages([texts[i] for i in order[start:start + step]]))
        if progress:
            progress("embed", min(start + step, len(texts)), len(texts))
    if not vectors:
        return np.zeros((0, embedder.dim), np.float32)
    out = np.empty((len(texts), vectors[0].shape[1]), np.float32)
    out[order] = np.concatenate(vectors)
    return out


SENTENCE_CHARS = 200  # a longer sentence is embedded by its beginning: the model reads 512 tokens at most anyway


def _chunks_within(doc: Document, cfg: Config) -> list[Chunk]:
    """The document's chunks, or `SkipFile` past `max_doc_chunks` (embedding time grows with them)."""
    chunks = chunk_document(doc, ChunkSettings(cfg.chunk_size, cfg.chunk_overlap, cfg.chunk_unit))
    if len(chunks) > cfg.max_doc_chunks:
        raise SkipFile(REASON_TOO_MANY_CHUNKS.format(n=len(chunks), limit=cfg.max_doc_chunks))
    return chunks


def sentence_spans(doc: Document) -> list[tuple[str, int, int, str]]:
    """(paragraph id, start, end, text) of each sentence an answer may quote, for its embedding. Sentences
    addressed to the answering system are left out: they must not lift their chunk in search."""
    out = []
    for p in doc.paragraphs:
        for s, e in sentences(p.text):
            text = p.text[s:e]
            if overlaps(p.instruction_spans, s, e):
                continue
            if len(normalize(text)) >= 4:
                out.append((p.id, s, e, text[:SENTENCE_CHARS]))
    return out


def _body(doc: Document) -> int:
    return sum(not p.heading for p in doc.paragraphs)


def _count(report: IngestReport, docs: list[IndexedDoc]) -> None:
    report.documents = len(docs)
    report.paragraphs = sum(_body(d.doc) for d in docs)
    report.chunks = sum(len(d.chunks) for d in docs)


def _dim(docs: list[IndexedDoc], manifest: dict | None) -> int:
    for d in docs:
        if d.vectors.ndim == 2 and d.vectors.shape[0]:
            return int(d.vectors.shape[1])
    return int((manifest or {}).get("dim", 384))


def _content_key(raw: bytes, meta: dict) -> str:
    h = hashlib.sha256(raw)
    if meta:  # catalog edits must re-parse the document (title is embedded)
        h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def _under(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False
