"""CSS, the theme, the icons and the small JavaScript hooks of the web app (fixed strings; no document text
here)."""

from __future__ import annotations


def _svg(path: str) -> str:
    # inline SVG: intranet machines often have no emoji font, and emoji render there as empty boxes
    return ('<svg class="pq-svg" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" fill="none" '
            f'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{path}</svg>')


ICONS = {
    "doc": _svg('<path d="M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z"/><path d="M14 3v5h5"/>'
                '<path d="M9 13h6M9 17h6"/>'),
    "stop": _svg('<circle cx="12" cy="12" r="9"/><path d="M5.6 5.6l12.8 12.8"/>'),
    "warn": _svg('<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>'),
    "info": _svg('<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>'),
    "wait": _svg('<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>'),
    "up": _svg('<path d="M7 11v9H4v-9zM7 11l4-8a2 2 0 0 1 2 2v4h6a2 2 0 0 1 2 2l-2 7a2 2 0 0 1-2 2H7"/>'),
    "down": _svg('<path d="M7 13V4H4v9zM7 13l4 8a2 2 0 0 0 2-2v-4h6a2 2 0 0 0 2-2l-2-7a2 2 0 0 0-2-2H7"/>'),
    "more-up": _svg('<path d="M6 15l6-6 6 6"/>'),
    "more-down": _svg('<path d="M6 9l6 6 6-6"/>'),
}

CSS = """
.gradio-container { max-width: 1400px !important; }
#pq-title h1 { margin-bottom: 0; }
#pq-title p { color: var(--body-text-color-subdued); margin-top: .2em; }

/* Gradio titles toasts by their level in English (Warning / Info / Error / Success) and ignores the title
   given: show the Chinese word instead */
.toast-title { font-size: 0 !important; }
.toast-title::before { font-size: var(--text-md, 14px); }
.toast-title.warning::before { content: "注意"; }
.toast-title.info::before { content: "提示"; }
.toast-title.error::before { content: "错误"; }
.toast-title.success::before { content: "完成"; }

/* conversation */
.pq-chat { max-height: 62vh; min-height: 320px; overflow-y: auto; padding: .5em .25em; scroll-behavior: smooth; }
.pq-banner { background: #fff4e5; border: 1px solid #f0b35b; color: #7a4a00; padding: .7em 1em;
  border-radius: 8px; margin-bottom: .8em; }
.pq-empty { text-align: center; color: var(--body-text-color-subdued); padding: 3em 1em 1em; }
.pq-empty-title { font-size: 1.5em; font-weight: 600; color: var(--body-text-color); margin-bottom: .4em; }
.pq-msg { border-radius: 10px; padding: .7em 1em; margin: .5em 0; line-height: 1.75; word-break: break-word; }
.pq-question { background: #e8f0fe; margin-left: 18%; border: 1px solid #c9dafc; }
.pq-who { display: inline-block; background: #1a56db; color: #fff; border-radius: 4px; font-size: .8em;
  padding: 0 .45em; margin-right: .5em; }
.pq-rewrite { font-size: .85em; color: var(--body-text-color-subdued); margin: -.2em 0 .3em 18%; }
.pq-answer { background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary);
  margin-right: 8%; border-left: 4px solid #1a56db; }
.pq-answer-head { font-weight: 600; margin-bottom: .2em; color: #1a56db; }
.pq-refused { background: #fdf2f2; border: 1px solid #f8b4b4; border-left: 4px solid #c81e1e; }
.pq-refused .pq-answer-head { color: #c81e1e; }
.pq-related { font-size: .9em; margin-top: .4em; }
.pq-related ul { margin: .2em 0 0 1.2em; }
.pq-notice { background: #fff8e1; border-radius: 6px; padding: .2em .6em; font-size: .9em; margin: .3em 0; }
.pq-status { color: var(--body-text-color-subdued); font-size: .9em; margin-top: .3em; }
a.pq-cite { display: inline-block; font-size: .8em; font-weight: 600; color: #1a56db; background: #e1effe;
  border-radius: 4px; padding: 0 .25em; margin: 0 .1em; text-decoration: none; vertical-align: super;
  line-height: 1.3; cursor: pointer; }
a.pq-cite:hover { background: #1a56db; color: #fff; }
/* the citation preview: placed by CHAT_JS beside its [n] (fixed, so the scrolling chat does not clip it) */
.pq-pop { display: none; position: fixed; z-index: 1000; width: min(26em, 80vw); padding: .5em .7em;
  background: #fff; color: #1f2937; border: 1px solid #93c5fd; border-radius: 8px;
  box-shadow: 0 4px 14px rgba(0, 0, 0, .15); font-size: 1.2em; font-weight: 400; line-height: 1.6;
  text-align: left; white-space: normal; vertical-align: baseline; }
a.pq-cite.pq-pop-open .pq-pop { display: block; }
.pq-pop-clause { display: block; color: #1a56db; font-size: .85em; margin-bottom: .2em; }
.pq-pop-quote { display: block; }
.pq-unsupported { color: #b45309; font-size: .85em; }
.pq-instruction { color: #b91c1c; text-decoration: line-through; }
.pq-instruction-note { color: #b91c1c; font-size: .85em; }
.pq-feedback { margin-top: .4em; display: flex; gap: .3em; align-items: center; }
.pq-rate { border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  border-radius: 6px; padding: 0 .5em; cursor: pointer; font-size: .95em; }
.pq-rate.pq-rated { background: #dbeafe; border-color: #1a56db; }
.pq-svg { vertical-align: -0.15em; }
.pq-fb-note { font-size: .8em; color: var(--body-text-color-subdued); }

/* sources */
/* a Gradio column wraps overflowing children into new flex columns off to the side: keep one column */
#pq-sources-col { max-height: 80vh; overflow-y: auto; overflow-x: hidden; flex-wrap: nowrap !important; }
#pq-sources-col > * { flex: 0 0 auto; }
.pq-sources-head { font-weight: 600; margin-bottom: .4em; }
.pq-sources-note { font-size: .9em; color: #c81e1e; margin-bottom: .4em; }
.pq-sources-empty, .pq-viewer-empty { color: var(--body-text-color-subdued); padding: 1em .2em; }
.pq-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6em .8em; margin-bottom: .6em;
  background: var(--background-fill-primary); transition: box-shadow .2s, border-color .2s; cursor: pointer; }
.pq-card.pq-selected { border: 2px solid #1a56db; box-shadow: 0 0 0 4px rgba(26, 86, 219, .18);
  background: #f5f9ff; }
.pq-card-unsupported { border-style: dashed; }
.pq-card-n { font-weight: 700; color: #1a56db; }
.pq-card-title { font-weight: 600; }
.pq-card-clause { font-size: .85em; color: var(--body-text-color-subdued); margin: .2em 0 .3em; }
.pq-card-source { font-size: .8em; color: var(--body-text-color-subdued); margin: 0 0 .3em; }
.pq-card-text { font-size: .92em; line-height: 1.7; max-height: 14em; overflow-y: auto; }
.pq-card-text mark, .pq-viewer mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.pq-card-doc { opacity: .75; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 65%; }
.pq-card-foot { display: flex; justify-content: space-between; align-items: center; margin-top: .4em;
  font-size: .8em; color: var(--body-text-color-subdued); }
.pq-view, .pq-more { border: 1px solid #1a56db; color: #1a56db; background: #fff; border-radius: 6px;
  padding: .1em .7em; cursor: pointer; font-size: 1em; }
.pq-view:hover, .pq-more:hover { background: #1a56db; color: #fff; }

/* 检索测试 */
.pq-hits-head { margin: .4em 0; color: var(--body-text-color-subdued); }
.pq-hits-table { border-collapse: collapse; width: 100%; font-size: .9em; }
.pq-hits-table th, .pq-hits-table td { border: 1px solid var(--border-color-primary); padding: .3em .5em;
  vertical-align: top; text-align: left; }
.pq-hit-title { font-weight: 600; }
.pq-hit-clause { font-size: .85em; color: var(--body-text-color-subdued); }
.pq-hit-text { max-width: 28em; line-height: 1.6; }

/* document viewer */
#pq-viewer-box { border: 2px solid #1a56db; border-radius: 10px; }
.pq-viewer-title { font-size: 1.15em; font-weight: 600; }
.pq-viewer-meta, .pq-viewer-clause { font-size: .85em; color: var(--body-text-color-subdued); }
.pq-viewer-cols { display: flex; gap: 1em; margin-top: .6em; align-items: flex-start; }
.pq-viewer-outline { flex: 0 0 32%; max-height: 60vh; overflow-y: auto; border-right: 1px solid var(--border-color-primary);
  padding-right: .6em; font-size: .88em; }
.pq-viewer-context { flex: 1; max-height: 60vh; overflow-y: auto; }
.pq-viewer-page { flex: 1; max-height: 60vh; overflow-y: auto; }
.pq-page-img { width: 100%; border: 1px solid var(--border-color-primary); }
.pq-viewer-sub { font-weight: 600; margin-bottom: .3em; }
.pq-outline { list-style: none; margin: 0; padding: 0; }
.pq-outline-item { margin: .15em 0; }
.pq-outline-item a { text-decoration: none; color: inherit; }
.pq-outline-item a:hover { color: #1a56db; text-decoration: underline; }
.pq-outline-item.pq-current > a { color: #1a56db; font-weight: 700; }
.pq-para { padding: .35em .6em; margin: .25em 0; line-height: 1.75; border-radius: 6px; }
.pq-heading { font-weight: 600; }
.pq-target { background: #eff6ff; border-left: 4px solid #1a56db; }
.pq-more { margin: .3em 0; font-size: .85em; }
@media (max-width: 900px) { .pq-viewer-cols { flex-direction: column; } .pq-viewer-outline { flex: none; width: 100%;
  border-right: none; max-height: 30vh; } .pq-question { margin-left: 0; } .pq-answer { margin-right: 0; } }
"""

# `element`, `trigger`, `watch` are provided by gr.HTML's js_on_load. Only data-* attributes (numbers and
# escaped ids) travel to the server; no markup is built here.


def _on_act_click(body: str) -> str:
    """JS: a click on an element with data-act inside the component runs `body`, with `b` that element and `d`
    its data-* attributes (the default action, e.g. following a link, is prevented)."""
    return ("element.addEventListener('click', (ev) => {\n"
            "  const b = ev.target.closest('[data-act]');\n"
            "  if (!b || !element.contains(b)) return;\n"
            "  ev.preventDefault();\n"
            "  const d = b.dataset;\n" + body + "});\n")


# A citation's preview opens on hover or focus (a tap focuses the link) and sits below its [n], above when
# there is no room.
_POPOVER_JS = """\
const place = (a) => {
  const pop = a.querySelector('.pq-pop');
  if (!pop) return;
  a.classList.add('pq-pop-open');
  const r = a.getBoundingClientRect();
  const h = pop.offsetHeight, w = pop.offsetWidth;
  const top = r.bottom + 6 + h > window.innerHeight ? r.top - 6 - h : r.bottom + 6;
  pop.style.top = Math.max(4, top) + 'px';
  pop.style.left = Math.max(4, Math.min(r.left, window.innerWidth - w - 8)) + 'px';
};
const hide = (a) => a.classList.remove('pq-pop-open');
for (const [type, fn] of [['mouseover', place], ['focusin', place], ['mouseout', hide], ['focusout', hide]]) {
  element.addEventListener(type, (ev) => {
    const a = ev.target.closest && ev.target.closest('a.pq-cite');
    if (!a || !element.contains(a)) return;
    if ((type === 'mouseout' || type === 'focusout') && ev.relatedTarget && a.contains(ev.relatedTarget)) return;
    fn(a);
  });
}
"""

CHAT_JS = _POPOVER_JS + _on_act_click("""\
  if (d.act === 'cite' || d.act === 'related') {
    const card = document.getElementById('pq-src-' + d.turn + '-' + d.n);
    if (card) {
      document.querySelectorAll('.pq-card.pq-selected').forEach((c) => c.classList.remove('pq-selected'));
      card.classList.add('pq-selected');
      card.scrollIntoView({behavior: 'smooth', block: 'nearest'});
    }
  }
  trigger('click', {act: d.act, turn: Number(d.turn || 0), n: Number(d.n || 0), rating: d.rating || ''});
""") + """\
let lastCount = -1;
watch('value', () => {
  const box = element.querySelector('.pq-chat');
  const count = element.querySelectorAll('.pq-question').length;
  if (box && (count !== lastCount || element.querySelector('.pq-streaming'))) box.scrollTop = box.scrollHeight;
  lastCount = count;
});
"""

SOURCES_JS = _on_act_click("""\
  const card = b.closest('.pq-card');
  if (card) {
    element.querySelectorAll('.pq-card.pq-selected').forEach((c) => c.classList.remove('pq-selected'));
    card.classList.add('pq-selected');
  }
  if (d.act !== 'view') return;
  trigger('click', {act: d.act, kind: d.kind || 'cite', turn: Number(d.turn || 0), n: Number(d.n || 0)});
  // the viewer box is hidden until the server's answer shows it: scroll to it once it is on the page
  const start = Date.now();
  const reveal = () => {
    const box = document.getElementById('pq-viewer-box');
    if (box && box.offsetParent !== null && box.querySelector('.pq-viewer')) {
      box.scrollIntoView({behavior: 'smooth', block: 'start'});
    } else if (Date.now() - start < 8000) {
      requestAnimationFrame(reveal);
    }
  };
  requestAnimationFrame(reveal);
""") + """\
watch('value', () => {
  const s = element.querySelector('.pq-card.pq-selected');
  if (s) s.scrollIntoView({behavior: 'smooth', block: 'nearest'});
});
"""

VIEWER_JS = _on_act_click("""\
  trigger('click', {act: d.act, pid: d.pid || '', dir: d.dir || ''});
""") + """\
let lastTarget = null;
watch('value', () => {
  const t = element.querySelector('.pq-target');
  if (!t) return;
  const ctx = element.querySelector('.pq-viewer-context');
  if (ctx) ctx.scrollTop = Math.max(0, t.offsetTop - ctx.offsetTop - ctx.clientHeight / 3);
  const cur = element.querySelectorAll('.pq-outline .pq-current');
  const out = element.querySelector('.pq-viewer-outline');
  if (cur.length && out) { const c = cur[cur.length - 1]; out.scrollTop = Math.max(0, c.offsetTop - out.offsetTop - 40); }
  const pid = t.dataset.pid;
  if (pid !== lastTarget && element.offsetParent !== null) element.scrollIntoView({behavior: 'smooth', block: 'start'});
  lastTarget = pid;
});
"""

# Enter sends the question, Shift+Enter starts a new line (Gradio's multi-line box does the opposite); a key
# that confirms an IME candidate is left alone.
PAGE_JS = """() => {
  const onKey = (e) => {
    if (e.key !== 'Enter' || !(e.target instanceof HTMLTextAreaElement) || !e.target.closest('#pq-question')) return;
    if (e.isComposing || e.keyCode === 229) return;
    e.stopImmediatePropagation();
    if (e.shiftKey) return;
    e.preventDefault();
    if (e.type !== 'keydown') return;
    const ask = document.getElementById('pq-ask');
    const button = ask && (ask.tagName === 'BUTTON' ? ask : ask.querySelector('button'));
    if (button) button.click();
  };
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('keypress', onKey, true);
}"""


def theme():
    import gradio as gr

    # system fonts only: the app runs offline, so nothing may be fetched from a font service
    fonts = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", font=fonts, font_mono=["Consolas", "monospace"])
