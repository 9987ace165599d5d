// traffic-panel: the view of a TrafficLog (traffic-log.js), shared by the
// inspector and the console: filter, search, highlights, message detail,
// export and import. Every message it shows or saves is redacted.
import { redactFrame } from './redact.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

export function formatTime(t) {
  if (t == null) return '—';
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatMs(ms) {
  if (ms == null) return '';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

const KIND_LABEL = { request: 'request', response: 'response', error: 'error', notification: 'notification', other: 'frame' };

/** The filters of the "Show" select: which entries each keeps. */
const SHOW = {
  all: () => true,
  sent: (e) => e.dir === 'sent',
  received: (e) => e.dir === 'received',
  notification: (e) => e.kind === 'notification',
  error: (e) => e.kind === 'error',
  changes: (e) => !!(e.change || e.close),
};

let panelCount = 0;

/**
 * TrafficPanel renders a TrafficLog into root: a toolbar (show, search,
 * follow, export, import, clear), the message list (a grid the arrow keys
 * move through) and the selected message's detail.
 */
export class TrafficPanel {
  constructor(root, log, { importable = true, fileName = 'qix-wasm.socket.traffic' } = {}) {
    this.root = root;
    this.log = log;
    this.fileName = fileName;
    this.selected = null;
    this.rows = new Map(); // entry -> tr
    const uid = `tp${++panelCount}`;
    this.uid = uid;

    this.showSelect = el(
      'select',
      { id: `${uid}-show`, 'data-role': 'show' },
      el('option', { value: 'all', text: 'All messages' }),
      el('option', { value: 'sent', text: 'Sent' }),
      el('option', { value: 'received', text: 'Received' }),
      el('option', { value: 'notification', text: 'Notifications' }),
      el('option', { value: 'error', text: 'Errors' }),
      el('option', { value: 'changes', text: 'Change / close lists' }),
    );
    this.search = el('input', {
      id: `${uid}-search`,
      type: 'search',
      placeholder: 'Method, id, handle or text',
      'data-role': 'search',
      autocomplete: 'off',
    });
    this.follow = el('input', { id: `${uid}-follow`, type: 'checkbox', checked: true });
    this.exportBtn = el('button', { type: 'button', 'data-role': 'export', text: 'Export' });
    this.clearBtn = el('button', { type: 'button', 'data-role': 'clear', text: 'Clear' });
    this.fileInput = el('input', { type: 'file', accept: '.traffic,.json,.txt,application/json', class: 'visually-hidden', tabindex: '-1', id: `${uid}-file` });
    this.importBtn = importable ? el('button', { type: 'button', 'data-role': 'import', text: 'Import…' }) : null;
    this.count = el('span', { class: 'tp-count muted', 'aria-live': 'polite', 'data-role': 'count' });
    this.notice = el('p', { class: 'tp-notice', role: 'status', hidden: true });

    const toolbar = el(
      'div',
      { class: 'tp-toolbar' },
      // Labels beside (not around) the controls: a wrapping label would
      // read every option of the select as part of its name.
      el('div', { class: 'tp-field' }, el('label', { for: `${uid}-show`, text: 'Show' }), this.showSelect),
      el('div', { class: 'tp-field tp-search' }, el('label', { for: `${uid}-search`, text: 'Search' }), this.search),
      el('label', { class: 'tp-check', for: `${uid}-follow` }, this.follow, el('span', { text: 'Follow new' })),
      this.count,
      el('span', { class: 'tp-actions' }, this.exportBtn, this.importBtn, this.clearBtn),
      this.fileInput,
    );

    this.tbody = el('tbody');
    this.table = el(
      'table',
      { class: 'tp-table', role: 'grid', 'aria-readonly': 'true', 'aria-label': 'Messages', 'aria-describedby': `${uid}-legend` },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['#', 'Time', 'Dir', 'ID', 'Handle', 'Method', 'Size', 'Latency', 'Lists'].map((h, i) =>
            el('th', { scope: 'col', class: `c${i}`, text: h }),
          ),
        ),
      ),
      this.tbody,
    );
    this.empty = el('p', { class: 'tp-empty muted', text: 'No messages yet.' });
    this.scroller = el('div', { class: 'tp-scroll', tabindex: '-1' }, this.table, this.empty);
    this.legend = el(
      'p',
      { class: 'tp-legend muted', id: `${uid}-legend` },
      el('span', { class: 'tp-badge change', text: 'Δ change' }),
      ' handles the call changed, ',
      el('span', { class: 'tp-badge close', text: '✕ close' }),
      ' handles it closed, ',
      el('span', { class: 'tp-swatch notification' }),
      ' notification, ',
      el('span', { class: 'tp-swatch error' }),
      ' error. Arrow keys move through the list.',
    );
    this.detailTitle = el('h3', { class: 'tp-detail-title', text: 'Message' });
    this.detailMeta = el('dl', { class: 'tp-meta' });
    this.detailBody = el('pre', { class: 'tp-json', 'data-role': 'detail', tabindex: '0', 'aria-label': 'Message JSON (redacted)' });
    this.detail = el(
      'section',
      { class: 'tp-detail', 'aria-label': 'Selected message', hidden: true },
      this.detailTitle,
      this.detailMeta,
      this.detailBody,
    );
    root.classList.add('traffic-panel');
    root.append(toolbar, this.notice, el('div', { class: 'tp-main' }, el('div', { class: 'tp-list' }, this.scroller, this.legend), this.detail));

    this.showSelect.addEventListener('change', () => this.rerender());
    let searchTimer = 0;
    this.search.addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => this.rerender(), 80);
    });
    this.exportBtn.addEventListener('click', () => this.download());
    this.clearBtn.addEventListener('click', () => log.clear());
    if (this.importBtn) {
      this.importBtn.addEventListener('click', () => this.fileInput.click());
      this.fileInput.addEventListener('change', () => this.importFile());
    }
    this.tbody.addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) this.select(tr._entry, true);
    });
    this.tbody.addEventListener('keydown', (e) => this.onKey(e));
    log.subscribe((evt) => this.onLog(evt));
    this.rerender();
  }

  filter() {
    const show = SHOW[this.showSelect.value] || SHOW.all;
    const q = this.search.value.trim().toLowerCase();
    return (e) => show(e) && (!q || searchText(e).includes(q));
  }

  onLog(evt) {
    if (evt.type === 'reset') {
      this.selected = null;
      this.detail.hidden = true;
      this.rerender();
      return;
    }
    if (evt.type === 'update') {
      const tr = this.rows.get(evt.entry);
      if (tr) fillRow(tr, evt.entry);
      if (this.selected === evt.entry) this.showDetail(evt.entry);
      return;
    }
    // Entries the log dropped (over its limit) leave the view too.
    if (this.log.dropped) {
      const first = this.log.entries[0];
      for (const [entry, tr] of this.rows) {
        if (entry.seq >= first.seq) break;
        tr.remove();
        this.rows.delete(entry);
      }
    }
    const keep = this.filter();
    const frag = document.createDocumentFragment();
    const firstSeq = this.log.entries.length ? this.log.entries[0].seq : Infinity;
    for (const entry of evt.entries) {
      if (entry.seq < firstSeq) continue; // added and dropped in the same burst
      if (keep(entry)) frag.append(this.row(entry));
    }
    const atBottom = this.scroller.scrollTop + this.scroller.clientHeight >= this.scroller.scrollHeight - 4;
    this.tbody.append(frag);
    this.updateCount();
    if (this.follow.checked && atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  row(entry) {
    const tr = el('tr', { tabindex: '-1', 'aria-selected': 'false' });
    tr._entry = entry;
    for (let i = 0; i < 9; i++) tr.append(el('td', { class: `c${i}` }));
    fillRow(tr, entry);
    this.rows.set(entry, tr);
    return tr;
  }

  rerender() {
    this.rows.clear();
    this.tbody.textContent = '';
    const keep = this.filter();
    const frag = document.createDocumentFragment();
    for (const entry of this.log.entries) if (keep(entry)) frag.append(this.row(entry));
    this.tbody.append(frag);
    const tr = this.selected && this.rows.get(this.selected);
    if (tr) {
      tr.setAttribute('aria-selected', 'true');
      tr.tabIndex = 0;
    } else if (this.tbody.firstElementChild) {
      this.tbody.firstElementChild.tabIndex = 0;
    }
    this.updateCount();
    if (this.follow.checked) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  updateCount() {
    const shown = this.rows.size;
    const total = this.log.entries.length;
    this.count.textContent = shown === total ? `${total} messages` : `${shown} of ${total} messages`;
    this.empty.hidden = shown > 0;
    this.empty.textContent = total ? 'No message matches the filter.' : 'No messages yet.';
    // The tab stop of the list is its selected row, else its first row.
    if (!this.tbody.querySelector('tr[tabindex="0"]') && this.tbody.firstElementChild) this.tbody.firstElementChild.tabIndex = 0;
  }

  onKey(e) {
    const tr = e.target.closest('tr');
    if (!tr) return;
    let next = null;
    switch (e.key) {
      case 'ArrowDown':
        next = tr.nextElementSibling;
        break;
      case 'ArrowUp':
        next = tr.previousElementSibling;
        break;
      case 'Home':
        next = this.tbody.firstElementChild;
        break;
      case 'End':
        next = this.tbody.lastElementChild;
        break;
      case 'PageDown':
      case 'PageUp': {
        next = tr;
        for (let i = 0; i < 10; i++) {
          const n = e.key === 'PageDown' ? next.nextElementSibling : next.previousElementSibling;
          if (!n) break;
          next = n;
        }
        break;
      }
      case 'Enter':
      case ' ':
        this.select(tr._entry, false);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) this.select(next._entry, true);
  }

  select(entry, focus) {
    const prev = this.selected && this.rows.get(this.selected);
    if (prev) {
      prev.setAttribute('aria-selected', 'false');
      prev.tabIndex = -1;
    }
    for (const r of this.tbody.querySelectorAll('tr[tabindex="0"]')) r.tabIndex = -1;
    this.selected = entry;
    const tr = this.rows.get(entry);
    if (tr) {
      tr.setAttribute('aria-selected', 'true');
      tr.tabIndex = 0;
      if (focus) {
        tr.focus({ preventScroll: true });
        tr.scrollIntoView({ block: 'nearest' });
      }
    }
    this.showDetail(entry);
  }

  showDetail(entry) {
    this.detail.hidden = false;
    const what = entry.method || (entry.kind === 'response' || entry.kind === 'error' ? `response ${entry.id}` : KIND_LABEL[entry.kind]);
    this.detailTitle.textContent = `${entry.dir === 'sent' ? 'Sent' : 'Received'} ${KIND_LABEL[entry.kind]}: ${what}`;
    const meta = [
      ['Time', formatTime(entry.time)],
      ['ID', entry.id ?? '—'],
      ['Handle', entry.handle ?? '—'],
      ['Size', `${entry.size} bytes`],
    ];
    if (entry.latency != null) meta.push(['Latency', formatMs(entry.latency)]);
    else if (entry.kind === 'request') meta.push(['Latency', 'waiting for the response']);
    if (entry.change) meta.push(['Changed', entry.change.join(', ')]);
    if (entry.close) meta.push(['Closed', entry.close.join(', ')]);
    this.detailMeta.textContent = '';
    for (const [k, v] of meta) this.detailMeta.append(el('div', {}, el('dt', { text: k }), el('dd', { text: String(v) })));
    const pair = entry.request ? ['Request', entry.request] : entry.response ? ['Response', entry.response] : null;
    if (pair) {
      const btn = el('button', { type: 'button', class: 'linkish', text: `Show the ${pair[0].toLowerCase()} (#${pair[1].seq})` });
      btn.addEventListener('click', () => {
        if (!this.rows.has(pair[1])) {
          this.showSelect.value = 'all';
          this.search.value = '';
          this.rerender();
        }
        this.select(pair[1], true);
      });
      this.detailMeta.append(el('div', { class: 'tp-pair' }, btn));
    }
    this.detailBody.textContent = prettyText(entry);
  }

  showNotice(text, isError = false) {
    this.notice.hidden = false;
    this.notice.textContent = text;
    this.notice.classList.toggle('error-box', isError);
  }

  download() {
    const entries = this.log.entries.filter(this.filter());
    const text = this.log.exportText(entries);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = el('a', { href: url, download: this.fileName, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.showNotice(`Exported ${entries.length} messages, tokens and tickets redacted.`);
  }

  async importFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    if (!file) return;
    try {
      const n = this.log.import(await file.text(), file.name);
      this.showNotice(`Imported ${n} messages from ${file.name}.`);
    } catch (err) {
      this.showNotice(`Could not read ${file.name}: ${err.message}`, true);
    } finally {
      this.fileInput.value = '';
    }
  }
}

const prettyCache = new WeakMap();

/** prettyText is the redacted, indented JSON of an entry (cached; frames do not change). */
function prettyText(entry) {
  let s = prettyCache.get(entry);
  if (s === undefined) {
    // Multi-megabyte results would freeze the page as one text node.
    if (entry.size > 2_000_000) {
      s = `${JSON.stringify(redactFrame(entry.msg)).slice(0, 2_000_000)}\n… (${formatBytes(entry.size)}, cut here; Export has it all)`;
    } else s = JSON.stringify(redactFrame(entry.msg), null, 2);
    prettyCache.set(entry, s);
  }
  return s;
}

function searchText(entry) {
  if (entry.searchText === undefined) {
    const body = entry.size > 200_000 ? '' : JSON.stringify(redactFrame(entry.msg));
    entry.searchText = `${entry.method || ''} id:${entry.id ?? ''} h:${entry.handle ?? ''} ${entry.kind} ${body}`.toLowerCase();
  }
  return entry.searchText;
}

function fillRow(tr, entry) {
  const c = tr.children;
  tr.className = `k-${entry.kind} d-${entry.dir}${entry.change ? ' has-change' : ''}${entry.close ? ' has-close' : ''}`;
  c[0].textContent = entry.seq;
  c[1].textContent = formatTime(entry.time);
  c[2].textContent = entry.dir === 'sent' ? '↑ sent' : '↓ recv';
  c[2].title = entry.dir;
  c[3].textContent = entry.id ?? '';
  c[4].textContent = entry.handle ?? '';
  c[5].textContent = entry.method || (entry.kind === 'response' ? '(response)' : '');
  if (entry.kind === 'error') {
    const err = entry.msg.error;
    c[5].textContent = `${entry.method || '(response)'} ✗ ${err.code}`;
    c[5].title = `${err.message || ''} ${err.parameter || ''}`.trim();
  }
  c[6].textContent = formatBytes(entry.size);
  c[7].textContent = entry.latency != null ? formatMs(entry.latency) : entry.kind === 'request' && entry.time != null ? 'pending' : '';
  c[7].classList.toggle('pending', entry.kind === 'request' && entry.latency == null && entry.time != null);
  c[8].textContent = '';
  if (entry.change) c[8].append(el('span', { class: 'tp-badge change', title: 'changed handles', text: `Δ ${entry.change.join(',')}` }));
  if (entry.close) c[8].append(el('span', { class: 'tp-badge close', title: 'closed handles', text: `✕ ${entry.close.join(',')}` }));
}
