"""Evaluation runs on the real model and the seed index: the run folder, the HTML report, CSV/XLSX inputs,
a SQuAD set with its own temporary index, run comparison, and the `eval` command line."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policyqa.evaluation.runner import run_eval
from policyqa.evaluation.runs import compare_runs
from policyqa.evaluation.summary import format_compare, format_summary
from policyqa.evaluation.question_export import write_questions_csv, write_questions_xlsx
from policyqa.evaluation.questions import load_questions

ROOT = Path(__file__).resolve().parents[2]

D000, D001, D002, D004 = ("000_66dd0f48ba81f122.txt", "001_8f75e8691d6c27ef.txt", "002_240daae8c4bbf10a.txt",
                          "004_37ab4386ec37cb9e.txt")
SCRIPT_Q = "<script>alert(1)</script>湛江到2025年高新技术企业要达到多少家？"

QUESTIONS = [
    {"id": "t1", "question": "湛茂都市圈土地总面积是多少？", "answer": "2.47万平方公里。", "answerable": True,
     "type": "numeric", "evidence": [{"doc": D002, "quote": "湛茂都市圈包括湛江、茂名两市全域，土地总面积2.47万平方公里"}],
     "keywords": ["2.47万平方公里"]},
    {"id": "t2", "question": "到2030年城市绿色出行比例目标是多少？", "answer": "不低于66%。", "answerable": True,
     "type": "numeric", "evidence": [{"doc": D002, "quote": "力争到2030年，城市绿色出行比例不低于66%"}],
     "keywords": ["66%"]},
    {"id": "t3", "question": "海关引导月饼出口企业用好什么政策红利？", "answer": "RCEP政策红利。", "answerable": True,
     "type": "factoid", "evidence": [{"doc": D001, "quote": "引导企业用好RCEP政策红利，开拓新兴市场"}],
     "keywords": ["RCEP"]},
    {"id": "t4", "question": "浮山岭的负氧离子浓度有多高？", "answer": "每立方厘米超过5000个。", "answerable": True,
     "type": "numeric", "evidence": [{"doc": D000, "quote": "负氧离子浓度每立方厘米超过5000个"}],
     "keywords": ["5000个"]},
    {"id": "t5", "question": "广湛高铁预计哪一年建成通车？", "answer": "", "answerable": False,
     "type": "unanswerable", "evidence": [], "keywords": []},
    # markup in a question must come out escaped; the impossible keyword puts it in the failure list
    {"id": "t6", "question": SCRIPT_Q, "answer": "700家。", "answerable": True, "type": "factoid",
     "evidence": [{"doc": D004, "quote": "到2025年，全市高新技术企业达到700家"}], "keywords": ["绝不会出现的要点"]},
]

SQUAD = {"version": "v1", "data": [{"id": "A", "title": "测试", "paragraphs": [
    {"id": "P/1", "context": "茂名是全国最大的荔枝生产基地，荔枝种植面积达到一百三十九万亩，年产量约占全国的四分之一。"
                             "当地每年举办荔枝文化节，吸引大量游客前来采摘和品尝。",
     "qas": [{"id": "q1", "question": "茂名的荔枝种植面积达到多少？",
              "answers": [{"text": "一百三十九万亩", "answer_start": 20}]},
             {"id": "q2", "question": "茂名每年举办什么节庆活动吸引游客？",
              "answers": [{"text": "荔枝文化节", "answer_start": 50}]}]},
    {"id": "P2", "context": "湛江港是中国西南沿海的重要港口，港口拥有三十万吨级航道，可以停靠大型油轮和散货船。"
                            "近年来港口的集装箱航线不断增加，连通东南亚多个国家。",
     "qas": [{"id": "q3", "question": "湛江港的航道是多少吨级？",
              "answers": [{"text": "三十万吨级", "answer_start": 19}]}]},
    {"id": "P3", "context": "广湛高铁线路全长约四百公里，设计时速三百五十公里。线路建成后，"
                            "湛江至广州的旅行时间将缩短到两小时左右，粤西地区将全面融入珠三角一小时交通圈。",
     "qas": [{"id": "q4", "question": "广湛高铁的设计时速是多少？",
              "answers": [{"text": "三百五十公里", "answer_start": 16}]}]},
]}]}


def _write_jsonl(path: Path) -> Path:
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), "utf-8")
    return path


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, seed_index, assistant):
    """The six questions over the seeds, with baselines; (questions file, out dir, summary, progress calls)."""
    tmp = tmp_path_factory.mktemp("eval")
    qpath = _write_jsonl(tmp / "small.jsonl")
    calls = []
    summary = run_eval(qpath, seed_index, tmp / "run-a", baselines=True, assistant=assistant,
                       progress=lambda done, total: calls.append((done, total)), show_progress=False)
    return qpath, tmp / "run-a", summary, calls


def test_run_folder_holds_metrics_rows_answers_and_failures(small_run):
    _, out, summary, calls = small_run
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    saved = json.loads((out / "metrics.json").read_text("utf-8"))
    assert saved["metrics"] == json.loads(json.dumps(summary["metrics"]))
    for key in ("metrics", "by_type", "by_doc", "baselines", "seconds", "index"):
        assert key in saved
    assert set(saved["baselines"]) == {"bm25", "dense", "langchain"}
    # the LangChain recipe only retrieves: answer metrics are left empty, not zeros
    recipe = saved["baselines"]["langchain"]
    assert recipe["hit@5"] is not None and recipe["keyword_coverage"] is None
    for m in (saved["metrics"], saved["baselines"]["bm25"], saved["baselines"]["dense"]):
        for key in ("hit@1", "hit@5", "mrr@10", "keyword_coverage", "refusal_rate", "latency_total_p50_ms"):
            assert key in m
    assert saved["metrics"]["n_questions"] == 6 and saved["metrics"]["n_unanswerable"] == 1
    assert saved["metrics"]["hit@5"] >= 0.6  # the seeds' facts are easy to find
    assert set(saved["by_type"]) == {"numeric", "factoid", "unanswerable"}
    assert D002 in saved["by_doc"] and saved["index"]["missing_docs"] == []

    raw = (out / "questions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    with (out / "questions.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == [q["id"] for q in QUESTIONS]
    assert {"hit_rank", "keyword_coverage", "hit_rank_bm25", "hit_rank_dense", "hit_rank_langchain"} <= set(rows[0])
    answers = [json.loads(line) for line in (out / "answers.jsonl").read_text("utf-8").splitlines()]
    assert [a["id"] for a in answers] == [q["id"] for q in QUESTIONS]
    assert all(len(a["contexts"]) >= 5 for a in answers)
    assert (out / "answers_bm25.jsonl").is_file() and (out / "answers_dense.jsonl").is_file()
    failures = json.loads((out / "failures.json").read_text("utf-8"))
    assert "t6" in {f["id"] for f in failures}
    assert "hit@5" in format_summary(summary) and "bm25" in format_summary(summary)
    assert "langchain" in format_summary(summary)


def test_report_is_self_contained_escaped_and_has_charts(small_run):
    html = (small_run[1] / "report.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert "<svg" in html and html.count("<svg") >= 3  # hit@5 and keyword bars, latency histogram
    assert "<script" not in html  # the question's markup is text, not markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "仅 BM25" in html and "仅向量" in html  # baseline columns
    assert "✓" in html or "✗" in html  # top-3 marks in the failure list


def test_csv_and_xlsx_sets_give_the_same_metrics(small_run, seed_index, assistant, tmp_path):
    qpath, _, summary, _ = small_run
    questions = load_questions(qpath).questions
    ignore = re.compile(r"latency_")  # timing differs run to run
    want = {k: v for k, v in summary["metrics"].items() if not ignore.match(k)}
    for path in (write_questions_csv(questions, tmp_path / "small.csv"),
                 write_questions_xlsx(questions, tmp_path / "small.xlsx")):
        got = run_eval(path, seed_index, tmp_path / path.suffix[1:], assistant=assistant, show_progress=False)
        assert got["format"] == path.suffix[1:]
        assert {k: v for k, v in got["metrics"].items() if not ignore.match(k)} == pytest.approx(want)
        assert "baselines" not in got


def test_squad_set_is_evaluated_against_its_own_temporary_index(seed_index, embedder, tmp_path):
    path = tmp_path / "tiny_squad.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), "utf-8")
    s = run_eval(path, seed_index, tmp_path / "squad", baselines=True, embedder=embedder, show_progress=False)
    assert s["format"] == "squad" and s["index"]["dir"] == "(temporary)"
    assert s["index"]["documents"] == 3 and s["index"]["passages"] == 3 and not s["index"]["skipped"]
    m = s["metrics"]
    assert m["n_retrieval"] == 4 and m["hit@1"] is not None and m["hit@1"] >= 0.75
    assert m["hit@5"] == 1.0  # three passages: the gold one is always in the top 5
    assert s["baselines"]["bm25"]["hit@1"] is not None
    assert m["keyword_coverage"] is not None  # any-of gold spans
    assert set(s["by_doc"]) == {"P_1.txt", "P2.txt", "P3.txt"}  # "P/1" made file-safe, evidence follows
    assert "ingest" in s["seconds"]
    # the seed index is untouched
    from policyqa.store.index import read_manifest

    assert len(read_manifest(seed_index.index_dir)["documents"]) == 5


def test_compare_two_runs(small_run, seed_index, embedder, tmp_path):
    qpath, run_a, _, _ = small_run
    run_b = tmp_path / "run-b"
    # a stricter refusal threshold: the same retrieval, possibly more refusals
    s = run_eval(qpath, seed_index.replace(refusal_threshold=0.99), run_b, embedder=embedder, show_progress=False)
    assert s["config"]["refusal_threshold"] == 0.99
    result = compare_runs(run_a, run_b)
    assert (run_b / "compare.json").is_file()
    hit5 = result["metrics"]["hit@5"]
    assert hit5["diff"] == pytest.approx(hit5["b"] - hit5["a"]) == 0  # retrieval is deterministic
    q = result["questions"]
    assert len(q["wins"]) + len(q["losses"]) + len(q["mixed"]) + q["ties"] == 6
    text = format_compare(result)
    assert "hit@5" in text and "B − A" in text


def test_cli_eval_and_compare(small_run, seed_index, tmp_path):
    qpath, run_a, _, _ = small_run
    env = {**os.environ, "POLICYQA_INDEX_DIR": str(seed_index.index_dir)}
    out = tmp_path / "cli-run"
    p = subprocess.run([sys.executable, "-m", "policyqa", "eval", str(qpath), "--out", str(out)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "hit@5" in p.stdout and (out / "report.html").is_file()
    p = subprocess.run([sys.executable, "-m", "policyqa", "eval", "--compare", str(run_a), str(out)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "hit@5" in p.stdout and (out / "compare.json").is_file()
    p = subprocess.run([sys.executable, "-m", "policyqa", "eval", str(tmp_path / "nope.jsonl")], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "错误" in p.stderr and "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "policyqa", "eval", "--compare", str(run_a), str(tmp_path)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "不是评估结果目录" in p.stderr and "Traceback" not in p.stderr
