// Start-up (issue 9): from a blank page to the first layout: the client
// loaded (enigma.js: its script and schema; qix-wasm: qix.js and qix.wasm
// fetched and compiled; the raw client is already in the page), the
// session open, the Sales app open, one object created and its layout in
// hand. Each sample opens a new engine session.
//
// cold: every sample in a fresh browser context (new renderer process,
//       empty HTTP cache, no V8 code cache, no compiled wasm cached).
// warm: one context; the start is run once or more untimed to fill the
//       caches, then every sample navigates the page anew (new document,
//       nothing in memory) and starts again from the caches: the dev
//       server's responses revalidate (304) and Chromium reuses the
//       compiled module and code.
//
// The counters of a sample span the timed start only (wall, the page's
// main-thread tasks, the renderer's CPU with every thread); the blank page
// load before it is not counted.
import { CLIENT_NAMES, GO_FLOOR as FLOOR, installClients } from '../page-clients.js';

const FIRST_OBJECT = {
  qInfo: { qType: 'bench-start' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }],
  },
};

// FLOOR (GO_FLOOR) is no client: build/floor.wasm (cmd/wasmfloor), a Go module that
// only starts, loaded the way qix-wasm loads qix.wasm (wasm_exec.js, a
// streaming compile, Go's runtime start). Its row is the floor of any Go
// client's start, with no session and no layout.

/** arm installs the clients in the page and sets window.benchStep to one start. */
async function arm(page, ctx, client) {
  if (client === FLOOR) {
    await page.evaluate(() => {
      window.benchStep = async () => {
        const compiled = WebAssembly.compileStreaming(fetch('/_dev/floor.wasm'));
        if (!globalThis.Go) await import('/wasm_exec.js');
        const go = new globalThis.Go();
        const started = new Promise((resolve) => (globalThis.__wasmFloor = resolve));
        go.run(await WebAssembly.instantiate(await compiled, go.importObject));
        await started;
        window.benchStarted = null;
      };
    });
    return;
  }
  await page.evaluate(installClients);
  await page.evaluate(
    ({ client, base, props }) => {
      window.benchStep = async () => {
        const url = `${base}/app/engineData/identity/bench-start-${Math.random().toString(36).slice(2)}`;
        const api = await window.__benchOpen(client, url, true);
        const obj = await api.createObject(await api.openDoc('Sales'), props);
        const r = await api.prep(obj, 'getLayout')();
        const l = r.qLayout ?? r;
        if (l.qHyperCube?.qDataPages?.[0]?.qMatrix?.length !== 5) throw new Error(`first layout: ${JSON.stringify(l).slice(0, 200)}`);
        window.benchStarted = api; // closed untimed
      };
    },
    { client, base: ctx.wsURL(''), props: FIRST_OBJECT },
  );
}

/** startOnce measures one start on an armed page. */
async function startOnce(p, ctx, client) {
  await arm(p.page, ctx, client);
  const { samples } = await ctx.measureChunk(p.page, p.cdp, 1, { pid: p.pid, perIteration: true });
  await p.page.evaluate(() => window.benchStarted?.close());
  return samples[0];
}

function coldCase(client) {
  return {
    name: `cold start | ${client}`,
    group: 'cold start',
    workload: 'cold start: fresh browser context → module loaded → session open → first layout',
    client,
    targets: { wall: 1.5, cpu: 1.2 },
    needsPage: false,
    iterations: 7,
    warmup: 0,
    timeoutMs: 300_000,
    async chunk(ctx, n) {
      const out = [];
      for (let i = 0; i < n; i++) {
        const p = await ctx.openPage();
        try {
          out.push(await startOnce(p, ctx, client));
        } finally {
          await ctx.closeContext(p.context);
        }
      }
      return out;
    },
  };
}

function warmCase(client) {
  return {
    name: `warm start | ${client}`,
    group: 'warm start',
    workload: 'warm start: compiled module cached → session open → first layout',
    client,
    targets: { cpu: 1.2 },
    needsPage: false,
    iterations: 7,
    warmup: 2,
    timeoutMs: 300_000,
    async prepare(_, ctx) {
      ctx.warm = await ctx.openPage();
      // At least one untimed start fills the caches (smoke runs too).
      for (let i = 0; i < Math.max(1, ctx.warmup); i++) await this.chunk(ctx, 1);
    },
    async chunk(ctx, n) {
      const p = ctx.warm;
      const out = [];
      for (let i = 0; i < n; i++) {
        const res = await p.page.goto(`${ctx.baseURL}/_dev/blank.html`);
        if (!res?.ok()) throw new Error(`blank page: HTTP ${res?.status()}`);
        out.push(await startOnce(p, ctx, client));
      }
      return out;
    },
    async finish(_, ctx) {
      await ctx.closeContext(ctx.warm?.context);
    },
  };
}

const STARTS = [...CLIENT_NAMES, FLOOR];
export default [...STARTS.map(coldCase), ...STARTS.map(warmCase)];
