// qix-emitter.js: the event surface of sessions and API objects, with
// enigma.js's (node's EventEmitter) names. Every listener runs isolated: one
// that throws never stops the others, nor the delivery of the replies and
// events that follow it; its error is reported, never swallowed.

/**
 * reportListenerError hands a listener's exception to the session's 'error'
 * listeners (with the event name and the emitter), or to console.error when
 * there are none. An 'error' listener that throws goes to console.error.
 */
export function reportListenerError(target, event, err) {
  const session = target && target.session ? target.session : target;
  if (event !== 'error' && session instanceof Emitter && session.listenerCount('error') > 0) {
    session.emit('error', err, { event, target });
    return;
  }
  console.error(`qix-wasm: a '${event}' listener threw:`, err);
}

/** Emitter is on/once/off/addListener/removeListener/removeAllListeners/listeners/emit. */
export class Emitter {
  on(event, fn) {
    if (typeof fn !== 'function') throw new TypeError(`qix-wasm: the listener of '${String(event)}' must be a function`);
    if (!this._events) this._events = new Map();
    let list = this._events.get(event);
    if (!list) this._events.set(event, (list = []));
    list.push({ fn, once: false });
    this._listenersChanged(event);
    return this;
  }

  addListener(event, fn) {
    return this.on(event, fn);
  }

  once(event, fn) {
    this.on(event, fn);
    this._events.get(event).at(-1).once = true;
    return this;
  }

  /** off removes fn (the latest added first, as node does), or every listener of event when fn is left out. */
  off(event, fn) {
    const list = this._events && this._events.get(event);
    if (!list) return this;
    if (fn === undefined) this._events.delete(event);
    else {
      const i = list.findLastIndex((l) => l.fn === fn);
      if (i < 0) return this;
      list.splice(i, 1);
      if (list.length === 0) this._events.delete(event);
    }
    this._listenersChanged(event);
    return this;
  }

  removeListener(event, fn) {
    return this.off(event, fn);
  }

  removeAllListeners(event) {
    if (!this._events) return this;
    if (event === undefined) this._events.clear();
    else this._events.delete(event);
    this._listenersChanged(event);
    return this;
  }

  listeners(event) {
    const list = this._events && this._events.get(event);
    return list ? list.map((l) => l.fn) : [];
  }

  listenerCount(event) {
    const list = this._events && this._events.get(event);
    return list ? list.length : 0;
  }

  emit(event, ...args) {
    const list = this._events && this._events.get(event);
    if (!list || list.length === 0) return false;
    const run = [...list];
    let removed = false;
    for (const l of run) {
      if (l.once) {
        const i = list.indexOf(l);
        if (i >= 0) list.splice(i, 1);
        removed = true;
      }
    }
    if (removed) {
      if (list.length === 0) this._events.delete(event);
      this._listenersChanged(event);
    }
    for (const l of run) {
      try {
        l.fn.apply(this, args);
      } catch (err) {
        reportListenerError(this, event, err);
      }
    }
    return true;
  }

  /** _listenersChanged is a hook for subclasses (traffic listeners turn traffic on). */
  _listenersChanged() {}
}
