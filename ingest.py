"""Ingest policy documents into the index: python ingest.py [PATH ...] [--index DIR] [--rebuild]"""

from policyqa.cli import ingest_main

if __name__ == "__main__":
    raise SystemExit(ingest_main())
