// The dashboard as users get it (issue 11): nebula.js (stardust 7 with
// sn-kpi, sn-bar-chart, sn-line-chart, sn-table, sn-filter-pane and the
// selections toolbar) on the same page, with its Doc from enigma.js
// (?client=enigma) or from qix-wasm (?client=qix, worker or main-thread
// mode). Two workloads, the clients side by side in rounds:
//
// load:      navigation to `/` → every chart's first render (the page sets
//            data-ready="true" on <html> once stardust's onRender fired for
//            all eleven charts). Warm: one context, a first untimed load
//            fills the caches; each sample is a new document on a new
//            engine session. The page's counters restart with the
//            document, so the main-thread time is that of the load alone.
// selection: a Region selected through the app (North and South in turn)
//            → every chart re-rendered: each chart's nebula.js cell
//            (.njs-viz) raised its data-render-count, which stardust sets
//            once the chart's render() resolved with the new layout. (The
//            filter panes count as their container's render; their list
//            boxes fetch their own pages.)
//
// Both count the page's main-thread task time (CDP TaskDuration) and the
// renderer's CPU, workers included (/proc), per sample.

const CLIENTS = [
  { client: 'enigma.js', query: 'client=enigma' },
  { client: 'qix-wasm worker', query: 'client=qix' },
  { client: 'qix-wasm main', query: 'client=qix&mode=main' },
];
const LOAD_TIMEOUT_MS = 60_000;

const dashURL = (ctx, query) => `${ctx.baseURL}${ctx.dashboardPath}?${query}&identity=bench-neb-${Math.random().toString(36).slice(2, 10)}`;

// Runs in every document before its scripts: calls the runner's binding
// when data-ready flips, so the runner does not poll (polling would cost
// the main thread measured).
function watchReady() {
  let done = false;
  const obs = new MutationObserver(() => {
    const v = document.documentElement?.dataset.ready;
    if (done || (v !== 'true' && v !== 'error')) return;
    done = true;
    obs.disconnect();
    window.__benchNebulaReady(v);
  });
  obs.observe(document, { attributes: true, attributeFilter: ['data-ready'], subtree: true, childList: true });
}

/** arm makes the page report readiness; p.waitReady() then resolves with it. */
async function arm(p) {
  let waiter = null;
  await p.context.exposeBinding('__benchNebulaReady', (_, state) => waiter?.(state));
  await p.context.addInitScript(watchReady);
  p.waitReady = () => new Promise((resolve) => (waiter = resolve));
}

/** loadOnce navigates p.page to the dashboard and measures up to data-ready. */
async function loadOnce(p, ctx, query) {
  const ready = p.waitReady();
  const before = await ctx.readMetrics(p.cdp, p.pid);
  const res = await p.page.goto(dashURL(ctx, query), { waitUntil: 'commit' });
  if (res && !res.ok() && res.status() !== 304) throw new Error(`${ctx.dashboardPath}: HTTP ${res.status()}`);
  const state = await ctx.withTimeout(ready, LOAD_TIMEOUT_MS, 'waiting for data-ready');
  const after = await ctx.readMetrics(p.cdp, p.pid);
  if (state !== 'true') {
    const why = await p.page.locator('.card-error, #open-error').allTextContents().catch(() => []);
    throw new Error(`the dashboard reported data-ready=${state}: ${why.join('; ').slice(0, 300)}`);
  }
  const wallMs = await p.page.evaluate(() => window.__qixDashboardReady);
  const d = ctx.metricsDelta(before, after, 1);
  return { wallMs, mainThreadMs: d.mainThreadMs, scriptMs: d.scriptMs, mainCpuMs: d.mainCpuMs, rendererCpuMs: d.rendererCpuMs, cpuSource: d.cpuSource };
}

function loadCase({ client, query }) {
  return {
    name: `dashboard nebula.js load | ${client}`,
    group: 'dashboard nebula.js load',
    workload: 'dashboard (nebula.js, 11 sn-* charts): navigation → every chart rendered (warm)',
    client,
    needsPage: false,
    iterations: 5,
    warmup: 1,
    timeoutMs: 300_000,
    async prepare(_, ctx) {
      ctx.p = await ctx.openPage();
      await arm(ctx.p);
      // An untimed load fills the caches (--smoke: none, to stay brief).
      for (let i = 0; i < Math.max(ctx.smoke ? 0 : 1, ctx.warmup); i++) await loadOnce(ctx.p, ctx, query);
    },
    async chunk(ctx, n) {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await loadOnce(ctx.p, ctx, query));
      return out;
    },
  };
}

// installStep (in the page) sets window.benchStep to one selection that
// ends when every chart re-rendered.
async function installStep() {
  const field = await window.dashboard.app.getField('Region');
  const values = ['North', 'South'];
  let k = 0;
  window.benchStep = async () => {
    const cells = [...document.querySelectorAll('.viz-card .njs-viz')];
    const before = cells.map((c) => Number(c.dataset.renderCount));
    const rendered = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (cells.every((c, i) => Number(c.dataset.renderCount) > before[i])) {
          obs.disconnect();
          resolve();
        }
      });
      for (const c of cells) obs.observe(c, { attributes: true, attributeFilter: ['data-render-count'] });
    });
    await field.selectValues([{ qText: values[k++ % values.length] }], false, false);
    await rendered;
  };
  return document.querySelectorAll('.viz-card .njs-viz').length;
}

function selectionCase({ client, query }) {
  return {
    name: `dashboard nebula.js selection | ${client}`,
    group: 'dashboard nebula.js selection',
    workload: 'dashboard (nebula.js, 11 sn-* charts): select a Region → every chart re-rendered',
    client,
    iterations: 10,
    warmup: 2,
    timeoutMs: 300_000,
    async prepare(page, ctx) {
      await page.goto(dashURL(ctx, query));
      await page.waitForFunction(() => document.documentElement.dataset.ready, null, { timeout: LOAD_TIMEOUT_MS });
      const state = await page.evaluate(() => document.documentElement.dataset.ready);
      if (state !== 'true') throw new Error(`the dashboard reported data-ready=${state}`);
      const cells = await page.evaluate(installStep);
      if (cells !== 11) throw new Error(`${cells} nebula.js cells on the dashboard, want 11`);
    },
  };
}

export default [...CLIENTS.map(loadCase), ...CLIENTS.map(selectionCase)];
