// qix-hygiene.js: what a session does with its calls besides sending them:
// AbortSignals (withSignal), the retry of calls the engine aborted (error
// 15) and the bound on calls in flight (a FIFO queue behind it).

import { clientError } from './qix-errors.js';

/** CANCELLED is the code of a call the page cancelled (Go's CodeCancelled). */
export const CANCELLED = -101;
/** GENERIC_ABORTED is the engine's "Request aborted" (LocalizedErrorCode 15). */
export const GENERIC_ABORTED = 15;
/** DEFAULT_MAX_IN_FLIGHT is config.maxInFlight's default. */
export const DEFAULT_MAX_IN_FLIGHT = 256;
/** DEFAULT_RETRIES is how often an aborted idempotent call is sent again by default. */
export const DEFAULT_RETRIES = 3;
/** RETRY_BASE_MS is the first retry's delay; it doubles each time. */
const RETRY_BASE_MS = 25;

// Methods that cancel other calls: they never wait behind the calls they
// are meant to cancel, and what they cancel is never retried.
const CANCELLERS = new Set(['CancelRequest', 'AbortRequest', 'AbortAll']);

let current; // the signal of the innermost withSignal callback running

/**
 * withSignal runs fn and ties every call it makes synchronously (schema
 * methods, call(), session.send) to signal: when signal aborts, those
 * still unsettled reject at once with code -101 (name 'AbortError') and
 * the engine gets a CancelRequest. Calls made after an await inside fn are
 * not tied. It returns what fn returns.
 */
export function withSignal(signal, fn) {
  if (!isSignal(signal)) throw new TypeError('qix-wasm: withSignal needs an AbortSignal');
  if (typeof fn !== 'function') throw new TypeError('qix-wasm: withSignal needs a function to run');
  const prev = current;
  current = signal;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** currentSignal is the signal withSignal ties calls to right now (or undefined). */
export const currentSignal = () => current;

export function isSignal(s) {
  return s !== null && typeof s === 'object' && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function';
}

/** abortError is what a call cancelled by its signal rejects with. */
export function abortError(method, signal) {
  const err = clientError(CANCELLED, `${method} cancelled`);
  err.name = 'AbortError';
  if (signal && signal.reason !== undefined) err.cause = signal.reason;
  return err;
}

/** retryable tells whether a call of method may be sent again after the engine aborted it. */
export const retryable = (method) => method.startsWith('Get') || method.startsWith('Create') || method === 'OpenDoc';

/** isCanceller tells whether method cancels other calls (CancelRequest, AbortRequest, AbortAll). */
export const isCanceller = (method) => CANCELLERS.has(method);

/** retryDelay is the wait before retry n (1, 2, …): 25, 50, 100 ms …, plus up to 25% jitter. */
export const retryDelay = (n) => RETRY_BASE_MS * 2 ** (n - 1) * (1 + Math.random() / 4);

/** cancelledIds returns the request ids a CancelRequest/AbortRequest call names. */
export function cancelledIds(params) {
  const p = Array.isArray(params) ? params[0] : params && typeof params === 'object' ? params.qRequestId : undefined;
  return typeof p === 'number' ? [p] : [];
}

/**
 * Gate bounds the calls a session has in flight: enter runs start(call)
 * while fewer than max hold a slot, else queues the call (FIFO) until
 * leave frees one. Calls marked done while queued are skipped.
 */
export class Gate {
  constructor(max) {
    this.max = max > 0 ? max : Infinity;
    this.active = 0;
    this.waiting = [];
    this.head = 0;
    this.pumping = false;
  }

  enter(call, start) {
    call.start = start;
    if (this.active < this.max) {
      this.active++;
      call.slot = true;
      start(call);
    } else this.waiting.push(call);
  }

  /** leave frees call's slot (if it held one) and starts the calls waiting for it. */
  leave(call) {
    if (!call.slot) return;
    call.slot = false;
    this.active--;
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.active < this.max && this.head < this.waiting.length) {
        const next = this.waiting[this.head];
        this.waiting[this.head++] = undefined;
        if (next.done) continue;
        this.active++;
        next.slot = true;
        next.start(next);
      }
      if (this.head === this.waiting.length) {
        this.waiting = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** drain takes every queued call out (for a session that closed or suspended). */
  drain() {
    const out = this.waiting.slice(this.head).filter((c) => !c.done);
    this.waiting = [];
    this.head = 0;
    return out;
  }

  /** queued is how many calls wait for a slot. */
  get queued() {
    let n = 0;
    for (let i = this.head; i < this.waiting.length; i++) if (!this.waiting[i].done) n++;
    return n;
  }
}
