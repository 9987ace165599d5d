// Client comparison (issue 9): the same workloads through the raw
// WebSocket client (the physical limit), enigma.js 2.15.0 (the bar, on its
// defaults: delta on), qix-wasm in a worker (its default) and qix-wasm on
// the main thread, against the same emulator in one Chromium run. Every
// case gets a fresh browser context (its own renderer), opens its client
// and prepares the workload untimed; run.js then times window.benchStep()
// (wall time in the page, main-thread time and renderer CPU per
// iteration), the clients of a workload taking turns round by round.
import { CLIENT_NAMES, RAW_WORKER, installClients } from '../page-clients.js';

// A chart's properties, for the small calls.
const CHART_PROPS = {
  qInfo: { qType: 'bench-props' },
  title: 'Sales by region',
  subtitle: 'all years',
  showTitles: true,
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Sales)', qLabel: 'Sales' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }],
  },
};

// The Sales app's every order: two dimensions and two measures, 50 000 x 4.
const SALES_CUBE = {
  qDimensions: [{ qDef: { qFieldDefs: ['OrderID'] } }, { qDef: { qFieldDefs: ['OrderDate'] } }],
  qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }, { qDef: { qDef: 'Sum(Quantity)' } }],
};

// The targets (ratios to enigma.js of medians): renderer CPU at
// most 1.2 everywhere.
const SMALL = { wall: 1.0, cpu: 1.2 };
const PIPELINED = { wall: 1.0, main: 0.5, cpu: 1.2 };
const LARGE = { wall: 1.0, main: 0.4, cpu: 1.2 };

// Each workload's prepare runs in the page (serialized by Playwright, so it
// may use only its argument and window; window.benchApi is the open
// client). It sets window.benchStep, the timed unit, and
// window.benchCheck, run once untimed after the measured iterations: it
// validates a result and returns its size.
const WORKLOADS = [
  {
    name: '500 sequential GetProperties',
    rawWorker: true,
    iterations: 7,
    warmup: 2,
    targets: SMALL,
    arg: CHART_PROPS,
    prepare: async (props) => {
      const api = window.benchApi;
      const obj = await api.createObject(await api.openDoc('Sales'), props);
      const get = api.prep(obj, 'getProperties');
      window.benchStep = async () => {
        for (let i = 0; i < 500; i++) await get();
      };
      window.benchCheck = async () => {
        const r = await get();
        const p = r.qProp ?? r;
        if (p?.qInfo?.qType !== 'bench-props' || p.title !== 'Sales by region') throw new Error(`GetProperties returned ${JSON.stringify(r).slice(0, 200)}`);
        return { resultBytes: JSON.stringify(p).length };
      };
    },
  },
  {
    name: '5 000 pipelined GetProperties',
    rawWorker: true,
    iterations: 7,
    warmup: 2,
    targets: PIPELINED,
    arg: CHART_PROPS,
    prepare: async (props) => {
      const api = window.benchApi;
      const obj = await api.createObject(await api.openDoc('Sales'), props);
      const get = api.prep(obj, 'getProperties');
      const burst = () => {
        const all = new Array(5000);
        for (let i = 0; i < 5000; i++) all[i] = get();
        return Promise.all(all);
      };
      window.benchStep = burst;
      window.benchCheck = async () => {
        const all = await burst();
        if (all.length !== 5000 || all.some((r) => (r.qProp ?? r)?.qInfo?.qType !== 'bench-props')) throw new Error('bad GetProperties results');
        return { resultBytes: JSON.stringify(all[0].qProp ?? all[0]).length * 5000 };
      };
    },
  },
  ...[true, false].map((delta) => ({
    name: `10 pages of GetHyperCubeData 2 000×4${delta ? '' : ', delta off'}`,
    iterations: 7,
    warmup: 2,
    targets: LARGE,
    // The raw client never uses delta; enigma.js and qix-wasm on their
    // defaults (delta on), then explicitly off. With delta on, each page is
    // a patch against the previous page of the same object (the engine keys
    // its delta cache by handle, method and result key), so every page
    // still carries its data.
    delta,
    arg: SALES_CUBE,
    // The 10 pages (the engine refuses pages over 10 000 cells, error
    // 7009) all in flight at once, as a table does when it scrolls.
    prepare: async (cubeDef) => {
      const api = window.benchApi;
      const obj = await api.createObject(await api.openDoc('Sales'), { qInfo: { qType: 'bench-cube' }, qHyperCubeDef: cubeDef });
      const pages = [];
      for (let i = 0; i < 10; i++) pages.push(api.prep(obj, 'getHyperCubeData', '/qHyperCubeDef', [{ qTop: i * 2000, qLeft: 0, qWidth: 4, qHeight: 2000 }]));
      const fetchAll = () => Promise.all(pages.map((p) => p()));
      window.benchStep = fetchAll;
      window.benchCheck = async () => {
        const all = await fetchAll();
        let rows = 0;
        for (let i = 0; i < all.length; i++) {
          const m = (all[i].qDataPages ?? all[i])[0].qMatrix;
          if (m.length !== 2000 || m[0].length !== 4) throw new Error(`page ${i} is ${m.length} x ${m[0]?.length}`);
          if (m[0][0].qNum !== i * 2000 + 1) throw new Error(`page ${i} starts at OrderID ${m[0][0].qText}`);
          rows += m.length;
        }
        return { rows, resultBytes: all.reduce((a, p) => a + JSON.stringify(p).length, 0) };
      };
    },
  })),
  {
    name: 'dashboard refresh: 20 hypercubes × 1 000 rows, one selection, every layout refetched on `changed`',
    iterations: 7,
    warmup: 2,
    targets: PIPELINED,
    arg: SALES_CUBE,
    // 20 objects of 1 000 x 4 (each its own window on the orders), their
    // layouts fetched once; a step selects a Region (North and South in
    // turn) and ends when every object has refetched its layout on its
    // 'changed' event, as a dashboard redraws.
    prepare: async (cubeDef) => {
      const api = window.benchApi;
      const doc = await api.openDoc('Sales');
      const objs = [];
      for (let i = 0; i < 20; i++) {
        const props = { qInfo: { qType: 'bench-dash' }, qHyperCubeDef: { ...cubeDef, qInitialDataFetch: [{ qTop: i * 450, qLeft: 0, qWidth: 4, qHeight: 1000 }] } };
        objs.push(await api.createObject(doc, props));
      }
      const layouts = await Promise.all(objs.map((o) => api.prep(o, 'getLayout')()));
      let waiting = null;
      let left = 0;
      objs.forEach((o, i) => {
        const getLayout = api.prep(o, 'getLayout');
        api.onChanged(o, () => {
          getLayout().then(
            (l) => {
              layouts[i] = l;
              if (waiting && --left === 0) {
                const w = waiting;
                waiting = null;
                w.resolve();
              }
            },
            (err) => waiting?.reject(err),
          );
        });
      });
      const field = await api.getField(doc, 'Region');
      const regions = ['North', 'South'];
      const selects = regions.map((r) => api.prep(field, 'select', r));
      let turn = 0;
      window.benchStep = () =>
        new Promise((resolve, reject) => {
          waiting = { resolve, reject };
          left = objs.length;
          selects[turn++ % 2]().catch(reject);
        });
      window.benchCheck = async () => {
        await window.benchStep();
        let cells = 0;
        for (let i = 0; i < layouts.length; i++) {
          const l = layouts[i].qLayout ?? layouts[i];
          const m = l.qHyperCube.qDataPages[0].qMatrix;
          if (m.length !== 1000 || m[0].length !== 4) throw new Error(`object ${i}: page is ${m.length} x ${m[0]?.length}`);
          cells += m.length * m[0].length;
        }
        const selected = regions[(turn - 1) % 2];
        return { cells, selected, resultBytes: layouts.reduce((a, l) => a + JSON.stringify(l).length, 0) };
      };
    },
  },
];

function makeCase(w, client) {
  return {
    name: `${w.name} | ${client}`,
    // One group per workload: run.js runs its clients side by side, taking
    // turns round by round, so machine load hits them alike.
    group: w.name,
    workload: w.name,
    client,
    targets: w.targets,
    iterations: w.iterations,
    warmup: w.warmup,
    timeoutMs: 300_000,
    async prepare(page, ctx) {
      const id = `bench-${Math.random().toString(36).slice(2)}`;
      await page.evaluate(installClients);
      await page.evaluate(
        async ({ client, url, delta }) => {
          window.benchApi = await window.__benchOpen(client, url, delta);
        },
        { client, url: ctx.wsURL(`/app/engineData/identity/${id}`), delta: w.delta ?? true },
      );
      await page.evaluate(w.prepare, w.arg ?? null);
    },
    async finish(page) {
      const check = await page.evaluate(() => window.benchCheck());
      await page.evaluate(() => window.benchApi.close());
      return check;
    },
  };
}

// The small-call workloads also run the raw client through a worker: the
// floor of any client that keeps the socket off the page.
export default WORKLOADS.flatMap((w) => [...CLIENT_NAMES, ...(w.rawWorker ? [RAW_WORKER] : [])].map((c) => makeCase(w, c)));
