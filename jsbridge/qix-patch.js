// qix-patch.js: applies the engine's delta patches (RFC 6902 add, remove,
// replace: what QIX sends) to the previous value of a handle + method
// without mutating it. Only the containers on a patched path are copied;
// every other subtree is shared with the previous value, so a page gets an
// updated layout for the price of the patch (not a clone of the whole
// layout), and renderers can skip subtrees whose identity did not change.
// Paths cannot reach prototypes: `__proto__`, `constructor` and
// `prototype` are refused, and only own members are followed.
// The rule for which calls use delta and how they are keyed lives in Go
// (qixcore/unwrap.go); this file is plumbing.

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** PatchError is thrown for a patch that cannot apply; the call rejects with it. */
export class PatchError extends Error {
  constructor(message) {
    super(`qix-wasm: bad delta patch: ${message}`);
    this.code = -3; // enigma.js's "could not apply" family of client codes
    this.kind = 'client';
  }
}

const isContainer = (v) => v !== null && typeof v === 'object';

function unescapeKey(k) {
  return k.indexOf('~') < 0 ? k : k.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** arrayIndex reads key as an index of arr: digits without a leading zero, in range. */
function arrayIndex(arr, key, allowEnd, path) {
  const n = key.length;
  let ok = n > 0 && n < 16 && (n === 1 || key.charCodeAt(0) !== 48);
  for (let j = 0; ok && j < n; j++) {
    const c = key.charCodeAt(j);
    ok = c >= 48 && c <= 57;
  }
  if (!ok) throw new PatchError(`${path}: "${key}" is not an array index`);
  const i = +key;
  if (i > arr.length || (!allowEnd && i === arr.length)) throw new PatchError(`${path}: index ${i} is out of range`);
  return i;
}

/** deepFreeze freezes v and everything under it (development aid, see `freeze` in create()). */
export function deepFreeze(v) {
  if (!isContainer(v) || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze(v[k]);
  return v;
}

/**
 * patchValue returns prev with patches applied. prev is never modified;
 * the result shares every subtree the patches did not touch. With freeze,
 * the containers it creates are frozen too (prev is assumed frozen).
 */
export function patchValue(prev, patches, freeze = false) {
  if (Array.isArray(patches) && patches.length === 0) return prev;
  return applyPatches(prev, patches, freeze, new Set());
}

/**
 * patchTracked is patchValue that also returns the containers it created
 * (copies of prev's on a patched path), for coarsen.
 */
export function patchTracked(prev, patches) {
  const created = new Set();
  return { value: applyPatches(prev, patches, false, created), created };
}

function applyPatches(prev, patches, freeze, mine) {
  if (!Array.isArray(patches)) throw new PatchError('not a patch list');
  let root = prev;
  // mine: containers created by this call: later patches may change them in place.
  const own = (v) => {
    if (mine.has(v)) return v;
    const c = Array.isArray(v) ? v.slice() : { ...v };
    mine.add(c);
    return c;
  };
  // The engine sends patches in document order, so consecutive paths share
  // their parents (a hypercube cell's qText, qNum and qElemNumber): the
  // containers on the last patch's parent path are kept (nodes[i] after i
  // keys, ends[i] the offset in at where its i-th key ends) and a path
  // walks only from where it leaves that one. An op changes only its
  // parent's member, so the kept containers stay right; a root op drops them.
  let at = '';
  const nodes = [];
  const ends = [];
  let depth = -1; // nodes[0..depth] are kept; -1: none
  for (const p of patches) {
    if (!p || typeof p.path !== 'string') throw new PatchError('a patch without a path');
    const path = p.path;
    if (path === '' || path === '/') {
      // QIX (and enigma.js) treat "/" as the root, for any value type.
      if (p.op === 'add' || p.op === 'replace') root = p.value;
      else if (p.op === 'remove') root = undefined;
      else throw new PatchError(`unsupported op ${p.op}`);
      at = '';
      depth = -1;
      continue;
    }
    if (path.charCodeAt(0) !== 47) throw new PatchError(`${path}: not a JSON pointer`);
    const cut = path.lastIndexOf('/');
    // How much of the kept parent path this one shares, in whole keys.
    let level = 0;
    if (depth >= 0) {
      const lim = Math.min(cut, at.length);
      let same = 0;
      while (same < lim && path.charCodeAt(same) === at.charCodeAt(same)) same++;
      level = depth;
      while (level > 0 && !(ends[level] < same || (ends[level] === same && (same === cut || path.charCodeAt(same) === 47)))) level--;
    } else {
      if (!isContainer(root)) throw new PatchError(`${path}: no container at the root`);
      root = own(root);
      nodes[0] = root;
      ends[0] = 0;
    }
    depth = level;
    let parent = nodes[level];
    let from = ends[level] + 1;
    while (from <= cut) {
      const stop = path.indexOf('/', from);
      const k = unescapeKey(path.slice(from, stop));
      if (FORBIDDEN.has(k)) throw new PatchError(`${path}: refers to "${k}"`);
      let idx = k;
      if (Array.isArray(parent)) idx = arrayIndex(parent, k, false, path);
      else if (!Object.hasOwn(parent, k)) throw new PatchError(`${path}: "${k}" does not exist`);
      const child = parent[idx];
      if (!isContainer(child)) throw new PatchError(`${path}: "${k}" is not a container`);
      parent = parent[idx] = own(child);
      nodes[++depth] = parent;
      ends[depth] = stop;
      from = stop + 1;
    }
    at = path;
    const last = unescapeKey(path.slice(cut + 1));
    if (FORBIDDEN.has(last)) throw new PatchError(`${path}: refers to "${last}"`);
    const isArray = Array.isArray(parent);
    switch (p.op) {
      case 'add':
        if (isArray) {
          if (last === '-') parent.push(p.value);
          else parent.splice(arrayIndex(parent, last, true, path), 0, p.value);
        } else parent[last] = p.value;
        break;
      case 'remove':
        if (isArray) parent.splice(arrayIndex(parent, last, false, path), 1);
        else if (Object.hasOwn(parent, last)) delete parent[last];
        else throw new PatchError(`${path}: nothing to remove`);
        break;
      case 'replace':
        if (isArray) parent[arrayIndex(parent, last, false, path)] = p.value;
        else if (Object.hasOwn(parent, last)) parent[last] = p.value;
        else throw new PatchError(`${path}: nothing to replace`);
        break;
      default:
        throw new PatchError(`unsupported op ${p.op}`);
    }
  }
  if (freeze) deepFreeze(root); // stops at the shared, already frozen subtrees
  return root;
}

const escapeKey = (k) => (k.indexOf('~') < 0 && k.indexOf('/') < 0 ? k : k.replace(/~/g, '~0').replace(/\//g, '~1'));

/**
 * coarsen returns patches that take prev to next, where next is
 * patchTracked(prev, ...)'s value and created its set: an array with more
 * than half of its items changed (at least two), or its length, is one op
 * holding it whole, else each changed member is (objects are always
 * followed down). The worker sends these instead of
 * the engine's (a hypercube page is 24 000 ops of one cell field each, one
 * op here), so the page parses about what changed and applies a handful
 * of ops. Subtrees that did not change are not in them, so the page keeps
 * sharing those, except inside a container sent whole.
 */
export function coarsen(prev, next, created) {
  const out = [];
  if (prev === next) return out;
  if (!created.has(next) || !sameKind(prev, next) || mostlyChanged(prev, next)) {
    out.push(next === undefined ? { op: 'remove', path: '/' } : { op: 'add', path: '/', value: next });
    return out;
  }
  members(prev, next, '', created, out);
  return out;
}

const sameKind = (a, b) => isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b);

function mostlyChanged(a, b) {
  if (!Array.isArray(b)) return false;
  if (a.length !== b.length) return true;
  let changed = 0;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) changed++;
  return changed > 1 && changed * 2 > b.length;
}

// members adds the ops for the changed members of containers a and b
// (same kind, b created from a).
function members(a, b, path, created, out) {
  if (Array.isArray(b)) {
    for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) member(a[i], b[i], `${path}/${i}`, created, out);
    return;
  }
  for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) out.push({ op: 'remove', path: `${path}/${escapeKey(k)}` });
  for (const k of Object.keys(b)) {
    if (!Object.hasOwn(a, k)) out.push({ op: 'add', path: `${path}/${escapeKey(k)}`, value: b[k] });
    else if (a[k] !== b[k]) member(a[k], b[k], `${path}/${escapeKey(k)}`, created, out);
  }
}

function member(a, b, path, created, out) {
  if (created.has(b) && sameKind(a, b) && !mostlyChanged(a, b)) members(a, b, path, created, out);
  else out.push({ op: 'replace', path, value: b });
}
