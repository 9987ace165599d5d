// qix-wasm worker host: runs the Go module in a dedicated Web Worker so the
// browser decodes WebSocket frames off the page's main thread. It only
// relays: batches in from the page, replies out with their body buffer
// transferred (not copied).
import './wasm_exec.js';
import { openSocket } from './qix-socket.js';

const name = `__qixwasm_${Math.random().toString(36).slice(2)}`;
let api = null;
const early = [];

globalThis[name] = (exports) => {
  delete globalThis[name];
  api = exports;
  return {
    // texts: result strings cut from big frames (see qix-socket.js); they
    // are copied to the page as they are, with no UTF-8 round trip.
    reply(header, body, texts) {
      postMessage({ h: header, b: body, s: texts }, body ? [body.buffer] : []);
    },
    openSocket,
  };
};

onmessage = (e) => {
  if (api) api.post(e.data);
  else early.push(e.data);
};

async function instantiate(url, imports) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`failed to fetch ${url}: HTTP ${res.status}`);
  if (WebAssembly.instantiateStreaming && (res.headers.get('content-type') || '').startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(res, imports);
  }
  return WebAssembly.instantiate(await res.arrayBuffer(), imports);
}

// No top-level await: bundlers build workers as classic scripts by default
// (Vite's worker.format is 'iife'), where it is a syntax error.
async function start() {
  try {
    const wasmURL = new URL(self.name && self.name.startsWith('qix-wasm:') ? self.name.slice(9) : './qix.wasm', import.meta.url);
    const go = new Go();
    go.argv = ['qix-wasm', name];
    const { instance } = await instantiate(wasmURL, go.importObject);
    go.run(instance).then(() => postMessage({ fatal: 'qix-wasm: the Go module exited' }));
    for (const m of early.splice(0)) api.post(m);
  } catch (err) {
    postMessage({ fatal: `qix-wasm: failed to start the Go module: ${err && err.message ? err.message : err}` });
  }
}

start();
