"""HTML for the chat, the source cards and the document viewer, built only from `html.escape`d pieces."""

from __future__ import annotations

import re
from html import escape

from policyqa.answer.types import NOT_STATED_LEAD, UNSUPPORTED
from policyqa.ingest.chunk import clause_label
from policyqa.text import MARK
from policyqa.web.assets import ICONS

# gr.HTML renders raw HTML and runs its event handlers: document text, questions and answers go through
# `esc` (or `highlight`) and markup is assembled only from escaped pieces and fixed tags.


def md_text(text: str) -> str:
    """Text shown in a Markdown component as typed (document titles and quotes are untrusted)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", str(text))


def esc(text) -> str:
    return escape(str(text if text is not None else ""), quote=True)


def _multiline(text: str) -> str:
    """Escaped text with line breaks kept."""
    return "<br>".join(esc(line) for line in str(text).split("\n"))


def highlight(text: str, span=None, quote: str = "", cls: str = "") -> str:
    """The paragraph `text`, escaped, with the quote (by span, else found by value) inside <mark>."""
    text = str(text or "")
    s, e = (tuple(span) + (0, 0))[:2] if span else (0, 0)
    if not (0 <= s < e <= len(text)) or (quote and text[s:e] != quote):
        i = text.find(quote) if quote else -1
        s, e = (i, i + len(quote)) if i >= 0 else (0, 0)
    if e <= s:
        return esc(text)
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"{esc(text[:s])}<mark{attr}>{esc(text[s:e])}</mark>{esc(text[e:])}"


# --- conversation -------------------------------------------------------------------------------

def answer_body(text: str, turn: int, citations: list[dict]) -> str:
    """The answer text, escaped, each [n] that has a source card made a link that selects it and, on hover or
    focus, shows the clause path and the quoted sentence in a small popover."""
    by_n = {int(c["n"]): c for c in citations}
    out = []
    for line in str(text).split("\n"):
        line = esc(line).replace(esc(UNSUPPORTED), f'<span class="pq-unsupported" title="该句未能在引用段落中核实">'
                                                  f'（{ICONS["warn"]}未核实）</span>')

        def link(m: re.Match) -> str:
            n = int(m.group(1))
            c = by_n.get(n)
            if c is None:
                return m.group(0)
            pop = (f'<span class="pq-pop" role="tooltip"><span class="pq-pop-clause">{esc(c.get("clause", ""))}</span>'
                   f'<span class="pq-pop-quote">{esc(_short(c.get("quote") or c.get("text", ""), 160))}</span></span>')
            return (f'<a href="#pq-src-{turn}-{n}" class="pq-cite" data-act="cite" data-turn="{turn}" '
                    f'data-n="{n}" aria-label="来源 {n}">[{n}]{pop}</a>')

        out.append(MARK.sub(link, line))
    return "<br>".join(out)


def conversation_html(turns: list[dict], pending: dict | None = None, *, selected: tuple[int, int] | None = None,
                      banner: str = "") -> str:
    """The whole conversation. `pending` is a turn being answered: {"question", "answer" (partial), "status"}."""
    parts = ['<div class="pq-chat">']
    if banner:
        parts.append(f'<div class="pq-banner" role="alert">{ICONS["warn"]} {_multiline(banner)}</div>')
    if not turns and pending is None:
        parts.append('<div class="pq-empty"><div class="pq-empty-title">政策问答</div>'
                     '<div class="pq-empty-text">请输入关于已收录政策文件的问题，回答附有条款出处；'
                     '点击答案中的 [1]、[2] 查看依据原文。也可以从下方的示例问题开始。</div></div>')
    for i, t in enumerate(turns):
        parts.append(turn_html(i, t, selected=selected))
    if pending is not None:
        parts.append(_question_html(pending.get("question", "")))
        body = answer_body(pending.get("answer", ""), len(turns), pending.get("citations", []))
        status = pending.get("status", "")
        status_html = f'<div class="pq-status">{ICONS["wait"]} {esc(status)}</div>' if status else ""
        parts.append(f'<div class="pq-msg pq-answer pq-streaming" data-turn="{len(turns)}">'
                     f'<div class="pq-answer-head">{ICONS["doc"]} 回答</div><div class="pq-answer-text">{body}</div>'
                     f'{status_html}</div>')
    parts.append("</div>")
    return "".join(parts)


def _question_html(question: str) -> str:
    return f'<div class="pq-msg pq-question"><span class="pq-who">问</span>{_multiline(question)}</div>'


def turn_html(i: int, t: dict, *, selected: tuple[int, int] | None = None) -> str:
    parts = [_question_html(t.get("question", ""))]
    sq = t.get("standalone_question", "")
    if sq and sq != t.get("question"):
        parts.append(f'<div class="pq-rewrite">结合上文理解为：{esc(sq)}</div>')
    notice = f'<div class="pq-notice">{ICONS["info"]} {esc(t["notice"])}</div>' if t.get("notice") else ""
    fb = t.get("feedback") or {}
    rating = fb.get("rating", "")
    feedback = (f'<div class="pq-feedback" data-turn="{i}">'
                f'<button type="button" class="pq-rate{" pq-rated" if rating == "up" else ""}" data-act="rate" '
                f'data-turn="{i}" data-rating="up" title="有帮助">{ICONS["up"]} 有帮助</button>'
                f'<button type="button" class="pq-rate{" pq-rated" if rating == "down" else ""}" data-act="rate" '
                f'data-turn="{i}" data-rating="down" title="没有帮助">{ICONS["down"]} 没帮助</button>'
                + (f'<span class="pq-fb-note">已记录评价{"及意见" if fb.get("comment") else ""}，谢谢！</span>'
                   if rating or fb.get("comment") else "")
                + "</div>")
    if t.get("refused"):
        head = t.get("answer", "").split("\n\n")[0]
        related = ""
        if t.get("related"):
            items = "".join(
                f'<li><a href="#" class="pq-related-link" data-act="related" data-turn="{i}" data-n="{j}">'
                f'{esc(r.get("clause", ""))}</a></li>' for j, r in enumerate(t["related"]))
            related = f'<div class="pq-related"><div>以下段落可能相关，请自行查阅：</div><ul>{items}</ul></div>'
        label = "文件未载明" if head.startswith(NOT_STATED_LEAD) else "未找到答案"
        parts.append(f'<div class="pq-msg pq-answer pq-refused" data-turn="{i}" role="status">'
                     f'<div class="pq-answer-head"><span class="pq-icon">{ICONS["stop"]}</span> {label}</div>'
                     f'{notice}<div class="pq-answer-text">{_multiline(head)}</div>{related}{feedback}</div>')
    else:
        parts.append(f'<div class="pq-msg pq-answer" data-turn="{i}">'
                     f'<div class="pq-answer-head"><span class="pq-icon">{ICONS["doc"]}</span> 回答</div>{notice}'
                     f'<div class="pq-answer-text">{answer_body(t.get("answer", ""), i, t.get("citations", []))}</div>'
                     f'{feedback}</div>')
    return "".join(parts)


# --- sources ------------------------------------------------------------------------------------

def sources_html(turns: list[dict], turn: int | None, selected: int | None = None) -> str:
    """Source cards of one turn (default: the last): one per citation, or the related passages of a refusal."""
    if not turns:
        return '<div class="pq-sources-empty">提问后，这里显示答案所引用的条款原文。</div>'
    if turn is None or not (0 <= turn < len(turns)):
        turn = len(turns) - 1
    t = turns[turn]
    head = f'<div class="pq-sources-head">第 {turn + 1} 问的依据：{esc(_short(t.get("question", ""), 40))}</div>'
    cards = []
    if t.get("refused"):
        if not t.get("related"):
            return head + '<div class="pq-sources-empty">没有可引用的依据。</div>'
        head += '<div class="pq-sources-note">未找到可引用的依据。以下是检索到的最接近的段落，仅供参考：</div>'
        for j, r in enumerate(t["related"]):
            cards.append(_card(turn, j, "related", r.get("title", ""), r.get("clause", ""), r.get("doc", ""),
                               esc(r.get("text", "")), selected == j, label="相关"))
    else:
        for c in t.get("citations", []):
            body = highlight(c.get("text", ""), c.get("span"), c.get("quote", ""))
            cards.append(_card(turn, int(c["n"]), "cite", c.get("title", ""), c.get("clause", ""),
                               c.get("doc", ""), body, selected == int(c["n"]), supported=c.get("supported", True),
                               source=c.get("source", "")))
    return head + '<div class="pq-cards">' + "".join(cards) + "</div>"


def _card(turn: int, n: int, kind: str, title: str, clause: str, doc: str, body: str, selected: bool,
          supported: bool = True, label: str = "", source: str = "") -> str:
    cls = "pq-card" + (" pq-selected" if selected else "") + ("" if supported else " pq-card-unsupported")
    tag = f"[{n}]" if kind == "cite" else f"{label} {n + 1}"
    flag = '' if supported else f'<span class="pq-unsupported">{ICONS["warn"]} 未核实</span>'
    path = clause
    prefix = f"《{title}》"
    if path.startswith(prefix):
        path = path[len(prefix):].strip()
    source_html = f'<div class="pq-card-source" title="发文机关 · 文号 · 日期 · 状态">{esc(source)}</div>' if source else ""
    return (f'<div class="{cls}" id="pq-src-{turn}-{n}" data-act="select" data-kind="{kind}" data-turn="{turn}" '
            f'data-n="{n}">'
            f'<div class="pq-card-head"><span class="pq-card-n">{esc(tag)}</span> '
            f'<span class="pq-card-title" title="文件：{esc(doc)}">《{esc(title)}》</span>{flag}</div>'
            f'<div class="pq-card-clause" title="条款路径">{esc(path or "（正文）")}</div>{source_html}'
            f'<div class="pq-card-text">{body}</div>'
            f'<div class="pq-card-foot"><span class="pq-card-doc" title="文件名">{esc(doc)}</span>'
            f'<button type="button" class="pq-view" data-act="view" data-kind="{kind}" data-turn="{turn}" '
            f'data-n="{n}">查看原文</button></div></div>')


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- document viewer ----------------------------------------------------------------------------

def viewer_html(doc, target_id: str, *, before: int = 3, after: int = 3, span=None, quote: str = "",
                page_image: str = "") -> str:
    """The document around paragraph `target_id`: its heading outline (indented by clause depth, the
    target's headings marked) and the target paragraph with `before`/`after` neighbours; beside them the
    original page (`page_image`, a data: URI) when the document has one."""
    if doc is None:
        return '<div class="pq-viewer-empty">找不到该文档（可能已被移除）。</div>'
    paras = doc.paragraphs
    idx = next((i for i, p in enumerate(paras) if p.id == target_id), None)
    if idx is None:
        return '<div class="pq-viewer-empty">找不到该段落（文档可能已更新）。</div>'
    target = paras[idx]
    lo, hi = max(0, idx - before), min(len(paras), idx + after + 1)
    path_ids = _heading_path(paras, idx)
    outline = []
    for p in paras:
        if not p.heading:
            continue
        depth = max(len(p.clause) - 1, 0)
        cls = "pq-outline-item" + (" pq-current" if p.id in path_ids else "")
        outline.append(f'<li class="{cls}" style="padding-left:{depth * 1.1:.1f}em">'
                       f'<a href="#" data-act="goto" data-pid="{esc(p.id)}">{esc(p.text)}</a></li>')
    outline_html = ("<ol class='pq-outline'>" + "".join(outline) + "</ol>") if outline else \
        '<div class="pq-viewer-empty">本文档没有识别出章节标题。</div>'
    body = []
    if lo > 0:
        body.append(f'<button type="button" class="pq-more" data-act="more" data-dir="before">'
                    f'{ICONS["more-up"]} 显示更多上文（前面还有 {lo} 段）</button>')
    for i in range(lo, hi):
        p = paras[i]
        if i == idx and (quote or span):
            text = highlight(p.text, span, quote, cls="pq-quote")
        else:
            text = _instructions_marked(p.text, p.instruction_spans)
        cls = "pq-para" + (" pq-target" if i == idx else " pq-heading" if p.heading else "")
        if p.instruction_spans:
            text += (f'<div class="pq-instruction-note">{ICONS["warn"]} 本段含有疑似对系统下达的指令（标红处），'
                     f'不作为回答依据。</div>')
        body.append(f'<div class="{cls}" data-pid="{esc(p.id)}">{text}</div>')
    if hi < len(paras):
        body.append(f'<button type="button" class="pq-more" data-act="more" data-dir="after">'
                    f'{ICONS["more-down"]} 显示更多下文（后面还有 {len(paras) - hi} 段）</button>')
    meta = " · ".join(esc(x) for x in (doc.issuer, doc.number, doc.date, doc.doctype, doc.status, doc.period) if x)
    if doc.ocr_pages:
        meta += f" · 文字识别（OCR）{doc.ocr_pages}页"
    return (f'<div class="pq-viewer">'
            f'<div class="pq-viewer-head"><div class="pq-viewer-title">《{esc(doc.title)}》</div>'
            f'<div class="pq-viewer-meta">文件：{esc(doc.name)}{" · " + meta if meta else ""}</div>'
            f'<div class="pq-viewer-clause">当前条款：{esc(clause_label(doc.title, target.clause))}'
            f'{f" 第{target.page}页" if target.page else ""}</div></div>'
            f'<div class="pq-viewer-cols">'
            f'<div class="pq-viewer-outline"><div class="pq-viewer-sub">文档目录</div>{outline_html}</div>'
            f'<div class="pq-viewer-context"><div class="pq-viewer-sub">原文（{_position(paras, idx)}）'
            f'</div>{"".join(body)}</div>{_page_column(target.page, page_image)}</div></div>')


def _instructions_marked(text: str, spans) -> str:
    """`text` escaped, with the sentences ingest flagged as instructions to the system marked."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out += [esc(text[at:start]), f'<span class="pq-instruction">{esc(text[start:end])}</span>']
        at = end
    return "".join(out) + esc(text[at:])


def _position(paras, idx: int) -> str:
    """Where the target stands, counted in body paragraphs (headings apart) as the 文档库 counts them."""
    total = sum(1 for p in paras if not p.heading)
    if paras[idx].heading:
        return f"标题，全文共 {total} 段"
    return f"第 {sum(1 for p in paras[: idx + 1] if not p.heading)} 段，共 {total} 段"


def _page_column(page: int, image: str) -> str:
    if not image:
        return ""
    return (f'<div class="pq-viewer-page"><div class="pq-viewer-sub">原文页面（第 {page} 页，黄色为引用处）</div>'
            f'<img class="pq-page-img" alt="第{page}页原文" src="{esc(image)}"></div>')


def _heading_path(paras, idx: int) -> set[str]:
    """Ids of the heading paragraphs on the target's clause path (a heading's clause ends with itself)."""
    clause = tuple(paras[idx].clause)
    best: dict[int, str] = {}
    for p in paras[: idx + 1]:
        if p.heading and p.clause and tuple(p.clause) == clause[: len(p.clause)]:
            best[len(p.clause)] = p.id  # the last one of each depth before the target
    return set(best.values())
