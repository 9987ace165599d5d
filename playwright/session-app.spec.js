// Session apps from every page: a /app/SessionApp_<id> URL makes the engine
// create the app while the socket connects, so each page must take the
// engine's app (Global.GetActiveDoc) instead of opening or creating one
// ("App already open", 1002).
import { test, expect } from './fixtures.js';
import * as sales from './sales-data.js';

const uniq = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** methodsSent lists the methods of the requests in a page's traffic log (window.qixConsole or window.qixInspector). */
const methodsSent = (page, which) =>
  page.evaluate((w) => window[w].log.entries.filter((e) => e.kind === 'request').map((e) => e.method), which);

test('the console opens a SessionApp_ URL with GetActiveDoc', async ({ page, wsURL, pageErrors }) => {
  const url = wsURL(`/app/SessionApp_con-${uniq()}?from=Demo`);
  await page.goto(`/console?url=${encodeURIComponent(url)}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await expect(page.locator('#result-line')).toContainText(/✓ GetActiveDoc on handle -1 · .* · new handle \d+ \(Doc\)/);
  await expect(page.locator('.handle-row .type', { hasText: /^Doc$/ })).toHaveCount(1);
  await expect(page.locator('#result-error')).toBeHidden();
  const sent = await methodsSent(page, 'qixConsole');
  expect(sent).toContain('GetActiveDoc');
  expect(sent).not.toContain('CreateSessionAppFromApp');
  expect(sent).not.toContain('CreateSessionApp');
  expect(sent).not.toContain('OpenDoc');
  // The Doc is the template's copy: its tables are there.
  await page.getByLabel('Method', { exact: true }).selectOption('GetTablesAndKeys');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('#result-line')).toContainText('✓ GetTablesAndKeys');
  expect(pageErrors).toEqual([]);
});

test('the console form with "Session app" checked uses GetActiveDoc too', async ({ page, pageErrors }) => {
  await page.goto('/console');
  await page.getByLabel('Session app', { exact: true }).check();
  await page.getByLabel('Template app (from)').fill('Demo');
  await page.getByLabel('Identity').fill(`con-${uniq()}`);
  await expect(page.locator('#url-preview')).toContainText('?from=Demo');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('#result-line')).toContainText(/✓ GetActiveDoc on handle -1/);
  await expect(page.locator('#result-error')).toBeHidden();
  expect(pageErrors).toEqual([]);
});

test('the inspector runs its sample calls on a session app', async ({ page, wsURL, pageErrors }) => {
  const url = wsURL(`/app/SessionApp_ins-${uniq()}?from=Demo`);
  await page.goto(`/inspector?url=${encodeURIComponent(url)}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await page.getByRole('button', { name: 'Run sample calls' }).click();
  await expect(page.locator('#sample-line')).toContainText('Done:');
  await expect(page.locator('#error')).toBeHidden();
  const sent = await methodsSent(page, 'qixInspector');
  expect(sent).toContain('GetActiveDoc');
  expect(sent).toContain('SelectListObjectValues');
  expect(sent.filter((m) => /^(OpenDoc|CreateSessionApp)/.test(m))).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('the dashboard shows a session copy of Sales, by ?app=SessionApp_…&from= and by ?url=', async ({ page, wsURL, pageErrors }) => {
  const total = sales.fmtInt(sales.kpis(sales.select({})).sales);
  await page.goto(`/?${new URLSearchParams({ app: `SessionApp_dash-${uniq()}`, from: 'Sales', identity: `d${uniq()}` })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.locator('#open-error')).toBeHidden();
  await expect(page.locator('[data-chart="kpi-sales"]')).toContainText(total);

  const url = wsURL(`/app/SessionApp_dash-${uniq()}/identity/d${uniq()}?from=Sales`);
  await page.goto(`/?${new URLSearchParams({ url })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.locator('#open-error')).toBeHidden();
  await expect(page.locator('[data-chart="kpi-sales"]')).toContainText(total);
  expect(pageErrors).toEqual([]);
});

test('the inspector says which step of its sample failed', async ({ page, wsURL }) => {
  const url = wsURL(`/app/NoSuchApp/identity/ins-${uniq()}`);
  await page.goto(`/inspector?url=${encodeURIComponent(url)}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /);
  await page.getByRole('button', { name: 'Run sample calls' }).click();
  await expect(page.locator('#error')).toContainText('Sample calls stopped at “Opening NoSuchApp”: App not found · code 1003');
});
