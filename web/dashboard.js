// The dashboard (landing page): the "Sales" app through qix-wasm.
//
// Query parameters:
//   ?url=wss://…/app/…   connect to this engine URL instead of the emulator
//   ?app=Sales           the app to open (default: the one ?url names, else
//                        Sales); a SessionApp_<id> is the session app the
//                        engine made on connect (opened with GetActiveDoc)
//   ?from=Sales          the template of a ?app=SessionApp_<id>
//   ?identity=abc        an isolated engine session (/identity/abc); tabs
//                        with the same URL share one session and see each
//                        other's selections live
//
// Every object is a session object kept in step by live() (dash-live.js):
// it re-fetches on 'changed' and re-renders in place.

import { create, buildURL } from '/qix.js';
import { live } from './lib/dash-live.js';
import { filterPane, selectionModeEnded } from './lib/dash-listbox.js';
import { pagedTable } from './lib/dash-table.js';
import { h, fmtInt, fmtDec, errorText, showError, clearError } from './lib/dash-util.js';
import { importOrExplain } from './lib/missing.js';
import { secretInput } from './lib/secret-input.js';
import { appIdOf, isSessionApp, openApp } from './lib/open-app.js';
import { redactString } from './lib/redact.js';

// picasso.js is ~1 MB of JavaScript: load it while the engine connects
// instead of before.
// A failed load names the missing file and the fix (see lib/missing.js).
const chartsModule = importOrExplain(new URL('./lib/dash-charts.js', import.meta.url).pathname, [
  '/vendor/picasso.esm.js',
  '/vendor/picasso-plugin-q.esm.js',
]);
// Shown in the chart cards when it fails; unhandled until then would log twice.
chartsModule.catch(() => {});

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
const customURL = params.get('url');
const appName = params.get('app') || (customURL && appIdOf(customURL)) || 'Sales';
const identity = params.get('identity') || '';

const statusEl = $('#status');
function setStatus(text, kind = '') {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
}

/** engineURL is ?url as given, else this origin's emulator through the Go URL builder. */
async function engineURL() {
  if (customURL) return customURL;
  const cfg = { secure: location.protocol === 'https:', host: location.host, identity: identity || undefined };
  if (isSessionApp(appName)) {
    // ?app=SessionApp_<id>&from=Sales: the engine makes a session copy of
    // Sales when the socket connects.
    cfg.sessionApp = true;
    cfg.sessionAppId = appName.replace(/^SessionApp_/i, '');
    if (params.get('from')) cfg.templateAppId = params.get('from');
  } else cfg.appId = appName;
  return buildURL(cfg);
}

/** sessionLinks fills the "same session" and "new session" links. */
function sessionLinks(attached) {
  const here = new URL(location.href);
  $('#session-share').href = here.href;
  const fresh = new URL(location.href);
  fresh.searchParams.set('identity', crypto.randomUUID().slice(0, 8));
  $('#session-new').href = fresh.href;
  const badge = $('#session-state');
  const name = identity ? `session “${identity}”` : 'default session';
  badge.textContent = attached ? `Shared ${name}` : `New ${name}`;
  badge.title = attached
    ? 'This tab joined an engine session that was already open: selections are shared with the other tabs on it.'
    : 'This tab started the engine session. Tabs opened with the same address share it.';
  badge.dataset.attached = String(attached);
}

/** kpiTiles: one object, four value expressions, evaluated by the engine. */
async function kpiTiles(app) {
  const section = $('#kpis');
  const tiles = [...section.querySelectorAll('.kpi')];
  const fmt = { sales: fmtInt, orders: fmtInt, avgOrder: fmtDec, units: fmtInt };
  let obj;
  try {
    obj = await app.createSessionObject({
      qInfo: { qType: 'kpis' },
      sales: { qValueExpression: '=Sum(Sales)' },
      orders: { qValueExpression: '=Count(OrderID)' },
      avgOrder: { qValueExpression: '=Sum(Sales)/Count(OrderID)' },
      units: { qValueExpression: '=Sum(Quantity)' },
    });
  } catch (err) {
    for (const t of tiles) showError(t, err);
    return;
  }
  const render = (layout) => {
    for (const t of tiles) {
      const key = t.dataset.kpi;
      clearError(t);
      const text = fmt[key](layout[key]);
      const v = t.querySelector('.kpi-value');
      if (v.textContent !== text) v.textContent = text;
    }
  };
  await live(obj, (o) => o.getLayout(), render, { onError: (err) => tiles.forEach((t) => showError(t, err)) }).first;
}

/** selectionsBar: qSelectionObjectDef, with back / forward / clear. */
async function selectionsBar(app) {
  const bar = $('.selbar');
  const list = $('#sel-list');
  const back = $('#sel-back');
  const forward = $('#sel-forward');
  const clearAll = $('#sel-clear');
  const onError = (err) => showError(bar, err);
  // After any filter pane's selection mode has ended (see dash-listbox.js).
  const act = (fn) => selectionModeEnded().then(fn).catch(onError);
  back.addEventListener('click', () => act(() => app.back()));
  forward.addEventListener('click', () => act(() => app.forward()));
  clearAll.addEventListener('click', () => act(() => app.clearAll(false)));
  list.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-field]');
    if (!b) return;
    act(() => app.getField(b.dataset.field).then((f) => f.clear()));
  });

  let obj;
  try {
    obj = await app.createSessionObject({ qInfo: { qType: 'current-selections' }, qSelectionObjectDef: {} });
  } catch (err) {
    onError(err);
    return;
  }
  const render = (layout) => {
    clearError(bar);
    const so = layout.qSelectionObject;
    back.disabled = !(so.qBackCount > 0);
    forward.disabled = !(so.qForwardCount > 0);
    clearAll.disabled = so.qSelections.length === 0;
    if (so.qSelections.length === 0) {
      list.replaceChildren(h('li', { class: 'selbar-empty muted' }, 'No selections. Pick values in a filter or click a bar: every chart, figure and table follows.'));
      return;
    }
    list.replaceChildren(
      ...so.qSelections.map((s) => {
        const values = s.qSelectedCount > s.qSelectionThreshold ? `${fmtInt(s.qSelectedCount)} of ${fmtInt(s.qTotal)}` : s.qSelected;
        return h(
          'li',
          { class: 'chip', 'data-field': s.qField },
          h('span', { class: 'chip-field' }, s.qField),
          h('span', { class: 'chip-values' }, values),
          h('button', { type: 'button', class: 'chip-clear', 'data-field': s.qField, 'aria-label': `Clear ${s.qField} selection`, title: 'Clear' }, '✕'),
        );
      }),
    );
  };
  await live(obj, (o) => o.getLayout(), render, { onError }).first;
}

/** appHeader shows the app's title and last reload time. */
async function appHeader(app) {
  const layout = await app.getAppLayout();
  $('#app-title').textContent = layout.qTitle || appName;
  document.title = `${layout.qTitle || appName} dashboard · qix-wasm`;
  const when = layout.qLastReloadTime ? new Date(layout.qLastReloadTime) : null;
  $('#app-meta').textContent = when && !Number.isNaN(when.getTime()) ? `Data loaded ${when.toLocaleString()}` : 'Connected';
}

/**
 * progressLine says where a reload is, from Global.GetProgress: which table
 * of how many is loading and how many of its lines are in. Engines count a
 * table as completed once it is in (qCompleted), so while one loads it is
 * table qCompleted + 1; its transient line ("Orders << source 7,142 Lines
 * fetched") is the only thing that grows during a big table, so it is shown
 * rather than a percentage that would sit still.
 */
export function progressLine(p, lastDetail = '') {
  const done = p.qFinished || (p.qTotal > 0 && p.qCompleted >= p.qTotal);
  const lines = (p.qPersistentProgress || '').split('\n').filter(Boolean);
  const raw = p.qTransientProgress || lines[lines.length - 1] || lastDetail;
  const m = /^(.+?) << .*?([\d,.]+) Lines fetched$/i.exec(raw || '');
  const detail = m ? `${m[1]}: ${m[2]} lines` : raw || '';
  let step = 'Reloading…';
  if (p.qTotal > 0) step = done ? `${p.qTotal} of ${p.qTotal} tables` : `Table ${Math.min(p.qCompleted + 1, p.qTotal)} of ${p.qTotal}`;
  return { text: [step, detail].filter(Boolean).join(' · '), detail: raw || '' };
}

/**
 * reloadControl: DoReload, drawn from the library's progress events
 * (the engine answers it while the reload runs). The bar shows the tables
 * completed (truthfully: the engine does not say how many lines a table
 * will have) and stripes while the next one loads; the line under it names
 * that table and its lines so far.
 */
function reloadControl(session, global, app) {
  const button = $('#reload');
  const bar = $('#reload-progress');
  const text = $('#reload-text');
  let hideTimer = 0;
  let lastDetail = '';
  const draw = (p) => {
    const frac = p.qTotal > 0 ? Math.min(1, p.qCompleted / p.qTotal) : p.qFinished ? 1 : 0;
    if (frac > Number(bar.value)) bar.value = frac;
    const line = progressLine(p, lastDetail);
    // Keep the last message until a new one comes, so the line does not blink.
    lastDetail = line.detail;
    if (text.textContent !== line.text) text.textContent = text.title = line.text;
  };
  button.disabled = false;
  button.addEventListener('click', async () => {
    clearTimeout(hideTimer);
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    bar.classList.add('is-running');
    lastDetail = '';
    text.textContent = 'Reloading…';
    text.classList.remove('is-error');
    setStatus('Reloading…', 'busy');
    // The library polls GetProgress while DoReload runs, because this
    // listener is there; the poll after the reply (done) carries the end of
    // the log and a failed script's errors.
    let final = null;
    let gotFinal;
    const finalSeen = new Promise((r) => (gotFinal = r));
    const onProgress = (p) => {
      if (p.method !== 'DoReload') return;
      if (p.done) {
        final = p;
        gotFinal();
      } else if (!p.qFinished) draw(p); // a "finished" before the reply is the previous reload's
    };
    app.on('progress', onProgress);
    try {
      const ok = await app.doReload(0, false, false);
      // The final poll follows the reply; don't wait long for it.
      await Promise.race([finalSeen, new Promise((r) => setTimeout(r, 2000))]);
      const p = final;
      if (p) draw({ ...p, qFinished: true, qCompleted: p.qTotal || 1, qTotal: p.qTotal || 1 });
      bar.value = 1;
      if (!ok) throw new Error((p && p.qErrorData[0] && p.qErrorData[0].qErrorString) || 'the script failed (no error text from the engine)');
      text.textContent = `Reloaded at ${new Date().toLocaleTimeString()}`;
      text.title = '';
      setStatus(`Connected · ${appName}`, 'ok');
      appHeader(app).catch(() => {});
      hideTimer = setTimeout(() => {
        bar.hidden = true;
      }, 2500);
    } catch (err) {
      text.textContent = text.title = `Reload of “${appName}” failed: ${errorText(err)}`;
      text.classList.add('is-error');
      bar.hidden = true;
      setStatus(`Connected · ${appName}`, 'ok');
    } finally {
      app.off('progress', onProgress);
      bar.classList.remove('is-running');
      button.disabled = session.state !== 'open';
    }
  });
}

function fail(err, where) {
  const box = $('#open-error');
  box.hidden = false;
  box.replaceChildren(
    h('strong', {}, `Could not ${where}. `),
    errorText(err),
    h('br'),
    h('span', { class: 'muted' }, customURL ? `Engine URL: ${redactString(customURL)}` : 'Is the dev server (./build.sh serve) still running?'),
    ' ',
    h('button', { type: 'button', class: 'retry' }, 'Try again'),
  );
  box.querySelector('.retry').addEventListener('click', () => location.reload());
  for (const c of document.querySelectorAll('.is-loading')) c.classList.replace('is-loading', 'is-failed');
  $('#app-meta').textContent = 'Not connected';
  setStatus('Not connected', 'error');
  $('#dashboard').setAttribute('aria-busy', 'false');
  document.documentElement.dataset.ready = 'error';
}

async function main() {
  // The URL shows its tickets and tokens only while being edited.
  const connectURL = secretInput($('#connect-url'));
  if (customURL) connectURL.value = customURL;
  if (params.get('app')) $('#connect-app').value = appName;
  sessionLinks(false);

  let url;
  let session;
  let global;
  let app;
  try {
    url = await engineURL();
    // Reload progress ten times a second (see reloadControl).
    session = create({ url, progress: 100 });
    session.on('notification:OnConnected', (p) => sessionLinks(p && p.qSessionState === 'SESSION_ATTACHED'));
    session.on('closed', (e) => {
      setStatus(redactString(`Disconnected (${e.code}${e.reason ? `: ${e.reason}` : ''})`), 'error');
      $('#reload').disabled = true;
      const box = $('#open-error');
      box.hidden = false;
      box.replaceChildren(
        h('strong', {}, 'The engine connection closed. '),
        redactString(`Code ${e.code}${e.reason ? `, ${e.reason}` : ''}. What you see is no longer live. `),
        h('button', { type: 'button', class: 'retry' }, 'Reconnect'),
      );
      box.querySelector('.retry').addEventListener('click', () => location.reload());
    });
    setStatus('Connecting…', 'busy');
    global = await session.open();
  } catch (err) {
    fail(err, 'connect to the engine');
    return;
  }
  try {
    app = await openApp(global, appName);
  } catch (err) {
    fail(err, `open the app “${appName}”`);
    return;
  }
  setStatus(`Connected · ${appName}`, 'ok');

  // Every object is created in the same turn, so the requests leave
  // together and the engine answers them as one pipeline.
  const charts = chartsModule.then((m) => Promise.all([m.barChart($('#bar-card'), app), m.lineChart($('#line-card'), app)]));
  const parts = [
    appHeader(app).catch((err) => ($('#app-meta').textContent = errorText(err))),
    selectionsBar(app),
    kpiTiles(app),
    ...[...document.querySelectorAll('#filters .pane')].map((card) => filterPane(card, app)),
    pagedTable($('#table-card'), app, {
      pageSize: 10,
      columns: [
        { label: 'Customer', field: 'Customer' },
        { label: 'Region', field: 'Region' },
        { label: 'Orders', expr: 'Count(OrderID)' },
        { label: 'Units', expr: 'Sum(Quantity)' },
        { label: 'Sales', expr: 'Sum(Sales)' },
      ],
    }),
    charts.catch((err) => {
      for (const c of ['#bar-card', '#line-card']) showError($(c), err, 'The charts could not load: ');
    }),
  ];
  reloadControl(session, global, app);
  await Promise.all(parts);
  $('#dashboard').setAttribute('aria-busy', 'false');
  window.__qixDashboardReady = performance.now();
  document.documentElement.dataset.ready = 'true';
}

main().catch((err) => fail(err, 'start the dashboard'));
