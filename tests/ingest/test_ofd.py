"""OFD loader: generated packages (tests/ingest/ofd_fixture.py) read back line by line, and every way a file is
refused."""

from __future__ import annotations

import pytest

from policyqa.errors import SkipFile
from policyqa.ingest.loaders import ofd
from policyqa.ingest.loaders.ofd import (REASON_OFD_CORRUPT, REASON_OFD_NO_TEXT, REASON_OFD_TOO_LARGE,
                                         load_ofd, page_layout)
from ofd_fixture import (IMAGE_BOX, LEFT, NS, PITCH, PUBLIC_RES, SIZE, TOP, build_ofd, content_xml, document_xml,
                         ofd_xml, page_objects, text_object, zip_package)

PAGE_1 = [
    "关于印发《某市促进中小企业高质量发展若干措施》的通知",
    "各区人民政府，市政府各部门、各直属机构：",
    "\u3000\u3000现将《某市促进中小企业高质量发展若干措施》印发给你们，",
    "请认真贯彻执行。",
    "",
    "第一条\u3000为进一步优化营商环境，激发市场主体活力，制定本措施。",
]
PAGE_2 = [
    "第二条\u3000对首次认定的专精特新企业给予一次性奖励50万元。",
    "第三条\u3000本措施参照ISO 9001 Quality Management标准执行。",
    "某市人民政府办公室",
    "2023年3月24日",
]
TITLE = "关于印发《某市促进中小企业高质量发展若干措施》的通知"


def expected(*pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """The text and page starts load_ofd should give: a blank line between pages."""
    lines: list[str] = []
    starts = []
    for page in pages:
        if lines:
            lines.append("")
        starts.append(len(lines))
        lines.extend(page)
    return "\n".join(lines), tuple(starts)


def reason(raw: bytes) -> str:
    with pytest.raises(SkipFile) as info:
        load_ofd(raw)
    return info.value.reason


def package(pages: dict[str, str], doc: str | None = None, root: str | None = None) -> bytes:
    """A package with hand-written page Content.xml members (Doc_0/Pages/<name>/Content.xml)."""
    locs = [f"Pages/{name}/Content.xml" for name in pages]
    files = {"OFD.xml": root if root is not None else ofd_xml(),
             "Doc_0/Document.xml": doc if doc is not None else document_xml(locs),
             "Doc_0/PublicRes.xml": PUBLIC_RES}
    files.update({f"Doc_0/Pages/{name}/Content.xml": xml for name, xml in pages.items()})
    return zip_package(files)


# ---------------------------------------------------------------------------------- round trips


def test_lines_pages_title_and_meta_round_trip():
    raw = build_ofd([PAGE_1, PAGE_2], title=TITLE, author="某市人民政府办公室",
                    creation_date="2023-03-24T09:30:00")
    extracted = load_ofd(raw)
    text, starts = expected(PAGE_1, PAGE_2)
    assert extracted.text == text
    assert extracted.page_starts == starts == (0, 7)
    assert extracted.text.split("\n")[extracted.page_starts[1]] == PAGE_2[0]
    assert extracted.title == TITLE
    assert extracted.meta == {"issuer": "某市人民政府办公室", "date": "2023-03-24"}
    assert extracted.heading_lines == frozenset()  # every line is set at the body size


def test_latin_words_keep_their_spaces_cjk_runs_join_without():
    # the fixture writes each space-separated word as a TextCode of its own with a gap and no space character
    objects = page_objects(["本措施参照 ISO 9001 标准执行。"])
    assert objects[0].count("<ofd:TextCode") == 4 and "> " not in objects[0] and " <" not in objects[0]
    line = load_ofd(package({"Page_0": content_xml(objects)})).text
    assert line == "本措施参照ISO 9001标准执行。"


@pytest.mark.parametrize("options", [
    {"split": True},
    {"reverse": True},
    {"split": True, "reverse": True, "page_block": True},
    {"absolute_locs": True},
])
def test_reading_order_does_not_depend_on_how_objects_are_written(options):
    plain = load_ofd(build_ofd([PAGE_1, PAGE_2]))
    other = load_ofd(build_ofd([PAGE_1, PAGE_2], **options))
    assert other.text == plain.text
    assert other.page_starts == plain.page_starts


def test_split_line_objects_share_a_baseline_and_are_out_of_order_in_the_xml():
    # the fixture really writes what the test above claims: two objects per long line, right half first
    objects = page_objects(["第一条为进一步优化营商环境"], split=True)
    assert len(objects) == 2
    assert 'Boundary="25 ' in objects[0] and 'Boundary="25 ' not in objects[1]
    lines = load_ofd(build_ofd([["第一条为进一步优化营商环境", "第二条对首次认定的企业给予奖励"]],
                               split=True, reverse=True)).text.split("\n")
    assert lines == ["第一条为进一步优化营商环境", "第二条对首次认定的企业给予奖励"]


def test_template_header_is_read_once_above_the_first_page():
    extracted = load_ofd(build_ofd([PAGE_1, PAGE_2], template=["某市人民政府办公室文件"]))
    lines = extracted.text.split("\n")
    assert lines[:3] == ["某市人民政府办公室文件", "", PAGE_1[0]]
    assert lines.count("某市人民政府办公室文件") == 1
    assert lines[extracted.page_starts[1]] == PAGE_2[0]


def test_bigger_type_is_a_heading_and_a_running_page_number_is_dropped():
    pages = {}
    for k in range(3):
        chapter = f"第{'一二三'[k]}章\u3000总则"
        body = [f"{'甲乙丙'[k]}{'子丑寅'[n]}项措施：为进一步优化营商环境，激发市场主体活力。" for n in range(3)]
        objects = [text_object(1, LEFT + 40, TOP, chapter, size=8.0)]
        objects += page_objects(["", *body])  # body lines from the second line on
        objects.append(text_object(90, 95, 280, f"— {k + 1} —"))
        pages[f"Page_{k}"] = content_xml(objects)
    extracted = load_ofd(package(pages))
    lines = extracted.text.split("\n")
    assert not any("—" in line for line in lines)
    assert [lines[i].strip() for i in sorted(extracted.heading_lines)] == [
        "第一章\u3000总则", "第二章\u3000总则", "第三章\u3000总则"]
    assert lines[extracted.page_starts[1]].startswith("\u3000")  # the centred heading is indented
    assert sum("优化营商环境" in line for line in lines) == 9


def test_wide_gap_between_cells_is_a_space_and_fake_bold_counts_once():
    objects = [text_object(1, LEFT, TOP, "项目名称"), text_object(2, LEFT + 60, TOP, "北部水厂工程"),
               text_object(3, LEFT, TOP + 10, "加粗标题"), text_object(4, LEFT + 0.2, TOP + 10, "加粗标题"),
               text_object(5, LEFT, TOP + 20, "为保障城乡居民饮水安全，制定本方案。")]
    lines = load_ofd(package({"Page_0": content_xml(objects)})).text.split("\n")
    assert lines == ["项目名称 北部水厂工程", "加粗标题", "为保障城乡居民饮水安全，制定本方案。"]


def test_ctm_delta_y_and_missing_x_are_followed():
    page = content_xml([
        # scaled by the CTM: object units are half a millimetre
        '<ofd:TextObject ID="1" Boundary="25 30 150 10" CTM="0.5 0 0 0.5 0 0" Font="2" Size="11.2">'
        '<ofd:TextCode X="0" Y="10" DeltaX="g 6 11.2">为保障城乡居民饮水</ofd:TextCode>'
        '<ofd:TextCode X="100.8">安全，制定本方案。</ofd:TextCode></ofd:TextObject>',
        # vertical text: one character per line, going down
        '<ofd:TextObject ID="2" Boundary="25 50 10 40" Font="2" Size="5.6">'
        '<ofd:TextCode X="0" Y="5" DeltaY="10 10">附件一</ofd:TextCode></ofd:TextObject>',
    ])
    lines = load_ofd(package({"Page_0": page})).text.split("\n")
    assert lines[0] == "为保障城乡居民饮水安全，制定本方案。"
    assert [line.strip() for line in lines[1:] if line.strip()] == ["附", "件", "一"]


def test_gb2312_declared_xml_and_undeclared_prefix_are_read():
    page = content_xml(page_objects(["为保障城乡居民饮水安全，制定本方案。"]))
    gb = page.replace('encoding="UTF-8"', 'encoding="GB2312"').encode("gb18030")
    assert load_ofd(package({"Page_0": gb})).text == "为保障城乡居民饮水安全，制定本方案。"
    undeclared = page.replace(f' xmlns:ofd="{NS}"', "")
    assert "xmlns" not in undeclared
    assert load_ofd(package({"Page_0": undeclared})).text == "为保障城乡居民饮水安全，制定本方案。"


def test_a_broken_page_is_empty_the_rest_is_read():
    good = content_xml(page_objects(["为保障城乡居民饮水安全，制定本方案。"]))
    extracted = load_ofd(package({"Page_0": "<ofd:Page>", "Page_1": good}))
    assert extracted.text == "为保障城乡居民饮水安全，制定本方案。"
    assert extracted.page_starts == (0, 0)  # an empty page starts where the next one does


def test_page_layout_has_the_page_size_its_runs_with_the_template_and_its_images():
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # only the signature is checked here
    raw = build_ofd([PAGE_1, PAGE_2], template=["某市人民政府办公室文件"], image=(1, png))
    layout = page_layout(raw, 2)
    assert (layout.width, layout.height) == (210, 297)
    # the template is drawn on every page, not only on the first
    assert [r.text for r in layout.runs][:3] == ["某市人民政府办公室文件", PAGE_2[0], "第三条\u3000本措施参照ISO"]
    header, first = layout.runs[0], layout.runs[1]
    assert header.y == pytest.approx(TOP - 2 * PITCH) and header.x0 == pytest.approx(LEFT)
    assert (first.x0, first.y, first.size) == pytest.approx((LEFT, TOP, SIZE))
    assert first.x1 == pytest.approx(LEFT + SIZE * (len(PAGE_2[0]) - 1))  # "50" is two half-width digits
    assert [(i.x, i.y, i.width, i.height, i.data) for i in layout.images] == [(*IMAGE_BOX, png)]
    assert page_layout(raw, 1).images == ()
    with pytest.raises(IndexError):
        page_layout(raw, 3)
    # a page that declares its own size keeps it; no image resources, no images
    a5 = content_xml(page_objects(PAGE_1)).replace(
        "<ofd:Content>", "<ofd:Area><ofd:PhysicalBox>0 0 148 210</ofd:PhysicalBox></ofd:Area><ofd:Content>")
    small = page_layout(package({"Page_0": a5}), 1)
    assert (small.width, small.height) == (148, 210) and small.images == ()


# ---------------------------------------------------------------------------------- document information


@pytest.mark.parametrize("title,expected_title", [
    (TITLE, TITLE),
    ("关于印发措施的通知.docx", "关于印发措施的通知"),
    ("Microsoft Word Document", None),
    ("", None),
    (None, None),
])
def test_title_only_when_chinese(title, expected_title):
    assert load_ofd(build_ofd([PAGE_1], title=title)).title == expected_title


@pytest.mark.parametrize("author,issuer", [
    ("某市人民政府办公室", "某市人民政府办公室"),
    ("某省发展和改革委员会", "某省发展和改革委员会"),
    ("某县市场监督管理局", "某县市场监督管理局"),
    ("张三", None),
    ("欧阳明华", None),
    ("Administrator", None),
    ("WPS Office", None),
    ("北京数科网维技术有限责任公司", None),  # an OFD software vendor, not an issuer
    (None, None),
])
def test_issuer_only_from_an_organisation_author(author, issuer):
    meta = load_ofd(build_ofd([PAGE_1], author=author)).meta
    assert meta.get("issuer") == issuer


@pytest.mark.parametrize("raw,iso", [
    ("2023-03-24", "2023-03-24"),
    ("2023-03-24T09:30:00+08:00", "2023-03-24"),
    ("2023/3/4", "2023-03-04"),
    ("2023年3月24日", "2023-03-24"),
    ("20230324", "2023-03-24"),
    ("2023-02-30", None),
    ("yesterday", None),
])
def test_creation_date_as_iso(raw, iso):
    assert load_ofd(build_ofd([PAGE_1], creation_date=raw)).meta.get("date") == iso


# ---------------------------------------------------------------------------------- refused files


def test_not_a_zip_is_corrupt():
    assert reason(b"%PDF-1.7 this is not an OFD file") == REASON_OFD_CORRUPT
    assert reason(build_ofd([PAGE_1])[:200]) == REASON_OFD_CORRUPT  # truncated
    assert REASON_OFD_CORRUPT == "文件已损坏或不是有效的 OFD 文档"


def test_a_zip_that_is_not_an_ofd_is_corrupt():
    docx_like = zip_package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    assert reason(docx_like) == REASON_OFD_CORRUPT
    wrong_root = zip_package({"OFD.xml": '<?xml version="1.0"?><Types/>'})
    assert reason(wrong_root) == REASON_OFD_CORRUPT


@pytest.mark.parametrize("member", ["OFD.xml", "Doc_0/Document.xml"])
def test_broken_xml_is_corrupt(member):
    files = {"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(["Pages/Page_0/Content.xml"]),
             "Doc_0/Pages/Page_0/Content.xml": content_xml(page_objects(PAGE_1))}
    files[member] = files[member][: len(files[member]) // 2]
    assert reason(zip_package(files)) == REASON_OFD_CORRUPT


def test_missing_document_or_pages_is_corrupt():
    assert reason(zip_package({"OFD.xml": ofd_xml()})) == REASON_OFD_CORRUPT  # DocRoot points nowhere
    no_pages = zip_package({"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml([])})
    assert reason(no_pages) == REASON_OFD_CORRUPT
    missing_page = zip_package({"OFD.xml": ofd_xml(), "Doc_0/Document.xml": document_xml(["Pages/P/Content.xml"])})
    assert reason(missing_page) == REASON_OFD_CORRUPT


def test_dtd_entities_are_refused():
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">&lol2;</ofd:OFD>')
    assert reason(zip_package({"OFD.xml": laughs})) == REASON_OFD_CORRUPT


def test_pages_without_text_are_a_scan():
    image_only = content_xml(['<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"/>'])
    raw = package({"Page_0": image_only, "Page_1": image_only})
    assert reason(raw) == REASON_OFD_NO_TEXT
    assert "扫描件" in REASON_OFD_NO_TEXT


def test_zip_bomb_bound_on_declared_sizes(monkeypatch):
    assert ofd.MAX_XML_BYTES == 200 * 1024 * 1024
    padding = "<!-- " + " " * 3_000_000 + " -->"  # 3 MB that deflates to a few kilobytes
    raw = build_ofd([PAGE_1])
    bomb = package({"Page_0": content_xml(page_objects(PAGE_1)) + padding})
    assert len(bomb) < 50_000
    monkeypatch.setattr(ofd, "MAX_XML_BYTES", 1_000_000)
    assert load_ofd(raw).text  # a normal file is well under the bound
    assert reason(bomb) == REASON_OFD_TOO_LARGE
    assert "MB" in REASON_OFD_TOO_LARGE


def test_zip_bomb_bound_on_what_is_actually_read(monkeypatch):
    # a member not named .xml escapes the declared-size check, but every byte read counts
    document = document_xml(["Pages/Page_0/Content.xml"]) + "<!-- " + " " * 3_000_000 + " -->"
    bomb = zip_package({"OFD.xml": ofd_xml(doc_root="Doc_0/Document.dat"), "Doc_0/Document.dat": document,
                        "Doc_0/Pages/Page_0/Content.xml": content_xml(page_objects(PAGE_1))})
    monkeypatch.setattr(ofd, "MAX_XML_BYTES", 1_000_000)
    assert reason(bomb) == REASON_OFD_TOO_LARGE


def test_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(ofd, "MAX_MEMBERS", 3)
    assert reason(build_ofd([PAGE_1, PAGE_2])) == REASON_OFD_TOO_LARGE
