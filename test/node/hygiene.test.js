// Unit tests of jsbridge/qix-hygiene.js: the in-flight gate, withSignal's
// scoping, and which calls are retried or count as cancellers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Gate, withSignal, currentSignal, abortError, retryable, isCanceller, cancelledIds, retryDelay } from '../../jsbridge/qix-hygiene.js';

test('Gate starts at most max calls and the rest in FIFO order, skipping settled ones', () => {
  const gate = new Gate(2);
  const started = [];
  const start = (c) => started.push(c.n);
  const calls = Array.from({ length: 6 }, (_, n) => ({ n }));
  for (const c of calls) gate.enter(c, start);
  assert.deepEqual(started, [0, 1]);
  assert.equal(gate.queued, 4);
  calls[2].done = true; // aborted while queued
  gate.leave(calls[0]);
  assert.deepEqual(started, [0, 1, 3]);
  gate.leave(calls[0]); // twice: no second slot freed
  assert.deepEqual(started, [0, 1, 3]);
  gate.leave(calls[1]);
  gate.leave(calls[3]);
  assert.deepEqual(started, [0, 1, 3, 4, 5]);
  assert.equal(gate.active, 2);
  assert.equal(gate.queued, 0);
});

test('Gate: a call started by leave that settles at once does not recurse, and drain empties the queue', () => {
  const gate = new Gate(1);
  const order = [];
  const start = (c) => {
    order.push(c.n);
    if (c.sync) gate.leave(c); // e.g. rejected at once: session closed
  };
  const calls = Array.from({ length: 5000 }, (_, n) => ({ n, sync: n > 0 }));
  for (const c of calls) gate.enter(c, start);
  gate.leave(calls[0]);
  assert.equal(order.length, 5000);
  assert.equal(gate.active, 0);
  const g2 = new Gate(1);
  g2.enter({}, () => {});
  g2.enter({ n: 1 }, () => assert.fail('drained call started'));
  assert.equal(g2.drain().length, 1);
  assert.equal(g2.queued, 0);
  assert.equal(new Gate(Infinity).max, Infinity);
});

test('withSignal scopes the signal to the callback, nested and when it throws', () => {
  const a = new AbortController().signal;
  const b = new AbortController().signal;
  assert.equal(currentSignal(), undefined);
  const r = withSignal(a, () => {
    assert.equal(currentSignal(), a);
    withSignal(b, () => assert.equal(currentSignal(), b));
    assert.equal(currentSignal(), a);
    return 7;
  });
  assert.equal(r, 7);
  assert.throws(() => withSignal(a, () => {
    throw new Error('boom');
  }), /boom/);
  assert.equal(currentSignal(), undefined);
  assert.throws(() => withSignal({}, () => 1), TypeError);
  assert.throws(() => withSignal(a), TypeError);
});

test('abortError, retryable methods, cancellers and backoff', () => {
  const ctrl = new AbortController();
  ctrl.abort('gone');
  const err = abortError('GetLayout', ctrl.signal);
  assert.equal(err.code, -101);
  assert.equal(err.name, 'AbortError');
  assert.equal(err.message, 'GetLayout cancelled');
  assert.equal(err.cause, 'gone');
  for (const m of ['GetLayout', 'GetAppLayout', 'CreateSessionObject', 'OpenDoc']) assert.ok(retryable(m), m);
  for (const m of ['Evaluate', 'SelectValues', 'DoReload', 'SetProperties', 'ApplyPatches']) assert.ok(!retryable(m), m);
  for (const m of ['CancelRequest', 'AbortRequest', 'AbortAll']) assert.ok(isCanceller(m), m);
  assert.deepEqual(cancelledIds([12]), [12]);
  assert.deepEqual(cancelledIds({ qRequestId: 5 }), [5]);
  assert.deepEqual(cancelledIds([]), []);
  assert.ok(retryDelay(1) >= 25 && retryDelay(1) < 32);
  assert.ok(retryDelay(3) >= 100 && retryDelay(3) < 126);
});
