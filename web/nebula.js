// nebula.js test page: Qlik's own charts (stardust embed + the sn-* charts)
// drawn from an enigma.js Doc and from a qix-wasm Doc, side by side on one
// engine session, so what each client gives nebula.js can be compared.
//
//   /nebula                        both columns, enigma.js left, qix-wasm right
//   /nebula?client=enigma|qix      one column
//   &mode=main                     qix-wasm in main-thread mode (default: worker)
//   &identity=ID                   join that engine session (default: a fresh one)
//   &charts=kpi,barchart           only these charts
//
// Each chart card carries data-chart and data-state (loading, rendered,
// error); window.nebulaPage exposes the embeds and objects for tests.
import { create as createQix, buildURL } from '/qix.js';

const params = new URLSearchParams(location.search);
const client = params.get('client') || 'both';
const mode = params.get('mode') === 'main' ? 'main' : 'worker';
const identity = params.get('identity') || `nebula-${Math.random().toString(36).slice(2, 10)}`;
const status = document.querySelector('#status');

// CHARTS are what the page renders: one of each sn-* chart on the Sales app.
// fields are stardust's shorthand: a field name is a dimension, '=expr' a
// measure.
export const CHARTS = [
  { type: 'kpi', title: 'KPI: total sales', fields: ['=Sum(Sales)'] },
  { type: 'filterpane', title: 'Filter pane: Region', fields: ['Region'] },
  { type: 'barchart', title: 'Bar chart: sales by region', fields: ['Region', '=Sum(Sales)'] },
  { type: 'linechart', title: 'Line chart: sales by year', fields: ['Year', '=Sum(Sales)'] },
  { type: 'piechart', title: 'Pie chart: sales by category', fields: ['Category', '=Sum(Sales)'] },
  {
    type: 'combochart',
    title: 'Combo chart: sales and quantity by region',
    fields: ['Region', '=Sum(Sales)', '=Sum(Quantity)'],
  },
  { type: 'table', title: 'Table: region, category, sales', fields: ['Region', 'Category', '=Sum(Sales)'] },
  { type: 'pivot-table', title: 'Pivot table: region × category', fields: ['Region', 'Category', '=Sum(Sales)'] },
  {
    type: 'scatterplot',
    title: 'Scatter plot: customers, sales vs quantity',
    fields: ['Customer', '=Sum(Sales)', '=Sum(Quantity)'],
  },
];

// TYPES maps the chart types to the UMD globals the page's classic scripts set.
const TYPES = [
  ['kpi', 'sn-kpi'],
  ['barchart', 'sn-bar-chart'],
  ['linechart', 'sn-line-chart'],
  ['piechart', 'sn-pie-chart'],
  ['combochart', 'sn-combo-chart'],
  ['table', 'sn-table'],
  ['pivot-table', 'sn-pivot-table'],
  ['scatterplot', 'sn-scatter-plot'],
  ['filterpane', 'sn-filter-pane'],
].map(([name, global]) => ({
  name,
  load: () => {
    const sn = window[global];
    if (!sn) return Promise.reject(new Error(`/vendor/${global}.js did not load (run npm ci)`));
    return Promise.resolve(sn.default || sn);
  },
}));

async function engineURL() {
  return buildURL({ host: location.host, secure: location.protocol === 'https:', appId: 'Sales', identity });
}

// openEnigma opens the Sales app through enigma.js with its QIX schema.
async function openEnigma() {
  if (!window.enigma) throw new Error('/vendor/enigma.js did not load (run npm ci)');
  const schema = await (await fetch('/vendor/enigma.js/schemas/12.2027.0.json')).json();
  const session = window.enigma.create({ schema, url: await engineURL() });
  const global = await session.open();
  return { session, app: await global.openDoc('Sales') };
}

// openQix opens the Sales app through qix-wasm, in a worker or on this thread.
async function openQix() {
  const session = createQix({ url: await engineURL(), worker: mode !== 'main' });
  const global = await session.open();
  return { session, app: await global.openDoc('Sales') };
}

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
}

const only = params.get('charts')?.split(',');

// column renders every chart of CHARTS for one client into its own column.
async function column(name, label, open) {
  const toolbar = el('div', { className: 'nebula-toolbar' });
  const col = el('section', { className: 'nebula-column' }, el('h2', { textContent: label }), toolbar);
  col.dataset.client = name;
  document.querySelector('#columns').append(col);
  const cards = CHARTS.filter((c) => !only || only.includes(c.type)).map((c) => {
    const chart = el('div', { className: 'nebula-chart' });
    const card = el('article', { className: 'nebula-card' }, el('h3', { textContent: c.title }), chart);
    card.dataset.chart = c.type;
    card.dataset.state = 'loading';
    col.append(card);
    return { c, card, chart };
  });
  const entry = { vizs: {}, errors: {} };
  window.nebulaPage.columns[name] = entry;
  const fail = (card, type, err) => {
    card.dataset.state = 'error';
    entry.errors[type] = String(err?.message || err);
    card.querySelector('.nebula-chart').textContent = `Failed: ${entry.errors[type]}`;
    console.warn(`nebula ${name} ${type}:`, err);
  };
  let n;
  try {
    if (!window.stardust) throw new Error('/vendor/stardust.js did not load (run npm ci)');
    Object.assign(entry, await open());
    n = window.stardust.embed(entry.app, { context: { theme: 'light', language: 'en-US' }, types: TYPES });
  } catch (err) {
    for (const { c, card } of cards) fail(card, c.type, err);
    return entry;
  }
  entry.n = n;
  try {
    (await n.selections()).mount(toolbar);
  } catch (err) {
    toolbar.textContent = `Selections toolbar failed: ${err.message}`;
  }
  await Promise.all(
    cards.map(async ({ c, card, chart }) => {
      try {
        const viz = await n.render({ element: chart, type: c.type, fields: c.fields });
        entry.vizs[c.type] = viz;
        // render() resolves even when the chart shows an error in its cell
        // (a failed object creation, say): rendered means it has a model.
        if (!viz.model) throw new Error('no model');
        await viz.model.getLayout();
        card.dataset.state = 'rendered';
      } catch (err) {
        fail(card, c.type, err);
      }
    }),
  );
  // layouts returns what each chart's object holds now, for comparing the
  // clients: the data parts of the layout, object ids left out.
  entry.layouts = async () => {
    const out = {};
    for (const [type, viz] of Object.entries(entry.vizs)) {
      const l = await viz.model.getLayout();
      out[type] = { qHyperCube: l.qHyperCube, qListObject: l.qListObject, qSelectionInfo: l.qSelectionInfo };
      if (l.qChildList) {
        out[type].children = await Promise.all(
          l.qChildList.qItems.map(async (it) => (await (await entry.app.getObject(it.qInfo.qId)).getLayout()).qListObject),
        );
      }
    }
    return out;
  };
  return entry;
}

window.nebulaPage = { identity, client, mode, columns: {} };
const columns = [];
if (client !== 'qix') columns.push(column('enigma', 'enigma.js 2.15', openEnigma));
if (client !== 'enigma') columns.push(column('qix', `qix-wasm (${mode === 'main' ? 'main thread' : 'worker'})`, openQix));
window.nebulaPage.ready = Promise.all(columns).then(() => {
  status.textContent = `session ${identity}`;
  document.body.dataset.ready = 'true';
});
