"""Question sets for evaluation: read them from JSONL, CSV, XLSX or SQuAD-style JSON; write CSV/XLSX/JSONL.

Formats (``load_questions`` dispatches on the file suffix):

* ``.jsonl`` — the shared format, one object per line (see /work/shared/eval/README.md)::

    {"id", "question", "answer", "answerable", "type", "evidence": [{"doc", "quote"}], "keywords": [...],
     "items": [...]}

  An optional ``"keywords_any": true`` means one keyword is enough (see ``Question.keywords_any``). The
  optional ``"items"`` are the gold list items of a list question, verbatim short phrases (scored by the list
  completeness metric); a string is split like keywords.
* ``.json`` — SQuAD v1/v2 style (``{"data": [{"paragraphs": [{"context", "qas": [...]}]}]}``, e.g. CMRC 2018),
  which also brings its passages; or a plain list of objects in the JSONL shape (or ``{"questions": [...]}``).
* ``.csv`` / ``.xlsx`` — the staff layout, one question per row, header in the first row (first sheet, or a
  sheet named ``questions``/``问题``). Columns, matched case-insensitively (Chinese headers in brackets
  are accepted too):

  ============== ======== ================================================================================
  column         required content
  ============== ======== ================================================================================
  id (编号)       yes      unique question id
  question (问题) yes      the question
  answer         no       reference answer (参考答案)
  answerable     no       是/否, true/false, 1/0, yes/no (是否可答); blank → 否 when type is ``unanswerable``,
                          else 是
  type           no       factoid | numeric | list | why-how | cross-doc | paraphrase | unanswerable (类型)
  evidence_doc   no       document file name(s) (证据文档)
  evidence_quote no       verbatim span(s) of that document (证据原文)
  keywords       no       facts a correct answer must contain, separated by ``|``, ``；``, ``;`` or newlines
  keywords_any   no       是/否: one keyword suffices (written only when some question needs it)
  items          no       gold list items of a list question (列表项), separated like keywords. A column
                          headed 要点 holds the items when the sheet also has a keywords column (关键词);
                          alone, 要点 still means the keywords
  ============== ======== ================================================================================

  Several evidence items: put one per line (Alt+Enter in Excel) in both ``evidence_doc`` and
  ``evidence_quote``; the n-th doc goes with the n-th quote. ``|`` also separates items, but only in a cell
  without newlines (so a quote that itself contains ``|`` must be on its own line). A single doc with several
  quotes applies to all of them; docs without quotes mean "the whole document is the gold passage".

CSV files are read as UTF-8 (with or without BOM) or GB18030 (what Excel on Chinese Windows saves) and
written as UTF-8 with BOM so that Excel opens them correctly.

Errors are ``QuestionSetError`` (a ``ValueError``) whose message is user-facing Chinese, naming the file and
the line/row.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from policyqa.errors import QuestionSetError

log = logging.getLogger(__name__)

QUESTION_SUFFIXES = (".jsonl", ".json", ".csv", ".xlsx")  # what load_questions reads
COLUMNS = ("id", "question", "answer", "answerable", "type", "evidence_doc", "evidence_quote", "keywords", "items")
REQUIRED_COLUMNS = ("id", "question")
UNANSWERABLE_TYPE = "unanswerable"
SQUAD_TYPE = "extractive"

# Chinese headers staff are likely to type; mapped onto the canonical column names.
_HEADER_ALIASES = {
    "编号": "id", "序号": "id", "问题": "question", "提问": "question",
    "答案": "answer", "参考答案": "answer", "标准答案": "answer",
    "是否可答": "answerable", "可回答": "answerable", "可答": "answerable",
    "类型": "type", "题型": "type", "问题类型": "type",
    "证据文档": "evidence_doc", "出处文档": "evidence_doc", "文档": "evidence_doc",
    "证据原文": "evidence_quote", "证据": "evidence_quote", "原文": "evidence_quote",
    "关键词": "keywords", "关键要点": "keywords", "要点": "keywords",
    "任一关键词": "keywords_any",
    "列表项": "items", "列表要点": "items", "要点列表": "items",
}
# 要点 names the keywords, unless the sheet has a keywords column besides it: then it holds the list items.
_POINTS = "要点"
_TRUE = {"是", "true", "1", "yes", "y", "t", "可答", "对"}
_FALSE = {"否", "false", "0", "no", "n", "f", "不可答", "错"}
_KEYWORD_SPLIT = re.compile(r"[|；;\n]")


@dataclass(frozen=True)
class Evidence:
    doc: str  # document file name (or passage id); "" = any document
    quote: str  # verbatim span, compared after deleting whitespace; "" = the whole document/passage is gold


@dataclass
class Question:
    id: str
    question: str
    answer: str = ""  # reference answer
    answerable: bool = True
    type: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # True: the keywords are alternative gold answers (SQuAD) — one present is full coverage,
    # and they also serve as extra references for F1.
    keywords_any: bool = False
    # Gold list items (verbatim short phrases) of a list question; scored by list completeness.
    items: list[str] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        """Reference answers for F1: the answer, plus the keywords when they are alternative answers."""
        refs = [self.answer] if self.answer else []
        if self.keywords_any:
            refs += [k for k in self.keywords if k not in refs]
        return refs

    @property
    def docs(self) -> list[str]:
        """Evidence documents, in order, without repeats."""
        return list(dict.fromkeys(e.doc for e in self.evidence if e.doc))

    def to_dict(self) -> dict[str, Any]:
        """The shared JSONL shape (``keywords_any`` only when set, ``items`` only when non-empty)."""
        out: dict[str, Any] = {
            "id": self.id, "question": self.question, "answer": self.answer, "answerable": self.answerable,
            "type": self.type, "evidence": [{"doc": e.doc, "quote": e.quote} for e in self.evidence],
            "keywords": list(self.keywords),
        }
        if self.keywords_any:
            out["keywords_any"] = True
        if self.items:
            out["items"] = list(self.items)
        return out


@dataclass
class QuestionSet:
    """Questions read from one file, plus the passages (doc_id, text) a SQuAD-style file brings."""

    questions: list[Question]
    passages: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None
    format: str = ""  # jsonl | json | squad | csv | xlsx

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, i: int) -> Question:
        return self.questions[i]

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


# ---------------------------------------------------------------- parsing helpers


def _where(path: Path | str | None, loc: str = "") -> str:
    name = Path(path).name if path else "（未命名）"
    return f"问题集 {name}{' ' + loc if loc else ''}"


def parse_bool(value: Any, default: bool | None = None) -> bool | None:
    """是/否, true/false, 1/0, yes/no (any case) → bool; blank → `default`; anything else → ValueError."""
    if isinstance(value, bool):
        return value
    if value is None:
        return default
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def _cell(value: Any) -> str:
    """A spreadsheet cell as text; Excel turns ids like 201 into numbers, so 201.0 → '201'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_text(value: Any) -> str:
    return "" if value is None else _cell(value) if not isinstance(value, str) else value.replace("\r\n", "\n")


def split_keywords(text: str) -> list[str]:
    return [k.strip() for k in _KEYWORD_SPLIT.split(text) if k.strip()]


def _split_items(text: str) -> list[str]:
    # Newline is the separator when present, so a quote may itself contain "|".
    parts = text.split("\n") if "\n" in text else text.split("|")
    return [p.strip() for p in parts if p.strip()]


def _answerable(value: Any, qtype: str, where: str) -> bool:
    try:
        parsed = parse_bool(value)
    except ValueError:
        raise QuestionSetError(f"{where}：answerable 的值“{value}”无法识别（应为 是/否、true/false 或 1/0）") from None
    if parsed is None:  # blank: the type says it
        return qtype.strip().lower() != UNANSWERABLE_TYPE
    return parsed


def _evidence_from_cells(docs_cell: str, quotes_cell: str, where: str) -> list[Evidence]:
    docs, quotes = _split_items(docs_cell), _split_items(quotes_cell)
    if not quotes:
        return [Evidence(doc=d, quote="") for d in docs]
    if not docs:
        return [Evidence(doc="", quote=q) for q in quotes]
    if len(docs) == 1:
        return [Evidence(doc=docs[0], quote=q) for q in quotes]
    if len(docs) != len(quotes):
        raise QuestionSetError(
            f"{where}：evidence_doc 有 {len(docs)} 项而 evidence_quote 有 {len(quotes)} 项，"
            "无法一一对应（多条证据请每行一条，文档与原文按行对应）"
        )
    return [Evidence(doc=d, quote=q) for d, q in zip(docs, quotes)]


def question_from_dict(obj: Mapping[str, Any], where: str = "问题") -> Question:
    """One object in the shared JSON shape → Question (also used by metrics for plain-dict inputs)."""
    if not isinstance(obj, Mapping):
        raise QuestionSetError(f"{where}：应为 JSON 对象，实际是 {type(obj).__name__}")
    missing = [k for k in REQUIRED_COLUMNS if not _cell(obj.get(k))]
    if missing:
        raise QuestionSetError(f"{where}：缺少必需字段 {'、'.join(missing)}")
    qtype = _cell(obj.get("type"))
    evidence_raw = obj.get("evidence") or []
    if not isinstance(evidence_raw, list):
        raise QuestionSetError(f"{where}：evidence 应为列表，形如 [{{\"doc\": …, \"quote\": …}}]")
    evidence = []
    for e in evidence_raw:
        if isinstance(e, Evidence):
            evidence.append(e)
        elif isinstance(e, Mapping) and ("doc" in e or "quote" in e):
            evidence.append(Evidence(doc=_cell(e.get("doc")), quote=_cell(e.get("quote"))))
        else:
            raise QuestionSetError(f"{where}：evidence 中的每一项应为含 doc 和 quote 的对象，实际是 {e!r}")
    keywords = _phrases(obj.get("keywords"), "keywords", where)
    items = _phrases(obj.get("items"), "items", where)
    try:
        keywords_any = bool(parse_bool(obj.get("keywords_any"), default=False))
    except ValueError:
        raise QuestionSetError(f"{where}：keywords_any 的值“{obj.get('keywords_any')}”无法识别") from None
    return Question(
        id=_cell(obj["id"]),
        question=_cell(obj["question"]),
        answer=_cell(obj.get("answer")),
        answerable=_answerable(obj.get("answerable"), qtype, where),
        type=qtype,
        evidence=evidence,
        keywords=keywords,
        keywords_any=keywords_any,
        items=items,
    )


def _phrases(value: Any, name: str, where: str) -> list[str]:
    """A keywords/items field: a list of strings, or one string split at | ； ; and newlines."""
    if not value:
        return []
    if isinstance(value, str):
        return split_keywords(value)
    if not isinstance(value, list):
        raise QuestionSetError(f"{where}：{name} 应为字符串列表")
    return [_cell(v) for v in value if _cell(v)]


def _check_ids(questions: Sequence[Question], locs: Sequence[str], path: Path) -> None:
    seen: dict[str, str] = {}
    for q, loc in zip(questions, locs):
        if q.id in seen:
            raise QuestionSetError(f"{_where(path)}：问题编号“{q.id}”重复（{seen[q.id]}和{loc}）")
        seen[q.id] = loc
    if not questions:
        raise QuestionSetError(f"{_where(path)}中没有任何问题")


# ---------------------------------------------------------------- readers


def load_jsonl(path: str | Path) -> list[Question]:
    path = Path(path)
    questions, locs = [], []
    with path.open(encoding="utf-8-sig") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            loc = f"第 {lineno} 行"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise QuestionSetError(f"{_where(path, loc)}：不是合法的 JSON（{e.msg}）") from None
            questions.append(question_from_dict(obj, _where(path, loc)))
            locs.append(loc)
    _check_ids(questions, locs, path)
    return questions


def _rows_to_questions(header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]], path: Path) -> list[Question]:
    """Shared by CSV and XLSX: header cells and (row number, cells) → questions."""
    keys = [_cell(h).lower().replace(" ", "_") for h in header]
    names = [_HEADER_ALIASES.get(k, k) for k in keys]
    if any(n == "keywords" for k, n in zip(keys, names) if k != _POINTS):
        names = ["items" if k == _POINTS else n for k, n in zip(keys, names)]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        found = "、".join(_cell(h) for h in header if _cell(h)) or "（无）"
        raise QuestionSetError(f"{_where(path)}缺少必需的列：{'、'.join(missing)}（第一行的列名是：{found}）")
    unknown = [n for n in names if n and n not in COLUMNS and n != "keywords_any"]
    if unknown:
        log.info("%s: ignoring unknown columns %s", path.name, unknown)
    col = {n: i for i, n in reversed(list(enumerate(names)))}  # first occurrence wins

    questions, locs = [], []
    for rowno, cells in rows:
        values = {n: _cell(cells[i]) if i < len(cells) else "" for n, i in col.items()}
        raw = {n: cells[i] if i < len(cells) else None for n, i in col.items()}
        if not any(values.values()):
            continue  # blank rows are common at the end of sheets
        loc = f"第 {rowno} 行"
        where = _where(path, loc)
        for c in REQUIRED_COLUMNS:
            if not values.get(c):
                raise QuestionSetError(f"{where}：{c} 列为空")
        qtype = values.get("type", "")
        try:
            keywords_any = bool(parse_bool(raw.get("keywords_any"), default=False))
        except ValueError:
            raise QuestionSetError(f"{where}：keywords_any 的值“{values['keywords_any']}”无法识别") from None
        questions.append(Question(
            id=values["id"],
            question=values["question"],
            answer=values.get("answer", ""),
            answerable=_answerable(raw.get("answerable"), qtype, where),
            type=qtype,
            # Raw (unstripped) cells: a trailing newline marks newline-separated items (see _join_items).
            evidence=_evidence_from_cells(_raw_text(raw.get("evidence_doc")), _raw_text(raw.get("evidence_quote")),
                                          where),
            keywords=split_keywords(values.get("keywords", "")),
            keywords_any=keywords_any,
            items=split_keywords(values.get("items", "")),
        ))
        locs.append(loc)
    _check_ids(questions, locs, path)
    return questions


def load_csv(path: str | Path) -> list[Question]:
    path = Path(path)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise QuestionSetError(f"{_where(path)}：无法识别文件编码（请另存为 UTF-8 的 CSV）")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise QuestionSetError(f"{_where(path)}：CSV 格式错误（{e}）") from None
    if not records:
        raise QuestionSetError(f"{_where(path)}是空文件")
    # Row numbers as Excel shows them (record index, header = row 1), which is what staff will look for.
    return _rows_to_questions(records[0], [(i + 2, r) for i, r in enumerate(records[1:])], path)


def load_xlsx(path: str | Path) -> list[Question]:
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several types for corrupt/non-xlsx files
        raise QuestionSetError(f"{_where(path)}：无法作为 Excel（.xlsx）文件打开（{type(e).__name__}）") from None
    try:
        sheet = next((wb[n] for n in wb.sheetnames if n.strip().lower() in ("questions", "问题")), wb.worksheets[0])
        it = sheet.iter_rows(values_only=True)
        header: Sequence[Any] = ()
        start = 0
        for rowno, cells in enumerate(it, 1):  # the header is the first non-empty row
            if any(_cell(c) for c in cells):
                header, start = cells, rowno
                break
        if not header:
            raise QuestionSetError(f"{_where(path)}的工作表“{sheet.title}”是空的")
        rows = [(start + i, cells) for i, cells in enumerate(it, 1)]
    finally:
        wb.close()
    return _rows_to_questions(header, rows, path)


def _squad_articles(obj: Any, path: Path) -> list[Any]:
    data = obj.get("data") if isinstance(obj, Mapping) else None
    if not isinstance(data, list):
        raise QuestionSetError(f"{_where(path)}：不是 SQuAD 格式（缺少 data 列表）")
    return data


def load_squad(path: str | Path) -> tuple[list[Question], list[tuple[str, str]]]:
    """SQuAD v1/v2-style JSON → (questions, passages as (doc_id, text)).

    Each paragraph is a passage; its id is the paragraph's own ``id`` (CMRC) or ``<article>_<n>``. A question's
    evidence is ``[Evidence(doc=<passage id>, quote="")]`` — the whole paragraph is the gold passage — and its
    keywords are the distinct gold answer texts with any-of semantics (``keywords_any=True``); ``answer`` is
    the first gold answer. SQuAD v2 questions without answers are unanswerable.
    """
    path = Path(path)
    obj = _read_json(path)
    questions: list[Question] = []
    passages: list[tuple[str, str]] = []
    seen_docs: set[str] = set()
    locs: list[str] = []
    for ai, article in enumerate(_squad_articles(obj, path)):
        if not isinstance(article, Mapping) or not isinstance(article.get("paragraphs"), list):
            raise QuestionSetError(f"{_where(path, f'第 {ai + 1} 篇')}：缺少 paragraphs 列表")
        article_id = _cell(article.get("id") or article.get("title")) or f"a{ai}"
        for pi, para in enumerate(article["paragraphs"]):
            loc = f"第 {ai + 1} 篇第 {pi + 1} 段"
            if not isinstance(para, Mapping) or not isinstance(para.get("context"), str):
                raise QuestionSetError(f"{_where(path, loc)}：缺少 context 文本")
            doc_id = _cell(para.get("id")) or f"{article_id}_{pi}"
            if doc_id in seen_docs:  # ids must be unique to serve as document keys
                doc_id = f"{doc_id}_{ai}_{pi}"
            seen_docs.add(doc_id)
            passages.append((doc_id, para["context"]))
            for qi, qa in enumerate(para.get("qas") or []):
                qloc = f"{loc}第 {qi + 1} 问"
                if not isinstance(qa, Mapping) or not _cell(qa.get("question")):
                    raise QuestionSetError(f"{_where(path, qloc)}：缺少 question")
                golds = list(dict.fromkeys(
                    _cell(a.get("text")) for a in (qa.get("answers") or [])
                    if isinstance(a, Mapping) and _cell(a.get("text"))
                ))
                answerable = bool(golds) and not qa.get("is_impossible", False)
                questions.append(Question(
                    id=_cell(qa.get("id")) or f"{doc_id}_q{qi}",
                    question=_cell(qa["question"]),
                    answer=golds[0] if answerable else "",
                    answerable=answerable,
                    type=SQUAD_TYPE if answerable else UNANSWERABLE_TYPE,
                    evidence=[Evidence(doc=doc_id, quote="")] if answerable else [],
                    keywords=golds if answerable else [],
                    keywords_any=answerable,
                ))
                locs.append(qloc)
    _check_ids(questions, locs, path)
    log.info("%s: %d questions over %d passages", path.name, len(questions), len(passages))
    return questions, passages


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise QuestionSetError(f"{_where(path)}：不是合法的 JSON（第 {e.lineno} 行：{e.msg}）") from None


def load_questions(path: str | Path) -> QuestionSet:
    """Read a question set, choosing the reader by suffix (.jsonl, .json, .csv, .xlsx)."""
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(f"找不到问题集文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        qs = QuestionSet(load_jsonl(path), path=path, format="jsonl")
    elif suffix == ".csv":
        qs = QuestionSet(load_csv(path), path=path, format="csv")
    elif suffix == ".xlsx":
        qs = QuestionSet(load_xlsx(path), path=path, format="xlsx")
    elif suffix == ".json":
        obj = _read_json(path)
        if isinstance(obj, Mapping) and "data" in obj:
            questions, passages = load_squad(path)
            qs = QuestionSet(questions, passages, path=path, format="squad")
        else:
            items = obj.get("questions") if isinstance(obj, Mapping) else obj
            if not isinstance(items, list):
                raise QuestionSetError(f"{_where(path)}：应为 SQuAD 格式（含 data）或问题对象的列表")
            questions = [question_from_dict(o, _where(path, f"第 {i + 1} 项")) for i, o in enumerate(items)]
            _check_ids(questions, [f"第 {i + 1} 项" for i in range(len(questions))], path)
            qs = QuestionSet(questions, path=path, format="json")
    else:
        raise QuestionSetError(f"不支持的问题集格式“{path.suffix or path.name}”：请使用 {'、'.join(QUESTION_SUFFIXES)}")
    log.info("loaded %d questions from %s (%s)", len(qs), path, qs.format)
    return qs
