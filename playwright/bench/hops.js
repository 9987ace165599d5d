// Hop budget of one sequential call in worker mode (issue 9): where the
// wall time of a round trip goes, thread by thread. It copies the bridge's
// sources (jsbridge/*.js) with a timestamp added at each hop into a
// temporary folder, starts its own dev server on it (-bridge), runs
// sequential calls and prints the mean time of each hop:
//
//   node playwright/bench/hops.js [--devserver build/bin/devserver] \
//        [--calls 500] [--runs 5] [--out hops.json]
//
// Timestamps are performance.timeOrigin + performance.now() on the page
// and in the worker (one clock per process). Browsers coarsen now() to
// 100 µs where the page is not cross-origin isolated, so single hops read
// as 0 or 100 µs: the means over many calls are what count (the rounding
// is unbiased over calls that start at random points of the tick).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launchOptions } from '../../playwright.config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bridge = path.join(here, '..', '..', 'jsbridge');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}

// MARKS: where each hop's timestamp goes: file, the source text it follows
// (each must occur exactly once: a change to the bridge that moves it fails
// here, loudly) and the mark's name.
const MARKS = [
  ['qix-backend.js', 'this.post(batch);', 'page.post', 'before'],
  ['qix-backend.js', '  receive(header, batch) {', 'page.receive', 'after'],
  ['qix-worker.js', 'onmessage = (e) => {', 'worker.in', 'after'],
  ['qix-worker.js', 'postMessage({ h: header', 'worker.out', 'before'],
  ['qix-socket.js', '    send(text) {', 'ws.send', 'after'],
  ['qix-socket.js', '  ws.onmessage = (e) => {', 'ws.message', 'after'],
];

const stamp = (name) => `(globalThis.__hops ??= []).push(['${name}', performance.timeOrigin + performance.now()]);`;

// PLUMBING: how the page collects the worker's marks, inserted like the
// marks: file, anchor, code, where.
const PLUMBING = [
  // The page asks for the worker's marks with the message 'hops'.
  ['qix-worker.js', 'onmessage = (e) => {', "\n  if (e.data === 'hops') { postMessage({ hops: globalThis.__hops ?? [] }); globalThis.__hops = []; return; }", 'after'],
  ['qix-backend.js', 'if (e.data.rs !== undefined) relay(e.data);', 'if (e.data.hops) globalThis.__workerHops?.(e.data.hops);\n        else ', 'before'],
  ['qix-backend.js', 'this.post = (batch) => w.postMessage(batch);', "\n      globalThis.__askHops = () => w.postMessage('hops');", 'after'],
];

/** insert puts code before or after anchor, which must occur once in src. */
function insert(file, src, anchor, code, where) {
  const at = src.indexOf(anchor);
  if (at < 0 || src.indexOf(anchor, at + 1) >= 0) throw new Error(`hops: ${file}: "${anchor}" must occur once`);
  const cut = where === 'after' ? at + anchor.length : at;
  return src.slice(0, cut) + code + src.slice(cut);
}

/** instrumented returns jsbridge/file with the marks added. */
export function instrumented(file) {
  let src = readFileSync(path.join(bridge, file), 'utf8');
  for (const [f, anchor, name, where] of MARKS) {
    if (f === file) src = insert(file, src, anchor, stamp(name), where);
  }
  // After the marks: the worker's check for 'hops' then runs before its
  // mark, so asking for the marks is not counted as a batch.
  for (const [f, anchor, code, where] of PLUMBING) {
    if (f === file) src = insert(file, src, anchor, code, where);
  }
  return src;
}

// HOPS: each hop as [name, from mark, to mark].
const HOPS = [
  ['page → worker (postMessage)', 'page.post', 'worker.in'],
  ['worker: into Go, request encoded, out to the socket', 'worker.in', 'ws.send'],
  ['socket send → reply frame arrives (WebSocket.send, network, engine)', 'ws.send', 'ws.message'],
  ['worker: frame into Go, reply out (delta applied)', 'ws.message', 'worker.out'],
  ['worker → page (postMessage)', 'worker.out', 'page.receive'],
];

async function runOnce(browser, base, calls) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/_dev/blank.html`);
  const url = `${base.replace(/^http/, 'ws')}/app/engineData/identity/hops-${Math.random().toString(36).slice(2)}`;
  const out = await page.evaluate(
    async ({ url, calls }) => {
      const { create } = await import('/qix.js');
      const session = create({ url, worker: true });
      const doc = await (await session.open()).openDoc('Sales');
      const obj = await doc.createSessionObject({ qInfo: { qType: 'hops' }, qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }], qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }] } });
      for (let i = 0; i < 500; i++) await obj.getProperties(); // warm up (tier-up)
      const drain = () => new Promise((resolve) => {
        globalThis.__workerHops = resolve;
        globalThis.__askHops();
      });
      await drain();
      globalThis.__hops = [];
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) await obj.getProperties();
      const wall = performance.now() - t0;
      const page = [...globalThis.__hops];
      const worker = await drain();
      await session.close();
      return { wall, marks: [...page, ...worker] };
    },
    { url, calls },
  );
  await context.close();
  const byName = new Map();
  for (const [name, t] of out.marks) {
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(t);
  }
  const row = { perCall: (out.wall / calls) * 1000 };
  for (const [hop, from, to] of HOPS) {
    const a = byName.get(from) ?? [];
    const b = byName.get(to) ?? [];
    if (a.length !== calls || b.length !== calls) throw new Error(`hops: ${calls} calls but ${a.length} ${from} and ${b.length} ${to} marks`);
    let sum = 0;
    for (let i = 0; i < calls; i++) sum += b[i] - a[i];
    row[hop] = (sum / calls) * 1000;
  }
  return row;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** serve starts the dev server on an instrumented copy of the bridge; it resolves with {url, stop}. */
async function serve(devserver) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qix-hops-'));
  for (const f of readdirSync(bridge)) {
    if (f.endsWith('.js')) writeFileSync(path.join(dir, f), instrumented(f));
  }
  const urlFile = path.join(dir, 'url');
  const proc = spawn(devserver, ['-addr', '127.0.0.1:0', '-url-file', urlFile, '-bridge', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    try {
      const url = readFileSync(urlFile, 'utf8').trim().replace(/\/$/, '');
      if (url) return { url, stop };
    } catch {
      // not yet
    }
    if (proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('hops: the dev server did not start');
}

async function main() {
  const calls = Number(arg('calls', 500));
  const runs = Number(arg('runs', 5));
  const server = await serve(arg('devserver', path.join(here, '..', '..', 'build', 'bin', 'devserver')));
  const base = server.url;
  const browser = await chromium.launch({ ...launchOptions, headless: true });
  const rows = [];
  try {
    for (let i = 0; i < runs; i++) rows.push(await runOnce(browser, base, calls));
  } finally {
    await browser.close();
    server.stop();
  }
  const keys = Object.keys(rows[0]);
  const result = Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k]))]));
  const other = result.perCall - HOPS.reduce((s, [h]) => s + result[h], 0);
  console.log(`hops of one sequential GetProperties, worker mode (µs, medians of ${runs} runs of the mean over ${calls} calls)`);
  console.log('| hop | µs |\n| --- | ---: |');
  // The page's and the worker's clocks start apart (each context's
  // timeOrigin), so a hop between threads is off by their offset; the two
  // directions' errors cancel in their sum.
  const [toWorker, , , , toPage] = HOPS.map(([h]) => h);
  for (const [h] of HOPS) {
    if (h === toWorker) console.log(`| page ↔ worker, postMessage both ways | ${(result[toWorker] + result[toPage]).toFixed(0)} |`);
    else if (h !== toPage) console.log(`| ${h} | ${result[h].toFixed(0)} |`);
  }
  console.log(`| page: promise settled → next call posted | ${other.toFixed(0)} |`);
  console.log(`| round trip | ${result.perCall.toFixed(0)} |`);
  const out = arg('out', '');
  if (out) (await import('node:fs')).writeFileSync(out, JSON.stringify({ calls, runs, result, rows }, null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
