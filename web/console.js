// The test console: build an engine URL (previewed live by the Go URL
// builder), connect, pick a handle and a schema method, send it with JSON
// params and read the result or the typed error; suspend, resume, close;
// every frame goes to the traffic panel below.
//
// This file wires the parts in web/lib/:
//   console-url.js      the URL form and its preview
//   console-real.js     its Qlik Cloud / Qlik Sense Enterprise target (qix-auth.js)
//   console-session.js  connect, suspend, resume, close, status
//   console-handles.js  the list of open handles
//   console-methods.js  the method form (schema methods, params)
//   console-results.js  results, typed errors and close codes, redacted
import { QixObject } from '/qix.js';
import { TrafficLog, TrafficPanel } from '/lib/traffic.js';
import { appCall, appIdOf } from '/lib/open-app.js';
import { urlForm } from '/lib/console-url.js';
import { sessionControls } from '/lib/console-session.js';
import { handleList } from '/lib/console-handles.js';
import { methodForm } from '/lib/console-methods.js';
import { results as resultsView } from '/lib/console-results.js';

const $ = (id) => document.getElementById(id);
const form = $('connect-form');
const ui = {
  connectForm: form,
  status: $('status'),
  targetHint: $('target-hint'),
  rawURL: $('raw-url'),
  appLink: $('app-link'),
  appLinkNote: $('app-link-note'),
  flavor: $('flavor'),
  webIntegrationId: $('web-integration-id'),
  qlikTicket: $('qlik-ticket'),
  fetchCsrf: $('fetch-csrf'),
  secure: $('secure'),
  host: $('host'),
  hostLabel: $('host-label'),
  port: $('port'),
  prefix: $('prefix'),
  appId: $('app-id'),
  sessionApp: $('session-app'),
  sessionAppId: $('session-app-id'),
  templateAppId: $('template-app-id'),
  identity: $('identity'),
  ttl: $('ttl'),
  params: $('params'),
  addParam: $('add-param'),
  worker: $('opt-worker'),
  delta: $('opt-delta'),
  openApp: $('opt-open-app'),
  preview: $('url-preview'),
  previewLabel: $('preview-label'),
  urlError: $('url-error'),
  connect: $('connect'),
  connectError: $('connect-error'),
  state: $('state'),
  sessionInfo: $('session-info'),
  suspend: $('suspend'),
  resume: $('resume'),
  onlyAttached: $('only-attached'),
  close: $('close'),
  closeInfo: $('close-info'),
  handles: $('handles'),
  handlesEmpty: $('handles-empty'),
  callForm: $('call-form'),
  callTarget: $('call-target'),
  method: $('method'),
  customField: $('custom-method-field'),
  customMethod: $('custom-method'),
  paramHelp: $('param-help'),
  paramsJSON: $('params-json'),
  paramsError: $('params-error'),
  send: $('send'),
  resetParams: $('reset-params'),
  resultLine: $('result-line'),
  resultError: $('result-error'),
  resultJSON: $('result-json'),
};

/** ctx is the state the parts share: the session, the object the call form targets, the last object a call made. */
const ctx = { session: null, selected: null, freshObject: null };

const log = new TrafficLog({ limit: 5000 });
const panel = new TrafficPanel($('traffic'), log, { importable: true, fileName: 'qix-console.socket.traffic' });
// The panel's own counter sits in the card heading.
$('traffic-count').append(panel.count);

const results = resultsView(ui);
const url = urlForm(form, ui, { onChange: () => session.updateControls() });

const handles = handleList(ui, ctx, {
  onSelect(obj) {
    ctx.selected = obj;
    renderMethods();
    session.updateControls();
  },
  onClosed(obj) {
    if (ctx.selected === obj) {
      ctx.selected = ctx.session && ctx.session.objects.get(-1) ? ctx.session.objects.get(-1) : null;
      renderMethods();
    }
    handles.render();
    session.updateControls();
  },
});

const methods = methodForm(ui, ctx, { onCall: (obj, method, args) => runCall(obj, method, args) });

function renderMethods() {
  handles.updateCallTarget();
  methods.render();
}

const session = sessionControls(ui, ctx, {
  urlForm: url,
  results,
  log,
  refresh() {
    handles.render();
    renderMethods();
  },
  async onOpen(global, engineURL) {
    handles.render();
    await methods.schemaReady;
    renderMethods();
    session.updateControls();
    if (ui.openApp.checked) await openURLApp(global, engineURL);
  },
});

/**
 * openURLApp opens what the URL names, so the Doc handle is there to
 * explore: OpenDoc for an app id, GetActiveDoc for a session app (the
 * engine made it when the socket connected; see lib/open-app.js).
 */
async function openURLApp(global, engineURL) {
  const c = appCall(appIdOf(engineURL));
  if (!c) return;
  await runCall(global, c.method, c.args, { select: true });
}

let callSeq = 0;

/** runCall calls method on obj, shows the result or the error and refreshes the handles. */
async function runCall(obj, method, args, { select = false } = {}) {
  const seq = ++callSeq;
  const handle = obj.handle;
  ui.resultLine.textContent = `${method} on handle ${handle}: waiting…`;
  ui.resultLine.className = 'result-line muted';
  ui.send.setAttribute('aria-busy', 'true');
  const t0 = performance.now();
  try {
    const value = await obj.call(method, ...args);
    const ms = performance.now() - t0;
    if (seq !== callSeq) return;
    results.showResult(method, handle, ms, value);
    if (value instanceof QixObject) {
      ctx.freshObject = value;
      if (select) ctx.selected = value;
    }
  } catch (err) {
    if (seq !== callSeq) return;
    results.showResultError(method, err, handle, performance.now() - t0);
  } finally {
    ui.send.removeAttribute('aria-busy');
    handles.render();
    renderMethods();
    session.updateControls();
  }
}

// ?url=ws://… opens the console on that URL (links from other pages);
// ?target=cloud on the Qlik Cloud / Qlik Sense Enterprise form.
const query = new URLSearchParams(location.search);
url.init(query.get('url'), query.get('target'));
session.updateControls();

// For tests and for poking from the devtools console.
window.qixConsole = {
  get session() {
    return ctx.session;
  },
  get log() {
    return log;
  },
};
