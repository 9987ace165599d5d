// qix-wasm: a browser client for the Qlik QIX engine API. The Go core
// (compiled to WebAssembly, in a Web Worker by default) owns the socket, the
// JSON-RPC multiplexer, the handle registry and the schema; this module only
// turns its batched replies into promises, objects and events, with
// enigma.js 2.x's surface (config, mixins, interceptors, events, errors).
//
// Split: qix-emitter.js (events), qix-backend.js (the Go module and its
// batches), qix-config.js (config checks, mixins), qix-errors.js, qix-url.js
// (buildUrl), qix-socket.js / qix-relay.js (sockets), qix-patch.js (delta),
// qix-calls.js / qix-hygiene.js (queue, AbortSignals, retry of aborted calls),
// qix-resume.js (the resume option, online/visibility nudges).

import { deepFreeze } from './qix-patch.js';
import { DeltaCache } from './qix-delta.js';
import { watch } from './qix-live.js';
import { Emitter } from './qix-emitter.js';
import { backendFor, defaultWasmURL, parseBody, hasBody } from './qix-backend.js';
import { checkConfig, Mixins } from './qix-config.js';
import { clientError, toError, errorCodes, NOT_CONNECTED, SUSPENDED, NOT_ATTACHED } from './qix-errors.js';
import { socketFactories } from './qix-socket.js';
import { buildUrl } from './qix-url.js';
import { withSignal, currentSignal, isSignal, isCanceller, DEFAULT_MAX_IN_FLIGHT, DEFAULT_RETRIES } from './qix-hygiene.js';
import { Calls } from './qix-calls.js';
import { resumeOptions, watchNetwork } from './qix-resume.js';

const hasOwn = Object.prototype.hasOwnProperty;
const isTraffic = (event) => event === undefined || (typeof event === 'string' && event.startsWith('traffic:'));
const isProgress = (event) => event === undefined || event === 'progress';

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
  /** call invokes any method by its QIX name (e.g. for methods outside the schema). */
  call(method, ...args) {
    return this.session.send({ handle: this.handle, method, params: args });
  }

  /**
   * watchLayout calls listener with the object's layout now and after every
   * change: one GetLayout in flight, layouts a newer change overtook are
   * dropped (see qix-live.js). It returns {first, refresh, stop}.
   */
  watchLayout(listener, options) {
    return watch(this, (o) => o.getLayout(), listener, options);
  }

  _listenersChanged(event) {
    if (isTraffic(event)) this.session._syncTraffic();
    if (isProgress(event)) this.session._syncProgress();
  }
}

let socketTokens = 0;

/** Session is one QIX session: a socket, its objects and their events. */
class Session extends Emitter {
  constructor(config) {
    super();
    if (!config || typeof config !== 'object') throw clientError(errorCodes.NO_CONFIG_SUPPLIED, 'You need to supply a configuration.');
    // A wrong config rejects open() with the reason (as a promise would).
    this._configError = checkConfig(config);
    const protocol = config.protocol && typeof config.protocol === 'object' ? config.protocol : {};
    this.config = {
      ...config,
      protocol: { ...protocol, delta: protocol.delta !== undefined ? !!protocol.delta : true },
      suspendOnClose: !!config.suspendOnClose,
      Promise: typeof config.Promise === 'function' ? config.Promise : Promise,
      mixins: Array.isArray(config.mixins) ? config.mixins : [],
      requestInterceptors: Array.isArray(config.requestInterceptors) ? config.requestInterceptors : [],
      responseInterceptors: Array.isArray(config.responseInterceptors) ? config.responseInterceptors : [],
      worker: config.worker !== false,
      wasmURL: typeof config.wasmURL === 'string' ? config.wasmURL : defaultWasmURL(),
      timeout: typeof config.timeout === 'number' ? config.timeout : 0,
      // Results of delta calls share unchanged subtrees with the previous
      // result of the same handle + method: page code must not modify them.
      // freeze: true freezes them, so a write throws where it happens.
      freeze: !!config.freeze,
      // At most maxInFlight calls wait for the engine; the others queue.
      maxInFlight: typeof config.maxInFlight === 'number' ? config.maxInFlight : DEFAULT_MAX_IN_FLIGHT,
      // How often a Get…, Create… or OpenDoc call the engine aborted (15) is sent again.
      retryAborted: config.retryAborted === false ? 0 : typeof config.retryAborted === 'number' ? config.retryAborted : DEFAULT_RETRIES,
      // A call refused with 6003 (another object's selection mode): Go ends
      // that mode with Doc.AbortModal and sends the call again, once.
      modalRecovery: config.modalRecovery === false ? 'off' : config.modalRecovery === 'accept' ? 'accept' : 'cancel',
    };
    this.state = 'created';
    // Frames from the engine that named no call, as Go counts them.
    this.strayFrames = 0;
    this.objects = new Map();
    this._protos = new Map();
    this._delta = new DeltaCache();
    this._backend = null;
    this._nextId = 0;
    this._trafficIds = new Map(); // request id → handle, while traffic listeners exist
    this._calls = new Calls(this);
    this._intercepting = this.config.requestInterceptors.length > 0 || this.config.responseInterceptors.length > 0;
    this._mixins = this._configError ? new Mixins() : new Mixins(this.config.mixins);
    // Automatic resume (qix-resume.js): the options Go gets, and how many
    // resumes' handle moves this side has applied.
    this._resume = this._configError ? { enabled: false } : resumeOptions(config);
    this._epoch = 0;
  }

  /** open connects and resolves with the Global object (handle -1). */
  open() {
    if (this._opening) return this._opening;
    const P = this.config.Promise;
    this._opening = P.resolve(this._open());
    return this._opening;
  }

  async _open() {
    if (this._configError) {
      this.state = 'closed';
      throw clientError(errorCodes.NO_CONFIG_SUPPLIED, `qix-wasm: ${this._configError}`);
    }
    const backend = backendFor(this.config.worker, this.config.wasmURL);
    this._backend = backend;
    this.sid = ++backend.sidCounter;
    backend.sessions.set(this.sid, this);
    if (this.config.createSocket) {
      this._socketToken = `s${++socketTokens}`;
      const make = this.config.createSocket;
      socketFactories.set(this._socketToken, (url) => make(url));
    }
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
          progress: this._progressMs(),
          timeout: this.config.timeout,
          suspendOnClose: this.config.suspendOnClose,
          modal: this.config.modalRecovery,
          sock: this._socketToken || '',
        }, undefined, this._resume),
      ]);
      this._schema = this.config.schema ? namesFromSchema(this.config.schema) : schema;
      this.state = 'open';
      this._trafficOn = this._wantsTraffic();
      this._progressOn = this._progressMs();
      this.global = this.getObjectApi({ handle: -1, id: 'Global', type: 'Global', genericType: 'Global' });
      if (this._resume.enabled) {
        // Back online or in view: a reconnecting session tries at once.
        this._unwatch = watchNetwork(() => {
          if (this.state === 'reconnecting') this._backend.send({ op: 'nudge', sid: this.sid, seq: 0 });
        });
      }
    } catch (err) {
      backend.sessions.delete(this.sid);
      if (this._socketToken) socketFactories.delete(this._socketToken);
      if (this.state === 'open') this._backend.send({ op: 'close', sid: this.sid, code: 1000, reason: '', seq: 0 });
      this.state = 'closed';
      throw err;
    }
    this.emit('opened');
    return this.global;
  }

  /**
   * suspend closes the socket but keeps every object: calls reject with
   * code -11 until resume() succeeds. Emits 'suspended'.
   */
  async suspend(code = 4000, reason = '') {
    if (this.state !== 'open') throw clientError(NOT_CONNECTED, `qix-wasm: cannot suspend a session that is ${this.state}`);
    this._suspendInitiator = { initiator: 'manual', code, reason };
    await this._backend.request({ op: 'suspend', sid: this.sid, code, reason });
  }

  /**
   * resume reconnects and rebinds every object it can find again (same
   * JS objects, new handles); the others emit 'closed', the restored ones
   * 'changed'. With onlyIfAttached it fails (code -12) and closes the
   * session when the engine started a new session. Emits 'resumed'.
   */
  async resume(onlyIfAttached = false) {
    // Automatic resume under way: try now instead of waiting out the
    // backoff, and settle with its outcome.
    if (this.state === 'reconnecting') return this._resumeNow();
    if (this.state !== 'suspended') throw clientError(NOT_CONNECTED, `qix-wasm: cannot resume a session that is ${this.state}`);
    this.state = 'resuming';
    try {
      await this._backend.request({ op: 'resume', sid: this.sid, onlyIfAttached: !!onlyIfAttached });
    } catch (err) {
      if (this.state === 'resuming') this.state = 'suspended';
      throw err;
    }
  }

  /** _resumeNow nudges a reconnecting session and resolves on 'resumed', rejects on 'closed'. */
  _resumeNow() {
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.off('closed', bad);
        resolve();
      };
      const bad = (e) => {
        this.off('resumed', ok);
        reject(e.error);
      };
      this.once('resumed', ok);
      this.once('closed', bad);
      this._backend.send({ op: 'nudge', sid: this.sid, seq: 0 });
    });
  }

  /** close closes the socket; pending calls reject and every object emits 'closed'. */
  async close(code = 1000, reason = '') {
    if (this.state !== 'open' && this.state !== 'suspended' && this.state !== 'reconnecting') return;
    this.state = 'closing';
    this._closeCode = code;
    this._closeReason = reason;
    await this._backend.request({ op: 'close', sid: this.sid, code, reason });
  }

  /**
   * send sends a request ({handle, method, params}) through the request and
   * response interceptors, as every schema method does. The promise carries
   * the JSON-RPC id as requestId, known before anything is sent (also while
   * the call queues behind maxInFlight others). request.signal, or the
   * signal of an enclosing withSignal, cancels the call when it aborts.
   */
  send(request) {
    const P = this.config.Promise;
    if (this.state === 'suspended' || this.state === 'resuming') return withId(P.reject(clientError(SUSPENDED, 'Session suspended')), 0);
    request.id = ++this._nextId;
    const signal = request.signal !== undefined ? request.signal : currentSignal();
    if (signal !== undefined && !isSignal(signal)) return withId(P.reject(new TypeError('qix-wasm: request.signal must be an AbortSignal')), request.id);
    if (isCanceller(request.method)) this._calls.noteCancel(request);
    let p;
    if (!this._intercepting) p = this._rpc(request, false, signal);
    else {
      const ctx = { Promise: P };
      let chain = P.resolve(request);
      for (const ic of this.config.requestInterceptors) if (ic.onFulfilled) chain = chain.then(ic.onFulfilled.bind(ctx, this));
      p = chain.then((req) => {
        const sent = req === request || !req ? request : req;
        if (sent !== request) sent.id = request.id;
        let reply = this._rpc(sent, true, signal);
        sent.retry = () => (signal ? withSignal(signal, () => this.send(request)) : this.send(request));
        for (const ic of this.config.responseInterceptors) {
          reply = reply.then(ic.onFulfilled && ic.onFulfilled.bind(ctx, this, sent), ic.onRejected && ic.onRejected.bind(ctx, this, sent));
        }
        return reply.then((r) => this._apiResult(r));
      });
    }
    return withId(p, request.id);
  }

  /** _apiResult turns an object reference that went through the response interceptors into its API. */
  _apiResult(r) {
    if (r && r.qHandle && r.qType) return this.getObjectApi({ handle: r.qHandle, type: r.qType, id: r.qGenericId, genericType: r.qGenericType });
    if (r && r.qHandle === null && r.qType === null) throw clientError(errorCodes.OBJECT_NOT_FOUND, 'Object not found');
    return r;
  }

  /**
   * getObjectApi returns the API object of a handle, made with its mixins
   * on first use (and then known to the Go core, so calls on it work).
   */
  getObjectApi({ handle, id, type, genericType }) {
    const existing = this.objects.get(handle);
    if (existing) return existing;
    if (!this._schema || !this._schema[type]) throw clientError(errorCodes.SCHEMA_STRUCT_TYPE_NOT_FOUND, `${type} not found`);
    const obj = this._object({ h: handle, ty: type, gt: genericType, id });
    if (handle !== -1 && this.state === 'open') {
      this._backend.send({ op: 'register', sid: this.sid, seq: 0, h: handle, ty: type, gt: genericType || '', oid: id || '' });
    }
    return obj;
  }

  _listenersChanged(event) {
    if (isTraffic(event)) this._syncTraffic();
    if (isProgress(event)) this._syncProgress();
  }

  /**
   * _progressMs is how often Go polls GetProgress during OpenDoc, DoReload,
   * DoReloadEx and DoSave: only while someone listens to 'progress' (on the
   * session or an object), every config.progress ms (250 by default).
   */
  _progressMs() {
    if (this.config.progress === false) return 0;
    const listening = this.listenerCount('progress') > 0 || [...this.objects.values()].some((o) => o.listenerCount('progress') > 0);
    return listening ? this.config.progress || 250 : 0;
  }

  _syncProgress() {
    const ms = this._progressMs();
    if (this.state === 'open' && ms !== this._progressOn) this._backend.send({ op: 'progress', sid: this.sid, progress: ms, seq: 0 });
    this._progressOn = ms;
  }

  _hasTrafficListeners(e) {
    return e.listenerCount('traffic:*') + e.listenerCount('traffic:sent') + e.listenerCount('traffic:received') > 0;
  }

  _wantsTraffic() {
    if (this._hasTrafficListeners(this)) return true;
    for (const obj of this.objects.values()) if (this._hasTrafficListeners(obj)) return true;
    return false;
  }

  _syncTraffic() {
    const on = this._wantsTraffic();
    if (this.state === 'open' && on !== this._trafficOn) this._backend.send({ op: 'traffic', sid: this.sid, traffic: on, seq: 0 });
    if (!on) this._trafficIds.clear();
    this._trafficOn = on;
  }

  /** _proto returns the prototype of objects of type: schema methods, then the type's mixins. */
  _proto(type) {
    let proto = this._protos.get(type);
    if (proto) return proto;
    proto = Object.create(QixObject.prototype);
    for (const method of this._schema[type] || []) {
      proto[camel(method)] = function qixMethod(...params) {
        return this.session.send({ handle: this.handle, method, params });
      };
    }
    this._mixins.apply(type, proto);
    this._protos.set(type, proto);
    return proto;
  }

  _object({ h, ty, gt, id }) {
    const existing = this.objects.get(h);
    if (existing) return existing;
    const obj = Object.create(this._proto(ty));
    Object.defineProperties(obj, {
      session: { enumerable: true, value: this },
      handle: { enumerable: true, value: h, writable: true },
      id: { enumerable: true, value: id },
      type: { enumerable: true, value: ty },
      genericType: { enumerable: true, value: gt || undefined },
    });
    if (obj.genericType !== ty) this._mixins.apply(obj.genericType, obj);
    this._mixins.init(this.config, obj, ty, obj.genericType);
    this.objects.set(h, obj);
    return obj;
  }

  /**
   * _rpc sends one request to the Go core (see qix-calls.js). raw: object
   * results come back as the engine's reference ({qHandle, qType, ...}) for
   * response interceptors.
   */
  _rpc(request, raw, signal) {
    return this._calls.call(request, raw, signal);
  }

  /**
   * _settle makes a reply's value. outKey, when the request names one
   * (session.send), overrides the schema's: -1 for the whole result.
   */
  _settle(it, batch, raw, outKey) {
    if (it.obj) {
      if (raw) return { qType: it.obj.ty, qHandle: it.obj.h, qGenericType: it.obj.gt, qGenericId: it.obj.id };
      return this._object(it.obj);
    }
    const value = parseBody(batch, it);
    if (it.d) {
      // Each key holds the patches against that key's previous value
      // (cached under handle-method-key); the page gets the patched value
      // itself, sharing what did not change, never a clone.
      // In worker mode the worker has already applied them to its own cache
      // and sends coarse patches (see qix-delta.js).
      for (const key of Object.keys(value)) {
        const next = this._delta.apply(`${it.c}-${key}`, value[key], this.config.freeze);
        Object.defineProperty(value, key, { value: next, enumerable: true, writable: true, configurable: true });
      }
    } else if (this.config.freeze) deepFreeze(value);
    // enigma.js's rule, as Go states it: qReturn whenever the reply has it
    // (it.q), else the out key (it.k), else the whole result.
    if (it.q && value !== null && typeof value === 'object' && hasOwn.call(value, 'qReturn')) return value.qReturn;
    const key = outKey === -1 ? '' : typeof outKey === 'string' ? outKey : it.k;
    return key ? value[key] : value;
  }

  /** _absorbDelta applies a delta result whose call was aborted, so later patches apply to what the engine patched. */
  _absorbDelta(it, batch) {
    try {
      const value = parseBody(batch, it);
      for (const key of Object.keys(value)) this._delta.apply(`${it.c}-${key}`, value[key], this.config.freeze);
    } catch {
      // apply forgot the key: the engine's next root patch starts it afresh
    }
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
          if (obj) this._closeObject(obj);
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
      case 'traffic':
        this._traffic(it.dir, parseBody(batch, it), it.n);
        break;
      case 'progress': {
        // One GetProgress poll for a call in flight (see _progressMs); the
        // object that made the call hears it too.
        const data = hasBody(it) ? parseBody(batch, it) : {};
        const evt = { method: it.m, requestId: it.rid, done: !!it.final, ...(data.qProgressData || {}) };
        this.emit('progress', evt);
        const obj = this.objects.get(it.h);
        if (obj) obj.emit('progress', evt);
        break;
      }
      case 'sessionsuspended': {
        this.state = 'suspended';
        this._calls.failUnsent(clientError(SUSPENDED, 'Session suspended'));
        const manual = this._suspendInitiator;
        this._suspendInitiator = undefined;
        const code = manual ? manual.code : it.err.kind === 'close' ? it.err.code : 4000;
        const reason = manual ? manual.reason : it.err.reason || '';
        this.emit('suspended', { initiator: manual ? 'manual' : 'network', code, reason, error: toError(it.err) });
        break;
      }
      case 'reconnecting':
        // Automatic resume (the Go core decided): calls made meanwhile
        // wait for it, or fail with -11 (resume.waitForCalls: 'fail').
        if (this.state === 'open' || this.state === 'reconnecting') this.state = 'reconnecting';
        this.emit('reconnecting', { attempt: it.attempt, delay: it.delay, error: toError(it.err) });
        break;
      case 'sessionresumed':
        this._onResumed(it.remap, it.h);
        break;
      case 'sessionclosed':
        this._onClosed(it.err, it.attempts || 0);
        break;
      case 'stray':
        // A frame that named no call (Go's rule, qixcore/stray.go): typed
        // (-102), counted, reported to the 'error' listeners.
        this.strayFrames = it.count;
        if (!this.emit('error', toError(it.err), { event: 'frame', target: this, reason: it.reason, count: it.count }) && it.count === 1) {
          console.warn(`qix-wasm: ${it.err.text} (further ones are only counted: session.strayFrames)`);
        }
        break;
      case 'error':
        console.error(it.message);
        break;
      default:
    }
  }

  /**
   * _traffic emits a frame on the session, then on the object it concerns:
   * a request on its handle's object, a response on the object its request
   * was sent to (as enigma.js does). The third argument is the frame's size.
   */
  _traffic(dir, data, size) {
    this.emit('traffic:*', dir, data, size);
    this.emit(`traffic:${dir}`, data, size);
    let handle;
    if (data && dir === 'sent') {
      handle = data.handle;
      if (data.id !== undefined) this._trafficIds.set(data.id, handle);
    } else if (data && data.id !== undefined) {
      handle = this._trafficIds.get(data.id);
      this._trafficIds.delete(data.id);
    }
    const obj = handle !== undefined ? this.objects.get(handle) : undefined;
    if (obj) {
      obj.emit('traffic:*', dir, data);
      obj.emit(`traffic:${dir}`, data);
    }
  }

  _closeObject(obj) {
    obj.emit('closed');
    obj.removeAllListeners();
  }

  _forget(h) {
    this.objects.delete(h);
    this._delta.forget(h);
  }

  _onResumed(remap, closedHandles) {
    // First of all, before any call a listener makes: Go reads this
    // session's handles in the new numbering from now on.
    this._backend.send({ op: 'ack', sid: this.sid, id: ++this._epoch, seq: 0 });
    const closed = closedHandles.map((h) => this.objects.get(h)).filter(Boolean);
    const moved = [];
    for (const [from, to] of remap) {
      const obj = this.objects.get(from);
      if (obj) moved.push([obj, to]);
    }
    // Calls still on this side (queued, waiting to retry) follow their objects.
    this._calls.remap(new Map(remap));
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
    for (const obj of closed) this._closeObject(obj);
    for (const [obj] of moved) obj.emit('changed');
    this.emit('resumed');
  }

  _onClosed(err, attempts = 0) {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this._unwatch) this._unwatch();
    this._unwatch = undefined;
    if (this._backend) this._backend.sessions.delete(this.sid);
    if (this._socketToken) socketFactories.delete(this._socketToken);
    this._calls.failUnsent(toError(err));
    const objects = [...this.objects.values()];
    this.objects.clear();
    this._delta.clear();
    for (const obj of objects) this._closeObject(obj);
    // A failed resume(true) closed the new socket itself, normally.
    if (err.kind === 'client' && err.code === NOT_ATTACHED && this._closeCode === undefined) this._closeCode = 1000;
    const byClient = this._closeCode !== undefined && err.kind !== 'close';
    const evt = {
      code: err.kind === 'close' ? err.code : byClient ? this._closeCode : 1006,
      reason: err.kind === 'close' ? err.reason : byClient ? this._closeReason : '',
      error: toError(err),
    };
    // Automatic resume gave up: after how many attempts (error says why).
    if (attempts > 0) evt.resumeAttempts = attempts;
    this.emit('closed', evt);
  }
}

/** withId sets the request id on a call's promise (enigma.js's requestId). */
function withId(p, id) {
  try {
    Object.defineProperty(p, 'requestId', { value: id, enumerable: true });
  } catch {
    // a frozen promise from a Promise library: leave it as it is
  }
  return p;
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
  return backend.request({ op: 'url' }, undefined, config);
}

/**
 * debugStats reports the Go module's memory of one mode (worker or main
 * thread): Go's heap after a collection (gc, default true), goroutines,
 * sessions, the js.Funcs and JS values Go holds and the wasm memory's size
 * (see qix.d.ts). For soak tests and leak hunting; it costs a full GC.
 */
export function debugStats({ worker = true, wasmURL, gc = true } = {}) {
  const backend = backendFor(worker, wasmURL || defaultWasmURL());
  return backend.request({ op: 'stats', gc });
}

/** create makes a session; call open() on it to connect. */
export function create(config) {
  return new Session(config);
}

export { watch, withSignal, Session, QixObject, buildUrl, errorCodes };
export default { create, buildURL, buildUrl, errorCodes, withSignal };
