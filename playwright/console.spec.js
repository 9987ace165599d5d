// The test console (web/console.html): URL builder preview, method calls
// with results and typed errors, suspend/resume, close codes, keyboard use,
// and screenshots at desktop and phone sizes.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures.js';

const uniq = () => `con-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const shotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));
mkdirSync(shotDir, { recursive: true });

/** connect fills the emulator form (app, identity, ttl) and connects; resolves once the Doc handle is listed. */
async function connect(page, { app = 'Demo', identity = uniq(), ttl, openApp = true } = {}) {
  await page.goto('/console');
  await page.getByLabel('App', { exact: true }).fill(app);
  if (!openApp) {
    await page.getByText('Client options').click();
    await page.getByLabel('Open the app after connecting').uncheck();
  }
  await page.getByLabel('Identity').fill(identity);
  if (ttl !== undefined) await page.getByLabel('TTL (s)').fill(String(ttl));
  await expect(page.locator('#url-preview')).toContainText(`/identity/${identity}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await expect(handleRow(page, openApp ? 'Doc' : 'Global')).toBeVisible();
  return identity;
}

const handleRow = (page, type) => page.locator('.handle-row').filter({ has: page.locator('.type', { hasText: new RegExp(`^${type}$`) }) });

async function pickHandle(page, type) {
  await handleRow(page, type).first().locator('input').check();
  await expect(page.locator('#call-target')).toContainText(type);
}

async function send(page, method, params) {
  await page.getByLabel('Method', { exact: true }).selectOption(method);
  if (params !== undefined) await page.locator('#params-json').fill(typeof params === 'string' ? params : JSON.stringify(params));
  await page.getByRole('button', { name: 'Send' }).click();
}

test('sends a method, shows its result, a new handle and an engine error', async ({ page, pageErrors }) => {
  await connect(page, { openApp: false });
  // Only Global (-1) until a call returns an object.
  await expect(page.locator('.handle-row')).toHaveCount(1);
  await expect(handleRow(page, 'Global').locator('.h')).toHaveText('-1');
  await expect(page.locator('#call-target')).toHaveText('handle -1 · Global');
  // The method list is Global's schema methods; In names and defaults fill the params.
  await page.getByLabel('Method', { exact: true }).selectOption('OpenDoc');
  await expect(page.locator('#params-json')).toHaveValue(JSON.stringify({ qDocName: '' }, null, 2));
  await expect(page.locator('#param-help')).toContainText('qNoData');
  await expect(page.locator('#param-help')).toContainText('optional');

  await send(page, 'EngineVersion');
  await expect(page.locator('#result-line')).toContainText('✓ EngineVersion on handle -1');
  await expect(page.locator('#result-json')).toContainText('"qComponentVersion": "12.2027.0"');

  // An engine error shows its code, parameter and message.
  await send(page, 'OpenDoc', { qDocName: 'NoSuchApp' });
  await expect(page.locator('#result-line')).toContainText('✗ OpenDoc on handle -1');
  const err = page.locator('#result-error');
  await expect(err).toBeVisible();
  await expect(err.locator('.err-kind dd')).toHaveText('Engine');
  await expect(err.locator('.err-code dd')).toHaveText('1003');
  await expect(err.locator('.err-parameter dd')).toHaveText('NoSuchApp');
  await expect(err.locator('.err-message dd')).toHaveText('App not found');
  await expect(page.locator('#result-json')).toBeHidden();

  // A call that returns an object adds its handle to the list.
  await send(page, 'OpenDoc', { qDocName: 'Demo' });
  await expect(page.locator('#result-line')).toContainText(/✓ OpenDoc on handle -1 · .* · new handle \d+ \(Doc\)/);
  await expect(handleRow(page, 'Doc').locator('.id')).toHaveText('Demo');
  await pickHandle(page, 'Doc');
  await send(page, 'CreateSessionObject', {
    qProp: {
      qInfo: { qId: 'kpi-total', qType: 'kpi' },
      total: { qValueExpression: '=Sum(Sales)' },
    },
  });
  await expect(page.locator('#result-line')).toContainText(/new handle \d+ \(GenericObject\)/);
  await expect(page.locator('#result-json')).toContainText('"qGenericId": "kpi-total"');
  const kpi = handleRow(page, 'GenericObject');
  await expect(kpi).toHaveCount(1);
  await expect(kpi.locator('.gt')).toContainText('kpi');
  await pickHandle(page, 'GenericObject');
  await send(page, 'GetLayout');
  // Hand-computed from the Demo app: Sum(Sales) = 114.
  await expect(page.locator('#result-json')).toContainText('"total": 114');

  // A selection changes the object: its row counts the change.
  await pickHandle(page, 'Doc');
  await send(page, 'GetField', { qFieldName: 'Region' });
  await pickHandle(page, 'Field');
  await send(page, 'Select', { qMatch: 'North' });
  await expect(page.locator('#result-json')).toHaveText('true');
  await expect(kpi.locator('.changed')).toHaveText(/changed ×\d+/);
  await pickHandle(page, 'GenericObject');
  await send(page, 'GetLayout');
  await expect(page.locator('#result-json')).toContainText('"total": 60');

  // Destroying it removes the handle from the list.
  await pickHandle(page, 'Doc');
  await send(page, 'DestroySessionObject', { qId: 'kpi-total' });
  await expect(page.locator('#result-json')).toHaveText('true');
  await expect(kpi).toHaveCount(0);

  // The traffic panel saw every frame, with latency on the answers.
  const rows = page.locator('#traffic .tp-table tbody tr');
  await expect(rows.filter({ hasText: 'EngineVersion' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'DestroySessionObject' }).filter({ hasText: '↓ recv' }).locator('.tp-badge.close')).toHaveCount(1);
  await expect(rows.filter({ hasText: 'OpenDoc ✗ 1003' })).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('a method outside the schema goes as a raw call and shows the JSON-RPC error', async ({ page }) => {
  await connect(page);
  await pickHandle(page, 'Doc');
  await page.getByLabel('Method', { exact: true }).selectOption('__other__');
  await page.getByLabel('Method name').fill('NoSuchMethod');
  await expect(page.locator('#params-json')).toHaveValue('[]');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#result-line')).toContainText('✗ NoSuchMethod');
  await expect(page.locator('#result-error .err-code dd')).toHaveText('-32601');
  // Invalid JSON never leaves the page.
  await page.locator('#params-json').fill('{ nope');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#params-error')).toContainText('not valid JSON');
});

test('URL preview follows the form live, as the Go URL builder makes it', async ({ page, baseURL, pageErrors }) => {
  await page.goto('/console');
  const preview = page.locator('#url-preview');
  const host = new URL(baseURL).host;
  const buildURL = (cfg) => page.evaluate(async (cfg) => (await import('/qix.js')).buildURL(cfg), cfg);

  // Emulator: this server, app Sales.
  await expect(preview).toHaveText(`ws://${host}/app/Sales`);

  // Qlik Core: port 9076 added to the host.
  await page.getByRole('radio', { name: 'Qlik Core' }).check();
  await expect(preview).toHaveText('ws://localhost:9076/app/');
  await page.getByLabel('Host', { exact: true }).fill('engine.example.com');
  await page.getByLabel('App', { exact: true }).fill('engineData');
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/engineData');
  await page.getByLabel('Virtual proxy prefix').fill('vp');
  await expect(preview).toHaveText('ws://engine.example.com:9076/vp/app/engineData');
  await page.getByLabel('Virtual proxy prefix').fill('');

  // Identity and TTL.
  await page.getByLabel('Identity').fill('alice smith');
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/engineData/identity/alice%20smith');
  await page.getByLabel('TTL (s)').fill('30');
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/engineData/identity/alice%20smith/ttl/30');
  expect(await preview.textContent()).toBe(
    await buildURL({ host: 'engine.example.com', port: 9076, appId: 'engineData', identity: 'alice smith', ttl: 30 }),
  );

  // Query parameters, in order, escaped.
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await page.getByLabel('Parameter name').last().fill('reloadUri');
  await page.getByLabel('Parameter value').last().fill('https://x.example/a b?c=1&d');
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await page.getByLabel('Parameter name').last().fill('qlikTicket');
  await page.getByLabel('Parameter value').last().fill('T1');
  const withParams = await buildURL({
    host: 'engine.example.com',
    port: 9076,
    appId: 'engineData',
    identity: 'alice smith',
    ttl: 30,
    params: [
      ['reloadUri', 'https://x.example/a b?c=1&d'],
      ['qlikTicket', 'T1'],
    ],
  });
  // The preview shows the ticket redacted; connect() uses the URL as built.
  await expect(preview).toHaveText(withParams.replace('qlikTicket=T1', 'qlikTicket=[REDACTED]'));
  expect(withParams).toMatch(/\/ttl\/30\?reloadUri=https%3A%2F%2Fx\.example%2Fa(\+|%20)b%3Fc%3D1%26d&qlikTicket=T1$/);
  // Removing one updates the preview too.
  await page.getByRole('button', { name: 'Remove parameter' }).first().click();
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/engineData/identity/alice%20smith/ttl/30?qlikTicket=[REDACTED]');

  // Session app with a template (?from=).
  await page.getByLabel('Session app', { exact: true }).check();
  await expect(page.getByLabel('App', { exact: true })).toBeHidden();
  await expect(preview).toHaveText(/\/app\/SessionApp_[0-9a-f-]{36}\/identity\//);
  await page.getByLabel('Session app id').fill('demo-1');
  await page.getByLabel('Template app (from)').fill('Sales');
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/SessionApp_demo-1/identity/alice%20smith/ttl/30?from=Sales&qlikTicket=[REDACTED]');
  await page.getByLabel('Session app', { exact: true }).uncheck();

  // Qlik Cloud / Qlik Sense Enterprise: wss, the web integration id; a
  // pasted https:// tenant is tolerated. Identity and TTL carry over. The
  // CSRF token is fetched on Connect, so the preview shows it redacted.
  await page.getByRole('radio', { name: 'Qlik Cloud / Qlik Sense Enterprise' }).check();
  await expect(page.getByLabel('Virtual proxy prefix')).toBeHidden();
  await expect(page.getByLabel('Session app', { exact: true })).toBeHidden();
  await page.getByLabel('Tenant or server host').fill('https://acme.eu.qlikcloud.com/');
  await page.getByLabel('App', { exact: true }).fill('0f7b5c3e-7c1a-4d53-9c0f-1f0b2c3d4e5f');
  await expect(page.locator('#url-error')).toContainText('needs a web integration id');
  await page.getByLabel('Web integration id').fill('wid-123');
  await expect(preview).toHaveText(
    'wss://acme.eu.qlikcloud.com/app/0f7b5c3e-7c1a-4d53-9c0f-1f0b2c3d4e5f/identity/alice%20smith/ttl/30?qlik-web-integration-id=wid-123&qlik-csrf-token=[REDACTED]',
  );
  await page.getByLabel('Identity').fill('');
  await page.getByLabel('TTL (s)').fill('');
  await expect(preview).toHaveText('wss://acme.eu.qlikcloud.com/app/0f7b5c3e-7c1a-4d53-9c0f-1f0b2c3d4e5f?qlik-web-integration-id=wid-123&qlik-csrf-token=[REDACTED]');

  // An Authorization parameter (or an API key) is refused with the reason.
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await page.getByLabel('Parameter name').last().fill('Authorization');
  await page.getByLabel('Parameter value').last().fill('Bearer abc.def');
  await expect(page.locator('#url-error')).toContainText('refused the Authorization parameter in params: browsers cannot send headers on a WebSocket');
  await expect(page.getByRole('button', { name: 'Connect' })).toBeDisabled();
  await page.getByRole('button', { name: 'Remove parameter' }).click();
  await expect(page.locator('#url-error')).toBeHidden();

  // A hub link of Qlik Sense Enterprise fills host, prefix and app and
  // switches the product; the ticket is masked and redacted in the preview.
  await page.getByLabel('Paste an app link').fill('https://sense.example.com/sso/sense/app/9a8b-7c6d/sheet/xyz/state/analysis');
  await expect(page.getByLabel('Product')).toHaveValue('enterprise');
  await expect(page.getByLabel('Tenant or server host')).toHaveValue('sense.example.com');
  await expect(page.getByLabel('Virtual proxy prefix')).toHaveValue('sso');
  await expect(page.getByLabel('App', { exact: true })).toHaveValue('9a8b-7c6d');
  await expect(page.getByLabel('Web integration id')).toBeHidden();
  await expect(page.getByLabel('Ticket')).toHaveAttribute('type', 'password');
  await page.getByLabel('Ticket').fill('TKT-secret-99');
  await expect(preview).toHaveText('wss://sense.example.com/sso/app/9a8b-7c6d?qlik-csrf-token=[REDACTED]&qlikTicket=[REDACTED]');
  await page.getByLabel('Fetch the CSRF token').uncheck();
  await expect(preview).toHaveText('wss://sense.example.com/sso/app/9a8b-7c6d?qlikTicket=[REDACTED]');
  expect(await page.evaluate(() => document.body.innerText)).not.toContain('TKT-secret-99');
  // URL mode gets the redacted URL only; the ticket stays in its masked field.
  await page.getByRole('radio', { name: 'URL', exact: true }).check();
  await expect(page.getByLabel('Engine URL')).toHaveValue('wss://sense.example.com/sso/app/9a8b-7c6d?qlikTicket=[REDACTED]');
  await page.getByRole('radio', { name: 'Qlik Cloud / Qlik Sense Enterprise' }).check();
  await expect(page.getByLabel('Ticket')).toHaveValue('TKT-secret-99');
  await expect(preview).toHaveText('wss://sense.example.com/sso/app/9a8b-7c6d?qlikTicket=[REDACTED]');
  // A link carrying an API key (a JWT) is refused with the reason.
  await page.getByLabel('Paste an app link').fill('https://sense.example.com/sso/sense/app/9a8b-7c6d?apikey=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
  await expect(page.locator('#url-error')).toContainText('refused the apikey parameter in appURL');
  await expect(page.getByRole('button', { name: 'Connect' })).toBeDisabled();
  await page.getByLabel('Paste an app link').fill('https://example.com/hub/streams');
  await expect(page.locator('#app-link-note')).toContainText('No app id in this link');

  // Switching back restores what was typed for Core.
  await page.getByRole('radio', { name: 'Qlik Core' }).check();
  await expect(preview).toHaveText('ws://engine.example.com:9076/app/engineData?qlikTicket=[REDACTED]');

  // The builder's own errors show next to the preview.
  await page.getByLabel('TTL (s)').fill('-5');
  await expect(page.locator('#url-error')).toContainText('TTL -5 is below -1');
  await expect(page.getByRole('button', { name: 'Connect' })).toBeDisabled();
  await page.getByLabel('TTL (s)').fill('');
  await expect(page.locator('#url-error')).toBeHidden();

  // URL mode starts from the built URL.
  await page.getByRole('radio', { name: 'URL' }).check();
  // The ticket shows only while the field is edited.
  await expect(page.getByLabel('Engine URL')).toHaveValue('ws://engine.example.com:9076/app/engineData?qlikTicket=[REDACTED]');
  await page.getByLabel('Engine URL').focus();
  await expect(page.getByLabel('Engine URL')).toHaveValue('ws://engine.example.com:9076/app/engineData?qlikTicket=T1');
  expect(pageErrors).toEqual([]);
});

test('suspend shows suspended, resume reconnects and calls work again', async ({ page, pageErrors }) => {
  // /ttl/30 keeps the engine session while the socket is gone.
  await connect(page, { ttl: 30 });
  await pickHandle(page, 'Doc');
  await page.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.locator('#status')).toContainText('Suspended');
  await expect(page.locator('#state')).toHaveText('Suspended');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Suspend' })).toBeDisabled();

  // While suspended, calls fail with the client's -11.
  await send(page, 'GetAppLayout');
  await expect(page.locator('#result-error .err-code dd')).toHaveText('-11');
  await expect(page.locator('#result-error .err-kind dd')).toHaveText('Client');

  await page.getByLabel('Resume only if the engine kept the session').check();
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await expect(page.locator('#state')).toHaveText('Open');
  // The same Doc object, rebound: still selected, and it answers.
  await expect(page.locator('#call-target')).toContainText('Doc');
  await send(page, 'GetAppLayout');
  await expect(page.locator('#result-line')).toContainText('✓ GetAppLayout');
  await expect(page.locator('#result-json')).toContainText('"qTitle": "Demo"');
  expect(pageErrors).toEqual([]);
});

test('a server close shows its code, reason, QEP code and trace id', async ({ page, faults }) => {
  const id = await connect(page);
  const reason = '{"code":"QEP-104","traceId":"0123abcd"}';
  await faults.add({ match: id, action: 'close', code: 4204, reason, count: 1 });
  const info = page.locator('#close-info');
  await expect(info).toBeVisible();
  await expect(info.locator('.close-code dd')).toHaveText('4204');
  await expect(info.locator('.close-reason dd')).toHaveText(reason);
  await expect(info.locator('.close-qep dd')).toHaveText('QEP-104');
  await expect(info.locator('.close-trace dd')).toHaveText('0123abcd');
  await expect(page.locator('#status')).toHaveText(`Closed · code 4204 · ${reason}`);
  await expect(page.locator('.handle-row')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Close' })).toBeDisabled();

  // Connect works again, and a client close says 1000.
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await expect(info).toBeHidden();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(info.locator('.close-code dd')).toHaveText('1000');
  await expect(info.locator('.close-head')).toContainText('normal closure');
  await expect(page.locator('#status')).toHaveText('Closed · code 1000');
});

test('a URL nobody answers shows why it did not connect', async ({ page, baseURL }) => {
  const host = new URL(baseURL).host;
  // The dev server answers 404 to a plain HTTP path: no WebSocket upgrade.
  await page.goto(`/console?url=${encodeURIComponent(`ws://${host}/not-an-engine`)}`);
  await expect(page.getByRole('radio', { name: 'URL', exact: true })).toBeChecked();
  await expect(page.getByLabel('Engine URL')).toHaveValue(`ws://${host}/not-an-engine`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#connect-error')).toContainText('Could not connect');
  await expect(page.locator('#status')).toHaveText('Connection failed');
  await expect(page.locator('#state')).toHaveText('Failed');
  // The form stays usable for the next try.
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
});

test('runs with the Go core on the main thread too, under the page CSP', async ({ page, pageErrors }) => {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto('/console');
  await page.getByText('Client options').click();
  await page.getByLabel('Go core in a Web Worker').uncheck();
  await page.getByLabel('Identity').fill(uniq());
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await expect(page.locator('#session-info')).toContainText('main thread');
  await pickHandle(page, 'Doc');
  await send(page, 'GetAppLayout');
  await expect(page.locator('#result-json')).toContainText('"qTitle": "Sales"');
  expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('works from the keyboard: handles, methods, Ctrl+Enter', async ({ page }) => {
  await connect(page);
  // The Doc handle is selected; arrow keys move through the radio group.
  const docRadio = handleRow(page, 'Doc').locator('input');
  await expect(docRadio).toBeChecked();
  await docRadio.focus();
  await page.keyboard.press('ArrowUp');
  await expect(handleRow(page, 'Global').locator('input')).toBeChecked();
  await expect(page.locator('#call-target')).toContainText('handle -1 · Global');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Method', { exact: true })).toBeFocused();
  await page.getByLabel('Method', { exact: true }).selectOption('GetDocList');
  await page.locator('#params-json').focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('#result-line')).toContainText('✓ GetDocList');
  await expect(page.locator('#result-json')).toContainText('"qDocName": "Demo"');
  // Every form control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((e) => !e.closest('[hidden]') && e.type !== 'file')
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.textContent.trim())
      .map((e) => e.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
});

for (const [width, height] of [
  [1280, 800],
  [390, 844],
]) {
  test(`screenshot at ${width}×${height}`, async ({ page, pageErrors }) => {
    await page.setViewportSize({ width, height });
    await connect(page);
    await pickHandle(page, 'Doc');
    await send(page, 'GetTablesAndKeys', { qWindowSize: { qcx: 0, qcy: 0 }, qNullSize: { qcx: 0, qcy: 0 }, qCellHeight: 0, qSyntheticMode: false, qIncludeSysVars: false });
    await expect(page.locator('#result-line')).toContainText('✓ GetTablesAndKeys');
    // Nothing overflows the viewport sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: `${shotDir}console-${width}x${height}.png`, fullPage: true });
    await page.locator('#traffic .tp-table tbody tr').filter({ hasText: 'OpenDoc' }).last().click();
    await expect(page.locator('#traffic .tp-detail')).toBeVisible();
    await page.screenshot({ path: `${shotDir}console-${width}x${height}-traffic.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
}
