// console-url: the console's URL form. Four targets (this server's
// emulator, Qlik Core, Qlik Cloud / Qlik Sense Enterprise, a raw URL), each
// keeping what was typed for it; the preview is the Go URL builder's own
// output (buildURL), so what is shown is what connect() uses. The real
// engine target's own fields and checks are in console-real.js.
import { buildURL } from '/qix.js';
import { refuseSecrets } from '/qix-auth.js';
import { realTarget } from './console-real.js';
import { redactString } from './redact.js';
import { secretInput } from './secret-input.js';

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
    hint: 'Qlik Cloud or Qlik Sense Enterprise, signed in in this browser. Connect fetches the CSRF token; API keys and Authorization are refused (a URL ends up in logs).',
    hostLabel: 'Tenant or server host',
    defaults: () => ({ secure: true, host: '', port: '', prefix: '', appId: '', params: [] }),
  },
  url: {
    hint: 'Any engine WebSocket URL, used as typed.',
    hostLabel: 'Host',
    defaults: () => ({}),
  },
};

/** hostOnly strips a pasted scheme and path, which the URL builder would refuse. */
export function hostOnly(v) {
  return v
    .trim()
    .replace(/^(https?|wss?):\/\//i, '')
    .replace(/\/.*$/, '');
}

/**
 * urlForm runs the form: onChange() is called whenever the URL or its
 * validity may have changed (to enable Connect). It returns the form's
 * current target, URL and buildURL config.
 */
export function urlForm(form, ui, { onChange = () => {} } = {}) {
  // The typed URL shows its tickets and tokens only while being edited.
  const rawURL = secretInput(ui.rawURL);
  // Each target keeps what was typed for it, so switching back and forth
  // loses nothing.
  const perTarget = new Map(Object.keys(TARGETS).map((t) => [t, TARGETS[t].defaults()]));
  let target = 'emulator';
  let previewSeq = 0;
  let previewScheduled = false;
  let currentURL = '';
  let paramSeq = 0;
  const real = realTarget(ui, { onChange: () => schedulePreview(), updateVisibility: () => updateVisibility() });

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
    ui.host.placeholder = t === 'cloud' ? 'tenant.eu.qlikcloud.com' : 'host or host:port';
    ui.appId.placeholder = t === 'emulator' ? 'Sales' : t === 'cloud' ? 'app GUID' : 'none';
    updateVisibility();
  }

  function updateVisibility() {
    for (const node of form.querySelectorAll('[data-for]')) {
      const show = node.dataset.for.split(' ').includes(target);
      // Session apps are not offered for real engines (Qlik Cloud makes them from its own API).
      const sessionApp = ui.sessionApp.checked && target !== 'cloud';
      const session = node.hasAttribute('data-session') && !sessionApp;
      const noSession = node.hasAttribute('data-hide-session') && sessionApp;
      const product = target === 'cloud' && real.hidden(node);
      node.hidden = !show || session || noSession || product;
    }
    for (const node of form.querySelectorAll('[data-hide-url]')) node.hidden = target === 'url';
  }

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

  /** urlConfig is the buildURL config of the form (null in URL mode). */
  function urlConfig() {
    if (target === 'url') return null;
    const c = { secure: target === 'cloud' ? true : ui.secure.checked, host: hostOnly(ui.host.value) };
    if (target === 'core' && ui.port.value) c.port = Number(ui.port.value);
    if (ui.prefix.value.trim()) c.prefix = ui.prefix.value.trim();
    if (target === 'cloud') return real.previewConfig(connectOptions());
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

  /** connectOptions is what qix-auth's connectURL() takes (the real engine target). */
  function connectOptions() {
    const common = { secure: ui.secure.checked, host: hostOnly(ui.host.value), appId: ui.appId.value.trim() };
    if (ui.prefix.value.trim()) common.prefix = ui.prefix.value.trim();
    if (ui.identity.value.trim()) common.identity = ui.identity.value.trim();
    if (ui.ttl.value !== '') common.ttl = Number(ui.ttl.value);
    const params = readParams().filter(([k, v]) => k.trim() || v);
    if (params.length) common.params = params.map(([k, v]) => [k.trim(), v]);
    return real.options(common);
  }

  /** refusal is why the form's parameters cannot go on a browser URL ('' when they can). */
  function refusal(cfg) {
    if (target === 'cloud') return real.check(connectOptions());
    try {
      refuseSecrets({ params: cfg.params });
    } catch (err) {
      return err.message;
    }
    return '';
  }

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
    ui.previewLabel.textContent = target !== 'cloud' ? 'URL from the Go builder' : ui.fetchCsrf.checked ? 'URL (the CSRF token is fetched on Connect)' : 'URL (no CSRF token)';
    const cfg = urlConfig();
    if (!cfg) {
      currentURL = rawURL.value.trim();
      showURLError('');
      return;
    }
    if (!cfg.host) {
      currentURL = '';
      ui.preview.textContent = '';
      showURLError(target === 'cloud' ? 'Type the tenant or server host (e.g. your-tenant.eu.qlikcloud.com), or paste an app link.' : 'Type the engine host.');
      return;
    }
    const refused = refusal(cfg);
    if (refused) {
      currentURL = '';
      ui.preview.textContent = '';
      showURLError(refused);
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
      ui.preview.textContent = redactString(url);
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
    onChange();
  }

  form.addEventListener('input', (e) => {
    if (e.target.name === 'target') return;
    if (e.target === ui.sessionApp) return;
    schedulePreview();
  });

  form.addEventListener('change', (e) => {
    if (e.target.name === 'target') {
      const prev = target;
      const next = form.elements.target.value;
      // From the real engine target only the redacted URL is copied: its ticket is never shown.
      if (next === 'url' && currentURL) rawURL.value = prev === 'cloud' ? redactString(currentURL) : currentURL;
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

  return {
    /** init shows the form for ?url= (URL mode), ?target= (emulator, core, cloud) or the emulator. */
    init(givenURL, givenTarget) {
      let first = 'emulator';
      if (givenURL) {
        form.elements.target.value = 'url';
        rawURL.value = givenURL;
      } else if (givenTarget && givenTarget !== 'url' && Object.hasOwn(TARGETS, givenTarget)) {
        form.elements.target.value = givenTarget;
        first = givenTarget;
      }
      loadTargetFields(first);
      applyTarget(form.elements.target.value);
      schedulePreview();
    },
    get target() {
      return target;
    },
    /** url is what Connect uses: the typed URL in URL mode, else the preview. */
    get url() {
      return target === 'url' ? rawURL.value.trim() : currentURL;
    },
    /** ready is true when there is a URL to connect to. */
    get ready() {
      return target === 'url' ? !!rawURL.value.trim() : !!currentURL && ui.urlError.hidden;
    },
    urlConfig,
    connectOptions,
  };
}
