// Client comparison: the same workloads through enigma.js 2.15.0 (npm,
// pinned; the bar) and through qix-wasm in worker and main-thread modes,
// against the same emulator in one Chromium run. Every case gets a fresh
// browser context (its own renderer), opens its client and prepares the
// workload untimed; run.js then times window.benchStep() (wall time in the
// page, main-thread time from the CDP counters), the clients of a workload
// taking turns.

const CLIENTS = {
  'enigma.js': async (page, url, delta) => {
    await page.addScriptTag({ url: '/vendor/enigma.js' });
    await page.evaluate(
      async ({ url, delta }) => {
        const res = await fetch('/vendor/schemas/12.2027.0.json');
        if (!res.ok) throw new Error(`enigma.js schema: HTTP ${res.status}`);
        const schema = await res.json();
        window.benchSession = window.enigma.create({ schema, url, protocol: { delta } });
        window.benchGlobal = await window.benchSession.open();
      },
      { url, delta },
    );
  },
  'qix-wasm worker': (page, url, delta) => openQix(page, url, delta, true),
  'qix-wasm main': (page, url, delta) => openQix(page, url, delta, false),
};

async function openQix(page, url, delta, worker) {
  await page.evaluate(
    async ({ url, delta, worker }) => {
      const { create } = await import('/qix.js');
      window.benchSession = create({ url, worker, protocol: { delta } });
      window.benchGlobal = await window.benchSession.open();
    },
    { url, delta, worker },
  );
}

// The Sales app's cube for the large cases: every order, two dimensions and
// two measures, 50 000 rows x 4 columns.
const SALES_CUBE = {
  qDimensions: [{ qDef: { qFieldDefs: ['OrderID'] } }, { qDef: { qFieldDefs: ['OrderDate'] } }],
  qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }, { qDef: { qDef: 'Sum(Quantity)' } }],
};

// Each workload's prepare runs in the page (serialized by Playwright, so it
// may use only its argument and window). It sets window.benchStep, the
// timed unit, and window.benchCheck, run once untimed after the measured
// iterations:
// it validates a result and returns its size.
const WORKLOADS = {
  'sequential small calls': {
    iterations: 300,
    warmup: 50,
    delta: true,
    prepare: async () => {
      window.benchStep = async () => {
        await window.benchGlobal.engineVersion();
      };
      window.benchCheck = async () => {
        const v = await window.benchGlobal.engineVersion();
        if (typeof v?.qComponentVersion !== 'string') throw new Error(`EngineVersion returned ${JSON.stringify(v)}`);
        return { resultBytes: JSON.stringify(v).length };
      };
    },
  },
  '2000 pipelined small calls': {
    iterations: 10,
    warmup: 2,
    delta: true,
    prepare: async () => {
      const g = window.benchGlobal;
      window.benchStep = async () => {
        const all = new Array(2000);
        for (let i = 0; i < 2000; i++) all[i] = g.engineVersion();
        await Promise.all(all);
      };
      window.benchCheck = async () => {
        const all = [];
        for (let i = 0; i < 2000; i++) all.push(g.engineVersion());
        const r = await Promise.all(all);
        if (r.length !== 2000 || r.some((v) => typeof v?.qComponentVersion !== 'string')) throw new Error('bad EngineVersion results');
        return { resultBytes: JSON.stringify(r).length };
      };
    },
  },
  'hypercube 50 000 x 4, 20 pipelined pages': {
    iterations: 8,
    warmup: 2,
    // Delta off for every client: with it, every fetch after the first
    // would be an empty patch and nothing large would be measured.
    delta: false,
    prepare: async (cubeDef) => {
      const app = await window.benchGlobal.openDoc('Sales');
      const obj = await app.createSessionObject({ qInfo: { qType: 'bench-cube' }, qHyperCubeDef: cubeDef });
      const size = (await obj.getLayout()).qHyperCube.qSize;
      if (size.qcx !== 4 || size.qcy !== 50000) throw new Error(`cube is ${size.qcx} x ${size.qcy}`);
      // The engine refuses pages over 10 000 cells (7009): 2 500 x 4 each,
      // all 20 in flight at once.
      const fetchAll = () => {
        const calls = [];
        for (let top = 0; top < 50000; top += 2500) calls.push(obj.getHyperCubeData('/qHyperCubeDef', [{ qTop: top, qLeft: 0, qWidth: 4, qHeight: 2500 }]));
        return Promise.all(calls);
      };
      window.benchStep = async () => {
        const pages = await fetchAll();
        if (pages.length !== 20) throw new Error(`${pages.length} pages`);
      };
      window.benchCheck = async () => {
        const pages = await fetchAll();
        let rows = 0;
        for (let i = 0; i < pages.length; i++) {
          const m = pages[i][0].qMatrix;
          if (m.length !== 2500 || m[0].length !== 4) throw new Error(`page ${i} is ${m.length} x ${m[0]?.length}`);
          if (m[0][0].qNum !== i * 2500 + 1) throw new Error(`page ${i} starts at OrderID ${m[0][0].qText}`);
          rows += m.length;
        }
        return { rows, resultBytes: pages.reduce((a, p) => a + JSON.stringify(p).length, 0) };
      };
    },
    arg: SALES_CUBE,
  },
  'large layout (3.3 MB GetLayout)': {
    iterations: 10,
    warmup: 2,
    delta: false, // see the hypercube workload
    prepare: async (cubeDef) => {
      const app = await window.benchGlobal.openDoc('Sales');
      // One object, one GetLayout: four cube views with a full 10 000-cell
      // initial page each (the largest page the engine allows), a list
      // object with 10 000 OrderIDs and a ~290 kB string expression.
      const props = { qInfo: { qType: 'bench-layout' } };
      for (let i = 0; i < 4; i++) {
        props[`cube${i}`] = { qHyperCubeDef: { ...cubeDef, qInitialDataFetch: [{ qTop: i * 2500, qLeft: 0, qWidth: 4, qHeight: 2500 }] } };
      }
      props.orders = { qListObjectDef: { qDef: { qFieldDefs: ['OrderID'] }, qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 10000 }] } };
      props.allOrderIDs = { qStringExpression: "=Concat(OrderID, ',')" };
      const obj = await app.createSessionObject(props);
      window.benchStep = async () => {
        const l = await obj.getLayout();
        if (!l.orders) throw new Error('no list object in the layout');
      };
      window.benchCheck = async () => {
        const l = await obj.getLayout();
        for (let i = 0; i < 4; i++) {
          const m = l[`cube${i}`].qHyperCube.qDataPages[0]?.qMatrix;
          if (m?.length !== 2500 || m[0][0].qNum !== i * 2500 + 1) throw new Error(`cube${i}: bad initial page`);
        }
        if (l.orders.qListObject.qDataPages[0]?.qMatrix.length !== 10000) throw new Error('list object: bad initial page');
        if (l.allOrderIDs.length < 250000) throw new Error(`string expression is ${l.allOrderIDs.length} characters`);
        return { resultBytes: JSON.stringify(l).length };
      };
    },
    arg: SALES_CUBE,
  },
};

function makeCase(workload, client) {
  const w = WORKLOADS[workload];
  return {
    name: `${workload} | ${client}`,
    // One group per workload: run.js runs its clients side by side, taking
    // turns round by round, so machine load hits them alike.
    group: workload,
    workload,
    client,
    iterations: w.iterations,
    warmup: w.warmup,
    timeoutMs: 300_000,
    async prepare(page, ctx) {
      const id = `bench-${Math.random().toString(36).slice(2)}`;
      await CLIENTS[client](page, ctx.wsURL(`/app/engineData/identity/${id}`), w.delta);
      await page.evaluate(w.prepare, w.arg ?? null);
    },
    async finish(page) {
      const check = await page.evaluate(() => window.benchCheck());
      await page.evaluate(() => window.benchSession.close());
      return check;
    },
  };
}

export default Object.keys(WORKLOADS).flatMap((w) => Object.keys(CLIENTS).map((c) => makeCase(w, c)));
