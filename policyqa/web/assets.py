"""CSS, the theme and the small JavaScript hooks of the web app (fixed strings; no document text here)."""

from __future__ import annotations

CSS = """
.gradio-container { max-width: 1400px !important; }
#pq-title h1 { margin-bottom: 0; }
#pq-title p { color: var(--body-text-color-subdued); margin-top: .2em; }

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
.pq-unsupported { color: #b45309; font-size: .85em; }
.pq-feedback { margin-top: .4em; display: flex; gap: .3em; align-items: center; }
.pq-rate { border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  border-radius: 6px; padding: 0 .5em; cursor: pointer; font-size: .95em; }
.pq-rate.pq-rated { background: #dbeafe; border-color: #1a56db; }
.pq-fb-note { font-size: .8em; color: var(--body-text-color-subdued); }

/* sources */
#pq-sources-col { max-height: 80vh; overflow-y: auto; }
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
.pq-card-foot { display: flex; justify-content: space-between; align-items: center; margin-top: .4em;
  font-size: .8em; color: var(--body-text-color-subdued); }
.pq-view, .pq-more { border: 1px solid #1a56db; color: #1a56db; background: #fff; border-radius: 6px;
  padding: .1em .7em; cursor: pointer; font-size: 1em; }
.pq-view:hover, .pq-more:hover { background: #1a56db; color: #fff; }

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


CHAT_JS = _on_act_click("""\
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
  if (d.act === 'select') {
    element.querySelectorAll('.pq-card.pq-selected').forEach((c) => c.classList.remove('pq-selected'));
    b.classList.add('pq-selected');
  }
  trigger('click', {act: d.act, kind: d.kind || 'cite', turn: Number(d.turn || 0), n: Number(d.n || 0)});
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
  if (pid !== lastTarget) element.scrollIntoView({behavior: 'smooth', block: 'start'});
  lastTarget = pid;
});
"""


def theme():
    import gradio as gr

    # system fonts only: the app runs offline, so nothing may be fetched from a font service
    fonts = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
    return gr.themes.Default(primary_hue="blue", font=fonts, font_mono=["Consolas", "monospace"])
