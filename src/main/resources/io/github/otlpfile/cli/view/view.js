// otlp-file view: the page over the JSON API. Plain JavaScript, no libraries.
// Every value from the files is put into the page as text (createTextNode / textContent) or as an
// SVG attribute computed here; no markup is ever built from data.
'use strict';

(function () {
  const ROW_HEIGHT = 24;
  const OVERSCAN = 12;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const main = document.getElementById('main');
  let summary = null;
  let currentRoute = null;
  let refreshCurrent = null;

  // ---- building nodes ----

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    applyProps(node, props);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      node.setAttribute(k, String(v));
    }
    append(node, children);
    return node;
  }

  function applyProps(node, props) {
    if (!props) return;
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = String(v);
      else if (k === 'data') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'style') Object.assign(node.style, v);
      else node.setAttribute(k, String(v));
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---- formatting ----

  function fmtDuration(ns) {
    if (ns === null || ns === undefined || isNaN(ns)) return '';
    const abs = Math.abs(ns);
    if (abs < 1e3) return ns + ' ns';
    if (abs < 1e6) return (ns / 1e3).toFixed(abs < 1e4 ? 2 : 1) + ' µs';
    if (abs < 1e9) return (ns / 1e6).toFixed(abs < 1e7 ? 2 : 1) + ' ms';
    if (abs < 60e9) return (ns / 1e9).toFixed(2) + ' s';
    return (ns / 60e9).toFixed(1) + ' min';
  }

  function fmtTime(ms) {
    if (!ms) return '';
    const d = new Date(ms);
    const pad = (n, w) => String(n).padStart(w || 2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' +
      pad(d.getMilliseconds(), 3);
  }

  function valueText(value) {
    if (typeof value === 'string') return value;
    return JSON.stringify(value);
  }

  function fmtNumber(v) {
    if (typeof v !== 'number') return String(v);
    if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
    return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  }

  function attrsInline(attributes) {
    return attributes.map(a => a.key + '=' + valueText(a.value)).join('  ');
  }

  function severityClass(n) {
    if (n >= 17) return 'sev s4';
    if (n >= 13) return 'sev s3';
    if (n >= 9) return 'sev s2';
    return 'sev s1';
  }

  function kvTable(rows) {
    return el('table', { class: 'kv' },
      rows.map(([k, v]) => el('tr', null, el('td', { class: 'k' }, k), el('td', { class: 'v' }, v))));
  }

  function attrTable(attributes) {
    if (!attributes || attributes.length === 0) return el('div', { class: 'empty' }, 'none');
    return kvTable(attributes.map(a => [a.key, valueText(a.value)]));
  }

  // ---- the API ----

  async function api(path) {
    const response = await fetch('/api/' + path, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
    return body;
  }

  function queryString(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== '' && v !== undefined && v !== null) q.set(k, v);
    }
    const s = q.toString();
    return s ? '?' + s : '';
  }

  // ---- routing ----

  function parseHash() {
    const hash = location.hash.replace(/^#/, '') || '/traces';
    const [path, query] = hash.split('?');
    return { parts: path.split('/').filter(Boolean), params: Object.fromEntries(new URLSearchParams(query || '')) };
  }

  async function route() {
    const r = parseHash();
    currentRoute = r;
    refreshCurrent = null;
    const section = r.parts[0] || 'traces';
    for (const name of ['traces', 'logs', 'metrics']) {
      const link = document.getElementById('nav-' + name);
      link.className = (section === name || (section === 'trace' && name === 'traces') ||
        (section === 'metric' && name === 'metrics')) ? 'active' : '';
    }
    try {
      if (section === 'trace' && r.parts[1]) await showTrace(decodeURIComponent(r.parts[1]), r.params);
      else if (section === 'logs') await showLogs(r.params);
      else if (section === 'metrics') await showMetrics();
      else if (section === 'metric' && r.parts[1]) await showMetric(r.parts[1]);
      else await showTraces(r.params);
    } catch (e) {
      clear(main);
      main.appendChild(el('p', { class: 'error-text', id: 'error' }, 'Could not load: ' + e.message));
    }
  }

  // ---- header status, live refresh ----

  async function pollSummary() {
    try {
      const next = await api('summary');
      const changed = summary && next.generation !== summary.generation;
      summary = next;
      const status = document.getElementById('status');
      status.textContent = next.traces + ' traces · ' + next.spans + ' spans · ' + next.logs + ' logs · ' +
        next.metrics + ' metrics · ' + next.files + ' files' +
        (next.problemCount ? ' · ' + next.problemCount + ' problems' : '') +
        (next.indexing ? ' · indexing…' : '') + (next.live ? ' · live' : '');
      status.title = next.problems.join('\n');
      if (changed && refreshCurrent) refreshCurrent();
      setTimeout(pollSummary, next.live || next.indexing ? 1500 : 10000);
    } catch (e) {
      setTimeout(pollSummary, 5000);
    }
  }

  // ---- traces list ----

  async function showTraces(params) {
    const form = traceFilterForm(params);
    const results = el('div', { id: 'trace-results' }, el('p', { class: 'empty' }, 'Loading…'));
    clear(main);
    main.append(form, results);
    const load = async () => {
      const data = await api('traces' + queryString(Object.assign({ limit: 50 }, params)));
      clear(results);
      results.appendChild(traceTable(data, params));
    };
    refreshCurrent = load;
    await load();
  }

  function traceFilterForm(params) {
    const services = (summary && summary.services) || [];
    const input = (name, label, attrs) => el('label', null, label,
      el('input', Object.assign({ name: name, id: 'trace-filter-' + name, value: params[name] || '' }, attrs || {})));
    const service = el('select', { name: 'service', id: 'trace-filter-service' },
      el('option', { value: '' }, 'any'), services.map(s => el('option', { value: s }, s)));
    service.value = params.service || '';
    const status = el('select', { name: 'status', id: 'trace-filter-status' },
      el('option', { value: '' }, 'any'), el('option', { value: 'error' }, 'with errors'),
      el('option', { value: 'ok' }, 'without errors'));
    status.value = params.status || '';
    const sort = el('select', { name: 'sort', id: 'trace-filter-sort' },
      el('option', { value: 'start' }, 'newest'), el('option', { value: 'duration' }, 'longest'));
    sort.value = params.sort || 'start';
    const from = el('input', { type: 'datetime-local', step: '1', id: 'trace-filter-from' });
    const to = el('input', { type: 'datetime-local', step: '1', id: 'trace-filter-to' });
    if (params.fromMs) from.value = localInput(Number(params.fromMs));
    if (params.toMs) to.value = localInput(Number(params.toMs));
    const form = el('form', { class: 'filters', id: 'trace-filters' },
      el('label', null, 'service', service),
      input('name', 'span name contains', { placeholder: 'GET /orders' }),
      el('label', null, 'status', status),
      input('attribute', 'attribute key[=value]', { placeholder: 'http.route=/cart' }),
      input('minDurationMs', 'min ms', { type: 'number', min: '0', step: 'any', style: { width: '80px' } }),
      input('maxDurationMs', 'max ms', { type: 'number', min: '0', step: 'any', style: { width: '80px' } }),
      el('label', null, 'from', from), el('label', null, 'to', to),
      el('label', null, 'sort', sort),
      el('button', { type: 'submit', id: 'trace-filter-apply' }, 'Search'),
      el('button', { type: 'button', class: 'plain', onclick: () => { location.hash = '#/traces'; } }, 'Clear'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const values = {};
      for (const field of form.querySelectorAll('[name]')) values[field.name] = field.value.trim();
      if (from.value) values.fromMs = String(new Date(from.value).getTime());
      if (to.value) values.toMs = String(new Date(to.value).getTime());
      location.hash = '#/traces' + queryString(values);
    });
    return form;
  }

  function localInput(ms) {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 19);
  }

  function traceTable(data, params) {
    if (data.traces.length === 0) {
      return el('p', { class: 'empty', id: 'trace-none' }, summary && summary.indexing ?
        'No traces yet: the files are still being indexed.' : 'No trace matches.');
    }
    const longest = Math.max(1, ...data.traces.map(t => t.durationNs));
    const offset = data.offset;
    const table = el('table', { class: 'list', id: 'trace-list' },
      el('thead', null, el('tr', null, el('th', null, 'start'), el('th', null, 'service'),
        el('th', null, 'root span'), el('th', { class: 'num' }, 'duration'), el('th', null, ''),
        el('th', { class: 'num' }, 'spans'), el('th', { class: 'num' }, 'errors'), el('th', { class: 'num' }, 'logs'))),
      el('tbody', null, data.traces.map(t => el('tr', {
        class: 'clickable trace-row', data: { traceId: t.traceId },
        onclick: () => { location.hash = '#/trace/' + t.traceId; }
      },
        el('td', { class: 'mono' }, fmtTime(t.startMs)),
        el('td', null, t.service, t.services.length > 1 ? el('span', { class: 'badge' }, '+' + (t.services.length - 1)) : null),
        el('td', null, el('a', { href: '#/trace/' + t.traceId, class: 'trace-name' }, t.name || '(unnamed)'),
          t.rootMissing ? el('span', { class: 'badge warn' }, 'no root') : null),
        el('td', { class: 'num' }, fmtDuration(t.durationNs)),
        el('td', { style: { width: '120px' } }, el('div', { class: 'durbar', style: { width: Math.max(1, 100 * t.durationNs / longest) + '%' } })),
        el('td', { class: 'num' }, t.spanCount),
        el('td', { class: 'num' }, t.errorCount ? el('span', { class: 'badge err' }, t.errorCount) : '0'),
        el('td', { class: 'num' }, t.logCount)))));
    const pager = el('div', { class: 'pager' },
      el('span', { id: 'trace-total' }, (offset + 1) + '–' + (offset + data.traces.length) + ' of ' + data.total + ' traces'),
      el('button', { class: 'plain', disabled: offset === 0 ? '' : null, onclick: () => page(params, Math.max(0, offset - data.limit)) }, '‹ newer'),
      el('button', { class: 'plain', disabled: offset + data.limit >= data.total ? '' : null, onclick: () => page(params, offset + data.limit) }, 'older ›'));
    return el('div', null, pager, table);
  }

  function page(params, offset) {
    location.hash = '#/traces' + queryString(Object.assign({}, params, { offset: String(offset) }));
  }

  // ---- one trace ----

  async function showTrace(traceId, params) {
    clear(main);
    main.appendChild(el('p', { class: 'empty' }, 'Loading trace ' + traceId + '…'));
    const started = performance.now();
    let trace = await api('trace/' + encodeURIComponent(traceId));
    const view = new TraceView(trace);
    clear(main);
    main.appendChild(view.root);
    view.mount();
    if (params.span) view.select(view.indexOf(params.span), true);
    document.body.dataset.traceRenderMs = String(Math.round(performance.now() - started));
    refreshCurrent = async () => {
      const next = await api('trace/' + encodeURIComponent(traceId));
      if (next.spanCount !== trace.spanCount || next.logs.length !== trace.logs.length) {
        trace = next;
        view.update(next);
      }
    };
  }

  class TraceView {
    constructor(trace) {
      this.collapsed = new Set();
      this.selected = -1;
      this.root = el('div', { id: 'trace-view' });
      this.scroll = el('div', { class: 'wf-scroll', id: 'waterfall-scroll' });
      this.spacer = el('div', { class: 'wf-spacer' });
      this.scroll.appendChild(this.spacer);
      this.details = el('aside', { class: 'details', id: 'span-details' }, el('p', { class: 'empty' }, 'Click a span to see its details.'));
      this.head = el('div', { class: 'trace-head' });
      this.axis = el('div', { class: 'wf-axis' });
      this.logsSection = el('div', { class: 'section', id: 'trace-logs' });
      this.root.append(this.head,
        el('div', { class: 'trace-body' }, el('div', { class: 'waterfall', id: 'waterfall' }, this.axis, this.scroll), this.details),
        this.logsSection);
      let pending = false;
      this.scroll.addEventListener('scroll', () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => { pending = false; this.renderRows(); });
      });
      window.addEventListener('resize', () => this.renderRows());
      this.setTrace(trace);
    }

    setTrace(trace) {
      this.trace = trace;
      const spans = trace.spans;
      this.hasChildren = spans.map((s, i) => i + 1 < spans.length && spans[i + 1].depth > s.depth);
      this.byId = new Map();
      spans.forEach((s, i) => { if (!this.byId.has(s.spanId)) this.byId.set(s.spanId, i); });
      this.logsBySpan = new Map();
      for (const log of trace.logs) {
        const i = this.byId.get(log.spanId);
        if (i === undefined) continue;
        if (!this.logsBySpan.has(i)) this.logsBySpan.set(i, []);
        this.logsBySpan.get(i).push(log);
      }
      this.total = Math.max(1, trace.durationNs);
      this.renderHead();
      this.renderAxis();
      this.computeVisible();
      this.renderLogs();
    }

    update(trace) {
      const keep = this.selected >= 0 ? this.trace.spans[this.selected].spanId : null;
      this.setTrace(trace);
      this.selected = keep ? this.indexOf(keep) : -1;
      this.renderRows();
      if (this.selected >= 0) this.renderDetails();
    }

    mount() {
      this.renderRows();
    }

    indexOf(spanId) {
      const i = this.byId.get(spanId);
      return i === undefined ? -1 : i;
    }

    renderHead() {
      const t = this.trace;
      const root = t.spans[0];
      const errors = t.spans.filter(s => s.status === 'error').length;
      const resource = root ? t.resources[root.resource] : null;
      clear(this.head);
      this.head.append(
        el('h2', { id: 'trace-title' }, root ? root.name : '(no spans)',
          resource && resource.service ? el('span', { class: 'wf-service' }, resource.service) : null),
        el('div', { class: 'facts' },
          el('span', null, 'trace ', el('code', { id: 'trace-id' }, t.traceId)),
          el('span', null, fmtTime(t.startMs)),
          el('span', null, 'duration ', fmtDuration(t.durationNs)),
          el('span', { id: 'trace-span-count' }, t.spanCount + ' spans'),
          el('span', null, errors + ' errors'),
          el('span', null, t.logs.length + ' logs'),
          t.missingParents ? el('span', { class: 'badge warn', id: 'trace-missing-parents' }, t.missingParents + ' spans with a missing parent') : null,
          t.cycles ? el('span', { class: 'badge warn', id: 'trace-cycles' }, t.cycles + ' parent cycles broken') : null,
          el('button', { class: 'plain', onclick: () => { this.collapsed.clear(); this.computeVisible(); this.renderRows(); } }, 'expand all'),
          el('button', { class: 'plain', onclick: () => this.collapseAll() }, 'collapse all')));
    }

    collapseAll() {
      this.trace.spans.forEach((s, i) => { if (this.hasChildren[i] && s.depth === 0) this.collapsed.add(i); });
      this.computeVisible();
      this.renderRows();
    }

    renderAxis() {
      clear(this.axis);
      const chart = svg('svg', { preserveAspectRatio: 'none' });
      const ticks = 5;
      for (let k = 0; k <= ticks; k++) {
        const x = (100 * k / ticks);
        chart.appendChild(svg('line', { x1: x + '%', x2: x + '%', y1: 16, y2: 24 }));
        const label = svg('text', { x: (k === ticks ? x - 0.5 : x + 0.3) + '%', y: 12, 'text-anchor': k === ticks ? 'end' : 'start' },
          fmtDuration(Math.round(this.total * k / ticks)));
        chart.appendChild(label);
      }
      this.axis.append(el('div', { class: 'wf-label-head' }, 'span'), chart);
    }

    computeVisible() {
      const spans = this.trace.spans;
      const visible = [];
      for (let i = 0; i < spans.length; i++) {
        visible.push(i);
        if (this.collapsed.has(i)) {
          const depth = spans[i].depth;
          while (i + 1 < spans.length && spans[i + 1].depth > depth) i++;
        }
      }
      this.visible = visible;
      this.spacer.style.height = (visible.length * ROW_HEIGHT) + 'px';
      this.scroll.style.height = (visible.length * ROW_HEIGHT + 2) + 'px';
    }

    renderRows() {
      const height = this.scroll.clientHeight || 600;
      const first = Math.max(0, Math.floor(this.scroll.scrollTop / ROW_HEIGHT) - OVERSCAN);
      const last = Math.min(this.visible.length, Math.ceil((this.scroll.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
      const fragment = document.createDocumentFragment();
      for (let v = first; v < last; v++) fragment.appendChild(this.row(this.visible[v], v));
      clear(this.spacer);
      this.spacer.appendChild(fragment);
    }

    row(i, position) {
      const s = this.trace.spans[i];
      const resource = this.trace.resources[s.resource];
      const toggle = el('span', { class: 'wf-toggle' }, this.hasChildren[i] ? (this.collapsed.has(i) ? '▸' : '▾') : '');
      if (this.hasChildren[i]) {
        toggle.addEventListener('click', event => {
          event.stopPropagation();
          if (this.collapsed.has(i)) this.collapsed.delete(i); else this.collapsed.add(i);
          this.computeVisible();
          this.renderRows();
        });
      }
      const left = 100 * s.offsetNs / this.total;
      const width = Math.max(0.1, 100 * s.durationNs / this.total);
      const bar = el('div', { class: 'wf-bar' + (s.status === 'error' ? ' error' : ''), style: { left: left + '%', width: width + '%' } });
      const duration = el('div', { class: 'wf-dur', style: left + width > 80 ? { right: (100 - left + 0.5) + '%' } : { left: (left + width + 0.5) + '%' } }, fmtDuration(s.durationNs));
      const area = el('div', { class: 'wf-area' }, bar, duration);
      for (const log of this.logsBySpan.get(i) || []) {
        area.appendChild(el('div', {
          class: 'wf-log' + (log.severityNumber >= 17 ? ' err' : ''),
          title: (log.severityText || 'log') + ': ' + valueText(log.body),
          style: { left: (100 * log.offsetNs / this.total) + '%' }
        }));
      }
      const row = el('div', {
        class: 'wf-row' + (i === this.selected ? ' selected' : ''),
        data: { spanId: s.spanId, depth: String(s.depth), index: String(i), status: s.status },
        style: { top: (position * ROW_HEIGHT) + 'px' },
        onclick: () => this.select(i, false)
      },
        el('div', { class: 'wf-label', style: { paddingLeft: (4 + Math.min(s.depth, 40) * 14) + 'px' } },
          toggle, el('span', { class: 'wf-name' }, s.name || '(unnamed)'),
          el('span', { class: 'wf-service' }, resource ? resource.service : ''),
          s.parentMissing ? el('span', { class: 'wf-flag' }, 'parent missing') : null,
          s.cycle ? el('span', { class: 'wf-flag' }, 'cycle') : null),
        area);
      return row;
    }

    select(i, scrollTo) {
      if (i < 0) return;
      // Open the collapsed ancestors so that the span has a row.
      const spans = this.trace.spans;
      let depth = spans[i].depth;
      for (let j = i - 1; j >= 0 && depth > 0; j--) {
        if (spans[j].depth < depth) {
          this.collapsed.delete(j);
          depth = spans[j].depth;
        }
      }
      this.selected = i;
      this.computeVisible();
      if (scrollTo) {
        const position = this.visible.indexOf(i);
        this.scroll.scrollTop = Math.max(0, position * ROW_HEIGHT - this.scroll.clientHeight / 3);
      }
      this.renderRows();
      this.renderDetails();
    }

    renderDetails() {
      const s = this.trace.spans[this.selected];
      const resource = this.trace.resources[s.resource];
      const scope = this.trace.scopes[s.scope];
      const parentLink = s.parentSpanId
        ? (this.byId.has(s.parentSpanId)
          ? el('a', { href: '#', onclick: e => { e.preventDefault(); this.select(this.indexOf(s.parentSpanId), true); } }, s.parentSpanId)
          : el('span', null, s.parentSpanId, el('span', { class: 'badge warn' }, 'not in the files')))
        : 'none (root)';
      const logs = this.logsBySpan.get(this.selected) || [];
      clear(this.details);
      this.details.append(
        el('h3', { id: 'span-details-name' }, s.name || '(unnamed)'),
        kvTable([
          ['span id', s.spanId], ['parent', parentLink], ['kind', s.kind],
          ['status', el('span', { class: s.status === 'error' ? 'error-text' : '' }, s.status + (s.statusMessage ? ': ' + s.statusMessage : ''))],
          ['start', fmtTime(s.startMs) + ' (+' + fmtDuration(s.offsetNs) + ')'], ['duration', fmtDuration(s.durationNs)],
          ['service', resource ? resource.service : ''],
          s.traceState ? ['trace state', s.traceState] : null
        ].filter(Boolean)),
        el('h4', null, 'attributes' + (s.droppedAttributes ? ' (' + s.droppedAttributes + ' dropped)' : '')),
        el('div', { id: 'span-attributes' }, attrTable(s.attributes)),
        el('h4', null, 'events (' + s.events.length + ')'),
        s.events.length === 0 ? el('div', { class: 'empty' }, 'none') : el('div', { id: 'span-events' }, s.events.map(ev =>
          el('div', { class: 'card' }, el('h4', null, '+' + fmtDuration(ev.offsetNs) + '  ' + ev.name), attrTable(ev.attributes)))),
        el('h4', null, 'links (' + s.links.length + ')'),
        s.links.length === 0 ? el('div', { class: 'empty' }, 'none') : el('div', null, s.links.map(link =>
          el('div', { class: 'card' }, el('a', { href: '#/trace/' + link.traceId + '?span=' + link.spanId }, link.traceId + ' / ' + link.spanId), attrTable(link.attributes)))),
        el('h4', null, 'logs (' + logs.length + ')'),
        logs.length === 0 ? el('div', { class: 'empty' }, 'none') : el('div', { id: 'span-logs' }, logs.map(log =>
          el('div', { class: 'card span-log' }, el('span', { class: severityClass(log.severityNumber) }, log.severityText || String(log.severityNumber)),
            ' +' + fmtDuration(log.offsetNs) + '  ', el('span', { class: 'body-cell' }, valueText(log.body))))),
        el('h4', null, 'resource'),
        el('div', { id: 'span-resource' }, attrTable(resource ? resource.attributes : [])),
        el('h4', null, 'scope'),
        scope ? kvTable([['name', scope.name], ['version', scope.version]]) : null,
        scope && scope.attributes.length ? attrTable(scope.attributes) : null);
    }

    renderLogs() {
      const logs = this.trace.logs;
      clear(this.logsSection);
      this.logsSection.appendChild(el('h3', null, 'Logs of this trace (' + logs.length + ')'));
      if (logs.length === 0) {
        this.logsSection.appendChild(el('p', { class: 'empty' }, 'No log record carries this trace id.'));
        return;
      }
      this.logsSection.appendChild(el('table', { class: 'list' },
        el('thead', null, el('tr', null, el('th', null, 'at'), el('th', null, 'severity'), el('th', null, 'body'),
          el('th', null, 'attributes'), el('th', null, 'span'))),
        el('tbody', null, logs.map(log => {
          const i = this.indexOf(log.spanId);
          return el('tr', { class: 'log-row' },
            el('td', { class: 'mono' }, '+' + fmtDuration(log.offsetNs)),
            el('td', null, el('span', { class: severityClass(log.severityNumber) }, log.severityText || String(log.severityNumber))),
            el('td', { class: 'body-cell' }, valueText(log.body)),
            el('td', { class: 'attrs-inline' }, attrsInline(log.attributes)),
            el('td', null, i >= 0
              ? el('a', { href: '#', class: 'log-span-link', onclick: e => { e.preventDefault(); this.select(i, true); } }, this.trace.spans[i].name)
              : (log.spanId ? el('span', { class: 'mono' }, log.spanId) : '')));
        }))));
    }
  }

  // ---- logs ----

  async function showLogs(params) {
    const input = (name, label, attrs) => el('label', null, label,
      el('input', Object.assign({ name: name, id: 'log-filter-' + name, value: params[name] || '' }, attrs || {})));
    const severity = el('select', { name: 'minSeverity', id: 'log-filter-severity' },
      el('option', { value: '' }, 'any'), el('option', { value: '5' }, 'DEBUG+'), el('option', { value: '9' }, 'INFO+'),
      el('option', { value: '13' }, 'WARN+'), el('option', { value: '17' }, 'ERROR+'), el('option', { value: '21' }, 'FATAL'));
    severity.value = params.minSeverity || '';
    const services = (summary && summary.services) || [];
    const service = el('select', { name: 'service', id: 'log-filter-service' },
      el('option', { value: '' }, 'any'), services.map(s => el('option', { value: s }, s)));
    service.value = params.service || '';
    const form = el('form', { class: 'filters', id: 'log-filters' },
      el('label', null, 'severity', severity), el('label', null, 'service', service),
      input('q', 'body contains'), input('attribute', 'attribute key[=value]'), input('traceId', 'trace id'),
      el('button', { type: 'submit', id: 'log-filter-apply' }, 'Search'));
    form.addEventListener('submit', event => {
      event.preventDefault();
      const values = {};
      for (const field of form.querySelectorAll('[name]')) values[field.name] = field.value.trim();
      location.hash = '#/logs' + queryString(values);
    });
    const results = el('div', { id: 'log-results' }, el('p', { class: 'empty' }, 'Loading…'));
    clear(main);
    main.append(form, results);
    const load = async () => {
      const data = await api('logs' + queryString(Object.assign({ limit: 100 }, params)));
      clear(results);
      if (data.logs.length === 0) {
        results.appendChild(el('p', { class: 'empty' }, 'No log record matches.'));
        return;
      }
      const offset = data.offset;
      results.append(
        el('div', { class: 'pager' }, el('span', null, 'records ' + (offset + 1) + '–' + (offset + data.logs.length)),
          el('button', { class: 'plain', disabled: offset === 0 ? '' : null, onclick: () => { location.hash = '#/logs' + queryString(Object.assign({}, params, { offset: Math.max(0, offset - data.limit) })); } }, '‹ previous'),
          el('button', { class: 'plain', disabled: data.more ? null : '', onclick: () => { location.hash = '#/logs' + queryString(Object.assign({}, params, { offset: offset + data.limit })); } }, 'next ›')),
        el('table', { class: 'list', id: 'log-list' },
          el('thead', null, el('tr', null, el('th', null, 'time'), el('th', null, 'severity'), el('th', null, 'service'),
            el('th', null, 'body'), el('th', null, 'attributes'), el('th', null, 'trace'))),
          el('tbody', null, data.logs.map(log => {
            const resource = data.resources[log.resource];
            return el('tr', { class: 'log-row' },
              el('td', { class: 'mono' }, fmtTime(log.timeMs)),
              el('td', null, el('span', { class: severityClass(log.severityNumber) }, log.severityText || String(log.severityNumber))),
              el('td', null, resource ? resource.service : ''),
              el('td', { class: 'body-cell' }, valueText(log.body)),
              el('td', { class: 'attrs-inline' }, attrsInline(log.attributes)),
              el('td', null, log.traceId ? el('a', { class: 'mono', href: '#/trace/' + log.traceId + (log.spanId ? '?span=' + log.spanId : '') }, log.traceId.slice(0, 12) + '…') : ''));
          }))));
    };
    refreshCurrent = load;
    await load();
  }

  // ---- metrics ----

  async function showMetrics() {
    const data = await api('metrics');
    clear(main);
    if (data.metrics.length === 0) {
      main.appendChild(el('p', { class: 'empty' }, 'No metrics in the files.'));
      return;
    }
    main.appendChild(el('table', { class: 'list', id: 'metric-list' },
      el('thead', null, el('tr', null, el('th', null, 'service'), el('th', null, 'instrument'), el('th', null, 'type'),
        el('th', null, 'unit'), el('th', { class: 'num' }, 'series'), el('th', { class: 'num' }, 'points'), el('th', null, 'description'))),
      el('tbody', null, data.metrics.map(m => el('tr', { class: 'clickable metric-row', data: { metricName: m.name }, onclick: () => { location.hash = '#/metric/' + m.id; } },
        el('td', null, m.service), el('td', null, el('a', { href: '#/metric/' + m.id }, m.name)),
        el('td', null, m.type + (m.temporality ? ' (' + m.temporality + ')' : '')), el('td', null, m.unit),
        el('td', { class: 'num' }, m.series), el('td', { class: 'num' }, m.points), el('td', { class: 'attrs-inline' }, m.description))))));
    refreshCurrent = showMetrics;
  }

  async function showMetric(id) {
    const data = await api('metric/' + encodeURIComponent(id));
    const m = data.metric;
    clear(main);
    main.appendChild(el('div', { class: 'trace-head' },
      el('h2', { id: 'metric-title' }, m.name),
      el('div', { class: 'facts' }, el('span', null, m.service), el('span', null, m.type + (m.temporality ? ', ' + m.temporality : '') + (m.monotonic ? ', monotonic' : '')),
        el('span', { id: 'metric-unit' }, 'unit: ' + (m.unit || 'none')), el('span', null, m.series + ' series, ' + m.points + ' points'),
        el('span', null, m.description), el('a', { href: '#/metrics' }, 'all metrics'))));
    const grid = el('div', { class: 'metric-grid', id: 'metric-charts' });
    main.appendChild(grid);
    for (const series of data.series) {
      const label = series.attributes.length ? attrsInline(series.attributes) : '(no attributes)';
      const card = el('div', { class: 'card metric-card' }, el('h4', null, label));
      if (m.type === 'histogram' || m.type === 'exponential_histogram') {
        card.appendChild(histogramChart(series.points, m));
        if (series.points.length > 1) card.appendChild(heatmap(series.points, m));
      } else {
        card.appendChild(lineChart(series.points.filter(p => typeof p.v === 'number'), m.unit));
      }
      grid.appendChild(card);
    }
    refreshCurrent = () => showMetric(id);
  }

  const W = 600, H = 220, PAD_L = 56, PAD_R = 10, PAD_T = 20, PAD_B = 24;

  function lineChart(points, unit) {
    const chart = svg('svg', { class: 'chart line-chart', viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'xMidYMid meet' });
    if (points.length === 0) {
      chart.appendChild(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no numeric points'));
      return chart;
    }
    const t0 = points[0].t, t1 = points[points.length - 1].t;
    let v0 = Math.min(...points.map(p => p.v)), v1 = Math.max(...points.map(p => p.v));
    if (v0 > 0 && v0 < v1 / 2) v0 = 0;
    if (v0 === v1) { v0 -= 1; v1 += 1; }
    const x = t => PAD_L + (t1 === t0 ? (W - PAD_L - PAD_R) / 2 : (t - t0) / (t1 - t0) * (W - PAD_L - PAD_R));
    const y = v => H - PAD_B - (v - v0) / (v1 - v0) * (H - PAD_T - PAD_B);
    for (let k = 0; k <= 4; k++) {
      const v = v0 + (v1 - v0) * k / 4;
      chart.appendChild(svg('line', { class: 'grid', x1: PAD_L, x2: W - PAD_R, y1: y(v), y2: y(v) }));
      chart.appendChild(svg('text', { x: PAD_L - 4, y: y(v) + 3, 'text-anchor': 'end' }, fmtNumber(v)));
    }
    chart.appendChild(svg('line', { class: 'axis', x1: PAD_L, x2: PAD_L, y1: PAD_T, y2: H - PAD_B }));
    chart.appendChild(svg('line', { class: 'axis', x1: PAD_L, x2: W - PAD_R, y1: H - PAD_B, y2: H - PAD_B }));
    chart.appendChild(svg('text', { x: PAD_L, y: H - 8 }, fmtTime(t0).slice(11)));
    chart.appendChild(svg('text', { x: W - PAD_R, y: H - 8, 'text-anchor': 'end' }, fmtTime(t1).slice(11)));
    chart.appendChild(svg('text', { x: 4, y: 11 }, unit || ''));
    const d = points.map((p, k) => (k === 0 ? 'M' : 'L') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ');
    chart.appendChild(svg('path', { class: 'series-line', d: d }));
    if (points.length <= 60) {
      for (const p of points) {
        chart.appendChild(svg('circle', { class: 'dot', cx: x(p.t), cy: y(p.v), r: 2.2 },
          svg('title', null, fmtTime(p.t) + ': ' + fmtNumber(p.v) + (unit ? ' ' + unit : ''))));
      }
    }
    return chart;
  }

  function histogramChart(points, metric) {
    const chart = svg('svg', { class: 'chart histogram-chart', viewBox: '0 0 ' + W + ' ' + H });
    const last = points[points.length - 1];
    if (!last) return chart;
    const counts = last.counts, bounds = last.bounds;
    const top = Math.max(1, ...counts);
    const n = counts.length;
    const bw = (W - PAD_L - PAD_R) / Math.max(1, n);
    chart.appendChild(svg('line', { class: 'axis', x1: PAD_L, x2: W - PAD_R, y1: H - PAD_B, y2: H - PAD_B }));
    chart.appendChild(svg('text', { x: PAD_L - 4, y: PAD_T + 6, 'text-anchor': 'end' }, fmtNumber(top)));
    chart.appendChild(svg('text', { x: PAD_L - 4, y: H - PAD_B, 'text-anchor': 'end' }, '0'));
    counts.forEach((c, k) => {
      const h = c / top * (H - PAD_T - PAD_B);
      const upper = k < bounds.length ? '≤ ' + fmtNumber(bounds[k]) : '> ' + fmtNumber(bounds[bounds.length - 1]);
      chart.appendChild(svg('rect', { class: 'bucket', x: PAD_L + k * bw + 1, y: H - PAD_B - h, width: Math.max(1, bw - 2), height: h },
        svg('title', null, upper + (metric.unit ? ' ' + metric.unit : '') + ': ' + c)));
      if (n <= 20 || k % Math.ceil(n / 20) === 0) {
        chart.appendChild(svg('text', { x: PAD_L + k * bw + bw / 2, y: H - 8, 'text-anchor': 'middle' }, k < bounds.length ? fmtNumber(bounds[k]) : '+∞'));
      }
    });
    chart.appendChild(svg('text', { x: W - PAD_R, y: 11, 'text-anchor': 'end' },
      'last point: count ' + last.count + (last.sum !== undefined ? ', sum ' + fmtNumber(last.sum) : '') + (metric.unit ? ' ' + metric.unit : '')));
    return chart;
  }

  function heatmap(points, metric) {
    const shown = points.slice(-120);
    const rows = Math.max(...shown.map(p => p.counts.length));
    const chart = svg('svg', { class: 'chart heatmap', viewBox: '0 0 ' + W + ' ' + H });
    const cw = (W - PAD_L - PAD_R) / shown.length, rh = (H - PAD_T - PAD_B) / Math.max(1, rows);
    const cumulative = metric.temporality === 'cumulative';
    const cells = shown.map((p, k) => p.counts.map((c, b) => {
      const prev = k > 0 && cumulative ? (shown[k - 1].counts[b] || 0) : 0;
      return Math.max(0, c - prev);
    }));
    const top = Math.max(1, ...cells.flat());
    cells.forEach((column, k) => column.forEach((c, b) => {
      if (c === 0) return;
      const shade = Math.round(235 - 180 * c / top);
      chart.appendChild(svg('rect', { x: PAD_L + k * cw, y: H - PAD_B - (b + 1) * rh, width: Math.max(1, cw), height: rh, fill: 'rgb(' + shade + ',' + (shade + 10) + ',250)' },
        svg('title', null, fmtTime(shown[k].t) + ' bucket ' + b + ': ' + c)));
    }));
    chart.appendChild(svg('text', { x: PAD_L, y: H - 8 }, fmtTime(shown[0].t).slice(11)));
    chart.appendChild(svg('text', { x: W - PAD_R, y: H - 8, 'text-anchor': 'end' }, fmtTime(shown[shown.length - 1].t).slice(11)));
    chart.appendChild(svg('text', { x: 4, y: 11 }, 'buckets over time' + (metric.temporality === 'cumulative' ? ' (increase per point)' : '')));
    return chart;
  }

  window.addEventListener('hashchange', route);
  pollSummary().then(route);
}());
