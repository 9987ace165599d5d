// qix-delta.js: the delta caches. Go decides which results are delta
// results and under which key they are cached (qixcore/unwrap.go, the item's
// "d" and "c"); this file keeps the previous values and applies patches
// (qix-patch.js).
//
// A session on the page keeps a DeltaCache: its results share unchanged
// subtrees with the previous ones. In worker mode the worker keeps one per
// session too (DeltaRelay) and hands the page coarse patches instead of the
// engine's: the engine writes one op per changed leaf (24 000 for a page of
// 2 000 x 4 cells, three times the bytes of the page itself), which the
// page would parse and apply on its main thread; coarsened, that is one op
// holding the new rows. Both caches see the same replies in the same order,
// so they stay equal.

import { patchValue, patchTracked, coarsen } from './qix-patch.js';

/** DeltaCache holds the previous value of every delta key (handle-method-key) of one session. */
export class DeltaCache {
  constructor() {
    this.values = new Map();
  }

  /**
   * apply returns the value under key after patches. A failure forgets the
   * key (the next root patch starts it afresh) and throws.
   */
  apply(key, patches, freeze) {
    try {
      const next = patchValue(this.values.get(key), patches, freeze);
      this.values.set(key, next);
      return next;
    } catch (err) {
      this.values.delete(key);
      throw err;
    }
  }

  /** forget drops the values of handle h (its object closed). */
  forget(h) {
    const prefix = `${h}-`;
    for (const k of this.values.keys()) if (k.startsWith(prefix)) this.values.delete(k);
  }

  clear() {
    this.values.clear();
  }

  /**
   * event applies what a session event means for the cache: closed handles
   * are forgotten; a resumed (new socket) or closed session starts afresh.
   */
  event(it) {
    if (it.ev === 'closed') for (const h of it.h) this.forget(h);
    else if (it.ev === 'sessionresumed' || it.ev === 'sessionclosed') this.clear();
  }
}

const decoder = new TextDecoder();
const rootOnly = (patches) => Array.isArray(patches) && patches.length === 1 && !!patches[0] && (patches[0].path === '/' || patches[0].path === '');
// Patch texts shorter than this (UTF-16 units) reach the page as the engine wrote them.
const SMALL = 8192;

/**
 * DeltaRelay runs in the worker, between Go and the page: it applies every
 * delta item of a reply batch to its session's cache and replaces the
 * item's body with the coarse patches (as a result text, "s").
 */
export class DeltaRelay {
  /** small: patch texts shorter than this (UTF-16 units) go on to the page as the engine wrote them. */
  constructor(small = SMALL) {
    this.sessions = new Map(); // sid -> DeltaCache
    this.small = small;
  }

  /**
   * rewrite returns {header, texts} for the batch (header: the items'
   * JSON, body: the UTF-8 buffer they point into, texts: result strings
   * or null), or null when the batch has nothing for it.
   */
  rewrite(header, body, texts) {
    if (!header.includes('"d":1') && (this.sessions.size === 0 || !header.includes('"t":"ev"'))) return null;
    const items = JSON.parse(header);
    let out = null;
    for (const it of items) {
      if (it.t === 'ev') {
        const cache = this.sessions.get(it.sid);
        if (cache) cache.event(it);
        if (it.ev === 'sessionclosed') this.sessions.delete(it.sid);
        continue;
      }
      if (!it.d) continue;
      let cache = this.sessions.get(it.sid);
      if (!cache) this.sessions.set(it.sid, (cache = new DeltaCache()));
      const text = it.s !== undefined ? texts[it.s] : decoder.decode(body.subarray(it.o, it.o + it.n));
      let value;
      try {
        value = JSON.parse(text);
      } catch {
        continue; // the page reports it
      }
      if (value === null || typeof value !== 'object') continue;
      // Small patch lists cost the page little: they go on as they are
      // (the cache still follows them), and the batch is not re-encoded.
      // So do lists that only set the root (a first value): they cannot
      // be made smaller.
      const asIs = text.length < this.small || Object.values(value).every(rootOnly);
      const coarse = {};
      for (const key of Object.keys(value)) {
        const ck = `${it.c}-${key}`;
        const prev = cache.values.get(ck);
        const patches = value[key];
        try {
          if (asIs) {
            cache.values.set(ck, patchValue(prev, patches));
            continue;
          }
          const { value: next, created } = patchTracked(prev, patches);
          cache.values.set(ck, next);
          coarse[key] = coarsen(prev, next, created);
        } catch {
          // The page gets the engine's patches and fails the same way.
          cache.values.delete(ck);
          coarse[key] = patches;
        }
      }
      if (asIs) continue;
      // The engine's patch text is not sent on: its slot takes the coarse one.
      if (!out) out = texts ? texts.slice() : [];
      if (it.s === undefined) it.s = out.push('') - 1;
      out[it.s] = JSON.stringify(coarse);
      delete it.o;
      delete it.n;
    }
    return out ? { header: JSON.stringify(items), texts: out } : null;
  }
}
