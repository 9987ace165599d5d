// Unit tests of the bridge's delta patch applier (jsbridge/qix-patch.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patchValue, PatchError } from '../../jsbridge/qix-patch.js';

test('the root add replaces the value, for any type', () => {
  assert.deepEqual(patchValue(undefined, [{ op: 'add', path: '/', value: { a: 1 } }]), { a: 1 });
  assert.equal(patchValue({ a: 1 }, [{ op: 'add', path: '/', value: 7 }]), 7);
  assert.equal(patchValue({ a: 1 }, [{ op: 'replace', path: '', value: 'x' }]), 'x');
});

test('an empty patch list returns the same value', () => {
  const v = { a: { b: [1, 2] } };
  assert.equal(patchValue(v, []), v);
});

test('patches copy only the path they touch and never modify the previous value', () => {
  const prev = { info: { title: 'T' }, cube: { rows: [[1, 2], [3, 4]], size: { cy: 2 } } };
  const snapshot = structuredClone(prev);
  const next = patchValue(prev, [
    { op: 'replace', path: '/cube/rows/1/0', value: 30 },
    { op: 'add', path: '/cube/rows/-', value: [5, 6] },
    { op: 'replace', path: '/cube/size/cy', value: 3 },
    { op: 'remove', path: '/cube/rows/0/1' },
  ]);
  assert.deepEqual(prev, snapshot, 'previous value untouched');
  assert.deepEqual(next, { info: { title: 'T' }, cube: { rows: [[1], [30, 4], [5, 6]], size: { cy: 3 } } });
  assert.equal(next.info, prev.info, 'untouched subtree shared');
  assert.notEqual(next.cube, prev.cube);
  assert.notEqual(next.cube.rows[1], prev.cube.rows[1]);
});

test('many patches into one array apply to one copy of it', () => {
  const rows = Array.from({ length: 20000 }, (_, i) => i);
  const patches = rows.map((_, i) => ({ op: 'replace', path: `/rows/${i}`, value: -i }));
  patches.push({ op: 'add', path: '/rows/0', value: 'first' }, { op: 'remove', path: '/rows/20000' });
  const next = patchValue({ rows }, patches);
  assert.equal(next.rows.length, 20000);
  assert.equal(next.rows[0], 'first');
  assert.equal(next.rows[1], -0);
  assert.equal(next.rows[19999], -19998);
  assert.equal(rows[19999], 19999);
});

test('keys are unescaped (~1 is /, ~0 is ~)', () => {
  const next = patchValue({ 'a/b': { '~c': 1 } }, [{ op: 'replace', path: '/a~1b/~0c', value: 2 }]);
  assert.deepEqual(next, { 'a/b': { '~c': 2 } });
});

test('prototype paths are refused and Object.prototype stays clean', () => {
  for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted', '/a/__proto__/x', '/prototype']) {
    assert.throws(() => patchValue({ a: {} }, [{ op: 'add', path, value: true }]), PatchError, path);
  }
  // Inherited members are not followed either.
  assert.throws(() => patchValue({}, [{ op: 'add', path: '/toString/x', value: 1 }]), PatchError);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});

test('bad paths and ops throw PatchError', () => {
  const v = { a: [1, 2], s: 'x' };
  const bad = [
    { op: 'replace', path: '/a/5', value: 1 },
    { op: 'replace', path: '/a/x', value: 1 },
    { op: 'add', path: '/a/01', value: 1 },
    { op: 'remove', path: '/missing' },
    { op: 'replace', path: '/missing', value: 1 },
    { op: 'add', path: '/s/x', value: 1 },
    { op: 'move', path: '/a/0', from: '/a/1' },
    { op: 'add', path: 'a', value: 1 },
  ];
  for (const p of bad) assert.throws(() => patchValue(v, [p]), PatchError, JSON.stringify(p));
  assert.throws(() => patchValue(v, null), PatchError);
  assert.deepEqual(v, { a: [1, 2], s: 'x' });
});

test('freeze freezes what it creates and shares frozen subtrees', () => {
  const prev = patchValue(undefined, [{ op: 'add', path: '/', value: { a: { b: 1 }, c: { d: 2 } } }], true);
  assert.ok(Object.isFrozen(prev) && Object.isFrozen(prev.a));
  const next = patchValue(prev, [{ op: 'replace', path: '/a/b', value: 5 }], true);
  assert.ok(Object.isFrozen(next) && Object.isFrozen(next.a));
  assert.equal(next.c, prev.c);
  assert.throws(() => {
    'use strict';
    next.a.b = 9;
  }, TypeError);
});

test('coarsen gives patches that take prev to next, mostly-changed containers whole', async () => {
  const { patchTracked, coarsen } = await import('../../jsbridge/qix-patch.js');
  const rows = (off) => Array.from({ length: 10 }, (_, r) => [{ qText: `r${off + r}`, qNum: off + r }, { qText: 'x', qNum: 1 }]);
  const prev = { qInfo: { qId: 'a' }, 'a/b~': 1, cube: { qSize: { qcy: 10 }, qMatrix: rows(0), keep: [1, 2] }, gone: true };
  const engine = [{ op: 'replace', path: '/cube/qSize/qcy', value: 11 }, { op: 'remove', path: '/gone' }, { op: 'add', path: '/new', value: { z: 1 } }, { op: 'replace', path: '/a~1b~0', value: 2 }];
  const next = rows(100);
  for (let r = 0; r < 10; r++) for (const f of ['qText', 'qNum']) engine.push({ op: 'replace', path: `/cube/qMatrix/${r}/0/${f}`, value: next[r][0][f] });
  const { value, created } = patchTracked(prev, engine);
  const coarse = coarsen(prev, value, created);
  // Applied to prev (through JSON, as the page gets them) they give the same value.
  assert.deepEqual(patchValue(prev, JSON.parse(JSON.stringify(coarse))), value);
  assert.deepEqual(coarse.map((p) => `${p.op} ${p.path}`).sort(), ['add /new', 'remove /gone', 'replace /a~1b~0', 'replace /cube/qMatrix', 'replace /cube/qSize/qcy']);
  // No change: no patches; a first value: one root add.
  assert.deepEqual(coarsen(value, value, new Set()), []);
  assert.deepEqual(coarsen(undefined, value, new Set()), [{ op: 'add', path: '/', value }]);
  // One changed row of many: only that row's cell.
  const one = patchTracked(value, [{ op: 'replace', path: '/cube/qMatrix/3/1/qNum', value: 5 }]);
  assert.deepEqual(coarsen(value, one.value, one.created), [{ op: 'replace', path: '/cube/qMatrix/3/1/qNum', value: 5 }]);
  // A shorter array is sent whole.
  const cut = patchTracked(value, [{ op: 'remove', path: '/cube/keep/1' }]);
  assert.deepEqual(coarsen(value, cut.value, cut.created), [{ op: 'replace', path: '/cube/keep', value: [1] }]);
});
