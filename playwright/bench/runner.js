// Running cases for the browser benchmark: one case in its own context
// (runCase), or the clients of one workload side by side, round by round
// (runGroup). Both never throw: a failure becomes the result's error.
import { bracketOverhead, closeContext, measureChunk, openPage, withTimeout } from './measure.js';
import { metricsDelta, readMetrics } from './metrics.js';
import { Profiler, saveProfiles } from './profile.js';
import { COUNTERS, fmt, stats } from './report.js';

/** errorText is an error's message without the stack lines Playwright appends. */
function errorText(err) {
  return String(err?.message ?? err)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .join('\n')
    .trim();
}

function caseContext(browser, opts, c, iterations, warmup, timeoutMs) {
  const opened = [];
  return {
    opened, // contexts from openPage, closed by the runner when the case ends
    baseURL: opts.baseURL,
    wsURL: (p) => opts.baseURL.replace(/^http/, 'ws') + p,
    iterations,
    warmup,
    browser,
    dashboardPath: opts.dashboardPath,
    timeoutMs,
    smoke: opts.smoke,
    readMetrics,
    metricsDelta,
    withTimeout,
    openPage: async () => {
      const p = await openPage(browser, opts.baseURL);
      opened.push(p.context);
      return p;
    },
    closeContext,
    measureChunk,
    measure: () => Promise.reject(new Error(`${c.name}: ctx.measure() needs a page (needsPage: false)`)),
  };
}

function caseBase(c, opts) {
  const iterations = opts.iterations ?? c.iterations ?? 200;
  const warmup = opts.warmup ?? c.warmup ?? 2;
  const timeoutMs = c.timeoutMs ?? opts.caseTimeoutMs;
  const base = { name: c.name, file: c.file ?? 'run.js', ...(c.workload ? { workload: c.workload, client: c.client, targets: c.targets } : {}), iterations, warmup };
  return { iterations, warmup, timeoutMs, base };
}

/**
 * summarize turns samples ({wallMs, mainThreadMs, ..., cpuSource}) into a
 * result: wall-time statistics, every counter's per-sample values and
 * median, and where the renderer CPU came from.
 */
function summarize(base, samples) {
  const r = { ...base, ...stats(samples.map((s) => s.wallMs)) };
  r.samples = samples.map((s) => round3(s.wallMs));
  r.counters = {};
  for (const k of COUNTERS) {
    const vals = samples.map((s) => s[k]).filter(Number.isFinite);
    if (!vals.length) continue;
    r.counters[k] = vals.map(round3);
    r[k] = stats(vals).median;
  }
  const sources = [...new Set(samples.map((s) => s.cpuSource).filter(Boolean))];
  if (sources.length) r.cpuSource = sources.length === 1 ? sources[0] : 'ProcessTime';
  return r;
}

const round3 = (v) => Math.round(v * 1000) / 1000;

/**
 * runGroup runs cases that share a `group` (one workload, several clients)
 * side by side: each gets its own context and is prepared and warmed up,
 * then the measured iterations are split into rounds and the clients take
 * turns, round by round (the first client rotating). Load from elsewhere on
 * the machine then hits every client alike, and the ratios stay fair even
 * when absolute times drift. A member that fails or runs out of its
 * timeoutMs is reported as an error; the others go on. Never throws.
 *
 * Group cases: { name, group, workload?, client?, targets?, iterations,
 * warmup, timeoutMs, async prepare(page, ctx) (sets window.benchStep),
 * async finish?(page, ctx) (returns extra, e.g. a validation of the
 * result) }. Every measured iteration gets its own counter bracket.
 * With needsPage: false a case makes its own pages instead (start-up
 * cases): prepare?(null, ctx), async chunk(ctx, n) returning n samples,
 * finish?(null, ctx).
 */
export async function runGroup(browser, cases, opts) {
  const members = cases.map((c) => {
    const { iterations, warmup, timeoutMs, base } = caseBase(c, opts);
    return { c, iterations, warmup, base, timeoutMs, samples: [], profiles: null, used: 0 };
  });
  // Each member's timeoutMs bounds the time spent on it, not the group's:
  // the members take turns.
  const bounded = async (m, promise) => {
    promise.catch(() => {}); // after a timeout it may still fail later
    const t = Date.now();
    try {
      return await withTimeout(promise, Math.max(1, m.timeoutMs - m.used), m.c.name);
    } finally {
      m.used += Date.now() - t;
    }
  };
  const fail = async (m, err) => {
    m.error = errorText(err);
    await closeContext(m.context);
    m.context = null;
  };
  const progress = (m, what) => process.stderr.write(`bench: ${m.c.name}: ${what}\n`);
  const makeProfiler = opts.profileDir ? (cdp) => new Profiler(cdp) : null;

  // Prepare every member (client open, workload set up, warm-up), then
  // measure the bracket cost once per page.
  for (const m of members) {
    try {
      m.ctx = caseContext(browser, opts, m.c, m.iterations, m.warmup, m.timeoutMs);
      if (m.c.needsPage === false) {
        if (m.c.prepare) await bounded(m, m.c.prepare(null, m.ctx));
        continue;
      }
      const { context, page, cdp, profiler, pid } = await bounded(m, openPage(browser, opts.baseURL, m.c.profile ? makeProfiler : null));
      Object.assign(m, { context, page, cdp, profiler, pid });
      m.ctx.cdp = cdp;
      await bounded(m, m.c.prepare(page, m.ctx));
      if (m.warmup > 0) await bounded(m, page.evaluate((n) => window.__benchLoop(n), m.warmup));
      m.overhead = await bounded(m, bracketOverhead(page, cdp, pid));
    } catch (err) {
      await fail(m, err);
      progress(m, `ERROR ${m.error.split('\n')[0]}`);
    }
  }

  // Profiles cover one uninterrupted loop: no rounds when profiling.
  const rounds = opts.profileDir ? 1 : Math.max(1, Math.min(opts.rounds, ...members.map((m) => m.iterations)));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < members.length; i++) {
      const m = members[(i + r) % members.length];
      if (m.error) continue;
      const n = Math.floor(((r + 1) * m.iterations) / rounds) - Math.floor((r * m.iterations) / rounds);
      if (n === 0) continue;
      try {
        if (m.c.needsPage === false) {
          const samples = await bounded(m, m.c.chunk(m.ctx, n));
          if (!Array.isArray(samples) || samples.length !== n) throw new Error(`chunk returned ${samples?.length} samples, want ${n}`);
          m.samples.push(...samples);
          continue;
        }
        const chunk = await bounded(m, measureChunk(m.page, m.cdp, n, { overhead: m.overhead, profiler: m.profiler, pid: m.pid, perIteration: true }));
        m.samples.push(...chunk.samples);
        if (chunk.profiles) m.profiles = chunk.profiles;
      } catch (err) {
        await fail(m, err);
        progress(m, `ERROR ${m.error.split('\n')[0]}`);
      }
    }
  }

  const results = [];
  for (const m of members) {
    try {
      if (m.error) throw new Error(m.error);
      const extra = m.c.finish ? await bounded(m, m.c.finish(m.page ?? null, m.ctx)) : undefined;
      const r = { ...summarize(m.base, m.samples), rounds };
      if (m.overhead) r.bracketMs = m.overhead; // already subtracted from the counters
      if (extra) r.extra = extra;
      if (m.profiles) r.profile = await saveProfiles(m.c, m.profiles, opts.profileDir);
      r.caseSeconds = m.used / 1000;
      results.push(r);
      progress(m, `${fmt(r.median)} ms (n=${r.n}, ${r.caseSeconds.toFixed(1)} s)`);
    } catch (err) {
      results.push({ ...m.base, error: errorText(err), caseSeconds: m.used / 1000 });
    } finally {
      await closeContext(m.context);
      for (const c of m.ctx?.opened ?? []) await closeContext(c);
    }
  }
  return results;
}

/** runCase runs one case in its own browser context; never throws. */
export async function runCase(browser, c, opts) {
  const { iterations, warmup, timeoutMs, base } = caseBase(c, opts);
  const t0 = Date.now();
  let context = null;
  const work = (async () => {
    let measured = null;
    const ctx = caseContext(browser, opts, c, iterations, warmup, timeoutMs);
    // Cases that manage their own contexts (page loads) get no page.
    if (c.needsPage === false) return { out: await c.run(null, ctx), measured };
    const opened = await openPage(browser, opts.baseURL);
    context = opened.context;
    const { page, cdp, pid } = opened;
    ctx.cdp = cdp;
    // One counter bracket around the whole loop: these steps are sub-ms.
    ctx.measure = async () => {
      if (warmup > 0) await page.evaluate((n) => window.__benchLoop(n), warmup);
      const overhead = await bracketOverhead(page, cdp, pid);
      const chunk = await measureChunk(page, cdp, iterations, { overhead, pid });
      measured = { samples: chunk.samples, bracketMs: overhead };
      return measured;
    };
    if (c.setup) await c.setup(page, ctx);
    return { out: await c.run(page, ctx), measured };
  })();
  try {
    const { out, measured } = await withTimeout(work, timeoutMs, c.name);
    if (out && out.skipped) return { ...base, skipped: String(out.skipped) };
    // A case returns ctx.measure()'s result, samples (an array of ms or
    // one number), or an object with samples, optional per-iteration
    // counters and extra.
    const res = typeof out === 'number' ? { samples: [out] } : Array.isArray(out) ? { samples: out } : { ...(out ?? {}) };
    if (!Array.isArray(res.samples) || res.samples.length === 0) throw new Error('the case returned no samples');
    const samples = res.samples.map((s) => {
      if (typeof s === 'object') return s;
      const o = { wallMs: s };
      for (const k of COUNTERS) if (Number.isFinite(res[k])) o[k] = res[k];
      return o;
    });
    const r = summarize(base, samples);
    const bracket = res.bracketMs ?? measured?.bracketMs;
    if (bracket) r.bracketMs = bracket; // already subtracted from the counters
    if (res.extra) r.extra = res.extra;
    r.caseSeconds = (Date.now() - t0) / 1000;
    return r;
  } catch (err) {
    work.catch(() => {}); // a timed-out case may fail later, once its context is gone
    return { ...base, error: errorText(err), caseSeconds: (Date.now() - t0) / 1000 };
  } finally {
    await closeContext(context);
  }
}

