"""PDF layout: pages, reading order across two columns, tables as rows with their headers, running
headers and page numbers dropped — on a PDF built the way offices publish them."""

from __future__ import annotations


import pytest

from policyqa.ingest.clean import clean_blocks
from policyqa.ingest.loaders import load_file
from policyqa.ingest.structure import build_document

from pdf_fixture import HEADER, LEFT, RIGHT, TABLE, TITLE, build_pdf


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "供水方案.pdf"
    path.write_bytes(build_pdf())
    return load_file(path)


def _flat(text: str) -> str:
    return "".join(text.split())


def test_pages_are_kept(loaded):
    assert len(loaded.page_starts) == 3
    doc = build_document(loaded, clean_blocks(loaded))
    page_of = {p.text: p.page for p in doc.paragraphs}
    assert page_of[LEFT[0]] == 2 and page_of[RIGHT[1]] == 2
    assert doc.pages == 3 and doc.title == TITLE


def test_two_columns_read_left_then_right(loaded):
    doc = build_document(loaded, clean_blocks(loaded))
    texts = [p.text for p in doc.paragraphs]
    # each wrapped column paragraph is whole again, in reading order
    assert [texts.index(t) for t in LEFT + RIGHT] == sorted(texts.index(t) for t in LEFT + RIGHT)
    assert all(t in texts for t in LEFT + RIGHT)


def test_running_header_and_page_numbers_are_dropped(loaded):
    assert HEADER not in loaded.text
    assert not any(line.strip() in ("- 1 -", "- 2 -", "- 3 -") for line in loaded.text.split("\n"))


def test_table_rows_carry_their_column_headers(loaded):
    assert loaded.tables == 1
    doc = build_document(loaded, clean_blocks(loaded))
    header = TABLE[0]
    for row in TABLE[1:]:
        expected = "；".join(f"{h}：{v}" for h, v in zip(header, row)).replace("总投资（万元）：", "总投资：")
        expected = expected.replace(f"总投资：{row[2]}", f"总投资：{row[2]}万元")
        para = next(p for p in doc.paragraphs if p.text == expected)
        assert para.page == 3 and not para.heading
