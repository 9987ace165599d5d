// dash-util: number formatting and tiny DOM helpers shared by the dashboard
// and its components.
import { redactString } from './redact.js';

const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compactFmt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** isNum is true for a cell or value that holds a real number ("NaN" is how engines send none). */
export const isNum = (n) => typeof n === 'number' && Number.isFinite(n);

export const fmtInt = (n) => (isNum(n) ? intFmt.format(n) : '–');
export const fmtDec = (n) => (isNum(n) ? decFmt.format(n) : '–');
export const fmtCompact = (n) => (isNum(n) ? compactFmt.format(n) : '–');

/** h creates an element: h('li', { class: 'x', 'aria-selected': 'true' }, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** errorText turns an engine/client error into one readable line, secrets redacted. */
export function errorText(err) {
  if (!err) return 'Unknown error';
  const parts = [err.message || String(err)];
  if (err.parameter) parts.push(`(${err.parameter})`);
  if (err.code !== undefined && err.code !== null) parts.push(`[code ${err.code}]`);
  return redactString(parts.join(' '));
}

/**
 * showError puts an error box into a card, replacing a previous one. The
 * message starts with what failed: prefix, else the card's heading
 * ("Sales by region: …"), so no error box is anonymous.
 */
export function showError(card, err, prefix) {
  if (prefix === undefined) {
    const title = card.querySelector('h2');
    prefix = title && title.textContent.trim() ? `${title.textContent.trim()}: ` : '';
  }
  card.classList.remove('is-loading');
  let box = card.querySelector(':scope > .card-error');
  if (!box) {
    box = h('div', { class: 'error-box card-error', role: 'alert' });
    card.append(box);
  }
  box.textContent = prefix + errorText(err);
}

/** clearError removes a card's error box once data renders again. */
export function clearError(card) {
  card.classList.remove('is-loading');
  card.querySelector(':scope > .card-error')?.remove();
}

let uidCounter = 0;
export const uid = (prefix) => `${prefix}-${++uidCounter}`;
