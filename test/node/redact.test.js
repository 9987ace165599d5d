// web/lib/redact.js: secrets out of strings and values, the structure kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactString, REDACTED } from '../../web/lib/redact.js';

test('URL parameters: tickets, CSRF tokens, Authorization (also with Bearer written out)', () => {
  assert.equal(
    redactString('wss://t.example/app/A?qlik-web-integration-id=W1&qlik-csrf-token=c5rf&qlikTicket=TK1'),
    `wss://t.example/app/A?qlik-web-integration-id=W1&qlik-csrf-token=${REDACTED}&qlikTicket=${REDACTED}`,
  );
  assert.equal(redactString('failed: Authorization=Bearer abc.def'), `failed: Authorization=${REDACTED}`);
  assert.equal(redactString('x?authorization=Basic%20dXNlcg'), `x?authorization=${REDACTED}`);
  // An empty value stays empty: nothing was there to hide.
  assert.equal(redactString('x?qlik-csrf-token=&a=1'), 'x?qlik-csrf-token=&a=1');
});

test('JSON members and headers inside a message', () => {
  assert.equal(redactString('{"qlik-csrf-token":"zz9","code":"QEP-104"}'), `{"qlik-csrf-token":"${REDACTED}","code":"QEP-104"}`);
  assert.equal(redactString('Authorization: abc123'), `Authorization: ${REDACTED}`);
  assert.equal(redactString('Authorization: Bearer abc123'), `Authorization: Bearer ${REDACTED}`);
  assert.equal(redactString('X-Qlik-Xrfkey: 0123456789abcdef'), `X-Qlik-Xrfkey: ${REDACTED}`);
  assert.equal(redactString('Cookie: a=1; b=2'), `Cookie: ${REDACTED}`);
  assert.equal(redactString('x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln y'), `x ${REDACTED} y`);
});

test('prose that only names a secret is left alone', () => {
  const s = 'missing CSRF token: add qlik-csrf-token to the URL (see the author notes)';
  assert.equal(redactString(s), s);
});

test('redact keeps the shape of a frame', () => {
  const frame = { id: 3, method: 'OpenDoc', params: { qDocName: 'A?qlikTicket=T9', qPassword: 'pw' }, n: 5 };
  assert.deepEqual(redact(frame), { id: 3, method: 'OpenDoc', params: { qDocName: `A?qlikTicket=${REDACTED}`, qPassword: REDACTED }, n: 5 });
});

// Positional passwords: OpenDoc's qPassword is param 2 (web/lib/secret-params.js, generated from Go).
import { maskSecretParams, redactFrame } from '../../web/lib/redact.js';
import { TrafficLog } from '../../web/lib/traffic-log.js';

test('a password given as a positional param is masked by its place in the schema', () => {
  const open = { jsonrpc: '2.0', id: 3, handle: -1, method: 'OpenDoc', params: ['Sales', 'alice', 'hunter2', '', false] };
  assert.deepEqual(redactFrame(open).params, ['Sales', 'alice', REDACTED, '', false]);
  assert.deepEqual(open.params[2], 'hunter2', 'the frame itself is not modified');
  assert.deepEqual(maskSecretParams({ method: 'CreateDocEx', params: ['New', 'u', 'pw'] }).params, ['New', 'u', REDACTED]);
  // Named params are masked by name; empty passwords and other methods stay.
  assert.deepEqual(redactFrame({ method: 'OpenDoc', params: { qDocName: 'Sales', qPassword: 'hunter2' } }).params, { qDocName: 'Sales', qPassword: REDACTED });
  const empty = { method: 'OpenDoc', params: ['Sales', '', ''] };
  assert.equal(maskSecretParams(empty), empty);
  assert.deepEqual(redactFrame({ method: 'GetObject', params: ['hunter2'] }).params, ['hunter2']);
  // Inherited names are not methods.
  const odd = { method: 'constructor', params: ['a', 'b', 'c'] };
  assert.equal(maskSecretParams(odd), odd);
});

test('the traffic log never keeps a positional password, nor shows or exports it', async () => {
  const log = new TrafficLog();
  log.add('sent', { jsonrpc: '2.0', id: 1, handle: -1, method: 'OpenDoc', params: ['Sales', 'alice', 'hunter2'] });
  log.add('received', { jsonrpc: '2.0', id: 1, result: { qReturn: { qType: 'Doc', qHandle: 1 } } });
  log.import('[{"Sent":{"jsonrpc":"2.0","id":2,"handle":-1,"method":"OpenDoc","params":["Demo","bob","s3cret"]}}]');
  assert.equal(log.entries.length, 3);
  for (const e of log.entries) assert.ok(!JSON.stringify(e.msg).includes('hunter2') && !JSON.stringify(e.msg).includes('s3cret'));
  const text = log.exportText();
  assert.ok(!text.includes('hunter2') && !text.includes('s3cret'), text);
  assert.ok(text.includes('"alice"') && text.includes(REDACTED));
});
