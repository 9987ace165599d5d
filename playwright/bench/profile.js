// V8 CPU profiles for the browser benchmark (--profile DIR): the page's
// main thread and its dedicated workers, summarized per layer.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fmt } from './report.js';


/**
 * Profiler records V8 CPU profiles of the page's main thread and of its
 * dedicated workers. Workers are reached through Target.setAutoAttach on
 * the page's CDP session (non-flat mode, so Playwright's CDPSession can
 * talk to them with Target.sendMessageToTarget).
 */
export class Profiler {
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

function safeName(s) {
  return s.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_|_$/g, '');
}

/** saveProfiles writes DIR/<case>.<thread>.cpuprofile files and returns their summaries. */
export async function saveProfiles(c, profiles, dir) {
  await mkdir(dir, { recursive: true });
  const out = [];
  for (const p of profiles) {
    const file = path.join(dir, `${safeName(c.name)}.${safeName(p.thread.split(' ')[0])}.cpuprofile`);
    await writeFile(file, JSON.stringify(p.profile));
    out.push({ thread: p.thread, file, ...summarizeProfile(p.profile) });
  }
  return out;
}


/** printProfiles prints every profiled case's split per layer and top functions. */
export function printProfiles(results) {
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

