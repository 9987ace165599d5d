// console-results: how the console shows what came back: a result as JSON,
// a typed error (engine, socket closed, client) as a definition list, and a
// socket close with its code's meaning. Every text goes through
// redactString first: engine and proxy messages can echo the URL, with its
// ticket, CSRF token or Authorization parameter.
import { QixObject } from '/qix.js';
import { redactString } from './redact.js';

const KIND = { engine: 'Engine', close: 'Socket closed', client: 'Client' };

const CLOSE_MEANING = {
  1000: 'normal closure',
  1001: 'going away',
  1005: 'no code given',
  1006: 'abnormal closure: the socket dropped without a close frame',
  1008: 'policy violation',
  1011: 'server error',
};

/** safe is the redacted text of any value shown on the page. */
export const safe = (v) => redactString(String(v));

export function kindLabel(err) {
  return KIND[err.kind] || 'Error';
}

export function fmtMs(ms) {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** describeError is one redacted line: message · code · reason. */
export function describeError(err) {
  const parts = [err.message || String(err)];
  if (err.code !== undefined) parts.push(`code ${err.code}`);
  if (err.reason) parts.push(`reason ${err.reason}`);
  return safe(parts.join(' · '));
}

export function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/** definitionList renders [key, value] rows (values redacted), one class per row. */
export function definitionList(rows, classes = []) {
  const dl = document.createElement('dl');
  dl.className = 'kv';
  rows.forEach(([k, v], i) => {
    const div = document.createElement('div');
    if (classes[i]) div.className = classes[i];
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = safe(v);
    div.append(dt, dd);
    dl.append(div);
  });
  return dl;
}

/** results binds the result line, JSON and error box of the call form. */
export function results(ui) {
  function showResult(method, handle, ms, value) {
    ui.resultError.hidden = true;
    ui.resultLine.className = 'result-line ok';
    let shown = value;
    let note = '';
    if (value instanceof QixObject) {
      shown = { qHandle: value.handle, qType: value.type, qGenericType: value.genericType, qGenericId: value.id };
      note = ` · new handle ${value.handle} (${value.type})`;
    }
    ui.resultLine.textContent = `✓ ${method} on handle ${handle} · ${fmtMs(ms)}${note}`;
    let text = shown === undefined ? '(no result)' : JSON.stringify(shown, null, 2);
    // A multi-megabyte result as one text node freezes the page; the
    // traffic panel and its export keep all of it.
    if (text.length > 1_000_000) text = `${text.slice(0, 1_000_000)}\n… (${Math.round(text.length / 1024)} KB; cut here)`;
    ui.resultJSON.hidden = false;
    ui.resultJSON.textContent = text;
  }

  function showResultError(method, err, handle, ms) {
    ui.resultLine.className = 'result-line err';
    ui.resultLine.textContent = safe(
      `✗ ${method}${handle !== undefined ? ` on handle ${handle}` : ''}${ms !== undefined ? ` · ${fmtMs(ms)}` : ''} · ${kindLabel(err)} error ${err.code ?? ''}`.trim(),
    );
    ui.resultJSON.hidden = true;
    const box = ui.resultError;
    box.hidden = false;
    box.textContent = '';
    const head = document.createElement('p');
    head.className = 'err-head';
    head.textContent = safe(err.message || String(err));
    box.append(head);
    const rows = [
      ['Kind', kindLabel(err)],
      ['Code', String(err.code ?? '—')],
    ];
    if (err.qixName) rows.push(['Name', err.qixName]);
    if (err.parameter !== undefined && err.parameter !== '') rows.push(['Parameter', String(err.parameter)]);
    rows.push(['Message', err.message || '']);
    if (err.method) rows.push(['Method', err.method]);
    if (err.handle !== undefined) rows.push(['Handle', String(err.handle)]);
    if (err.reason !== undefined) rows.push(['Close reason', err.reason || '(none)']);
    if (err.qepCode) rows.push(['QEP code', err.qepCode]);
    if (err.traceId) rows.push(['Trace id', err.traceId]);
    box.append(definitionList(rows, rows.map(([k]) => `err-${k.toLowerCase().replace(/\s+/g, '-')}`)));
  }

  function showClosed(evt) {
    const box = ui.closeInfo;
    box.hidden = false;
    box.textContent = '';
    const normal = evt.code === 1000;
    box.classList.toggle('error-box', !normal);
    const head = document.createElement('p');
    head.className = 'close-head';
    head.textContent = `Socket closed · code ${evt.code}${CLOSE_MEANING[evt.code] ? ` (${CLOSE_MEANING[evt.code]})` : ''}`;
    box.append(head);
    const rows = [
      ['Code', String(evt.code)],
      ['Reason', evt.reason || '(none)'],
    ];
    if (evt.error && evt.error.qepCode) rows.push(['QEP code', evt.error.qepCode]);
    if (evt.error && evt.error.traceId) rows.push(['Trace id', evt.error.traceId]);
    box.append(definitionList(rows, 'close-code close-reason close-qep close-trace'.split(' ')));
  }

  /** showConnectError says why open() failed, redacted. */
  function showConnectError(err) {
    ui.connectError.hidden = false;
    ui.connectError.textContent = `Could not connect: ${describeError(err)}`;
  }

  return { showResult, showResultError, showClosed, showConnectError };
}
