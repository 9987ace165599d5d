// Unit tests of the bridge's enigma.js surface that need no browser:
// buildUrl against enigma.js's sense-utilities, the emitter's listener
// isolation, config checks and mixins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { buildUrl } from '../../jsbridge/qix-url.js';
import { Emitter } from '../../jsbridge/qix-emitter.js';
import { checkConfig, Mixins } from '../../jsbridge/qix-config.js';

const require = createRequire(import.meta.url);
const senseUtilities = require('enigma.js/sense-utilities');

test('buildUrl makes the URLs sense-utilities makes', () => {
  const configs = [
    {},
    { host: 'sense.example.com', appId: 'my app/ä' },
    { host: 'h', port: 4848, secure: false, prefix: '/virtual/', subpath: 'sub', appId: 'a', identity: 'id 1', ttl: 30 },
    { host: 'h', route: '/app/engineData/', urlParams: { reloadUri: 'http://x/?a=b', n: 3, ok: true, list: ['a', 'b c'] } },
    { host: 'h', appId: 'x', ttl: 0, identity: '' },
  ];
  for (const c of configs) assert.equal(buildUrl({ ...c }), senseUtilities.buildUrl({ ...c }), JSON.stringify(c));
});

test('a throwing listener never stops the others; it is reported', () => {
  const e = new Emitter();
  const seen = [];
  const errors = [];
  const origError = console.error;
  console.error = (...a) => errors.push(a.map(String).join(' '));
  try {
    e.on('x', () => {
      throw new Error('first');
    });
    e.once('x', (v) => seen.push(`once ${v}`));
    e.on('x', (v) => seen.push(`on ${v}`));
    assert.equal(e.emit('x', 1), true);
    e.emit('x', 2);
  } finally {
    console.error = origError;
  }
  assert.deepEqual(seen, ['once 1', 'on 1', 'on 2']);
  assert.equal(errors.length, 2);
  assert.match(errors[0], /'x' listener threw/);
  const fn = () => {};
  e.on('y', fn).addListener('y', fn);
  assert.equal(e.listeners('y').length, 2);
  e.removeListener('y', fn);
  assert.equal(e.listenerCount('y'), 1);
  e.removeAllListeners();
  assert.equal(e.emit('y'), false);
});

test('config checks name the problem; unknown options warn', () => {
  const warnings = [];
  const origWarn = console.warn;
  console.warn = (m) => warnings.push(m);
  try {
    assert.equal(checkConfig({ url: 5 }), 'config.url must be a WebSocket URL string, got number');
    assert.equal(checkConfig({ url: 'ws://x', schema: {} }), 'config.schema must be an enigma.js schema: an object with a structs object');
    assert.equal(checkConfig({ url: 'ws://x', mixins: [{ extend: {} }] }), 'config.mixins[0] needs types: a type name or an array of them');
    assert.equal(checkConfig({ url: 'ws://x', responseInterceptors: [{ onRejected: 1 }] }), 'config.responseInterceptors[0].onRejected must be a function');
    assert.equal(checkConfig({ url: 'ws://x', createSocket: 'ws' }), 'config.createSocket must be a function, got string');
    assert.equal(checkConfig({ url: 'ws://x', listeners: {}, protocol: { delta: true, foo: 1 } }), '');
  } finally {
    console.warn = origWarn;
  }
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /config\.listeners is not an option/);
});

test('mixins: override gets the bound base, extend refuses to replace a method', () => {
  const m = new Mixins([
    { types: ['Doc'], override: { get(base, x) { return `o(${base(x)})`; } }, extend: { more() { return this.name; } } },
  ]);
  const proto = { get(x) { return `${this.name}:${x}`; } };
  m.apply('Doc', proto);
  const obj = Object.create(proto);
  obj.name = 'app';
  assert.equal(obj.get(1), 'o(app:1)');
  assert.equal(obj.more(), 'app');
  const bad = new Mixins([{ types: 'Doc', extend: { get() {} } }]);
  assert.throws(() => bad.apply('Doc', { get() {} }), (e) => e.code === -10);
  const none = new Mixins([{ types: 'Doc', override: { nope() {} } }]);
  assert.throws(() => none.apply('Doc', {}), (e) => e.code === -9 && /No function to override/.test(e.message));
});
