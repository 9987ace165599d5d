// Embed one live Qlik chart in any page: qix-wasm talks to the engine,
// picasso.js (with Qlik's q plugin) draws the hypercube as it arrives.
import { create, buildURL } from '/qix.js';
import { live } from '/lib/dash-live.js';
import { importOrExplain } from '/lib/missing.js';

const element = document.querySelector('#chart');

async function embed() {
  // Imported here rather than at the top so that a missing file is named on
  // the page (with the fix) instead of leaving a blank card.
  const [{ default: picasso }, { default: picassoQ }] = await Promise.all([
    importOrExplain('/vendor/picasso.esm.js', []),
    importOrExplain('/vendor/picasso-plugin-q.esm.js', []),
  ]);
  picasso.use(picassoQ);
  // ?identity=… joins that engine session: the dashboard's selections show here too.
  const identity = new URLSearchParams(location.search).get('identity') || undefined;
  const secure = location.protocol === 'https:';
  const url = await buildURL({ host: location.host, secure, appId: 'Sales', identity });
  const app = await (await create({ url }).open()).openDoc('Sales');
  const obj = await app.createSessionObject({
    qInfo: { qType: 'barchart' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['Category'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)' }, qSortBy: { qSortByNumeric: -1 } }],
      qInterColumnSortOrder: [1, 0],
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 50 }],
    },
  });
  const data = (layout) => [{ type: 'q', key: 'qHyperCube', data: layout.qHyperCube }];
  const settings = {
    scales: {
      x: { data: { extract: { field: 'qDimensionInfo/0' } }, padding: 0.3 },
      y: { data: { field: 'qMeasureInfo/0' }, invert: true, include: [0] },
    },
    components: [
      { type: 'axis', dock: 'left', scale: 'y', formatter: { type: 'd3-number', format: '~s' } },
      { type: 'axis', dock: 'bottom', scale: 'x' },
      {
        type: 'box',
        data: {
          extract: { field: 'qDimensionInfo/0', props: { start: 0, end: { field: 'qMeasureInfo/0' } } },
        },
        settings: { major: { scale: 'x' }, minor: { scale: 'y' }, box: { fill: '#009845' } },
      },
    ],
  };
  // Draw now and redraw in place whenever the engine says the data changed:
  // one fetch at a time, and a layout a newer change overtook is never drawn
  // (replies to overlapping fetches may arrive in any order).
  let chart;
  let failure;
  const { first } = live(
    obj,
    (o) => o.getLayout(),
    (layout) => {
      if (chart) chart.update({ data: data(layout) });
      else chart = picasso.chart({ element, data: data(layout), settings });
    },
    {
      onError: (err) => {
        if (!chart) failure = err; // the first draw failed: say why below
        else console.warn('qix-wasm embed: redraw failed', err);
      },
    },
  );
  await first;
  if (!chart) throw failure;
}

embed().catch((err) => {
  element.textContent = `The chart could not load: ${err.message}`;
  element.classList.add('error-box');
});
