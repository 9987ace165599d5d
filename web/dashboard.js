// The dashboard (landing page): the "Sales" app drawn by nebula.js
// (stardust with Qlik's sn-* charts) on a qix-wasm Doc, embed(app) as is.
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
//   ?client=qix|enigma   the client nebula.js gets the Doc from (default
//                        qix; enigma: enigma.js from /vendor, to compare)
//   ?mode=worker|main    qix-wasm in a worker (default) or on this thread
//
// Every chart card carries data-chart and data-state (loading, rendered,
// error); window.dashboard exposes the embed, the vizs and the app.

import { create, buildURL } from '/qix.js';
import { createEnigma, loadNebula, measure, renderChart } from './lib/dash-nebula.js';
import { h, errorText } from './lib/dash-util.js';
import { secretInput } from './lib/secret-input.js';
import { appIdOf, isSessionApp, openApp } from './lib/open-app.js';
import { redactString } from './lib/redact.js';

// stardust and the five charts (11 MB of UMD script) load while the engine connects.
const nebula = loadNebula();
// Shown in the chart cards when it fails; unhandled until then would log twice.
nebula.catch(() => {});

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
const customURL = params.get('url');
const appName = params.get('app') || (customURL && appIdOf(customURL)) || 'Sales';
const identity = params.get('identity') || '';
const client = params.get('client') === 'enigma' ? 'enigma' : 'qix';
const mode = params.get('mode') === 'main' ? 'main' : 'worker';
const clientName = client === 'enigma' ? 'enigma.js' : `qix-wasm${mode === 'main' ? ', main thread' : ''}`;

// CHARTS are the dashboard's charts, by the card (data-chart) they go in.
// Fields are stardust's: a field name is a dimension, measure() a measure.
const CHARTS = {
  'filter-region': { type: 'filterpane', fields: ['Region'] },
  'filter-category': { type: 'filterpane', fields: ['Category'] },
  'filter-year': { type: 'filterpane', fields: ['Year'] },
  'filter-product': { type: 'filterpane', fields: ['Product'] },
  'kpi-sales': { type: 'kpi', fields: [measure('Sum(Sales)', 'Sales', '#,##0')] },
  'kpi-orders': { type: 'kpi', fields: [measure('Count(OrderID)', 'Orders', '#,##0')] },
  'kpi-avg': { type: 'kpi', fields: [measure('Sum(Sales)/Count(OrderID)', 'Avg. order value', '#,##0.00')] },
  'kpi-units': { type: 'kpi', fields: [measure('Sum(Quantity)', 'Units sold', '#,##0')] },
  bar: { type: 'barchart', fields: ['Region', measure('Sum(Sales)', 'Sales')], properties: { title: 'Sales by region' } },
  line: { type: 'linechart', fields: ['Month', 'Year', measure('Sum(Sales)', 'Sales')], properties: { title: 'Monthly sales by year' } },
  table: {
    type: 'table',
    fields: ['Customer', 'Region', measure('Count(OrderID)', 'Orders'), measure('Sum(Quantity)', 'Units'), measure('Sum(Sales)', 'Sales')],
    properties: { title: 'Customers' },
  },
};

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
function reloadControl(app) {
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
      // The final poll follows the reply; don't wait long for it (enigma.js
      // sends no progress events: nothing to wait for).
      if (client === 'qix') await Promise.race([finalSeen, new Promise((r) => setTimeout(r, 2000))]);
      const p = final;
      if (p) draw({ ...p, qFinished: true, qCompleted: p.qTotal || 1, qTotal: p.qTotal || 1 });
      bar.value = 1;
      if (!ok) throw new Error((p && p.qErrorData[0] && p.qErrorData[0].qErrorString) || 'the script failed (no error text from the engine)');
      text.textContent = `Reloaded at ${new Date().toLocaleTimeString()}`;
      text.title = '';
      setStatus(`Connected · ${appName} · ${clientName}`, 'ok');
      appHeader(app).catch(() => {});
      hideTimer = setTimeout(() => {
        bar.hidden = true;
      }, 2500);
    } catch (err) {
      text.textContent = text.title = `Reload of “${appName}” failed: ${errorText(err)}`;
      text.classList.add('is-error');
      bar.hidden = true;
      setStatus(`Connected · ${appName} · ${clientName}`, 'ok');
    } finally {
      app.removeListener('progress', onProgress);
      bar.classList.remove('is-running');
      button.disabled = closed;
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
  for (const c of document.querySelectorAll('.viz-card[data-state="loading"]')) c.dataset.state = 'failed';
  $('#app-meta').textContent = 'Not connected';
  setStatus('Not connected', 'error');
  $('#dashboard').setAttribute('aria-busy', 'false');
  document.documentElement.dataset.ready = 'error';
}

// closed is set once the engine connection closed.
let closed = false;

/** onClosed shows that the connection closed and what the engine said. */
function onClosed(e = {}) {
  closed = true;
  const code = e.code ?? '?';
  setStatus(redactString(`Disconnected (${code}${e.reason ? `: ${e.reason}` : ''})`), 'error');
  $('#reload').disabled = true;
  const box = $('#open-error');
  box.hidden = false;
  box.replaceChildren(
    h('strong', {}, 'The engine connection closed. '),
    redactString(`Code ${code}${e.reason ? `, ${e.reason}` : ''}. What you see is no longer live. `),
    h('button', { type: 'button', class: 'retry' }, 'Reconnect'),
  );
  box.querySelector('.retry').addEventListener('click', () => location.reload());
}

/**
 * charts embeds nebula.js on app and renders every chart card and the
 * selections toolbar; resolves when each card is rendered or failed.
 */
async function charts(app) {
  const cards = [...document.querySelectorAll('.viz-card[data-chart]')];
  let n;
  try {
    const { stardust, types } = await nebula;
    n = stardust.embed(app, { context: { theme: 'light', language: 'en-US' }, types });
  } catch (err) {
    for (const card of cards) {
      card.dataset.state = 'error';
      card.append(h('div', { class: 'error-box card-error', role: 'alert' }, `${card.getAttribute('aria-label')}: the charts could not load: ${errorText(err)}`));
    }
    return;
  }
  window.dashboard.n = n;
  const toolbar = n
    .selections()
    .then((s) => s.mount($('#selections')))
    .catch((err) => $('#selections').append(h('div', { class: 'error-box card-error', role: 'alert' }, `Selections toolbar: ${errorText(err)}`)));
  const vizs = await Promise.all(cards.map((card) => renderChart(n, card, CHARTS[card.dataset.chart])));
  cards.forEach((card, i) => (window.dashboard.vizs[card.dataset.chart] = vizs[i]));
  await toolbar;
}

async function main() {
  // The URL shows its tickets and tokens only while being edited.
  const connectURL = secretInput($('#connect-url'));
  if (customURL) connectURL.value = customURL;
  if (params.get('app')) $('#connect-app').value = appName;
  $('#connect-client').value = client;
  $('#connect-mode').value = mode;
  sessionLinks(false);
  window.dashboard = { client, mode, vizs: {} };

  let url;
  let session;
  let global;
  let app;
  try {
    url = await engineURL();
    setStatus('Connecting…', 'busy');
    // qix-wasm: reload progress ten times a second (see reloadControl).
    session = client === 'enigma' ? await createEnigma(url) : create({ url, progress: 100, worker: mode !== 'main' });
    session.on('notification:OnConnected', (p) => sessionLinks(p && p.qSessionState === 'SESSION_ATTACHED'));
    session.on('closed', onClosed);
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
  Object.assign(window.dashboard, { session, global, app });
  setStatus(`Connected · ${appName} · ${clientName}`, 'ok');
  reloadControl(app);
  await Promise.all([appHeader(app).catch((err) => ($('#app-meta').textContent = errorText(err))), charts(app)]);
  $('#dashboard').setAttribute('aria-busy', 'false');
  window.__qixDashboardReady = performance.now();
  document.documentElement.dataset.ready = document.querySelector('.viz-card[data-state="error"]') ? 'error' : 'true';
}

main().catch((err) => fail(err, 'start the dashboard'));
