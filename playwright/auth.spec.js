// Real-engine sign-in from a browser (issue 8 item 3), against the
// emulator's cookie-auth mode: this spec starts its own dev server
// (build/bin/devserver -flavor cloud -auth cookie) on a free port, adds a
// web integration for that server's origin, signs in with the emulator's
// login endpoint and connects through jsbridge/qix-auth.js in worker mode.
// Each failure case must end in the right explanation, and no message the
// helper produces (errors, causes, URLs, page console) may hold a token.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';

const WI = 'wi-playwright';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkta2V5In0.c2lnbmF0dXJlLXNlY3JldA';

let server; // { proc, url, origin, host }

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qix-auth-'));
  const urlFile = path.join(dir, 'url');
  const proc = spawn('build/bin/devserver', [
    '-addr', '127.0.0.1:0', '-url-file', urlFile, '-flavor', 'cloud', '-reload-pace', '0',
    '-auth', 'cookie', '-web-integration-id', 'wi-fixed', '-allowed-origin', 'https://mashup.example',
    '-virtual-proxy', 'vp',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  for (let i = 0; i < 300 && !fs.existsSync(urlFile); i++) {
    if (proc.exitCode !== null) throw new Error(`devserver exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = fs.readFileSync(urlFile, 'utf8').trim().replace(/\/+$/, '');
  const u = new URL(url);
  server = { proc, url, origin: u.origin, host: u.host, port: u.port, dir };
  // The web integration allows this server's own origin (known only now).
  const res = await fetch(`${url}/_emulator/web-integrations`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: WI, validOrigins: [u.origin] }),
  });
  if (res.status !== 201) throw new Error(`web integration: ${res.status} ${await res.text()}`);
});

test.afterAll(async () => {
  if (!server) return;
  server.proc.kill('SIGTERM');
  await new Promise((r) => (server.proc.exitCode !== null ? r() : server.proc.once('exit', r)));
  fs.rmSync(server.dir, { recursive: true, force: true });
});

/** A page on the server's blank document at base (default the server's URL), its console collected. */
async function openPage(browser, base = server.url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  const res = await page.goto(`${base}/_dev/blank.html`);
  expect(res?.ok()).toBeTruthy();
  return { context, page, logs };
}

async function signIn(page, user = 'pw-user') {
  return page.evaluate(async (u) => {
    const r = await fetch(`/_emulator/login?user=${u}`, { method: 'POST' });
    if (!r.ok) throw new Error(`login: ${r.status}`);
    return (await r.json()).user;
  }, user);
}

/** The page's current CSRF token, read directly: what must never show in a message. */
async function currentToken(page) {
  return page.evaluate(async (wi) => {
    const r = await fetch('/api/v1/csrf-token', { credentials: 'include', headers: { 'qlik-web-integration-id': wi } });
    return r.headers.get('qlik-csrf-token');
  }, WI);
}

/**
 * Runs openSession in the page with opts (plus the server's host) and
 * returns {ok, …} or the error's {reason, status, closeCode, message, causes}.
 * prepare, when given, runs first in the page ('stale' fetches a URL then
 * signs in again; 'logout' fetches a URL then signs out; 'no-csrf' builds
 * the URL without the CSRF fetch).
 */
async function attempt(page, opts, prepare = '') {
  return page.evaluate(async ({ opts, prepare }) => {
    const { create } = await import('/qix.js');
    const auth = await import('/qix-auth.js');
    const full = { host: location.host, secure: false, ...opts };
    try {
      if (prepare) {
        const c = await auth.connectURL({ ...full, csrf: prepare !== 'no-csrf' });
        if (prepare === 'stale') await fetch('/_emulator/login?user=again', { method: 'POST' });
        if (prepare === 'logout') await fetch('/_emulator/logout', { method: 'POST' });
        const session = create({ url: c.url, worker: true });
        try {
          await session.open();
          return { ok: true };
        } catch (err) {
          const e = await auth.explainSessionError(err, { ...full, ...c });
          return { reason: e.reason, closeCode: e.closeCode, message: e.message, causes: e.causes, raw: String(err && err.message) };
        }
      }
      const { session, global, app, url } = await auth.openSession(create, full, { worker: true });
      const layout = await app.getAppLayout();
      const user = await global.getAuthenticatedUser();
      await session.close();
      return { ok: true, title: layout.qTitle, url, user };
    } catch (e) {
      return { reason: e.reason, status: e.status, closeCode: e.closeCode, message: e.message, causes: e.causes || [] };
    }
  }, { opts, prepare });
}

/** Every string a result and the page's console hold must be free of secrets. */
function expectNoSecrets(out, logs, secrets) {
  const all = JSON.stringify(out) + '\n' + logs.join('\n');
  for (const s of secrets.filter(Boolean)) expect(all, 'a secret leaked into a message').not.toContain(s);
}

test('worker mode: sign in, qix-auth builds the Cloud URL, the session opens the app', async ({ browser }) => {
  const { context, page, logs } = await openPage(browser);
  expect(await signIn(page, 'pw-user')).toBe('pw-user');
  const token = await currentToken(page);
  expect(token).toMatch(/^[0-9a-f]{32}$/);
  const out = await attempt(page, { appId: 'Sales', webIntegrationId: WI });
  expect(out.ok, JSON.stringify(out)).toBe(true);
  expect(out.title).toBe('Sales');
  expect(out.user).toContain('UserId=pw-user');
  expect(out.url).toBe(`ws://${server.host}/app/Sales?qlik-web-integration-id=${WI}&qlik-csrf-token=REDACTED`);
  expectNoSecrets(out, logs, [token]);
  // A pasted hub URL works the same.
  const pasted = await attempt(page, { appURL: `${server.url}/sense/app/Sales/sheet/abc/state/analysis`, webIntegrationId: WI });
  expect(pasted.ok, JSON.stringify(pasted)).toBe(true);
  await context.close();
});

test('Enterprise style: <prefix>/qps/csrftoken and the token on the URL open a session', async ({ browser }) => {
  const { context, page, logs } = await openPage(browser);
  await signIn(page);
  const token = await currentToken(page);
  const out = await attempt(page, { flavor: 'enterprise', appURL: `${server.url}/vp/sense/app/Sales/overview` });
  expect(out.ok, JSON.stringify(out)).toBe(true);
  expect(out.url).toBe(`ws://${server.host}/vp/app/Sales?qlik-csrf-token=REDACTED`);
  expectNoSecrets(out, logs, [token]);
  await context.close();
});

test('failures are explained, with no token in any message', async ({ browser }) => {
  const { context, page, logs } = await openPage(browser);
  const results = {};

  // Not signed in: the CSRF endpoint answers 401.
  results.notSignedIn = await attempt(page, { appId: 'Sales', webIntegrationId: WI });
  expect(results.notSignedIn).toMatchObject({ reason: 'csrf-failed', status: 401 });
  expect(results.notSignedIn.message).toMatch(/not signed in/);
  expect(results.notSignedIn.message).toMatch(/third-party cookies/);

  await signIn(page);
  const token = await currentToken(page);

  // A web integration id the tenant does not know.
  results.wrongWI = await attempt(page, { appId: 'Sales', webIntegrationId: 'no-such-id' });
  expect(results.wrongWI).toMatchObject({ reason: 'csrf-failed', status: 403 });
  expect(results.wrongWI.message).toMatch(/web integration id no-such-id is wrong/);

  // Missing CSRF token on the socket: refused at the handshake (1006).
  results.noCSRF = await attempt(page, { appId: 'Sales', webIntegrationId: WI }, 'no-csrf');
  expect(results.noCSRF).toMatchObject({ reason: 'handshake-failed', closeCode: 1006 });
  expect(results.noCSRF.causes[0]).toMatch(/missing CSRF token/);
  expect(results.noCSRF.message).not.toMatch(/^1006$/);

  // A token from an earlier sign-in.
  results.stale = await attempt(page, { appId: 'Sales', webIntegrationId: WI }, 'stale');
  expect(results.stale).toMatchObject({ reason: 'handshake-failed', closeCode: 1006 });
  expect(results.stale.message).toMatch(/no longer matches the session/);
  expect(results.stale.message).not.toMatch(/missing CSRF token/);
  const token2 = await currentToken(page);

  // Signed out after the token was fetched: the probe finds it out.
  results.signedOut = await attempt(page, { appId: 'Sales', webIntegrationId: WI }, 'logout');
  expect(results.signedOut).toMatchObject({ reason: 'handshake-failed', closeCode: 1006 });
  expect(results.signedOut.causes[0]).toMatch(/not signed in/);

  // Wrong virtual proxy prefix (Enterprise).
  await signIn(page);
  const token3 = await currentToken(page);
  results.wrongPrefix = await attempt(page, { flavor: 'enterprise', prefix: 'nope', appId: 'Sales' });
  expect(results.wrongPrefix).toMatchObject({ reason: 'csrf-failed', status: 404 });
  expect(results.wrongPrefix.message).toMatch(/wrong virtual proxy prefix "\/nope"/);

  // API keys and Authorization are refused before anything is sent.
  results.apiKey = await attempt(page, { appId: 'Sales', webIntegrationId: WI, apiKey: JWT });
  expect(results.apiKey.reason).toBe('secret-in-url');
  expect(results.apiKey.message).toMatch(/logs/);
  results.authParam = await attempt(page, { appId: 'Sales', webIntegrationId: WI, params: [['Authorization', `Bearer ${JWT}`]] });
  expect(results.authParam.reason).toBe('secret-in-url');

  expectNoSecrets(results, logs, [token, token2, token3, JWT]);
  await context.close();
});

test('a page origin the web integration does not allow is named in the explanation', async ({ browser }) => {
  // The same server under another name is another origin, not in the web integration.
  const other = `http://localhost:${server.port}`;
  const { context, page, logs } = await openPage(browser, other);
  await signIn(page);
  const token = await currentToken(page);
  const out = await attempt(page, { appId: 'Sales', webIntegrationId: WI });
  expect(out).toMatchObject({ reason: 'csrf-failed', status: 403 });
  expect(out.message).toContain(`origin ${other} is not allowed for the web integration ${WI}`);
  expectNoSecrets(out, logs, [token]);
  await context.close();
});

// ---- the console's Qlik Cloud / Qlik Sense Enterprise target ------------

/** bodyText is all the text a user can read or copy from the console (inputs excluded). */
const bodyText = (page) => page.evaluate(() => document.body.innerText);

async function consolePage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(String(e)));
  const res = await page.goto(`${server.url}/console`);
  expect(res?.ok()).toBeTruthy();
  await page.getByRole('radio', { name: 'Qlik Cloud / Qlik Sense Enterprise' }).check();
  return { context, page, logs };
}

test('console: the Cloud form connects after sign-in and explains a wrong web integration id', async ({ browser }) => {
  const { context, page, logs } = await consolePage(browser);
  await signIn(page);
  const token = await currentToken(page);
  expect(token).toMatch(/^[0-9a-f]{32}$/);

  // A pasted hub link fills the form (a loopback host: the product stays Qlik Cloud).
  await page.getByLabel('Paste an app link').fill(`${server.url}/sense/app/Sales/sheet/abc/state/analysis`);
  await expect(page.getByLabel('Product')).toHaveValue('cloud');
  await expect(page.getByLabel('Tenant or server host')).toHaveValue(server.host);
  await expect(page.getByLabel('App', { exact: true })).toHaveValue('Sales');
  await expect(page.getByLabel('Secure (wss://)')).not.toBeChecked();

  // A web integration id the tenant does not know: the CSRF fetch is refused, and the console says why.
  await page.getByLabel('Web integration id').fill('no-such-id');
  await expect(page.locator('#url-preview')).toHaveText(`ws://${server.host}/app/Sales?qlik-web-integration-id=no-such-id&qlik-csrf-token=[REDACTED]`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const box = page.locator('#connect-error');
  await expect(box.locator('.err-head')).toHaveText(/^Could not connect: .*\/api\/v1\/csrf-token answered 403: refused\.$/);
  await expect(box.locator('ol.causes li')).toHaveCount(3);
  await expect(box.locator('ol.causes li').nth(1)).toContainText('the web integration id no-such-id is wrong or belongs to another tenant');
  await expect(box.locator('ol.causes li').first()).toContainText(`this page's origin ${server.origin} is not allowed`);
  await expect(page.locator('#status')).toHaveText('Connection failed');

  // The right one: the console fetches the token and opens the app.
  await page.getByLabel('Web integration id').fill(WI);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(`Open · ws://${server.host}/app/Sales?qlik-web-integration-id=${WI}&qlik-csrf-token=[REDACTED]`);
  await expect(box).toBeHidden();
  await expect(page.locator('.handle-row .type', { hasText: /^Doc$/ })).toBeVisible();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.locator('#state')).toHaveText('Closed');

  // Without the CSRF token the socket is refused during the handshake:
  // the console explains it instead of showing 1006 alone.
  await page.getByLabel('Fetch the CSRF token').uncheck();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(box.locator('.err-head')).toContainText('was refused during the handshake (close 1006');
  await expect(box.locator('ol.causes li').first()).toContainText('missing CSRF token');

  const text = await bodyText(page);
  expect(text).not.toContain(token);
  expectNoSecrets({ text }, logs, [token]);
  await context.close();
});

test('console: a Qlik Sense Enterprise hub link with its prefix connects; signed out is explained', async ({ browser }) => {
  const { context, page, logs } = await consolePage(browser);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByLabel('Paste an app link').fill(`${server.url}/vp/sense/app/Sales/overview`);
  await expect(page.getByLabel('Product')).toHaveValue('enterprise');
  await expect(page.getByLabel('Virtual proxy prefix')).toHaveValue('vp');
  await expect(page.locator('#url-preview')).toHaveText(`ws://${server.host}/vp/app/Sales?qlik-csrf-token=[REDACTED]`);

  // Not signed in yet: <prefix>/qps/csrftoken answers 401.
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const box = page.locator('#connect-error');
  await expect(box.locator('.err-head')).toContainText('/vp/qps/csrftoken answered 401: not signed in.');
  await expect(box.locator('ol.causes li').first()).toContainText('sign in through the hub first');
  // At phone width the explanation wraps: nothing overflows sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

  await signIn(page);
  const token = await currentToken(page);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(`Open · ws://${server.host}/vp/app/Sales?qlik-csrf-token=[REDACTED]`);
  await expect(page.locator('.handle-row .type', { hasText: /^Doc$/ })).toBeVisible();
  const text = await bodyText(page);
  expectNoSecrets({ text }, logs, [token]);
  await context.close();
});
