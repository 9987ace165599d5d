// The test console: build an engine URL (previewed live by the Go URL
// builder), connect, pick a handle and a schema method, send it with JSON
// params and read the result or the typed error; suspend, resume, close;
// every frame goes to the traffic panel below.
import { create, buildURL, QixObject } from '/qix.js';
import { TrafficLog, TrafficPanel, redactString } from '/lib/traffic.js';
import { explainMissing } from '/lib/missing.js';

const SCHEMA_URL = '/vendor/schemas/12.2027.0.json';
const OTHER = '__other__';

const $ = (id) => document.getElementById(id);
const form = $('connect-form');
const ui = {
  status: $('status'),
  targetHint: $('target-hint'),
  rawURL: $('raw-url'),
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

// ------------------------------------------------------------ URL builder

const TARGETS = {
  emulator: {
    hint: 'The engine emulator of this dev server, with the sample apps Sales and Demo.',
    hostLabel: 'Host',
    defaults: () => ({ secure: location.protocol === 'https:', host: location.host, port: '', prefix: '', appId: 'Sales', params: [] }),
  },
  core: {
    hint: 'A Qlik Core or Qlik Sense Desktop engine (port 9076 by default).',
    hostLabel: 'Host',
    defaults: () => ({ secure: false, host: 'localhost', port: '9076', prefix: '', appId: '', params: [] }),
  },
  cloud: {
    hint: 'A Qlik Cloud tenant. Browsers authenticate with the web integration id and the CSRF token of a signed-in tab.',
    hostLabel: 'Tenant',
    defaults: () => ({
      secure: true,
      host: '',
      port: '',
      prefix: '',
      appId: '',
      params: [
        ['qlik-web-integration-id', ''],
        ['qlik-csrf-token', ''],
      ],
    }),
  },
  url: {
    hint: 'Any engine WebSocket URL, used as typed.',
    hostLabel: 'Host',
    defaults: () => ({}),
  },
};

// Each target keeps what was typed for it, so switching back and forth
// loses nothing.
const perTarget = new Map(Object.keys(TARGETS).map((t) => [t, TARGETS[t].defaults()]));
let target = 'emulator';

function currentTarget() {
  return form.elements.target.value;
}

function saveTargetFields(t) {
  if (t === 'url') return;
  perTarget.set(t, {
    secure: ui.secure.checked,
    host: ui.host.value,
    port: ui.port.value,
    prefix: ui.prefix.value,
    appId: ui.appId.value,
    params: readParams(),
  });
}

function loadTargetFields(t) {
  const s = perTarget.get(t);
  if (t === 'url') return;
  ui.secure.checked = !!s.secure;
  ui.host.value = s.host;
  ui.port.value = s.port;
  ui.prefix.value = s.prefix;
  ui.appId.value = s.appId;
  ui.params.textContent = '';
  for (const [k, v] of s.params) addParamRow(k, v);
}

function applyTarget(t) {
  target = t;
  ui.targetHint.textContent = TARGETS[t].hint;
  ui.hostLabel.textContent = TARGETS[t].hostLabel;
  ui.host.placeholder = t === 'cloud' ? 'your-tenant.eu.qlikcloud.com' : 'host or host:port';
  ui.appId.placeholder = t === 'emulator' ? 'Sales' : t === 'cloud' ? 'app GUID' : 'none';
  updateVisibility();
}

function updateVisibility() {
  for (const node of form.querySelectorAll('[data-for]')) {
    const show = node.dataset.for.split(' ').includes(target);
    const session = node.hasAttribute('data-session') && !ui.sessionApp.checked;
    const noSession = node.hasAttribute('data-hide-session') && ui.sessionApp.checked;
    node.hidden = !show || session || noSession;
  }
  for (const node of form.querySelectorAll('[data-hide-url]')) node.hidden = target === 'url';
}

let paramSeq = 0;
function addParamRow(key = '', value = '') {
  const n = ++paramSeq;
  const li = document.createElement('li');
  li.className = 'param-row';
  li.innerHTML = `
    <label class="visually-hidden" for="pk${n}">Parameter name</label>
    <input id="pk${n}" class="pk" type="text" placeholder="name" spellcheck="false" autocomplete="off" />
    <span aria-hidden="true">=</span>
    <label class="visually-hidden" for="pv${n}">Parameter value</label>
    <input id="pv${n}" class="pv" type="text" placeholder="value" spellcheck="false" autocomplete="off" />
    <button type="button" class="icon remove" aria-label="Remove parameter">✕</button>`;
  li.querySelector('.pk').value = key;
  li.querySelector('.pv').value = value;
  li.querySelector('.remove').addEventListener('click', () => {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    (next ? next.querySelector('.pk') : ui.addParam).focus();
    schedulePreview();
  });
  ui.params.append(li);
  return li;
}

function readParams() {
  return [...ui.params.querySelectorAll('.param-row')].map((li) => [li.querySelector('.pk').value, li.querySelector('.pv').value]);
}

/** hostOnly strips a pasted scheme and path, which the URL builder would refuse. */
function hostOnly(v) {
  return v
    .trim()
    .replace(/^(https?|wss?):\/\//i, '')
    .replace(/\/.*$/, '');
}

/** urlConfig is the buildURL config of the form (null in URL mode). */
function urlConfig() {
  if (target === 'url') return null;
  const c = { secure: target === 'cloud' ? true : ui.secure.checked, host: hostOnly(ui.host.value) };
  if (target === 'core' && ui.port.value) c.port = Number(ui.port.value);
  if (target !== 'cloud' && ui.prefix.value.trim()) c.prefix = ui.prefix.value.trim();
  if (ui.sessionApp.checked) {
    c.sessionApp = true;
    if (ui.sessionAppId.value.trim()) c.sessionAppId = ui.sessionAppId.value.trim();
    if (ui.templateAppId.value.trim()) c.templateAppId = ui.templateAppId.value.trim();
  } else if (ui.appId.value.trim()) c.appId = ui.appId.value.trim();
  if (ui.identity.value.trim()) c.identity = ui.identity.value.trim();
  if (ui.ttl.value !== '') c.ttl = Number(ui.ttl.value);
  const params = readParams().filter(([k, v]) => k.trim() || v);
  if (params.length) c.params = params.map(([k, v]) => [k.trim(), v]);
  return c;
}

let previewSeq = 0;
let previewScheduled = false;
let currentURL = '';

function schedulePreview() {
  if (previewScheduled) return;
  previewScheduled = true;
  queueMicrotask(() => {
    previewScheduled = false;
    updatePreview();
  });
}

async function updatePreview() {
  const seq = ++previewSeq;
  const cfg = urlConfig();
  if (!cfg) {
    currentURL = ui.rawURL.value.trim();
    showURLError('');
    return;
  }
  if (!cfg.host) {
    currentURL = '';
    ui.preview.textContent = '';
    showURLError(target === 'cloud' ? 'Type the tenant host, e.g. your-tenant.eu.qlikcloud.com.' : 'Type the engine host.');
    return;
  }
  if (ui.ttl.value !== '' && !Number.isInteger(cfg.ttl)) {
    currentURL = '';
    ui.preview.textContent = '';
    showURLError('TTL is a whole number of seconds (-1 keeps the session forever).');
    return;
  }
  try {
    const url = await buildURL(cfg, { worker: ui.worker.checked });
    if (seq !== previewSeq) return; // a newer edit won
    currentURL = url;
    ui.preview.textContent = url;
    showURLError('');
  } catch (err) {
    if (seq !== previewSeq) return;
    currentURL = '';
    ui.preview.textContent = '';
    showURLError(err.message.replace(/^failed to build URL: /, ''));
  }
}

function showURLError(text) {
  ui.urlError.hidden = !text;
  ui.urlError.textContent = text;
  ui.preview.closest('.preview').classList.toggle('invalid', !!text);
  setConnectEnabled();
}

form.addEventListener('input', (e) => {
  if (e.target.name === 'target') return;
  if (e.target === ui.sessionApp) return;
  schedulePreview();
});

form.addEventListener('change', (e) => {
  if (e.target.name === 'target') {
    const prev = target;
    const next = currentTarget();
    if (next === 'url' && currentURL) ui.rawURL.value = currentURL;
    saveTargetFields(prev);
    if (next !== 'url') loadTargetFields(next);
    applyTarget(next);
    schedulePreview();
    return;
  }
  if (e.target === ui.sessionApp) {
    // A fixed id keeps the preview (and the URL connected to) stable
    // instead of a new random UUID on every keystroke.
    if (ui.sessionApp.checked && !ui.sessionAppId.value) ui.sessionAppId.value = crypto.randomUUID();
    updateVisibility();
    schedulePreview();
  }
});

ui.addParam.addEventListener('click', () => {
  addParamRow().querySelector('.pk').focus();
  schedulePreview();
});

// ------------------------------------------------------------- schema

let schema = null;
const schemaReady = fetch(SCHEMA_URL)
  .then(async (res) => {
    if (!res.ok) throw new Error((await explainMissing([SCHEMA_URL])) || `HTTP ${res.status}`);
    return res.json();
  })
  .then((s) => (schema = s))
  .catch((err) => {
    ui.paramHelp.textContent = `The method schema did not load: ${err.message} Type method names instead.`;
    return null;
  });

function methodsOf(type) {
  const cls = schema && schema.structs && schema.structs[type];
  return cls ? Object.keys(cls).sort() : [];
}

function methodDef(type, method) {
  return schema && schema.structs && schema.structs[type] && schema.structs[type][method];
}

// ------------------------------------------------------------- session

let session = null;
const log = new TrafficLog({ limit: 5000 });
const panel = new TrafficPanel($('traffic'), log, { importable: true, fileName: 'qix-console.socket.traffic' });
// The panel's own counter sits in the card heading.
$('traffic-count').append(panel.count);

let selected = null; // the QixObject the call form targets
const known = new WeakSet(); // objects we listen to
const changedCount = new WeakMap();
let freshObject = null;

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
  ui.state.dataset.state = state;
  ui.state.textContent = state === 'idle' ? 'Not connected' : state.charAt(0).toUpperCase() + state.slice(1);
}

function setConnectEnabled() {
  const busy = session && ['created', 'open', 'suspended', 'resuming', 'closing'].includes(session.state);
  const haveURL = target === 'url' ? !!ui.rawURL.value.trim() : !!currentURL && ui.urlError.hidden;
  ui.connect.disabled = !!busy || !haveURL;
}

function updateControls() {
  const st = session ? session.state : 'none';
  ui.suspend.disabled = st !== 'open';
  ui.resume.disabled = st !== 'suspended';
  ui.onlyAttached.disabled = st !== 'suspended';
  ui.close.disabled = st !== 'open' && st !== 'suspended';
  const canCall = !!selected && (st === 'open' || st === 'suspended' || st === 'resuming');
  ui.send.disabled = !canCall;
  ui.method.disabled = !selected;
  ui.paramsJSON.disabled = !selected;
  ui.resetParams.disabled = !selected;
  setConnectEnabled();
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (target === 'url') currentURL = ui.rawURL.value.trim();
  if (!currentURL) return;
  await connect(currentURL);
});

async function connect(url) {
  ui.connectError.hidden = true;
  ui.closeInfo.hidden = true;
  const s = create({ url, worker: ui.worker.checked, protocol: { delta: ui.delta.checked } });
  session = s;
  // Listen before open(): the Go side only forwards traffic it was asked for.
  log.attach(s, String(Date.now()));
  s.on('suspended', (evt) => {
    if (s !== session) return;
    setStatus('suspended', `Suspended (${evt.initiator === 'manual' ? 'by you' : `socket lost, code ${evt.code}`}) · ${redactString(url)}`);
    renderHandles();
    updateControls();
  });
  s.on('resumed', () => {
    if (s !== session) return;
    setStatus('open', `Open · ${redactString(url)}`);
    renderHandles();
    updateControls();
  });
  s.on('closed', (evt) => {
    if (s !== session) return;
    showClosed(evt);
    setStatus('closed', `Closed · code ${evt.code}${evt.reason ? ` · ${evt.reason}` : ''}`);
    selected = null;
    renderHandles();
    renderMethods();
    updateControls();
  });
  setStatus('connecting', `Connecting · ${redactString(url)}`);
  ui.state.textContent = 'Connecting…';
  updateControls();
  const t0 = performance.now();
  let global;
  try {
    global = await s.open();
  } catch (err) {
    if (s !== session) return;
    setStatus('failed', 'Connection failed');
    ui.connectError.hidden = false;
    ui.connectError.textContent = `Could not connect: ${describeError(err)}`;
    updateControls();
    return;
  }
  if (s !== session) return;
  const ms = performance.now() - t0;
  setStatus('open', `Open · ${redactString(url)}`);
  ui.sessionInfo.textContent = `${ui.worker.checked ? 'worker' : 'main thread'} · opened in ${Math.round(ms)} ms`;
  selected = global;
  renderHandles();
  await schemaReady;
  renderMethods();
  updateControls();
  if (ui.openApp.checked && target !== 'url') await openApp(global);
}

/** openApp opens what the URL names, so the Doc handle is there to explore. */
async function openApp(global) {
  const cfg = urlConfig();
  if (!cfg) return;
  let method;
  let args;
  if (cfg.sessionApp) {
    method = cfg.templateAppId ? 'CreateSessionAppFromApp' : 'CreateSessionApp';
    args = cfg.templateAppId ? [cfg.templateAppId] : [];
  } else if (cfg.appId) {
    method = 'OpenDoc';
    args = [cfg.appId];
  } else return;
  await runCall(global, method, args, { select: true });
}

ui.suspend.addEventListener('click', async () => {
  if (!session) return;
  ui.suspend.disabled = true;
  try {
    await session.suspend();
  } catch (err) {
    showResultError('Suspend', err);
  }
  updateControls();
});

ui.resume.addEventListener('click', async () => {
  if (!session) return;
  ui.resume.disabled = true;
  setStatus('resuming', 'Resuming…');
  try {
    await session.resume(ui.onlyAttached.checked);
  } catch (err) {
    if (session.state === 'suspended') setStatus('suspended', 'Suspended · resume failed');
    showResultError('Resume', err);
  }
  updateControls();
});

ui.close.addEventListener('click', async () => {
  if (!session) return;
  ui.close.disabled = true;
  try {
    await session.close();
  } catch (err) {
    showResultError('Close', err);
  }
  updateControls();
});

const CLOSE_MEANING = {
  1000: 'normal closure',
  1001: 'going away',
  1005: 'no code given',
  1006: 'abnormal closure: the socket dropped without a close frame',
  1008: 'policy violation',
  1011: 'server error',
};

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
  const rows = [['Code', String(evt.code)], ['Reason', evt.reason || '(none)']];
  if (evt.error && evt.error.qepCode) rows.push(['QEP code', evt.error.qepCode]);
  if (evt.error && evt.error.traceId) rows.push(['Trace id', evt.error.traceId]);
  box.append(definitionList(rows, 'close-code close-reason close-qep close-trace'.split(' ')));
}

function definitionList(rows, classes = []) {
  const dl = document.createElement('dl');
  dl.className = 'kv';
  rows.forEach(([k, v], i) => {
    const div = document.createElement('div');
    if (classes[i]) div.className = classes[i];
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    div.append(dt, dd);
    dl.append(div);
  });
  return dl;
}

// ------------------------------------------------------------- handles

function watch(obj) {
  if (known.has(obj)) return;
  known.add(obj);
  obj.on('changed', () => {
    changedCount.set(obj, (changedCount.get(obj) || 0) + 1);
    const row = ui.handles.querySelector(`[data-key="${CSS.escape(keyOf(obj))}"] .changed`);
    if (row) {
      row.hidden = false;
      row.textContent = `changed ×${changedCount.get(obj)}`;
    }
  });
  obj.on('closed', () => {
    if (selected === obj) {
      selected = session && session.objects.get(-1) ? session.objects.get(-1) : null;
      renderMethods();
    }
    renderHandles();
    updateControls();
  });
}

// Handles change on resume; the row key must follow the object instead.
const keys = new WeakMap();
let keySeq = 0;
function keyOf(obj) {
  let k = keys.get(obj);
  if (!k) keys.set(obj, (k = `o${++keySeq}`));
  return k;
}

function renderHandles() {
  const objs = session ? [...session.objects.values()].sort((a, b) => a.handle - b.handle) : [];
  const focusedKey = document.activeElement && document.activeElement.name === 'handle' ? document.activeElement.value : null;
  for (const row of ui.handles.querySelectorAll('.handle-row')) row.remove();
  ui.handlesEmpty.hidden = objs.length > 0;
  if (!objs.length) ui.handlesEmpty.textContent = session ? 'No open handles: the session is closed.' : "Connect to see the session's handles.";
  const suspended = session && session.state === 'suspended';
  for (const obj of objs) {
    watch(obj);
    const key = keyOf(obj);
    const label = document.createElement('label');
    label.className = 'handle-row';
    label.dataset.key = key;
    label.dataset.handle = String(obj.handle);
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'handle';
    input.value = key;
    input.checked = obj === selected;
    input.addEventListener('change', () => {
      if (!input.checked) return;
      selected = obj;
      renderMethods();
      updateControls();
    });
    const h = span('h', String(obj.handle));
    const type = span('type', obj.type);
    const gt = span('gt', obj.genericType && obj.genericType !== obj.type ? obj.genericType : '');
    const id = span('id', obj.id && obj.id !== obj.type ? obj.id : '');
    id.title = obj.id || '';
    if (obj === freshObject) gt.append(span('new', 'new'));
    const changed = span('changed', changedCount.get(obj) ? `changed ×${changedCount.get(obj)}` : '');
    changed.hidden = !changedCount.get(obj);
    label.append(input, h, type, gt, id, changed);
    if (suspended) label.classList.add('suspended');
    ui.handles.append(label);
    if (focusedKey === key) input.focus();
  }
  if (selected && !objs.includes(selected)) selected = objs[0] || null;
  updateCallTarget();
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

function updateCallTarget() {
  ui.callTarget.textContent = selected ? `handle ${selected.handle} · ${selected.type}${selected.genericType && selected.genericType !== selected.type ? ` (${selected.genericType})` : ''}${selected.id && selected.id !== selected.type ? ` · ${selected.id}` : ''}` : 'no handle';
}

// ------------------------------------------------------------- methods

let renderedType = null;

function renderMethods() {
  updateCallTarget();
  const type = selected ? selected.type : null;
  if (type === renderedType && ui.method.options.length) return;
  renderedType = type;
  const prev = ui.method.value;
  ui.method.textContent = '';
  if (!type) {
    ui.paramHelp.textContent = '';
    ui.paramsJSON.value = '';
    return;
  }
  const names = methodsOf(type);
  for (const name of names) ui.method.append(new Option(name, name));
  ui.method.append(new Option('Other method…', OTHER));
  const preferred = [prev, 'GetLayout', 'GetAppLayout', 'EngineVersion'].find((m) => names.includes(m));
  ui.method.value = preferred || (names.length ? names[0] : OTHER);
  onMethodChange();
}

function currentMethod() {
  return ui.method.value === OTHER ? ui.customMethod.value.trim() : ui.method.value;
}

function onMethodChange() {
  const custom = ui.method.value === OTHER;
  ui.customField.hidden = !custom;
  fillParams();
}

/** fillParams writes the method's required In params with their schema defaults. */
function fillParams() {
  ui.paramsError.hidden = true;
  ui.paramHelp.textContent = '';
  const def = selected && methodDef(selected.type, currentMethod());
  if (!def) {
    // Unknown to the schema: the bridge sends an array as it is.
    ui.paramsJSON.value = '[]';
    if (ui.method.value === OTHER) ui.paramHelp.append(span('muted', 'Methods outside the schema take positional params: a JSON array.'));
    return;
  }
  const params = {};
  for (const p of def.In) if (!p.Optional) params[p.Name] = p.DefaultValue;
  ui.paramsJSON.value = JSON.stringify(params, null, 2);
  if (!def.In.length) {
    ui.paramHelp.append(span('muted', `${currentMethod()} takes no params.`));
    return;
  }
  const list = document.createElement('ul');
  list.className = 'in-list';
  list.setAttribute('aria-label', 'Params of the method');
  for (const p of def.In) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = p.Name;
    li.append(code);
    if (p.Optional) {
      const add = document.createElement('button');
      add.type = 'button';
      add.className = 'chip';
      add.textContent = '+ add';
      add.setAttribute('aria-label', `Add the optional param ${p.Name}`);
      add.addEventListener('click', () => addOptional(p));
      li.append(span('opt', 'optional'), add);
    }
    li.append(span('def muted', ` default ${short(JSON.stringify(p.DefaultValue))}`));
    list.append(li);
  }
  ui.paramHelp.append(list);
}

function short(s) {
  return s.length > 48 ? `${s.slice(0, 45)}…` : s;
}

function addOptional(p) {
  let obj;
  try {
    obj = JSON.parse(ui.paramsJSON.value || '{}');
  } catch (err) {
    showParamsError(`Params are not valid JSON: ${err.message}`);
    return;
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    showParamsError('Optional params can be added to a params object, not an array.');
    return;
  }
  // Keep schema order: the engine maps named params by position anyway, but
  // people read them in that order.
  const def = methodDef(selected.type, currentMethod());
  const out = {};
  for (const q of def.In) {
    if (q.Name in obj) out[q.Name] = obj[q.Name];
    else if (q.Name === p.Name) out[q.Name] = q.DefaultValue;
  }
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  ui.paramsJSON.value = JSON.stringify(out, null, 2);
  ui.paramsJSON.focus();
}

function showParamsError(text) {
  ui.paramsError.hidden = !text;
  ui.paramsError.textContent = text;
}

ui.method.addEventListener('change', onMethodChange);
ui.customMethod.addEventListener('change', fillParams);
ui.resetParams.addEventListener('click', fillParams);

ui.paramsJSON.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    ui.callForm.requestSubmit();
  }
});

ui.callForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!selected) return;
  const method = currentMethod();
  if (!method) {
    showParamsError('Type a method name.');
    ui.customMethod.focus();
    return;
  }
  let parsed;
  const text = ui.paramsJSON.value.trim();
  try {
    parsed = text ? JSON.parse(text) : [];
  } catch (err) {
    showParamsError(`Params are not valid JSON: ${err.message}`);
    return;
  }
  if (parsed === null || typeof parsed !== 'object') {
    showParamsError('Params must be a JSON object (named) or array (positional).');
    return;
  }
  showParamsError('');
  // An object goes as the one argument: the Go side maps its keys to the
  // method's In params (enigma.js named params). An array is positional.
  const args = Array.isArray(parsed) ? parsed : [parsed];
  await runCall(selected, method, args);
});

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
    showResult(method, handle, ms, value);
    if (value instanceof QixObject) {
      freshObject = value;
      if (select) selected = value;
    }
  } catch (err) {
    if (seq !== callSeq) return;
    showResultError(method, err, handle, performance.now() - t0);
  } finally {
    ui.send.removeAttribute('aria-busy');
    renderHandles();
    renderMethods();
    updateControls();
  }
}

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
  ui.resultLine.textContent = `✗ ${method}${handle !== undefined ? ` on handle ${handle}` : ''}${ms !== undefined ? ` · ${fmtMs(ms)}` : ''} · ${kindLabel(err)} error ${err.code ?? ''}`.trim();
  ui.resultJSON.hidden = true;
  const box = ui.resultError;
  box.hidden = false;
  box.textContent = '';
  const head = document.createElement('p');
  head.className = 'err-head';
  head.textContent = err.message || String(err);
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

const KIND = { engine: 'Engine', close: 'Socket closed', client: 'Client' };
function kindLabel(err) {
  return KIND[err.kind] || 'Error';
}

function describeError(err) {
  const parts = [err.message || String(err)];
  if (err.code !== undefined) parts.push(`code ${err.code}`);
  if (err.reason) parts.push(`reason ${err.reason}`);
  return parts.join(' · ');
}

function fmtMs(ms) {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

// ------------------------------------------------------------- start

function init() {
  // ?url=ws://… opens the console on that URL (links from other pages).
  const q = new URLSearchParams(location.search);
  const given = q.get('url');
  if (given) {
    form.elements.target.value = 'url';
    ui.rawURL.value = given;
  }
  loadTargetFields('emulator');
  applyTarget(currentTarget());
  updateControls();
  schedulePreview();
}

init();

// For tests and for poking from the devtools console.
window.qixConsole = {
  get session() {
    return session;
  },
  get log() {
    return log;
  },
};
