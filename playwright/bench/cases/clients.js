// Client comparison: the same workloads through enigma.js 2.15.0 (npm, the
// bar) and through qix-wasm in worker and main-thread modes, against the
// same emulator in one Chromium run. Each sample is wall time measured in
// the page; extra.mainThreadMs is the page main thread's busy time per
// sample (CDP Performance.getMetrics TaskDuration), which is what a page's
// responsiveness pays.

const CLIENTS = {
  'enigma.js': async (page, url, delta) => {
    await page.addScriptTag({ url: '/vendor/enigma.js' });
    await page.evaluate(
      async ({ url, delta }) => {
        const schema = await (await fetch('/vendor/enigma.js/schemas/12.2027.0.json')).json();
        window.benchSession = window.enigma.create({ schema, url, protocol: { delta } });
        window.benchGlobal = await window.benchSession.open();
      },
      { url, delta },
    );
  },
  'qix-wasm worker': async (page, url, delta) => openQix(page, url, delta, true),
  'qix-wasm main': async (page, url, delta) => openQix(page, url, delta, false),
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

const WORKLOADS = {
  'sequential small calls': {
    iterations: 300,
    delta: true,
    async prepare() {
      window.benchStep = async () => {
        await window.benchGlobal.engineVersion();
      };
    },
  },
  '2000 pipelined small calls': {
    iterations: 10,
    delta: true,
    async prepare() {
      window.benchStep = async () => {
        const g = window.benchGlobal;
        const all = [];
        for (let i = 0; i < 2000; i++) all.push(g.engineVersion());
        await Promise.all(all);
      };
    },
  },
  'large hypercube page (50 000 x 3)': {
    iterations: 8,
    // Delta off for both clients: with it, every page after the first is an
    // empty patch and nothing large would be measured.
    delta: false,
    app: 'Sales',
    async prepare() {
      const app = await window.benchGlobal.openDoc('Sales');
      const obj = await app.createSessionObject({
        qInfo: { qType: 'bench-cube' },
        qHyperCubeDef: {
          qDimensions: [{ qDef: { qFieldDefs: ['OrderID'] } }],
          qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }, { qDef: { qDef: 'Sum(Quantity)' } }],
        },
      });
      window.benchStep = async () => {
        const pages = await obj.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 50000 }]);
        const m = pages[0].qMatrix;
        if (m.length !== 50000 || m[0].length !== 3) throw new Error(`page is ${m.length} x ${m[0] && m[0].length}`);
      };
    },
  },
};

function makeCase(workload, client) {
  const w = WORKLOADS[workload];
  return {
    name: `${workload} | ${client}`,
    iterations: w.iterations,
    timeoutMs: 300_000,
    async run(page, ctx) {
      const id = `bench-${Math.random().toString(36).slice(2)}`;
      await CLIENTS[client](page, ctx.wsURL(`/app/engineData/identity/${id}`), w.delta);
      await page.evaluate(`(${w.prepare.toString().replace(/^async prepare/, 'async function')})()`);
      // Warm up (JIT, first delta add, caches) before measuring.
      await page.evaluate(() => window.benchStep());
      await page.evaluate(() => window.benchStep());
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const samples = [];
      const main = [];
      for (let i = 0; i < ctx.iterations; i++) {
        const before = await taskSeconds(cdp);
        samples.push(
          await page.evaluate(async () => {
            const t0 = performance.now();
            await window.benchStep();
            return performance.now() - t0;
          }),
        );
        main.push(((await taskSeconds(cdp)) - before) * 1000);
      }
      await page.evaluate(() => window.benchSession.close());
      const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
      return { samples, extra: { workload, client, mainThreadMs: mean(main), wallMs: mean(samples) } };
    },
  };
}

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

export default Object.keys(WORKLOADS).flatMap((w) => Object.keys(CLIENTS).map((c) => makeCase(w, c)));
