// The console never shows a secret: tickets, CSRF tokens and Authorization
// values in the URL, in an engine error's message or parameter, or in a
// close reason come out as [REDACTED] in the status line, the error boxes
// and the close box.
import { test, expect } from './fixtures.js';

const uniq = () => `red-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const SECRETS = ['TKT-s3cr3t-1', 'CSRF-s3cr3t-2', 'AUTH-s3cr3t-3', 'JWT-s3cr3t-4'];

/** pageText is all the text a user can read or copy from the console page (inputs excluded). */
const pageText = (page) => page.evaluate(() => document.querySelector('main').innerText + document.querySelector('header').innerText);

test('a failed connect names the URL without its secrets', async ({ page, baseURL }) => {
  const host = new URL(baseURL).host;
  const url = `ws://${host}/not-an-engine?qlikTicket=${SECRETS[0]}&qlik-csrf-token=${SECRETS[1]}`;
  await page.goto(`/console?url=${encodeURIComponent(url)}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#connect-error')).toContainText('Could not connect');
  await expect(page.locator('#status')).toHaveText('Connection failed');
  // An Authorization parameter is refused before dialing, with the reason.
  await page.getByLabel('Engine URL').fill(`${url}&Authorization=Bearer%20${SECRETS[2]}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#connect-error')).toContainText('Could not connect: refused the Authorization parameter in url: browsers cannot send headers on a WebSocket');
  await expect(page.locator('#status')).toHaveText('Connection failed');
  const text = await pageText(page);
  for (const s of SECRETS) expect(text).not.toContain(s);
});

test('engine errors and close reasons that echo secrets are redacted in the error boxes', async ({ page, wsURL, faults }) => {
  const id = uniq();
  const url = `${wsURL(`/app/Demo/identity/${id}`)}?qlikTicket=${SECRETS[0]}&qlik-csrf-token=${SECRETS[1]}`;
  await page.goto(`/console?url=${encodeURIComponent(url)}`);
  // No app opened, so OpenDoc below reaches the engine's "App not found".
  await page.getByText('Client options').click();
  await page.getByLabel('Open the app after connecting').uncheck();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · .*qlikTicket=\[REDACTED\]&qlik-csrf-token=\[REDACTED\]/);

  // OpenDoc of a name holding secrets: the engine's error echoes it back
  // as its parameter.
  await page.locator('.handle-row', { has: page.locator('.type', { hasText: /^Global$/ }) }).locator('input').check();
  await page.getByLabel('Method', { exact: true }).selectOption('OpenDoc');
  await page.locator('#params-json').fill(JSON.stringify({ qDocName: `x?qlik-csrf-token=${SECRETS[1]}&Authorization=${SECRETS[2]}` }));
  await page.getByRole('button', { name: 'Send' }).click();
  const box = page.locator('#result-error');
  await expect(box).toBeVisible();
  await expect(box.locator('.err-parameter dd')).toHaveText('x?qlik-csrf-token=[REDACTED]&Authorization=[REDACTED]');

  // A close whose reason carries a token and an Authorization header.
  const reason = `{"code":"QEP-104","Authorization":"${SECRETS[2]}","detail":"Authorization: Bearer ${SECRETS[3]}"}`;
  await faults.add({ match: id, action: 'close', code: 4204, reason, count: 1 });
  await expect(page.locator('#close-info')).toBeVisible();
  // The Go core redacts the close reason before the page sees it; the page redacts again.
  await expect(page.locator('#close-info .close-reason dd')).toHaveText(/^\{"code":"QEP-104","Authorization":"\[REDACTED\]","detail":"Authorization: (Bearer )?\[REDACTED\]"\}$/);
  const text = await pageText(page);
  for (const s of SECRETS) expect(text).not.toContain(s);
});
