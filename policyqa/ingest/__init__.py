"""The ingest stage: files → load → clean → structure → chunk → embed → index (`pipeline.ingest`)."""
