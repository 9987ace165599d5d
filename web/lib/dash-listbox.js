// dash-listbox: a filter pane over one list object (qListObjectDef).
//
// The pane is an ARIA listbox with aria-activedescendant: focus stays on the
// list while its options are re-rendered on every 'changed', so keyboard
// users never lose their place. Search runs in the engine
// (SearchListObjectFor / AcceptListObjectSearch / AbortListObjectSearch),
// exactly as in Qlik Sense: the list shows the matches, Enter selects them.

import { live } from './dash-live.js';
import { h, uid, showError, clearError, fmtInt } from './dash-util.js';

const PATH = '/qListObjectDef';
// Values fetched per pane; a field with more shows a hint to search instead.
const MAX_ROWS = 200;
const STATE_NAMES = { S: 'selected', L: 'locked', XS: 'selected, excluded', O: 'possible', A: 'alternative', X: 'excluded', XL: 'locked, excluded' };
const isSelected = (s) => s === 'S' || s === 'L' || s === 'XS' || s === 'XL';

// The last EndSelections sent by any pane. Engines run calls on different
// handles concurrently, and an app-wide action (Back, Clear all, a pick in
// another pane) sent while a pane is still in selection mode could run
// before that mode ends: such actions wait for this first.
let modalEnded = Promise.resolve();

/** selectionModeEnded settles once every pane's selection mode has ended on the engine. */
export const selectionModeEnded = () => modalEnded;

/**
 * filterPane turns a `<section class="pane" data-field="Region"
 * data-sort="ascii|numeric">` card into a live filter pane for that field.
 * Resolves once the first rendering (or its error) is on screen.
 */
export async function filterPane(card, app) {
  const field = card.dataset.field;
  const id = uid(`pane-${field.replace(/\W/g, '')}`);
  const title = card.querySelector('.pane-title');
  title.id = `${id}-title`;

  const count = h('span', { class: 'pane-count', 'aria-live': 'polite' });
  const clearBtn = h('button', { type: 'button', class: 'icon-button pane-clear', 'aria-label': `Clear ${field} selections`, title: 'Clear', hidden: true }, '✕');
  const head = h('div', { class: 'pane-head' });
  title.replaceWith(head);
  // Selection mode's two answers, shown while it lasts (see beginSelecting).
  const cancelBtn = h('button', { type: 'button', class: 'icon-button pane-cancel', 'aria-label': `Cancel ${field} selections`, title: 'Cancel (Escape)', hidden: true }, '↶');
  const confirmBtn = h('button', { type: 'button', class: 'icon-button pane-confirm', 'aria-label': `Confirm ${field} selections`, title: 'Confirm', hidden: true }, '✓');
  head.append(title, count, clearBtn, cancelBtn, confirmBtn);

  const list = h('ul', {
    class: 'pane-list',
    role: 'listbox',
    id: `${id}-list`,
    tabindex: 0,
    'aria-multiselectable': 'true',
    'aria-labelledby': title.id,
  });
  const search = h('input', {
    type: 'search',
    class: 'pane-search',
    placeholder: `Search ${field.toLowerCase()}`,
    'aria-label': `Search ${field}`,
    'aria-controls': list.id,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const more = h('p', { class: 'pane-more muted', hidden: true });
  card.append(search, list, more);

  let obj;
  try {
    obj = await app.createSessionObject({
      qInfo: { qType: 'filterpane' },
      qListObjectDef: {
        qDef: {
          qFieldDefs: [field],
          // Long lists put selected and possible values first, as Qlik
          // Sense does; short ones keep their order so nothing jumps.
          qSortCriterias: [
            { qSortByState: card.dataset.sortState === 'true' ? 1 : 0, ...(card.dataset.sort === 'numeric' ? { qSortByNumeric: 1 } : { qSortByAscii: 1 }) },
          ],
        },
        qShowAlternatives: true,
        qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: MAX_ROWS }],
      },
    });
  } catch (err) {
    showError(card, err, `${field}: `);
    return;
  }

  // Options are recycled by element number so a re-render only touches
  // what changed, and the active option keeps its id.
  const items = new Map();
  let order = []; // element numbers in display order
  let active = -1; // index into order

  // Selection mode, as in Qlik Sense: the first pick in a pane starts it
  // (BeginSelections on the list object) and freezes the order on screen,
  // so a list sorted by state does not move the values under the pointer
  // while you click. Leaving the pane (pointer or focus) confirms it
  // (EndSelections(true)) and the list takes the engine's order again;
  // Escape cancels it (EndSelections(false): back to before the first pick).
  let selecting = null; // the BeginSelections promise while in selection mode
  let byPointer = false; // the last pick came from the pointer (else the keyboard)
  let lastLayout = null;
  const optionId = (elem) => `${id}-o${elem}`;

  function setActive(i, scroll = true) {
    if (order.length === 0) {
      active = -1;
      list.removeAttribute('aria-activedescendant');
      return;
    }
    active = Math.max(0, Math.min(order.length - 1, i));
    for (const li of list.querySelectorAll('.is-active')) li.classList.remove('is-active');
    const li = items.get(order[active]);
    li.classList.add('is-active');
    list.setAttribute('aria-activedescendant', li.id);
    if (scroll) li.scrollIntoView({ block: 'nearest' });
  }

  function render(layout) {
    const lo = layout.qListObject;
    const info = lo.qDimensionInfo || {};
    if (info.qError) {
      showError(card, { message: `Field "${field}" is not in this app`, code: info.qError.qErrorCode });
      list.replaceChildren();
      return;
    }
    clearError(card);
    lastLayout = layout;
    let rows = (lo.qDataPages[0] && lo.qDataPages[0].qMatrix) || [];
    if (selecting) {
      // Frozen: values keep their places; values new to the list go last.
      const pos = new Map(order.map((elem, i) => [elem, i]));
      const at = (row) => (pos.has(row[0].qElemNumber) ? pos.get(row[0].qElemNumber) : order.length);
      rows = rows.map((row, i) => [row, i]).sort((a, b) => at(a[0]) - at(b[0]) || a[1] - b[1]).map(([row]) => row);
    }
    const activeElem = order[active];
    const next = [];
    const seen = new Set();
    for (const [cell] of rows) {
      const elem = cell.qElemNumber;
      seen.add(elem);
      let li = items.get(elem);
      if (!li) {
        li = h('li', { role: 'option', id: optionId(elem), 'data-elem': elem }, h('span', { class: 'opt-text' }), h('span', { class: 'visually-hidden opt-state' }));
        items.set(elem, li);
      }
      const sel = isSelected(cell.qState);
      if (li.dataset.state !== cell.qState) li.dataset.state = cell.qState;
      li.setAttribute('aria-selected', String(sel));
      li.firstChild.textContent = cell.qText;
      // Selected is announced through aria-selected; the other states are
      // only colours on screen, so say them.
      li.lastChild.textContent = sel || cell.qState === 'O' ? '' : `, ${STATE_NAMES[cell.qState] || ''}`;
      next.push(li);
    }
    for (const elem of items.keys()) if (!seen.has(elem)) items.delete(elem);
    list.replaceChildren(...next);
    order = rows.map(([c]) => c.qElemNumber);
    if (rows.length === 0) list.append(h('li', { class: 'pane-empty muted', role: 'presentation' }, search.value ? 'No matches' : 'No values'));

    const i = order.indexOf(activeElem);
    if (active >= 0) setActive(i >= 0 ? i : active, false);

    const selected = (info.qStateCounts && info.qStateCounts.qSelected) || 0;
    count.textContent = selected ? `${fmtInt(selected)} selected` : '';
    clearBtn.hidden = selected === 0 || !!selecting;
    const total = lo.qSize ? lo.qSize.qcy : rows.length;
    more.hidden = total <= rows.length;
    more.textContent = `Showing ${fmtInt(rows.length)} of ${fmtInt(total)}: search to narrow down`;
  }

  const onError = (err) => showError(card, err, `${field} filter: `);
  const run = (p) => p.catch(onError);

  /** beginSelecting enters selection mode once; later picks wait for it. */
  function beginSelecting() {
    if (!selecting) {
      card.classList.add('is-selecting');
      clearBtn.hidden = true;
      cancelBtn.hidden = confirmBtn.hidden = false;
      selecting = modalEnded.then(() => obj.beginSelections([PATH])).catch((err) => onError(err));
    }
    return selecting;
  }

  /** endSelecting leaves selection mode, confirming or cancelling the picks. */
  function endSelecting(accept) {
    if (!selecting) return;
    const begun = selecting;
    selecting = null;
    card.classList.remove('is-selecting');
    cancelBtn.hidden = confirmBtn.hidden = true;
    // The engine's order again, at once; the 'changed' after EndSelections
    // brings the confirmed (or rolled back) states.
    if (lastLayout) render(lastLayout);
    modalEnded = run(begun.then(() => obj.endSelections(accept)));
  }

  const toggle = (elem) => run(beginSelecting().then(() => obj.selectListObjectValues(PATH, [elem], true)));

  list.addEventListener('click', (e) => {
    const li = e.target.closest('li[role="option"]');
    if (!li) return;
    byPointer = true;
    const elem = Number(li.dataset.elem);
    setActive(order.indexOf(elem), false);
    toggle(elem);
  });
  list.addEventListener('focus', () => {
    if (active < 0 && order.length) {
      const firstSel = order.findIndex((elem) => items.get(elem).getAttribute('aria-selected') === 'true');
      setActive(firstSel >= 0 ? firstSel : 0);
    }
  });
  list.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor(list.clientHeight / 30));
    switch (e.key) {
      case 'ArrowDown':
        setActive(active + 1);
        break;
      case 'ArrowUp':
        if (active <= 0) {
          search.focus();
          break;
        }
        setActive(active - 1);
        break;
      case 'Home':
        setActive(0);
        break;
      case 'End':
        setActive(order.length - 1);
        break;
      case 'PageDown':
        setActive(active + page);
        break;
      case 'PageUp':
        setActive(active - page);
        break;
      case ' ':
      case 'Enter':
        byPointer = false;
        if (active >= 0) toggle(order[active]);
        break;
      case 'Escape':
        if (selecting) endSelecting(false);
        else if (!clearBtn.hidden) run(obj.clearSelections(PATH));
        break;
      default:
        // Typing in the list searches, like Qlik Sense's filter panes.
        if (e.key.length === 1) search.focus();
        return;
    }
    e.preventDefault();
  });

  search.addEventListener('input', () => {
    const text = search.value;
    run(text.trim() ? obj.searchListObjectFor(PATH, text) : obj.abortListObjectSearch(PATH));
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!search.value.trim()) return;
      search.value = '';
      // Selects every match (toggle mode keeps earlier selections).
      run(obj.acceptListObjectSearch(PATH, true));
    } else if (e.key === 'Escape') {
      if (!search.value) return;
      e.preventDefault();
      search.value = '';
      run(obj.abortListObjectSearch(PATH));
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      list.focus();
    }
  });
  clearBtn.addEventListener('click', () => {
    endSelecting(true);
    run(obj.clearSelections(PATH));
  });
  cancelBtn.addEventListener('click', () => endSelecting(false));
  confirmBtn.addEventListener('click', () => endSelecting(true));
  // Picks by pointer are confirmed when the pointer leaves the pane, picks
  // by keyboard when focus does; the pane's own buttons are inside it.
  card.addEventListener('pointerleave', () => {
    if (byPointer) endSelecting(true);
  });
  card.addEventListener('focusout', (e) => {
    if (!card.contains(e.relatedTarget) && !(byPointer && card.matches(':hover'))) endSelecting(true);
  });

  await live(obj, (o) => o.getLayout(), render, { onError }).first;
}
