// The traffic inspector page: its own session (pages cannot share a socket
// across tabs), a sample call sequence that works on any app, and the
// traffic panel from lib/traffic.js. The console embeds the same panel.
import { create } from '/qix.js';
import { TrafficLog, TrafficPanel, redactString } from '/lib/traffic.js';
import { appIdOf, openApp } from '/lib/open-app.js';
import { secretInput } from '/lib/secret-input.js';

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  form: $('connect-form'),
  url: $('url'),
  connect: $('connect'),
  disconnect: $('disconnect'),
  sample: $('sample'),
  sampleLine: $('sample-line'),
  error: $('error'),
};
// The Engine URL shows its tickets and tokens only while being edited.
const engineURL = secretInput(ui.url);

const log = new TrafficLog({ limit: 5000 });
const panel = new TrafficPanel($('traffic'), log, { importable: true, fileName: 'qix-inspector.socket.traffic' });

let session = null;
let global = null;

function defaultURL() {
  const ws = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${ws}//${location.host}/app/Demo`;
}

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showError(text) {
  ui.error.hidden = !text;
  ui.error.textContent = text;
}

/** describe is an error as one line, secrets redacted (messages can echo the URL). */
function describe(err) {
  const parts = [err.message || String(err)];
  if (err.code !== undefined) parts.push(`code ${err.code}`);
  if (err.parameter) parts.push(`parameter ${err.parameter}`);
  if (err.reason) parts.push(`reason ${err.reason}`);
  return redactString(parts.join(' · '));
}

function updateControls() {
  const st = session ? session.state : 'none';
  const live = st === 'open' || st === 'suspended' || st === 'resuming' || st === 'created';
  ui.connect.disabled = live;
  ui.disconnect.disabled = !(st === 'open' || st === 'suspended');
  ui.sample.disabled = st !== 'open' || running;
}

ui.form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const url = engineURL.value.trim();
  if (!/^wss?:\/\//i.test(url)) {
    showError('The engine URL starts with ws:// or wss://.');
    ui.url.focus();
    return;
  }
  showError('');
  const s = create({ url });
  session = s;
  // Before open(): the Go side forwards only the traffic it was asked for.
  log.attach(s, String(Date.now()));
  s.on('closed', (evt) => {
    if (s !== session) return;
    setStatus('closed', redactString(`Closed · code ${evt.code}${evt.reason ? ` · ${evt.reason}` : ''}`));
    updateControls();
  });
  s.on('suspended', () => s === session && (setStatus('suspended', 'Suspended'), updateControls()));
  s.on('resumed', () => s === session && (setStatus('open', `Open · ${redactString(url)}`), updateControls()));
  setStatus('connecting', `Connecting · ${redactString(url)}`);
  updateControls();
  try {
    global = await s.open();
  } catch (err) {
    if (s !== session) return;
    setStatus('failed', 'Connection failed');
    showError(`Could not connect: ${describe(err)}`);
    updateControls();
    return;
  }
  if (s !== session) return;
  setStatus('open', `Open · ${redactString(url)}`);
  updateControls();
  ui.sample.focus();
});

ui.disconnect.addEventListener('click', async () => {
  if (session) await session.close();
  updateControls();
});

let running = false;

/**
 * runSample makes typical traffic on any app: engine version, open the
 * app, its layout, a field list, a list object on the first field, a
 * selection (change lists), a layout after it (a delta patch), a method
 * the engine does not know (an error), and a destroy (a close list).
 */
async function runSample() {
  if (!session || session.state !== 'open') return;
  running = true;
  updateControls();
  showError('');
  let doing = 'EngineVersion';
  const step = (text) => {
    doing = text.replace(/…$/, '');
    ui.sampleLine.textContent = text;
  };
  try {
    step('EngineVersion…');
    await global.engineVersion();
    const appId = appIdOf(session.config.url);
    let app = [...session.objects.values()].find((o) => o.type === 'Doc');
    if (!app) {
      if (!appId) {
        step('Done: the URL names no app, so only Global calls ran.');
        return;
      }
      step(`Opening ${appId}…`);
      app = await openApp(global, appId);
    }
    await app.getAppLayout();
    step('Reading the field list…');
    const fieldList = await app.createSessionObject({ qInfo: { qType: 'inspector-fields' }, qFieldListDef: {} });
    const fields = ((await fieldList.getLayout()).qFieldList?.qItems || []).filter((f) => !f.qIsSystem);
    await app.destroySessionObject(fieldList.id);
    if (fields.length) {
      const field = fields[0].qName;
      step(`Selecting in ${field}…`);
      const list = await app.createSessionObject({
        qInfo: { qType: 'inspector-list' },
        qListObjectDef: { qDef: { qFieldDefs: [field] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 20 }] },
      });
      const layout = await list.getLayout();
      const first = layout.qListObject?.qDataPages?.[0]?.qMatrix?.[0]?.[0];
      if (first) {
        await list.selectListObjectValues('/qListObjectDef', [first.qElemNumber], false);
        await list.getLayout();
        await app.clearAll();
      }
      await app.destroySessionObject(list.id);
    }
    await app.call('NoSuchMethod').catch(() => {});
    step(`Done: ${log.entries.length} messages so far. Pick one to read it; Export saves them redacted.`);
  } catch (err) {
    ui.sampleLine.textContent = '';
    // Says which step failed: Sample calls stopped at “Opening Demo”: ….
    showError(`Sample calls stopped at “${doing}”: ${describe(err)}`);
  } finally {
    running = false;
    updateControls();
  }
}

ui.sample.addEventListener('click', runSample);

const q = new URLSearchParams(location.search);
engineURL.value = q.get('url') || defaultURL();
updateControls();

// For tests and for poking from the devtools console.
window.qixInspector = {
  get session() {
    return session;
  },
  log,
  panel,
};
