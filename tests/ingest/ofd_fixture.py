"""OFD files (GB/T 33190-2016) as government systems write them, built in memory: OFD.xml with the document
information, Doc_0/Document.xml with the page list, Doc_0/PublicRes.xml with a font, one Content.xml per page,
and when asked an image (Doc_0/DocumentRes.xml naming Doc_0/Res/image_9.png).

Geometry in millimetres on an A4 page: lines start at x = 25 with baselines from y = 40, 10 mm apart; text is
set at 5.6 mm (三号). A line that starts with ideographic spaces is indented by that many characters instead,
and an empty line leaves a line's height of space. Words separated by spaces become separate TextCodes with a
gap between them (no space character), as producers write Latin text.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.ofdspec.org/2016"
LEFT = 25.0
TOP = 40.0
PITCH = 10.0
SIZE = 5.6
WORD_SPACE = 0.5 * SIZE
FONT_ID = 2
IMAGE_ID = 9
#: where `build_ofd(image=...)` puts its image: x, y, width, height in millimetres
IMAGE_BOX = (150.0, 200.0, 30.0, 20.0)


def width(char: str, size: float = SIZE) -> float:
    return size if unicodedata.east_asian_width(char) in ("W", "F") else size * 0.5


def delta_x(text: str, size: float = SIZE) -> str:
    """DeltaX for `text`: the `g` shorthand when every glyph has the same advance, else one value each."""
    advances = [width(c, size) for c in text[:-1]]
    if not advances:
        return ""
    if len(set(advances)) == 1 and len(advances) > 1:
        return f"g {len(advances)} {advances[0]:g}"
    return " ".join(f"{a:g}" for a in advances)


def text_object(obj_id: int, x: float, baseline: float, text: str, size: float = SIZE) -> str:
    """One TextObject whose Boundary starts at (x, baseline - size); its words are TextCodes on the baseline."""
    codes = []
    cursor = 0.0
    for word in text.split(" "):
        if word:
            dx = delta_x(word, size)
            codes.append(f'<ofd:TextCode X="{cursor:g}" Y="{size:g}"'
                         + (f' DeltaX="{dx}"' if dx else "") + f">{escape(word)}</ofd:TextCode>")
            cursor += sum(width(c, size) for c in word)
        cursor += 0.5 * size
    box = f"{x:g} {baseline - size:g} {max(cursor, size):g} {size * 1.2:g}"
    return (f'<ofd:TextObject ID="{obj_id}" Boundary="{box}" Font="{FONT_ID}" Size="{size:g}">'
            + "".join(codes) + "</ofd:TextObject>")


def content_xml(objects: list[str], templates: list[str] = (), page_block: bool = False) -> str:
    """A page (or template page) Content.xml holding `objects` in one layer."""
    body = "".join(objects)
    if page_block:
        body = f"<ofd:PageBlock ID=\"900\">{body}</ofd:PageBlock>"
    refs = "".join(f'<ofd:Template TemplateID="{t}" ZOrder="Background"/>' for t in templates)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">{refs}'
            f'<ofd:Content><ofd:Layer ID="800" Type="Body">{body}</ofd:Layer></ofd:Content></ofd:Page>')


def ofd_xml(title: str | None = None, author: str | None = None, creation_date: str | None = None,
            doc_root: str = "Doc_0/Document.xml") -> str:
    info = "<ofd:DocID>6a1f0c2e9d3b4c58a7e2f1d0b9c8a7e6</ofd:DocID>"
    for tag, value in (("Title", title), ("Author", author), ("CreationDate", creation_date)):
        if value is not None:
            info += f"<ofd:{tag}>{escape(value)}</ofd:{tag}>"
    info += "<ofd:Creator>OFD Writer</ofd:Creator><ofd:CreatorVersion>1.0</ofd:CreatorVersion>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo>{info}</ofd:DocInfo><ofd:DocRoot>{escape(doc_root)}</ofd:DocRoot>"
            "</ofd:DocBody></ofd:OFD>")


def document_xml(page_locs: list[str], template_locs: dict[str, str] | None = None, max_id: int = 1000,
                 document_res: bool = False) -> str:
    templates = "".join(f'<ofd:TemplatePage ID="{tid}" BaseLoc={quoteattr(loc)}/>'
                        for tid, loc in (template_locs or {}).items())
    pages = "".join(f'<ofd:Page ID="{k + 1}" BaseLoc={quoteattr(loc)}/>' for k, loc in enumerate(page_locs))
    res = "<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>" if document_res else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}">'
            f"<ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID>"
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{res}{templates}</ofd:CommonData>"
            f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>")


PUBLIC_RES = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
              f'<ofd:Fonts><ofd:Font ID="{FONT_ID}" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')

DOCUMENT_RES = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                f'<ofd:MultiMedias><ofd:MultiMedia ID="{IMAGE_ID}" Type="Image" Format="PNG">'
                f"<ofd:MediaFile>image_{IMAGE_ID}.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>")


def image_object(obj_id: int, box: tuple[float, float, float, float] = IMAGE_BOX) -> str:
    """An ImageObject showing the image resource in `box`; its CTM maps the unit square onto the box."""
    x, y, w, h = box
    return (f'<ofd:ImageObject ID="{obj_id}" Boundary="{x:g} {y:g} {w:g} {h:g}" CTM="{w:g} 0 0 {h:g} 0 0" '
            f'ResourceID="{IMAGE_ID}"/>')


def zip_package(files: dict[str, str | bytes]) -> bytes:
    """The members, deflated, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def page_objects(lines: list[str], split: bool = False, start_id: int = 10) -> list[str]:
    """TextObjects for `lines` top to bottom; with `split`, a line of more than four characters is written as
    two TextObjects that meet on the same baseline."""
    objects = []
    obj_id = start_id
    for k, line in enumerate(lines):
        if not line:
            continue
        indent = len(line) - len(line.lstrip("\u3000"))
        text = line.lstrip("\u3000")
        x = LEFT + indent * SIZE
        baseline = TOP + k * PITCH
        if split and len(text) > 4 and " " not in text:
            half = len(text) // 2
            objects.append(text_object(obj_id, x, baseline, text[:half]))
            objects.append(text_object(obj_id + 1, x + sum(width(c) for c in text[:half]), baseline, text[half:]))
            obj_id += 2
        else:
            objects.append(text_object(obj_id, x, baseline, text))
            obj_id += 1
    return objects


def build_ofd(pages: list[list[str]], title: str | None = None, author: str | None = None,
              creation_date: str | None = None, *, split: bool = False, reverse: bool = False,
              page_block: bool = False, template: list[str] | None = None,
              absolute_locs: bool = False, image: tuple[int, bytes] | None = None) -> bytes:
    """An OFD file whose pages show `pages` (one list of lines each).

    `split`: longer lines are two TextObjects on one baseline; `reverse`: each page's objects are written in
    reverse order (bottom right first); `page_block`: the objects sit in a PageBlock; `template`: lines of a
    template page (a red header) every page references, set above the body; `absolute_locs`: page and
    template locations are written from the package root ("/Doc_0/…") instead of relative to Document.xml;
    `image`: (page index, PNG bytes) — that page also shows the image at IMAGE_BOX.
    """
    prefix = "/Doc_0/" if absolute_locs else ""
    files: dict[str, str | bytes] = {"OFD.xml": ofd_xml(title, author, creation_date)}
    template_locs = {}
    template_files = {}
    if template is not None:
        template_locs["T1"] = prefix + "Tpls/Tpl_0/Content.xml"
        objects = [text_object(500 + k, LEFT, TOP - (len(template) - k + 1) * PITCH, line)
                   for k, line in enumerate(template)]
        template_files["Doc_0/Tpls/Tpl_0/Content.xml"] = content_xml(objects)
    page_locs = [prefix + f"Pages/Page_{k}/Content.xml" for k in range(len(pages))]
    files["Doc_0/Document.xml"] = document_xml(page_locs, template_locs, document_res=image is not None)
    files["Doc_0/PublicRes.xml"] = PUBLIC_RES
    if image is not None:
        files["Doc_0/DocumentRes.xml"] = DOCUMENT_RES
        files[f"Doc_0/Res/image_{IMAGE_ID}.png"] = image[1]
    files.update(template_files)
    for k, lines in enumerate(pages):
        objects = page_objects(lines, split=split)
        if image is not None and image[0] == k:
            objects.append(image_object(700))
        if reverse:
            objects.reverse()
        files[f"Doc_0/Pages/Page_{k}/Content.xml"] = content_xml(
            objects, templates=["T1"] if template is not None else [], page_block=page_block)
    return zip_package(files)
