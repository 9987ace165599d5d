// The traffic inspector (web/inspector.html and the panel of
// web/lib/traffic.js): listing, highlights, filter and search, keyboard
// use, a redacted export in the [{"Sent"}|{"Received"}] traffic format, the
// same file imported back, and screenshots at desktop and phone sizes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures.js';

// Export is a download; the config refuses downloads by default.
test.use({ acceptDownloads: true });

const uniq = () => `ins-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const shotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));
mkdirSync(shotDir, { recursive: true });
// Real engine traffic, when the shared folder is there (never needed).
const reference = fileURLToPath(new URL('../../shared/traffic/enigma-go-mock-mode.socket.traffic', import.meta.url));

const TICKET = 'TKT-9f8e7d6c5b4a';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNlY3JldA';
const PASSWORD = 'hunter2-secret';

/** open connects the inspector to Demo with a ticket in the URL and runs the sample calls. */
async function openAndRun(page, wsURL) {
  const id = uniq();
  const url = `${wsURL(`/app/Demo/identity/${id}`)}?qlikTicket=${TICKET}`;
  await page.goto(`/inspector?url=${encodeURIComponent(url)}`);
  // The field shows the ticket only while it is edited.
  const field = page.getByLabel('Engine URL');
  await expect(field).toHaveValue(url.replace(TICKET, '[REDACTED]'));
  await field.focus();
  await expect(field).toHaveValue(url);
  await field.blur();
  await expect(field).toHaveValue(url.replace(TICKET, '[REDACTED]'));
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await page.getByRole('button', { name: 'Run sample calls' }).click();
  await expect(page.locator('#sample-line')).toContainText('Done:');
  return id;
}

const rows = (page) => page.locator('.tp-table tbody tr');

test('lists every frame with direction, id, handle, method, size, latency and highlights', async ({ page, wsURL, pageErrors }) => {
  await openAndRun(page, wsURL);
  // The ticket never shows on the page.
  await expect(page.locator('#status')).toContainText('qlikTicket=[REDACTED]');
  expect(await page.locator('body').innerText()).not.toContain(TICKET);

  // The engine's OnConnected notification, highlighted.
  const first = rows(page).filter({ hasText: 'OnConnected' });
  await expect(first).toHaveClass(/k-notification/);
  await expect(first.locator('td.c2')).toHaveText('↓ recv');
  await expect(first.locator('td.c5')).toHaveText('OnConnected');

  // A request and its response: same id and handle, the method named on
  // both, a size and a latency in ms; the answer's change list as a badge.
  const openDoc = rows(page).filter({ has: page.locator('td.c5', { hasText: /^OpenDoc$/ }) });
  await expect(openDoc).toHaveCount(2);
  await expect(openDoc.nth(0).locator('td.c2')).toHaveText('↑ sent');
  await expect(openDoc.nth(1).locator('td.c2')).toHaveText('↓ recv');
  const reqID = await openDoc.nth(0).locator('td.c3').textContent();
  expect(Number(reqID)).toBeGreaterThan(0);
  await expect(openDoc.nth(1).locator('td.c3')).toHaveText(reqID);
  await expect(openDoc.nth(0).locator('td.c4')).toHaveText('-1');
  await expect(openDoc.nth(1).locator('td.c6')).toHaveText(/^\d+ B$/);
  await expect(openDoc.nth(1).locator('td.c7')).toHaveText(/^\d+(\.\d)? ms$/);
  await expect(openDoc.nth(1).locator('.tp-badge.change')).toHaveText(/^Δ \d+$/);
  await expect(openDoc.nth(1)).toHaveClass(/has-change/);

  // Destroying an object answers with a close list.
  await expect(rows(page).filter({ hasText: 'DestroySessionObject' }).locator('.tp-badge.close').first()).toHaveText(/^✕ \d+$/);
  // The unknown method is an error row.
  const errRow = rows(page).filter({ hasText: 'NoSuchMethod ✗ -32601' });
  await expect(errRow).toHaveCount(1);
  await expect(errRow).toHaveClass(/k-error/);

  // The count in the toolbar matches the log.
  const n = await rows(page).count();
  expect(n).toBeGreaterThan(15);
  await expect(page.locator('.tp-count')).toHaveText(`${n} messages`);
  expect(pageErrors).toEqual([]);
});

test('filters and searches the list', async ({ page, wsURL }) => {
  await openAndRun(page, wsURL);
  const total = await rows(page).count();
  const show = page.getByLabel('Show');

  await show.selectOption('error');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('NoSuchMethod');
  await expect(page.locator('.tp-count')).toHaveText(`1 of ${total} messages`);

  await show.selectOption('notification');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('OnConnected');

  await show.selectOption('changes');
  const changed = rows(page);
  await expect(changed.first()).toBeVisible();
  for (const cls of await changed.evaluateAll((trs) => trs.map((tr) => tr.className))) expect(cls).toMatch(/has-(change|close)/);

  await show.selectOption('sent');
  const sent = await rows(page).locator('td.c2').allTextContents();
  expect(sent.length).toBeGreaterThan(5);
  expect(new Set(sent)).toEqual(new Set(['↑ sent']));

  // Search matches the method and the frame's text.
  await show.selectOption('all');
  await page.getByLabel('Search').fill('getlayout');
  // The sample calls GetLayout three times: six frames.
  await expect.poll(async () => [...new Set(await rows(page).locator('td.c5').allTextContents())]).toEqual(['GetLayout']);
  expect(await rows(page).count()).toBeGreaterThanOrEqual(6);
  await page.getByLabel('Search').fill('qListObjectDef');
  await expect(rows(page).filter({ hasText: 'CreateSessionObject' }).first()).toBeVisible();
  await page.getByLabel('Search').fill('no frame has this text');
  await expect(rows(page)).toHaveCount(0);
  await expect(page.locator('.tp-empty')).toHaveText('No message matches the filter.');
  await page.getByLabel('Search').fill('');
  await expect(rows(page)).toHaveCount(total);
});

test('exports the traffic in the QIX traffic format with tokens redacted, and imports it back', async ({ page, wsURL, pageErrors }) => {
  await openAndRun(page, wsURL);
  // Secrets inside frames too: a Bearer JWT, a password, a ticket in a URL.
  const props = await page.evaluate(
    async ({ JWT, PASSWORD, TICKET }) => {
      const { session } = window.qixInspector;
      const app = [...session.objects.values()].find((o) => o.type === 'Doc');
      const obj = await app.createSessionObject({
        qInfo: { qId: 'secrets', qType: 'note' },
        authorization: `Bearer ${JWT}`,
        connection: { qName: 'rest', qPassword: PASSWORD, qConnectionString: `https://api.example.com/data?qlikTicket=${TICKET}&page=2` },
        bare: JWT,
        count: 3,
      });
      const p = await obj.getProperties();
      return { echoed: p.connection.qPassword === PASSWORD && p.authorization.endsWith(JWT) };
    },
    { JWT, PASSWORD, TICKET },
  );
  expect(props.echoed).toBe(true);
  await expect(rows(page).filter({ hasText: 'GetProperties' })).toHaveCount(2);
  const shown = await rows(page).count();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.traffic$/);
  const text = readFileSync(await download.path(), 'utf8');
  await expect(page.locator('.tp-notice')).toContainText(`Exported ${shown} messages`);

  // No secret survives, in any form.
  for (const secret of [TICKET, JWT, PASSWORD, 'c2lnbmF0dXJlLXNlY3JldA']) expect(text).not.toContain(secret);

  // The format: a tab-indented JSON array of single-key {"Sent"} or {"Received"} objects.
  expect(text.startsWith('[\n\t{\n\t\t"')).toBe(true);
  const items = JSON.parse(text);
  expect(items).toHaveLength(shown);
  for (const item of items) {
    expect(Object.keys(item).length).toBe(1);
    expect(['Sent', 'Received']).toContain(Object.keys(item)[0]);
  }
  expect(items.filter((i) => i.Received && i.Received.method === 'OnConnected')).toEqual([
    { Received: { jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } } },
  ]);

  // Structure is kept: only the secret strings changed.
  const create = items.find((i) => i.Sent && i.Sent.method === 'CreateSessionObject' && i.Sent.params[0].qInfo.qId === 'secrets').Sent;
  expect(create).toMatchObject({ jsonrpc: '2.0', handle: expect.any(Number), id: expect.any(Number) });
  expect(create.params[0]).toEqual({
    qInfo: { qId: 'secrets', qType: 'note' },
    authorization: '[REDACTED]',
    connection: { qName: 'rest', qPassword: '[REDACTED]', qConnectionString: 'https://api.example.com/data?qlikTicket=[REDACTED]&page=2' },
    bare: '[REDACTED]',
    count: 3,
  });
  // The answer to GetProperties (a delta patch: the protocol has delta on).
  const getProps = items.find((i) => i.Sent && i.Sent.method === 'GetProperties').Sent;
  const propsReply = items.find((i) => i.Received && i.Received.id === getProps.id).Received;
  const replyText = JSON.stringify(propsReply.result);
  expect(replyText).toContain('"qPassword":"[REDACTED]"');
  expect(replyText).toContain('"authorization":"[REDACTED]"');
  expect(replyText).toContain('"qId":"secrets"');

  // Same shape as traffic recorded from a real engine by enigma-go (when
  // the shared folder is around; the test never depends on it).
  if (existsSync(reference)) {
    const ref = JSON.parse(readFileSync(reference, 'utf8'));
    const shape = (arr) => [...new Set(arr.map((i) => Object.keys(i).join(',')))].sort();
    expect(shape(items)).toEqual(shape(ref));
  }

  // Import: the exported file, read back by a fresh inspector, lists the
  // same frames (requests paired with responses again).
  await page.goto('/inspector');
  await page.locator('input[type=file]').setInputFiles({ name: 'export.traffic', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.locator('.tp-notice')).toHaveText(`Imported ${shown} messages from export.traffic.`);
  await expect(rows(page)).toHaveCount(shown);
  await expect(rows(page).filter({ has: page.locator('td.c5', { hasText: /^OpenDoc$/ }) })).toHaveCount(2);
  await expect(rows(page).first().locator('td.c1')).toHaveText('—');
  // A file that is not traffic says so.
  await page.locator('input[type=file]').setInputFiles({ name: 'bad.traffic', mimeType: 'application/json', buffer: Buffer.from('[{"Nope": 1}]') });
  await expect(page.locator('.tp-notice')).toContainText('Could not read bad.traffic');
  expect(pageErrors).toEqual([]);
});

test('a password given as a positional param (OpenDoc qPassword, param 2) is in neither the log, the display nor the export', async ({ page, wsURL, pageErrors }) => {
  await openAndRun(page, wsURL);
  const out = await page.evaluate(async (PASSWORD) => {
    const { session, log } = window.qixInspector;
    // Demo is open already; whatever the engine answers, the request went out.
    await session.global.openDoc('Demo', 'alice', PASSWORD).catch(() => undefined);
    const sent = log.entries.filter((e) => e.dir === 'sent' && e.method === 'OpenDoc').map((e) => e.msg.params);
    return { sent, inLog: JSON.stringify(log.entries.map((e) => e.msg)).includes(PASSWORD) };
  }, PASSWORD);
  expect(out.sent.at(-1)).toEqual(['Demo', 'alice', '[REDACTED]']);
  expect(out.inLog).toBe(false);
  // The display: the frame's row and its detail.
  const row = rows(page).filter({ has: page.locator('td.c5', { hasText: /^OpenDoc$/ }) }).filter({ hasText: '↑ sent' }).last();
  await row.click();
  await expect(page.locator('[data-role=detail]')).toContainText('"alice"');
  await expect(page.locator('[data-role=detail]')).toContainText('[REDACTED]');
  expect(await page.locator('body').innerText()).not.toContain(PASSWORD);
  // The export.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const text = readFileSync(await (await downloading).path(), 'utf8');
  expect(text).not.toContain(PASSWORD);
  expect(JSON.parse(text).filter((i) => i.Sent && i.Sent.method === 'OpenDoc').at(-1).Sent.params).toEqual(['Demo', 'alice', '[REDACTED]']);
  expect(pageErrors).toEqual([]);
});

test('redaction hides tickets, tokens, passwords and keys, and keeps the shape', async ({ blankPage }) => {
  const out = await blankPage.evaluate(async () => {
    const { redact, redactString } = await import('/lib/traffic.js');
    return {
      urls: [
        'wss://t.example/app/x?qlik-web-integration-id=wid&qlik-csrf-token=c5rf&page=2',
        'https://t.example/hub?qlikTicket=abc123',
        'wss://t.example/app/x?accessToken=tok&jwt=j&X-Qlik-Xrfkey=0123456789abcdef',
        'https://t.example/?qlik-csrf-token=',
        'Authorization: Basic dXNlcjpwYXNz',
        'CUSTOM CONNECT TO "provider=x;host=db;user=me;password=pw1;"',
      ].map(redactString),
      value: redact({
        qPassword: 'pw2',
        qUserName: 'alice',
        apiKey: 'k1',
        headers: [{ name: 'Authorization', value: 'Bearer t0k3n' }],
        nested: { refresh_token: 'r1', qCount: 3, ok: true, none: null, empty: '' },
        list: ['plain', 'Bearer xyz'],
      }),
    };
  });
  expect(out.urls).toEqual([
    'wss://t.example/app/x?qlik-web-integration-id=wid&qlik-csrf-token=[REDACTED]&page=2',
    'https://t.example/hub?qlikTicket=[REDACTED]',
    'wss://t.example/app/x?accessToken=[REDACTED]&jwt=[REDACTED]&X-Qlik-Xrfkey=[REDACTED]',
    'https://t.example/?qlik-csrf-token=',
    'Authorization: Basic [REDACTED]',
    'CUSTOM CONNECT TO "provider=x;host=db;user=me;password=[REDACTED];"',
  ]);
  expect(out.value).toEqual({
    qPassword: '[REDACTED]',
    qUserName: 'alice',
    apiKey: '[REDACTED]',
    headers: [{ name: 'Authorization', value: 'Bearer [REDACTED]' }],
    nested: { refresh_token: '[REDACTED]', qCount: 3, ok: true, none: null, empty: '' },
    list: ['plain', 'Bearer [REDACTED]'],
  });
});

test('the list works from the keyboard and shows the selected frame', async ({ page, wsURL }) => {
  await openAndRun(page, wsURL);
  // Sent frames only: their order is the order of the calls.
  await page.getByLabel('Show').selectOption('sent');
  const first = rows(page).first();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.tp-detail-title')).toHaveText('Sent request: EngineVersion');
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(1)).toBeFocused();
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(first).toHaveAttribute('aria-selected', 'false');
  await expect(page.locator('.tp-detail-title')).toHaveText('Sent request: OpenDoc');
  await expect(page.locator('.tp-json')).toContainText('"method": "OpenDoc"');
  await page.keyboard.press('ArrowUp');
  await expect(first).toBeFocused();
  // The detail links a request to its response, even one the filter hides.
  await page.getByRole('button', { name: /Show the response/ }).click();
  await expect(page.getByLabel('Show')).toHaveValue('all');
  await expect(page.locator('.tp-detail-title')).toHaveText('Received response: EngineVersion');
  await expect(page.locator('.tp-json')).toContainText('"qComponentVersion": "12.2027.0"');
  await page.getByRole('button', { name: /Show the request/ }).click();
  await expect(page.locator('.tp-detail-title')).toHaveText('Sent request: EngineVersion');
  await page.keyboard.press('End');
  await expect(rows(page).last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rows(page).first()).toBeFocused();
  // The list is one tab stop (roving tabindex), not one per row.
  expect(await rows(page).evaluateAll((trs) => trs.filter((tr) => tr.tabIndex === 0).length)).toBe(1);
});

test('the console embeds the same panel over its own session', async ({ page }) => {
  await page.goto('/console');
  await page.getByLabel('Identity').fill(uniq());
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  const list = page.locator('#traffic .tp-table tbody tr');
  await expect(list.filter({ has: page.locator('td.c5', { hasText: /^OpenDoc$/ }) })).toHaveCount(2);
  // OnConnected may come before or after the OpenDoc request: the socket is
  // usable as soon as it is open.
  await expect(list.filter({ hasText: 'OnConnected' })).toHaveCount(1);
});

for (const [width, height] of [
  [1280, 800],
  [390, 844],
]) {
  test(`screenshot at ${width}×${height}`, async ({ page, wsURL, pageErrors }) => {
    await page.setViewportSize({ width, height });
    await openAndRun(page, wsURL);
    await rows(page).filter({ has: page.locator('td.c5', { hasText: /^OpenDoc$/ }) }).last().click();
    await expect(page.locator('.tp-detail')).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: `${shotDir}inspector-${width}x${height}.png`, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
}
