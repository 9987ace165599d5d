// console-session: the console's session controls. Connect creates and
// opens a qix-wasm session on the form's URL (its traffic goes to the log
// before open(), since the Go side forwards only what was asked for);
// Suspend, Resume (optionally only the attached objects) and Close drive it;
// the status line and the buttons follow its state. URLs are shown
// redacted.
//
// The Qlik Cloud / Qlik Sense Enterprise target connects through
// /qix-auth.js: connectURL() fetches the CSRF token first, and a failed
// handshake is explained (explainSessionError: summary and likely causes)
// instead of shown as "1006". Every target refuses API keys and
// Authorization in the URL, with the reason, before dialing.
import { create } from '/qix.js';
import { connectURL, explainSessionError, refuseSecrets } from '/qix-auth.js';
import { showExplained } from './console-real.js';
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

  /** failed shows an error that stopped Connect before a session existed. */
  function failed(err) {
    setStatus('failed', 'Connection failed');
    showExplained(ui.connectError, err);
    updateControls();
  }

  /**
   * connect opens a session on url; shown is what the page may display of
   * it (redacted) and explain(err), when given, turns an open() failure
   * into an explained error.
   */
  async function connect(url, { shown = url, explain } = {}) {
    url = String(url);
    shown = redactString(shown);
    ui.connectError.hidden = true;
    ui.closeInfo.hidden = true;
    const s = create({ url, worker: ui.worker.checked, protocol: { delta: ui.delta.checked } });
    ctx.session = s;
    // Listen before open(): the Go side only forwards traffic it was asked for.
    log.attach(s, String(Date.now()));
    s.on('suspended', (evt) => {
      if (s !== ctx.session) return;
      setStatus('suspended', `Suspended (${evt.initiator === 'manual' ? 'by you' : `socket lost, code ${evt.code}`}) · ${shown}`);
      refresh();
      updateControls();
    });
    s.on('resumed', () => {
      if (s !== ctx.session) return;
      setStatus('open', `Open · ${shown}`);
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
    setStatus('connecting', `Connecting · ${shown}`);
    ui.state.textContent = 'Connecting…';
    updateControls();
    const t0 = performance.now();
    let global;
    try {
      global = await s.open();
    } catch (err) {
      if (s !== ctx.session) return;
      if (explain) {
        const explained = await explain(err);
        if (s !== ctx.session) return;
        failed(explained);
        return;
      }
      setStatus('failed', 'Connection failed');
      results.showConnectError(err);
      updateControls();
      return;
    }
    if (s !== ctx.session) return;
    const ms = performance.now() - t0;
    setStatus('open', `Open · ${shown}`);
    ui.sessionInfo.textContent = `${ui.worker.checked ? 'worker' : 'main thread'} · opened in ${Math.round(ms)} ms`;
    ctx.selected = global;
    await onOpen(global, url);
  }

  ui.connectForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    ui.connectError.hidden = true;
    if (urlForm.target === 'cloud') {
      await connectReal(urlForm.connectOptions());
      return;
    }
    const url = urlForm.url;
    if (!url) return;
    try {
      refuseSecrets({ url });
    } catch (err) {
      failed(err);
      return;
    }
    await connect(url);
  });

  /** connectReal fetches the CSRF token (qix-auth's connectURL), then connects; both explain their failures. */
  async function connectReal(opts) {
    ui.connect.disabled = true;
    setStatus('connecting', opts.csrf === false ? 'Connecting…' : 'Fetching the CSRF token…');
    let c;
    try {
      c = await connectURL(opts);
    } catch (err) {
      failed(err);
      return;
    }
    await connect(c.url, { shown: c.redactedURL, explain: (err) => explainSessionError(err, { ...opts, ...c }) });
  }

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
