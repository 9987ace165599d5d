// Unit tests of the browser sign-in helper (jsbridge/qix-auth.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseAppURL, connectURL, explainHandshakeFailure, refuseSecrets, redactText, redactURL, QixAuthError,
} from '../../jsbridge/qix-auth.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl';

/** fakeFetch answers like a CSRF endpoint and records the requests. */
function fakeFetch(status, token, calls = []) {
  return async (url, init) => {
    calls.push({ url, init });
    if (status === 0) throw new TypeError('Failed to fetch');
    return { status, ok: status >= 200 && status < 300, headers: new Headers(token ? { 'qlik-csrf-token': token } : {}) };
  };
}

test('pasted hub URLs give flavour, host, prefix and app id', () => {
  assert.deepEqual(parseAppURL('https://acme.eu.qlikcloud.com/sense/app/6a1f-22/sheet/abc/state/analysis'),
    { flavor: 'cloud', host: 'acme.eu.qlikcloud.com', secure: true, prefix: '', appId: '6a1f-22' });
  assert.deepEqual(parseAppURL('https://qs.corp.example/sso/sense/app/0e7b/overview'),
    { flavor: 'enterprise', host: 'qs.corp.example', secure: true, prefix: 'sso', appId: '0e7b' });
  assert.equal(parseAppURL('https://qs.corp.example/sense/app/0e7b').prefix, '');
  assert.equal(parseAppURL('https://qs.corp.example/a/b/single/?appid=77&sheet=x').appId, '77');
  assert.equal(parseAppURL('https://qs.corp.example/a/b/single/?appid=77&sheet=x').prefix, 'a/b');
  assert.equal(parseAppURL('wss://acme.us.qlikcloud.com/app/9f?qlik-web-integration-id=w').appId, '9f');
  assert.equal(parseAppURL('https://acme.us.qlikcloud.com/hub/home'), null);
  assert.equal(parseAppURL('not a url'), null);
});

test('Qlik Cloud: the CSRF token is fetched with credentials and the web integration id', async () => {
  const calls = [];
  const c = await connectURL({
    appURL: 'https://acme.eu.qlikcloud.com/sense/app/a1/overview', webIntegrationId: 'wi-1',
    fetch: fakeFetch(200, 'tok123', calls),
  });
  assert.equal(calls[0].url, 'https://acme.eu.qlikcloud.com/api/v1/csrf-token');
  assert.equal(calls[0].init.credentials, 'include');
  assert.equal(calls[0].init.headers['qlik-web-integration-id'], 'wi-1');
  assert.equal(c.url, 'wss://acme.eu.qlikcloud.com/app/a1?qlik-web-integration-id=wi-1&qlik-csrf-token=tok123');
  assert.equal(c.redactedURL, 'wss://acme.eu.qlikcloud.com/app/a1?qlik-web-integration-id=wi-1&qlik-csrf-token=REDACTED');
});

test('Qlik Sense Enterprise: <prefix>/qps/csrftoken, the token and a ticket on the URL', async () => {
  const calls = [];
  const c = await connectURL({ appURL: 'https://qs.corp/sso/sense/app/a2', qlikTicket: 'TICK', fetch: fakeFetch(200, 'tok9', calls) });
  assert.equal(calls[0].url, 'https://qs.corp/sso/qps/csrftoken');
  assert.equal(calls[0].init.credentials, 'include');
  assert.equal(c.url, 'wss://qs.corp/sso/app/a2?qlik-csrf-token=tok9&qlikTicket=TICK');
  assert.ok(!c.redactedURL.includes('TICK') && !c.redactedURL.includes('tok9'));
  // A ticket signs in on its own: a 401 from the CSRF endpoint is not fatal then.
  const t = await connectURL({ host: 'qs.corp', prefix: 'sso', appId: 'a2', qlikTicket: 'TICK', fetch: fakeFetch(401) });
  assert.equal(t.url, 'wss://qs.corp/sso/app/a2?qlikTicket=TICK');
  const old = await connectURL({ host: 'qs.corp', appId: 'a2', csrf: false, fetch: fakeFetch(0) });
  assert.equal(old.url, 'wss://qs.corp/app/a2');
});

test('failed CSRF fetches are explained', async () => {
  const cases = [
    [{ flavor: 'cloud' }, 401, /not signed in.*third-party cookies/s],
    [{ flavor: 'cloud' }, 0, /origin http:\/\/page\.example is not allowed for the web integration wi-1/],
    [{ flavor: 'cloud' }, 403, /not allowed for the web integration/],
    [{ flavor: 'enterprise', prefix: 'wrong' }, 404, /wrong virtual proxy prefix "\/wrong"/],
    [{ flavor: 'enterprise', prefix: 'sso' }, 401, /not signed in to qs\.corp\/sso/],
  ];
  for (const [extra, status, re] of cases) {
    await assert.rejects(connectURL({ host: extra.flavor === 'cloud' ? 'acme.eu.qlikcloud.com' : 'qs.corp', appId: 'a', webIntegrationId: 'wi-1',
      origin: 'http://page.example', fetch: fakeFetch(status), ...extra }), (e) => {
      assert.ok(e instanceof QixAuthError, String(e));
      assert.equal(e.reason, 'csrf-failed');
      assert.equal(e.status, status);
      assert.match(e.message, re);
      return true;
    });
  }
});

test('a refused WebSocket names the missing CSRF token, the origin and cookies', () => {
  const ex = explainHandshakeFailure({ flavor: 'cloud', stage: 'websocket', closeCode: 1006, origin: 'http://o.example',
    url: 'wss://acme.eu.qlikcloud.com/app/a?qlik-web-integration-id=w' });
  assert.match(ex.causes[0], /missing CSRF token/);
  assert.match(ex.text, /origin http:\/\/o\.example is not allowed/);
  assert.match(ex.text, /third-party cookies/);
  const stale = explainHandshakeFailure({ flavor: 'cloud', stage: 'websocket', closeCode: 1006, origin: 'http://o.example',
    url: 'wss://acme.eu.qlikcloud.com/app/a?qlik-web-integration-id=w&qlik-csrf-token=SECRETTOKEN' });
  assert.doesNotMatch(stale.text, /missing CSRF/);
  assert.doesNotMatch(stale.text, /SECRETTOKEN/);
  assert.match(stale.text, /no longer matches/);
  const out = explainHandshakeFailure({ flavor: 'cloud', stage: 'websocket', closeCode: 1006, probeStatus: 401, url: 'wss://h/app/a?qlik-csrf-token=x&qlik-web-integration-id=w' });
  assert.match(out.causes[0], /not signed in/);
  assert.match(explainHandshakeFailure({ stage: 'websocket', closeCode: 4204 }).text, /app id is wrong/);
});

test('API keys, Authorization and bearer tokens are refused with the reason', async () => {
  const bad = [
    { apiKey: 'k' },
    { headers: { Authorization: `Bearer ${JWT}` } },
    { params: [['Authorization', 'Bearer abc']] },
    { params: [['x', `Bearer ${JWT}`]] },
    { params: [['api_key', 'k']] },
    { params: [['qlik-jwt', JWT]] },
    { appURL: `https://acme.eu.qlikcloud.com/sense/app/a?jwt=${JWT}` },
  ];
  for (const opts of bad) {
    assert.throws(() => refuseSecrets(opts), (e) => {
      assert.equal(e.reason, 'secret-in-url');
      assert.match(e.message, /logs/);
      assert.ok(!e.message.includes(JWT), e.message);
      return true;
    });
    await assert.rejects(connectURL({ host: 'acme.eu.qlikcloud.com', appId: 'a', webIntegrationId: 'w', fetch: fakeFetch(200, 't'), ...opts }),
      (e) => e.reason === 'secret-in-url');
  }
  refuseSecrets({ params: [['reloadUri', 'x']], webIntegrationId: 'w' }); // harmless ones pass
});

test('redaction follows qixcore/redact.go', () => {
  assert.equal(redactURL('wss://h/app/x?qlik-csrf-token=abc&qlikTicket=t&x=1#access_token=z'),
    'wss://h/app/x?qlik-csrf-token=REDACTED&qlikTicket=REDACTED&x=1#access_token=REDACTED');
  assert.equal(redactText(`failed: Authorization: Bearer ${JWT}`), 'failed: Authorization: REDACTED');
  assert.equal(redactText(`token ${JWT} here`), 'token REDACTED here');
  assert.equal(redactText('{"qlik-csrf-token":"abc","user":"bob"}'), '{"qlik-csrf-token":"REDACTED","user":"bob"}');
  assert.equal(redactText('https://u:pw@h/ /identity/sess1 myToken=v: done'), 'https://u:REDACTED@h/ /identity/REDACTED myToken=REDACTED: done');
  assert.equal(redactText('qlik-csrf-token: abc'), 'qlik-csrf-token: REDACTED');
});
