// The benchmark plumbing's own baselines and counter checks; the clients'
// workloads live in cases/*.js.

const busyStep = (where) =>
  where === 'worker'
    ? () => {
        // The worker spins 100 ms per step; the page only waits. The dev
        // server serves it (the CSP refuses blob: workers).
        const w = new Worker('/_dev/busy-worker.js');
        window.benchStep = () =>
          new Promise((resolve) => {
            w.onmessage = resolve;
            w.postMessage(0);
          });
      }
    : () => {
        window.benchStep = async () => {
          const t = performance.now();
          while (performance.now() - t < 100);
        };
      };

export const builtinCases = [
  // Self-checks of the counters: a dedicated worker's busy time must not
  // show as main-thread time (expect main ~0 here, ~100 below), but must
  // show as renderer CPU (expect ~100 in both, less on a loaded machine).
  {
    name: 'counter check: 100 ms busy loop in a worker',
    iterations: 3,
    warmup: 1,
    async run(page, ctx) {
      await page.evaluate(busyStep('worker'));
      return ctx.measure();
    },
  },
  {
    name: 'counter check: 100 ms busy loop on the main thread',
    iterations: 3,
    warmup: 1,
    async run(page, ctx) {
      await page.evaluate(busyStep('main'));
      return ctx.measure();
    },
  },
  {
    name: 'wasm fetch+compile (no-store, br)',
    iterations: 5,
    warmup: 1,
    async run(page, ctx) {
      await page.evaluate(() => {
        window.benchStep = async () => {
          await WebAssembly.compileStreaming(fetch('/qix.wasm', { cache: 'no-store' }));
        };
      });
      return ctx.measure();
    },
  },
  {
    name: 'WebSocket connect to OnConnected',
    iterations: 20,
    warmup: 2,
    async run(page, ctx) {
      await page.evaluate((url) => {
        let i = 0;
        window.benchStep = () =>
          new Promise((resolve, reject) => {
            const ws = new WebSocket(`${url}-${i++}`);
            ws.onmessage = () => {
              ws.onclose = null;
              ws.close(1000);
              resolve();
            };
            ws.onclose = (e) => reject(new Error(`closed ${e.code} ${e.reason}`));
          });
      }, ctx.wsURL('/app/engineData/identity/bench-connect'));
      return ctx.measure();
    },
  },
  {
    name: 'raw JSON-RPC round trip (Global.EngineVersion)',
    iterations: 300,
    warmup: 50,
    async run(page, ctx) {
      await page.evaluate(async (url) => {
        const ws = new WebSocket(url);
        await new Promise((resolve, reject) => {
          ws.onmessage = () => resolve(); // OnConnected
          ws.onclose = (e) => reject(new Error(`closed ${e.code} ${e.reason}`));
        });
        let id = 0;
        let pending = null;
        ws.onmessage = (e) => {
          const msg = JSON.parse(e.data);
          if (pending && msg.id === pending.id) pending.resolve(msg);
        };
        window.benchStep = async () => {
          const msg = await new Promise((resolve) => {
            pending = { id: ++id, resolve };
            ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle: -1, method: 'EngineVersion', params: {} }));
          });
          if (msg.error) throw new Error(JSON.stringify(msg.error));
        };
      }, ctx.wsURL('/app/engineData/identity/bench-rpc'));
      return ctx.measure();
    },
  },
];

