"""Lay wording on the lexical side: 房东 / 赔钱 also search 出租人 / 赔偿."""

from __future__ import annotations

import numpy as np

from policyqa.retrieve.expansion import LayTerms
from policyqa.store.lexical import BM25Index, Tokenizer


def test_the_table_loads_and_maps_lay_phrases_to_official_terms():
    terms = LayTerms.load()
    assert "出租人" in terms.table["房东"] and all(terms.table.values())
    tok = Tokenizer()
    q = "房东不退押金还要我赔钱怎么办？"
    expanded = terms.expand(q, tok(q), tok)
    assert expanded[:len(tok(q))] == tok(q) and {"出租人", "赔偿"} <= set(expanded)
    assert terms.expand("规划期是哪几年？", ["规划", "期"], tok) == ["规划", "期"]  # nothing lay: unchanged


def test_a_lay_question_finds_the_clause_in_official_wording():
    tok = Tokenizer()
    chunks = ["出租人应当按照约定将租赁物交付承租人，并在租赁期限内保持租赁物符合约定的用途。",
              "承运人对运输过程中货物的毁损、灭失承担赔偿责任。",
              "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。"]
    bm25 = BM25Index.build([tok(c) for c in chunks])
    q = "快递把东西弄丢了能要求赔钱吗？"
    plain = bm25.scores(tok(q))
    expanded = bm25.scores(LayTerms.load().expand(q, tok(q), tok))
    assert plain[1] == 0 and int(np.argmax(expanded)) == 1


def test_a_preposition_the_tagger_glued_to_an_unknown_name_is_no_part_of_the_key_term():
    """在霁阳 / 我在岚川 / 餐卡要: jieba's guess for an unknown word takes the words around it along."""
    tok = Tokenizer()
    assert "霁阳" in tok.key_terms("在霁阳给狗上户口要带哪些东西")
    assert "岚川" in tok.key_terms("我在岚川乡下的民宿去年开始翻修")
    assert "在霁阳" not in tok.key_terms("在霁阳给狗上户口要带哪些东西")
    assert "餐卡" in tok.key_terms("给家里老人办助餐卡要带啥")  # …and a particle after it (餐卡要)
