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
  return k.replace(/~1/g, '/').replace(/~0/g, '~');
}

function arrayIndex(arr, key, allowEnd, path) {
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new PatchError(`${path}: "${key}" is not an array index`);
  const i = Number(key);
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
  const mine = new WeakSet();
  const own = (v) => {
    if (!isContainer(v) || mine.has(v)) return v;
    const c = Array.isArray(v) ? v.slice() : { ...v };
    mine.add(c);
    return c;
  };
  for (const p of patches) {
    if (!p || typeof p.path !== 'string') throw new PatchError('a patch without a path');
    if (p.path === '' || p.path === '/') {
      // QIX (and enigma.js) treat "/" as the root, for any value type.
      if (p.op === 'add' || p.op === 'replace') root = p.value;
      else if (p.op === 'remove') root = undefined;
      else throw new PatchError(`unsupported op ${p.op}`);
      continue;
    }
    if (p.path[0] !== '/') throw new PatchError(`${p.path}: not a JSON pointer`);
    const keys = p.path.slice(1).split('/').map(unescapeKey);
    for (const k of keys) if (FORBIDDEN.has(k)) throw new PatchError(`${p.path}: refers to "${k}"`);
    if (!isContainer(root)) throw new PatchError(`${p.path}: no container at the root`);
    root = own(root);
    let parent = root;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i];
      let idx = k;
      if (Array.isArray(parent)) idx = arrayIndex(parent, k, false, p.path);
      else if (!Object.hasOwn(parent, k)) throw new PatchError(`${p.path}: "${k}" does not exist`);
      const child = parent[idx];
      if (!isContainer(child)) throw new PatchError(`${p.path}: "${k}" is not a container`);
      parent = parent[idx] = own(child);
    }
    const last = keys[keys.length - 1];
    const isArray = Array.isArray(parent);
    switch (p.op) {
      case 'add':
        if (isArray) {
          if (last === '-') parent.push(p.value);
          else parent.splice(arrayIndex(parent, last, true, p.path), 0, p.value);
        } else parent[last] = p.value;
        break;
      case 'remove':
        if (isArray) parent.splice(arrayIndex(parent, last, false, p.path), 1);
        else if (Object.hasOwn(parent, last)) delete parent[last];
        else throw new PatchError(`${p.path}: nothing to remove`);
        break;
      case 'replace':
        if (isArray) parent[arrayIndex(parent, last, false, p.path)] = p.value;
        else if (Object.hasOwn(parent, last)) parent[last] = p.value;
        else throw new PatchError(`${p.path}: nothing to replace`);
        break;
      default:
        throw new PatchError(`unsupported op ${p.op}`);
    }
  }
  if (freeze) deepFreeze(root); // stops at the shared, already frozen subtrees
  return root;
}
