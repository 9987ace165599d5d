// qix-wasm worker host: runs the Go module in a dedicated Web Worker so the
// browser decodes WebSocket frames off the page's main thread. It only
// relays: batches in from the page, replies out with their body buffer
// transferred (not copied).
//
// The page posts {boot: WebAssembly.Module} first (compiled while this
// script loaded) and then batches. Batches that arrive before Go runs wait;
// the sockets they open are opened at once, so the WebSocket handshake
// overlaps the module's start.
import { startGo } from './qix-boot.js';
import { openSocket, preopen } from './qix-socket.js';
import { workerRelay } from './qix-relay.js';
import { DeltaRelay } from './qix-delta.js';

let api = null;
const early = [];
const delta = new DeltaRelay();

const host = {
  // texts: result strings cut from big frames (see qix-socket.js); they
  // are copied to the page as they are, with no UTF-8 round trip. Delta
  // results are patched here and reach the page as coarse patches (see
  // qix-delta.js).
  reply(header, body, texts) {
    try {
      const r = delta.rewrite(header, body, texts);
      if (r) ({ header, texts } = r);
    } catch (err) {
      // The page gets the engine's patches. The worker's caches may have
      // missed some: they start afresh (until then the engine's patches
      // pass as they are).
      delta.sessions.clear();
      console.error('qix-wasm: failed to coarsen delta patches:', err);
    }
    postMessage({ h: header, b: body, s: texts }, body ? [body.buffer] : []);
  },
  openSocket,
};

async function boot(module) {
  try {
    api = await startGo(module, host, () => postMessage({ fatal: 'qix-wasm: the Go module exited' }));
    for (const m of early.splice(0)) api.post(m);
  } catch (err) {
    postMessage({ fatal: `qix-wasm: failed to start the Go module: ${err && err.message ? err.message : err}` });
  }
}

// Frames of sockets the page made (config.createSocket) arrive as objects.
const relay = workerRelay((m) => postMessage(m));

onmessage = (e) => {
  if (typeof e.data === 'string') {
    if (api) api.post(e.data);
    else {
      early.push(e.data);
      preopen(e.data);
    }
  } else if (e.data && 'boot' in e.data) boot(e.data.boot);
  else relay(e.data);
};
