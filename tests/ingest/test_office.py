"""Legacy Word/WPS/RTF through LibreOffice, and spreadsheets (.xlsx with openpyxl, .xls through LibreOffice).

Every fixture is made here: a .docx by python-docx turned into a real .doc by LibreOffice, an .xlsx by
openpyxl turned into a real .xls. LibreOffice is real (no mocks); each start costs ~2 s, so the conversions
run once per module, several at a time (which also checks that concurrent runs do not share a profile).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from concurrent.futures import ThreadPoolExecutor

import docx
import openpyxl
import pytest

from policyqa.errors import SkipFile
from policyqa.ingest.loaders import office, sheet
from policyqa.ingest.loaders.docx import load_docx
from policyqa.ingest.loaders.office import convert, converter_available, load_doc
from policyqa.ingest.loaders.sheet import load_sheet, load_xls

HEADING = "关于促进高校毕业生就业的若干措施"
SENTENCES = ["第一条 为做好高校毕业生就业工作，制定本措施。",
             "第二条 对吸纳高校毕业生就业的小微企业，给予一次性吸纳就业补贴。",
             "第三条 本措施自发布之日起施行。"]
TABLE_ROWS = ["补贴项目 | 补贴标准", "一次性吸纳就业补贴 | 每人1500元", "求职创业补贴 | 每人2000元"]

XLSX_ROWS = [
    "序号：1；项目名称：智慧城市建设；牵头单位：市数据局；投资额（万元）：3000；开工日期：2024-03-01",
    "序号：2；项目名称：老旧小区改造一期；牵头单位：市住房和城乡建设局；投资额（万元）：1250.5；开工日期：2024-05-20",
    "序号：3；项目名称：高标准农田建设；牵头单位：市农业农村局；投资额（万元）：800；开工日期：2024-06-30",
]
XLSX_LINES = ["重点项目", "2024年重点项目清单", *XLSX_ROWS,
              "补贴标准",
              "类别：就业补贴；补贴标准-城镇：3000；补贴标准-农村：2000；备注：按人计发",
              "类别：就业补贴；补贴标准-城镇：5%；补贴标准-农村：10%",
              "注：以上标准自2024年1月1日起执行。"]


def _make_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "就业措施"
    document.add_heading(HEADING, level=1)
    document.add_paragraph(SENTENCES[0])
    document.add_paragraph(SENTENCES[1])
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate(TABLE_ROWS):
        for c, text in enumerate(row.split(" | ")):
            table.cell(r, c).text = text
    document.add_paragraph(SENTENCES[2])  # Word always ends a body with a paragraph, not a table
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _make_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点项目"
    ws.append(["2024年重点项目清单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "项目名称", "牵头单位", "投资额（万元）", "开工日期"])
    ws.append([1, "智慧城市建设", "市数据局", 3000.0, dt.date(2024, 3, 1)])
    ws.append([2, "老旧小区改造\n一期", "市住房和城乡建设局", 1250.5, dt.date(2024, 5, 20)])
    ws.append([None])  # an empty row in the middle
    ws.append([3, "高标准农田建设", "市农业农村局", 800, dt.datetime(2024, 6, 30)])
    for row in ws.iter_rows(min_row=3, min_col=5, max_col=5):
        row[0].number_format = "yyyy-mm-dd"

    ws2 = wb.create_sheet("补贴标准")  # a two-row header under merged cells, a merged column, a note
    ws2.append(["类别", "补贴标准", None, "备注"])
    ws2.append([None, "城镇", "农村", None])
    ws2.append(["就业补贴", 3000, 2000, "按人计发"])
    ws2.append([None, 0.05, 0.1, None])
    ws2.append(["注：以上标准自2024年1月1日起执行。"])
    for cells in ("A1:A2", "B1:C1", "D1:D2", "A3:A4", "A5:D5"):
        ws2.merge_cells(cells)
    ws2["B4"].number_format = "0%"
    ws2["C4"].number_format = "0%"
    wb.create_sheet("隐藏").append(["不应出现", "的内容"])
    wb["隐藏"].sheet_state = "hidden"
    wb.properties.title = "重点项目"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rtf() -> bytes:
    """A small RTF as Word writes Chinese: \\uN? escapes, ANSI code page 936."""
    def esc(text: str) -> str:
        return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?"
                       for ch in text)
    body = "".join(f"{{\\pard {esc(s)}\\par}}\n" for s in [HEADING, *SENTENCES])
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0\\fs24\n"
            + body + "}").encode("ascii")


WORD_WEB_PAGE = ("<html xmlns:w=\"urn:schemas-microsoft-com:office:word\"><head><meta charset=\"utf-8\">"
                 f"<title>就业措施</title></head><body><h1>{HEADING}</h1>"
                 + "".join(f"<p>{s}</p>" for s in SENTENCES)
                 + "</body></html>").encode("utf-8")

HTML_TABLE = ("<html><head><meta charset=\"utf-8\"></head><body><table>"
              "<tr><td>项目名称</td><td>牵头单位</td></tr>"
              "<tr><td>智慧城市建设</td><td>市数据局</td></tr>"
              "</table></body></html>").encode("utf-8")


def _parallel(**jobs):
    """Run the jobs at once; each value is its result or the exception it raised."""
    def run(job):
        try:
            return job()
        except Exception as exc:  # re-raised by the test that looks at it
            return exc

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(run, job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="module")
def lo():
    """Every LibreOffice result the tests look at, made in two concurrent rounds."""
    docx_bytes, xlsx_bytes = _make_docx(), _make_xlsx()
    first = _parallel(doc=lambda: convert(docx_bytes, "docx", "doc"),
                      xls=lambda: convert(xlsx_bytes, "xlsx", "xls"),
                      rtf=lambda: load_doc(_rtf()),
                      web_page=lambda: load_doc(WORD_WEB_PAGE),
                      html_xls=lambda: load_xls(HTML_TABLE))
    doc, xls = _ok(first["doc"]), _ok(first["xls"])
    second = _parallel(load_doc=lambda: load_doc(doc),
                       load_wps=lambda: load_doc(bytes(doc)),  # what reading a .doc renamed .wps gives
                       wps_named=lambda: load_docx(convert(doc, "wps", "docx")),
                       load_xls=lambda: load_xls(xls))
    return {"docx": docx_bytes, "xlsx": xlsx_bytes, **first, **second}


def _ok(value):
    if isinstance(value, BaseException):
        raise value
    return value


def test_libreoffice_is_installed():
    assert converter_available(), "apt-get install -y --no-install-recommends libreoffice-writer-nogui " \
                                  "libreoffice-calc-nogui"


def test_convert_makes_a_real_doc(lo):
    doc = _ok(lo["doc"])
    assert doc.startswith(office.OLE_MAGIC)
    assert "worddocument" in office.ole_stream_names(doc)
    assert not office.ole_encrypted(doc)


def test_doc_recovers_paragraphs_and_table(lo):
    extracted = _ok(lo["load_doc"])
    lines = extracted.text.split("\n")
    assert lines[0] == HEADING and 0 in extracted.heading_lines
    for sentence in SENTENCES:
        assert sentence in lines
    start = lines.index(TABLE_ROWS[0])
    assert lines[start:start + 3] == TABLE_ROWS
    assert extracted.block_lines == frozenset(range(start, start + 3))
    assert extracted.tables == 1
    assert extracted.title == "就业措施"


def test_doc_saved_as_wps(lo):
    """A Word 97 file under the .wps name (what WPS Office users often send) reads the same."""
    assert _ok(lo["load_wps"]).text == _ok(lo["load_doc"]).text
    named = _ok(lo["wps_named"])  # LibreOffice given the .wps name still detects Word from the bytes
    for sentence in SENTENCES:
        assert sentence in named.text


def test_rtf(lo):
    extracted = _ok(lo["rtf"])
    assert extracted.text.split("\n")[:4] == [HEADING, *SENTENCES]


def test_word_web_page_saved_as_doc(lo):
    extracted = _ok(lo["web_page"])
    lines = extracted.text.split("\n")
    assert lines[0] == HEADING and 0 in extracted.heading_lines
    assert all(s in lines for s in SENTENCES)


def test_docx_renamed_doc_needs_no_conversion(lo):
    assert load_doc(lo["docx"]).text == load_docx(lo["docx"]).text


def test_xlsx_rows_as_named_values(lo):
    extracted = load_sheet(lo["xlsx"])
    lines = extracted.text.split("\n")
    assert lines == XLSX_LINES
    assert extracted.heading_lines == {0, 1, 5}  # sheet names and the merged title row
    assert extracted.block_lines == {2, 3, 4, 6, 7, 8}
    assert extracted.tables == 2
    assert extracted.title == "重点项目"
    assert extracted.meta == {}


def test_xls_gives_the_same_rows(lo):
    xls = _ok(lo["xls"])
    assert xls.startswith(office.OLE_MAGIC) and "workbook" in office.ole_stream_names(xls)
    extracted = _ok(lo["load_xls"])
    assert extracted.text.split("\n") == XLSX_LINES
    assert extracted.tables == 2
    assert load_xls(lo["xlsx"]).text == extracted.text  # an .xlsx under the .xls name


def test_html_table_saved_as_xls(lo):
    assert _ok(lo["html_xls"]).text == "项目名称：智慧城市建设；牵头单位：市数据局"


def test_xls_under_the_xlsx_name(lo):
    assert load_sheet(_ok(lo["xls"])).text.split("\n") == XLSX_LINES  # converts again (one more start)


def test_rows_are_bounded(monkeypatch):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "补贴金额"])
    for i in range(10):
        wb.active.append([f"人员{i}", 100 * i])
    out = io.BytesIO()
    wb.save(out)
    monkeypatch.setattr(sheet, "MAX_SHEET_ROWS", 3)
    extracted = load_sheet(out.getvalue())
    assert extracted.text.split("\n") == ["姓名：人员0；补贴金额：0", "姓名：人员1；补贴金额：100",
                                          "姓名：人员2；补贴金额：200"]
    assert extracted.meta["truncated"] == sheet.NOTE_TRUNCATED.format(sheet="Sheet", limit=3)


def test_zip_bomb_guard(monkeypatch, lo):
    monkeypatch.setattr(sheet, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(SkipFile) as err:
        load_sheet(lo["xlsx"])
    assert err.value.reason == sheet.REASON_SHEET_TOO_LARGE


def test_no_header_row():
    wb = openpyxl.Workbook()
    for row in (["说明"], [2021, 100], [2022, 120]):
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    assert load_sheet(out.getvalue()).text == "说明\n2021 | 100\n2022 | 120"


@pytest.mark.parametrize("value, number_format, expected", [
    (3000.0, "General", "3000"), (1250.5, "0.00", "1250.5"), (0.1 + 0.2, "General", "0.3"),
    (1e-7, "General", "0.0000001"), (0.125, "0.0%", "12.5%"), (True, "General", "是"),
    (dt.datetime(2024, 6, 30), "yyyy-mm-dd", "2024-06-30"),
    (dt.datetime(2024, 6, 30, 9, 30), "yyyy-mm-dd hh:mm", "2024-06-30 09:30"),
    ("  多余  空格\n换行 ", "General", "多余 空格换行"), ("#N/A", "General", ""),
])
def test_cell_values(value, number_format, expected):
    assert sheet._cell_text(value, number_format) == expected


@pytest.mark.parametrize("loader, raw, reason", [
    (load_doc, b"\x00\x01garbage" * 100, office.REASON_DOC_CORRUPT),
    (load_doc, "这只是一段普通文字，不是 Word 文档。".encode(), office.REASON_DOC_CORRUPT),
    (load_doc, office.OLE_MAGIC + b"\x00" * 1000, office.REASON_DOC_CORRUPT),
    (load_sheet, b"PK\x03\x04" + b"garbage" * 100, sheet.REASON_XLSX_CORRUPT),
    (load_sheet, b"\x00\x01garbage" * 100, sheet.REASON_XLSX_CORRUPT),
    (load_xls, b"\x00\x01garbage" * 100, sheet.REASON_XLS_CORRUPT),
    (load_xls, office.OLE_MAGIC + b"\x00" * 1000, sheet.REASON_XLS_CORRUPT),
])
def test_corrupt_files_are_skipped_with_a_reason(loader, raw, reason):
    with pytest.raises(SkipFile) as err:
        loader(raw)
    assert err.value.reason == reason


def test_password_protected_doc(lo):
    """The FIB's fEncrypted flag set (what Word writes for an opening password) is refused up front."""
    doc = bytearray(_ok(lo["doc"]))
    fib = office._ole_stream_head(bytes(doc), "WordDocument", 16)
    at = bytes(doc).find(fib)
    assert at > 0 and struct.unpack_from("<H", doc, at)[0] == 0xA5EC
    doc[at + 11] |= 0x01  # flags word at offset 10, bit 0x0100
    assert office.ole_encrypted(bytes(doc))
    with pytest.raises(SkipFile) as err:
        load_doc(bytes(doc))
    assert err.value.reason == office.REASON_PASSWORD


def _compound_file(stream_names: list[str]) -> bytes:
    """A minimal valid compound file with empty streams of the given names (sector 0 FAT, 1 directory)."""
    header = bytearray(512)
    header[:8] = office.OLE_MAGIC
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)  # minor, major version, byte order, 512 B
    struct.pack_into("<H", header, 32, 6)  # mini sector shift
    struct.pack_into("<III", header, 44, 1, 1, 0)  # FAT sectors, first directory sector, transaction
    struct.pack_into("<IIIII", header, 56, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)  # mini FAT / DIFAT
    struct.pack_into("<109I", header, 76, 0, *[0xFFFFFFFF] * 108)
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    directory = bytearray(512)
    entries = [("Root Entry", 5)] + [(n, 2) for n in stream_names]
    none = 0xFFFFFFFF
    for i, (name, kind) in enumerate(entries):  # the root's child is entry 1, the rest a right-sibling chain
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[i * 128:i * 128 + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, i * 128 + 64, len(encoded), kind, 1)
        right = i + 1 if 0 < i < len(entries) - 1 else none
        child = 1 if i == 0 and len(entries) > 1 else none
        struct.pack_into("<III", directory, i * 128 + 68, none, right, child)
        struct.pack_into("<II", directory, i * 128 + 116, 0xFFFFFFFE, 0)
    return bytes(header) + fat + bytes(directory)


def test_password_protected_xlsx_and_docx():
    """Office 2007+ encryption wraps the .xlsx/.docx in a compound file with an EncryptedPackage stream."""
    encrypted = _compound_file(["EncryptionInfo", "EncryptedPackage"])
    assert office.ole_stream_names(encrypted) == {"root entry", "encryptioninfo", "encryptedpackage"}
    for loader in (load_sheet, load_doc):
        with pytest.raises(SkipFile) as err:
            loader(encrypted)
        assert err.value.reason == office.REASON_PASSWORD


def test_timeout_kills_libreoffice(monkeypatch, lo):
    monkeypatch.setattr(office, "CONVERT_TIMEOUT", 0.2)
    with pytest.raises(SkipFile) as err:
        convert(lo["docx"], "docx", "doc")
    assert err.value.reason == office.REASON_CONVERT_TIMEOUT


def test_converter_missing(monkeypatch, tmp_path, lo):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(office, "_CANDIDATES", ())
    assert not converter_available()
    with pytest.raises(SkipFile) as err:
        load_doc(_ok(lo["doc"]))
    assert err.value.reason == office.REASON_CONVERTER_MISSING
    with pytest.raises(SkipFile) as err:
        load_xls(_ok(lo["xls"]))
    assert err.value.reason == sheet.REASON_XLS_CONVERTER_MISSING
