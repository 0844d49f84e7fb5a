"""Human grading of evaluation answers: the SQLite store, exports, agreement with the automatic metrics, and
one round trip through the "评测" tab in a real browser (headless Chromium, fixture `app_server`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from policyqa.evaluation.grading import AUTO_OK, AUTO_WRONG, GradeStore, agreement, auto_correct

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# ---------------------------------------------------------------- store


def test_save_update_and_list(tmp_path):
    store = GradeStore(tmp_path / "g" / "grades.sqlite")  # the folder is created
    store.save("run1", "q1", "问题一？", "回答一", "正确", True, "  很好 ")
    store.save("run1", "q2", "问题二？", "回答二", "错误", None, "")
    store.save("run2", "q1", "问题一？", "另一个回答", "部分正确", False, "漏了要点")
    row = store.save("run1", "q1", "问题一？", "回答一", "部分正确", False, "再看一下")  # update, not a new row

    assert row["grade"] == "部分正确" and row["citation_ok"] is False and row["comment"] == "再看一下"
    g1 = store.grades("run1")
    assert [(g["question_id"], g["grade"], g["citation_ok"]) for g in g1] == [
        ("q1", "部分正确", False), ("q2", "错误", None)]
    assert [g["answer"] for g in store.grades("run2")] == ["另一个回答"]
    assert store.grades("nope") == []
    assert store.get("run1", "q3") is None
    # a second store on the same file sees the same rows
    assert len(GradeStore(tmp_path / "g" / "grades.sqlite").grades("run1")) == 2
    with pytest.raises(ValueError):
        store.save("run1", "q1", "问题一？", "回答一", "对", None, "")


def test_comment_is_stripped(tmp_path):
    store = GradeStore(tmp_path / "grades.sqlite")
    assert store.save("r", "1", "q", "a", "正确", None, "  备注 \n")["comment"] == "备注"


def test_app_data_lives_under_the_data_directory(tmp_path):
    from policyqa.config import Config

    cfg = Config().replace(index_dir=tmp_path / "data")
    assert cfg.grades_db == tmp_path / "data" / "grades.sqlite"
    assert cfg.feedback_db == tmp_path / "data" / "feedback.sqlite"
    assert cfg.uploads_dir == tmp_path / "data" / "uploads" and cfg.runs_dir == tmp_path / "data" / "runs"


def test_export_csv_and_xlsx_read_back(tmp_path):
    store = GradeStore(tmp_path / "grades.sqlite")
    store.save("run1", "q1", "土地总面积是多少？", "2.47万平方公里", "正确", True, "准确")
    store.save("run1", "q2", "通车年份？", "未找到", "错误", None, "")
    store.save("other", "q9", "x", "y", "正确", None, "")

    run = {"q1": {"reference": "2.47万平方公里。", "auto": AUTO_OK}}
    p = store.export("run1", tmp_path / "out" / "grades.csv", run)
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["编号"], r["人工评分"], r["引用正确"], r["备注"]) for r in rows] == [
        ("q1", "正确", "是", "准确"), ("q2", "错误", "", "")]
    assert rows[0]["问题"] == "土地总面积是多少？" and rows[0]["系统回答"] == "2.47万平方公里"
    assert rows[0]["评测批次"] == "run1"
    assert (rows[0]["参考答案"], rows[0]["自动判定"]) == ("2.47万平方公里。", AUTO_OK)
    assert (rows[1]["参考答案"], rows[1]["自动判定"]) == ("", "")

    x = store.export("run1", tmp_path / "grades.xlsx")
    ws = load_workbook(x).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:9] == ["评测批次", "编号", "问题", "系统回答", "参考答案", "自动判定", "人工评分", "引用正确", "备注"]
    assert [v[1] for v in values[1:]] == ["q1", "q2"]
    assert values[1][6:9] == ["正确", "是", "准确"]
    assert values[2][6] == "错误" and values[2][7] in ("", None)

    with pytest.raises(ValueError):
        store.export("run1", tmp_path / "grades.txt")


# ---------------------------------------------------------------- agreement


ROWS = [
    {"id": "a", "answerable": True, "refused": False, "keyword_coverage": 1.0, "correct_refusal": True},   # auto ok
    {"id": "b", "answerable": True, "refused": False, "keyword_coverage": 0.5, "correct_refusal": True},   # auto wrong
    {"id": "c", "answerable": False, "refused": True, "keyword_coverage": None, "correct_refusal": True},  # auto ok
    {"id": "d", "answerable": True, "refused": True, "keyword_coverage": 0.0, "correct_refusal": False},   # auto wrong
    {"id": "e", "answerable": True, "refused": False, "keyword_coverage": None, "correct_refusal": True},  # no keywords
    {"id": "f", "answerable": "0", "refused": "0", "keyword_coverage": "", "correct_refusal": "0"},  # raw CSV text
]


def test_auto_correct():
    assert [auto_correct(r) for r in ROWS] == [True, False, True, False, None, False]
    # raw questions.csv cells (text) are understood too
    assert auto_correct({"answerable": "1", "refused": "0", "keyword_coverage": "1.0"}) is True
    assert auto_correct({"answerable": "1", "refused": "1", "keyword_coverage": "1.0"}) is False


def test_agreement_known_values():
    grades = [
        {"question_id": "a", "grade": "正确", "citation_ok": True},     # agree
        {"question_id": "b", "grade": "部分正确", "citation_ok": False},  # agree (partial = not correct)
        {"question_id": "c", "grade": "错误", "citation_ok": None},     # disagree
        {"question_id": "d", "grade": "正确", "citation_ok": True},     # disagree
        {"question_id": "e", "grade": "正确", "citation_ok": None},     # graded, no automatic verdict
        {"question_id": "zz", "grade": "错误", "citation_ok": None},    # not in the run: graded only
    ]
    a = agreement(grades, ROWS)
    assert a["n_graded"] == 6
    assert a["n_compared"] == 4
    assert a["n_agree"] == 2
    assert a["agreement"] == pytest.approx(0.5)
    assert a["confusion"] == {"正确": {AUTO_OK: 1, AUTO_WRONG: 1}, "部分正确": {AUTO_OK: 0, AUTO_WRONG: 1},
                              "错误": {AUTO_OK: 1, AUTO_WRONG: 0}}
    assert a["by_grade"] == {"正确": 3, "部分正确": 1, "错误": 2}
    assert (a["citation_ok"], a["citation_judged"]) == (2, 3)
    assert a["disagreements"] == ["c", "d"]


def test_agreement_empty_and_perfect():
    empty = agreement([], ROWS)
    assert empty["n_graded"] == 0 and empty["agreement"] is None
    perfect = agreement([{"question_id": "a", "grade": "正确"}, {"question_id": "f", "grade": "错误"}], ROWS)
    assert perfect["agreement"] == 1.0 and perfect["disagreements"] == []


def test_agreement_with_store_rows(tmp_path):
    store = GradeStore(tmp_path / "grades.sqlite")
    store.save("r", "a", "q", "ans", "正确", True, "")
    store.save("r", "b", "q", "ans", "正确", None, "")
    a = agreement(store.grades("r"), ROWS)
    assert (a["n_compared"], a["n_agree"], a["disagreements"]) == (2, 1, ["b"])


def test_html_is_escaped():
    from policyqa.web.eval_tab import agreement_html, item_html

    evil = "<img src=x onerror=alert(1)>"
    run = {"run_id": "r", "items": [{"id": evil, "type": "", "question": evil, "answer": evil, "refused": False,
                                     "error": "", "answerable": True, "reference": evil, "keywords": [evil],
                                     "citations": [{"n": 1, "clause": evil, "doc": evil, "supported": True}]}],
           "rows": {evil: {"id": evil, "answerable": True, "refused": False, "keyword_coverage": 1.0}}}
    for html in (item_html(run, 0, {"grade": "正确"}),
                 agreement_html(run, [{"question_id": evil, "grade": "错误", "citation_ok": None}])):
        assert "<img" not in html and "&lt;img" in html


# ---------------------------------------------------------------- the tab in a browser


QUESTIONS = [
    {"id": "g1", "question": "湛茂都市圈土地总面积是多少？", "answer": "土地总面积2.47万平方公里。", "answerable": True,
     "type": "numeric", "evidence": [{"doc": "002_240daae8c4bbf10a.txt", "quote": "土地总面积2.47万平方公里"}],
     "keywords": ["2.47万平方公里"]},
    {"id": "g2", "question": "到2030年城乡居民可支配收入比值要控制在多少？", "answer": "控制在1.6以内。",
     "answerable": True, "type": "numeric",
     "evidence": [{"doc": "002_240daae8c4bbf10a.txt", "quote": "城乡居民可支配收入比值控制在1.6以内"}],
     "keywords": ["1.6以内"]},
    {"id": "g3", "question": "广湛高铁预计哪一年建成通车？", "answer": "文档中未提及。", "answerable": False,
     "type": "unanswerable", "evidence": [], "keywords": []},
    # a key fact no answer holds: the automatic verdict fails it
    {"id": "g4", "question": "湛茂都市圈常住人口有多少？", "answer": "九千九百万人。", "answerable": True,
     "type": "numeric", "evidence": [], "keywords": ["9900万人"]},
]


def test_eval_tab_run_and_grade(app_server, tmp_path):
    qpath = tmp_path / "grading_set.jsonl"
    qpath.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), "utf-8")
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium fonts-wqy-microhei")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(app_server.url)
            page.get_by_role("tab", name="评测").click()
            page.locator("#pq-eval-upload input[type=file]").set_input_files(str(qpath))
            # the name's stem and extension are separate elements: their text may break between them
            expect(page.locator("#pq-eval-upload").get_by_role("cell", name="grading_set.jsonl")).to_be_visible(
                timeout=10_000)
            page.get_by_role("button", name="开始评测").click()

            metrics = page.locator("#pq-eval-metrics")
            expect(metrics).to_contain_text("要点覆盖率", timeout=60_000)
            expect(metrics).to_contain_text("共 4 题")
            # Chinese names where a user reads; the English keys stay in metrics.json
            for key in ("keyword_coverage", "hit@1", "refusal_rate"):
                expect(metrics).not_to_contain_text(key)
            status = page.locator("#pq-eval-status")
            expect(status).to_contain_text("评测完成")
            expect(status).not_to_contain_text(str(app_server.cfg.index_dir))  # no server paths
            expect(page.locator("#pq-eval-files")).to_contain_text("report.html")

            card = page.locator("#pq-grade-item")
            expect(card).to_contain_text("第 1 / 4 题")
            expect(card).to_contain_text("类型 数值")
            expect(card).not_to_contain_text("numeric")
            expect(card).to_contain_text("湛茂都市圈土地总面积是多少？")
            expect(card).to_contain_text("土地总面积2.47万平方公里。")  # the reference answer
            expect(card.locator(".pq-grade-answer")).to_contain_text("2.47万平方公里")
            expect(card.locator(".pq-grade-cites li").first).to_be_visible()
            expect(card.locator(".pq-grade-cite-text").first).to_contain_text("2.47万平方公里")  # the cited text
            expect(page.locator("#pq-grade-agree")).to_contain_text("已评分 0 / 4 题")

            page.locator("#pq-grade-radio").get_by_label("正确", exact=True).check()
            page.locator("#pq-grade-cite").get_by_label("引用正确").check()
            page.get_by_label("备注").fill("答案与参考一致 <b>好</b>")
            page.get_by_role("button", name="保存并下一题").click()

            expect(card).to_contain_text("第 2 / 4 题", timeout=10_000)
            agree = page.locator("#pq-grade-agree")
            expect(agree).to_contain_text("已评分 1 / 4 题")
            expect(agree).to_contain_text("一致率 100.0%")
            expect(page.get_by_label("备注")).to_have_value("")  # the next question starts blank

            page.get_by_role("button", name="上一题").click()
            expect(card).to_contain_text("第 1 / 4 题")
            expect(card).to_contain_text("已评分：正确")
            expect(page.get_by_label("备注")).to_have_value("答案与参考一致 <b>好</b>")

            # only the failed questions: the one whose key fact no answer holds
            page.get_by_label("只看未通过的题目").check()
            expect(card).to_contain_text("第 4 / 4 题", timeout=10_000)
            expect(card).to_contain_text("自动判定：错误")
            page.get_by_role("button", name="上一题").click()
            expect(card).to_contain_text("第 4 / 4 题")  # nothing failed before it
            page.get_by_label("只看未通过的题目").uncheck()
            page.get_by_label("跳到第几题").fill("3")
            page.get_by_role("button", name="跳转").click()
            expect(card).to_contain_text("第 3 / 4 题", timeout=10_000)
            expect(card).to_contain_text("广湛高铁")
            page.get_by_label("跳到第几题").fill("1")
            page.get_by_role("button", name="跳转").click()
            expect(card).to_contain_text("第 1 / 4 题", timeout=10_000)

            page.get_by_role("button", name="导出评分").click()
            expect(page.locator("#pq-grade-file")).to_contain_text(".xlsx", timeout=10_000)
            with page.expect_download() as dl:
                page.locator("#pq-grade-file a").first.click()
            sheet = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active
            head, first = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
            assert first[head.index("参考答案")] == "土地总面积2.47万平方公里。"
            assert first[head.index("自动判定")] == AUTO_OK
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "eval_tab.png"), full_page=True)
            assert dialogs == []
        finally:
            browser.close()

    runs = sorted(app_server.cfg.runs_dir.glob("grading_set-*"))
    assert runs, "no run folder written"
    run_id = runs[-1].name
    report = (runs[-1] / "report.html").read_text("utf-8")
    assert "首位命中率" in report and "数值" in report
    assert ">numeric<" not in report and ">hit@1<" not in report and str(app_server.cfg.index_dir) not in report
    grades = GradeStore(app_server.cfg.grades_db).grades(run_id)
    assert [(g["question_id"], g["grade"], g["citation_ok"], g["comment"]) for g in grades] == [
        ("g1", "正确", True, "答案与参考一致 <b>好</b>")]
    assert "2.47万平方公里" in grades[0]["answer"]


def test_graders_are_recorded_also_in_an_older_file(tmp_path):
    import sqlite3

    path = tmp_path / "grades.sqlite"
    with sqlite3.connect(path) as db:  # the table as files before graders were recorded hold it
        db.execute("CREATE TABLE grades (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, "
                   "question_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
                   "question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '', grade TEXT NOT NULL, "
                   "citation_ok INTEGER, comment TEXT NOT NULL DEFAULT '', UNIQUE (run_id, question_id))")
        db.execute("INSERT INTO grades (run_id, question_id, created_at, updated_at, grade) "
                   "VALUES ('r', 'old', 'x', 'x', '正确')")
    store = GradeStore(path)
    store.save("r", "q1", "问", "答", "错误", None, "", grader="alice")
    assert [(g["question_id"], g["grader"]) for g in store.grades("r")] == [("old", ""), ("q1", "alice")]
    with (store.export("r", tmp_path / "g.csv")).open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[1]["评分人"] == "alice"
