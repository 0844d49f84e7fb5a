"""Cleaning the real seeds: hard-wrapped columns joined, page furniture dropped, duplicates removed."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from policyqa.ingest.clean import clean_blocks, normalize_spaces
from policyqa.schema import Block, LoadedFile
from policyqa.ingest.furniture import is_byline, is_caption
from policyqa.text import ends_final, is_cjkish

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
NEWS = ("000_66dd0f48ba81f122.txt", "001_8f75e8691d6c27ef.txt")
ALL = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))


def ns(s: str) -> str:
    return re.sub(r"\s+", "", s)


@lru_cache(maxsize=None)
def loaded(name: str) -> LoadedFile:
    p = SEEDS / name
    return LoadedFile(name=p.name, kind="txt", text=p.read_text("utf-8"))


@lru_cache(maxsize=None)
def blocks(name: str) -> tuple[Block, ...]:
    return tuple(clean_blocks(loaded(name)))


def block_with(name: str, needle: str) -> list[Block]:
    return [b for b in blocks(name) if needle in ns(b.text)]


def test_all_five_seeds_present():
    assert len(ALL) == 5


@pytest.mark.parametrize("name", ALL)
def test_no_space_between_chinese_characters_and_no_line_breaks(name):
    for b in blocks(name):
        assert "\n" not in b.text
        assert b.text == b.text.strip() and b.text
        for m in re.finditer(r"(\S)\s+(\S)", b.text):
            a, c = m.group(1), m.group(2)
            assert not (is_cjkish(a) and is_cjkish(c)), (name, b.text[max(0, m.start() - 10):m.end() + 10])


@pytest.mark.parametrize("name", NEWS)
def test_newspaper_blocks_end_sentences_unless_title_like(name):
    """A hard-wrapped column must not leave a block that stops mid-sentence."""
    for b in blocks(name):
        if ends_final(b.text):
            continue
        assert (b.heading and len(b.text) <= 60) or is_byline(b.text) or is_caption(b.text), b


@pytest.mark.parametrize("name", ALL)
def test_line_ranges_map_back_to_source(name):
    """Cleaning only deletes (whitespace, markup, junk): each block is a subsequence of its source lines."""
    lines = loaded(name).text.split("\n")
    for b in blocks(name):
        assert 0 <= b.line_start <= b.line_end < len(lines)
        src = iter(ns("".join(lines[b.line_start:b.line_end + 1])))
        assert all(ch in src for ch in ns(b.text)), b


def test_column_breaks_and_hard_wraps_are_joined():
    # 000: blank line inside a sentence ("规划先 / ⏎ / 行、产业筑基")
    assert block_with(NEWS[0], "以“规划先行、产业筑基、服务提质、改革破局”，高质量推进新型城镇化")
    # 000: a numbered item wrapped over three lines stays one paragraph
    (b,) = block_with(NEWS[0], "（一）信宜市形成了“生态屏障区绿色发展型”的新型城镇化模式。信宜作为")
    assert b.line_start == 34 and not b.heading
    # 000: a two-line numbered heading is one heading block; its body is separate
    (h,) = block_with(NEWS[0], "（二）产业升级：建设荔枝龙眼产业融合发展引领区")
    assert h.heading and ns(h.text) == "（二）产业升级：建设荔枝龙眼产业融合发展引领区"
    (h,) = [b for b in blocks(NEWS[0]) if b.text == "（一）生态引领：建设绿美生态示范带"]
    assert h.heading
    # the indented first line of its body is not glued to the heading
    assert block_with(NEWS[0], "结合实际调整浮山岭生态核心保护区范围，不搞大拆大建")[0].text.startswith("结合实际")
    # 001: the first line of a report ("本报讯……项目") continues the paragraph
    assert block_with(NEWS[1], "本报讯一批批重大建设项目集中开工")
    # 004: PDF lines separated by blank lines
    assert block_with("004_37ab4386ec37cb9e.txt", "市县两级党政主要负责同志要担负起推动制造业高质量发展的第一责任")
    # 002: a paragraph broken by a page break
    assert block_with("002_240daae8c4bbf10a.txt", "提升水利建设管理一体化水平。（牵头单位：省水利厅；参加单位：省发展改革委")


def test_headlines_and_bylines_stay_separate():
    texts = [b.text for b in blocks(NEWS[0])]
    assert "关于差异化推进县城新型城镇化的探索与思考" in texts
    # "byline 一、heading" on one source line is split in two
    i = texts.index("市委党校第36期中青一班第二调研组")
    assert texts[i + 1] == "一、产业发展现状"
    assert blocks(NEWS[0])[i].line_start == blocks(NEWS[0])[i + 1].line_start == 532
    texts = [b.text for b in blocks(NEWS[1])]
    assert "海关助力茂名中秋月饼" in texts and "首次出口大洋洲" in texts
    assert "■记者梁雪玲通讯员许敏婷丁臻" in texts


def test_page_furniture_jump_lines_and_tags_are_dropped():
    joined = "\n".join(b.text for name in NEWS for b in blocks(name))
    for junk in ("下转", "今日天气", "担当源自责任", "成就宣传"):
        assert junk not in joined
    # the jump marker is cut off the end of the sentence it followed
    assert block_with(NEWS[1], "并由市“百千万工程”指挥部进行通报表扬。")[0].text.endswith("通报表扬。")


def test_table_of_contents_is_dropped():
    bl = blocks("002_240daae8c4bbf10a.txt")
    assert not any("....." in b.text or "目录" == b.text for b in bl)
    assert sum(1 for b in bl if b.text == "第一章发展背景") == 1
    assert bl[0].text == "湛茂都市圈发展规划" and bl[0].heading
    assert bl[1].text == "前言" and bl[1].line_start == 57


def test_markup_removed_and_footnotes_moved_out_of_paragraphs():
    bl = blocks("002_240daae8c4bbf10a.txt")
    assert not any(re.search(r"</?p>|\*\*|^- ", b.text) for b in bl)
    # HTML paragraphs "<p>一、机场 湛江新塘……</p>" become heading + body
    texts = [b.text for b in bl]
    i = texts.index("一、机场")
    assert bl[i].heading and texts[i + 1].startswith("湛江新塘、坡头通用机场迁建工程")
    # a paragraph interrupted by a footnote at the page foot is joined; the footnote follows it
    (para,) = block_with("002_240daae8c4bbf10a.txt", "共同建设以湛江“五岛一湾”¹滨海旅游集聚区")
    assert para.text.endswith("独具中国南方滨海风情的黄金海岸带。")
    k = bl.index(para)
    assert bl[k + 1].text.startswith("¹") and "五岛一湾：" in bl[k + 1].text


def test_repeated_article_is_kept_once_and_web_chrome_dropped():
    bl = blocks("003_66bac4bbe3b54653.txt")
    assert len(block_with("003_66bac4bbe3b54653.txt", "此外,《方案》还附加了茂名市承接产业方向")) == 1
    assert len(block_with("003_66bac4bbe3b54653.txt", "打造主平台。打造1个全市承接产业有序转移主平台")) == 1
    assert max(b.line_end for b in bl) < 65  # everything after the first copy was a duplicate
    joined = "\n".join(b.text for b in bl)
    for junk in ("Network", "当前位置", "主页>", "点击:", "来源:"):
        assert junk not in joined
    # the heading that lost its line break is split off: "保障措施加强组织领导。……"
    texts = [b.text for b in bl]
    i = texts.index("保障措施")
    assert bl[i].heading and texts[i + 1].startswith("加强组织领导。")


def test_status_line_and_page_number():
    bl = blocks("004_37ab4386ec37cb9e.txt")
    texts = [b.text for b in bl]
    assert texts[:3] == ["湛江市贯彻落实“制造业当家”五年", "行动计划（2023-2027年）", "（征求意见稿）"]
    assert not any(t.strip("-— ") == "5" for t in texts)
    # the sentence broken by the page number "- 5 -" is whole again
    assert block_with("004_37ab4386ec37cb9e.txt", "探索建立政府引导监督、专业招商机构招商的模式")


def test_normalize_spaces_rules():
    assert normalize_spaces("化 发 展 路 径 ，取 得") == "化发展路径，取得"
    assert normalize_spaces("土地总面积 2.47 万平方公里，2022 年") == "土地总面积2.47万平方公里，2022年"
    assert normalize_spaces("抢抓 RCEP 机遇") == "抢抓 RCEP 机遇"
    assert normalize_spaces("Internet Data Center， 互联网") == "Internet Data Center，互联网"
    assert normalize_spaces("44.26% 、43.04%") == "44.26%、43.04%"


def test_general_rules_on_other_layouts():
    """Not the seeds: an indented PDF text layer and a Markdown file."""
    pdf = ("关于加快发展数字经济的实施意见\n"
           "　　为深入贯彻落实国家数字经济发展战略，加快推进我市数\n"
           "字经济高质量发展，结合实际，制定本意见。\n"
           "一、总体目标\n"
           "　　到2025年，全市数字经济核心产业增加值占地区生产总值\n"
           "比重达到10%。数字基础设施更加完善，产业数字化转型取得\n"
           "明显成效。\n"
           "　　到2030年，数字经济成为全市经济发展的重要引擎。\n")
    texts = [b.text for b in clean_blocks(LoadedFile(name="a.txt", kind="pdf", text=pdf))]
    assert texts == ["关于加快发展数字经济的实施意见",
                     "为深入贯彻落实国家数字经济发展战略，加快推进我市数字经济高质量发展，结合实际，制定本意见。",
                     "一、总体目标",
                     "到2025年，全市数字经济核心产业增加值占地区生产总值比重达到10%。数字基础设施更加完善，产业数字化转型取得明显成效。",
                     "到2030年，数字经济成为全市经济发展的重要引擎。"]
    md = "# 工作方案\n\n## 一、工作目标\n\n到2025年，能耗下降**14%**。\n\n- 1.推进能源结构调整。\n"
    bl = clean_blocks(LoadedFile(name="b.md", kind="md", text=md))
    assert [(b.text, b.heading) for b in bl[:3]] == [("工作方案", True), ("一、工作目标", True),
                                                     ("到2025年，能耗下降14%。", False)]
    assert bl[3].text == "1.推进能源结构调整。"  # a list item; structure decides it has no body of its own


def _wrapped(paragraphs: list[str], width: int = 38) -> str:
    """A text layer copied from a PDF: every paragraph hard-wrapped at `width` characters, articles apart."""
    out = []
    for p in paragraphs:
        out.append("" if p.startswith("第") else None)
        out.extend(p[i:i + width] for i in range(0, len(p), width))
    return "\n".join(x for x in out if x is not None)


def test_wrapped_items_of_a_regulation_are_joined():
    """Short items (（一）…；) end most lines, yet the articles and items that wrap are one paragraph each."""
    articles = [
        "第八条　城市绿化主管部门应当会同自然资源、住房城乡建设等有关部门编制城市绿地系统规划，报本级人民政府"
        "批准后组织实施，并向社会公布。城市绿地系统规划应当确定绿地率、人均公园绿地面积等指标。",
        "第九条　禁止下列损害城市绿化的行为：",
        "（一）擅自砍伐、移植、修剪城市树木，或者在树木上悬挂广告牌、晾晒衣物、缠绕电线；",
        "（二）在绿地内倾倒垃圾、堆放杂物、取土、焚烧，或者违规停放机动车辆；",
        "（三）擅自占用城市绿地；",
        "（四）损坏绿化设施；",
        "（五）其他损害城市绿化的行为。",
        "第十条　单位和个人因建设需要临时占用城市绿地的，应当经城市绿化主管部门同意，并按照规定办理临时用地"
        "手续。临时占用绿地的期限一般不超过一年，确需延长的，应当在期满前三十日内申请办理延期手续。",
        "占用期满后，应当恢复原状。",
        "第十一条　管护责任人应当履行下列义务：",
        "（一）按照养护技术规范对树木进行浇水、施肥、修剪和病虫害防治，保持树木正常生长；",
        "（二）及时补植缺株；",
        "（三）发现树木有倒伏、折断危险的，及时采取加固、修剪等措施并向主管部门报告。",
        "第十二条　违反本条例第九条规定的，由城市绿化主管部门责令停止侵害，限期恢复原状，可以并处五百元以上"
        "五千元以下罚款；造成损失的，依法承担赔偿责任。",
        "市绿化管理处，联系电话：87001112；",
        "区绿化管理所，联系电话：87002235；",
    ]
    bl = [b.text for b in clean_blocks(LoadedFile(name="c.txt", kind="pdf", text=_wrapped(articles)))]
    assert bl == [a.replace("　", "") for a in articles]


def test_a_two_column_table_keeps_its_rows():
    """A news box of 指标｜数据 lines: each line a row of its own, read with its column names."""
    text = ("【数读】亥市夜间经济\n指标｜数据\n夜间消费额｜86.5亿元，同比增长12.6%\n夜市摊位｜680个\n"
            "夜间公交线路｜8条，末班车延长至23时30分\n\n记者从市商务局了解到，夜间经济持续升温。\n")
    bl = [b.text for b in clean_blocks(LoadedFile(name="d.txt", kind="txt", text=text))]
    assert "指标：夜市摊位；数据：680个" in bl, bl
    assert "指标：夜间公交线路；数据：8条，末班车延长至23时30分" in bl, bl
