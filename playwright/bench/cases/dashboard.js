// Dashboard time-to-render: navigation start to the dashboard (`/`, i.e.
// web/index.html) reporting every object rendered once. The dashboard sets
// document.documentElement.dataset.ready = 'true' ('error' on failure) and
// window.__qixDashboardReady = performance.now() (relative to navigation
// start) at that moment.
//
// cold: a fresh browser context per load (empty HTTP cache, no V8 code or
//       wasm cache, new renderer process).
// warm: one context, the page reloaded (the dev server sends no-cache, so
//       resources revalidate with 304s and the compiled code caches apply).
//
// Per load: ready ms (the sample) and the page main thread's busy time from
// navigation to ready (CDP TaskDuration; the counters restart with every
// document, so the value read at ready is exactly that span).

const LOAD_TIMEOUT_MS = 30_000;

// Runs in every document of the context before its own scripts: tells the
// runner the moment data-ready flips, without polling the page (polling
// would cost the main thread we are measuring).
function watchReady() {
  let done = false;
  const check = () => {
    const v = document.documentElement && document.documentElement.dataset.ready;
    if (done || (v !== 'true' && v !== 'error')) return;
    done = true;
    obs.disconnect();
    window.__benchReady(v, performance.now());
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { attributes: true, attributeFilter: ['data-ready'], subtree: true, childList: true });
}

/** setupContext makes a context whose pages report readiness; waitReady(page) resolves with it. */
async function setupContext(browser) {
  const context = await browser.newContext();
  const waiters = new Map();
  await context.exposeBinding('__benchReady', ({ page }, state, t) => {
    const w = waiters.get(page);
    if (w) w({ state, t });
  });
  await context.addInitScript(watchReady);
  const waitReady = (page) => new Promise((resolve) => waiters.set(page, resolve));
  return { context, waitReady };
}

/** load navigates (or reloads) and measures one load up to ready. */
async function load(page, cdp, waitReady, navigate, ctx) {
  const errors = [];
  const onError = (e) => errors.push(`pageerror: ${e.message}`);
  const onConsole = (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`);
  page.on('pageerror', onError);
  page.on('console', onConsole);
  try {
    const ready = waitReady(page);
    const before = await ctx.readMetrics(cdp);
    const res = await navigate();
    if (res && !res.ok() && res.status() !== 304) throw new Error(`${ctx.dashboardPath}: HTTP ${res.status()}`);
    let state, t;
    try {
      ({ state, t } = await ctx.withTimeout(ready, LOAD_TIMEOUT_MS, 'waiting for data-ready'));
    } catch (err) {
      const now = await page.evaluate(() => document.documentElement.dataset.ready).catch(() => '?');
      throw new Error(`${err.message} (data-ready=${now ?? 'unset'}${errors.length ? `; ${errors.slice(0, 3).join('; ')}` : ''})`);
    }
    const after = await ctx.readMetrics(cdp);
    if (state !== 'true') throw new Error(`the dashboard reported data-ready=${state}${errors.length ? `: ${errors.slice(0, 3).join('; ')}` : ''}`);
    const readyMs = await page.evaluate(() => window.__qixDashboardReady);
    const m = ctx.metricsDelta(before, after, 1);
    return { readyMs: Number.isFinite(readyMs) ? readyMs : t, observedMs: t, hasReadyTime: Number.isFinite(readyMs), ...m };
  } finally {
    page.off('pageerror', onError);
    page.off('console', onConsole);
  }
}

async function present(ctx) {
  const res = await fetch(ctx.baseURL + ctx.dashboardPath, { method: 'GET' });
  await res.arrayBuffer();
  return res.ok ? null : `no dashboard (GET ${ctx.dashboardPath} -> HTTP ${res.status})`;
}

function summarize(loads) {
  const mean = (k) => loads.reduce((a, l) => a + l[k], 0) / loads.length;
  return {
    samples: loads.map((l) => l.readyMs),
    mainThreadMs: mean('mainThreadMs'),
    scriptMs: mean('scriptMs'),
    mainCpuMs: mean('mainCpuMs'),
    rendererCpuMs: mean('rendererCpuMs'),
    extra: {
      loads: loads.map((l) => ({
        readyMs: round(l.readyMs),
        mainThreadMs: round(l.mainThreadMs),
        scriptMs: round(l.scriptMs),
        mainCpuMs: round(l.mainCpuMs),
        rendererCpuMs: round(l.rendererCpuMs),
        observedMs: round(l.observedMs),
      })),
      // False when the page set data-ready but not __qixDashboardReady: the
      // samples are then the observer's time (a few ms later at most).
      hasReadyTime: loads.every((l) => l.hasReadyTime),
    },
  };
}

const round = (v) => Math.round(v * 100) / 100;

export default [
  {
    name: 'dashboard to ready (cold: new context each load)',
    needsPage: false,
    iterations: 5,
    warmup: 1,
    timeoutMs: 300_000,
    async run(_, ctx) {
      const skipped = await present(ctx);
      if (skipped) return { skipped };
      const loads = [];
      for (let i = 0; i < ctx.warmup + ctx.iterations; i++) {
        const { context, waitReady } = await setupContext(ctx.browser);
        try {
          const page = await context.newPage();
          const cdp = await context.newCDPSession(page);
          await cdp.send('Performance.enable');
          const l = await load(page, cdp, waitReady, () => page.goto(ctx.baseURL + ctx.dashboardPath, { waitUntil: 'commit' }), ctx);
          // The first cold load also warms the browser process itself
          // (GPU/network service start-up): not counted.
          if (i >= ctx.warmup) loads.push(l);
        } finally {
          await context.close();
        }
      }
      return summarize(loads);
    },
  },
  {
    name: 'dashboard to ready (warm: reload, same context)',
    needsPage: false,
    iterations: 5,
    warmup: 1,
    timeoutMs: 300_000,
    async run(_, ctx) {
      const skipped = await present(ctx);
      if (skipped) return { skipped };
      const { context, waitReady } = await setupContext(ctx.browser);
      try {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        // The cold load that fills the caches, then warm-up reloads (the
        // code caches need a load or two before V8 stores compiled code).
        await load(page, cdp, waitReady, () => page.goto(ctx.baseURL + ctx.dashboardPath, { waitUntil: 'commit' }), ctx);
        const loads = [];
        for (let i = 0; i < ctx.warmup + ctx.iterations; i++) {
          const l = await load(page, cdp, waitReady, () => page.reload({ waitUntil: 'commit' }), ctx);
          if (i >= ctx.warmup) loads.push(l);
        }
        return summarize(loads);
      } finally {
        await context.close();
      }
    },
  },
];
