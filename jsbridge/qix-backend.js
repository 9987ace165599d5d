// qix-backend.js: one instance of the Go module (in a Worker or on this
// thread) and the batched traffic with it. Operations queued in one turn
// leave as one batch; each is encoded on its own, so a value JSON cannot
// carry (a cycle, a BigInt, a throwing getter or toJSON) rejects its own
// call only.

import { openSocket, preopen } from './qix-socket.js';
import { compileWasm, startGo } from './qix-boot.js';
import { pageRelay } from './qix-relay.js';
import { clientError, toError, NOT_CONNECTED } from './qix-errors.js';


const decoder = new TextDecoder();
/**
 * parseBody parses one item's value from a reply batch: a string cut from a
 * big frame (it.s) or a slice of the UTF-8 body buffer (it.o, it.n).
 */
export function parseBody(batch, it) {
  if (it.s !== undefined) return JSON.parse(batch.texts[it.s]);
  return JSON.parse(decoder.decode(batch.body.subarray(it.o, it.o + it.n)));
}
export const hasBody = (it) => it.n !== undefined || it.s !== undefined;

/**
 * encodeOp returns op as JSON with args (any page value) as its "a"
 * member; it throws a client error naming what JSON cannot carry.
 */
function encodeOp(op, args) {
  const head = JSON.stringify(op);
  if (args === undefined) return head;
  let a;
  try {
    a = JSON.stringify(args);
  } catch (err) {
    const what = op.m ? `the params of ${op.m}` : 'the arguments';
    throw clientError(-1, `qix-wasm: failed to encode ${what}: ${err && err.message ? err.message : err}`);
  }
  return `${head.slice(0, -1)},"a":${a === undefined ? 'null' : a}}`;
}

export class Backend {
  constructor(worker, wasmURL) {
    this.worker = worker;
    this.wasmURL = wasmURL;
    this.seq = 0;
    this.pending = new Map();
    this.sessions = new Map();
    this.queue = [];
    this.flushScheduled = false;
    this.failed = null;
    this.sidCounter = 0;
    this.ready = this.start();
  }

  async start() {
    // Compiling starts now, on this thread, in both modes: in worker mode
    // the module is posted to the worker, whose script loads meanwhile.
    const compiled = compileWasm(this.wasmURL);
    if (this.worker) {
      // Written out as new URL('…', import.meta.url) so bundlers (Vite) see
      // and emit the worker, like the wasm below.
      const w = new Worker(new URL('./qix-worker.js', import.meta.url), { type: 'module', name: 'qix-wasm' });
      this.post = (batch) => w.postMessage(batch);
      const relay = pageRelay((m) => w.postMessage(m));
      w.onmessage = (e) => {
        if (e.data.rs !== undefined) relay(e.data);
        else if (e.data.fatal) this.fail(e.data.fatal);
        else this.receive(e.data.h, { body: e.data.b, texts: e.data.s });
      };
      w.onerror = (e) => this.fail(`qix-wasm worker failed: ${e.message || 'error'}`);
      // Batches go to the worker at once (it opens their sockets while the
      // module compiles); the module follows when it is ready.
      compiled.then(
        (module) => w.postMessage({ boot: module }),
        (err) => this.fail(`qix-wasm: ${err.message}`),
      );
      return;
    }
    const host = { reply: (header, body, texts) => this.receive(header, { body, texts }), openSocket };
    const api = await startGo(await compiled, host, () => this.fail('qix-wasm: the Go module exited'));
    this.post = (batch) => api.post(batch);
  }

  fail(message) {
    this.failed = message;
    const err = clientError(NOT_CONNECTED, message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const s of this.sessions.values()) s._onClosed({ kind: 'client', code: NOT_CONNECTED, text: message });
  }

  /** send queues op (args encoded into it as "a"); it throws when args cannot be encoded. */
  send(op, args) {
    // On this thread, sockets asked for before Go runs open at once.
    if (!this.worker && !this.post && op.op === 'open') preopen([op]);
    this.queue.push(encodeOp(op, args));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  async flush() {
    this.flushScheduled = false;
    try {
      await this.ready;
    } catch (err) {
      this.fail(err.message);
      return;
    }
    if (this.queue.length === 0) return;
    const batch = `[${this.queue.join(',')}]`;
    this.queue = [];
    try {
      this.post(batch);
    } catch (err) {
      this.fail(`qix-wasm: failed to reach the Go module: ${err && err.message ? err.message : err}`);
    }
  }

  /**
   * request queues op and returns a promise (of constructor P) settled by
   * the reply: settle(it, batch) makes the value. args that cannot be
   * encoded reject this request only.
   */
  request(op, settle, args, P = Promise) {
    if (this.failed) return P.reject(clientError(NOT_CONNECTED, this.failed));
    return new P((resolve, reject) => {
      this.dispatch(op, { resolve, reject, settle }, args);
    });
  }

  /**
   * dispatch queues op for entry, which takes the reply itself:
   * entry.settle(it, batch) makes the value, then entry.resolve(value) or
   * entry.reject(err) — called at once when args cannot be encoded. A
   * session's calls use it to keep one promise per call. It returns op's
   * seq, 0 when entry was rejected at once.
   */
  dispatch(op, entry, args) {
    if (this.failed) {
      entry.reject(clientError(NOT_CONNECTED, this.failed));
      return 0;
    }
    op.seq = ++this.seq;
    try {
      this.send(op, args);
    } catch (err) {
      entry.reject(err);
      return 0;
    }
    this.pending.set(op.seq, entry);
    return op.seq;
  }

  receive(header, batch) {
    let items;
    try {
      items = JSON.parse(header);
    } catch (err) {
      console.error('qix-wasm: unreadable reply batch from the Go module:', err);
      return;
    }
    // One item's failure (a throwing listener is already isolated) never
    // keeps the rest of the batch from being delivered.
    for (const it of items) {
      try {
        this.deliver(it, batch);
      } catch (err) {
        console.error('qix-wasm: failed to deliver a reply:', err);
      }
    }
  }

  deliver(it, batch) {
    if (it.t === 'ev') {
      const s = this.sessions.get(it.sid);
      if (s) s._event(it, batch);
      else if (it.ev === 'error') console.error(it.message);
      return;
    }
    const p = this.pending.get(it.seq);
    if (!p) {
      // A delta result nobody waits for (its call was aborted) still moved
      // the engine's cache, and the worker's: the session's follows.
      if (it.d) this.sessions.get(it.sid)?._absorbDelta(it, batch);
      return;
    }
    this.pending.delete(it.seq);
    if (it.t === 'e') {
      p.reject(toError(it.err));
      return;
    }
    try {
      p.resolve(p.settle ? p.settle(it, batch) : hasBody(it) ? parseBody(batch, it) : undefined);
    } catch (err) {
      p.reject(err);
    }
  }
}

const backends = new Map();
/** backendFor returns the shared Backend of a mode and wasm URL. */
export function backendFor(worker, wasmURL) {
  const key = `${worker ? 'w' : 'm'}:${wasmURL}`;
  let b = backends.get(key);
  if (!b) backends.set(key, (b = new Backend(worker, wasmURL)));
  return b;
}

export const defaultWasmURL = () => new URL('./qix.wasm', import.meta.url).href;
