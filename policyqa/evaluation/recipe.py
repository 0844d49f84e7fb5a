"""The plain LangChain recipe as a retrieval baseline: RecursiveCharacterTextSplitter (1000/200) over each
document's raw text, dense FAISS search with the same embedding model. What a user could copy from a tutorial;
the full pipeline must beat it on the same run."""

from __future__ import annotations

import logging
from pathlib import Path

import faiss
import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter
from tqdm.auto import tqdm

from policyqa.embedding.embedder import Embedder
from policyqa.errors import SkipFile
from policyqa.ingest.loaders import load_file
from policyqa.store.index import Index

log = logging.getLogger(__name__)

CHUNK_SIZE = 1000  # LangChain's documented defaults
CHUNK_OVERLAP = 200


class LangChainRecipe:
    """A flat inner-product FAISS index over 1000-character chunks of every indexed document's source text."""

    def __init__(self, index: Index, embedder: Embedder, show_progress: bool = True):
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.embedder = embedder
        self.chunks: list[tuple[str, str]] = []  # (document name, chunk text)
        for info in index.documents():
            for text in splitter.split_text(self._raw_text(index, info.name, info.path)):
                self.chunks.append((info.name, text))
        texts = [t for _, t in self.chunks]
        vectors = [embedder.encode_passages(texts[i:i + 64])
                   for i in tqdm(range(0, len(texts), 64), desc="langchain recipe", unit="batch",
                                 disable=not show_progress)]
        matrix = np.concatenate(vectors).astype(np.float32) if vectors else np.zeros((0, embedder.dim), np.float32)
        self.faiss = faiss.IndexFlatIP(embedder.dim)
        self.faiss.add(matrix)
        log.info("langchain recipe: %d chunks", len(self.chunks))

    @staticmethod
    def _raw_text(index: Index, name: str, path: str) -> str:
        # the text the loader gives, before our cleaning and structure; the stored text if the file is gone
        try:
            return load_file(Path(path)).text
        except (SkipFile, OSError):
            doc = index.document(name, with_paragraphs=False)
            return doc.text if doc else ""

    def contexts(self, question: str, k: int = 10) -> list[dict]:
        """The top-k chunks in the evaluation's context format (rank, doc, text, score)."""
        if not self.chunks:
            return []
        qvec = self.embedder.encode_queries([question]).astype(np.float32)
        scores, ids = self.faiss.search(qvec, min(k, len(self.chunks)))
        return [{"rank": r, "doc": self.chunks[i][0], "text": self.chunks[i][1], "score": round(float(s), 6)}
                for r, (i, s) in enumerate(zip(ids[0], scores[0]), 1) if i >= 0]
