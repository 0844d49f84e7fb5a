"""List completeness, lead accuracy and wrong numbers: hand-made cases with known values, the `items` field
of question sets (JSONL/CSV/XLSX), and the new metrics in the summary table and the report (no model)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from policyqa.evaluation import metrics as M
from policyqa.evaluation.question_export import write_questions_csv, write_questions_jsonl, write_questions_xlsx
from policyqa.evaluation.questions import Question, load_questions
from policyqa.evaluation.report import HEADLINE, lower_is_better, metric_label, render_report
from policyqa.evaluation.summary import format_summary

ITEMS = ["湛江综合服务发展核", "茂名港产城融合发展核", "湛茂发展轴", "沿海经济带"]
NOT_STATED = "文件未载明广湛高铁的通车年份。"  # the second refusal: document found, fact not stated


def answer(qid: str, text: str, refused: bool = False) -> dict:
    return {"id": qid, "question": "", "answer": text, "refused": refused, "citations": [], "contexts": [],
            "timings_ms": {"total": 10.0}}


# ---------------------------------------------------------------- list completeness


def test_list_completeness_counts_items_like_keywords():
    text = "主要包括：\n1. 湛江综合服务发展核[1]；\n2. 茂名港产城融合\n发展核[2]；\n3. 湛茂 发展轴[1]。"
    assert M.list_completeness(text, ITEMS) == 0.75  # 3 of 4; markers, line breaks and spaces ignored
    assert M.list_completeness("ＲＣＥＰ规则", ["rcep"]) == 1.0  # full-width and case folded
    assert M.list_completeness("什么都没有。", ITEMS) == 0.0
    assert M.list_completeness("随便", []) is None


def test_an_item_written_short_counts_when_one_line_holds_most_of_it_and_all_its_figures():
    """A reader writes 带电动自行车或蓄电池进电梯 for the article's 携带电动自行车或者其蓄电池进入电梯轿厢."""
    text = "共2项：\n（一）携带电动自行车或者其蓄电池进入电梯轿厢[1]。\n（二）县级财政安排1.1亿元[2]。"
    assert M.list_completeness(text, ["带电动自行车或蓄电池进电梯"]) == 1.0
    assert M.list_completeness(text, ["县级财政1.1亿元"]) == 1.0
    assert M.list_completeness(text, ["县级财政1.2亿元"]) == 0.0  # another figure is another item
    assert M.list_completeness(text, ["私拉电线“飞线”充电"]) == 0.0  # not in the answer
    assert M.missing_items(text, ["私拉电线“飞线”充电", "县级财政1.1亿元"]) == ["私拉电线“飞线”充电"]


# ---------------------------------------------------------------- lead sentence


def test_lead_sentence_splits_after_removing_markers():
    assert M.lead_sentence("比例不低于66%[1]。其次是公交[2]。") == "比例不低于66%"
    assert M.lead_sentence("[1]。  可以！后文") == "可以"  # an empty first piece is skipped
    assert M.lead_sentence("要不要？要") == "要不要"
    assert M.lead_sentence("Yes! and more") == "Yes"
    assert M.lead_sentence("面积2.47万平方公里；另有") == "面积2.47万平方公里；另有"  # ； does not end the lead
    assert M.lead_sentence("") == ""


def test_lead_ok():
    kws = ["2.47万平方公里"]
    assert M.lead_ok("土地总面积2.47万[1]平方公里。包括两市。", kws) is True  # the marker splits the keyword
    assert M.lead_ok("湛茂都市圈包括两市全域。土地总面积2.47万平方公里[1]。", kws) is False  # only in sentence 2
    assert M.lead_ok("一是湛江。二是茂名。", ["茂名", "湛江"]) is True  # one keyword is enough
    assert M.lead_ok("随便", []) is None
    # a list's first item is its lead: a gold item there counts though the keywords stand in later items
    listed = "共2项：\n1. 在楼梯间停放电动自行车[1]。\n2. 携带蓄电池进入电梯轿厢[2]。"
    assert M.lead_ok(listed, ["电梯轿厢"], ["楼梯间停放电动自行车", "蓄电池进入电梯轿厢"]) is True
    assert M.lead_ok(listed, ["电梯轿厢"], ["蓄电池进入电梯轿厢"]) is False


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, values", [
    ("土地总面积2.47万平方公里[1]。", {24700}),  # 万 scales; the [1] marker is no number
    ("一百三十九万亩", {1390000}),
    ("每立方厘米超过五千个", {5000}),
    ("比例为百分之六十六", {66}),
    ("比例为６６％", {66}),
    ("到二〇三〇年", {2030}),
    ("1,327家企业，2025年", {1327, 2025}),
    ("超过一万人", {10000}),
    ("根据第十二条和第3款，建设一个中心、一批项目", set()),  # ordinals, the article 一
    ("1. 湛江\n2. 茂名\n（3）阳江", set()),  # list numbering
    ("统一规划，进一步推进，融入珠三角", set()),  # numerals inside words, no unit
])
def test_numbers(text, values):
    assert M.numbers(text) == {Decimal(v) for v in values}


def test_numbers_of_keywords_keep_ordinals():
    assert M.numbers("第3条", ordinals=True) == {Decimal(3)}


# ---------------------------------------------------------------- wrong number

NUMERIC = Question("n1", "到2030年城市绿色出行比例目标是多少？", "不低于66%。", True, "numeric", [], ["66%"])


@pytest.mark.parametrize("text, refused, wrong", [
    ("到2030年，城市绿色出行比例不低于66%[1]。", False, False),
    ("比例不低于60%[1]。后文又说66%。", False, True),  # the lead gives another number
    ("比例不低于百分之六十六。", False, False),  # the same value in Chinese numerals
    ("到2030年，比例将明显提高。", False, False),  # only the question's own year: no answer number
    ("文件要求大幅提高绿色出行比例。", False, False),  # no number at all: a keyword miss, not a wrong number
    ("根据第3条，比例将提高。", False, False),  # an ordinal is no answer
    ("未在已收录的文件中找到该问题的答案。", True, False),
])
def test_wrong_number_numeric(text, refused, wrong):
    assert M.wrong_number(NUMERIC, text, refused) is wrong


def test_wrong_number_scope():
    unanswerable = Question("u1", "广湛高铁预计哪一年建成通车？", answerable=False, type="unanswerable")
    assert M.wrong_number(unanswerable, "预计2027年建成通车[1]。", False) is True
    assert M.wrong_number(unanswerable, "预计二〇二七年建成。", False) is True
    assert M.wrong_number(unanswerable, "文件只说要加快建设。", False) is False
    # a refusal (either wording) never counts, even when it mentions other figures
    assert M.wrong_number(unanswerable, "文件未载明通车年份，只给出线路全长约400公里。", True) is False
    # not checked: a factoid question, a numeric question whose keywords hold no digit
    factoid = Question("f", "用好什么政策红利？", type="factoid", keywords=["RCEP"])
    assert M.wrong_number(factoid, "100%", False) is None
    words = Question("w", "设计时速是多少？", type="numeric", keywords=["三百五十公里"])
    assert not M.is_numeric_question(words) and M.wrong_number(words, "300公里", False) is None
    assert M.is_numeric_question(NUMERIC)


# ---------------------------------------------------------------- evaluate


def shape_set() -> tuple[list[Question], list[dict]]:
    qs = [
        Question("L1", "“双核一轴一带”指什么？", "", True, "list", keywords=["湛江综合服务发展核"], items=ITEMS),
        Question("L2", "同上，被拒答", "", True, "list", items=ITEMS),
        Question("L3", "只有列表项的题", "", True, "list", items=ITEMS),
        Question("N1", NUMERIC.question, "", True, "numeric", keywords=["66%"]),
        Question("N2", "浮山岭的负氧离子浓度有多高？", "", True, "numeric", keywords=["5000个"]),
        Question("U1", "广湛高铁预计哪一年建成通车？", "", False, "unanswerable"),
        Question("U2", "票价多少？", "", False, "unanswerable"),
    ]
    answers = [
        answer("L1", "湛江综合服务发展核[1]、茂名港产城融合发展核[1]、湛茂发展轴[2]。"),  # 3 of 4, lead ok
        answer("L2", NOT_STATED, refused=True),
        answer("L3", "规划提出了空间格局。包括湛茂发展轴、沿海经济带[1]。"),  # 2 of 4, items only in sentence 2
        answer("N1", "比例不低于60%[1]。"),  # wrong number
        answer("N2", "每立方厘米超过五千个[1]。"),  # right, in Chinese numerals: the same value as the keyword
        answer("U1", NOT_STATED, refused=True),
        answer("U2", "票价100元[1]。"),  # answered with a number
    ]
    return qs, answers


def test_evaluate_list_lead_and_wrong_number():
    qs, answers = shape_set()
    res = M.evaluate(qs, answers)
    rows = {r["id"]: r for r in res.rows}
    assert {"list_completeness", "missing_items", "lead_ok", "wrong_number"} <= set(M.ROW_COLUMNS)
    assert rows["L1"]["list_completeness"] == 0.75 and rows["L1"]["missing_items"] == "沿海经济带"
    assert rows["L1"]["lead_ok"] is True
    assert rows["L2"]["list_completeness"] == 0.0 and rows["L2"]["lead_ok"] is False  # refused → 0
    assert rows["L3"]["list_completeness"] == 0.5 and rows["L3"]["lead_ok"] is False  # items-only lead
    assert rows["N1"]["list_completeness"] is None and rows["N1"]["lead_ok"] is False
    assert rows["N1"]["wrong_number"] is True and rows["N2"]["wrong_number"] is False
    assert rows["N2"]["lead_ok"] is True  # lead accuracy compares keywords by value, as keyword coverage does
    assert rows["U1"]["wrong_number"] is False and rows["U2"]["wrong_number"] is True
    assert rows["L1"]["wrong_number"] is None  # list questions are not checked for numbers
    assert rows["U1"]["lead_ok"] is None and rows["U1"]["list_completeness"] is None

    m = res.metrics
    assert m["list_completeness"] == pytest.approx((0.75 + 0 + 0.5) / 3)
    assert m["lead_accuracy"] == pytest.approx(2 / 5)  # L1 and N2 of L1, L2, L3, N1, N2
    assert m["wrong_number"] == pytest.approx(2 / 4) and m["n_wrong_number"] == 2  # N1, U2 of N1, N2, U1, U2
    # both refusal wordings are refusals: the flag decides, not the text
    assert m["refusal_rate"] == 0.5 and rows["U1"]["correct_refusal"] is True

    assert res.by_type["list"]["list_completeness"] == pytest.approx(1.25 / 3)
    assert res.by_type["list"]["wrong_number"] is None and res.by_type["list"]["n_wrong_number"] == 0
    assert res.by_type["numeric"]["wrong_number"] == 0.5 and res.by_type["numeric"]["list_completeness"] is None
    assert res.by_type["numeric"]["lead_accuracy"] == 0.5  # N2 of N1, N2
    assert res.by_type["unanswerable"]["wrong_number"] == 0.5

    failures = {f["id"]: f for f in res.failures}
    assert failures["L1"]["reasons"] == ["incomplete_list"]
    assert failures["L1"]["missing_items"] == ["沿海经济带"] and failures["L1"]["list_completeness"] == 0.75
    assert failures["L2"]["reasons"] == ["false_refusal"]  # no list or lead to judge in a refusal
    assert failures["L3"]["reasons"] == ["incomplete_list", "lead_miss"]
    assert failures["N1"]["reasons"] == ["missing_keywords", "lead_miss", "wrong_number"]
    assert failures["N1"]["lead"] == "比例不低于60%" and failures["N1"]["wrong_number"] is True
    assert failures["U2"]["reasons"] == ["not_refused", "wrong_number"]
    assert "U1" not in failures
    assert [f["id"] for f in res.failures if "wrong_number" in f["reasons"]] == ["N1", "U2"]
    json.dumps(res.to_dict(), ensure_ascii=False)


def test_new_metrics_are_undefined_without_items_or_checked_questions():
    qs = [Question("f", "用好什么政策红利？", "", True, "factoid", keywords=["RCEP"])]
    m = M.evaluate(qs, [answer("f", "RCEP政策红利[1]。")]).metrics
    assert m["list_completeness"] is None and m["lead_accuracy"] == 1.0
    assert m["wrong_number"] is None and m["n_wrong_number"] == 0


# ---------------------------------------------------------------- question sets


def test_items_in_jsonl(tmp_path):
    path = tmp_path / "q.jsonl"
    lines = [
        {"id": "1", "question": "有哪些？", "type": "list", "items": ["甲", " 乙 ", ""]},
        {"id": "2", "question": "有哪些？", "items": "丙|丁；戊"},
        {"id": "3", "question": "几个？", "keywords": ["3个"]},
    ]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    qs = load_questions(path).questions
    assert [q.items for q in qs] == [["甲", "乙"], ["丙", "丁", "戊"], []]
    assert qs[0].to_dict()["items"] == ["甲", "乙"]
    assert "items" not in qs[2].to_dict()  # written only when non-empty
    path.write_text('{"id": "1", "question": "好", "items": 3}\n', "utf-8")
    with pytest.raises(ValueError, match="items 应为字符串列表"):
        load_questions(path)


def test_items_in_csv_columns(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("id,question,keywords,items\n1,有哪些？,甲,甲|乙；丙\n2,没有列表,丁,\n", "utf-8")
    qs = load_questions(path).questions
    assert qs[0].items == ["甲", "乙", "丙"] and qs[0].keywords == ["甲"] and qs[1].items == []
    # Chinese headers: 列表项; 要点 beside a 关键词 column holds the items ...
    path.write_text("编号,问题,关键词,列表项\n1,有哪些？,甲,甲\n", "utf-8")
    assert load_questions(path).questions[0].items == ["甲"]
    path.write_text('编号,问题,关键词,要点\n1,有哪些？,甲,"甲\n乙"\n', "utf-8")
    q = load_questions(path).questions[0]
    assert q.keywords == ["甲"] and q.items == ["甲", "乙"]
    # ... while 要点 alone still means the keywords (older sheets)
    path.write_text("编号,问题,要点\n1,有哪些？,甲|乙\n", "utf-8")
    q = load_questions(path).questions[0]
    assert q.keywords == ["甲", "乙"] and q.items == []


def test_items_in_xlsx_columns(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "问题", "关键词", "要点"])
    ws.append([1, "有哪些？", "湛江", "湛江综合服务发展核\n茂名港产城融合发展核"])
    ws.append([2, "几个？", "3个", None])
    path = tmp_path / "staff.xlsx"
    wb.save(path)
    qs = load_questions(path).questions
    assert qs[0].items == ["湛江综合服务发展核", "茂名港产城融合发展核"] and qs[0].keywords == ["湛江"]
    assert qs[1].items == []


def test_items_round_trip(tmp_path):
    qs = [Question("1", "有哪些？", "甲、乙。", True, "list", keywords=["甲"], items=["甲", "乙 丙", "丁"]),
          Question("2", "几个？", "3个。", True, "numeric", keywords=["3个"])]
    for path in (write_questions_jsonl(qs, tmp_path / "q.jsonl"), write_questions_csv(qs, tmp_path / "q.csv"),
                 write_questions_xlsx(qs, tmp_path / "q.xlsx")):
        assert load_questions(path).questions == qs


# ---------------------------------------------------------------- summary and report


def _summary() -> tuple[dict, M.EvalResult]:
    qs, answers = shape_set()
    res = M.evaluate(qs, answers)
    summary = {"name": "t", "n_questions": len(qs), "metrics": res.metrics, "by_type": res.by_type,
               "by_doc": res.by_doc, "index": {"documents": 5, "chunks": 50}, "seconds": {"total": 1.0},
               "n_failures": len(res.failures)}
    return summary, res


def test_summary_table_shows_the_new_metrics():
    summary, _ = _summary()
    text = format_summary(summary)
    lines = {line.split()[0]: line.split()[1] for line in text.splitlines() if line.split() and
             line.split()[0] in ("list_completeness", "lead_accuracy", "wrong_number")}
    assert lines == {"list_completeness": "0.417", "lead_accuracy": "0.400", "wrong_number": "0.500"}
    assert "数字错误 2 题" in text
    assert {"list_completeness", "lead_accuracy", "wrong_number"} <= set(HEADLINE)
    assert lower_is_better("wrong_number") and not lower_is_better("lead_accuracy")


def test_report_shows_the_new_metrics_and_reasons():
    summary, res = _summary()
    html = render_report(summary, res.rows, res.failures)
    head, by_type = html.split("<h2>按题型</h2>")[0], html.split("<h2>按题型</h2>")[1].split("<h2>按文档</h2>")[0]
    for key in ("list_completeness", "lead_accuracy", "wrong_number"):  # Chinese names, the key on hover
        label = metric_label(key)
        assert label != key
        assert f'<td class="l" title="{key}">{label}</td>' in head and f'<th title="{key}">{label}</th>' in by_type
    assert "<td>0.417</td>" in by_type  # list completeness of the list type
    assert "列表不完整" in html and "首句未答出要点" in html and "数字错误" in html
    assert "缺少列表项：沿海经济带" in html and "首句：比例不低于60%" in html
