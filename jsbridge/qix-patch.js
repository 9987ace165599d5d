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
  if (!Array.isArray(patches)) throw new PatchError('not a patch list');
  let root = prev;
  // Containers created by this call: later patches may change them in place.
  const mine = new Set();
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
  let nodes = [];
  let ends = [];
  for (const p of patches) {
    if (!p || typeof p.path !== 'string') throw new PatchError('a patch without a path');
    const path = p.path;
    if (path === '' || path === '/') {
      // QIX (and enigma.js) treat "/" as the root, for any value type.
      if (p.op === 'add' || p.op === 'replace') root = p.value;
      else if (p.op === 'remove') root = undefined;
      else throw new PatchError(`unsupported op ${p.op}`);
      at = '';
      nodes = [];
      ends = [];
      continue;
    }
    if (path.charCodeAt(0) !== 47) throw new PatchError(`${path}: not a JSON pointer`);
    const cut = path.lastIndexOf('/');
    // How much of the kept parent path this one shares, in whole keys.
    let level = 0;
    if (nodes.length > 0) {
      const lim = Math.min(cut, at.length);
      let same = 0;
      while (same < lim && path.charCodeAt(same) === at.charCodeAt(same)) same++;
      level = ends.length - 1;
      while (level > 0 && !(ends[level] < same || (ends[level] === same && (same === cut || path.charCodeAt(same) === 47)))) level--;
    } else {
      if (!isContainer(root)) throw new PatchError(`${path}: no container at the root`);
      root = own(root);
      nodes = [root];
      ends = [0];
    }
    nodes.length = level + 1;
    ends.length = level + 1;
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
      nodes.push(parent);
      ends.push(stop);
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
