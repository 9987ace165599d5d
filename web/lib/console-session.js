// console-session: the console's session controls. Connect creates and
// opens a qix-wasm session on the form's URL (its traffic goes to the log
// before open(), since the Go side forwards only what was asked for);
// Suspend, Resume (optionally only the attached objects) and Close drive it;
// the status line and the buttons follow its state. URLs are shown
// redacted.
import { create } from '/qix.js';
import { redactString } from './redact.js';

const LIVE = ['created', 'open', 'suspended', 'resuming', 'closing'];

/**
 * sessionControls binds the connect form and the session buttons.
 * deps: urlForm (console-url.js), results (console-results.js), log (the
 * TrafficLog), refresh() re-renders handles and methods, onOpen(global, url)
 * runs once a session is open.
 */
export function sessionControls(ui, ctx, { urlForm, results, log, refresh, onOpen }) {
  function setStatus(state, text) {
    ui.status.dataset.state = state;
    ui.status.textContent = redactString(text);
    ui.state.dataset.state = state;
    ui.state.textContent = state === 'idle' ? 'Not connected' : state.charAt(0).toUpperCase() + state.slice(1);
  }

  function updateControls() {
    const st = ctx.session ? ctx.session.state : 'none';
    ui.suspend.disabled = st !== 'open';
    ui.resume.disabled = st !== 'suspended';
    ui.onlyAttached.disabled = st !== 'suspended';
    ui.close.disabled = st !== 'open' && st !== 'suspended';
    const canCall = !!ctx.selected && (st === 'open' || st === 'suspended' || st === 'resuming');
    ui.send.disabled = !canCall;
    ui.method.disabled = !ctx.selected;
    ui.paramsJSON.disabled = !ctx.selected;
    ui.resetParams.disabled = !ctx.selected;
    ui.connect.disabled = (!!ctx.session && LIVE.includes(ctx.session.state)) || !urlForm.ready;
  }

  async function connect(url) {
    ui.connectError.hidden = true;
    ui.closeInfo.hidden = true;
    const s = create({ url, worker: ui.worker.checked, protocol: { delta: ui.delta.checked } });
    ctx.session = s;
    // Listen before open(): the Go side only forwards traffic it was asked for.
    log.attach(s, String(Date.now()));
    s.on('suspended', (evt) => {
      if (s !== ctx.session) return;
      setStatus('suspended', `Suspended (${evt.initiator === 'manual' ? 'by you' : `socket lost, code ${evt.code}`}) · ${url}`);
      refresh();
      updateControls();
    });
    s.on('resumed', () => {
      if (s !== ctx.session) return;
      setStatus('open', `Open · ${url}`);
      refresh();
      updateControls();
    });
    s.on('closed', (evt) => {
      if (s !== ctx.session) return;
      results.showClosed(evt);
      setStatus('closed', `Closed · code ${evt.code}${evt.reason ? ` · ${evt.reason}` : ''}`);
      ctx.selected = null;
      refresh();
      updateControls();
    });
    setStatus('connecting', `Connecting · ${url}`);
    ui.state.textContent = 'Connecting…';
    updateControls();
    const t0 = performance.now();
    let global;
    try {
      global = await s.open();
    } catch (err) {
      if (s !== ctx.session) return;
      setStatus('failed', 'Connection failed');
      results.showConnectError(err);
      updateControls();
      return;
    }
    if (s !== ctx.session) return;
    const ms = performance.now() - t0;
    setStatus('open', `Open · ${url}`);
    ui.sessionInfo.textContent = `${ui.worker.checked ? 'worker' : 'main thread'} · opened in ${Math.round(ms)} ms`;
    ctx.selected = global;
    await onOpen(global, url);
  }

  ui.connectForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const url = urlForm.url;
    if (!url) return;
    await connect(url);
  });

  ui.suspend.addEventListener('click', async () => {
    if (!ctx.session) return;
    ui.suspend.disabled = true;
    try {
      await ctx.session.suspend();
    } catch (err) {
      results.showResultError('Suspend', err);
    }
    updateControls();
  });

  ui.resume.addEventListener('click', async () => {
    if (!ctx.session) return;
    ui.resume.disabled = true;
    setStatus('resuming', 'Resuming…');
    try {
      await ctx.session.resume(ui.onlyAttached.checked);
    } catch (err) {
      if (ctx.session.state === 'suspended') setStatus('suspended', 'Suspended · resume failed');
      results.showResultError('Resume', err);
    }
    updateControls();
  });

  ui.close.addEventListener('click', async () => {
    if (!ctx.session) return;
    ui.close.disabled = true;
    try {
      await ctx.session.close();
    } catch (err) {
      results.showResultError('Close', err);
    }
    updateControls();
  });

  return { updateControls, setStatus };
}
