"""Ingest a hostile folder (issue 14) beside the seeds and print what happened and the peak memory.

The folder: a .docx, .xlsx and .ofd that each expand to 200 MB (zip bombs of well under 1 MB), a 20 MB
one-line .txt, a link to a file outside the folder, dangling and inside links, a named pipe, hidden files,
unsupported types, a document with instructions to the answering system, a NUL byte, deeply nested HTML,
names with a line break and a right-to-left override; plus the five seeds. Default settings, real model.

    .venv/bin/python bench/hostile.py [--bomb-mb 200] [--long-mb 20]

Target: peak RSS ≤ 1.5 GB, every entry reported, the seeds and the ordinary files ingested.
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ingest"))

from hostile_fixture import build_hostile  # noqa: E402

from policyqa.config import Config  # noqa: E402
from policyqa.ingest.pipeline import ingest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=200, help="what each archive expands to")
    parser.add_argument("--long-mb", type=int, default=20, help="size of the one-line text file")
    parser.add_argument("--no-seeds", action="store_true", help="the hostile folder alone")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        build_hostile(tmp / "docs", tmp / "outside", bomb_bytes=args.bomb_mb * 2 ** 20,
                      long_chars=args.long_mb * 2 ** 20 // 3)
        for seed in [] if args.no_seeds else sorted((ROOT / "seeds").glob("*.txt")):
            shutil.copy(seed, tmp / "docs" / seed.name)
        sizes = {p.name: p.stat().st_size for p in (tmp / "docs").iterdir() if p.name.startswith(("bomb", "long"))}
        print("folder built in %.1f s; on disk: %s" % (time.perf_counter() - t, ", ".join(
            f"{k} {v / 2 ** 20:.2f} MB" for k, v in sorted(sizes.items()))))
        cfg = Config.load().replace(index_dir=tmp / "index")
        t = time.perf_counter()
        reading: list[float] = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "embed" and not reading:  # every file is read and parsed by now
                reading.append(_peak_gb())

        report = ingest([tmp / "docs"], cfg, progress=progress, show_progress=False)
        seconds = time.perf_counter() - t
        print(report.table())
        peak = _peak_gb()
        print(f"\ningest {seconds:.1f} s; documents {report.documents}, skipped {len(report.skipped)}, "
              f"flagged {len(report.flagged)}")
        print(f"peak RSS after reading every file (before the model loads): {reading[0] if reading else peak:.2f} GB")
        print(f"peak RSS of the whole ingest: {peak:.2f} GB (target ≤ 1.5 GB): {'OK' if peak <= 1.5 else 'OVER'}")


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20  # KiB → GiB


if __name__ == "__main__":
    main()
