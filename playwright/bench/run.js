// Browser benchmark runner (skeleton): drives Debian's chromium through the
// playwright-core API against a running dev server, prints a table and
// writes JSON.
//
//   node playwright/bench/run.js --base-url http://127.0.0.1:PORT \
//        [--out bench-results.json] [--go-bench build/gobench.txt] \
//        [--iterations 200] [--filter REGEX]
//
// ./build.sh bench starts the dev server and passes these. Cases live in
// playwright/bench/cases/*.js; each default-exports
//   { name, iterations?, async setup?(page, ctx), async run(page, ctx) }
// where run() returns an array of samples in milliseconds (or one number)
// measured inside the page, or an object { samples, extra }; timeoutMs
// (default 120000) bounds a case.
// ctx = { baseURL, wsURL(path), iterations }.
import { chromium } from 'playwright-core';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchOptions } from '../../playwright.config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BLANK_PATH = '/_dev/blank.html';

function parseArgs(argv) {
  const opts = { out: 'bench-results.json', iterations: 200, filter: null, goBench: null, baseURL: process.env.BASE_URL };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--base-url') opts.baseURL = next();
    else if (a === '--out') opts.out = next();
    else if (a === '--iterations') opts.iterations = Number(next());
    else if (a === '--filter') opts.filter = new RegExp(next());
    else if (a === '--go-bench') opts.goBench = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.baseURL) throw new Error('--base-url (or BASE_URL) is required');
  opts.baseURL = opts.baseURL.replace(/\/+$/, '');
  return opts;
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / n;
  return { n, mean, p50: q(0.5), p95: q(0.95), min: s[0], max: s[n - 1] };
}

/** Parses `go test -bench` output into {pkg, name, iterations, metrics}. */
export function parseGoBench(text) {
  const out = [];
  let pkg = '';
  for (const line of text.split('\n')) {
    const p = line.match(/^pkg:\s+(\S+)/);
    if (p) {
      pkg = p[1];
      continue;
    }
    const m = line.match(/^(Benchmark\S+)\s+(\d+)\s+(.*)$/);
    if (!m) continue;
    const metrics = {};
    const parts = m[3].trim().split(/\s+/);
    for (let i = 0; i + 1 < parts.length; i += 2) metrics[parts[i + 1]] = Number(parts[i]);
    out.push({ pkg, name: m[1], iterations: Number(m[2]), metrics });
  }
  return out;
}

// Built-in cases: the plumbing's own baselines. The client's cases go in
// cases/*.js.
const builtinCases = [
  {
    name: 'wasm fetch+compile (cold, br)',
    iterations: 5,
    async run(page, ctx) {
      return page.evaluate(async (n) => {
        const out = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await WebAssembly.compileStreaming(fetch('/qix.wasm', { cache: 'no-store' }));
          out.push(performance.now() - t0);
        }
        return out;
      }, ctx.iterations);
    },
  },
  {
    name: 'WebSocket connect to OnConnected',
    iterations: 20,
    async run(page, ctx) {
      return page.evaluate(
        async ({ n, url }) => {
          const out = [];
          for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            await new Promise((resolve, reject) => {
              const ws = new WebSocket(url);
              ws.onmessage = () => {
                ws.onclose = null;
                ws.close(1000);
                resolve();
              };
              ws.onclose = (e) => reject(new Error(`closed ${e.code} ${e.reason}`));
            });
            out.push(performance.now() - t0);
          }
          return out;
        },
        { n: ctx.iterations, url: ctx.wsURL('/app/engineData/identity/bench-connect') },
      );
    },
  },
  {
    name: 'raw JSON-RPC round trip (Global.EngineVersion)',
    async run(page, ctx) {
      return page.evaluate(
        async ({ n, url }) => {
          const ws = new WebSocket(url);
          await new Promise((resolve, reject) => {
            ws.onmessage = () => resolve(); // OnConnected
            ws.onclose = (e) => reject(new Error(`closed ${e.code} ${e.reason}`));
          });
          const out = [];
          let pending = null;
          ws.onmessage = (e) => {
            const msg = JSON.parse(e.data);
            if (pending && msg.id === pending.id) pending.resolve(msg);
          };
          for (let id = 1; id <= n; id++) {
            const t0 = performance.now();
            const msg = await new Promise((resolve) => {
              pending = { id, resolve };
              ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle: -1, method: 'EngineVersion', params: {} }));
            });
            if (msg.error) throw new Error(JSON.stringify(msg.error));
            out.push(performance.now() - t0);
          }
          ws.onclose = null;
          ws.close(1000);
          return out;
        },
        { n: ctx.iterations, url: ctx.wsURL('/app/engineData/identity/bench-rpc') },
      );
    },
  },
];

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
      if (!c?.name || typeof c.run !== 'function') throw new Error(`${f}: default export needs name and run()`);
      cases.push({ ...c, file: f });
    }
  }
  return cases;
}

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function fmt(v) {
  return v === undefined ? '-' : v >= 100 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function printTable(rows) {
  const head = ['case', 'n', 'mean ms', 'p50 ms', 'p95 ms', 'min ms', 'max ms'];
  const body = rows.map((r) =>
    r.error
      ? [r.name, 'ERROR', '-', '-', '-', '-', '-']
      : [r.name, String(r.n), fmt(r.mean), fmt(r.p50), fmt(r.p95), fmt(r.min), fmt(r.max)],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  for (const r of rows) if (r.error) console.log(`ERROR ${r.name}: ${r.error.split('\n')[0]}`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ctxBase = {
    baseURL: opts.baseURL,
    wsURL: (p) => opts.baseURL.replace(/^http/, 'ws') + p,
  };
  const cases = [...builtinCases, ...(await loadCases())].filter((c) => !opts.filter || opts.filter.test(c.name));

  const browser = await chromium.launch({ ...launchOptions, headless: true });
  const results = [];
  let failed = 0;
  try {
    for (const c of cases) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const ctx = { ...ctxBase, iterations: c.iterations ?? opts.iterations };
      try {
        const res = await page.goto(opts.baseURL + BLANK_PATH);
        if (!res?.ok()) throw new Error(`${BLANK_PATH}: ${res?.status()}`);
        if (c.setup) await c.setup(page, ctx);
        let out = await withTimeout(c.run(page, ctx), c.timeoutMs ?? (Number(process.env.BENCH_CASE_TIMEOUT_MS) || 120_000), c.name);
        let extra;
        if (typeof out === 'number') out = [out];
        else if (out && !Array.isArray(out)) ({ samples: out, extra } = out);
        results.push({ name: c.name, file: c.file, ...stats(out), ...(extra ? { extra } : {}) });
      } catch (err) {
        failed++;
        results.push({ name: c.name, file: c.file, error: String(err?.message ?? err) });
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }

  console.log(`\nbrowser benchmark: ${opts.baseURL}`);
  printTable(results);

  let goResults = [];
  if (opts.goBench) {
    try {
      goResults = parseGoBench(await readFile(opts.goBench, 'utf8'));
    } catch (err) {
      console.error(`reading ${opts.goBench}: ${err.message}`);
    }
  }

  if (goResults.length) {
    console.log('\nGo benchmarks');
    const rows = goResults.map((g) => [
      `${g.pkg.replace(/^github\.com\/qix-wasm\/qix-wasm\//, '')}.${g.name}`,
      String(g.iterations),
      Object.entries(g.metrics)
        .map(([unit, v]) => `${v} ${unit}`)
        .join('  '),
    ]);
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    for (const r of rows) console.log(`${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2]}`);
  }

  let chromiumVersion = '';
  try {
    chromiumVersion = execFileSync(launchOptions.executablePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  const report = {
    date: new Date().toISOString(),
    baseURL: opts.baseURL,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: chromiumVersion },
    unit: 'ms',
    browser: results,
    go: goResults,
  };
  await writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${opts.out} (${results.length} browser cases, ${goResults.length} Go benchmarks)`);
  if (failed) {
    console.error(`${failed} benchmark case(s) failed`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
