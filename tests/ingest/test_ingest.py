"""Ingestion end to end: seeds, generated fixtures, incremental re-ingest, and a killed ingest."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyqa.ingest.chunk import ChunkSettings
from policyqa.ingest.pipeline import ingest
from policyqa.assistant import Assistant
from policyqa.errors import IndexUnavailable
from policyqa.store.index import Index

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_seed_index_chunks_follow_clauses(seed_index):
    index = Index.load(seed_index.index_dir)
    docs = {d.name: d for d in index.documents()}
    assert len(docs) == 5 and all(d.chunks > 0 and d.paragraphs > 0 for d in docs.values())
    assert [index.document(n).articles for n in sorted(docs)] == [4, 3, 0, 0, 0]  # the two newspaper pages
    for name in docs:
        doc = index.document(name)
        paras = {p.id: p for p in doc.paragraphs}
        for _, chunk in index.chunks_of(name):
            body = [paras[pid] for pid in chunk.paragraph_ids if not paras[pid].heading]
            # a chunk never crosses a clause boundary: it holds one clause, or one clause with its sub-clauses
            assert all(p.clause[:len(chunk.clause)] == chunk.clause for p in body), chunk
            # the shown text is exactly the document text at the recorded spans
            assert chunk.text == "\n".join(doc.text[s:e] for s, e in chunk.spans)
            # the embedded text carries the title and clause path as context (a report's own title on a
            # page of several reports)
            context = chunk.clause[0] if doc.articles else f"《{doc.title}》"
            assert chunk.embed_text.startswith(context) and " > ".join(chunk.clause) in chunk.embed_text
            assert len(chunk.text) <= ChunkSettings().unit + 120


def test_duplicated_article_indexed_once(seed_index):
    index = Index.load(seed_index.index_dir)
    name = next(d.name for d in index.documents() if d.name.startswith("003"))
    text = _norm(index.document(name).text)
    sentence = _norm(index.paragraphs(name)[-1].text)[:30]
    assert text.count(sentence) == 1


def test_ids_stable_across_ingests(seed_index, embedder, tmp_path):
    cfg = seed_index.replace(index_dir=tmp_path / "again")
    events = []
    ingest([SEEDS / "004_37ab4386ec37cb9e.txt"], cfg, embedder=embedder, show_progress=False,
           progress=lambda stage, done, total: events.append((stage, done, total)))
    # embedding reports after every batch, up to all of its texts (an upload's progress bar moves with it)
    embed = [(done, total) for stage, done, total in events if stage == "embed"]
    assert embed[0][0] == 0 and embed[-1][0] == embed[-1][1] > 64 and len(embed) >= 3
    assert [d for d, _ in embed] == sorted(d for d, _ in embed)
    a, b = Index.load(seed_index.index_dir), Index.load(cfg.index_dir)
    name = "004_37ab4386ec37cb9e.txt"
    assert [p.id for p in a.paragraphs(name)] == [p.id for p in b.paragraphs(name)]
    assert [c.id for _, c in a.chunks_of(name)] == [c.id for _, c in b.chunks_of(name)]
    assert len({p.id for p in a.paragraphs(name)}) == len(a.paragraphs(name))


def _fixture_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    gb = "第一条 本市对新设立的蓝莓种植合作社给予每家八万元补贴。\n第二条 补贴资金由市农业农村局负责发放。\n"
    (folder / "gb.txt").write_bytes(gb.encode("gb18030"))
    u16 = "一、总体目标\n到2028年全市建成智慧路灯一万二千盏。\n"
    (folder / "u16.txt").write_bytes(u16.encode("utf-16"))
    (folder / "page.html").write_text(
        "<html><head><title>关于开展海岛垃圾清运的通知</title></head><body><nav>首页 | 新闻 | 政务公开</nav>"
        "<div>当前位置：首页 > 通知公告</div><article><h1>关于开展海岛垃圾清运的通知</h1>"
        "<p>各镇人民政府：为改善海岛环境，决定自2024年6月起每周二对全部有人居住海岛开展垃圾清运。</p>"
        "<p>清运工作由市城市管理局牵头，各镇政府配合实施，所需经费列入年度财政预算。</p></article>"
        "<footer>版权所有 某某市人民政府</footer></body></html>", "utf-8")
    from docx import Document as Docx

    d = Docx()
    d.add_heading("第一章 总则", level=1)
    d.add_paragraph("本办法所称夜间经济集聚区，是指晚上七点至凌晨两点营业商户不少于五十家的街区。")
    d.save(folder / "rules.docx")
    (folder / "broken.pdf").write_bytes(os.urandom(2048))
    (folder / "empty.txt").write_bytes(b"")


def test_mixed_folder_skips_bad_files_and_ingests_the_rest(tmp_path, seed_index, embedder):
    folder = tmp_path / "docs"
    _fixture_corpus(folder)
    cfg = seed_index.replace(index_dir=tmp_path / "idx")
    report = ingest([folder, tmp_path / "missing"], cfg, embedder=embedder, show_progress=False)
    status = {f.name: f for f in report.files}
    assert status[str(tmp_path / "missing")].reason == "文件或文件夹不存在"
    assert {n for n, f in status.items() if f.status == "added"} == {"gb.txt", "u16.txt", "page.html", "rules.docx"}
    assert status["broken.pdf"].status == "skipped" and "PDF" in status["broken.pdf"].reason
    assert status["empty.txt"].status == "skipped" and "空" in status["empty.txt"].reason
    table = report.table()
    assert "broken.pdf" in table and "跳过" in table
    a = Assistant.open(cfg, embedder=embedder)
    ans = a.ask("新设立的蓝莓种植合作社每家补贴多少？")
    assert not ans.refused and "八万元" in ans.answer
    assert ans.citations[0].doc == "gb.txt" and "第一条" in ans.citations[0].clause
    ans = a.ask("海岛垃圾清运由哪个部门牵头？")
    assert "市城市管理局" in ans.answer and ans.citations[0].doc == "page.html"
    assert "当前位置" not in Index.load(cfg.index_dir).document("page.html").text


def test_incremental_reingest_embeds_only_changed_file(tmp_path, seed_index, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("003_66bac4bbe3b54653.txt", "004_37ab4386ec37cb9e.txt"):
        shutil.copy(SEEDS / name, folder / name)
    (folder / "note.txt").write_text("第一条 会议室预约须提前两天提交申请。\n", "utf-8")
    cfg = seed_index.replace(index_dir=tmp_path / "idx")
    first = ingest([folder], cfg, embedder=embedder, show_progress=False)
    unchanged = ingest([folder], cfg, embedder=embedder, show_progress=False)
    assert unchanged.embedded == 0 and not unchanged.changed
    (folder / "note.txt").write_text("第一条 会议室预约须提前三天提交申请。\n第二条 取消预约须提前一天。\n", "utf-8")
    (folder / "003_66bac4bbe3b54653.txt").unlink()
    second = ingest([folder], cfg, embedder=embedder, show_progress=False)
    status = {f.name: f.status for f in second.files}
    assert status == {"004_37ab4386ec37cb9e.txt": "unchanged", "note.txt": "updated",
                      "003_66bac4bbe3b54653.txt": "removed"}
    note_chunks = [f.chunks for f in second.files if f.name == "note.txt"][0]
    assert second.embedded == note_chunks < first.embedded
    index = Index.load(cfg.index_dir)
    assert {d.name for d in index.documents()} == {"004_37ab4386ec37cb9e.txt", "note.txt"}
    assert "三天" in index.document("note.txt").text
    assert len(list((cfg.index_dir / "builds").iterdir())) == 1  # older builds pruned


def test_index_from_other_settings_asks_to_reingest(seed_index):
    with pytest.raises(IndexUnavailable, match="重新导入"):
        Index.load(seed_index.index_dir, chunker=ChunkSettings(size=999).identity())
    with pytest.raises(IndexUnavailable, match="重新导入"):
        Index.load(seed_index.index_dir, model_identity={"name": "another-model"})


def test_killed_ingest_leaves_previous_index_usable(tmp_path, seed_index, embedder):
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("第一条 公共自行车每次免费骑行时长为九十分钟。\n", "utf-8")
    cfg = seed_index.replace(index_dir=tmp_path / "idx")
    ingest([small], cfg, embedder=embedder, show_progress=False)
    big = tmp_path / "big"
    big.mkdir()
    lines = [f"第{i}条 第{i}号示范项目的年度补助资金为{i * 3}万元，由第{i % 7}工作组负责验收和资金拨付。"
             for i in range(1, 3001)]
    (big / "many.txt").write_text("\n".join(lines), "utf-8")
    env = dict(os.environ, POLICYQA_INDEX_DIR=str(cfg.index_dir), POLICYQA_MODEL_DIR=str(cfg.model_dir))
    proc = subprocess.Popen([sys.executable, str(ROOT / "ingest.py"), str(small), str(big)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    deadline = time.time() + 120
    while time.time() < deadline and "embedding" not in seen:
        seen += proc.stderr.readline()
    assert "embedding" in seen, seen
    time.sleep(2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    index = Index.load(cfg.index_dir)
    assert [d.name for d in index.documents()] == ["a.txt"]
    ans = Assistant.open(cfg, embedder=embedder).ask("公共自行车免费骑行多长时间？")
    assert "九十分钟" in ans.answer
    # the next ingest cleans up the dead build and works
    report = ingest([small], cfg, embedder=embedder, show_progress=False)
    assert not report.changed
    assert [p.name for p in (cfg.index_dir / "builds").iterdir() if p.name.endswith(".partial")] == []


def test_missing_index_message(tmp_path, config):
    with pytest.raises(IndexUnavailable, match="python ingest.py"):
        Index.load(tmp_path / "nothing")
    out = subprocess.run([sys.executable, "-m", "policyqa", "ask", "湛江的目标是什么？"], cwd=ROOT,
                         env=dict(os.environ, POLICYQA_INDEX_DIR=str(tmp_path / "nothing")),
                         capture_output=True, text=True)
    assert out.returncode == 2 and "索引不存在" in out.stderr and "Traceback" not in out.stderr


def test_approximate_index_type_answers_and_restricts(tmp_path, seed_index, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("第一条 社区食堂每餐补贴标准为六元。\n", "utf-8")
    (folder / "b.txt").write_text("第一条 老年人助浴服务每次补贴二十元。\n", "utf-8")
    cfg = seed_index.replace(index_dir=tmp_path / "idx", faiss_index="hnsw")
    ingest([folder], cfg, embedder=embedder, show_progress=False)
    a = Assistant.open(cfg, embedder=embedder)
    assert type(a.index._dense).__name__ == "IndexHNSWFlat"
    assert "六元" in a.ask("社区食堂每餐补贴多少？").answer
    assert {c["doc"] for c in a.ask("补贴标准是多少？", docs=["b.txt"]).contexts} == {"b.txt"}
