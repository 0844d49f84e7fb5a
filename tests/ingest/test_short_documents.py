"""A short document is still a document: news items and notices of a line or two are indexed and found,
whatever the cleaner would take them for (a title, page furniture, a web page's 来源/编辑 lines)."""

from __future__ import annotations

from policyqa.ingest.pipeline import ingest
from policyqa.retrieve.retriever import Retriever
from policyqa.store.index import Index

SHORT = {
    "title_only.txt": "清华大学2019年本科招生计划3000人",
    "two_lines.txt": "录取通知书发放时间\n7月15日起陆续寄出",
    "meta_only.txt": "来源：市教育局招生办公室\n编辑：张老师",
    "page_mark.txt": "第1页",
    "one_sentence.md": "今年全市普通高中计划招收新生两万三千人。",
    "news.html": "<html><head><title>快讯</title></head><body><p>责任编辑：李四</p></body></html>",
}


def test_short_documents_are_indexed_and_found(tmp_path, config, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in SHORT.items():
        (folder / name).write_text(text, "utf-8")
    cfg = config.replace(index_dir=tmp_path / "index")
    report = ingest([folder], cfg, embedder=embedder, show_progress=False)
    assert not report.skipped, report.table()
    assert report.documents == len(SHORT)
    index = Index.load(cfg.index_dir)
    for info in index.documents():
        assert info.chunks >= 1 and info.paragraphs >= 1, info
    retriever = Retriever(index, embedder, cfg)
    hits = retriever.search("录取通知书什么时候寄出", k=3).hits
    assert hits[0].chunk.doc == "two_lines.txt"
    hits = retriever.search("清华大学本科招生计划多少人", k=3).hits
    assert hits[0].chunk.doc == "title_only.txt"
    # the text the cleaner drops as furniture is still the document's text
    meta = index.document("meta_only.txt")
    assert "市教育局招生办公室" in meta.text and any(not p.heading for p in meta.paragraphs)


def test_an_empty_file_is_still_skipped(tmp_path, config, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "blank.txt").write_text(" \n\n  \n", "utf-8")
    (folder / "real.txt").write_text("今年全市计划招生300人。", "utf-8")
    report = ingest([folder], config.replace(index_dir=tmp_path / "index"), embedder=embedder,
                    show_progress=False)
    assert [f.name for f in report.skipped] == ["blank.txt"] and report.documents == 1
