// qix-wasm: a browser client for the Qlik QIX engine API. The Go core
// (compiled to WebAssembly, in a Web Worker by default) owns the socket, the
// JSON-RPC multiplexer, the handle registry and the schema; this module only
// turns its batched replies into promises, objects and events.

import { openSocket } from './qix-socket.js';
import { patchValue, deepFreeze } from './qix-patch.js';

// Files next to this module are named in `new URL('./file', import.meta.url)`
// form, which bundlers (Vite, Rollup, webpack) rewrite to the emitted files.
const defaultWasmURL = () => new URL('./qix.wasm', import.meta.url).href;

/** Emitter is the on/off/once/emit surface enigma.js users know. */
class Emitter {
  on(event, fn) {
    if (!this._events) this._events = new Map();
    let set = this._events.get(event);
    if (!set) this._events.set(event, (set = new Set()));
    set.add(fn);
    return this;
  }

  off(event, fn) {
    const set = this._events && this._events.get(event);
    if (!set) return this;
    if (!fn) set.clear();
    for (const f of set) if (f === fn || f._once === fn) set.delete(f);
    return this;
  }

  once(event, fn) {
    const wrap = (...args) => {
      this.off(event, wrap);
      fn.apply(this, args);
    };
    wrap._once = fn;
    return this.on(event, wrap);
  }

  emit(event, ...args) {
    const set = this._events && this._events.get(event);
    if (!set || set.size === 0) return false;
    for (const fn of [...set]) fn.apply(this, args);
    return true;
  }

  listenerCount(event) {
    const set = this._events && this._events.get(event);
    return set ? set.size : 0;
  }
}

/** toError builds the Error a call rejects with, from the Go side's error object. */
function toError(e) {
  const err = new Error(e.kind === 'engine' ? e.message : e.text);
  err.code = e.code;
  err.kind = e.kind;
  if (e.kind === 'engine') {
    err.parameter = e.parameter;
    err.qixName = e.name;
    err.method = e.method;
    err.handle = e.handle;
  } else if (e.kind === 'close') {
    err.reason = e.reason;
    if (e.qepCode) err.qepCode = e.qepCode;
    if (e.traceId) err.traceId = e.traceId;
  }
  err.detail = e.text;
  return err;
}

function clientError(code, message) {
  const err = new Error(message);
  err.code = code;
  err.kind = 'client';
  return err;
}

// enigma.js's client error codes.
const NOT_CONNECTED = -1;
const SUSPENDED = -11;
const NOT_ATTACHED = -12;

const decoder = new TextDecoder();
/**
 * parseBody parses one item's value from a reply batch: a string cut from a
 * big frame (it.s) or a slice of the UTF-8 body buffer (it.o, it.n).
 */
function parseBody(batch, it) {
  if (it.s !== undefined) return JSON.parse(batch.texts[it.s]);
  return JSON.parse(decoder.decode(batch.body.subarray(it.o, it.o + it.n)));
}
const hasBody = (it) => it.n !== undefined || it.s !== undefined;

/**
 * Backend talks to one instance of the Go module (in a worker or on this
 * thread). Operations queued in one turn leave as one batch.
 */
class Backend {
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
    if (this.worker) {
      const w = new Worker(new URL('./qix-worker.js', import.meta.url), { type: 'module', name: `qix-wasm:${this.wasmURL}` });
      this.post = (batch) => w.postMessage(batch);
      w.onmessage = (e) => {
        if (e.data.fatal) this.fail(e.data.fatal);
        else this.receive(e.data.h, { body: e.data.b, texts: e.data.s });
      };
      w.onerror = (e) => this.fail(`qix-wasm worker failed: ${e.message || 'error'}`);
      return;
    }
    await import('./wasm_exec.js');
    const name = `__qixwasm_${Math.random().toString(36).slice(2)}`;
    let api = null;
    globalThis[name] = (exports) => {
      delete globalThis[name];
      api = exports;
      return { reply: (header, body, texts) => this.receive(header, { body, texts }), openSocket };
    };
    const go = new globalThis.Go();
    go.argv = ['qix-wasm', name];
    const res = await fetch(this.wasmURL);
    if (!res.ok) throw new Error(`failed to fetch ${this.wasmURL}: HTTP ${res.status}`);
    // Streaming compiles while downloading and lets the browser cache the
    // compiled code for warm loads.
    const { instance } =
      WebAssembly.instantiateStreaming && (res.headers.get('content-type') || '').startsWith('application/wasm')
        ? await WebAssembly.instantiateStreaming(res, go.importObject)
        : await WebAssembly.instantiate(await res.arrayBuffer(), go.importObject);
    go.run(instance).then(() => this.fail('qix-wasm: the Go module exited'));
    if (!api) throw new Error('qix-wasm: the Go module did not register');
    this.post = (batch) => api.post(batch);
  }

  fail(message) {
    this.failed = message;
    const err = clientError(NOT_CONNECTED, message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const s of this.sessions.values()) s._onClosed({ kind: 'client', code: NOT_CONNECTED, text: message });
  }

  send(op) {
    this.queue.push(op);
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
    const batch = JSON.stringify(this.queue);
    this.queue = [];
    this.post(batch);
  }

  request(op, settle) {
    if (this.failed) return Promise.reject(clientError(NOT_CONNECTED, this.failed));
    return new Promise((resolve, reject) => {
      op.seq = ++this.seq;
      this.pending.set(op.seq, { resolve, reject, settle });
      this.send(op);
    });
  }

  receive(header, batch) {
    const items = JSON.parse(header);
    for (const it of items) {
      if (it.t === 'ev') {
        const s = this.sessions.get(it.sid);
        if (s) s._event(it, batch);
        continue;
      }
      const p = this.pending.get(it.seq);
      if (!p) continue;
      this.pending.delete(it.seq);
      if (it.t === 'e') {
        p.reject(toError(it.err));
        continue;
      }
      try {
        p.resolve(p.settle ? p.settle(it, batch) : hasBody(it) ? parseBody(batch, it) : undefined);
      } catch (err) {
        p.reject(err);
      }
    }
  }
}

const backends = new Map();
function backendFor(worker, wasmURL) {
  const key = `${worker ? 'w' : 'm'}:${wasmURL}`;
  let b = backends.get(key);
  if (!b) backends.set(key, (b = new Backend(worker, wasmURL)));
  return b;
}

const schemas = new Map();
function schemaFor(backend) {
  let s = schemas.get(backend);
  if (!s) schemas.set(backend, (s = backend.request({ op: 'schema' })));
  return s;
}

function camel(name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** QixObject is one remote object (a handle) with its schema methods. */
class QixObject extends Emitter {
  constructor(session, handle, type, genericType, id) {
    super();
    this.session = session;
    this.handle = handle;
    this.type = type;
    this.genericType = genericType || undefined;
    this.id = id;
  }

  /** call invokes any method by its QIX name (e.g. for methods outside the schema). */
  call(method, ...args) {
    return this.session._call(this.handle, method, args);
  }
}

/** Session is one QIX session: a socket, its objects and their events. */
class Session extends Emitter {
  constructor(config) {
    super();
    if (!config || !config.url) throw clientError(-6, 'qix-wasm: create() needs a config with a url');
    this.config = {
      url: config.url,
      protocol: { delta: true, ...(config.protocol || {}) },
      suspendOnClose: !!config.suspendOnClose,
      worker: config.worker !== false,
      wasmURL: config.wasmURL || defaultWasmURL(),
      timeout: config.timeout || 0,
      schema: config.schema,
      // Results of delta calls share unchanged subtrees with the previous
      // result of the same handle + method: page code must not modify them.
      // freeze: true freezes them, so a write throws where it happens
      // (a development aid: it costs a walk of every new value).
      freeze: !!config.freeze,
    };
    this.state = 'created';
    this.objects = new Map();
    this._classes = new Map();
    this._delta = new Map();
    this._backend = null;
  }

  /** open connects and resolves with the Global object (handle -1). */
  open() {
    if (this._opening) return this._opening;
    this._opening = (async () => {
      const backend = backendFor(this.config.worker, this.config.wasmURL);
      this._backend = backend;
      this.sid = ++backend.sidCounter;
      backend.sessions.set(this.sid, this);
      try {
        // The schema and the dial leave in one batch: no round trip between.
        const [schema] = await Promise.all([
          schemaFor(backend),
          backend.request({
            op: 'open',
            sid: this.sid,
            url: this.config.url,
            delta: !!this.config.protocol.delta,
            traffic: this._wantsTraffic(),
            timeout: this.config.timeout,
            suspendOnClose: this.config.suspendOnClose,
          }),
        ]);
        this._schema = this.config.schema ? namesFromSchema(this.config.schema) : schema;
      } catch (err) {
        backend.sessions.delete(this.sid);
        this.state = 'closed';
        throw err;
      }
      this.state = 'open';
      this.global = this._object({ h: -1, ty: 'Global', gt: '', id: 'Global' });
      this.emit('opened');
      return this.global;
    })();
    return this._opening;
  }

  /**
   * suspend closes the socket but keeps every object: calls reject with
   * code -11 until resume() succeeds. Emits 'suspended'.
   */
  async suspend(code = 4000, reason = '') {
    if (this.state !== 'open') throw clientError(NOT_CONNECTED, `qix-wasm: cannot suspend a session that is ${this.state}`);
    this._suspendInitiator = 'manual';
    await this._backend.request({ op: 'suspend', sid: this.sid, code, reason });
  }

  /**
   * resume reconnects and rebinds every object it can find again (same
   * JS objects, new handles); the others emit 'closed', the restored ones
   * 'changed'. With onlyIfAttached it fails (code -12) and closes the
   * session when the engine started a new session. Emits 'resumed'.
   */
  async resume(onlyIfAttached = false) {
    if (this.state !== 'suspended') throw clientError(NOT_CONNECTED, `qix-wasm: cannot resume a session that is ${this.state}`);
    this.state = 'resuming';
    try {
      await this._backend.request({ op: 'resume', sid: this.sid, onlyIfAttached: !!onlyIfAttached });
    } catch (err) {
      if (this.state === 'resuming') this.state = 'suspended';
      throw err;
    }
  }

  /** close closes the socket; pending calls reject and every object emits 'closed'. */
  async close(code = 1000, reason = '') {
    if (this.state !== 'open' && this.state !== 'suspended') return;
    this.state = 'closing';
    this._closeCode = code;
    this._closeReason = reason;
    await this._backend.request({ op: 'close', sid: this.sid, code, reason });
  }

  on(event, fn) {
    super.on(event, fn);
    if (typeof event === 'string' && event.startsWith('traffic:')) this._syncTraffic();
    return this;
  }

  off(event, fn) {
    super.off(event, fn);
    if (typeof event === 'string' && event.startsWith('traffic:')) this._syncTraffic();
    return this;
  }

  _wantsTraffic() {
    return this.listenerCount('traffic:*') + this.listenerCount('traffic:sent') + this.listenerCount('traffic:received') > 0;
  }

  _syncTraffic() {
    const on = this._wantsTraffic();
    if (this.state === 'open' && on !== this._trafficOn) this._backend.send({ op: 'traffic', sid: this.sid, traffic: on });
    this._trafficOn = on;
  }

  _classFor(type) {
    let proto = this._classes.get(type);
    if (proto) return proto;
    proto = Object.create(QixObject.prototype);
    for (const method of this._schema[type] || []) {
      proto[camel(method)] = function qixMethod(...args) {
        return this.session._call(this.handle, method, args);
      };
    }
    this._classes.set(type, proto);
    return proto;
  }

  _object({ h, ty, gt, id }) {
    const existing = this.objects.get(h);
    if (existing) return existing;
    const obj = new QixObject(this, h, ty, gt, id);
    Object.setPrototypeOf(obj, this._classFor(ty));
    this.objects.set(h, obj);
    return obj;
  }

  _call(handle, method, args) {
    if (this.state === 'suspended' || this.state === 'resuming') return Promise.reject(clientError(SUSPENDED, 'Session suspended'));
    if (this.state !== 'open') return Promise.reject(clientError(NOT_CONNECTED, 'Not connected'));
    while (args.length && args[args.length - 1] === undefined) args.pop();
    return this._backend.request({ op: 'call', sid: this.sid, h: handle, m: method, a: args }, (it, batch) => {
      if (it.obj) return this._object(it.obj);
      const value = parseBody(batch, it);
      if (it.d) {
        // Each key holds the patches against that key's previous value
        // (cached under handle-method-key); the page gets the patched value
        // itself, sharing what did not change, never a clone.
        for (const key of Object.keys(value)) {
          const cacheKey = `${it.c}-${key}`;
          let next;
          try {
            next = patchValue(this._delta.get(cacheKey), value[key], this.config.freeze);
          } catch (err) {
            this._delta.delete(cacheKey); // the next root patch starts it afresh
            throw err;
          }
          this._delta.set(cacheKey, next);
          Object.defineProperty(value, key, { value: next, enumerable: true, writable: true, configurable: true });
        }
      } else if (this.config.freeze) deepFreeze(value);
      return it.k ? value[it.k] : value;
    });
  }

  _event(it, batch) {
    switch (it.ev) {
      case 'changed':
        for (const h of it.h) {
          const obj = this.objects.get(h);
          if (obj) obj.emit('changed');
        }
        break;
      case 'closed':
        for (const h of it.h) {
          const obj = this.objects.get(h);
          this._forget(h);
          if (obj) obj.emit('closed');
        }
        break;
      case 'suspended':
        for (const h of it.h) {
          const obj = this.objects.get(h);
          if (obj) obj.emit('suspended');
        }
        break;
      case 'notification': {
        const params = hasBody(it) ? parseBody(batch, it) : undefined;
        this.emit('notification:*', it.m, params);
        this.emit(`notification:${it.m}`, params);
        break;
      }
      case 'traffic': {
        // The third argument is the frame's size in bytes.
        const data = parseBody(batch, it);
        this.emit('traffic:*', it.dir, data, it.n);
        this.emit(`traffic:${it.dir}`, data, it.n);
        break;
      }
      case 'sessionsuspended': {
        this.state = 'suspended';
        const initiator = this._suspendInitiator || 'network';
        this._suspendInitiator = undefined;
        this.emit('suspended', { initiator, code: it.err.kind === 'close' ? it.err.code : 4000, reason: it.err.reason || '', error: toError(it.err) });
        break;
      }
      case 'sessionresumed':
        this._onResumed(it.remap, it.h);
        break;
      case 'sessionclosed':
        this._onClosed(it.err);
        break;
      default:
    }
  }

  _forget(h) {
    this.objects.delete(h);
    const prefix = `${h}-`;
    for (const k of this._delta.keys()) if (k.startsWith(prefix)) this._delta.delete(k);
  }

  _onResumed(remap, closedHandles) {
    const closed = closedHandles.map((h) => this.objects.get(h)).filter(Boolean);
    const moved = [];
    for (const [from, to] of remap) {
      const obj = this.objects.get(from);
      if (obj) moved.push([obj, to]);
    }
    const global = this.objects.get(-1);
    // The new socket starts every delta cache afresh.
    this._delta.clear();
    this.objects.clear();
    if (global) this.objects.set(-1, global);
    for (const [obj, to] of moved) {
      obj.handle = to;
      this.objects.set(to, obj);
    }
    this.state = 'open';
    for (const obj of closed) obj.emit('closed');
    for (const [obj] of moved) obj.emit('changed');
    this.emit('resumed');
  }

  _onClosed(err) {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this._backend) this._backend.sessions.delete(this.sid);
    const objects = [...this.objects.values()];
    this.objects.clear();
    this._delta.clear();
    for (const obj of objects) obj.emit('closed');
    // A failed resume(true) closed the new socket itself, normally.
    if (err.kind === 'client' && err.code === NOT_ATTACHED && this._closeCode === undefined) this._closeCode = 1000;
    const byClient = this._closeCode !== undefined && err.kind !== 'close';
    const evt = {
      code: err.kind === 'close' ? err.code : byClient ? this._closeCode : 1006,
      reason: err.kind === 'close' ? err.reason : byClient ? this._closeReason : '',
      error: toError(err),
    };
    this.emit('closed', evt);
  }
}

/** namesFromSchema reads class → method names from an enigma.js-style schema. */
function namesFromSchema(schema) {
  const out = {};
  for (const [cls, methods] of Object.entries(schema.structs || {})) out[cls] = Object.keys(methods);
  return out;
}

/**
 * buildURL returns the WebSocket URL the Go URL builder makes from config
 * ({secure, host, port, prefix, subpath, route, appId, identity, ttl,
 * sessionApp, sessionAppId, templateAppId, params: [[key, value], ...]}).
 */
export function buildURL(config, { worker = true, wasmURL } = {}) {
  const backend = backendFor(worker, wasmURL || defaultWasmURL());
  return backend.request({ op: 'url', a: config });
}

/** create makes a session; call open() on it to connect. */
export function create(config) {
  return new Session(config);
}

export { Session, QixObject };
export default { create, buildURL };
