// The dashboard (web/index.html) against the emulator's Sales app. Every
// number the page shows is checked against playwright/sales-data.js, which
// regenerates the app's orders from the documented rule, never from the
// engine. Each test runs in its own engine session (?identity=…) so
// selections do not leak between tests.
import { mkdirSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import * as sales from './sales-data.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

const uniq = () => `dash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const dec2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** open loads the dashboard in a fresh session and waits for its first full render. */
async function open(page, query = {}) {
  const identity = query.identity || uniq();
  const qs = new URLSearchParams({ identity, ...query });
  await page.goto(`/?${qs}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  return identity;
}

const pane = (page, field) => page.locator(`.pane[data-field="${field}"]`);
// By the visible value: the accessible name also says the state ("2022, alternative").
const option = (page, field, text) => pane(page, field).locator('li[role="option"]', { has: page.locator(`.opt-text:text-is("${text}")`) });
const kpi = (page, key) => page.locator(`[data-kpi="${key}"] .kpi-value`);

/** expectFigures checks KPIs, both charts and the table's first page against a selection. */
async function expectFigures(page, selection) {
  const rows = sales.select(selection);
  const k = sales.kpis(rows);
  await expect(kpi(page, 'sales')).toHaveText(sales.fmtInt(k.sales));
  await expect(kpi(page, 'orders')).toHaveText(sales.fmtInt(k.orders));
  await expect(kpi(page, 'units')).toHaveText(sales.fmtInt(k.quantity));
  await expect(kpi(page, 'avgOrder')).toHaveText(dec2.format(k.avgOrder));

  // Bar chart: Sum(Sales) per region, largest first, as text alternative
  // and as the value labels picasso drew.
  const byRegion = sales.sumBy(rows, 'Region').sort((a, b) => b[1] - a[1]);
  await expect(page.locator('#bar-chart')).toHaveAttribute(
    'aria-label',
    `Sales by region, largest first: ${byRegion.map(([r, v]) => `${r} ${sales.fmtInt(v)}`).join('; ')}`,
  );
  await expect
    .poll(() => page.locator('#bar-chart svg text').allTextContents())
    .toEqual(expect.arrayContaining([...byRegion.map(([r]) => r), ...byRegion.map(([, v]) => compact.format(v))]));
  await expect(page.locator('#bar-chart svg rect[fill="#1f6feb"]')).toHaveCount(byRegion.length);

  // Line chart: one line per year, a point per month with sales.
  const years = sales.sumBy(rows, 'Year').sort((a, b) => a[0] - b[0]);
  await expect(page.locator('#line-chart')).toHaveAttribute(
    'aria-label',
    `Monthly sales by year, one line per year. Yearly totals: ${years.map(([y, v]) => `${y} ${sales.fmtInt(v)}`).join('; ')}`,
  );
  const months = new Set(rows.map((o) => `${o.Year}-${o.MonthNum}`));
  await expect(page.locator('#line-chart svg circle')).toHaveCount(months.size);

  // Table, default order: Sales high to low.
  const table = sales.customerTable(rows).sort((a, b) => b[4] - a[4]);
  await expectTableRows(page, table.slice(0, 10));
  await expect(page.locator('#table-range')).toHaveText(`Rows 1–${Math.min(10, table.length)} of ${sales.fmtInt(table.length)}`);
}

async function expectTableRows(page, rows) {
  const want = rows.map((r) => [r[0], r[1], sales.fmtInt(r[2]), sales.fmtInt(r[3]), sales.fmtInt(r[4])]);
  await expect.poll(() => page.locator('#data-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)))).toEqual(want);
}

async function expectChips(page, chips) {
  const got = () => page.locator('#sel-list .chip').evaluateAll((lis) => lis.map((li) => `${li.querySelector('.chip-field').textContent}: ${li.querySelector('.chip-values').textContent}`));
  await expect.poll(got).toEqual(chips);
}

test('the dashboard loads the Sales app and shows what the engine computes', async ({ page, pageErrors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  await expect(page.locator('#status')).toHaveText('Connected · Sales');
  await expect(page.locator('#app-title')).toHaveText('Sales');
  await expect(page.locator('#dashboard')).toHaveAttribute('aria-busy', 'false');
  await expect(pane(page, 'Region').getByRole('option')).toHaveText([...sales.REGIONS].sort());
  await expect(pane(page, 'Category').getByRole('option')).toHaveText(sales.CATEGORIES);
  await expect(pane(page, 'Year').getByRole('option')).toHaveText(sales.YEARS.map(String));
  await expect(pane(page, 'Product').getByRole('option')).toHaveCount(60);
  await expectFigures(page, {});
  await expect(page.locator('#sel-list')).toContainText('No selections');
  await expect(page.locator('#sel-back')).toBeDisabled();
  await expect(page.locator('#sel-clear')).toBeDisabled();
  // Every card left its loading state and none shows an error.
  await expect(page.locator('.is-loading')).toHaveCount(0);
  await expect(page.locator('.card-error, #open-error:visible')).toHaveCount(0);
  expect(await page.evaluate(() => typeof window.__qixDashboardReady)).toBe('number');
  expect(pageErrors).toEqual([]);
});

test('selecting in filter panes (mouse and keyboard) updates charts, KPIs and table', async ({ page, pageErrors }) => {
  await open(page);
  await option(page, 'Year', '2023').click();
  await expect(option(page, 'Year', '2023')).toHaveAttribute('aria-selected', 'true');
  await expect(option(page, 'Year', '2022')).toHaveAttribute('data-state', 'A');
  await expectChips(page, ['Year: 2023']);
  await expectFigures(page, { Year: [2023] });

  // Keyboard: Tab into the Region list, move to North, select with Space.
  const list = pane(page, 'Region').getByRole('listbox');
  await list.focus();
  await expect(list).toHaveAttribute('aria-activedescendant', /.+/);
  await page.keyboard.press('Home');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown'); // Central, East, North
  await expect(pane(page, 'Region').locator('li.is-active')).toHaveText('North');
  await page.keyboard.press('Space');
  await expect(option(page, 'Region', 'North')).toHaveAttribute('aria-selected', 'true');
  // Enter toggles the next one into the selection too.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(option(page, 'Region', 'South')).toHaveAttribute('aria-selected', 'true');
  await expect(pane(page, 'Region').locator('.pane-count')).toHaveText('2 selected');
  await expectChips(page, ['Year: 2023', 'Region: North, South']);
  await expectFigures(page, { Year: [2023], Region: ['North', 'South'] });
  // Focus stayed in the list through the re-renders.
  expect(await list.evaluate((el) => document.activeElement === el)).toBe(true);
  // Excluded categories? None: every category sells in every region.
  await expect(pane(page, 'Category').locator('li[data-state="X"]')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('a click on a bar selects its region', async ({ page, pageErrors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page);
  const rows = sales.select({});
  const smallest = sales.sumBy(rows, 'Region').sort((a, b) => a[1] - b[1])[0][0];
  // The last bar is the smallest region; click the middle of its rect.
  const bars = page.locator('#bar-chart svg rect[fill="#1f6feb"]');
  await expect(bars).toHaveCount(5);
  await bars.last().click();
  await expectChips(page, [`Region: ${smallest}`]);
  await expectFigures(page, { Region: [smallest] });
  expect(pageErrors).toEqual([]);
});

test('search in a filter pane runs in the engine and Enter selects the matches', async ({ page, pageErrors }) => {
  await open(page);
  const search = pane(page, 'Product').getByRole('searchbox', { name: 'Search Product' });
  await search.fill('product 1');
  const matches = Array.from({ length: 10 }, (_, i) => sales.productName(10 + i));
  await expect(pane(page, 'Product').getByRole('option')).toHaveText(matches);
  // Nothing is selected while searching.
  await expectFigures(page, {});
  await search.press('Enter');
  await expect(search).toHaveValue('');
  await expect(pane(page, 'Product').getByRole('option')).toHaveCount(60);
  await expect(pane(page, 'Product').locator('li[aria-selected="true"]')).toHaveText(matches);
  await expectChips(page, ['Product: 10 of 60']);
  await expectFigures(page, { Product: matches });

  // Escape abandons a search without selecting.
  await search.fill('zzz');
  await expect(pane(page, 'Product').locator('.pane-empty')).toHaveText('No matches');
  await search.press('Escape');
  await expect(pane(page, 'Product').getByRole('option')).toHaveCount(60);
  await expectChips(page, ['Product: 10 of 60']);
  expect(pageErrors).toEqual([]);
});

test('current selections: back, forward, clear one field, clear all', async ({ page, pageErrors }) => {
  await open(page);
  await option(page, 'Region', 'West').click();
  await expectChips(page, ['Region: West']);
  await option(page, 'Category', 'Bikes').click();
  await expectChips(page, ['Region: West', 'Category: Bikes']);
  await expectFigures(page, { Region: ['West'], Category: ['Bikes'] });

  await page.locator('#sel-back').click();
  await expectChips(page, ['Region: West']);
  await expectFigures(page, { Region: ['West'] });
  await expect(page.locator('#sel-forward')).toBeEnabled();

  await page.locator('#sel-forward').click();
  await expectChips(page, ['Region: West', 'Category: Bikes']);
  await expectFigures(page, { Region: ['West'], Category: ['Bikes'] });
  await expect(page.locator('#sel-forward')).toBeDisabled();

  await page.getByRole('button', { name: 'Clear Region selection', exact: true }).click();
  await expectChips(page, ['Category: Bikes']);
  await expectFigures(page, { Category: ['Bikes'] });

  await page.locator('#sel-clear').click();
  await expect(page.locator('#sel-list')).toContainText('No selections');
  await expectFigures(page, {});
  await expect(page.locator('#sel-clear')).toBeDisabled();
  expect(pageErrors).toEqual([]);
});

test('the table sorts by any column and pages with buttons and keys', async ({ page, pageErrors }) => {
  await open(page);
  const all = sales.customerTable(sales.select({}));
  const sales_ = page.getByRole('columnheader', { name: 'Sales' });
  await expect(sales_).toHaveAttribute('aria-sort', 'descending');

  // Second click on the sorted column reverses it.
  await sales_.getByRole('button').click();
  await expect(sales_).toHaveAttribute('aria-sort', 'ascending');
  await expectTableRows(page, [...all].sort((a, b) => a[4] - b[4]).slice(0, 10));

  // A text column sorts A→Z first.
  const customer = page.getByRole('columnheader', { name: 'Customer' });
  await customer.getByRole('button').click();
  await expect(customer).toHaveAttribute('aria-sort', 'ascending');
  await expect(sales_).not.toHaveAttribute('aria-sort', /.*/);
  const byName = [...all].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  await expectTableRows(page, byName.slice(0, 10));

  await page.getByRole('button', { name: 'Next page' }).click();
  await expectTableRows(page, byName.slice(10, 20));
  await expect(page.locator('#table-range')).toHaveText('Rows 11–20 of 500');

  // Keyboard paging on the focused table.
  await page.locator('#table-wrap').focus();
  await page.keyboard.press('PageDown');
  await expect(page.locator('#table-range')).toHaveText('Rows 21–30 of 500');
  await expectTableRows(page, byName.slice(20, 30));
  await page.keyboard.press('End');
  await expect(page.locator('#table-range')).toHaveText('Rows 491–500 of 500');
  await expectTableRows(page, byName.slice(490, 500));
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();

  // A selection with fewer rows pulls the table back to a page that exists.
  await option(page, 'Region', 'East').click();
  const east = byName.filter((r) => r[1] === 'East');
  await expect(page.locator('#table-range')).toHaveText(`Rows 91–100 of ${east.length}`);
  await expectTableRows(page, east.slice(90, 100));
  await page.keyboard.press('Home');
  expect(pageErrors).toEqual([]);
});

test('reload shows its progress and the data is right afterwards', async ({ page, pageErrors }) => {
  await open(page);
  // Record every value and visibility the progress bar goes through.
  await page.evaluate(() => {
    const bar = document.querySelector('#reload-progress');
    window.__progressSeen = [];
    new MutationObserver(() => window.__progressSeen.push({ value: Number(bar.value), hidden: bar.hidden })).observe(bar, {
      attributes: true,
      attributeFilter: ['value', 'hidden'],
    });
  });
  await page.getByRole('button', { name: 'Reload data' }).click();
  await expect(page.locator('#reload-text')).toHaveText(/^Reloaded at /, { timeout: 30_000 });
  const seen = await page.evaluate(() => window.__progressSeen);
  const shown = seen.filter((s) => !s.hidden);
  expect(shown.length).toBeGreaterThan(0);
  expect(Math.max(...shown.map((s) => s.value))).toBe(1);
  await expect(page.getByRole('button', { name: 'Reload data' })).toBeEnabled();
  // The reload regenerates the same data.
  await expectFigures(page, {});
  expect(pageErrors).toEqual([]);
});

test('two tabs on one session share selections live; "New session" is isolated', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const a = await context.newPage();
  const b = await context.newPage();
  const identity = await open(a);
  await open(b, { identity });
  await expect(a.locator('#session-state')).toHaveText(`New session “${identity}”`);
  await expect(b.locator('#session-state')).toHaveText(`Shared session “${identity}”`);
  await expect(a.locator('#session-share')).toHaveAttribute('href', new RegExp(`identity=${identity}`));

  // Background tabs get throttled animation frames, which slows clicks down:
  // act in the front tab, watch the other one.
  await a.bringToFront();
  await option(a, 'Region', 'Central').click();
  await option(a, 'Year', '2024').click();
  // Tab b made no call: the engine pushed the change, b re-rendered.
  await expectChips(b, ['Region: Central', 'Year: 2024']);
  await expect(option(b, 'Region', 'Central')).toHaveAttribute('aria-selected', 'true');
  await expectFigures(b, { Region: ['Central'], Year: [2024] });

  // And back the other way.
  await b.bringToFront();
  await b.locator('#sel-back').click();
  await expectChips(a, ['Region: Central']);
  await expectFigures(a, { Region: ['Central'] });

  // "New session" opens the dashboard on a fresh identity: no selections.
  const href = await a.locator('#session-new').getAttribute('href');
  const fresh = new URL(href).searchParams.get('identity');
  expect(fresh).toBeTruthy();
  expect(fresh).not.toBe(identity);
  const c = await context.newPage();
  await c.goto(href);
  await expect(c.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(c.locator('#session-state')).toHaveText(`New session “${fresh}”`);
  await expect(c.locator('#sel-list')).toContainText('No selections');
  await expectFigures(c, {});
  // The original session kept its selection.
  await expectChips(b, ['Region: Central']);
  await context.close();
});

test('the engine URL field masks a ticket unless edited and submits the real one', async ({ page, wsURL }) => {
  const url = `${wsURL(`/app/Sales/identity/${uniq()}`)}?qlikTicket=TKT-dash-secret`;
  await page.goto(`/?${new URLSearchParams({ url, app: 'Sales' })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.getByText('Engine', { exact: true }).click();
  const field = page.locator('#connect-url');
  await expect(field).toHaveValue(url.replace('TKT-dash-secret', '[REDACTED]'));
  expect(await page.locator('body').innerText()).not.toContain('TKT-dash-secret');
  await field.focus();
  await expect(field).toHaveValue(url);
  await field.blur();
  // The form (GET) submits the real URL.
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('url')).toBe(url);
});

test('?url= points the dashboard at any engine URL', async ({ page, wsURL, pageErrors }) => {
  const url = wsURL(`/app/Sales/identity/${uniq()}`);
  await page.goto(`/?${new URLSearchParams({ url, app: 'Sales' })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('#connect-url')).toHaveValue(url);
  await expectFigures(page, {});
  expect(pageErrors).toEqual([]);
});

test('an app that cannot be opened shows the engine error', async ({ page }) => {
  await page.goto(`/?${new URLSearchParams({ identity: uniq(), app: 'NoSuchApp' })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'error', { timeout: 30_000 });
  await expect(page.locator('#open-error')).toBeVisible();
  await expect(page.locator('#open-error')).toContainText('Could not open the app “NoSuchApp”');
  await expect(page.locator('#open-error')).toContainText('App not found (NoSuchApp) [code 1003]');
  await expect(page.locator('#status')).toHaveText('Not connected');
  await expect(page.locator('.is-loading')).toHaveCount(0);
});

test('a lost connection is shown, not swallowed', async ({ page, faults }) => {
  const identity = await open(page);
  // A close fault without a method closes the open socket at once.
  await faults.add({ match: identity, action: 'close', code: 4001, reason: 'engine restarting', count: 1 });
  await expect(page.locator('#open-error')).toContainText('The engine connection closed');
  await expect(page.locator('#open-error')).toContainText('4001');
  await expect(page.locator('#status')).toHaveText(/^Disconnected \(4001/);
  await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
});

for (const [w, hgt] of [
  [1280, 800],
  [390, 844],
]) {
  test(`screenshots at ${w}×${hgt}`, async ({ page, pageErrors }) => {
    await page.setViewportSize({ width: w, height: hgt });
    await open(page);
    await page.screenshot({ path: `${SHOTS}dashboard-${w}x${hgt}.png` });
    await page.screenshot({ path: `${SHOTS}dashboard-${w}x${hgt}-full.png`, fullPage: true });
    await option(page, 'Year', '2023').click();
    await option(page, 'Category', 'Bikes').click();
    await expectFigures(page, { Year: [2023], Category: ['Bikes'] });
    await page.screenshot({ path: `${SHOTS}dashboard-${w}x${hgt}-selected.png`, fullPage: true });
    // Nothing sticks out sideways at this width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    expect(pageErrors).toEqual([]);
  });
}
