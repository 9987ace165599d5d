// dash-nebula: the dashboard's nebula.js side. Loads stardust and Qlik's
// sn-* charts (their UMD builds from /vendor: classic scripts, since the ESM
// builds import bare specifiers the strict CSP leaves no import map for),
// opens enigma.js when the page compares clients, and renders one chart into
// a card, marking the card's state (loading, rendered, error) and naming what
// failed.
import { explainMissing } from './missing.js';
import { errorText } from './dash-util.js';

// SN_GLOBALS maps the chart types the dashboard uses to the globals their
// UMD builds set (and the /vendor file of the same name).
const SN_GLOBALS = {
  kpi: 'sn-kpi',
  barchart: 'sn-bar-chart',
  linechart: 'sn-line-chart',
  table: 'sn-table',
  filterpane: 'sn-filter-pane',
};

/**
 * loadScript appends a classic script from this origin (CSP 'self') and
 * resolves when it ran. Scripts appended with async=false run in the order
 * appended, so the charts run after stardust, which they read.
 */
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = false;
    s.onload = () => resolve();
    s.onerror = async () => reject(new Error((await explainMissing([src])) || `${src} failed to load`));
    document.head.append(s);
  });
}

/**
 * loadNebula loads stardust and the sn-* charts, all fetched at once, and
 * resolves with stardust and the types for embed().
 */
export async function loadNebula() {
  const names = Object.values(SN_GLOBALS);
  await Promise.all([loadScript('/vendor/stardust.js'), ...names.map((n) => loadScript(`/vendor/${n}.js`))]);
  if (!window.stardust) throw new Error('/vendor/stardust.js ran but set no window.stardust');
  const types = Object.entries(SN_GLOBALS).map(([name, global]) => ({
    name,
    load: () => {
      const sn = window[global];
      return sn ? Promise.resolve(sn.default || sn) : Promise.reject(new Error(`/vendor/${global}.js set no window["${global}"]`));
    },
  }));
  return { stardust: window.stardust, types };
}

/**
 * createEnigma makes an enigma.js session on url with its QIX schema, for
 * ?client=enigma (comparison and benchmarking); both come from /vendor.
 */
export async function createEnigma(url) {
  const [, schema] = await Promise.all([
    loadScript('/vendor/enigma.js'),
    fetch('/vendor/enigma.js/schemas/12.2027.0.json').then((res) => {
      if (!res.ok) throw new Error(`/vendor/enigma.js/schemas/12.2027.0.json: HTTP ${res.status} (run npm ci)`);
      return res.json();
    }),
  ]);
  if (!window.enigma) throw new Error('/vendor/enigma.js ran but set no window.enigma');
  return window.enigma.create({ schema, url });
}

/**
 * measure is a stardust field for an expression with its label and, when
 * fmt is given (e.g. '#,##0.00'), a fixed number format instead of the
 * chart's automatic one (sn-kpi then shows the engine's qText: exact figures
 * rather than 29.3M).
 */
export function measure(expr, label, fmt) {
  const qDef = { qDef: expr, qLabel: label };
  if (fmt) {
    const nDec = (fmt.split('.')[1] || '').length;
    qDef.qNumFormat = { qType: 'F', qnDec: nDec, qUseThou: 1, qFmt: fmt, qDec: '.', qThou: ',' };
    qDef.numFormatFromTemplate = false;
    qDef.isCustomFormatted = true;
  }
  return { qDef };
}

/**
 * renderChart renders chart ({ type, fields, properties }) into card's .viz
 * element. The card's data-state goes loading → rendered once the chart
 * drew (stardust's onRender), or error with the reason in the card.
 * Resolves with the viz, or null when it failed.
 */
export async function renderChart(n, card, chart) {
  const element = card.querySelector('.viz');
  const label = card.getAttribute('aria-label') || chart.type;
  const fail = (err) => {
    if (card.dataset.state === 'error') return;
    card.dataset.state = 'error';
    const box = document.createElement('div');
    box.className = 'error-box card-error';
    box.setAttribute('role', 'alert');
    box.textContent = `${label}: ${errorText(err)}`;
    card.append(box);
  };
  let drawn;
  const rendered = new Promise((resolve) => (drawn = resolve));
  try {
    const viz = await n.render({
      element,
      type: chart.type,
      fields: chart.fields,
      properties: chart.properties,
      onRender: () => drawn(),
      onError: (err) => {
        fail(err);
        drawn();
      },
    });
    // render() resolves even when the chart shows an error in its cell
    // (a failed object creation, say): a rendered chart has a model.
    if (!viz || !viz.model) throw new Error('the chart has no object (its creation failed)');
    await rendered;
    if (card.dataset.state !== 'error') card.dataset.state = 'rendered';
    return viz;
  } catch (err) {
    fail(err);
    return null;
  }
}
