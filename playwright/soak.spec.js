// Memory soak (issue 12, item 7): in both modes, a long-lived session
// creates, lays out and destroys session objects, and whole sessions are
// opened and closed beside it, SOAK_CYCLES object cycles in all (200 by
// default, what ./build.sh test runs; SOAK_CYCLES=10000 for a long soak)
// and a quarter as many session cycles. At start (after a warm-up), middle
// and end it records, after garbage collection: Go's heap, goroutines,
// the js.Funcs and JS values Go holds and the wasm memory (debugStats()
// from /qix.js), and the page's JS heap (CDP Runtime.getHeapUsage). It
// prints the figures and asserts only that growth is bounded (generous
// bounds; no timing).
import { test, expect } from './fixtures.js';

const CYCLES = Math.max(20, Number(process.env.SOAK_CYCLES) || 200);
const SESSION_CYCLES = Math.max(4, Math.round(CYCLES / 4));
const MB = 1024 * 1024;

const rows = [];
test.afterAll(() => {
  if (rows.length === 0) return;
  console.log(`\nsoak: ${CYCLES} object cycles, ${SESSION_CYCLES} session cycles per mode`);
  console.log('mode    point   goHeap(B) goObjects numGC goroutines jsFuncs jsValues wasmMem(MB) pageHeap(KB) sessions');
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(7)} ${r.point.padEnd(7)} ${String(r.goHeapAlloc).padStart(9)} ${String(r.goHeapObjects).padStart(9)} ${String(r.numGC).padStart(5)} ${String(r.goroutines).padStart(10)} ` +
        `${String(r.jsFuncs).padStart(7)} ${String(r.jsValues).padStart(8)} ${(r.wasmMemory / MB).toFixed(1).padStart(11)} ` +
        `${String(Math.round(r.pageHeap / 1024)).padStart(12)} ${String(r.sessions).padStart(8)}`,
    );
  }
});

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';
  test(`${mode}: memory stays bounded over object and session cycles`, async ({ blankPage, wsURL }) => {
    test.setTimeout(120_000 + CYCLES * 400);
    const cdp = await blankPage.context().newCDPSession(blankPage);
    await cdp.send('HeapProfiler.enable');
    const url = wsURL(`/app/Demo/identity/soak-${mode}-${Date.now().toString(36)}`);

    const measure = async (point) => {
      await cdp.send('HeapProfiler.collectGarbage');
      const go = await blankPage.evaluate(async (worker) => (await import('/qix.js')).debugStats({ worker }), worker);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const row = { mode, point, ...go, pageHeap: usedSize };
      rows.push(row);
      return row;
    };

    // objects: create, lay out and destroy session objects on the long-lived
    // session; sessions: open a session and a doc, call, close.
    const run = (objects, sessions) =>
      blankPage.evaluate(
        async ({ url, worker, objects, sessions }) => {
          const { create } = await import('/qix.js');
          if (!window.soak) {
            const session = create({ url, worker });
            window.soak = { session, app: await (await session.open()).openDoc('Demo') };
          }
          const { app } = window.soak;
          const def = {
            qInfo: { qType: 'soak' },
            qHyperCubeDef: {
              qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
              qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
              qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }],
            },
          };
          let rowsSeen = 0;
          for (let i = 0; i < objects; i++) {
            const obj = await app.createSessionObject(def);
            rowsSeen += (await obj.getLayout()).qHyperCube.qDataPages[0].qMatrix.length;
            await app.destroySessionObject(obj.id);
          }
          let opened = 0;
          for (let i = 0; i < sessions; i++) {
            const s = create({ url: `${url}-s${i % 4}`, worker });
            const doc = await (await s.open()).openDoc('Demo');
            await doc.getAppLayout();
            await s.close();
            opened++;
          }
          return { rowsSeen, opened, live: app.session.objects.size };
        },
        { url, worker, objects, sessions },
      );

    const warm = await run(10, 2);
    expect(warm.rowsSeen).toBe(30); // Demo has three regions
    const start = await measure('start');
    const half = await run(Math.floor(CYCLES / 2), Math.floor(SESSION_CYCLES / 2));
    const middle = await measure('middle');
    const rest = await run(CYCLES - Math.floor(CYCLES / 2), SESSION_CYCLES - Math.floor(SESSION_CYCLES / 2));
    const end = await measure('end');

    expect(half.rowsSeen + rest.rowsSeen).toBe(CYCLES * 3);
    expect(half.opened + rest.opened).toBe(SESSION_CYCLES);
    // Only Global and the Doc are left on the long-lived session.
    expect(rest.live).toBe(2);
    // Bounded growth, after GC, with generous margins (the wasm memory
    // never shrinks; the Go heap and the page heap settle).
    for (const [name, at] of [['middle', middle], ['end', end]]) {
      const ctx = `${name}: ${JSON.stringify({ start, at })}`;
      expect(at.sessions, ctx).toBe(start.sessions);
      expect(at.goHeapAlloc, ctx).toBeLessThanOrEqual(Math.max(2 * start.goHeapAlloc, start.goHeapAlloc + 16 * MB));
      expect(at.goroutines, ctx).toBeLessThanOrEqual(start.goroutines + 16);
      expect(at.jsFuncs, ctx).toBeLessThanOrEqual(start.jsFuncs + 8);
      expect(at.jsValues, ctx).toBeLessThanOrEqual(start.jsValues + 64);
      expect(at.wasmMemory, ctx).toBeLessThanOrEqual(start.wasmMemory + 64 * MB);
      expect(at.pageHeap, ctx).toBeLessThanOrEqual(start.pageHeap + 32 * MB);
    }
    await blankPage.evaluate(() => window.soak.session.close());
  });
}
