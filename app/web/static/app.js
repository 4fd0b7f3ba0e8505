// The check form: send the draft to POST /v1/check, show every finding in place, apply suggestions.
//
// Offsets in a report count Unicode code points; JavaScript strings count UTF-16 units. Every offset
// is converted once (cpIndex) before it touches a string, or an emoji would shift all later highlights.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  const SEVERITY = {
    block: { label: '禁止发布', rank: 3 },
    error: { label: '必须修改', rank: 2 },
    warning: { label: '建议修改', rank: 1 },
    info: { label: '提示', rank: 0 },
  };
  const VERDICT = {
    pass: ['可以发布', '没有必须修改的问题；仍需按下方层级审批。'],
    revise: ['需修改后发布', '有必须修改的问题，改正后再检查。'],
    block: ['禁止发布', '含有不得发布的内容。'],
  };
  const TIER = {
    department: '一般性工作信息：部门负责人审核',
    external: '外部人员稿件：业务部门负责人审核，分管领导批准',
    leadership: '重大事项或敏感信息：报公司高层领导审批',
  };
  // The checks' labels, from the rule catalogue (the server writes them into the page).
  const CHECK_LABEL = JSON.parse(document.body.dataset.checkLabels || '{}');
  const STATUS_LABEL = { ok: '正常', skipped: '未运行', degraded: '降级运行', failed: '出错' };

  const form = $('form');
  const titleInput = $('title');
  const bodyInput = $('body');
  const marked = $('marked');
  const markedBody = $('marked-body');
  const markedTitle = $('marked-title');
  const pop = $('pop');
  const results = $('results');
  const maxChars = parseInt(document.body.dataset.maxChars, 10) || 100000;

  // The report on screen, the exact texts it was made from, and its findings with UTF-16 spans.
  let current = null; // {report, sent: {title, body}, findings: [{f, id, start, end}], stale}
  let busy = false;

  // ---- code points -> UTF-16 -------------------------------------------------------------------

  function cpIndex(s) {
    if (!/[\uD800-\uDFFF]/.test(s)) return (cp) => cp;
    // Code-point positions of the characters that take two UTF-16 units.
    const astral = [];
    for (let i = 0, cp = 0; i < s.length; i++, cp++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { astral.push(cp); i++; }
      }
    }
    return (cp) => {
      let lo = 0, hi = astral.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] < cp) lo = mid + 1; else hi = mid; }
      return cp + lo;
    };
  }

  function codePoints(s) {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) { const d = s.charCodeAt(i + 1); if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; } }
    }
    return n;
  }

  // ---- building the marked view ------------------------------------------------------------------

  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ESC[c]);

  // One pass over the field: text between boundaries is plain or one <mark> naming every finding
  // that covers it, coloured by the worst. Each source line becomes its own block: one huge inline
  // run makes the browser lay out the whole draft at once (seconds for 100,000 characters), while
  // lines are laid out independently. The result is one string, assigned once.
  // Walks cut points in increasing order: at each, the findings that cover what follows it and those
  // of zero width that stand there.
  function sweeper(items) {
    const byStart = items.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    let active = [];
    let next = 0;
    return (at) => {
      if (active.length) active = active.filter((it) => it.end > at);
      const zero = [];
      while (next < byStart.length && byStart[next].start <= at) {
        const it = byStart[next++];
        if (it.end > at) active.push(it); else zero.push(it);
      }
      return [active, zero];
    };
  }

  function markup(text, items) {
    const step = sweeper(items);
    const points = new Set([0, text.length]);
    for (const it of items) { points.add(it.start); points.add(it.end); }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) points.add(i + 1);
    const cuts = Array.from(points).sort((a, b) => a - b);
    const out = [];
    let line = [];
    let lineStart = 0;
    const endLine = (at) => {
      out.push(`<div class="ln" data-o="${lineStart}">${line.length ? line.join('') : '<br>'}</div>`);
      line = [];
      lineStart = at;
    };
    for (let k = 0; k < cuts.length; k++) {
      const at = cuts[k];
      const [active, zero] = step(at);
      if (zero.length) line.push(mark(zero, '', true));
      if (k + 1 === cuts.length) break;
      let piece = text.slice(at, cuts[k + 1]);
      const breaks = piece.endsWith('\n');
      if (breaks) piece = piece.slice(0, -1);
      if (piece) line.push(active.length ? mark(active, esc(piece), false) : esc(piece));
      if (breaks) endLine(cuts[k + 1]);
    }
    endLine(text.length);
    return out.join('');
  }

  // ``inner`` is HTML already safe to insert.
  function mark(items, inner, zero) {
    let worst = items[0];
    for (const it of items) if (SEVERITY[it.f.severity].rank > SEVERITY[worst.f.severity].rank) worst = it;
    const cls = `sev-${worst.f.severity}${zero ? ' zero' : ''}`;
    const ids = items.map((it) => it.id).join(' ');
    return `<mark class="${cls}" data-f="${ids}" tabindex="0" role="button" aria-haspopup="dialog">${inner}</mark>`;
  }

  // ---- an HTML draft shown as the article it is ----------------------------------------------------

  // Tags shown as themselves (without their attributes); links and media are shown as inert stand-ins
  // (the page loads nothing from elsewhere), everything else is left out. Text between tags is
  // the source itself, so findings are cut into it exactly as in the plain view.
  const SHOWN = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'blockquote', 'figure',
    'figcaption', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup',
    'code', 'pre', 'section']);
  const MEDIA = { img: '图片', video: '视频', audio: '音频', iframe: '嵌入内容', embed: '嵌入内容' };
  const HIDDEN = new Set(['script', 'style', 'template', 'noscript', 'head', 'title']);
  const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

  function attr(attrs, name) {
    const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
    return m ? (m[1] ?? m[2] ?? m[3]) : '';
  }

  function shownTag(t) {
    if (MEDIA[t.name]) {
      if (t.closing) return '';
      const src = attr(t.attrs, 'src') || attr(t.attrs, 'data-src');
      const label = attr(t.attrs, 'alt') || (src.startsWith('data:') ? '' : fileName(src));
      return `<span class="media-ph">${MEDIA[t.name]}${label ? ` · ${esc(label.slice(0, 60))}` : ''}</span>`;
    }
    if (t.name === 'a') return t.closing ? '</span>' : `<span class="link" title="${esc(attr(t.attrs, 'href'))}">`;
    if (!SHOWN.has(t.name)) return '';
    return `<${t.closing ? '/' : ''}${t.name}>`;
  }

  function fileName(url) {
    const last = url.split(/[?#]/)[0].split('/').pop() || '';
    try { return decodeURIComponent(last); } catch { return last; }
  }

  function markupHtml(src, items) {
    const tags = [];
    for (let m; (m = TAG.exec(src));) {
      tags.push({ start: m.index, end: TAG.lastIndex, closing: m[1] === '/', name: (m[2] || '!').toLowerCase(), attrs: m[3] || '' });
    }
    const step = sweeper(items);
    const points = new Set([0, src.length]);
    for (const it of items) { points.add(it.start); points.add(it.end); }
    for (const t of tags) { points.add(t.start); points.add(t.end); }
    const cuts = Array.from(points).sort((a, b) => a - b);
    const out = [];
    let ti = 0;
    let inTagUntil = -1;
    let hidden = '';
    for (let k = 0; k < cuts.length; k++) {
      const at = cuts[k];
      const [active, zero] = step(at);
      if (zero.length && at >= inTagUntil && !hidden) out.push(mark(zero, '', true));
      if (k + 1 === cuts.length) break;
      if (ti < tags.length && tags[ti].start === at) {
        const t = tags[ti++];
        inTagUntil = t.end;
        if (HIDDEN.has(t.name)) { hidden = t.closing ? '' : t.name; continue; }
        if (hidden) continue;
        const shown = shownTag(t);
        out.push(active.length && MEDIA[t.name] && !t.closing ? mark(active, shown, false) : shown);
        continue;
      }
      if (at < inTagUntil || hidden) continue;
      const piece = src.slice(at, cuts[k + 1]).replace(/</g, '&lt;');
      if (!active.length && /^\s*\n\s*$/.test(piece)) continue; // the line break between two blocks
      out.push(active.length ? mark(active, piece, false) : piece);
    }
    return out.join('');
  }

  // ---- the report panel --------------------------------------------------------------------------

  function where(f, docx) {
    if (f.field === 'body') return docx ? `第 ${f.line} 段第 ${f.column} 字` : `正文第 ${f.line} 行第 ${f.column} 列`;
    if (f.field === 'title') return `标题第 ${f.column} 字`;
    const m = /^media\[(\d+)\]$/.exec(f.field);
    return m ? `第 ${Number(m[1]) + 1} 个媒体` : f.field;
  }

  // An image finding's text is its whole tag (a data: URL perhaps megabytes long): the highlight shows
  // where it is, the quote would only show markup.
  const quoted = (s) => (!s || s.startsWith('<') ? '' : ` <q>${esc(s.length > 80 ? `${s.slice(0, 77)}…` : s)}</q>`);

  function renderPanel(report, items, docx) {
    const [verdict, explain] = VERDICT[report.verdict];
    const v = $('verdict');
    v.className = `verdict ${report.verdict}`;
    v.innerHTML = `${esc(verdict)}<small>${esc(explain)}</small>`;

    const tier = report.tier;
    $('tier-level').textContent = TIER[tier.level] || tier.level;
    $('approvers').innerHTML = tier.approvers.map((a) => `<li data-role="${esc(a.role)}">${esc(a.title)}</li>`).join('');
    $('reasons').innerHTML = tier.reasons.map((r) =>
      `<li>${esc(r.message)} <span class="clause">依据 ${esc(r.clause)}</span>` +
      (r.text && r.field !== 'author' && !r.code.startsWith('author.') ? ` <q>${esc(r.text)}</q>` : '') + '</li>').join('');

    const counts = {};
    for (const f of report.findings) counts[f.check] = (counts[f.check] || 0) + 1;
    $('checks').tBodies[0].innerHTML = report.checks.map((c) =>
      `<tr data-check="${esc(c.name)}"><th scope="row">${esc(CHECK_LABEL[c.name] || c.name)}</th>` +
      `<td class="st-${esc(c.status)}"${c.detail ? ` title="${esc(c.detail)}"` : ''}>${esc(STATUS_LABEL[c.status] || c.status)}</td>` +
      `<td class="num">${counts[c.name] || 0}</td><td class="num">${c.elapsed_ms.toFixed(1)} ms</td></tr>`).join('');

    const s = report.summary;
    $('finding-count').textContent = `（${report.findings.length}：禁止 ${s.block}，必须 ${s.error}，建议 ${s.warning}，提示 ${s.info}）`;
    $('findings').innerHTML = items.map((it) => {
      const f = it.f;
      return `<li><button type="button" data-f="${it.id}"><span class="badge sev-${f.severity}">${SEVERITY[f.severity].label}</span>` +
        `<span>${esc(f.message)}${quoted(f.text)}</span>` +
        `<span class="where">${esc(where(f, docx))} · ${esc(f.rule)}${f.clause ? ` · 依据 ${esc(f.clause)}` : ''}</span></button></li>`;
    }).join('');
  }

  function render(report, sent) {
    const t0 = performance.now();
    closePop();
    const toBody = cpIndex(sent.body);
    const toTitle = cpIndex(sent.title);
    const items = report.findings.map((f, id) => {
      const to = f.field === 'title' ? toTitle : f.field === 'body' ? toBody : null;
      return { f, id, start: to ? to(f.offset) : -1, end: to ? to(f.offset + f.length) : -1 };
    });
    const bodyItems = items.filter((it) => it.f.field === 'body');
    markedBody.classList.toggle('article', sent.format === 'html');
    markedBody.innerHTML = sent.format === 'html' ? markupHtml(sent.body, bodyItems) : markup(sent.body, bodyItems);
    const titled = items.filter((it) => it.f.field === 'title');
    markedTitle.hidden = !sent.title;
    markedTitle.innerHTML = sent.title ? markup(sent.title, titled) : '';
    renderPanel(report, items, Boolean(sent.docx));
    current = { report, sent, items, stale: false };
    $('report').hidden = false;
    $('show-marked').disabled = false;
    setMode('marked');
    const ms = performance.now() - t0;
    results.dataset.renderMs = ms.toFixed(1);
    results.dataset.reportId = report.id;
    const n = report.findings.length;
    say(n ? `检查完成：${VERDICT[report.verdict][0]}，共 ${n} 个问题；审批：${report.tier.approvers.map((a) => a.title).join(' → ')}。`
          : `检查完成：没有发现问题；审批：${report.tier.approvers.map((a) => a.title).join(' → ')}。`);
  }

  // ---- talking to the service --------------------------------------------------------------------

  function say(text) { $('status').textContent = text; }

  function showError(text) {
    const e = $('error');
    e.textContent = text;
    e.hidden = !text;
  }

  function describe(detail) {
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) return detail.map((d) => `${(d.loc || []).join('.')}: ${d.msg}`).join('\n');
    return JSON.stringify(detail);
  }

  function authHeaders() {
    const headers = { Accept: 'application/json' };
    const key = $('api-key').value.trim();
    if (key) headers.Authorization = `Bearer ${key}`;
    return headers;
  }

  function draftOptions() {
    const draft = { format: $('format').value, author: { type: $('author-type').value } };
    if (titleInput.value) draft.title = titleInput.value;
    return draft;
  }

  async function check() {
    if (busy) return;
    const sent = { title: titleInput.value, body: bodyInput.value, format: $('format').value };
    if (!sent.body.trim()) { showError('请先输入正文。'); bodyInput.focus(); return; }
    const draft = { ...draftOptions(), body: sent.body };
    await request('/v1/check', { method: 'POST', headers: { ...authHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify(draft) }, (data) => render(data, sent));
  }

  // One request to the service at a time; ``done`` gets the JSON of a successful answer.
  async function request(url, init, done) {
    if (busy) return;
    busy = true;
    $('check').disabled = true;
    $('busy').hidden = false;
    results.setAttribute('aria-busy', 'true');
    results.dataset.state = 'busy';
    showError('');
    try {
      const resp = await fetch(url, init);
      const data = await resp.json().catch(() => ({ detail: `服务返回 ${resp.status}` }));
      if (!resp.ok) {
        if (resp.status === 401 || resp.status === 403) $('key-box').open = true;
        showError(`检查失败（${resp.status}）：${describe(data.detail)}`);
        say('检查失败。');
        results.dataset.state = 'error';
        return;
      }
      done(data);
      results.dataset.state = 'done';
    } catch (err) {
      showError(`无法连接检查服务：${err.message}`);
      say('检查失败。');
      results.dataset.state = 'error';
    } finally {
      busy = false;
      $('check').disabled = false;
      $('busy').hidden = true;
      results.removeAttribute('aria-busy');
    }
  }

  // ---- Word documents and rich paste --------------------------------------------------------------

  // The document is checked with its images (upload); the report carries the HTML it was read as,
  // which becomes the draft on screen, so offsets, highlights and later checks all refer to it.
  function checkDocx(file) {
    if (!/\.docx$/i.test(file.name)) { showError(`${file.name} 不是 .docx 文档。`); return; }
    const form = new FormData();
    const { title, author } = draftOptions();
    form.append('draft', JSON.stringify(title ? { title, author } : { author }));
    form.append('document', file, file.name);
    say(`正在检查 ${file.name}…`);
    request('/v1/check/upload', { method: 'POST', headers: authHeaders(), body: form }, (data) => {
      const body = data.document.body;
      bodyInput.value = body;
      $('format').value = 'html';
      updateCount();
      render(data, { title: titleInput.value, body, format: 'html', docx: file.name });
    });
  }

  // An editor's clipboard carries the article as text/html too: keep it (images, captions, links),
  // cleaned by the service, instead of the bare text a textarea would take.
  const RICH = /<(?:img|a|h[1-6]|p|figure|section|li|table)\b/i;

  async function pasteRich(e) {
    const html = e.clipboardData && e.clipboardData.getData('text/html');
    if (!html || !RICH.test(html) || busy) return;
    if (bodyInput.value.trim() && $('format').value !== 'html') return; // pasting into a plain draft
    e.preventDefault();
    const at = [bodyInput.selectionStart, bodyInput.selectionEnd];
    let cleaned = null;
    await request('/v1/paste', { method: 'POST', headers: { ...authHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ html }) }, (data) => { cleaned = data.body; });
    if (cleaned === null) return;
    const v = bodyInput.value;
    bodyInput.value = v.slice(0, at[0]) + cleaned + v.slice(at[1]);
    $('format').value = 'html';
    markStale();
    updateCount();
    say('已粘贴图文（保留图片、图注和链接），检查中…');
    check();
  }

  // ---- views --------------------------------------------------------------------------------------

  function setMode(mode) {
    const showMarked = mode === 'marked' && current && !current.stale;
    if (showMarked && bodyInput.hidden === false) marked.scrollTop = bodyInput.scrollTop;
    if (!showMarked && !marked.hidden) bodyInput.scrollTop = marked.scrollTop;
    marked.hidden = !showMarked;
    bodyInput.hidden = showMarked;
    $('show-edit').setAttribute('aria-pressed', String(!showMarked));
    $('show-marked').setAttribute('aria-pressed', String(showMarked));
    if (!showMarked) closePop();
  }

  function editAt(offset) {
    setMode('edit');
    bodyInput.focus();
    bodyInput.setSelectionRange(offset, offset);
  }

  function markStale() {
    if (!current || current.stale) return;
    current.stale = true;
    $('show-marked').disabled = true;
    closePop();
    say('稿件已修改，请重新检查。');
  }

  function updateCount() {
    const n = codePoints(bodyInput.value) + codePoints(titleInput.value);
    const c = $('count');
    c.textContent = `${n} / ${maxChars} 字`;
    c.classList.toggle('over', n > maxChars);
  }

  // ---- the popover ------------------------------------------------------------------------------

  let popFor = null; // the element the popover describes
  let pinned = false; // opened by a click or tap: stays until dismissed
  let touching = false; // the last pointer was a finger or a pen: no hover
  let hideTimer = 0;
  let showTimer = 0;

  function openPop(anchor, ids, focus, pin = true) {
    clearTimeout(hideTimer);
    pinned = pin;
    if (!current) return;
    popFor = anchor;
    const parts = ids.map((id) => {
      const it = current.items[id];
      const f = it.f;
      const sugs = f.suggestions.length && it.start >= 0 && !current.stale
        ? `<div class="sugs" role="group" aria-label="建议">${f.suggestions.map((s, k) =>
          `<button type="button" data-apply="${id}" data-k="${k}">${f.edits && f.edits[k] && !f.edits[k].length
            ? change('', f.edits[k].text.replace(/<br\s*\/?>/gi, ' ').trim()) : change(f.text, s)}</button>`).join('')}</div>` : '';
      return `<div class="item"><p><span class="badge sev-${f.severity}">${SEVERITY[f.severity].label}</span> ${esc(f.message)}</p>` +
        `<p class="rule">${esc(f.rule)}${f.clause ? ` · 依据制度 ${esc(f.clause)}` : ''}` +
        `${f.confidence != null ? ` · 置信度 ${Math.round(f.confidence * 100)}%` : ''}</p>${sugs}</div>`;
    });
    pop.innerHTML = `<button type="button" class="close" aria-label="关闭">×</button>` +
      `<h3 id="pop-h" class="visually-hidden">问题详情</h3>${parts.join('')}`;
    pop.hidden = false;
    const r = anchor.getBoundingClientRect();
    const w = pop.offsetWidth;
    const left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - w - 8));
    let top = window.scrollY + r.bottom + 6;
    if (r.bottom + pop.offsetHeight + 12 > window.innerHeight && r.top > pop.offsetHeight + 12) {
      top = window.scrollY + r.top - pop.offsetHeight - 6;
    }
    pop.style.left = `${left}px`;
    pop.style.top = `${top}px`;
    if (focus) (pop.querySelector('[data-apply]') || pop.querySelector('.close')).focus();
  }

  // "版O" → "版 O" reads as a fragment; with the text it replaces and the spaces shown, it reads as a fix.
  function change(from, to) {
    const show = (s) => esc(s).replace(/ /g, '<span class="sp" title="空格">␣</span>');
    return from ? `「${show(from)}」改为「${show(to)}」` : `插入「${show(to)}」`;
  }

  function closePop(restoreFocus) {
    clearTimeout(showTimer);
    if (pop.hidden) return;
    pop.hidden = true;
    if (restoreFocus && popFor && document.contains(popFor)) popFor.focus();
    popFor = null;
  }

  function idsOf(el) { return el.dataset.f.split(' ').map(Number); }

  // A fix is an edit of the source (finding.edits[k]: replace `length` code points at `offset` by
  // `text`; length 0 inserts), so an image credit is inserted after the image instead of replacing it.
  // Reports without edits fall back to replacing the finding's span by the suggestion string.
  function applyEdit(source, f, k) {
    const e = (f.edits || [])[k] || { offset: f.offset, length: f.length, text: f.suggestions[k] };
    const to = cpIndex(source);
    return source.slice(0, to(e.offset)) + e.text + source.slice(to(e.offset + e.length));
  }

  function apply(id, k) {
    const it = current.items[id];
    const f = it.f;
    const target = f.field === 'title' ? titleInput : bodyInput;
    const source = f.field === 'title' ? current.sent.title : current.sent.body;
    target.value = applyEdit(source, f, k);
    closePop();
    updateCount();
    say(`已替换为「${f.suggestions[k]}」，重新检查中…`);
    check();
  }

  function reveal(id) {
    const it = current.items[id];
    let el = null;
    if (it.start >= 0 && !current.stale) {
      setMode('marked');
      el = (it.f.field === 'title' ? markedTitle : markedBody).querySelector(`mark[data-f~="${id}"]`);
    }
    if (!el) el = $('findings').querySelector(`button[data-f="${id}"]`);
    el.scrollIntoView({ block: 'center', behavior: 'auto' });
    if (el.tagName === 'MARK') {
      el.classList.remove('flash');
      void el.offsetWidth; // restart the animation
      el.classList.add('flash');
    }
    el.focus({ preventScroll: true });
    openPop(el, [id], false);
  }

  // ---- events -------------------------------------------------------------------------------------

  form.addEventListener('submit', (e) => { e.preventDefault(); check(); });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); check(); }
    else if (e.key === 'Escape' && !pop.hidden) { e.preventDefault(); closePop(true); }
  });
  bodyInput.addEventListener('input', () => { markStale(); updateCount(); });
  bodyInput.addEventListener('paste', pasteRich);
  $('docx').addEventListener('change', (e) => { const file = e.target.files[0]; e.target.value = ''; if (file) checkDocx(file); });
  const surface = $('surface');
  surface.addEventListener('dragover', (e) => { e.preventDefault(); surface.classList.add('drop'); });
  surface.addEventListener('dragleave', () => surface.classList.remove('drop'));
  surface.addEventListener('drop', (e) => {
    e.preventDefault();
    surface.classList.remove('drop');
    const file = e.dataTransfer.files[0];
    if (file) checkDocx(file);
  });
  titleInput.addEventListener('input', () => { markStale(); updateCount(); });
  $('format').addEventListener('change', markStale);
  $('author-type').addEventListener('change', markStale);
  $('show-edit').addEventListener('click', () => setMode('edit'));
  $('show-marked').addEventListener('click', () => setMode('marked'));

  const keyInput = $('api-key');
  keyInput.value = sessionStorage.getItem('precheck-key') || '';
  keyInput.addEventListener('change', () => sessionStorage.setItem('precheck-key', keyInput.value.trim()));

  marked.addEventListener('click', (e) => {
    const m = e.target.closest('mark');
    if (m) openPop(m, idsOf(m), false);
    else closePop();
  });
  marked.addEventListener('keydown', (e) => {
    const m = e.target.closest && e.target.closest('mark');
    if (m && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); openPop(m, idsOf(m), true); }
  });
  marked.addEventListener('dblclick', () => {
    // Back to editing with the caret where the reader was looking.
    const sel = window.getSelection();
    if (!sel.rangeCount || !markedBody.contains(sel.anchorNode)) return;
    const node = sel.anchorNode.nodeType === Node.ELEMENT_NODE ? sel.anchorNode : sel.anchorNode.parentElement;
    const ln = node.closest('.ln');
    if (!ln) return;
    const r = document.createRange();
    r.setStart(ln, 0);
    r.setEnd(sel.anchorNode, sel.anchorOffset);
    editAt(Number(ln.dataset.o) + r.toString().length);
  });
  marked.addEventListener('mouseover', (e) => {
    const m = e.target.closest('mark');
    if (!m || m === popFor) { clearTimeout(hideTimer); return; }
    clearTimeout(showTimer);
    if (touching || (pinned && !pop.hidden)) return; // hovering elsewhere does not replace pinned details
    showTimer = setTimeout(() => openPop(m, idsOf(m), false, false), 150);
  });
  const leave = () => {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!pinned && !touching) hideTimer = setTimeout(() => closePop(), 400);
  };
  document.addEventListener('pointerdown', (e) => { touching = e.pointerType !== 'mouse'; }, true);
  marked.addEventListener('mouseleave', leave);
  pop.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  pop.addEventListener('mouseleave', leave);
  pop.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.classList.contains('close')) closePop(true);
    else if (b.dataset.apply) apply(Number(b.dataset.apply), Number(b.dataset.k));
  });
  document.addEventListener('click', (e) => {
    if (!pop.hidden && !pop.contains(e.target) && !marked.contains(e.target) && !$('findings').contains(e.target)) closePop();
  });

  $('findings').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-f]');
    if (b && current) reveal(Number(b.dataset.f));
  });

  function reportJson() { return JSON.stringify(current.report, null, 2); }

  $('copy').addEventListener('click', async () => {
    if (!current) return;
    try {
      await navigator.clipboard.writeText(reportJson());
    } catch {
      const t = document.createElement('textarea');
      t.value = reportJson();
      document.body.append(t);
      t.select();
      document.execCommand('copy');
      t.remove();
    }
    say('报告 JSON 已复制到剪贴板。');
  });
  $('download').addEventListener('click', () => {
    if (!current) return;
    const url = URL.createObjectURL(new Blob([reportJson()], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `precheck-${current.report.id}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    say('报告 JSON 已下载。');
  });

  updateCount();
})();
