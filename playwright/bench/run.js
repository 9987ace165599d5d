// Browser benchmark runner: drives Debian's chromium through the
// playwright-core API against a running dev server, prints tables and
// writes JSON.
//
//   node playwright/bench/run.js --base-url http://127.0.0.1:PORT \
//        [--out bench-results.json] [--go-bench build/gobench.txt] \
//        [--iterations N] [--warmup N] [--filter REGEX] \
//        [--case-timeout MS] [--build-dir build] [--dashboard-path /] \
//        [--rounds 5] [--profile DIR] [--smoke]
//
// ./build.sh bench starts the dev server and passes --base-url, --out and
// --go-bench. Cases live in playwright/bench/cases/*.js (see the README
// there); the plumbing's own baselines in builtin.js. --iterations and
// --warmup override every case's own counts. Cases sharing a `group` (one
// workload through several clients) run side by side, taking turns in
// --rounds rounds, so that load from elsewhere on the machine hits every
// client alike.
// --profile DIR records CPU profiles (page main thread and, through CDP
// auto-attach, the qix-wasm worker) of the measured iterations of every
// selected client case, writes them as DIR/*.cpuprofile (open them in
// Chrome DevTools) and prints where the time went.
// --smoke runs every case once (one iteration, no warm-up, one round):
// ./build.sh test uses it to prove the bench runs and produces numbers.
//
// A failed or timed-out case is reported (table and JSON) and the run goes
// on; the exit code is non-zero only when the runner itself breaks, or,
// with --smoke, when a case failed or produced no numbers.
import { chromium } from 'playwright-core';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchOptions } from '../../playwright.config.js';
import { builtinCases } from './builtin.js';
import { bracketOverhead, closeContext, measureChunk, openPage, withTimeout } from './measure.js';
import { metricsDelta, readMetrics } from './metrics.js';
import { Profiler, printProfiles, saveProfiles } from './profile.js';
import {
  COUNTERS,
  clientComparison,
  fmt,
  parseGoBench,
  printClientTable,
  printGoBench,
  printIssueTable,
  printOtherCases,
  printProblems,
  stats,
} from './report.js';

export { stats, parseGoBench, clientComparison };

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const DEFAULT_TIMEOUT_MS = 120_000;

function parseArgs(argv) {
  const opts = {
    out: 'bench-results.json',
    iterations: null,
    warmup: null,
    filter: null,
    goBench: null,
    baseURL: process.env.BASE_URL,
    caseTimeoutMs: Number(process.env.BENCH_CASE_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS,
    buildDir: path.join(repoRoot, 'build'),
    dashboardPath: '/',
    profileDir: null,
    rounds: 5,
    smoke: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const count = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a}: not a count: ${v}`);
      return n;
    };
    if (a === '--base-url') opts.baseURL = next();
    else if (a === '--out') opts.out = next();
    else if (a === '--iterations') opts.iterations = Math.max(1, count(next()));
    else if (a === '--warmup') opts.warmup = count(next());
    else if (a === '--filter') opts.filter = new RegExp(next());
    else if (a === '--go-bench') opts.goBench = next();
    else if (a === '--case-timeout') opts.caseTimeoutMs = Math.max(1, count(next()));
    else if (a === '--build-dir') opts.buildDir = path.resolve(next());
    else if (a === '--dashboard-path') opts.dashboardPath = next();
    else if (a === '--profile') opts.profileDir = path.resolve(next());
    else if (a === '--rounds') opts.rounds = Math.max(1, count(next()));
    else if (a === '--smoke') opts.smoke = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.baseURL) throw new Error('--base-url (or BASE_URL) is required');
  opts.baseURL = opts.baseURL.replace(/\/+$/, '');
  if (opts.smoke) Object.assign(opts, { iterations: 1, warmup: 0, rounds: 1, profileDir: null });
  return opts;
}

async function loadCases() {
  const dir = path.join(here, 'cases');
  let files = [];
  try {
    files = (await readdir(dir)).filter((f) => /\.(m?js)$/.test(f)).sort();
  } catch {
    return [];
  }
  const cases = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    const list = Array.isArray(mod.default) ? mod.default : [mod.default];
    for (const c of list) {
      const entry = c?.group ? (c.needsPage === false ? c.chunk : c.prepare) : c?.run;
      if (!c?.name || typeof entry !== 'function') throw new Error(`${f}: a case needs a name and run() (or group and prepare(), or group, needsPage: false and chunk())`);
      cases.push({ ...c, file: f });
    }
  }
  return cases;
}

// ---------------------------------------------------------------- running

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
async function runGroup(browser, cases, opts) {
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
async function runCase(browser, c, opts) {
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

// ---------------------------------------------------------------- environment

async function fileSize(p) {
  try {
    return (await stat(p)).size;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

async function environment(opts, browser) {
  const wasm = path.join(opts.buildDir, 'qix.wasm');
  return {
    date: new Date().toISOString(),
    baseURL: opts.baseURL,
    chromium: run(launchOptions.executablePath, ['--version']),
    browserVersion: browser?.version?.() ?? null,
    node: process.version,
    go: run('go', ['version']),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? null,
    loadavg: os.loadavg(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    wasm: { raw: await fileSize(wasm), gzip: await fileSize(`${wasm}.gz`), brotli: await fileSize(`${wasm}.br`) },
  };
}

/** smokeProblems lists what makes a --smoke run fail: errors and cases without numbers. */
function smokeProblems(results) {
  const out = [];
  for (const r of results) {
    if (r.error) out.push(`${r.name}: ${r.error.split('\n')[0]}`);
    else if (r.skipped) continue;
    else if (!Number.isFinite(r.median) || !Number.isFinite(r.mainThreadMs) || !Number.isFinite(r.rendererCpuMs)) out.push(`${r.name}: no numbers (wall ${r.median}, main ${r.mainThreadMs}, CPU ${r.rendererCpuMs})`);
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cases = [...builtinCases, ...(await loadCases())].filter((c) => !opts.filter || opts.filter.test(c.name));
  if (opts.profileDir) for (const c of cases) c.profile = !!c.workload;

  let browser = await chromium.launch({ ...launchOptions, headless: true });
  const env = await environment(opts, browser);
  const results = [];
  try {
    const done = new Set();
    for (const c of cases) {
      if (done.has(c)) continue;
      // A crashed browser costs only the cases it crashed in.
      if (!browser.isConnected()) browser = await chromium.launch({ ...launchOptions, headless: true });
      if (c.group) {
        const group = cases.filter((x) => x.group === c.group);
        for (const x of group) done.add(x);
        process.stderr.write(`bench: ${c.group}: ${group.length} cases side by side, ${opts.profileDir ? 1 : opts.rounds} rounds\n`);
        results.push(...(await runGroup(browser, group, opts)));
        continue;
      }
      done.add(c);
      process.stderr.write(`bench: ${c.name} ... `);
      const r = await runCase(browser, c, opts);
      process.stderr.write(r.error ? `ERROR ${r.error.split('\n')[0]}\n` : r.skipped ? `skipped: ${r.skipped}\n` : `${fmt(r.median)} ms (n=${r.n}, ${r.caseSeconds.toFixed(1)} s)\n`);
      results.push(r);
    }
  } finally {
    await browser.close().catch(() => {});
  }

  let goResults = [];
  let goError = null;
  if (opts.goBench) {
    try {
      goResults = parseGoBench(await readFile(opts.goBench, 'utf8'));
    } catch (err) {
      goError = `reading ${opts.goBench}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`;
    }
  }

  const comparison = clientComparison(results);
  const w = env.wasm;
  env.loadavgEnd = os.loadavg();
  console.log(`\nbrowser benchmark${opts.smoke ? ' (smoke: one iteration per case, numbers not comparable)' : ''}: ${opts.baseURL}  ${env.chromium ?? ''}  node ${env.node}`);
  console.log(`machine: ${env.cpus} × ${env.cpu ?? '?'}, ${env.memGiB} GiB; load average ${env.loadavg[0].toFixed(2)} at start, ${env.loadavgEnd[0].toFixed(2)} at end`);
  if (w.raw) console.log(`qix.wasm: raw ${w.raw} B, gzip ${w.gzip ?? '-'} B, brotli ${w.brotli ?? '-'} B`);
  if (Math.max(env.loadavg[0], env.loadavgEnd[0]) > env.cpus * 0.75) {
    console.log('NOTE: other work competed for the CPUs; expect noisy times (the medians and the ratios of interleaved rounds hold up better).');
  }
  if (comparison.length) {
    console.log('\nqix-wasm ÷ enigma.js (same workload, same emulator, same browser, rounds interleaved)\n');
    printIssueTable(comparison);
    console.log('\nper client\n');
    printClientTable(comparison);
  }
  if (results.some((r) => !r.workload)) {
    console.log('\nplumbing, counter checks and page load');
    printOtherCases(results);
  }
  if (results.some((r) => r.error || r.skipped)) {
    console.log('\nerrors and skipped cases');
    printProblems(results);
  }
  printProfiles(results);
  if (goResults.length) {
    console.log('\nGo benchmarks');
    printGoBench(goResults);
  } else if (goError) console.log(`\nGo benchmarks: ${goError}`);

  const report = {
    date: env.date,
    baseURL: env.baseURL,
    smoke: opts.smoke,
    environment: env,
    unit: 'ms',
    notes: {
      wall: 'per iteration, performance.now() in the page; samples hold every iteration',
      mainThreadMs: 'per iteration, CDP Performance.getMetrics TaskDuration delta of the page renderer main thread (dedicated workers excluded); counters hold every sample, the field their median',
      scriptMs: 'per iteration, ScriptDuration delta (script run from event handlers and timers on the main thread; microtasks not counted: a lower bound)',
      mainCpuMs: 'per iteration, ThreadTime delta (main-thread CPU time)',
      rendererCpuMs: 'per iteration, CPU time of every thread of the page renderer process, workers included: /proc/<pid>/task/*/schedstat (cpuSource proc) or CDP ProcessTime in 10 ms ticks (cpuSource ProcessTime)',
      ratios: 'comparison: medians, ratio to enigma.js; targets per workload, missed lists the missed ones',
    },
    comparison,
    browser: results,
    go: goResults,
    ...(goError ? { goError } : {}),
  };
  await writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
  const failed = results.filter((r) => r.error).length;
  console.log(`\nwrote ${opts.out} (${results.length} browser cases${failed ? `, ${failed} failed` : ''}, ${goResults.length} Go benchmarks)`);
  if (opts.smoke) {
    const problems = smokeProblems(results);
    if (problems.length) {
      console.log(`bench smoke: FAILED\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else console.log(`bench smoke: OK, ${results.filter((r) => !r.skipped).length} cases produced numbers`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
