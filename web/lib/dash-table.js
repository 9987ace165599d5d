// dash-table: a sorted, paged table over one hypercube.
//
// Only the visible page crosses the wire: the first page comes with the
// layout (qInitialDataFetch), other pages with GetHyperCubeData. Sorting
// patches the hypercube definition (ApplyPatches), so the engine sorts all
// rows and the object's own 'changed' brings the new first page.

import { live } from './dash-live.js';
import { h, showError, clearError, fmtInt, isNum } from './dash-util.js';

const PATH = '/qHyperCubeDef';

/**
 * pagedTable wires the table card. columns: [{ label, field } for
 * dimensions, then { label, expr, format } for measures]. Resolves once
 * the first page is on screen (or its error).
 */
export async function pagedTable(card, app, { columns, pageSize = 10 }) {
  const table = card.querySelector('table');
  const thead = table.tHead;
  const tbody = table.tBodies[0];
  const wrap = card.querySelector('.table-wrap');
  const range = card.querySelector('#table-range');
  const btn = {
    first: card.querySelector('#page-first'),
    prev: card.querySelector('#page-prev'),
    next: card.querySelector('#page-next'),
    last: card.querySelector('#page-last'),
  };
  const dims = columns.filter((c) => c.field);
  const meas = columns.filter((c) => c.expr);
  const width = columns.length;
  // Local sort wish: which column leads and whether it is reversed from its
  // natural order (text A→Z, numbers high→low).
  let sort = { col: width - 1, reversed: false };
  let page = 0;
  let rowCount = 0;

  const def = () => ({
    qDimensions: dims.map((c, i) => ({
      qDef: { qFieldDefs: [c.field], qFieldLabels: [c.label], qSortCriterias: [{ qSortByAscii: 1 }], qReverseSort: sort.col === i && sort.reversed },
    })),
    qMeasures: meas.map((c, j) => ({
      qDef: { qDef: c.expr, qLabel: c.label, qReverseSort: sort.col === dims.length + j && sort.reversed },
      qSortBy: { qSortByNumeric: -1 },
    })),
    qInterColumnSortOrder: [sort.col, ...columns.map((_, i) => i).filter((i) => i !== sort.col)],
    qSuppressZero: true,
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: width, qHeight: pageSize }],
  });

  // Header: one sort button per column (keyboard reachable, announced with aria-sort).
  const headRow = h('tr');
  const ths = columns.map((c, i) => {
    const b = h('button', { type: 'button', class: 'sort-button', 'data-col': i }, h('span', {}, c.label), h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: c.expr ? 'num' : '' }, b);
    headRow.append(th);
    return th;
  });
  thead.replaceChildren(headRow);

  let obj;
  try {
    obj = await app.createSessionObject({ qInfo: { qType: 'table' }, qHyperCubeDef: def() });
  } catch (err) {
    showError(card, err);
    return;
  }

  async function fetch(o) {
    const layout = await o.getLayout();
    const hc = layout.qHyperCube;
    if (hc.qError) return { layout, matrix: [] };
    const lastPage = Math.max(0, Math.ceil(hc.qSize.qcy / pageSize) - 1);
    // Fewer rows after a selection: stay on the nearest page that exists.
    const p = Math.min(page, lastPage);
    let matrix;
    if (p === 0) matrix = hc.qDataPages[0] ? hc.qDataPages[0].qMatrix : [];
    else {
      const pages = await o.getHyperCubeData(PATH, [{ qTop: p * pageSize, qLeft: 0, qWidth: width, qHeight: pageSize }]);
      matrix = pages[0] ? pages[0].qMatrix : [];
    }
    return { layout, matrix, page: p };
  }

  function render({ layout, matrix, page: p }) {
    const hc = layout.qHyperCube;
    if (hc.qError) {
      showError(card, { message: 'The table cannot be computed', code: hc.qError.qErrorCode });
      return;
    }
    const bad = [...hc.qDimensionInfo, ...hc.qMeasureInfo].find((i) => i.qError);
    if (bad) {
      showError(card, { message: `A column cannot be computed: ${bad.qFallbackTitle || ''}`, code: bad.qError.qErrorCode });
    } else clearError(card);
    page = p;
    rowCount = hc.qSize.qcy;

    const infos = [...hc.qDimensionInfo, ...hc.qMeasureInfo];
    const lead = (hc.qEffectiveInterColumnSortOrder || [])[0];
    ths.forEach((th, i) => {
      const ind = infos[i] && infos[i].qSortIndicator;
      const dir = i === lead && (ind === 'A' || ind === 'D') ? (ind === 'A' ? 'ascending' : 'descending') : null;
      if (dir) th.setAttribute('aria-sort', dir);
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-arrow').textContent = dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '';
    });

    // Rows are rewritten in place: same <tr>s, new text, no layout jump.
    const rows = [...tbody.rows];
    matrix.forEach((r, ri) => {
      let tr = rows[ri];
      if (!tr) {
        tr = h('tr');
        for (let c = 0; c < width; c++) tr.append(h('td', { class: columns[c].expr ? 'num' : '' }));
        tbody.append(tr);
      }
      r.forEach((cell, c) => {
        const col = columns[c];
        const text = col.expr ? (col.format || fmtInt)(isNum(cell.qNum) ? cell.qNum : NaN) : cell.qText;
        if (tr.cells[c].textContent !== text) tr.cells[c].textContent = text;
      });
    });
    for (let ri = rows.length - 1; ri >= matrix.length; ri--) rows[ri].remove();
    if (matrix.length === 0 && !tbody.querySelector('.empty-row')) {
      tbody.append(h('tr', { class: 'empty-row' }, h('td', { colspan: width, class: 'muted' }, 'No rows for these selections')));
    } else if (matrix.length) tbody.querySelector('.empty-row')?.remove();

    const from = rowCount ? page * pageSize + 1 : 0;
    const to = Math.min(rowCount, (page + 1) * pageSize);
    range.textContent = rowCount ? `Rows ${fmtInt(from)}–${fmtInt(to)} of ${fmtInt(rowCount)}` : 'No rows';
    const last = Math.max(0, Math.ceil(rowCount / pageSize) - 1);
    btn.first.disabled = btn.prev.disabled = page === 0;
    btn.next.disabled = btn.last.disabled = page >= last;
    card.dataset.page = String(page);
  }

  const ctl = live(obj, fetch, render, { onError: (err) => showError(card, err) });

  function goTo(p) {
    const last = Math.max(0, Math.ceil(rowCount / pageSize) - 1);
    const np = Math.max(0, Math.min(last, p));
    if (np === page) return;
    page = np;
    ctl.refresh();
  }
  btn.first.addEventListener('click', () => goTo(0));
  btn.prev.addEventListener('click', () => goTo(page - 1));
  btn.next.addEventListener('click', () => goTo(page + 1));
  btn.last.addEventListener('click', () => goTo(Infinity));
  wrap.addEventListener('keydown', (e) => {
    if (e.target !== wrap) return;
    const keys = { PageDown: page + 1, PageUp: page - 1, Home: 0, End: Infinity };
    if (!(e.key in keys)) return;
    e.preventDefault();
    goTo(keys[e.key]);
  });
  headRow.addEventListener('click', (e) => {
    const b = e.target.closest('.sort-button');
    if (!b) return;
    const col = Number(b.dataset.col);
    sort = col === sort.col ? { col, reversed: !sort.reversed } : { col, reversed: false };
    page = 0;
    // The patch makes the engine re-sort; 'changed' then refreshes us.
    obj.applyPatches([{ qOp: 'replace', qPath: PATH, qValue: JSON.stringify(def()) }], false).catch((err) => showError(card, err));
  });

  await ctl.first;
}
