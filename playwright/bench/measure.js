// In-page measurement for the browser benchmark: pages with the timing
// loop installed, and the counter brackets around measured iterations.
import { metricsDelta, readMetrics, rendererPid } from './metrics.js';
import { COUNTERS } from './report.js';

export const BLANK_PATH = '/_dev/blank.html';

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Installed in every page before a case runs. The loop starts in a timer
// task: code run inside the Runtime.evaluate DevTools command is not
// counted by ScriptDuration.
function installLoop() {
  window.__benchLoop = async (n) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await window.benchStep();
      out.push(performance.now() - t0);
    }
    return out;
  };
}

/**
 * openPage makes a fresh context (its own renderer process, empty caches)
 * with one page on the blank page, CDP counters on, and finds the
 * renderer's pid for its CPU time (null: ProcessTime is used instead).
 * makeProfiler(cdp), when given, attaches a profiler before any client runs.
 */
export async function openPage(browser, baseURL, makeProfiler = null) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(installLoop);
    const res = await page.goto(baseURL + BLANK_PATH);
    if (!res?.ok()) throw new Error(`${BLANK_PATH}: HTTP ${res?.status()}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const profiler = makeProfiler ? makeProfiler(cdp) : null;
    if (profiler) await profiler.attach();
    const pid = await rendererPid(page, cdp);
    return { context, page, cdp, profiler, pid };
  } catch (err) {
    await closeContext(context);
    throw err;
  }
}

// A wedged page must not wedge the run: closing is bounded too.
export async function closeContext(context) {
  if (context) await withTimeout(context.close(), 15_000, 'closing the context').catch(() => {});
}

/** bracketOverhead is the smallest of a few empty measurement brackets (ms). */
export async function bracketOverhead(page, cdp, pid) {
  let best = null;
  for (let i = 0; i < 5; i++) {
    const before = await readMetrics(cdp, pid);
    await page.evaluate(() => window.__benchLoop(0));
    const d = metricsDelta(before, await readMetrics(cdp, pid), 1);
    if (!best || d.mainThreadMs < best.mainThreadMs) best = d;
  }
  return best;
}

function sampleOf(wallMs, delta, overhead) {
  const s = { wallMs, cpuSource: delta.cpuSource };
  for (const k of COUNTERS) s[k] = Math.max(0, delta[k] - (overhead?.[k] ?? 0));
  return s;
}

/**
 * measureChunk times n iterations of window.benchStep() and returns one
 * sample per iteration: {wallMs, mainThreadMs, scriptMs, mainCpuMs,
 * rendererCpuMs, cpuSource}. perIteration brackets every iteration with
 * the counters (each sample its own page main-thread and CPU time, so they
 * have medians too; for steps of many ms); otherwise one bracket spans the
 * loop and every sample gets its mean (for sub-ms steps). The bracket's
 * own cost (two getMetrics, one evaluate, one timer: ~0.5 ms of main
 * thread) is subtracted.
 */
export async function measureChunk(page, cdp, n, { overhead = null, profiler = null, pid = null, perIteration = false } = {}) {
  if (profiler) await profiler.start();
  const samples = [];
  if (perIteration) {
    for (let i = 0; i < n; i++) {
      const before = await readMetrics(cdp, pid);
      const [wall] = await page.evaluate(() => window.__benchLoop(1));
      const after = await readMetrics(cdp, pid);
      samples.push(sampleOf(wall, metricsDelta(before, after, 1), overhead));
    }
  } else {
    const before = await readMetrics(cdp, pid);
    const walls = await page.evaluate((k) => window.__benchLoop(k), n);
    const after = await readMetrics(cdp, pid);
    const per = metricsDelta(before, after, n);
    const perOverhead = {};
    for (const k of COUNTERS) perOverhead[k] = (overhead?.[k] ?? 0) / n;
    for (const w of walls) samples.push(sampleOf(w, per, perOverhead));
  }
  const profiles = profiler ? await profiler.stop() : null;
  return { samples, profiles };
}
