// Browser benchmark runner: drives Debian's chromium through the
// playwright-core API against a running dev server, prints tables and
// writes JSON.
//
//   node playwright/bench/run.js --base-url http://127.0.0.1:PORT \
//        [--out bench-results.json] [--go-bench build/gobench.txt] \
//        [--iterations N] [--warmup N] [--filter REGEX] \
//        [--case-timeout MS] [--build-dir build] [--dashboard-path /] \
//        [--rounds 5] [--profile DIR]
//
// ./build.sh bench starts the dev server and passes --base-url, --out and
// --go-bench. Cases live in playwright/bench/cases/*.js (see the README
// there). --iterations and --warmup override every case's own counts.
// Cases sharing a `group` (one workload through several clients) run side
// by side, taking turns in --rounds rounds, so that load from elsewhere on
// the machine hits every client alike.
// --profile DIR records CPU profiles (page main thread and, through CDP
// auto-attach, the qix-wasm worker) of the measured iterations of every
// selected client case, writes them as DIR/*.cpuprofile (open them in
// Chrome DevTools) and prints where the time went.
//
// A failed or timed-out case is reported (table and JSON) and the run goes
// on; the exit code is non-zero only when the runner itself breaks.
import { chromium } from 'playwright-core';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchOptions } from '../../playwright.config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const BLANK_PATH = '/_dev/blank.html';
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
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.baseURL) throw new Error('--base-url (or BASE_URL) is required');
  opts.baseURL = opts.baseURL.replace(/\/+$/, '');
  return opts;
}

export function stats(samples) {
  const s = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  // Nearest-rank percentiles: with few samples p95 is simply the maximum.
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

// ---------------------------------------------------------------- CDP metrics

// The CDP Performance domain's counters for the page's renderer main thread
// (seconds). TaskDuration is the wall time of every main-thread task (what
// blocks input and rendering); dedicated workers run on their own threads
// and are not in it (checked: a 1 s busy loop in a worker adds ~0 ms).
// ThreadTime is the main thread's CPU time (lower than TaskDuration when
// the machine is busy and the thread gets descheduled); ProcessTime is the
// CPU time of the whole renderer process, workers included. ScriptDuration
// counts script run from tasks (event handlers, timers), but neither
// promise continuations (microtasks) nor script run inside a DevTools
// command such as Runtime.evaluate: measured code therefore starts in a
// timer task, and ScriptDuration stays a lower bound for promise-heavy code.
const METRICS = ['TaskDuration', 'ScriptDuration', 'ThreadTime', 'ProcessTime', 'NavigationStart'];

export async function readMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const out = {};
  for (const m of metrics) if (METRICS.includes(m.name)) out[m.name] = m.value;
  return out;
}

/** Per-iteration milliseconds between two readMetrics results. */
export function metricsDelta(before, after, n) {
  // The per-document counters restart with every new document: if a
  // navigation happened in between, after alone is the time since that
  // navigation. ProcessTime belongs to the process and goes on, unless the
  // navigation moved to a new process (then it is smaller than before).
  const reset = !before || after.NavigationStart !== before.NavigationStart;
  const d = (k, restarts) => (((after[k] ?? 0) - (restarts ? 0 : (before?.[k] ?? 0))) * 1000) / n;
  const newProcess = !before || (after.ProcessTime ?? 0) < (before.ProcessTime ?? 0);
  return {
    mainThreadMs: d('TaskDuration', reset),
    scriptMs: d('ScriptDuration', reset),
    mainCpuMs: d('ThreadTime', reset),
    rendererCpuMs: d('ProcessTime', newProcess),
  };
}

// ---------------------------------------------------------------- profiling

/**
 * Profiler records V8 CPU profiles of the page's main thread and of its
 * dedicated workers. Workers are reached through Target.setAutoAttach on
 * the page's CDP session (non-flat mode, so Playwright's CDPSession can
 * talk to them with Target.sendMessageToTarget).
 */
class Profiler {
  constructor(cdp) {
    this.cdp = cdp;
    this.workers = new Map(); // sessionId -> {title, url, ready}
    this.nextId = 1;
    this.waiting = new Map();
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type !== 'worker') return;
      const w = { sessionId: e.sessionId, title: e.targetInfo.title, url: e.targetInfo.url };
      this.workers.set(e.sessionId, w);
      w.ready = this.workerSend(w, 'Profiler.enable').then(() => this.workerSend(w, 'Profiler.setSamplingInterval', { interval: 100 }));
      if (e.waitingForDebugger) this.workerSend(w, 'Runtime.runIfWaitingForDebugger').catch(() => {});
    });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      let msg;
      try {
        msg = JSON.parse(e.message);
      } catch {
        return;
      }
      const p = msg.id !== undefined && this.waiting.get(msg.id);
      if (!p) return;
      this.waiting.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
  }

  workerSend(w, method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, method });
      this.cdp.send('Target.sendMessageToTarget', { sessionId: w.sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  }

  /** attach must run before the workers start (i.e. before the client opens). */
  async attach() {
    await this.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    await this.cdp.send('Profiler.enable');
    await this.cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }

  async start() {
    await Promise.all([...this.workers.values()].map((w) => w.ready));
    await this.cdp.send('Profiler.start');
    for (const w of this.workers.values()) await this.workerSend(w, 'Profiler.start');
  }

  async stop() {
    const out = [{ thread: 'main', profile: (await this.cdp.send('Profiler.stop')).profile }];
    for (const w of this.workers.values()) {
      const r = await this.workerSend(w, 'Profiler.stop');
      out.push({ thread: `worker ${w.title || w.url}`, profile: r.profile });
    }
    return out;
  }
}

// Buckets for the profile summary, first match wins; they name the layers
// the bridge's data passes through. Browser builtins have no URL. Go
// function names need a qix.wasm built without -ldflags=-s (the release
// build strips the name section: its functions show as wasm-function[N]).
const BUILTINS = {
  postMessage: 'builtin: postMessage',
  send: 'builtin: WebSocket.send',
  decode: 'builtin: TextDecoder.decode',
  encode: 'builtin: TextEncoder.encode/encodeInto',
  encodeInto: 'builtin: TextEncoder.encode/encodeInto',
  structuredClone: 'builtin: structuredClone',
  parse: 'builtin: JSON.parse',
  stringify: 'builtin: JSON.stringify',
};
const PROFILE_BUCKETS = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['(program): native, not JS (task dispatch, IPC, socket)', (f) => f.functionName === '(program)'],
  ['JS<->wasm trampolines', (f) => /^(wasm-to-js|js-to-wasm)/.test(f.functionName)],
  ['Go (stripped names)', (f) => isWasm(f) && /^wasm-function\[/.test(f.functionName)],
  ['Go: JSON (easyjson, encoding/json)', (f) => isWasm(f) && /easyjson|jlexer|jwriter|encoding\/json|strconv|unicode\/utf8/.test(f.functionName)],
  ['Go: websocket', (f) => isWasm(f) && /websocket|coder/.test(f.functionName)],
  ['Go: syscall/js', (f) => isWasm(f) && /syscall\/js/.test(f.functionName)],
  ['Go: runtime (scheduler, GC, alloc, maps)', (f) => isWasm(f) && /^(runtime|internal|sync|wasm_pc|memeqbody|memmove|memclr|cmpbody|gcWrite)/.test(f.functionName)],
  ['Go: qixcore', (f) => isWasm(f) && /qixcore/.test(f.functionName)],
  ['Go: wasm main (backend)', (f) => isWasm(f) && /^main\./.test(f.functionName)],
  ['Go: other', (f) => isWasm(f)],
  ['JS: wasm_exec.js (Go<->JS value glue)', (f) => /wasm_exec\.js/.test(f.url)],
  ['JS: qix.js bridge', (f) => /\/qix\.js/.test(f.url)],
  ['JS: qix-worker.js', (f) => /qix-worker\.js/.test(f.url)],
  ['JS: enigma.js', (f) => /enigma/.test(f.url)],
  ['builtin', (f) => !f.url && BUILTINS[f.functionName] !== undefined],
  ['JS: bench harness', (f) => !f.url && /bench|^window\./.test(f.functionName)],
  ['other', () => true],
];

function isWasm(f) {
  return /\.wasm$|wasm:\/\//.test(f.url) || /^wasm-function\[/.test(f.functionName);
}

function bucketOf(f) {
  const [name] = PROFILE_BUCKETS.find(([, test]) => test(f));
  return name === 'builtin' ? BUILTINS[f.functionName] : name;
}

/** summarizeProfile returns self time (ms) per bucket and the top functions. */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dts = profile.timeDeltas || [];
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the interval
    // that follows a sample to it.
    const dt = (dts[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const buckets = {};
  const fns = new Map();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const bucket = bucketOf(n.callFrame);
    buckets[bucket] = (buckets[bucket] ?? 0) + ms;
    if (bucket !== 'idle') total += ms;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url || '')}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const top = [...fns.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 15);
  return { busyMs: total, buckets, top };
}

// ---------------------------------------------------------------- in-page measurement

/**
 * measureSteps runs window.benchStep() (set up by the case) warmup times,
 * then iterations times, inside the page: wall time per iteration from
 * performance.now(), main-thread time per iteration from the CDP counters
 * around the measured loop (one bracket for the whole loop, so the CDP
 * round trips cost nothing per iteration).
 */
async function measureSteps(page, cdp, { iterations, warmup, profiler }) {
  if (warmup > 0) await page.evaluate((n) => window.__benchLoop(n), warmup);
  const overhead = await bracketOverhead(page, cdp);
  const chunk = await measureChunk(page, cdp, iterations, overhead, profiler);
  const per = {};
  for (const k of Object.keys(chunk.totals)) per[k] = chunk.totals[k] / iterations;
  return { samples: chunk.samples, ...per, bracketMs: overhead, profiles: chunk.profiles };
}

/**
 * measureChunk times n iterations in one loop and returns the samples and
 * the counters' totals (ms) for the loop, less the bracket's own cost: two
 * getMetrics, one evaluate and one timer cost the main thread ~0.5 ms, which
 * is not the client's and not negligible against 300 sub-ms calls.
 */
async function measureChunk(page, cdp, n, overhead, profiler) {
  if (profiler) await profiler.start();
  const before = await readMetrics(cdp);
  const samples = await page.evaluate((k) => window.__benchLoop(k), n);
  const after = await readMetrics(cdp);
  const profiles = profiler ? await profiler.stop() : null;
  const totals = metricsDelta(before, after, 1);
  for (const k of Object.keys(totals)) totals[k] = Math.max(0, totals[k] - (overhead?.[k] ?? 0));
  return { samples, totals, profiles };
}

/** bracketOverhead is the smallest of a few empty measurement brackets (ms). */
async function bracketOverhead(page, cdp) {
  let best = null;
  for (let i = 0; i < 5; i++) {
    const before = await readMetrics(cdp);
    await page.evaluate(() => window.__benchLoop(0));
    const d = metricsDelta(before, await readMetrics(cdp), 1);
    if (!best || d.mainThreadMs < best.mainThreadMs) best = d;
  }
  return best;
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

// ---------------------------------------------------------------- built-in cases

// The plumbing's own baselines. The clients' cases go in cases/*.js.
const busyStep = (where) =>
  where === 'worker'
    ? () => {
        // The worker spins 100 ms per step; the page only waits.
        const src = 'onmessage = () => { const t = performance.now(); while (performance.now() - t < 100); postMessage(0); };';
        const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
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

const builtinCases = [
  // Self-checks of the counters: a dedicated worker's busy time must not
  // show as main-thread time (expect main ~0 here, ~100 below).
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
      if (!c?.name || typeof (c.group ? c.prepare : c.run) !== 'function') throw new Error(`${f}: a case needs a name and run() (or group and prepare())`);
      cases.push({ ...c, file: f });
    }
  }
  return cases;
}

// ---------------------------------------------------------------- running

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** errorText is an error's message without the stack lines Playwright appends. */
function errorText(err) {
  return String(err?.message ?? err)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .join('\n')
    .trim();
}

function safeName(s) {
  return s.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_|_$/g, '');
}

/** openPage makes a fresh context with one page on the blank page, with CDP counters on. */
async function openPage(browser, opts, profile) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(installLoop);
    const res = await page.goto(opts.baseURL + BLANK_PATH);
    if (!res?.ok()) throw new Error(`${BLANK_PATH}: HTTP ${res?.status()}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const profiler = profile ? new Profiler(cdp) : null;
    if (profiler) await profiler.attach();
    return { context, page, cdp, profiler };
  } catch (err) {
    await closeContext(context);
    throw err;
  }
}

// A wedged page must not wedge the run: closing is bounded too.
async function closeContext(context) {
  if (context) await withTimeout(context.close(), 15_000, 'closing the context').catch(() => {});
}

function caseContext(browser, opts, c, iterations, warmup, timeoutMs) {
  return {
    baseURL: opts.baseURL,
    wsURL: (p) => opts.baseURL.replace(/^http/, 'ws') + p,
    iterations,
    warmup,
    browser,
    dashboardPath: opts.dashboardPath,
    timeoutMs,
    readMetrics,
    metricsDelta,
    withTimeout,
    measure: () => Promise.reject(new Error(`${c.name}: ctx.measure() needs a page (needsPage: false)`)),
  };
}

function caseBase(c, opts) {
  const iterations = opts.iterations ?? c.iterations ?? 200;
  const warmup = opts.warmup ?? c.warmup ?? 2;
  const timeoutMs = c.timeoutMs ?? opts.caseTimeoutMs;
  const base = { name: c.name, file: c.file ?? 'run.js', ...(c.workload ? { workload: c.workload, client: c.client } : {}), iterations, warmup };
  return { iterations, warmup, timeoutMs, base };
}

/**
 * runGroup runs cases that share a `group` (one workload, several clients)
 * side by side: each gets its own context and is prepared and warmed up,
 * then the measured iterations are split into rounds and the clients take
 * turns, round by round (the first client rotating). Load from elsewhere on
 * the machine then hits every client alike, and the ratios stay fair even
 * when absolute times drift. A member that fails or runs out of its
 * timeoutMs is reported as an error; the others go on. Never throws.
 *
 * Group cases: { name, group, workload?, client?, iterations, warmup,
 * timeoutMs, async prepare(page, ctx) (sets window.benchStep), async
 * finish?(page, ctx) (returns extra, e.g. a validation of the result) }.
 */
async function runGroup(browser, cases, opts) {
  const members = cases.map((c) => {
    const { iterations, warmup, timeoutMs, base } = caseBase(c, opts);
    return { c, iterations, warmup, base, timeoutMs, samples: [], totals: {}, profiles: null, used: 0 };
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

  // Prepare every member (client open, workload set up, warm-up), then
  // measure the bracket cost once per page.
  for (const m of members) {
    try {
      const { context, page, cdp, profiler } = await bounded(m, openPage(browser, opts, opts.profileDir && m.c.profile));
      Object.assign(m, { context, page, cdp, profiler });
      m.ctx = { ...caseContext(browser, opts, m.c, m.iterations, m.warmup, m.timeoutMs), cdp };
      await bounded(m, m.c.prepare(page, m.ctx));
      if (m.warmup > 0) await bounded(m, page.evaluate((n) => window.__benchLoop(n), m.warmup));
      m.overhead = await bounded(m, bracketOverhead(page, cdp));
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
        const chunk = await bounded(m, measureChunk(m.page, m.cdp, n, m.overhead, m.profiler));
        m.samples.push(...chunk.samples);
        for (const [k, v] of Object.entries(chunk.totals)) m.totals[k] = (m.totals[k] ?? 0) + v;
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
      const extra = m.c.finish ? await bounded(m, m.c.finish(m.page, m.ctx)) : undefined;
      const r = { ...m.base, rounds, ...stats(m.samples), samples: m.samples.map((v) => Math.round(v * 1000) / 1000) };
      for (const [k, v] of Object.entries(m.totals)) r[k] = v / m.samples.length;
      r.bracketMs = m.overhead; // already subtracted from the counters above
      if (extra) r.extra = extra;
      if (m.profiles) r.profile = await saveProfiles(m.c, m.profiles, opts.profileDir);
      r.caseSeconds = m.used / 1000;
      results.push(r);
      progress(m, `${fmt(r.mean)} ms (n=${r.n}, ${r.caseSeconds.toFixed(1)} s)`);
    } catch (err) {
      results.push({ ...m.base, error: errorText(err), caseSeconds: m.used / 1000 });
    } finally {
      await closeContext(m.context);
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
    const opened = await openPage(browser, opts, opts.profileDir && c.profile);
    context = opened.context;
    const { page, cdp, profiler } = opened;
    ctx.cdp = cdp;
    ctx.measure = async () => (measured = await measureSteps(page, cdp, { iterations, warmup, profiler }));
    if (c.setup) await c.setup(page, ctx);
    return { out: await c.run(page, ctx), measured };
  })();
  try {
    const { out, measured } = await withTimeout(work, timeoutMs, c.name);
    if (out && out.skipped) return { ...base, skipped: String(out.skipped) };
    // A case returns samples (an array or one number), or an object with
    // samples, optional per-iteration metrics and extra; metrics it does not
    // give come from its last ctx.measure().
    const res = typeof out === 'number' ? { samples: [out] } : Array.isArray(out) ? { samples: out } : { ...(out ?? {}) };
    const samples = res.samples;
    if (!Array.isArray(samples) || samples.length === 0) throw new Error('the case returned no samples');
    const r = { ...base, ...stats(samples), samples: samples.map((v) => Math.round(v * 1000) / 1000) };
    for (const k of ['mainThreadMs', 'scriptMs', 'mainCpuMs', 'rendererCpuMs']) {
      const v = res[k] ?? measured?.[k];
      if (Number.isFinite(v)) r[k] = v;
    }
    const bracket = res.bracketMs ?? measured?.bracketMs;
    if (bracket) r.bracketMs = bracket; // already subtracted from the metrics above
    if (res.extra) r.extra = res.extra;
    const profiles = res.profiles ?? measured?.profiles;
    if (profiles) r.profile = await saveProfiles(c, profiles, opts.profileDir);
    r.caseSeconds = (Date.now() - t0) / 1000;
    return r;
  } catch (err) {
    work.catch(() => {}); // a timed-out case may fail later, once its context is gone
    return { ...base, error: errorText(err), caseSeconds: (Date.now() - t0) / 1000 };
  } finally {
    await closeContext(context);
  }
}

async function saveProfiles(c, profiles, dir) {
  await mkdir(dir, { recursive: true });
  const out = [];
  for (const p of profiles) {
    const file = path.join(dir, `${safeName(c.name)}.${safeName(p.thread.split(' ')[0])}.cpuprofile`);
    await writeFile(file, JSON.stringify(p.profile));
    out.push({ thread: p.thread, file, ...summarizeProfile(p.profile) });
  }
  return out;
}

// ---------------------------------------------------------------- output

function fmt(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : undefined;
}

function printGrid(head, body, alignLeft = [0]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => (alignLeft.includes(i) ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** clientComparison groups the client cases by workload, with ratios vs the reference client. */
export function clientComparison(results, reference = 'enigma.js') {
  const workloads = [];
  const clients = [];
  for (const r of results) {
    if (!r.workload) continue;
    if (!workloads.includes(r.workload)) workloads.push(r.workload);
    if (!clients.includes(r.client)) clients.push(r.client);
  }
  clients.sort((a, b) => (a === reference ? -1 : b === reference ? 1 : 0));
  return workloads.map((w) => {
    const row = { workload: w, clients: {} };
    const ref = results.find((r) => r.workload === w && r.client === reference);
    for (const c of clients) {
      const r = results.find((x) => x.workload === w && x.client === c);
      if (!r) continue;
      const cell = r.error
        ? { error: r.error }
        : r.skipped
          ? { skipped: r.skipped }
          : { n: r.n, mean: r.mean, p50: r.p50, p95: r.p95, mainThreadMs: r.mainThreadMs, scriptMs: r.scriptMs, mainCpuMs: r.mainCpuMs, rendererCpuMs: r.rendererCpuMs };
      if (c !== reference && ref && !ref.error && !r.error && !r.skipped) {
        cell.wallRatio = ratio(r.mean, ref.mean);
        cell.wallRatioP50 = ratio(r.p50, ref.p50);
        cell.mainRatio = ratio(r.mainThreadMs, ref.mainThreadMs);
        cell.mainCpuRatio = ratio(r.mainCpuMs, ref.mainCpuMs);
        // The product's bar: wall time no worse than enigma.js, page
        // main-thread time at most half of it.
        cell.meetsBar = cell.wallRatio <= 1 && cell.mainRatio <= 0.5;
      }
      row.clients[c] = cell;
    }
    return row;
  });
}

function printComparison(rows, reference = 'enigma.js') {
  if (!rows.length) return;
  const clients = [];
  for (const r of rows) for (const c of Object.keys(r.clients)) if (!clients.includes(c)) clients.push(c);
  const head = ['workload'];
  const groups = [''];
  for (const c of clients) {
    const cols = c === reference ? ['mean', 'p50', 'p95', 'main'] : ['mean', 'p50', 'p95', 'main', 'wall×', 'main×'];
    head.push(...cols);
    groups.push(c, ...cols.slice(1).map(() => null));
  }
  const body = rows.map((r) => {
    const cells = [`${r.workload}`];
    for (const c of clients) {
      const x = r.clients[c];
      const ncols = c === reference ? 4 : 6;
      if (!x || x.error || x.skipped) {
        cells.push(x?.error ? 'ERROR' : x?.skipped ? 'skipped' : '-', ...Array(ncols - 1).fill(''));
        continue;
      }
      cells.push(fmt(x.mean), fmt(x.p50), fmt(x.p95), fmt(x.mainThreadMs));
      if (c !== reference) {
        cells.push(
          x.wallRatio === undefined ? '-' : `${x.wallRatio.toFixed(2)}${x.wallRatio <= 1 ? ' ' : '!'}`,
          x.mainRatio === undefined ? '-' : `${x.mainRatio.toFixed(2)}${x.mainRatio <= 0.5 ? ' ' : '!'}`,
        );
      }
    }
    return cells;
  });
  // Client names over their column groups.
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  let top = '';
  for (let i = 0; i < head.length; i++) {
    if (groups[i] === null) continue;
    let span = widths[i];
    for (let j = i + 1; j < head.length && groups[j] === null; j++) span += 2 + widths[j];
    top += (i ? '  ' : '') + (i === 0 ? ''.padEnd(span) : `[${groups[i]}]`.padEnd(span));
  }
  console.log(top.trimEnd());
  printGrid(head, body);
  console.log(
    `times in ms per iteration; main = page main-thread busy time (CDP TaskDuration); wall×/main× = ratio to ${reference};` +
      ' "!" marks a ratio that misses the bar (wall× <= 1, main× <= 0.5)',
  );
}

function printOtherCases(results) {
  const rows = results.filter((r) => !r.workload);
  if (!rows.length) return;
  const head = ['case', 'n', 'mean', 'p50', 'p95', 'min', 'max', 'main', 'script'];
  const body = rows.map((r) =>
    r.error
      ? [r.name, 'ERROR', '', '', '', '', '', '', '']
      : r.skipped
        ? [r.name, 'skipped', '', '', '', '', '', '', '']
        : [r.name, String(r.n), fmt(r.mean), fmt(r.p50), fmt(r.p95), fmt(r.min), fmt(r.max), fmt(r.mainThreadMs), fmt(r.scriptMs)],
  );
  printGrid(head, body);
  console.log('times in ms per iteration; main = page main-thread busy time (CDP TaskDuration); script = ScriptDuration');
}

/** printCrossCheck shows the main-thread counters side by side, per case. */
function printCrossCheck(results, reference = 'enigma.js') {
  const rows = results.filter((r) => Number.isFinite(r.mainThreadMs));
  if (!rows.length) return;
  const body = rows.map((r) => {
    const ref = r.workload && r.client !== reference && results.find((x) => x.workload === r.workload && x.client === reference && !x.error);
    const cpuRatio = ref ? ratio(r.mainCpuMs, ref.mainCpuMs) : undefined;
    return [r.name, fmt(r.mainThreadMs), fmt(r.scriptMs), fmt(r.mainCpuMs), cpuRatio === undefined ? '' : cpuRatio.toFixed(2), fmt(r.rendererCpuMs), fmt(r.mean)];
  });
  printGrid(['case', 'main task', 'script', 'main cpu', 'cpu×', 'renderer cpu', 'wall'], body);
  console.log(
    'ms per iteration. main task = TaskDuration (wall time of main-thread tasks); script = ScriptDuration (JS run from tasks);' +
      '\n(event handlers only: promise continuations and DevTools evaluation are not counted, so a lower bound);' +
      '\nmain cpu = ThreadTime (main-thread CPU; below main task when the thread waits for a core), cpu× its ratio to enigma.js;' +
      '\nrenderer cpu = ProcessTime (the whole renderer: main thread, workers, I/O; 10 ms ticks)',
  );
}

function printProblems(results) {
  for (const r of results) {
    if (r.error) console.log(`ERROR   ${r.name}: ${r.error.split('\n')[0]}`);
    if (r.skipped) console.log(`SKIPPED ${r.name}: ${r.skipped}`);
  }
}

function printGoBench(goResults) {
  if (!goResults.length) return;
  const units = ['ns/op', 'B/op', 'allocs/op'];
  const body = goResults.map((g) => [
    `${g.pkg.replace(/^github\.com\/qix-wasm\/qix-wasm\//, '')}.${g.name.replace(/-\d+$/, '')}`,
    String(g.iterations),
    ...units.map((u) => (g.metrics[u] === undefined ? '-' : String(g.metrics[u]))),
    Object.entries(g.metrics)
      .filter(([u]) => !units.includes(u))
      .map(([u, v]) => `${v} ${u}`)
      .join('  '),
  ]);
  printGrid(['Go benchmark', 'N', ...units, 'other'], body, [0, 5]);
}

function printProfiles(results) {
  for (const r of results) {
    if (!r.profile) continue;
    console.log(`\nprofile: ${r.name} (${r.n} iterations; ms per iteration, self time)`);
    for (const p of r.profile) {
      const per = (ms) => fmt(ms / r.n);
      console.log(`  ${p.thread}: busy ${per(p.busyMs)} ms/iter  (${p.file})`);
      for (const [b, ms] of Object.entries(p.buckets).sort((a, b) => b[1] - a[1])) if (ms / r.n >= 0.05) console.log(`    ${per(ms).padStart(8)}  ${b}`);
      console.log('    top functions:');
      for (const [fn, ms] of p.top.slice(0, 10)) console.log(`    ${per(ms).padStart(8)}  ${fn}`);
    }
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
      process.stderr.write(r.error ? `ERROR ${r.error.split('\n')[0]}\n` : r.skipped ? `skipped: ${r.skipped}\n` : `${fmt(r.mean)} ms (n=${r.n}, ${r.caseSeconds.toFixed(1)} s)\n`);
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
  console.log(`\nbrowser benchmark: ${opts.baseURL}  ${env.chromium ?? ''}  node ${env.node}  ${env.cpus} CPUs`);
  if (w.raw) console.log(`qix.wasm: raw ${w.raw} B, gzip ${w.gzip ?? '-'} B, brotli ${w.brotli ?? '-'} B`);
  env.loadavgEnd = os.loadavg();
  const load = Math.max(env.loadavg[0], env.loadavgEnd[0]);
  if (load > env.cpus * 0.75) {
    console.log(`NOTE: load average ${env.loadavg[0].toFixed(1)} at start, ${env.loadavgEnd[0].toFixed(1)} at end, on ${env.cpus} CPUs: other work competed for the CPUs; expect noisy times (p50 and the ratios hold up better than means).`);
  }
  if (comparison.length) {
    console.log('\nclients (same workload, same emulator, same browser)');
    printComparison(comparison);
  }
  if (results.some((r) => !r.workload)) {
    console.log('\nplumbing, counter checks and page load');
    printOtherCases(results);
  }
  if (results.some((r) => r.error || r.skipped)) {
    console.log('\nerrors and skipped cases');
    printProblems(results);
  }
  if (results.some((r) => Number.isFinite(r.mainThreadMs))) {
    console.log('\nmain-thread cross-check');
    printCrossCheck(results);
  }
  printProfiles(results);
  if (goResults.length) {
    console.log('\nGo benchmarks');
    printGoBench(goResults);
  } else if (goError) console.log(`\nGo benchmarks: ${goError}`);

  const report = {
    date: env.date,
    baseURL: env.baseURL,
    environment: env,
    unit: 'ms',
    notes: {
      wall: 'per iteration, performance.now() in the page',
      mainThreadMs: 'per iteration, CDP Performance.getMetrics TaskDuration delta of the page renderer main thread (dedicated workers excluded)',
      scriptMs: 'per iteration, ScriptDuration delta (script run from event handlers and timers on the main thread; microtasks not counted: a lower bound)',
      mainCpuMs: 'per iteration, ThreadTime delta (main-thread CPU time)',
      rendererCpuMs: 'per iteration, ProcessTime delta (renderer process CPU, workers included)',
      bar: 'wall ratio <= 1 and main-thread ratio <= 0.5 against enigma.js',
    },
    comparison,
    browser: results,
    go: goResults,
    ...(goError ? { goError } : {}),
  };
  await writeFile(opts.out, JSON.stringify(report, null, 2) + '\n');
  const failed = results.filter((r) => r.error).length;
  console.log(`\nwrote ${opts.out} (${results.length} browser cases${failed ? `, ${failed} failed` : ''}, ${goResults.length} Go benchmarks)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
