"""Structure of the real seeds: clause paths, boxes and annex, newspaper articles, ids and spans."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from policyqa.ingest.clean import clean_blocks
from policyqa.schema import Document, LoadedFile
from policyqa.ingest.headings import heading_level
from policyqa.ingest.structure import build_document
from policyqa.text import cn_to_int

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ALL = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))
PLAN, WEB, ACTION = "002_240daae8c4bbf10a.txt", "003_66bac4bbe3b54653.txt", "004_37ab4386ec37cb9e.txt"
NEWS0, NEWS1 = "000_66dd0f48ba81f122.txt", "001_8f75e8691d6c27ef.txt"


def ns(s: str) -> str:
    return re.sub(r"\s+", "", s)


def load(name: str) -> LoadedFile:
    p = SEEDS / name
    return LoadedFile(name=p.name, kind="txt", text=p.read_text("utf-8"))


def build(name: str, meta: dict | None = None) -> Document:
    lf = load(name)
    return build_document(lf, clean_blocks(lf), meta)


def built(text: str, name: str = "t.txt") -> Document:
    """A document of our own text, cleaned and structured as ingest does."""
    lf = LoadedFile(name=name, kind="txt", text=text)
    return build_document(lf, clean_blocks(lf))


@lru_cache(maxsize=None)
def doc(name: str) -> Document:
    return build(name)


def para(name: str, needle: str):
    hits = [p for p in doc(name).paragraphs if ns(needle) in ns(p.text)]
    assert len(hits) == 1, (needle, [p.text[:30] for p in hits])
    return hits[0]


def articles(d: Document) -> list[str]:
    """Article titles of a newspaper page: the distinct first clause elements, in order."""
    out: list[str] = []
    for p in d.paragraphs:
        if p.clause and p.clause[0] not in out and p.clause[0] != "图片说明":
            out.append(p.clause[0])
    return out


# ---- every seed ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_spans_ids_and_order(name):
    d = doc(name)
    assert d.paragraphs and any(not p.heading for p in d.paragraphs)
    assert d.text == "\n".join(p.text for p in d.paragraphs)
    for i, p in enumerate(d.paragraphs):
        assert p.index == i and p.doc == name
        assert d.text[p.start:p.end] == p.text and p.text
        assert 0 <= p.line_start <= p.line_end
    ids = [p.id for p in d.paragraphs]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    again = build(name)
    assert [p.id for p in again.paragraphs] == ids and again.text == d.text
    assert d.hash and d.kind == "txt"


def test_dev_evidence_is_one_paragraph_or_heading_plus_paragraph():
    questions = [json.loads(line) for line in (ROOT / "eval" / "dev_questions.jsonl").read_text("utf-8").splitlines()
                 if line.strip()]
    quotes = [(e["doc"], e["quote"]) for q in questions for e in q["evidence"]]
    assert len(quotes) >= 30
    for name, quote in quotes:
        ps = doc(name).paragraphs
        q = ns(quote)
        ok = any(q in ns(p.text) or (p.heading and i + 1 < len(ps) and q in ns(p.text) + ns(ps[i + 1].text))
                 for i, p in enumerate(ps))
        assert ok, (name, quote)


def test_heading_level_patterns():
    assert heading_level("第三章 共建一体高效的现代化基础设施体系").display == "第三章 共建一体高效的现代化基础设施体系"
    assert heading_level("第一节发展基础").kind == "section"
    h = heading_level("（十九）加强宣讲培训。每年定期举办工业经济能力提升培训班；")
    assert h.kind == "paren_cn" and h.number == 19 and h.inline and h.display == "（十九）加强宣讲培训"
    h = heading_level("(九）推进产业链招商。聚焦绿色石化")
    assert h.label == "（九）" and h.number == 9
    assert heading_level("（一）构建互联互通综合交通运输体系。").inline is False
    assert heading_level("专栏 2 公路网重点工程").display == "专栏2 公路网重点工程"
    assert heading_level("1.8万亩“未来社区”为重点") is None
    assert heading_level("2021-2024年，茂名城镇化率") is None
    assert heading_level("一是传统产业专业化优势。") is None
    h = heading_level("第二条 本办法适用于本市行政区域内的物业管理活动。")
    assert h.kind == "article" and h.inline and h.display == "第二条"
    assert cn_to_int("十九") == 19 and cn_to_int("二十三") == 23


# ---- 002: a plan with chapters, sections, boxes and an annex --------------------------------------------

def test_plan_chapters_and_sections_match_its_table_of_contents():
    raw = (SEEDS / PLAN).read_text("utf-8").split("\n")
    toc: list[tuple[str, str]] = []
    chapter = ""
    for line in raw[:60]:
        m = re.match(r"^(第.{1,3}[章节])\s*(.+?)\.{3,}", line.strip())
        if not m:
            continue
        name = f"{m.group(1)} {m.group(2).strip()}"
        if m.group(1).endswith("章"):
            chapter = name
            toc.append((chapter, ""))
        else:
            toc.append((chapter, name))
    assert sum(1 for _, sec in toc if not sec) == 9 and len(toc) == 9 + 38
    d = doc(PLAN)
    got = [(p.clause[0], p.clause[1] if len(p.clause) > 1 else "") for p in d.outline
           if p.clause and re.match(r"第.章", p.clause[0]) and (len(p.clause) == 1 or p.clause[-1].startswith("第"))]
    assert got == toc
    assert d.title == "湛茂都市圈发展规划" and d.status == ""


def test_plan_period_paragraph_is_in_the_preface():
    p = para(PLAN, "规划期为2023—2030年，展望至2035年")
    assert p.clause == ("前言",) and not p.heading


def test_plan_boxes():
    d = doc(PLAN)
    boxes = sorted({c for p in d.paragraphs for c in p.clause if c.startswith("专栏")},
                   key=lambda c: int(re.match(r"专栏(\d+)", c).group(1)))
    assert [int(re.match(r"专栏(\d+)", b).group(1)) for b in boxes] == list(range(1, 14))
    assert "专栏1 轨道网重点工程" in boxes and "专栏11 河流生态廊道" in boxes
    # box items nest under the box, inside its section
    p = para(PLAN, "海上浮式风电装备试验场等。")
    assert p.clause == ("第四章 构建协作共赢的现代产业体系", "第三节 积极培育战略性新兴产业",
                        "专栏7 战略性新兴产业发展重点平台和重点项目", "一、高端装备制造业")
    p = para(PLAN, "南方海洋科学与工程广东省实验室（湛江、岭南现代农业科学与技术广东省实验室茂名分中心）")
    assert p.clause[-2:] == ("专栏10 科技创新服务发展重点平台", "二、省实验室（分中心）")
    p = para(PLAN, "鉴江生态廊道。位于北部山林屏障区")
    assert p.clause[-2:] == ("专栏11 河流生态廊道", "1.鉴江生态廊道")
    # the box ends where the section's own numbering resumes
    h = para(PLAN, "三、积极打造“环状+放射状”的高快速公路网络")
    assert h.heading and h.clause == ("第三章 共建一体高效的现代化基础设施体系", "第一节 构建互联互通综合交通运输体系",
                                      "三、积极打造“环状+放射状”的高快速公路网络")
    h = para(PLAN, "四、全面提升综合立体交通枢纽辐射能力")
    assert not any(c.startswith("专栏") for c in h.clause)
    # and at the next section
    p = para(PLAN, "加快推进原油成品油加工储运、供气、供电一体化发展")
    assert p.clause == ("第三章 共建一体高效的现代化基础设施体系", "第二节 建设绿色低碳能源保障体系")


def test_plan_annex_is_its_own_top_level():
    d = doc(PLAN)
    annex = [p for p in d.paragraphs if p.clause and p.clause[0].startswith("附件")]
    assert annex and {p.clause[0] for p in annex} == {"附件 重点任务分工方案"}
    assert annex[0].heading and annex[0].clause == ("附件 重点任务分工方案",)
    p = para(PLAN, "提升水利建设管理一体化水平。（牵头单位：省水利厅")
    assert p.clause == ("附件 重点任务分工方案", "一、共建一体高效的现代化基础设施体系", "（三）建立稳定水安全保障体系")
    sevens = {p.clause[1] for p in annex if len(p.clause) > 1}
    assert len(sevens) == 7 and "七、加强规划实施保障" in sevens
    assert len([p for p in annex if p.heading and len(p.clause) == 3]) == 4 + 6 + 4 + 4 + 5 + 3


def test_plan_footnote_stays_in_its_section():
    p = para(PLAN, "“四小园”（小菜园、小果园、小花园、小公园）")
    assert p.clause == ("第八章 协同推进城乡融合发展", "第二节 优化城乡要素跨界配置")


# ---- 004: an action plan with 19 numbered measures -------------------------------------------------------

def test_action_plan_has_nineteen_measures():
    d = doc(ACTION)
    items = [p for p in d.paragraphs if p.clause and re.match(r"（[一二三四五六七八九十]+）", p.clause[-1])]
    labels = []
    for p in items:
        label = re.match(r"（([一二三四五六七八九十]+)）", p.clause[-1]).group(1)
        if not labels or labels[-1] != label:
            labels.append(label)
    assert [cn_to_int(x) for x in labels] == list(range(1, 20))
    starts = [p for p in items if re.match(r"[（(][一二三四五六七八九十]+）", p.text)]
    assert len(starts) == 19 and all(not p.heading for p in starts)
    assert para(ACTION, "（十九）加强宣讲培训").clause == ("七、加强组织实施", "（十九）加强宣讲培训")
    tops = [p.clause[0] for p in d.outline if len(p.clause) == 1]
    assert len(tops) == 7 and tops[0] == "一、总体要求"
    assert d.title == "湛江市贯彻落实“制造业当家”五年行动计划（2023-2027年）" and d.status == "征求意见稿"
    intro = para(ACTION, "为贯彻落实省委、省政府“制造业当家”工作部署")
    assert intro.clause == ()


# ---- 003: a web article printed twice ---------------------------------------------------------------------

def test_web_article_once_with_its_headings():
    d = doc(WEB)
    assert sum("此外,《方案》还附加了" in p.text for p in d.paragraphs) == 1
    assert [p.clause for p in d.outline if p.clause] == [
        ("做强承接产业平台",), ("优化承接产业方向",), ("强化承接产业要素保障",), ("提升承接产业能力",), ("保障措施",)]
    assert para(WEB, "加快形成北部山区、中部田园、南部滨海旅游带").clause == ("优化承接产业方向",)
    assert para(WEB, "营造干事创业良好氛围").clause == ("保障措施",)
    assert d.title == "茂名市印发《高质量承接产业转移实施方案》奋力打造高质量承接产业转移“优选地”"
    assert d.date == "2023-03-24"


# ---- 000 / 001: newspaper pages with several reports ------------------------------------------------------

def test_newspaper_page_000_articles():
    d = doc(NEWS0)
    arts = articles(d)
    assert len(arts) == 4
    assert arts[0] == "关于差异化推进县城新型城镇化的探索与思考"
    assert arts[1] == "编者按"
    assert arts[2] == "推进“环浮山岭产业带”规划建设打造“两山”转化的绿美走廊经济强带"
    assert arts[3].startswith("（原文未见标题）")  # the third report's headline is not on this page
    # the title placed below its report heads the report's paragraphs
    p = para(NEWS0, "实施“一谷三全”策略。1.打造“潘茂名中医药健康谷”")
    assert p.clause == (arts[2], "三、“环浮山岭产业带”发展规划建议", "（三）聚焦康养：建设高端康养旅游目的地")
    p = para(NEWS0, "负氧离子浓度每立方厘米超过5000个")
    assert p.clause == (arts[2], "一、“环浮山岭产业带”发展态势分析", "（一）优势分析", "1.区位交通条件较好")
    p = para(NEWS0, "（一）信宜市形成了“生态屏障区绿色发展型”的新型城镇化模式。")
    assert p.clause == (arts[0], "一、有效探索", "（一）信宜市形成了“生态屏障区绿色发展型”的新型城镇化模式")
    assert para(NEWS0, "今日继续刊登三篇报告").clause == ("编者按",)
    assert para(NEWS0, "“隔墙供应”、循环利用的优势").clause == (arts[3], "一、产业发展现状")
    # each article starts with its title, and the byline goes with its report
    first = d.paragraphs[0]
    assert first.heading and first.text == arts[0]
    assert d.paragraphs[1].text == "市委党校第36期中青一班第一调研组" and d.paragraphs[1].clause == (arts[0],)
    assert d.title.startswith(arts[0])


def test_newspaper_page_001_articles():
    d = doc(NEWS1)
    arts = articles(d)
    assert len(arts) == 3
    assert "抓牢项目建设实现工业经济稳健发展" in arts[0]
    assert arts[1] == "海关助力茂名中秋月饼首次出口大洋洲"
    assert "创新推动“百会帮百镇”工作" in arts[2]
    assert para(NEWS1, "该关监管茂名月饼及馅料出口货值超300万元").clause == (arts[1],)
    assert para(NEWS1, "在一套组织架构上实现高效统筹领导").clause == (arts[2], "在一套组织架构上实现高效统筹领导")
    assert para(NEWS1, "我市蓄势工业增长强大动能").clause == (arts[0], "大抓项目建设积蓄发展动能")
    # bylines: the one printed above a report belongs to it
    assert para(NEWS1, "■记者梁雪玲通讯员许敏婷丁臻").clause == (arts[1],)
    assert para(NEWS1, "本报记者曾金妍通讯员张强").clause == (arts[2],)
    # photo captions go with the report they illustrate
    assert para(NEWS1, "东华能源（茂名）烷烃资源综合利用项目一期建成试车").clause == (arts[0], "图片说明")
    assert para(NEWS1, "茂名海关关员对出口月饼进行监管").clause == (arts[1], "图片说明")


# ---- metadata and other layouts ---------------------------------------------------------------------------

def test_meta_overrides():
    d = build(ACTION, {"title": "湛江制造业当家行动计划", "issuer": "湛江市人民政府", "date": "2023-05",
                       "status": "征求意见稿", "source": "catalog"})
    assert (d.title, d.issuer, d.date, d.status, d.source) == (
        "湛江制造业当家行动计划", "湛江市人民政府", "2023-05", "征求意见稿", "catalog")


def test_regulation_and_news_page_with_titles_above_reports():
    reg = ("茂名市物业管理办法\n\n第一章 总则\n\n"
           "第一条 为了规范物业管理活动，根据有关法律法规，制定本办法。\n\n"
           "第二条 本办法适用于本市行政区域内的物业管理活动。\n\n第二章 业主\n\n"
           "第三条 业主享有下列权利：\n（一）按照物业服务合同的约定，接受服务；\n（二）提议召开业主大会会议。\n\n"
           "茂名市人民政府\n2023年12月1日\n")
    d = built(reg)
    assert d.title == "茂名市物业管理办法" and d.issuer == "茂名市人民政府" and d.date == "2023-12-01"
    byc = {p.text: p for p in d.paragraphs}
    assert byc["第二条本办法适用于本市行政区域内的物业管理活动。"].clause == ("第一章 总则", "第二条")
    item = byc["（二）提议召开业主大会会议。"]
    assert not item.heading and item.clause == ("第二章 业主", "第三条", "（二）提议召开业主大会会议")
    news = ("茂名：推动荔枝产业\n高质量发展\n■记者 张三\n\n本报讯 今年以来，我市荔枝种植面积\n"
            "达到一百万亩，产量再创新高，荔枝\n产业带动农民增收效果明显。\n\n"
            "高州举办龙眼文化节\n■通讯员 李四\n\n本报讯 日前，高州市举办第三届龙眼\n"
            "文化节，吸引游客五万人次，龙眼产\n品销售额超过一千万元。\n")
    d = built(news)
    assert articles(d) == ["茂名：推动荔枝产业高质量发展", "高州举办龙眼文化节"]
    assert [p.clause for p in d.paragraphs if "龙眼产品销售额" in p.text] == [("高州举办龙眼文化节",)]


@pytest.mark.parametrize("masthead", ["北岭日报\n2025年3月2日 星期日 第3版\n\n", "北岭日报  2025年3月2日  星期日  第3版\n\n"])
def test_two_line_headlines_under_a_paper_name_head_their_reports(masthead):
    """A page set as paper name (alone or before its date and edition), then per report a headline with a second
    line (主标题 + 副标题) and a 本报讯 lead: each report is an article titled by both lines, and the paper's name
    titles the page, none of its reports."""
    page = (masthead +
            "城西新建三座口袋公园\n总投资800万元，月底前开放\n\n"
            "本报讯（记者 王五）城西区三座口袋公园已完成主体建设，月底前向市民开放。\n\n"
            "公园内设有健身步道和儿童游乐区，附近居民步行五分钟即可到达。\n\n"
            "老旧电梯更新改造启动\n首批120台，每台补助15万元\n\n"
            "本报讯（记者 赵六）我市老旧住宅电梯更新改造工作日前启动，首批改造120台。\n\n"
            "改造资金由政府补助、业主分摊和维修资金共同承担。\n")
    d = built(page)
    assert articles(d) == ["城西新建三座口袋公园 总投资800万元，月底前开放",
                           "老旧电梯更新改造启动 首批120台，每台补助15万元"]
    lead = next(p for p in d.paragraphs if "首批改造120台" in p.text)
    assert lead.text.startswith("本报讯") and lead.clause == ("老旧电梯更新改造启动 首批120台，每台补助15万元",)
    assert d.title == "北岭日报" and not any("北岭日报" in p.text for p in d.paragraphs)


def test_paragraph_per_line_text_is_not_taken_for_a_narrow_column():
    """Short lines that each end a sentence (docx/html paragraphs) are never glued to their headings."""
    def outline(text: str, **kw) -> list[tuple[bool, tuple[str, ...], str]]:
        lf = LoadedFile(name="t.txt", kind="txt", text=text, **kw)
        return [(p.heading, p.clause, p.text) for p in build_document(lf, clean_blocks(lf)).paragraphs]

    assert outline("目录\n第一章 总则\n第二章 任务\n第一章 总则\n总则内容。\n第二章 任务\n任务内容。\n") == [
        (True, ("第一章 总则",), "第一章 总则"), (False, ("第一章 总则",), "总则内容。"),
        (True, ("第二章 任务",), "第二章 任务"), (False, ("第二章 任务",), "任务内容。")]
    got = outline("一、总体要求\n（一）指导思想。坚持稳中求进。\n（二）基本原则\n1.坚持统筹。\n2.坚持创新。\n"
                  "二、主要任务\n推进建设。")
    assert got == [
        (True, ("一、总体要求",), "一、总体要求"),
        (False, ("一、总体要求", "（一）指导思想"), "（一）指导思想。坚持稳中求进。"),
        (True, ("一、总体要求", "（二）基本原则"), "（二）基本原则"),
        (False, ("一、总体要求", "（二）基本原则", "1.坚持统筹"), "1.坚持统筹。"),
        (False, ("一、总体要求", "（二）基本原则", "2.坚持创新"), "2.坚持创新。"),
        (True, ("二、主要任务",), "二、主要任务"), (False, ("二、主要任务",), "推进建设。")]
    # docx heading styles, and the declared title of the file
    lf = LoadedFile(name="t.docx", kind="docx", text="总体要求\r\n坚持稳中求进。\r\n主要任务\r\n推进项目建设。\r\n",
                    heading_lines=frozenset({0, 2}), title="某某工作方案")
    d = build_document(lf, clean_blocks(lf))
    assert d.title == "某某工作方案"
    assert [(p.heading, p.clause) for p in d.paragraphs] == [
        (True, ("总体要求",)), (False, ("总体要求",)), (True, ("主要任务",)), (False, ("主要任务",))]


@pytest.mark.parametrize("text", ["清华大学2019年本科招生计划3000人", "录取通知书发放时间\n7月15日起陆续寄出"])
def test_a_short_text_read_as_a_title_is_still_indexed_as_body(text):
    lf = LoadedFile(name="short.txt", kind="txt", text=text)
    d = build_document(lf, clean_blocks(lf))
    body = [p for p in d.paragraphs if not p.heading]
    assert body and "".join(p.text for p in body).replace(" ", "") == text.replace("\n", "")


def test_a_numbered_heading_may_open_with_a_year():
    """一、2025年工作回顾 heads the review below it (a year after 、 is no decimal: only 一.5 is)."""
    d = built("癸阳区2026年政府工作报告\n\n一、2025年工作回顾\n\n全年实现地区生产总值512.6亿元。\n\n"
              "二、2026年主要目标\n\n地区生产总值增长6%左右。\n")
    body = next(p for p in d.paragraphs if p.text.startswith("全年"))
    assert body.clause == ("一、2025年工作回顾",), body.clause
    assert heading_level("一.5万元") is None


def test_a_table_written_as_text_keeps_one_row_per_paragraph_with_its_column_names():
    """序号｜工程名称｜牵头单位 over rows: each row is its own paragraph, its cells named by the header (as a sheet's
    rows are), so a row quoted alone says which cell is the lead department."""
    d = built("某市行动方案\n\n专栏1 重点工程\n\n序号｜工程名称｜完成时限｜牵头单位\n"
              "1｜综合养老服务中心建设工程｜2025年12月｜市民政局\n2｜护理型床位提升工程｜2025年12月｜市卫生健康委\n")
    rows = [p.text for p in d.paragraphs if "工程名称：" in p.text]
    assert rows == ["序号：1；工程名称：综合养老服务中心建设工程；完成时限：2025年12月；牵头单位：市民政局",
                    "序号：2；工程名称：护理型床位提升工程；完成时限：2025年12月；牵头单位：市卫生健康委"], rows


def test_a_reports_subheading_with_a_comma_heads_the_paragraphs_under_it():
    """各走各路，快递进村难在哪 set apart by blank lines: a subheading of its own, not the start of the paragraph below —
    while a contact line (联系人：…，电话：…) stays body text, a paragraph of its own."""
    d = built("某县日报\n\n快递进村见闻\n\n本报讯 清晨6点半，县级物流配送中心已是一片忙碌。\n\n各走各路，快递进村难在哪\n\n"
              "某县地处山区，说起过去快递进村的难处，局长用了三个词：件量少、路途远、成本高。\n\n"
              "联系人：县商务局张明，电话：6128347\n\n县财政局李红，电话：6125093\n")
    body = next(p for p in d.paragraphs if p.text.startswith("某县地处山区"))
    assert body.clause[-1] == "各走各路，快递进村难在哪", body.clause
    contact = next(p for p in d.paragraphs if p.text.startswith("联系人"))
    assert not contact.heading and contact.text.endswith("6128347"), contact


def test_task_fields_belong_to_their_task():
    """牵头单位：… and 责任单位：… under a task are fields of that task, not headings of the next one."""
    d = built("亥市街巷整治行动方案\n\n二、重点任务\n\n"
              "（一）背街小巷路面修复\n修复破损路面，补齐人行道缺失路段。\n牵头单位：市住房城乡建设局\n责任单位：各区人民政府\n\n"
              "（二）沿街立面整治\n规范店招店牌设置，清理违规广告。\n牵头单位：市城市管理局\n责任单位：市市场监管局\n\n"
              "三、保障措施\n\n各区要明确责任分工。\n联系电话：66120000\n")
    owner = {ns(p.text): p.clause[-1] for p in d.paragraphs if p.clause}
    assert owner["牵头单位：市住房城乡建设局"] == "（一）背街小巷路面修复"
    assert owner["责任单位：各区人民政府"] == "（一）背街小巷路面修复"
    assert owner["牵头单位：市城市管理局"] == "（二）沿街立面整治"
    assert owner["联系电话：66120000"] == "三、保障措施"
