// Fuzz of the bridge's delta patch applier and the worker's coarsening
// (jsbridge/qix-patch.js): random JSON values and random RFC 6902 patch
// lists, valid and hostile, from a seeded generator. For every input:
// the previous value is never modified, the result equals a plain
// reference applier's (or both refuse the list), no patch reaches a
// prototype, and coarse patches take the previous value to the same
// result. FUZZ_ITER (default 2000) and FUZZ_SEED make longer runs:
//   FUZZ_ITER=200000 node --test test/node/patch-fuzz.test.js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchValue, patchTracked, coarsen, PatchError } from '../../jsbridge/qix-patch.js';

const ITER = Number(process.env.FUZZ_ITER || 2000);
const SEED = Number(process.env.FUZZ_SEED || 20261129);

// mulberry32: a small seeded PRNG, so a failure can be replayed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'qMatrix', 'q/x', 'q~y', '0', '__proto__', 'constructor', 'prototype', 'toString'];

function value(r, depth) {
  const k = r();
  if (depth <= 0 || k < 0.35) return [null, true, 0, -1.5, 'x', '', 42][Math.floor(r() * 7)];
  if (k < 0.65) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth - 1));
  const o = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    const key = KEYS[Math.floor(r() * 6)]; // plain keys only in values (JSON.parse makes __proto__ an own key)
    o[key] = value(r, depth - 1);
  }
  return o;
}

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

// pathIn picks a path that mostly exists in v, sometimes one step beyond
// or a hostile segment.
function pathIn(r, v) {
  const segs = [];
  let cur = v;
  while (cur !== null && typeof cur === 'object' && r() < 0.7) {
    const keys = Array.isArray(cur) ? cur.map((_, i) => String(i)) : Object.keys(cur);
    if (!keys.length || r() < 0.15) break;
    const k = keys[Math.floor(r() * keys.length)];
    segs.push(k);
    cur = cur[k];
  }
  const x = r();
  if (x < 0.1) segs.push(KEYS[6 + Math.floor(r() * 4)]);
  else if (x < 0.2) segs.push('-');
  else if (x < 0.27) segs.push(String(Math.floor(r() * 5)));
  else if (x < 0.3) segs.push('01');
  return segs.length ? '/' + segs.map(esc).join('/') : r() < 0.5 ? '' : '/';
}

function patches(r, v) {
  const out = [];
  for (let i = Math.floor(r() * 5); i > 0; i--) {
    const op = ['add', 'replace', 'remove', 'move'][Math.floor(r() * (r() < 0.05 ? 4 : 3))];
    const p = { op, path: pathIn(r, v) };
    if (op !== 'remove') p.value = value(r, 2);
    out.push(p);
  }
  return out;
}

// ref is a plain RFC 6902 applier (add/replace/remove) on a deep copy, with
// the same refusals: prototype segments, non-own members, bad indices,
// and QIX's root rule ("" and "/" name the root).
function ref(prev, list) {
  let root = prev === undefined ? undefined : structuredClone(prev);
  for (const { op, path, value: val } of list) {
    if (!['add', 'replace', 'remove'].includes(op)) throw new Error('op');
    if (path === '' || path === '/') {
      // QIX's "/" is the root, for any value type; removing it leaves none.
      root = op === 'remove' ? undefined : structuredClone(val);
      continue;
    }
    const segs = path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let parent = root;
    for (const s of segs.slice(0, -1)) {
      if (['__proto__', 'constructor', 'prototype'].includes(s)) throw new Error('proto');
      if (parent === null || typeof parent !== 'object') throw new Error('path');
      if (Array.isArray(parent)) {
        if (!/^(0|[1-9][0-9]*)$/.test(s) || +s >= parent.length) throw new Error('index');
        parent = parent[+s];
      } else {
        if (!Object.hasOwn(parent, s)) throw new Error('missing');
        parent = parent[s];
      }
    }
    const last = segs[segs.length - 1];
    if (['__proto__', 'constructor', 'prototype'].includes(last)) throw new Error('proto');
    if (parent === null || typeof parent !== 'object') throw new Error('path');
    if (Array.isArray(parent)) {
      const end = last === '-' && op === 'add';
      if (!end && (!/^(0|[1-9][0-9]*)$/.test(last) || +last > parent.length || (op !== 'add' && +last === parent.length))) throw new Error('index');
      const i = end ? parent.length : +last;
      if (op === 'add') parent.splice(i, 0, structuredClone(val));
      else if (op === 'replace') parent[i] = structuredClone(val);
      else parent.splice(i, 1);
    } else {
      if (op !== 'add' && !Object.hasOwn(parent, last)) throw new Error('missing');
      if (op === 'remove') delete parent[last];
      else Object.defineProperty(parent, last, { value: structuredClone(val), enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

test(`patchValue and coarsen agree with a reference applier (${ITER} seeded cases)`, () => {
  const r = rng(SEED);
  let applied = 0;
  let refused = 0;
  for (let n = 0; n < ITER; n++) {
    const prev = value(r, 4);
    const list = patches(r, prev);
    const snapshot = JSON.stringify(prev);
    let want;
    let wantErr = false;
    try {
      want = ref(prev, list);
    } catch {
      wantErr = true;
    }
    let got;
    try {
      got = patchValue(prev, JSON.parse(JSON.stringify(list)));
    } catch (err) {
      assert.ok(err instanceof PatchError, `case ${n}: ${err}`);
      assert.ok(wantErr, `case ${n}: refused ${JSON.stringify(list)} on ${snapshot}: ${err.message}`);
      refused++;
      assert.equal(JSON.stringify(prev), snapshot, `case ${n}: a refused list modified the previous value`);
      continue;
    }
    assert.ok(!wantErr, `case ${n}: applied ${JSON.stringify(list)} on ${snapshot}, which the reference refuses`);
    assert.equal(JSON.stringify(prev), snapshot, `case ${n}: the previous value was modified`);
    assert.deepEqual(got, want, `case ${n}: ${JSON.stringify(list)} on ${snapshot}`);
    applied++;
    // The worker's coarse patches take prev to the same value.
    const { value: next, created } = patchTracked(prev, JSON.parse(JSON.stringify(list)));
    const coarse = coarsen(prev, next, created);
    assert.deepEqual(patchValue(prev, JSON.parse(JSON.stringify(coarse))), want, `case ${n}: coarse ${JSON.stringify(coarse)}`);
  }
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.a, undefined);
  assert.ok(applied > ITER / 10 && refused > ITER / 20, `applied ${applied}, refused ${refused}: the generator must hit both`);
});
