// GoMemory (jsbridge/qix-boot.js) against a stand-in for the Go side:
// a WebAssembly.Memory, an inbox Go grows on request, and functions that
// read what JS wrote the way wasm/mem.go and internal/bridge/frames.go do.
import test from 'node:test';
import assert from 'node:assert/strict';
import { GoMemory } from '../../jsbridge/qix-boot.js';

const dec = new TextDecoder();
const enc = new TextEncoder();

/** fakeGo lays an inbox at 1024 and grows it (by moving it, as Go's make does) when asked. */
function fakeGo(cap = 64) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1000 });
  const go = { at: 1024, cap, grows: 0, posts: [], bursts: [] };
  go.grow = (n) => {
    go.grows++;
    const next = Math.max(n, 2 * go.cap);
    const at = go.at + go.cap + 64;
    const need = at + next - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    go.at = at;
    go.cap = next;
    return [go.at, go.cap];
  };
  const bytes = () => new Uint8Array(memory.buffer);
  go.exports = {
    grow: go.grow,
    inbox: [go.at, go.cap],
    post: (n) => go.posts.push(dec.decode(bytes().slice(go.at, go.at + n))),
  };
  // onBatch(count, n) as socket.go reads it: count lengths, then the frames.
  go.onBatch = (count, n) => {
    const b = bytes().slice(go.at, go.at + n);
    const v = new DataView(b.buffer);
    const frames = [];
    let at = 4 * count;
    for (let i = 0; i < count; i++) {
      const len = v.getUint32(4 * i, true);
      frames.push(b.slice(at, at + len));
      at += len;
    }
    go.bursts.push(frames);
  };
  // place writes bytes Go owns at a free address and returns it.
  let free = 512;
  go.place = (u8) => {
    const at = free;
    bytes().set(u8, at);
    free += u8.length;
    return at;
  };
  return { memory, go };
}

function start(cap) {
  const { memory, go } = fakeGo(cap);
  const mem = new GoMemory();
  mem.memory = memory;
  const api = mem.exports(go.exports);
  return { mem, api, go };
}

test('post writes the batch as UTF-8 into the inbox, growing it only when needed', () => {
  const { api, go } = start(64);
  api.post('[{"op":"call"}]');
  assert.equal(go.grows, 0);
  const big = `[{"t":"${'å€😀'.repeat(100)}"}]`;
  api.post(big);
  assert.equal(go.grows, 1);
  assert.deepEqual(go.posts, ['[{"op":"call"}]', big]);
  // The exact size of what it wrote, not three bytes per character.
  assert.ok(go.cap < 3 * big.length, `inbox ${go.cap} for ${enc.encode(big).length} bytes`);
});

test('a burst of frames crosses as lengths then bytes: text, binary and stubs alike', () => {
  const { mem, go } = start(4096);
  const host = mem.host({
    reply() {},
    openSocket(url, onOpen, onBatch) {
      onBatch(['{"id":1}', new Uint8Array([0, 1, 2]), 'å€😀']);
      return { send() {}, close() {} };
    },
  });
  host.openSocket('ws://x', () => {}, go.onBatch, () => {}, '');
  assert.equal(go.bursts.length, 1);
  const [a, b, c] = go.bursts[0];
  assert.equal(dec.decode(a), '{"id":1}');
  assert.deepEqual([...b], [0, 1, 2]);
  assert.equal(dec.decode(c), 'å€😀');
});

test('a burst larger than the inbox grows it once, to its exact size', () => {
  const { mem, go } = start(64);
  const frames = Array.from({ length: 20 }, (_, i) => `{"id":${i},"result":{"s":"${'x'.repeat(50)}"}}`);
  const host = mem.host({ reply() {}, openSocket: (u, o, onBatch) => (onBatch(frames), { send() {} }) });
  host.openSocket('ws://x', () => {}, go.onBatch, () => {}, '');
  assert.equal(go.grows, 1);
  const total = 4 * frames.length + frames.reduce((s, f) => s + f.length, 0);
  assert.equal(go.cap, Math.max(total, 128));
  assert.deepEqual(go.bursts[0].map((f) => dec.decode(f)), frames);
});

test('Go\'s replies and frames are read from its memory before the call returns', () => {
  const { mem, go } = start(64);
  const got = [];
  const sent = [];
  const host = mem.host({
    reply: (header, body, texts) => got.push({ header, body, texts }),
    openSocket: () => ({ send: (text) => sent.push(text), close() {} }),
  });
  const header = enc.encode('[{"seq":1,"o":0,"n":4}]');
  const body = enc.encode('true');
  host.reply(go.place(header), header.length, go.place(body), body.length, null);
  assert.equal(got[0].header, '[{"seq":1,"o":0,"n":4}]');
  assert.equal(dec.decode(got[0].body), 'true');
  // The body is a copy: Go may reuse its buffer once reply returns.
  assert.notEqual(got[0].body.buffer, mem.memory.buffer);
  host.reply(go.place(header), header.length, 0, 0, ['x']);
  assert.equal(got[1].body, null);
  assert.deepEqual(got[1].texts, ['x']);

  const sock = host.openSocket('ws://x', () => {}, () => {}, () => {}, '');
  const frames = ['{"id":1}', '{"id":2,"t":"å"}'].map((f) => enc.encode(f));
  const out = go.place(new Uint8Array([...frames[0], ...frames[1]]));
  const lens = new Uint8Array(8);
  new DataView(lens.buffer).setUint32(0, frames[0].length, true);
  new DataView(lens.buffer).setUint32(4, frames[1].length, true);
  sock.send(out, go.place(lens), 2);
  assert.deepEqual(sent, ['{"id":1}', '{"id":2,"t":"å"}']);
});
