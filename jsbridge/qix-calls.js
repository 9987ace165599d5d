// qix-calls.js: a session's calls between the page and the Go core: each
// waits for one of maxInFlight slots (FIFO), rejects at once when its
// AbortSignal aborts (the engine then gets a CancelRequest), and is sent
// again after a short backoff when the engine aborted a Get…, Create… or
// OpenDoc call (15) the page did not cancel itself.

import { clientError, errorCodes, NOT_CONNECTED, SUSPENDED } from './qix-errors.js';

const OBJECT_NOT_FOUND = errorCodes.OBJECT_NOT_FOUND;
import { abortError, retryable, retryDelay, cancelledIds, isCanceller, Gate, GENERIC_ABORTED } from './qix-hygiene.js';

/** Calls holds a session's unsettled calls (by request id) and its in-flight gate. */
export class Calls {
  constructor(session) {
    this.session = session;
    this.live = new Map();
    this.gate = new Gate(session.config.maxInFlight);
    this.start = (call) => this.send(call);
  }

  /**
   * call sends request and returns its promise: it waits for a slot
   * (maxInFlight), is sent again when the engine aborted it (retryAborted)
   * and rejects at once when signal aborts.
   */
  call(request, raw, signal) {
    const P = this.session.config.Promise;
    const stateErr = this.stateError();
    if (stateErr) return P.reject(stateErr);
    if (signal && signal.aborted) return P.reject(abortError(request.method, signal));
    return new P((ok, fail) => {
      const call = new Call(this, request, raw, signal, ok, fail);
      if (signal) {
        call.onAbort = () => this.abort(call);
        signal.addEventListener('abort', call.onAbort);
      }
      this.live.set(request.id, call);
      // Cancellers never wait behind the calls they cancel.
      if (isCanceller(request.method)) this.send(call);
      else this.gate.enter(call, this.start);
    });
  }

  stateError() {
    if (this.session.state === 'suspended' || this.session.state === 'resuming') return clientError(SUSPENDED, 'Session suspended');
    // While reconnecting, the Go core decides: the call waits for the
    // resume or fails fast (config.resume.waitForCalls).
    if (this.session.state !== 'open' && this.session.state !== 'reconnecting') return clientError(NOT_CONNECTED, 'Not connected');
    return undefined;
  }

  /** send hands a call (new, out of the queue, or a retry) to the Go core. */
  send(call) {
    if (call.done) return;
    const stateErr = this.stateError();
    if (stateErr) {
      this.finish(call, false, stateErr);
      return;
    }
    const { request } = call;
    if (call.args === undefined) {
      let args = request.params === undefined ? [] : request.params;
      if (Array.isArray(args) && args.length && args[args.length - 1] === undefined) {
        args = args.slice();
        while (args.length && args[args.length - 1] === undefined) args.pop();
      }
      call.args = args;
    }
    const op = { op: 'call', sid: this.session.sid, h: request.handle, m: request.method, id: request.id };
    call.sent = true;
    call.seq = this.session._backend.dispatch(op, call, call.args);
  }

  /**
   * failed retries a Get…, Create… or OpenDoc call the engine aborted (15),
   * after a short backoff, unless the page cancelled it itself.
   */
  failed(call, err) {
    if (call.done) return;
    call.sent = false;
    const m = call.request.method;
    if (err && err.kind === 'engine' && err.code === GENERIC_ABORTED && !call.pageCancelled && call.tries < this.session.config.retryAborted && retryable(m) && this.session.state === 'open') {
      call.tries++;
      call.timer = setTimeout(() => {
        call.timer = 0;
        this.send(call);
      }, retryDelay(call.tries));
      return;
    }
    if (err && call.tries > 0) err.retries = call.tries;
    this.finish(call, false, err);
  }

  /** abort settles a call whose signal aborted; the engine gets a CancelRequest when the call was sent. */
  abort(call) {
    if (call.done) return;
    if (call.sent) {
      this.session._backend.pending.delete(call.seq);
      this.session._backend.send({ op: 'cancel', sid: this.session.sid, id: call.request.id, seq: 0 });
    }
    this.finish(call, false, abortError(call.request.method, call.signal));
  }

  finish(call, ok, value) {
    if (call.done) return;
    call.done = true;
    this.live.delete(call.request.id);
    if (call.timer) clearTimeout(call.timer);
    if (call.onAbort) call.signal.removeEventListener('abort', call.onAbort);
    this.gate.leave(call);
    if (ok) call.ok(value);
    else call.fail(value);
  }

  /** noteCancel marks the calls a page's CancelRequest/AbortRequest/AbortAll cancels: they are not retried. */
  noteCancel(request) {
    if (request.method === 'AbortAll') {
      for (const call of this.live.values()) call.pageCancelled = true;
      return;
    }
    for (const id of cancelledIds(request.params)) {
      const call = this.live.get(id);
      if (call) call.pageCancelled = true;
    }
  }

  /**
   * remap moves the calls not yet handed to Go (queued behind maxInFlight,
   * or waiting to retry) to a resume's new handles (moves: old → new); a
   * call on an object that did not come back rejects with -2. Calls Go
   * holds are remapped there.
   */
  remap(moves) {
    const gone = [];
    for (const call of this.live.values()) {
      const h = call.request.handle;
      if (call.sent || call.done || h === -1 || typeof h !== 'number') continue;
      if (moves.has(h)) call.request.handle = moves.get(h);
      else gone.push(call);
    }
    // Only once every handle is moved: rejecting frees slots, which starts
    // queued calls.
    for (const call of gone) this.finish(call, false, clientError(OBJECT_NOT_FOUND, 'Object not found'));
  }

  /** failUnsent rejects the calls not in the engine's hands (queued or waiting to retry) with err. */
  failUnsent(err) {
    const unsent = [...this.live.values()].filter((c) => !c.sent);
    // Queued ones first, so that freeing retry slots starts none of them.
    unsent.sort((a, b) => a.slot - b.slot);
    for (const call of unsent) this.finish(call, false, err);
    this.gate.drain();
  }
}

/**
 * Call is one call of the page. It is also the Backend's pending entry of
 * its request (see Backend.dispatch): the reply comes to settle, then
 * resolve or reject, with no promise between.
 */
class Call {
  constructor(calls, request, raw, signal, ok, fail) {
    this.calls = calls;
    this.request = request;
    this.raw = raw;
    this.signal = signal;
    this.ok = ok; // the page's promise
    this.fail = fail;
    this.onAbort = undefined;
    this.args = undefined;
    this.tries = 0;
    this.seq = 0;
    this.timer = 0;
    this.sent = false;
    this.done = false;
    this.slot = false;
    this.pageCancelled = false;
  }

  settle(it, batch) {
    return this.calls.session._settle(it, batch, this.raw, this.request.outKey);
  }

  resolve(value) {
    this.calls.finish(this, true, value);
  }

  reject(err) {
    this.calls.failed(this, err);
  }
}
