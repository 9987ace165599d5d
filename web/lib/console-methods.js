// console-methods: the console's method form. The method list is the QIX
// schema's methods of the picked object's type (plus "Other method…" for
// names outside it); the params box is filled with the method's required
// In params and their defaults, optional ones added on demand. Send parses
// the JSON and hands the call to onCall.
import { explainMissing } from './missing.js';
import { span } from './console-results.js';

const SCHEMA_URL = '/vendor/schemas/12.2027.0.json';
const OTHER = '__other__';

/** methodForm binds the call form; ctx.selected is the object it targets. */
export function methodForm(ui, ctx, { onCall }) {
  let schema = null;
  let renderedType = null;

  const schemaReady = fetch(SCHEMA_URL)
    .then(async (res) => {
      if (!res.ok) throw new Error((await explainMissing([SCHEMA_URL])) || `HTTP ${res.status}`);
      return res.json();
    })
    .then((s) => (schema = s))
    .catch((err) => {
      ui.paramHelp.textContent = `The method schema (${SCHEMA_URL}) did not load: ${err.message} Type method names instead.`;
      return null;
    });

  function methodsOf(type) {
    const cls = schema && schema.structs && schema.structs[type];
    return cls ? Object.keys(cls).sort() : [];
  }

  function methodDef(type, method) {
    return schema && schema.structs && schema.structs[type] && schema.structs[type][method];
  }

  /** render lists the methods of the selected object's type (kept while the type stays). */
  function render() {
    const type = ctx.selected ? ctx.selected.type : null;
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
    ui.customField.hidden = ui.method.value !== OTHER;
    fillParams();
  }

  /** fillParams writes the method's required In params with their schema defaults. */
  function fillParams() {
    ui.paramsError.hidden = true;
    ui.paramHelp.textContent = '';
    const def = ctx.selected && methodDef(ctx.selected.type, currentMethod());
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
    const def = methodDef(ctx.selected.type, currentMethod());
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
    if (!ctx.selected) return;
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
    await onCall(ctx.selected, method, args);
  });

  return { render, schemaReady };
}

function short(s) {
  return s.length > 48 ? `${s.slice(0, 45)}…` : s;
}
