"""Metrics on hand-made cases with known values, and question-set reading/writing (no model needed)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from policyqa.evaluation import metrics as M
from policyqa.evaluation.questions import (
    Evidence,
    Question,
    QuestionSetError,
    load_questions,
    load_squad,
)
from policyqa.evaluation.question_export import write_questions_csv, write_questions_jsonl, write_questions_xlsx
from policyqa.text import normalize, strip_marks

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "eval" / "dev_questions.jsonl"

Q19 = "城乡居民可支配收入比值控制在1.6以内"  # 19 characters
QA = "湛茂都市圈包括湛江、茂名两市全域，土地总面积2.47万平方公里"
QB = "茂名港拥有全国最大的海上单点系泊原油码头、亚洲最大海底输油管线"
FILLER = "加强生态环境保护，推动绿色低碳发展。"


def ctx(rank: int, text: str, doc: str = "a.txt") -> dict:
    return {"rank": rank, "doc": doc, "clause": "", "text": text, "score": 1.0 / rank}


def answer(qid: str, text: str = "", *, contexts=(), citations=(), refused=False, total=100.0) -> dict:
    return {"id": qid, "question": "", "answer": text, "refused": refused, "citations": list(citations),
            "contexts": list(contexts), "timings_ms": {"retrieve": total / 4, "answer": total * 3 / 4, "total": total}}


# ---------------------------------------------------------------- text and evidence


def test_normalize_and_markers():
    assert normalize(" 2.47 万\t平方\n公里\u3000") == "2.47万平方公里"
    assert strip_marks("总面积[1]为2.47万[2,3]平方公里【4】") == "总面积为2.47万平方公里"


def test_longest_common_substring():
    assert M.longest_common_substring("abcdef", "xxcdeyy") == 3
    assert M.longest_common_substring("abc", "xyz") == 0
    assert M.longest_common_substring("", "abc") == 0


def test_evidence_full_partial_and_doc():
    ev = Evidence("a.txt", Q19)
    # whitespace and line breaks inside the retrieved text do not matter
    assert M.evidence_match("前文。城乡居民可支配\n收入比值 控制在1.6以内。后文", "a.txt", ev) == 1.0
    # chunk boundary cut the quote: 14 of 19 characters
    assert M.evidence_match("……城乡居民可支配收入比值控制在", "a.txt", ev) == pytest.approx(14 / 19)
    # 8 of 19 characters (42 %) is below the 60 % threshold
    assert M.evidence_match("城乡居民可支配收", "a.txt", ev) == 0.0
    # right text, wrong document
    assert M.evidence_match(Q19, "b.txt", ev) == 0.0
    # a context without a doc is judged on text alone; extensions are ignored
    assert M.evidence_match(Q19, None, ev) == 1.0
    assert M.evidence_match(Q19, "a", ev) == 1.0
    # short quote: 7 of 10 characters is 70 % but under the 8-character floor
    short = Evidence("a.txt", "一二三四五六七八九十")
    assert M.evidence_match("一二三四五六七", "a.txt", short) == 0.0
    assert M.evidence_match("一二三四五六七八", "a.txt", short) == pytest.approx(0.8)
    # whole-passage evidence (SQuAD): the document decides
    assert M.evidence_match("anything", "DEV_0.txt", Evidence("DEV_0", "")) == 1.0
    assert M.evidence_match("anything", "DEV_1", Evidence("DEV_0", "")) == 0.0
    assert M.evidence_match("anything", None, Evidence("DEV_0", "")) == 0.0
    # dict evidence works too
    assert M.evidence_match(Q19, "a.txt", {"doc": "a.txt", "quote": Q19}) == 1.0


def test_supports():
    q = Question("x", "?", evidence=[Evidence("a.txt", QA), Evidence("a.txt", QB)])
    assert M.supports(QB, "a.txt", q)
    assert not M.supports(FILLER, "a.txt", q)
    assert M.supports(QA, "a.txt", q.to_dict())  # plain dicts are accepted
    assert not M.supports(QA, "a.txt", Question("u", "?", answerable=False))


# ---------------------------------------------------------------- retrieval


def test_ndcg_hand_computed():
    # two evidence items found at ranks 2 and 4: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
    assert M.ndcg_at_k([2, 4], 2) == pytest.approx(0.650921, abs=1e-6)
    assert M.ndcg_at_k([1], 1) == 1.0
    assert M.ndcg_at_k([3], 1) == pytest.approx(0.5)
    assert M.ndcg_at_k([None, 11], 2) == 0.0  # beyond the cut-off
    assert M.ndcg_at_k([1, 1], 2) == 1.0  # one chunk holding both items is capped at 1


def test_retrieval_single_evidence():
    q = Question("x", "?", evidence=[Evidence("a.txt", Q19)])
    contexts = [ctx(r, FILLER) for r in range(1, 11)]
    contexts[2] = ctx(3, "前文" + Q19)
    contexts[5] = ctx(6, Q19)  # an overlapping chunk with the same quote earns nothing extra
    s = M.retrieval_scores(contexts, q)
    assert s["hit_rank"] == 3
    assert (s["hit1"], s["hit5"], s["hit10"]) == (False, True, True)
    assert s["mrr"] == pytest.approx(1 / 3)
    assert s["ndcg"] == pytest.approx(0.5)
    assert s["all_in_top5"] is True


def test_retrieval_order_follows_rank_field():
    q = Question("x", "?", evidence=[Evidence("a.txt", Q19)])
    contexts = [ctx(2, Q19), ctx(1, FILLER)]
    assert M.retrieval_scores(contexts, q)["hit_rank"] == 2


def test_retrieval_multi_evidence():
    q = Question("x", "?", evidence=[Evidence("a.txt", QA), Evidence("a.txt", QB)])
    contexts = [ctx(r, FILLER) for r in range(1, 11)]
    contexts[1] = ctx(2, QA)
    contexts[6] = ctx(7, QB[:-4])  # partial: 27 of 31 characters
    s = M.retrieval_scores(contexts, q)
    assert s["hit_rank"] == 2 and s["mrr"] == 0.5 and not s["hit1"] and s["hit5"]
    assert s["all_in_top5"] is False  # the second item only at rank 7
    assert s["ndcg"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(8)) / (1 + 1 / math.log2(3)))
    # one chunk at rank 3 holding both items: all evidence in top 5
    contexts = [ctx(r, FILLER) for r in range(1, 11)]
    contexts[2] = ctx(3, QA + FILLER + QB)
    s = M.retrieval_scores(contexts, q)
    assert s["all_in_top5"] is True and s["hit_rank"] == 3
    # nothing found
    s = M.retrieval_scores([ctx(r, FILLER) for r in range(1, 11)], q)
    assert s["hit_rank"] is None and s["mrr"] == 0 and s["ndcg"] == 0 and not s["hit10"]


# ---------------------------------------------------------------- answers


def test_keyword_coverage():
    kws = ["2.47万平方公里", "湛江"]
    assert M.keyword_coverage("土地总面积 2.47 万平方公里[1]。", kws) == 0.5
    assert M.keyword_coverage("湛江……2.47万[1]平方公里", kws) == 1.0  # the marker splits a keyword
    assert M.keyword_coverage("比例为６６％", ["66%"]) == 1.0  # full-width digits
    assert M.keyword_coverage("RCEP 规则", ["rcep"]) == 1.0
    assert M.keyword_coverage("光荣", ["光荣和ω-force", "光荣"], any_of=True) == 1.0
    assert M.keyword_coverage("任天堂", ["光荣和ω-force", "光荣"], any_of=True) == 0.0
    assert M.keyword_coverage("whatever", []) is None
    assert M.missing_keywords("土地总面积2.47万平方公里", kws) == ["湛江"]


def test_a_note_after_the_full_stop_stays_with_the_lead():
    assert M.lead_sentence("推进储运工程建设。（牵头单位：甲省能源局）[1]。其余[2]。") == "推进储运工程建设。（牵头单位：甲省能源局）"
    assert M.lead_ok("推进储运工程建设。（牵头单位：甲省能源局）[1]", ["甲省能源局"]) is True
    assert M.lead_sentence("第一句[1]。第二句[2]。") == "第一句"


def test_keywords_compare_by_value():
    # the document's way of writing a figure is no miss: 80% answers 百分之八十, and the other way round
    assert M.keyword_coverage("覆盖率达到80%以上[1]。", ["百分之八十"]) == 1.0
    assert M.keyword_coverage("处百分之五十的罚款[1]。", ["50%"]) == 1.0
    assert M.keyword_coverage("处50元以上500元以下罚款[1]。", ["五十元以上五百元以下"]) == 1.0
    assert M.keyword_coverage("总投资1,200万元[1]。", ["1200万元"]) == 1.0
    assert M.lead_ok("比例达到百分之六十[1]。其余……", ["60%"]) is True
    # a different value is still a miss, and so is the same value of another unit
    assert M.keyword_coverage("覆盖率达到70%[1]。", ["百分之八十"]) == 0.0
    assert M.keyword_coverage("处五十元罚款[1]。", ["50万元"]) == 0.0
    assert M.missing_keywords("处五百元罚款", ["500元", "吊销"]) == ["吊销"]


def test_char_f1():
    # pred chars 湛江茂名, ref chars 湛江市: 2 common → P 1/2, R 2/3, F1 4/7
    assert M.char_f1("湛江、茂名[1]。", "湛江市") == pytest.approx(4 / 7)
    assert M.char_f1("2.47万平方公里", "2.47 万平方公里。") == 1.0
    assert M.char_f1("", "湛江") == 0.0
    assert M.f1_score("湛江", ["茂名", "湛江市"]) == pytest.approx(0.8)  # max over references
    assert M.f1_score("湛江", []) is None


def test_citations_and_support_rate():
    q = Question("x", "?", evidence=[Evidence("a.txt", QA), Evidence("a.txt", QB)])
    cits = [
        {"n": 1, "doc": "a.txt", "paragraph_id": "p1", "text": "前文" + QA, "quote": "", "supported": True},
        {"n": 2, "doc": "a.txt", "paragraph_id": "p2", "text": FILLER, "quote": "", "supported": False},
        {"n": 3, "doc": "a.txt", "paragraph_id": "p1", "text": "前文" + QA, "quote": "", "supported": True},
    ]
    precision, recall = M.citation_scores(cits, q)
    assert precision == 0.5  # p1 supports, p2 does not; the repeated p1 counts once
    assert recall == 0.5  # QB is never cited
    assert M.support_rate(cits) == pytest.approx(2 / 3)
    assert M.citation_scores([], q) == (None, 0.0)
    assert M.support_rate([]) is None
    # a citation of the right text in another document does not count
    wrong_doc = [dict(cits[0], doc="b.txt")]
    assert M.citation_scores(wrong_doc, q) == (0.0, 0.0)


def test_percentile():
    assert M.percentile([100, 200, 300, 400], 50) == 250
    assert M.percentile([100, 200, 300, 400], 95) == pytest.approx(385)
    assert M.percentile([], 50) is None


# ---------------------------------------------------------------- evaluate / compare


def small_set() -> tuple[list[Question], list[dict]]:
    qs = [
        Question("q1", "比值控制在多少？", "控制在1.6以内。", True, "numeric", [Evidence("a.txt", Q19)], ["1.6以内"]),
        Question("q2", "面积和码头？", "2.47万平方公里；单点系泊原油码头。", True, "cross-doc",
                 [Evidence("a.txt", QA), Evidence("b.txt", QB)], ["2.47万平方公里", "单点系泊原油码头"]),
        Question("q3", "哪年通车？", "", True, "factoid", [Evidence("a.txt", Q19)], ["2030年"]),
        Question("u1", "广湛高铁哪年通车？", "", False, "unanswerable"),
        Question("u2", "票价多少？", "", False, "unanswerable"),
    ]
    filler = [ctx(r, FILLER) for r in range(1, 11)]
    a1 = filler.copy()
    a1[0] = ctx(1, Q19)
    a2 = filler.copy()
    a2[1], a2[3] = ctx(2, QA), ctx(4, QB, doc="b.txt")
    answers = [
        answer("q1", "控制在1.6以内[1]。", contexts=a1, total=100,
               citations=[{"n": 1, "doc": "a.txt", "paragraph_id": "p", "text": Q19, "supported": True}]),
        answer("q2", "总面积2.47万平方公里[1]。", contexts=a2, total=200,
               citations=[{"n": 1, "doc": "a.txt", "paragraph_id": "p", "text": QA, "supported": True}]),
        answer("q3", "文档未提及。", contexts=filler, refused=True, total=300),
        answer("u1", "文档未提及。", contexts=filler, refused=True, total=400),
        answer("u2", "票价100元[1]。", contexts=filler, total=500,
               citations=[{"n": 1, "doc": "a.txt", "paragraph_id": "p", "text": FILLER, "supported": False}]),
    ]
    return qs, answers


def test_evaluate_overall():
    qs, answers = small_set()
    res = M.evaluate(qs, answers)
    m = res.metrics
    assert (m["n_questions"], m["n_answerable"], m["n_unanswerable"], m["n_retrieval"], m["n_multi_evidence"]) \
        == (5, 3, 2, 3, 1)
    # ranks: q1 1, q2 2, q3 none (unanswerable questions excluded)
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)
    ndcg_q2 = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m["ndcg@10"] == pytest.approx((1 + ndcg_q2 + 0) / 3)
    assert m["all_evidence@5"] == 1.0
    assert m["keyword_coverage"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["keyword_full"] == pytest.approx(1 / 3)
    assert m["citation_precision"] == 1.0  # q3 has no citations: undefined, left out
    assert m["citation_recall"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["support_rate"] == 1.0  # answerable questions only
    assert m["refusal_rate"] == 0.5
    assert m["false_refusal_rate"] == pytest.approx(1 / 3)
    assert m["refusal_accuracy"] == pytest.approx(3 / 5)
    assert m["latency_total_p50_ms"] == 300 and m["latency_total_p95_ms"] == pytest.approx(480)
    assert m["latency_retrieve_p50_ms"] == 75
    assert 0 < m["f1"] < 1

    rows = {r["id"]: r for r in res.rows}
    assert set(rows["q1"]) == set(M.ROW_COLUMNS)
    assert rows["q2"]["hit_rank"] == 2 and rows["q2"]["missing_keywords"] == "单点系泊原油码头"
    assert rows["u1"]["hit_rank"] is None and rows["u1"]["correct_refusal"] is True
    assert rows["u2"]["correct_refusal"] is False and rows["u2"]["keyword_coverage"] is None
    assert "✓" in rows["q1"]["top_retrieved"]

    assert res.by_type["cross-doc"]["hit@1"] == 0.0 and res.by_type["numeric"]["hit@1"] == 1.0
    assert res.by_type["unanswerable"]["refusal_rate"] == 0.5
    assert res.by_doc["b.txt"]["n_questions"] == 1 and res.by_doc["a.txt"]["n_questions"] == 3

    failures = {f["id"]: f for f in res.failures}
    assert set(failures) == {"q2", "q3", "u2"}
    assert failures["q2"]["reasons"] == ["missing_keywords"]
    assert failures["q3"]["reasons"] == ["retrieval_miss@5", "missing_keywords", "false_refusal"]
    assert failures["u2"]["reasons"] == ["not_refused", "wrong_number"]  # "票价100元" for an unanswerable question
    assert len(failures["q3"]["top3"]) == 3 and failures["q3"]["expected_evidence"][0]["doc"] == "a.txt"
    json.dumps(res.to_dict(), ensure_ascii=False)  # serialisable


def test_evaluate_missing_answer_and_dict_inputs():
    qs, answers = small_set()
    res = M.evaluate([q.to_dict() for q in qs], {a["id"]: a for a in answers[1:]})
    assert res.metrics["n_missing_answers"] == 1
    row = res.rows[0]
    assert row["missing_answer"] and row["hit_rank"] is None and row["keyword_coverage"] == 0
    assert "missing_answer" in res.failures[0]["reasons"]


def test_compare():
    qs, answers = small_set()
    a = M.evaluate(qs, answers)
    better = [dict(x) for x in answers]
    better[2] = answer("q3", "2030年[1]", contexts=[ctx(1, Q19)], total=300)  # q3: found and answered
    better[0] = dict(answers[0], contexts=[ctx(1, FILLER), ctx(2, Q19)])  # q1: rank 1 → 2
    better[4] = dict(answers[4], refused=True)  # u2 now refused
    b = M.evaluate(qs, better)
    c = M.compare(a.metrics, b.metrics, a.rows, b.rows)
    assert c["metrics"]["hit@5"]["diff"] == pytest.approx(1 / 3)
    assert c["metrics"]["refusal_rate"]["diff"] == 0.5
    assert c["metrics"]["n_questions"]["diff"] == 0
    assert c["questions"]["wins"] == ["q3", "u2"]
    assert c["questions"]["losses"] == ["q1"]
    assert c["questions"]["ties"] == 2
    assert c["aspects"]["retrieval"] == {"wins": 1, "losses": 1}
    assert c["aspects"]["refusal"] == {"wins": 2, "losses": 0}  # q3's false refusal is gone too
    assert {x["id"]: x["verdict"] for x in c["changes"]} == {"q1": "loss", "q3": "win", "u2": "win"}


# ---------------------------------------------------------------- question sets


def sample_questions() -> list[Question]:
    return [
        Question("001", "湛茂都市圈土地总面积是多少？", "2.47万平方公里。", True, "numeric",
                 [Evidence("002_x.txt", QA)], ["2.47万平方公里"]),
        Question("d206", "“双核”指什么？", "两个发展核。", True, "factoid",
                 [Evidence("002_x.txt", "湛江综合服务发展核"), Evidence("003_y.txt", "茂名港产城融合发展核")],
                 ["湛江综合服务发展核", "石化、能源、旅游"]),
        Question("d207", "表格里写了什么？", "", True, "list", [Evidence("004_z.md", "指标|2025年")], ["指标"]),
        Question("d205", "广湛高铁哪年通车？", "文档未提及。", False, "unanswerable"),
        Question("s1", "谁开发的？", "光荣和ω-force", True, "extractive", [Evidence("DEV_0", "")],
                 ["光荣和ω-force", "光荣"], keywords_any=True),
    ]


def test_round_trip_jsonl_csv_xlsx(tmp_path):
    qs = sample_questions()
    loaded = [
        load_questions(write_questions_jsonl(qs, tmp_path / "q.jsonl")),
        load_questions(write_questions_csv(qs, tmp_path / "q.csv")),
        load_questions(write_questions_xlsx(qs, tmp_path / "q.xlsx")),
    ]
    assert [s.format for s in loaded] == ["jsonl", "csv", "xlsx"]
    for s in loaded:
        assert s.questions == qs


def test_round_trip_real_dev_set(tmp_path):
    dev = load_questions(DEV)
    assert len(dev) == 30 and dev.format == "jsonl"
    assert sum(not q.answerable for q in dev) == 4
    assert len(dev.by_id()["d211"].evidence) == 3
    csv_set = load_questions(write_questions_csv(dev, tmp_path / "dev.csv"))
    xlsx_set = load_questions(write_questions_xlsx(dev, tmp_path / "dev.xlsx"))
    assert csv_set.questions == dev.questions == xlsx_set.questions
    # and as a plain JSON list
    (tmp_path / "dev.json").write_text(json.dumps([q.to_dict() for q in dev], ensure_ascii=False), encoding="utf-8")
    assert load_questions(tmp_path / "dev.json").questions == dev.questions


def test_staff_csv_layout(tmp_path):
    """Hand-typed sheet: Chinese headers, | and ； separators, 是/否, blank answerable, GB18030 encoding."""
    text = (
        "编号,问题,参考答案,是否可答,类型,证据文档,证据原文,关键词\n"
        "1,双核指什么？,两个核,是,factoid,a.txt,湛江综合服务发展核|茂名港产城融合发展核,湛江综合服务发展核；茂名港产城融合发展核\n"
        "2,跨文档?,,TRUE,cross-doc,a.txt|b.txt,甲乙丙|丁戊己,甲|丁\n"
        "3,通车？,,,unanswerable,,,\n"
        ",,,,,,,\n"
        "4,整篇？,,1,factoid,DEV_0,,\n"
    )
    path = tmp_path / "staff.csv"
    path.write_bytes(text.encode("gb18030"))
    qs = load_questions(path).questions
    assert [q.id for q in qs] == ["1", "2", "3", "4"]
    assert qs[0].evidence == [Evidence("a.txt", "湛江综合服务发展核"), Evidence("a.txt", "茂名港产城融合发展核")]
    assert qs[0].keywords == ["湛江综合服务发展核", "茂名港产城融合发展核"]
    assert qs[1].evidence == [Evidence("a.txt", "甲乙丙"), Evidence("b.txt", "丁戊己")] and qs[1].answerable
    assert qs[2].answerable is False and qs[2].evidence == []
    assert qs[3].evidence == [Evidence("DEV_0", "")]


@pytest.mark.parametrize(
    "content, message",
    [
        ("id,query\n1,问题\n", "缺少必需的列：question"),
        ("id,question,answerable\n1,问题,是\n2,问题,也许\n", "第 3 行：answerable 的值“也许”无法识别"),
        ("id,question,evidence_doc,evidence_quote\n1,问题,a.txt|b.txt,甲|乙|丙\n", "无法一一对应"),
        ("id,question\n1,问题\n1,另一个\n", "问题编号“1”重复"),
        ("id,question\n1,\n", "第 2 行：question 列为空"),
        ("id,question\n", "没有任何问题"),
    ],
)
def test_bad_csv(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QuestionSetError, match=message):
        load_questions(path)


def test_bad_files(tmp_path):
    with pytest.raises(QuestionSetError, match="找不到问题集文件"):
        load_questions(tmp_path / "none.jsonl")
    txt = tmp_path / "q.txt"
    txt.write_text("x", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="不支持的问题集格式"):
        load_questions(txt)
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"id": "1", "question": "好"}\n{"id": 2,\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="第 2 行：不是合法的 JSON"):
        load_questions(bad)
    bad.write_text('{"id": "1", "question": "好", "evidence": ["引文"]}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="evidence 中的每一项"):
        load_questions(bad)
    fake = tmp_path / "q.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="无法作为 Excel"):
        load_questions(fake)
    assert issubclass(QuestionSetError, ValueError)


def test_squad(tmp_path):
    data = {"version": "v1.0", "data": [
        {"id": "A", "title": "t", "paragraphs": [
            {"id": "DEV_0", "context": "《战国无双3》是由光荣和ω-force开发的。",
             "qas": [{"id": "DEV_0_QUERY_0", "question": "由谁开发？",
                      "answers": [{"text": "光荣和ω-force", "answer_start": 9},
                                  {"text": "光荣和ω-force", "answer_start": 9},
                                  {"text": "光荣", "answer_start": 9}]},
                     {"id": "DEV_0_QUERY_1", "question": "何时发售？", "answers": [], "is_impossible": True}]},
            {"context": "第二段。", "qas": [{"id": "q2", "question": "第二？", "answers": [{"text": "第二段"}]}]},
        ]},
    ]}
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    questions, passages = load_squad(path)
    assert passages == [("DEV_0", "《战国无双3》是由光荣和ω-force开发的。"), ("A_1", "第二段。")]
    q0 = questions[0]
    assert q0.evidence == [Evidence("DEV_0", "")] and q0.keywords == ["光荣和ω-force", "光荣"] and q0.keywords_any
    assert q0.answer == "光荣和ω-force" and q0.references == ["光荣和ω-force", "光荣"]
    assert questions[1].answerable is False and questions[1].evidence == []
    assert questions[2].evidence == [Evidence("A_1", "")]
    qs = load_questions(path)
    assert qs.format == "squad" and qs.passages == passages and qs.questions == questions
    # scored with passages stored as <id>.txt documents
    contexts = [ctx(1, "x", "A_1.txt"), ctx(2, "y", "DEV_0.txt")]
    res = M.evaluate([q0], [answer("DEV_0_QUERY_0", "是光荣开发的", contexts=contexts)])
    row = res.rows[0]
    assert row["hit_rank"] == 2 and row["keyword_coverage"] == 1.0
    assert row["f1"] == pytest.approx(M.char_f1("是光荣开发的", "光荣"))
    # not SQuAD
    path.write_text('{"data": 3}', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="不是 SQuAD 格式"):
        load_squad(path)
