// qix-resume.js: the resume option as create() checks it and as the Go
// core gets it, and the online/visibility nudges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResume, resumeOptions, watchNetwork } from '../../jsbridge/qix-resume.js';
import { checkConfig } from '../../jsbridge/qix-config.js';

test('checkResume accepts booleans and the documented options, names what is wrong', () => {
  for (const ok of [undefined, true, false, {}, { enabled: false }, { maxAttempts: 3, minDelay: 10, maxDelay: 100, waitForCalls: 'fail', queueTimeout: 5 }]) {
    assert.equal(checkResume(ok), '', JSON.stringify(ok));
  }
  assert.match(checkResume(null), /boolean or an object/);
  assert.match(checkResume({ retries: 3 }), /config\.resume\.retries is not an option/);
  assert.match(checkResume({ maxAttempts: 0 }), /maxAttempts/);
  assert.match(checkResume({ minDelay: -1 }), /minDelay/);
  assert.match(checkResume({ waitForCalls: 'later' }), /'queue' or 'fail'/);
  assert.match(checkConfig({ url: 'ws://x', resume: 'yes' }), /config\.resume/);
});

test('resumeOptions: on by default, off for enigma.js suspendOnClose pages, whole milliseconds', () => {
  assert.deepEqual(resumeOptions({}), { enabled: true });
  assert.deepEqual(resumeOptions({ resume: false }), { enabled: false });
  assert.deepEqual(resumeOptions({ suspendOnClose: true }), { enabled: false });
  assert.deepEqual(resumeOptions({ suspendOnClose: true, resume: true }), { enabled: true });
  assert.deepEqual(resumeOptions({ resume: { minDelay: 12.6, waitForCalls: 'fail', maxAttempts: 2 } }), { enabled: true, maxAttempts: 2, minDelay: 13, waitForCalls: 'fail' });
});

test('watchNetwork nudges on online and on becoming visible, and stops', () => {
  const target = new EventTarget();
  const doc = new EventTarget();
  doc.visibilityState = 'hidden';
  const saved = { add: globalThis.addEventListener, remove: globalThis.removeEventListener, document: globalThis.document };
  globalThis.addEventListener = target.addEventListener.bind(target);
  globalThis.removeEventListener = target.removeEventListener.bind(target);
  globalThis.document = doc;
  try {
    let n = 0;
    const stop = watchNetwork(() => n++);
    target.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange')); // still hidden
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    assert.equal(n, 2);
    stop();
    target.dispatchEvent(new Event('online'));
    doc.dispatchEvent(new Event('visibilitychange'));
    assert.equal(n, 2);
  } finally {
    globalThis.addEventListener = saved.add;
    globalThis.removeEventListener = saved.remove;
    if (saved.document === undefined) delete globalThis.document;
    else globalThis.document = saved.document;
  }
});

test('Calls.remap moves queued calls to the new handles and rejects those on objects that did not come back', async () => {
  const { Calls } = await import('../../jsbridge/qix-calls.js');
  const sent = [];
  const session = {
    config: { maxInFlight: 1, Promise, retryAborted: 0 },
    state: 'open',
    sid: 1,
    _backend: { dispatch: (op) => (sent.push(op), sent.length), send() {}, pending: new Map() },
  };
  const calls = new Calls(session);
  const first = calls.call({ id: 1, handle: 5, method: 'GetLayout', params: [] });
  const queued = calls.call({ id: 2, handle: 5, method: 'GetLayout', params: [] });
  const lost = calls.call({ id: 3, handle: 7, method: 'GetLayout', params: [] });
  assert.deepEqual(sent.map((o) => o.h), [5]); // one slot: the others wait
  calls.remap(new Map([[5, 9]]));
  await assert.rejects(lost, (e) => e.code === -2);
  // The first call (sent before the resume, Go remaps it) settles; the
  // queued one leaves with its new handle.
  calls.live.get(1).resolve('ok');
  assert.equal(await first, 'ok');
  assert.deepEqual(sent.map((o) => o.h), [5, 9]);
  calls.live.get(2).resolve('ok2');
  assert.equal(await queued, 'ok2');
});
