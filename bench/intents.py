"""Question analysis on labelled questions: intent accuracy per file and the confusions.

The labels are our own questions, worded for corpora other than the seeds; `eval/intents_holdout.jsonl` is never
tuned on. Target: >= 0.90 on each file.

    python bench/intents.py [FILE ...]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyqa.answer.analysis import analyze  # noqa: E402

FILES = [ROOT / "eval" / "intents.jsonl", ROOT / "eval" / "intents_holdout.jsonl"]


def main(paths: list[Path]) -> None:
    for path in paths:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        confused = Counter((r["intent"], str(analyze(r["question"]).intent)) for r in rows)
        right = sum(n for (gold, got), n in confused.items() if gold == got)
        print(f"{path.name}: {right}/{len(rows)} = {right / len(rows):.3f}")
        for (gold, got), n in sorted(confused.items()):
            if gold != got:
                print(f"  {gold} → {got}: {n}")


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or FILES)
