// console-url: the console's URL form. Four targets (this server's
// emulator, Qlik Core, Qlik Cloud, a raw URL), each keeping what was typed
// for it; the preview is the Go URL builder's own output (buildURL), so
// what is shown is what connect() uses.
import { buildURL } from '/qix.js';

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
  // Each target keeps what was typed for it, so switching back and forth
  // loses nothing.
  const perTarget = new Map(Object.keys(TARGETS).map((t) => [t, TARGETS[t].defaults()]));
  let target = 'emulator';
  let previewSeq = 0;
  let previewScheduled = false;
  let currentURL = '';
  let paramSeq = 0;

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

  return {
    /** init shows the form for ?url= (URL mode) or the emulator. */
    init(givenURL) {
      if (givenURL) {
        form.elements.target.value = 'url';
        ui.rawURL.value = givenURL;
      }
      loadTargetFields('emulator');
      applyTarget(form.elements.target.value);
      schedulePreview();
    },
    get target() {
      return target;
    },
    /** url is what Connect uses: the typed URL in URL mode, else the preview. */
    get url() {
      return target === 'url' ? ui.rawURL.value.trim() : currentURL;
    },
    /** ready is true when there is a URL to connect to. */
    get ready() {
      return target === 'url' ? !!ui.rawURL.value.trim() : !!currentURL && ui.urlError.hidden;
    },
    urlConfig,
  };
}
