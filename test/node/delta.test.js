// Unit tests of the delta caches (jsbridge/qix-delta.js): the worker's
// relay turns the engine's patches into coarse ones, and the page's cache
// applying those ends with the values it would have had from the engine's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeltaCache, DeltaRelay } from '../../jsbridge/qix-delta.js';

const enc = new TextEncoder();

// batch makes a reply batch as Go writes it: items, a body buffer the
// items' o/n point into, and result texts.
function batch(items, bodies = [], texts = null) {
  let at = 0;
  const parts = [];
  for (const [i, b] of bodies) {
    const bytes = enc.encode(b);
    Object.assign(items[i], { o: at, n: bytes.length });
    parts.push(bytes);
    at += bytes.length;
  }
  const body = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    body.set(p, o);
    o += p.length;
  }
  return { header: JSON.stringify(items), body, texts };
}

test('the relay hands on coarse patches that give the page the engine values', () => {
  const relay = new DeltaRelay(0);
  const page = new DeltaCache();
  const direct = new DeltaCache();
  const rows = (off) => Array.from({ length: 50 }, (_, r) => [{ qText: `r${off + r}`, qNum: off + r }]);
  const first = { qInfo: { qId: 'o' }, qHyperCube: { qDataPages: [{ qMatrix: rows(0) }] } };
  const steps = [[{ op: 'add', path: '/', value: first }]];
  const p2 = [];
  for (let r = 0; r < 50; r++) p2.push({ op: 'replace', path: `/qHyperCube/qDataPages/0/qMatrix/${r}/0/qNum`, value: 1000 + r });
  steps.push(p2, [], [{ op: 'replace', path: '/qInfo/qId', value: 'p' }]);
  for (const [i, patches] of steps.entries()) {
    const text = JSON.stringify({ qLayout: patches });
    // Alternately in the body buffer and as a big frame's text.
    const b = i % 2 ? batch([{ t: 'r', seq: i + 1, k: 'qLayout', d: 1, sid: 3, c: '5-GetLayout', s: 0 }], [], [text]) : batch([{ t: 'r', seq: i + 1, k: 'qLayout', d: 1, sid: 3, c: '5-GetLayout' }], [[0, text]]);
    const r = relay.rewrite(b.header, b.body, b.texts);
    if (i === 0) {
      // A first value (one root op) goes on as the engine wrote it.
      assert.equal(r, null);
      assert.deepEqual(page.apply('5-GetLayout-qLayout', patches), direct.apply('5-GetLayout-qLayout', patches));
      continue;
    }
    const [it] = JSON.parse(r.header);
    assert.equal(it.o, undefined);
    const coarse = JSON.parse(r.texts[it.s]);
    if (i === 1) assert.deepEqual(coarse.qLayout.map((p) => p.path), ['/qHyperCube/qDataPages/0/qMatrix'], 'a page of rows is one op');
    if (i === 2) assert.deepEqual(coarse.qLayout, []);
    const got = page.apply(`${it.c}-qLayout`, coarse.qLayout);
    const want = direct.apply('5-GetLayout-qLayout', patches);
    assert.deepEqual(got, want);
  }
  // Batches without delta items or session events pass as they are.
  assert.equal(relay.rewrite('[{"t":"r","seq":9}]', new Uint8Array(0), null), null);
});

test('the relay forgets closed handles and closed or resumed sessions, as the page does', () => {
  const relay = new DeltaRelay();
  const layout = (sid, c, v) => {
    const b = batch([{ t: 'r', seq: 1, d: 1, sid, c }], [[0, JSON.stringify({ qLayout: [{ op: 'add', path: '/', value: v }] })]]);
    relay.rewrite(b.header, b.body, b.texts);
  };
  layout(1, '5-GetLayout', { a: 1 });
  layout(1, '6-GetLayout', { a: 2 });
  layout(2, '5-GetLayout', { a: 3 });
  relay.rewrite(JSON.stringify([{ t: 'ev', sid: 1, ev: 'closed', h: [5] }]), null, null);
  assert.deepEqual([...relay.sessions.get(1).values.keys()], ['6-GetLayout-qLayout']);
  assert.equal(relay.sessions.get(2).values.size, 1);
  relay.rewrite(JSON.stringify([{ t: 'ev', sid: 2, ev: 'sessionresumed', remap: [], h: [] }]), null, null);
  assert.equal(relay.sessions.get(2).values.size, 0);
  relay.rewrite(JSON.stringify([{ t: 'ev', sid: 1, ev: 'sessionclosed', err: {} }]), null, null);
  assert.equal(relay.sessions.has(1), false);
});

test('a patch that cannot apply reaches the page as the engine sent it', () => {
  const relay = new DeltaRelay(0);
  const text = JSON.stringify({ qLayout: [{ op: 'replace', path: '/missing', value: 1 }] });
  const b = batch([{ t: 'r', seq: 1, d: 1, sid: 1, c: '5-GetLayout', s: 0 }], [], [text]);
  const r = relay.rewrite(b.header, b.body, b.texts);
  assert.deepEqual(JSON.parse(r.texts[0]), JSON.parse(text));
  assert.throws(() => new DeltaCache().apply('k', JSON.parse(r.texts[0]).qLayout));
});

test('a delta result whose call was aborted still moves the session cache', async () => {
  const { Backend } = await import('../../jsbridge/qix-backend.js');
  const { create } = await import('../../jsbridge/qix.js');
  const session = create({ url: 'ws://127.0.0.1:1/app' });
  session._delta.apply('5-GetLayout-qLayout', [{ op: 'add', path: '/', value: { a: 1, b: { c: 1 } } }]);
  const text = JSON.stringify({ qLayout: [{ op: 'replace', path: '/a', value: 2 }] });
  // Nobody waits for seq 9 (the page aborted it): deliver hands it to its session.
  const backend = { pending: new Map(), sessions: new Map([[3, session]]) };
  Backend.prototype.deliver.call(backend, { t: 'r', seq: 9, d: 1, sid: 3, c: '5-GetLayout', s: 0 }, { texts: [text] });
  assert.deepEqual(session._delta.values.get('5-GetLayout-qLayout'), { a: 2, b: { c: 1 } });
});

test('small patch lists go on as the engine wrote them, and the cache follows them', () => {
  const relay = new DeltaRelay();
  const send = (patches) => {
    const b = batch([{ t: 'r', seq: 1, d: 1, sid: 1, c: '5-GetProperties' }], [[0, JSON.stringify({ qProp: patches })]]);
    return relay.rewrite(b.header, b.body, b.texts);
  };
  assert.equal(send([{ op: 'add', path: '/', value: { title: 'a', n: 1 } }]), null);
  assert.equal(send([{ op: 'replace', path: '/title', value: 'b' }]), null);
  assert.deepEqual(relay.sessions.get(1).values.get('5-GetProperties-qProp'), { title: 'b', n: 1 });
});

test('a late delta item (seq 0: its call was given up on) moves the relay cache and reaches the page as coarse patches', () => {
  const relay = new DeltaRelay(0);
  const page = new DeltaCache();
  const direct = new DeltaCache();
  const item = (seq) => ({ t: 'r', seq, k: 'qLayout', d: 1, sid: 4, c: '7-GetLayout' });
  const steps = [
    [1, [{ op: 'add', path: '/', value: { qSelected: 0, rows: ['A', 'B', 'C'] } }]],
    [0, [{ op: 'replace', path: '/qSelected', value: 1 }, { op: 'replace', path: '/rows', value: ['A'] }]], // the late one
    [2, []],
  ];
  for (const [seq, patches] of steps) {
    const b = batch([item(seq)], [[0, JSON.stringify({ qLayout: patches })]]);
    const r = relay.rewrite(b.header, b.body, b.texts);
    const want = direct.apply('7-GetLayout-qLayout', patches);
    if (!r) {
      assert.deepEqual(page.apply('7-GetLayout-qLayout', patches), want);
      continue;
    }
    const [it] = JSON.parse(r.header);
    assert.equal(it.seq, seq);
    assert.deepEqual(page.apply(`${it.c}-qLayout`, JSON.parse(r.texts[it.s]).qLayout), want);
  }
  assert.deepEqual(relay.sessions.get(4).values.get('7-GetLayout-qLayout'), { qSelected: 1, rows: ['A'] });
  assert.deepEqual(page.values.get('7-GetLayout-qLayout'), { qSelected: 1, rows: ['A'] });
});
