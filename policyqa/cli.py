"""Command lines: `python ingest.py …` and `python -m policyqa ask|batch|eval …`.

Failures the user can fix (no index, bad question, bad model directory) print one clear message and
exit with status 2 — never a stack trace."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from policyqa.config import Config


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "sentence_transformers", "transformers", "jieba", "faiss", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _user_errors():
    from policyqa.embedding.convert import ModelError
    from policyqa.assistant import InvalidQuestion
    from policyqa.store.index import IndexUnavailable

    return (ModelError, InvalidQuestion, IndexUnavailable)


def ingest_main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ingest.py", description="导入政策文件并建立索引")
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")
    ap.add_argument("--index", type=Path, help="index directory (default: index/)")
    ap.add_argument("--rebuild", action="store_true", help="re-embed every document")
    ap.add_argument("--remove", action="append", default=[], metavar="FILE", help="drop a document by file name")
    ap.add_argument("--config", type=Path)
    args = ap.parse_args(argv)
    _setup_logging()
    cfg = Config.load(args.config)
    if args.index:
        cfg = cfg.replace(index_dir=args.index)
    paths = args.paths or ([] if args.remove else [cfg.seeds_dir])
    from policyqa.ingest.pipeline import ingest

    try:
        report = ingest(paths, cfg, rebuild=args.rebuild, remove=args.remove)
    except _user_errors() as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(report.table())
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m policyqa", description="政策问答：离线政策文件问答")
    ap.add_argument("--config", type=Path)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question")
    a.add_argument("--json", action="store_true")
    a.add_argument("--k", type=int)
    a.add_argument("--doc", action="append", help="search only this document (file name); repeatable")
    a.add_argument("--mode", choices=["extractive", "llm"])
    b = sub.add_parser("batch", help="answer a JSONL file of questions (id, question)")
    b.add_argument("questions", type=Path)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--k", type=int)
    b.add_argument("--mode", choices=["extractive", "llm"])
    e = sub.add_parser("eval", help="evaluate on a question set (JSONL, CSV, XLSX or SQuAD JSON)")
    e.add_argument("questions", type=Path, nargs="?")
    e.add_argument("--out", type=Path)
    e.add_argument("--baselines", action="store_true")
    e.add_argument("--compare", type=Path, nargs=2, metavar=("RUN_A", "RUN_B"))
    args = ap.parse_args(argv)
    _setup_logging()
    cfg = Config.load(args.config)
    try:
        if args.cmd == "ask":
            return _ask(cfg, args)
        if args.cmd == "batch":
            return _batch(cfg, args)
        from policyqa.evaluation.runner import eval_main

        return eval_main(cfg, args)
    except _user_errors() as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _ask(cfg: Config, args) -> int:
    from policyqa.assistant import Assistant, validate

    validate(args.question)  # fail fast, before loading the model
    assistant = Assistant.open(cfg)
    ans = assistant.ask(args.question, k=args.k, docs=args.doc, answer_mode=args.mode)
    if args.json:
        print(json.dumps(ans.to_json(), ensure_ascii=False, indent=1))
        return 0
    if ans.notice:
        print(ans.notice)
    print(ans.answer)
    for c in ans.citations:
        flag = "" if c.supported else "（未核实）"
        print(f"\n[{c.n}] {c.clause}{flag}\n    {c.quote}")
    return 0


def _batch(cfg: Config, args) -> int:
    from tqdm import tqdm

    from policyqa.assistant import Assistant, InvalidQuestion

    rows = []
    with args.questions.open(encoding="utf-8-sig") as fh:
        for no, line in enumerate(fh, 1):
            if line.strip():
                item = json.loads(line)
                if "question" not in item:
                    print(f"错误：第 {no} 行缺少 question 字段", file=sys.stderr)
                    return 2
                rows.append(item)
    assistant = Assistant.open(cfg)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for i, item in enumerate(tqdm(rows, desc="questions", unit="q")):
            qid = str(item.get("id", i + 1))
            try:
                obj = assistant.ask(item["question"], k=args.k, answer_mode=args.mode).to_json(qid)
            except InvalidQuestion as exc:
                obj = {"id": qid, "question": item["question"], "answer": "", "refused": True, "error": str(exc),
                       "citations": [], "contexts": [], "timings_ms": {}}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"已写入 {len(rows)} 条答案：{args.out}")
    return 0
