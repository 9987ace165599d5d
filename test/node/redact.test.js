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
