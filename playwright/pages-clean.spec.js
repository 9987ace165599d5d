// Every page loads with zero console errors and zero failed requests. This
// spec also runs in ./build.sh test's fresh-clone stage against a server
// started by `./build.sh serve` in a clean copy of the repository (no
// node_modules, no build/), which is what a new user gets.
import { test, expect } from './fixtures.js';

const uniq = () => `clean-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/** watch records what a user would see go wrong on a page. */
function watch(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

test('the dashboard renders its nebula.js charts, filter panes, KPIs and table', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`/?identity=${uniq()}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.locator('.viz-card[data-state="rendered"]')).toHaveCount(11);
  await expect(page.locator('[data-chart="bar"] canvas').first()).toBeVisible();
  await expect(page.locator('[data-chart="line"] canvas').first()).toBeVisible();
  await expect(page.locator('[data-chart="filter-region"] [data-testid="listbox.item"]')).toHaveCount(5);
  await expect(page.locator('[data-chart="table"]')).toContainText('Customer 001');
  await expect(page.locator('[data-chart="kpi-sales"]')).toContainText(/\d/);
  await expect(page.locator('#selections button[title="Clear all selections"]')).toBeVisible();
  await expect(page.locator('.card-error')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the embed page draws its chart', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`/embed?identity=${uniq()}`);
  await expect(page.locator('#chart svg, #chart canvas').first()).toBeVisible({ timeout: 45_000 });
  await expect(page.locator('#chart.error-box')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('the console lists the schema methods once connected', async ({ page }) => {
  const problems = watch(page);
  await page.goto('/console');
  await page.getByLabel('App', { exact: true }).fill('Demo');
  await page.getByLabel('Identity').fill(uniq());
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /, { timeout: 45_000 });
  await expect.poll(() => page.locator('#method option').count()).toBeGreaterThan(50);
  await expect(page.locator('#param-help')).not.toContainText('did not load');
  expect(problems).toEqual([]);
});

test('the inspector loads and records a session', async ({ page, wsURL }) => {
  const problems = watch(page);
  await page.goto(`/inspector?url=${encodeURIComponent(wsURL(`/app/Demo/identity/${uniq()}`))}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#status')).toHaveText(/^Open · /, { timeout: 45_000 });
  await page.getByRole('button', { name: 'Run sample calls' }).click();
  await expect(page.locator('#sample-line')).toContainText('Done:');
  await expect.poll(() => page.locator('.tp-table tbody tr').count()).toBeGreaterThan(4);
  expect(problems).toEqual([]);
});

test('the nebula.js page renders every sn-* chart on both clients under the strict CSP', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`/nebula?identity=${uniq()}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 45_000 });
  await expect(page.locator('.nebula-card[data-state="rendered"]')).toHaveCount(18);
  expect(problems).toEqual([]);
});
