"""The ingest stage: files → load → clean → structure → chunk → embed → index."""

from policyqa.ingest.pipeline import FileResult, IngestReport, ingest

__all__ = ["FileResult", "IngestReport", "ingest"]
