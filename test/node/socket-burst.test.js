// qix-socket.js's delivery rule: a frame crosses to Go at once when it is
// alone (nothing waiting to cross, and Go awaits at most one reply or no
// frame arrived in the last millisecond); frames that follow closely wait
// for a MessageChannel tick and cross together.
import test from 'node:test';
import assert from 'node:assert/strict';
import { openSocket, socketFactories } from '../../jsbridge/qix-socket.js';

/**
 * open returns a fake socket's handle: push(text) delivers a frame, batches
 * lists what reached "Go". t.after closes it (its MessageChannel would keep
 * node running after a failed assertion).
 */
function open(t, awaited) {
  let ws;
  socketFactories.set('fake', () => (ws = { send() {}, close() {} }));
  const batches = [];
  const s = openSocket('ws://x', () => {}, (list) => batches.push(list), () => {}, 'fake', awaited);
  let closed = false;
  const close = () => {
    if (!closed) ws.onclose({ code: 1000, reason: '' });
    closed = true;
  };
  t.after(close);
  return { push: (text) => ws.onmessage({ data: text }), batches, s, close };
}

// The rule reads performance.now(): a fixed clock keeps a preempted test
// from seeing frames a millisecond apart.
let clock = 1000;
performance.now = () => clock;

/** settled waits until n batches reached Go (the tick is a MessageChannel message: no fixed delay is safe on a loaded machine). */
async function settled(f, n) {
  for (let i = 0; i < 400 && f.batches.length < n; i++) await new Promise((r) => setTimeout(r, 5));
}

test('a reply Go awaits alone crosses at once, however soon it follows the previous one', async (t) => {
  const f = open(t, () => 1);
  f.push('{"id":1}');
  assert.deepEqual(f.batches, [['{"id":1}']], 'the first frame crossed in its own task');
  f.push('{"id":2}');
  assert.deepEqual(f.batches, [['{"id":1}'], ['{"id":2}']], 'the next one too, well within a millisecond');
});

test('frames that arrive together while Go awaits many cross in one batch', async (t) => {
  const f = open(t, () => 3);
  f.push('{"id":1}');
  f.push('{"id":2}');
  f.push('{"id":3}');
  assert.deepEqual(f.batches, [['{"id":1}']], 'the first crosses, the next wait for the tick');
  await settled(f, 2);
  assert.deepEqual(f.batches, [['{"id":1}'], ['{"id":2}', '{"id":3}']]);
});

test('without a count from Go the time rule alone decides', async (t) => {
  const f = open(t, undefined);
  f.push('{"id":1}');
  f.push('{"id":2}');
  assert.equal(f.batches.length, 1, 'within a millisecond: the tick');
  await settled(f, 2);
  assert.deepEqual(f.batches, [['{"id":1}'], ['{"id":2}']]);
  clock += 5;
  f.push('{"id":3}');
  assert.deepEqual(f.batches.at(-1), ['{"id":3}'], 'after a quiet millisecond: at once');
});

test('frames that arrived before a close cross before it', async (t) => {
  const f = open(t, () => 3);
  f.push('{"id":1}');
  f.push('{"id":2}');
  f.close();
  assert.deepEqual(f.batches, [['{"id":1}'], ['{"id":2}']]);
});
