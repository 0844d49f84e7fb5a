"""Retrieval units: an article with its items is one chunk while it fits; a long one is split, each later part
carrying the article's lead sentence as context."""

from __future__ import annotations

from policyqa.ingest.chunk import ChunkSettings, chunk_document
from policyqa.ingest.clean import clean_blocks
from policyqa.ingest.structure import build_document
from policyqa.schema import LoadedFile

LAW = """某市养犬管理条例

第一章 总则

第一条 为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会公共秩序，制定本条例。

第二章 登记

第五条 申请养犬登记，应当符合下列条件：
（一）具有完全民事行为能力；
（二）有固定住所且独户居住；
（三）已为犬只接种狂犬病疫苗。

第六条 养犬人应当遵守下列规定：
（一）{long1}
（二）{long2}
（三）{long3}
"""


def _doc():
    text = LAW.format(long1="携带犬只出户时，应当为犬只束犬链，并由成年人牵领，" * 6 + "主动避让行人。",
                      long2="不得携带犬只进入机关、学校、医院、体育场馆、博物馆、图书馆等公共场所，" * 5 + "但导盲犬除外。",
                      long3="乘坐电梯的，应当避开高峰时间，并为犬只戴嘴套或者将犬只装入犬袋、犬笼。" * 5)
    lf = LoadedFile(name="dog.txt", kind="txt", text=text)
    return build_document(lf, clean_blocks(lf), {})


def test_an_article_with_its_items_is_one_chunk():
    chunks = chunk_document(_doc(), ChunkSettings())
    article = [c for c in chunks if "申请养犬登记" in c.text]
    assert len(article) == 1
    assert "（一）具有完全民事行为能力" in article[0].text and "（三）已为犬只接种狂犬病疫苗" in article[0].text
    assert article[0].clause[-1].startswith("第五条")
    # no chunk is a lone item of that article
    assert not [c for c in chunks if c.text.startswith("（二）有固定住所")]


def test_a_long_article_is_split_with_its_lead_as_context():
    settings = ChunkSettings()
    chunks = [c for c in chunk_document(_doc(), settings) if "第六条" in " ".join(c.clause)]
    assert len(chunks) == 3 and all(len(c.text) <= settings.unit + 120 for c in chunks)
    lead = "第六条养犬人应当遵守下列规定："
    # the short opening is no chunk of its own: it joins its first item
    first = [c for c in chunks if lead in c.text.replace(" ", "")]
    assert len(first) == 1 and "（一）携带犬只出户时" in first[0].text and first[0].clause[-1].startswith("第六条")
    items = [c for c in chunks if lead not in c.text.replace(" ", "")]
    assert len(items) == 2 and all(lead in c.embed_text.replace(" ", "") for c in items)
    # the lead is context only: the shown text is the item's own
    assert all(c.text.startswith("（") for c in items)


def test_unit_zero_keeps_items_apart():
    chunks = chunk_document(_doc(), ChunkSettings(unit=0))
    assert any(c.text.startswith("（二）有固定住所") for c in chunks)
