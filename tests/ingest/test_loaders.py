"""Stage 1 (load): every format from generated fixtures, with the real libraries (no mocks)."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import pytest

from policyqa.ingest.furniture import is_boilerplate
from policyqa.ingest.loaders import SUPPORTED_SUFFIXES, base, load_file
from policyqa.ingest.loaders import docx as docx_loader
from policyqa.errors import SkipFile

POLICY = (
    "关于印发《某市促进中小企业高质量发展若干措施》的通知\n"
    "各区人民政府，市政府各部门、各直属机构：\n"
    "现将《某市促进中小企业高质量发展若干措施》印发给你们，请认真贯彻执行。\n"
    "\n"
    "第一条 为进一步优化营商环境，激发市场主体活力，制定本措施。\n"
    "第二条 对首次认定的专精特新企业给予一次性奖励50万元。\n"
    "某市人民政府办公室\n"
    "2023年3月24日\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def skip_reason(path: Path) -> str:
    with pytest.raises(SkipFile) as info:
        load_file(path)
    assert info.value.reason
    return info.value.reason


# ---------------------------------------------------------------------------------- text


@pytest.mark.parametrize("encoding,expected", [
    ("gb18030", "gb18030"),
    ("gbk", "gb18030"),  # decoded with the superset
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"),
    ("utf-16", "utf-16"),  # Python writes a BOM
    ("utf-16-le", "utf_16_le"),  # no BOM: charset-normalizer spots it
])
def test_text_encodings_round_trip(tmp_path, encoding, expected):
    path = write(tmp_path, "通知.txt", POLICY.encode(encoding))
    loaded = load_file(path)
    assert loaded.text == POLICY
    assert loaded.text.split("\n") == POLICY.split("\n")
    assert loaded.encoding == expected
    assert loaded.kind == "txt"
    assert loaded.name == "通知.txt"
    assert loaded.raw_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_gb18030_only_characters(tmp_path):
    text = POLICY + "生僻字：𠀀𪚥䶮\n"  # four-byte GB18030 sequences, outside GBK
    assert load_file(write(tmp_path, "a.txt", text.encode("gb18030"))).text == text


def test_short_gbk_text(tmp_path):
    text = "第一条 本办法自发布之日起施行。"
    assert load_file(write(tmp_path, "a.txt", text.encode("gbk"))).text == text


def test_big5_is_not_forced_into_gb18030(tmp_path):
    text = "關於印發某市促進中小企業發展若干措施的通知\n各區人民政府，市政府各部門：\n請認真貫徹執行。\n"
    loaded = load_file(write(tmp_path, "a.txt", text.encode("big5")))
    assert loaded.text == text


def test_newlines_normalised_and_line_count_kept(tmp_path):
    raw = "第一行\r\n第二行\r第三行\n\n第五行".encode("gbk")
    loaded = load_file(write(tmp_path, "a.txt", raw))
    assert loaded.text == "第一行\n第二行\n第三行\n\n第五行"


def test_markdown_headings(tmp_path):
    text = "# 某市数据管理办法\n\n## 第一章 总则\n\n第一条 正文。\n\n```\n# 不是标题\n```\n"
    loaded = load_file(write(tmp_path, "办法.md", text.encode("utf-8")))
    assert loaded.kind == "md"
    assert loaded.text == text
    assert loaded.heading_lines == frozenset({0, 2})
    assert loaded.title == "某市数据管理办法"


def test_empty_files(tmp_path):
    assert skip_reason(write(tmp_path, "a.txt", b"")) == "文件为空"
    assert skip_reason(write(tmp_path, "b.txt", b" \r\n\t\n")) == "文件为空"
    assert skip_reason(write(tmp_path, "c.txt", " \n".encode("utf-16"))) == "文件为空"
    assert skip_reason(write(tmp_path, "d.html", b"")) == "文件为空"


def test_binary_junk_named_txt(tmp_path):
    junk = random.Random(7).randbytes(4096)
    assert skip_reason(write(tmp_path, "junk.txt", junk)) in (base.REASON_ENCODING, base.REASON_BINARY)
    assert skip_reason(write(tmp_path, "zeros.txt", b"\x00" * 1000)) == base.REASON_BINARY


def test_unsupported_suffix(tmp_path):
    assert skip_reason(write(tmp_path, "程序.exe", b"whatever")) == "不支持的文件类型：.exe"
    assert "损坏" in skip_reason(write(tmp_path, "旧文档.doc", b"whatever"))
    assert "不支持" in skip_reason(write(tmp_path, "README", b"text"))
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".ofd", ".doc",
                                      ".wps", ".rtf", ".xlsx", ".xls"}


def test_suffix_is_case_insensitive(tmp_path):
    assert load_file(write(tmp_path, "A.TXT", POLICY.encode("utf-8"))).kind == "txt"


# ---------------------------------------------------------------------------------- html

ARTICLE = [
    "为深入贯彻落实党中央、国务院关于优化营商环境的决策部署，进一步激发市场主体活力，结合本市实际，制定本措施。",
    "一、深化商事制度改革。全面推行企业开办“一网通办”，将企业开办时间压缩至一个工作日以内。",
    "二、优化工程建设项目审批。社会投资简易低风险项目审批时间压减至十五个工作日以内。",
    "三、加强知识产权保护。建立知识产权快速维权机制，加大侵权行为惩处力度。",
    "本措施自发布之日起施行，有效期三年。",
]


def gov_page(paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>关于进一步优化营商环境的若干措施_政策文件_某市人民政府</title></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/bsfw">办事服务</a></li></ul></div>
<div class="crumb">当前位置：首页 &gt; 新闻</div>
<div class="article">
<h1>关于进一步优化营商环境的若干措施</h1>
<div class="info">来源：某某 日期：2023-03-24 点击：123</div>
{body}
<div class="share">分享到：微信 微博</div>
<div class="tools">【打印本页】【关闭窗口】</div>
</div>
<div class="footer"><p>主办单位：某市人民政府办公室 版权所有</p><p>网站标识码：1234567890 京ICP备12345678号</p></div>
</body></html>"""


def assert_main_text_only(text: str, paragraphs: list[str]) -> None:
    lines = text.split("\n")
    for paragraph in paragraphs:
        assert paragraph in lines
    for chrome in ("当前位置", "来源：", "点击", "分享到", "打印本页", "网站标识码", "版权所有", "互动交流", "办事服务"):
        assert chrome not in text


def test_html_main_text(tmp_path):
    loaded = load_file(write(tmp_path, "措施.html", gov_page(ARTICLE).encode("utf-8")))
    assert loaded.kind == "html"
    assert_main_text_only(loaded.text, ARTICLE)
    assert loaded.title and "关于进一步优化营商环境的若干措施" in loaded.title
    assert all(line.strip() for line in loaded.text.split("\n"))


def test_html_short_chinese_page_is_not_a_page_dump(tmp_path):
    # Below trafilatura's default 250-character threshold it would return the whole page, flattened.
    short = ["各区人民政府，市政府各部门：", "请各单位于5月31日前报送年度工作总结。", "特此通知。"]
    loaded = load_file(write(tmp_path, "通知.htm", gov_page(short).encode("utf-8")))
    assert loaded.kind == "html"
    assert_main_text_only(loaded.text, short)


def test_html_gbk_declared_charset(tmp_path):
    loaded = load_file(write(tmp_path, "a.html", gov_page(ARTICLE, charset="gb2312").encode("gbk")))
    assert_main_text_only(loaded.text, ARTICLE)
    assert loaded.encoding == "gb18030"


def test_html_headings_and_tables(tmp_path):
    html = """<html><head><title>某某管理办法</title></head><body><div class="content">
<h1>某某管理办法</h1><h2>第一章 总则</h2>
<p>第一条 为了规范某某管理工作，根据有关法律法规，结合本市实际，制定本办法。</p>
<p>第二条 本办法适用于本市行政区域内的某某管理活动。<br>相关部门应当按照职责分工做好工作。</p>
<h2>第二章 管理</h2><p>第三条 市主管部门负责统筹协调全市某某管理工作，区主管部门负责本辖区工作。</p>
<table><tr><th>事项</th><th>时限</th></tr><tr><td>受理</td><td>3个工作日</td></tr></table>
</div></body></html>"""
    loaded = load_file(write(tmp_path, "a.html", html.encode("utf-8")))
    lines = loaded.text.split("\n")
    assert "第二章 管理" in lines
    assert "受理 | 3个工作日" in lines
    assert {lines[i] for i in loaded.heading_lines} >= {"第一章 总则", "第二章 管理"}


def test_html_without_text(tmp_path):
    html = "<html><head><script>var a = 1;</script></head><body><img src='x.png'></body></html>"
    assert skip_reason(write(tmp_path, "a.html", html.encode("utf-8"))) in ("网页中没有可提取的正文", "文件为空")


@pytest.mark.parametrize("line", [
    "当前位置：首页 > 新闻", "当前位置:主页 > 政务公开", "您现在的位置：首页 > 通知公告", "首页 > 政务公开 > 政策文件",
    "来源：某某 日期：2023-03-24 点击：123", "发布时间：2023-01-01 浏览次数：55", "阅读次数：1024",
    "打印本页 关闭窗口", "【打印】【关闭】", "分享到：", "【字号：大 中 小】", "扫一扫在手机打开当前页",
    "上一篇：关于做好节日期间安全工作的通知", "网站标识码：1234567890", "京ICP备12345678号",
])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "第一条 为了规范管理，制定本办法。", "报名时间：5月1日至5月10日 截止日期：5月10日",
    "索引号：000014349/2023-00012 | 来源：国务院办公厅 | 发布日期：2023年03月27日",
    "发布日期：2023年3月24日", "（三）打印、复制、分享涉密文件的，应当履行审批手续。", "中",
])
def test_content_lines_are_kept(line):
    assert not is_boilerplate(line)


# ---------------------------------------------------------------------------------- pdf

def make_pdf(pages: list[list[str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 760 - 20 * i, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def squash(text: str) -> str:
    return "".join(text.split())


def test_pdf_text_layer(tmp_path):
    pages = [["第一条 为规范政府信息公开工作，制定本办法。", "第二条 本办法自2024年1月1日起施行。"],
             ["第三条 本办法由市政府办公室负责解释。"]]
    loaded = load_file(write(tmp_path, "办法.pdf", make_pdf(pages)))
    assert loaded.kind == "pdf"
    for line in pages[0] + pages[1]:
        assert squash(line) in squash(loaded.text)
    assert squash(loaded.text).index("第二条") < squash(loaded.text).index("第三条")
    assert loaded.title is None  # reportlab writes "untitled", not a real title


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 300, 400, fill=1)  # what a scanned page looks like to a text extractor
    pdf.showPage()
    pdf.save()
    reason = skip_reason(write(tmp_path, "扫描件.pdf", buffer.getvalue()))
    assert "文本层" in reason and "OCR" in reason


def test_pdf_encrypted(tmp_path):
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["第一条 加密文件测试内容。"]]))))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert "加密" in skip_reason(write(tmp_path, "locked.pdf", encrypted("secret")))
    # Owner password only (copy/print restrictions): opens with the empty user password.
    loaded = load_file(write(tmp_path, "restricted.pdf", encrypted("")))
    assert "加密文件测试内容" in squash(loaded.text)


def test_pdf_junk(tmp_path):
    assert skip_reason(write(tmp_path, "junk.pdf", random.Random(1).randbytes(5000))) == base.REASON_PDF_CORRUPT
    truncated = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\n" + random.Random(2).randbytes(500)
    assert skip_reason(write(tmp_path, "broken.pdf", truncated)) in (base.REASON_PDF_CORRUPT, base.REASON_PDF_NO_TEXT)


# ---------------------------------------------------------------------------------- docx

_CHINESE_LIST = """<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
    <w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>"""


def add_chinese_numbering(document) -> str:
    """Add a "一、/（一）" list definition to the document's numbering part; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    root = document.part.numbering_part.element
    abstract = parse_xml(_CHINESE_LIST.format(ns=nsdecls("w")))
    first_num = root.find("{%s}num" % docx_loader._W)
    first_num.addprevious(abstract)  # schema order: abstractNum elements before num elements
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def numbered(document, text: str, num_id: str, level: int):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def make_docx(tmp_path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("某市数据管理办法", 0)
    document.add_heading("第一章 总则", 1)
    document.add_paragraph("第一条 为了规范数据管理，制定本办法。")
    document.add_heading("第一节 适用范围", 2)
    for item in ("收集数据", "存储数据", "使用数据"):
        document.add_paragraph(item, style="List Number")
    num_id = add_chinese_numbering(document)
    numbered(document, "加强组织领导", num_id, 0)
    numbered(document, "明确责任分工", num_id, 1)
    numbered(document, "强化督促检查", num_id, 1)
    numbered(document, "强化责任落实", num_id, 0)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("事项", "时限"), ("受理", "3个工作日"))):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    tracked = document.add_paragraph("第二条 本办法")
    tracked._p.append(parse_xml(  # a tracked insertion, as in drafts circulated for comment
        f'<w:ins {nsdecls("w")} w:id="1" w:author="审核人"><w:r><w:t>自发布之日起施行。</w:t></w:r></w:ins>'))
    path = tmp_path / "办法.docx"
    document.save(str(path))
    return path


def test_docx_lines_headings_and_numbering(tmp_path):
    loaded = load_file(make_docx(tmp_path))
    assert loaded.kind == "docx"
    assert loaded.text.split("\n") == [
        "某市数据管理办法",
        "第一章 总则",
        "第一条 为了规范数据管理，制定本办法。",
        "第一节 适用范围",
        "1. 收集数据",
        "2. 存储数据",
        "3. 使用数据",
        "一、加强组织领导",
        "（一）明确责任分工",
        "（二）强化督促检查",
        "二、强化责任落实",
        "事项 | 时限",
        "受理 | 3个工作日",
        "第二条 本办法自发布之日起施行。",
    ]
    assert loaded.heading_lines == frozenset({0, 1, 3})
    assert loaded.title == "某市数据管理办法"


def test_docx_core_title_wins(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "关于印发数据管理办法的通知"
    document.add_heading("第一章 总则", 1)
    document.add_paragraph("正文")
    path = tmp_path / "a.docx"
    document.save(str(path))
    loaded = load_file(path)
    assert loaded.title == "关于印发数据管理办法的通知"
    assert loaded.heading_lines == frozenset({0})


def test_docx_corrupt_and_legacy(tmp_path):
    assert skip_reason(write(tmp_path, "junk.docx", random.Random(3).randbytes(3000))) == base.REASON_DOCX_CORRUPT
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert "损坏" in skip_reason(write(tmp_path, "renamed.docx", ole))  # read as the .doc it is: an empty one


def test_docx_empty(tmp_path):
    import docx

    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    assert skip_reason(path) == "文件为空"


def test_chinese_numerals():
    fmt = docx_loader._format_number
    assert [fmt(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 105, 110)] == \
        ["一", "十", "十一", "二十", "二十一", "一百零五", "一百一十"]
    assert fmt(3, "decimalEnclosedCircle") == "③"
    assert fmt(12, "chineseLegalSimplified") == "壹拾贰"
    assert fmt(4, "upperRoman") == "IV"
