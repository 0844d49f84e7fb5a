"""PolicyQA: offline question answering over Chinese policy documents, with clause-level citations."""

__version__ = "0.1.0"
