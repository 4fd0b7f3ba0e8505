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
  const CHECK_LABEL = {
    typo: '错别字', grammar: '语法', style: '文风与排版', sensitive: '敏感内容', link: '链接安全',
    media: '图片与媒体', privacy: '隐私与保密', placeholder: '未填写的占位符', claims: '未经核实的信息',
  };
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
  function markup(text, items) {
    const byStart = items.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    const points = new Set([0, text.length]);
    for (const it of items) { points.add(it.start); points.add(it.end); }
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) points.add(i + 1);
    const cuts = Array.from(points).sort((a, b) => a - b);
    const out = [];
    let line = [];
    let lineStart = 0;
    let active = [];
    let next = 0;
    const endLine = (at) => {
      out.push(`<div class="ln" data-o="${lineStart}">${line.length ? line.join('') : '<br>'}</div>`);
      line = [];
      lineStart = at;
    };
    for (let k = 0; k < cuts.length; k++) {
      const at = cuts[k];
      if (active.length) active = active.filter((it) => it.end > at);
      const zero = [];
      while (next < byStart.length && byStart[next].start <= at) {
        const it = byStart[next++];
        if (it.end > at) active.push(it); else zero.push(it);
      }
      if (zero.length) line.push(mark(zero, '', true));
      if (k + 1 === cuts.length) break;
      let piece = text.slice(at, cuts[k + 1]);
      const breaks = piece.endsWith('\n');
      if (breaks) piece = piece.slice(0, -1);
      if (piece) line.push(active.length ? mark(active, piece, false) : esc(piece));
      if (breaks) endLine(cuts[k + 1]);
    }
    endLine(text.length);
    return out.join('');
  }

  function mark(items, piece, zero) {
    let worst = items[0];
    for (const it of items) if (SEVERITY[it.f.severity].rank > SEVERITY[worst.f.severity].rank) worst = it;
    const cls = `sev-${worst.f.severity}${zero ? ' zero' : ''}`;
    const ids = items.map((it) => it.id).join(' ');
    return `<mark class="${cls}" data-f="${ids}" tabindex="0" role="button" aria-haspopup="dialog">${esc(piece)}</mark>`;
  }

  // ---- the report panel --------------------------------------------------------------------------

  function where(f) {
    if (f.field === 'body') return `正文第 ${f.line} 行第 ${f.column} 列`;
    if (f.field === 'title') return `标题第 ${f.column} 字`;
    const m = /^media\[(\d+)\]$/.exec(f.field);
    return m ? `第 ${Number(m[1]) + 1} 个媒体` : f.field;
  }

  function renderPanel(report, items) {
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
        `<span>${esc(f.message)}${f.text ? ` <q>${esc(f.text)}</q>` : ''}</span>` +
        `<span class="where">${esc(where(f))} · ${esc(f.rule)}${f.clause ? ` · 依据 ${esc(f.clause)}` : ''}</span></button></li>`;
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
    markedBody.innerHTML = markup(sent.body, items.filter((it) => it.f.field === 'body'));
    const titled = items.filter((it) => it.f.field === 'title');
    markedTitle.hidden = !sent.title;
    markedTitle.innerHTML = sent.title ? markup(sent.title, titled) : '';
    renderPanel(report, items);
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

  async function check() {
    if (busy) return;
    const sent = { title: titleInput.value, body: bodyInput.value };
    if (!sent.body.trim()) { showError('请先输入正文。'); bodyInput.focus(); return; }
    const draft = { body: sent.body, format: $('format').value, author: { type: $('author-type').value } };
    if (sent.title) draft.title = sent.title;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const key = $('api-key').value.trim();
    if (key) headers.Authorization = `Bearer ${key}`;
    busy = true;
    $('check').disabled = true;
    $('busy').hidden = false;
    results.setAttribute('aria-busy', 'true');
    results.dataset.state = 'busy';
    showError('');
    try {
      const resp = await fetch('/v1/check', { method: 'POST', headers, body: JSON.stringify(draft) });
      const data = await resp.json().catch(() => ({ detail: `服务返回 ${resp.status}` }));
      if (!resp.ok) {
        if (resp.status === 401 || resp.status === 403) $('key-box').open = true;
        showError(`检查失败（${resp.status}）：${describe(data.detail)}`);
        say('检查失败。');
        results.dataset.state = 'error';
        return;
      }
      render(data, sent);
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
  let hideTimer = 0;
  let showTimer = 0;

  function openPop(anchor, ids, focus) {
    clearTimeout(hideTimer);
    if (!current) return;
    popFor = anchor;
    const parts = ids.map((id) => {
      const it = current.items[id];
      const f = it.f;
      const sugs = f.suggestions.length && it.start >= 0 && !current.stale
        ? `<div class="sugs" role="group" aria-label="建议">${f.suggestions.map((s, k) =>
          `<button type="button" data-apply="${id}" data-k="${k}">${f.edits && f.edits[k] && !f.edits[k].length
            ? `插入「${esc(f.edits[k].text.replace(/<br\s*\/?>/gi, ' ').trim())}」` : `替换为「${esc(s)}」`}</button>`).join('')}</div>` : '';
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
    showTimer = setTimeout(() => openPop(m, idsOf(m), false), 150);
  });
  const leave = () => { clearTimeout(showTimer); clearTimeout(hideTimer); hideTimer = setTimeout(() => closePop(), 400); };
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
