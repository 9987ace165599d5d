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
import { printProfiles } from './profile.js';
import { runCase, runGroup } from './runner.js';
import {
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
