// dash-util: tiny DOM and error helpers shared by the dashboard and its
// nebula.js side.
import { redactString } from './redact.js';

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
