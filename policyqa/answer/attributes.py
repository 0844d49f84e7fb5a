"""Questions about a document itself (哪个部门印发、什么时候印发、文号是多少) answered from the metadata read at
ingest, citing the paragraph where the value stands."""

from __future__ import annotations

import re

from policyqa.answer.analysis import Attribute, Intent, QuestionAnalysis
from policyqa.answer.compose import Citations
from policyqa.answer.kinds import KIND_BY_ATTRIBUTE
from policyqa.answer.sections import opening_names
from policyqa.answer.types import Passage
from policyqa.schema import Document
from policyqa.store.index import Index
from policyqa.text import bigrams, normalize

#: the question must name the document: this share of its remaining terms stands in the title
TITLE_MATCH = 0.5
_QUESTION_WORDS = re.compile(r"文号|发文字号|发文号|字号|是多少|多少|什么时候|何时|哪一?天|从|开始|起?施行|起?生效|哪一?年|什么时间|什么日期|哪个|哪些|哪一?家|"
                             r"什么|哪级|部门|单位|机关|机构|由谁|谁|印发|发布|出台|制定|颁布|成文|日期|时间|状态|是否|代表|哪次|会议|会上|作的|"
                             r"正式|有效|[的了吗呢是？?，,。]")


def attribute_answer(a: QuestionAnalysis, passages: list[Passage], index: Index, cites: Citations | None = None
                     ) -> tuple[str, list] | None:
    """(answer text, citations) when the question asks an attribute of a document the top passages come from
    and that document's metadata holds it; None otherwise (the extractive answer or 文件未载明 follows).
    `cites`: the numbering shared with the question's other parts."""
    if a.intent is not Intent.ATTRIBUTE or a.attribute is None or not passages:
        return None
    for name in dict.fromkeys(p.doc for p in passages[:3]):
        doc = index.document(name)
        if doc is None or not _names(a.question, doc.title + opening_names(
                (p.text, p.clause, p.heading) for p in doc.paragraphs)):
            continue
        found = (_effective(doc) if a.attribute is Attribute.EFFECTIVE else _byline(doc, a.attribute)
                 if a.attribute in (Attribute.SPEAKER, Attribute.OCCASION) else _where(doc, a.attribute))
        if found is None:
            return None
        para, value, s, e = found
        cites = cites if cites is not None else Citations()
        passage = Passage(doc=doc.name, title=doc.title, clause=para.clause, paragraph_id=para.id,
                          paragraph=para.text, start=0, end=len(para.text), rank=1, heading=para.heading,
                          page=para.page, source=index.source_line(doc.name))
        n = cites.cite(passage, s, e)
        return _sentence(a.attribute, doc.title, value, n), cites.all()
    return None


def _effective(doc: Document):
    """(paragraph, 自…起施行 to the end of its sentence, span): the rules' own closing article first."""
    for para in reversed(doc.paragraphs):
        m = KIND_BY_ATTRIBUTE[Attribute.EFFECTIVE].search(para.text)
        if m:
            end = re.search(r"[。；]|$", para.text[m.end():])
            return para, para.text[m.start():m.end() + end.start()], m.start(), m.end() + end.start()
    return None


# a report's or speech's byline under its title: ——2025年1月9日在某区第三届人民代表大会第五次会议上 / 某区人民政府区长 某某
OCCASION_LINE = re.compile(r"^[—－\-\s]*((?:\d{4}年\d{1,2}月\d{1,2}日)?\s*在[^。，]{2,60}?会(?:议)?上)")
SPEAKER_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{0,24}(?:长|书记|主任|主席|部长)\s*[\u4e00-\u9fff]{2,4}$")
BYLINE_PARAGRAPHS = 8  # a byline stands in the document's opening lines


def _byline(doc: Document, attribute: Attribute):
    """(paragraph, value, span) of the occasion or speaker line among the opening lines of a report or speech."""
    for para in doc.paragraphs[:BYLINE_PARAGRAPHS]:
        text = para.text.strip()
        if attribute is Attribute.OCCASION:
            m = OCCASION_LINE.match(text)
            if m:
                return para, m.group(1).strip(), m.start(1), m.end(1)
        elif len(text) <= 32 and SPEAKER_LINE.match(text):
            at = para.text.find(text)
            return para, text, at, at + len(text)
    return None


def _names(question: str, title: str) -> bool:
    rest = bigrams(_QUESTION_WORDS.sub("", normalize(question)))
    return bool(rest) and len(rest & bigrams(normalize(title))) >= TITLE_MATCH * len(rest)


def _where(doc: Document, attribute: Attribute):
    """(paragraph, value as written, span) of the attribute's value in the document, signature lines first."""
    value = {Attribute.ISSUER: doc.issuer, Attribute.DATE: doc.date, Attribute.NUMBER: doc.number,
             Attribute.STATUS: doc.status}[attribute]
    if not value:
        return None
    forms = [value]
    if attribute is Attribute.ISSUER and "、" in value:
        forms.append(value.split("、")[0])  # a byline of several bodies (…统计局　…调查队): the line holds them all
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        forms.insert(0, f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日")
    # the signature block closes the document; the header opens it
    for para in reversed(doc.paragraphs) if attribute in (Attribute.ISSUER, Attribute.DATE) else doc.paragraphs:
        for form in forms:
            at = para.text.find(form)
            if at >= 0 and (attribute is not Attribute.ISSUER or len(para.text) <= len(value) + 4):
                if form != value and attribute is Attribute.ISSUER:  # the byline's bodies, all of its line
                    return para, value, at, len(para.text.rstrip())
                return para, form, at, at + len(form)
    if attribute is Attribute.ISSUER:  # 某县民政局某县财政局关于…的通知: the title opens with them
        joined = value.replace("、", "")
        title = next((p for p in doc.paragraphs if p.heading and p.text.startswith(joined)), None)
        if title is not None:
            return title, value, 0, len(joined)
    return None


def _sentence(attribute: Attribute, title: str, value: str, n: int) -> str:
    if attribute is Attribute.ISSUER:
        return f"《{title}》由{value}印发[{n}]。"
    if attribute is Attribute.DATE:
        return f"《{title}》的印发（成文）日期为{value}[{n}]。"
    if attribute is Attribute.EFFECTIVE:
        return f"《{title}》{value}[{n}]。"
    if attribute is Attribute.SPEAKER:
        return f"《{title}》由{value}作[{n}]。"
    if attribute is Attribute.OCCASION:
        return f"《{title}》于{value}作[{n}]。"
    if attribute is Attribute.NUMBER:
        return f"《{title}》的文号为{value}[{n}]。"
    return f"《{title}》为{value}[{n}]。"
