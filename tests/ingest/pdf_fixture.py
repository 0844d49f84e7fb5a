"""A PDF as government offices publish them, made with reportlab: running header and page numbers, a
one-column opening, a two-column page and a ruled table (the rows a question about one cell must find)."""

from __future__ import annotations

import io

TITLE = "关于加快推进城乡供水一体化建设的实施方案"
HEADER = "某县人民政府办公室文件"
OPENING = [
    "为保障城乡居民饮水安全，推动供水服务均等化，结合本县实际，制定本方案。",
    "一、总体目标",
    "到2027年底，全县城乡供水一体化覆盖率达到95%以上，农村自来水普及率达到98%，水质达标率稳定在96%以上，"
    "基本形成城乡同网、同质、同价、同服务的供水格局。",
    "二、重点任务",
    "（一）建设区域水厂。新建北部水厂一座，设计规模每日5万立方米，配套建设输水主管道38公里，由县水务局牵头，"
    "县发展改革局配合，2026年6月底前开工建设。",
]
LEFT = [
    "（二）改造老旧管网。对运行超过二十年的镇村供水管网进行改造，优先改造漏损严重、水压不足的片区，"
    "全县计划改造管网420公里，年均漏损率控制在10%以内。",
    "（三）完善水质监测。在每个水厂和主要管网节点设置在线监测设备，县疾控中心每季度开展一次水质全面检测，"
    "检测结果向社会公开。",
]
RIGHT = [
    "（四）统一运营管理。组建县级供水公司，对全县水厂和管网实行统一调度、统一维护、统一收费，"
    "农村居民用水价格按照城市居民水价标准执行。",
    "（五）强化资金保障。县财政每年安排城乡供水专项资金不少于3000万元，积极争取上级补助资金和地方政府专项债券。",
]
TABLE_CAPTION = "附表：城乡供水一体化重点项目表"
TABLE = [
    ["项目名称", "建设内容", "总投资（万元）", "牵头单位"],
    ["北部水厂工程", "新建日供水5万立方米水厂一座", "26000", "县水务局"],
    ["镇村管网改造工程", "改造老旧供水管网420公里", "18500", "县住房城乡建设局"],
    ["水质监测能力提升工程", "建设在线监测站点32个", "1200", "县卫生健康局"],
]
CLOSING = "各镇人民政府、县直有关单位要按照职责分工，细化工作措施，确保各项任务按期完成。"


def build_pdf() -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageBreak, PageTemplate,
                                    Paragraph, Table, TableStyle)

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    head = ParagraphStyle("head", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=1, firstLineIndent=0)
    width, height = A4
    margin = 72

    def furniture(canvas, doc) -> None:
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(width / 2, height - 40, HEADER)
        canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")

    one = Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="one")
    col = (width - 2 * margin - 24) / 2
    left = Frame(margin, margin, col, height - 2 * margin, id="left")
    right = Frame(margin + col + 24, margin, col, height - 2 * margin, id="right")
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, title=TITLE)
    doc.addPageTemplates([PageTemplate("one", [one], onPage=furniture),
                          PageTemplate("two", [left, right], onPage=furniture)])
    story = [Paragraph(TITLE, title)]
    story += [Paragraph(t, head if len(t) < 10 else body) for t in OPENING]
    story += [NextPageTemplate("two"), PageBreak()]
    story += [Paragraph(t, body) for t in LEFT] + [FrameBreak()] + [Paragraph(t, body) for t in RIGHT]
    story += [NextPageTemplate("one"), PageBreak(), Paragraph(TABLE_CAPTION, head)]
    table = Table(TABLE, colWidths=[110, 160, 80, 100])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story += [table, Paragraph(CLOSING, body)]
    doc.build(story)
    return out.getvalue()
