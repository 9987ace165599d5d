// The embed page (web/embed.html): one live chart in a host page, from a
// plain <script type="module">, under a strict Content-Security-Policy.
import { mkdirSync } from 'node:fs';
import { select } from './dashboard-helpers.js';
import { test, expect } from './fixtures.js';
import * as sales from './sales-data.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const uniq = () => `embed-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

// Runs before the page's own scripts (injected by the browser, not by the
// page, so the policy does not apply to it): records every CSP violation.
function recordViolations() {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
}

const bars = (page) => page.locator('#chart svg rect');

/**
 * expectChart checks the embedded chart against a selection: category
 * labels in the order of their sales (largest first) and bar heights in
 * the proportions of the sums.
 */
async function expectChart(page, selection) {
  const want = sales.sumBy(sales.select(selection), 'Category').sort((a, b) => b[1] - a[1]);
  await expect(bars(page)).toHaveCount(want.length);
  await expect.poll(() => page.locator('#chart svg text').allTextContents()).toEqual(expect.arrayContaining(want.map(([c]) => c)));
  const geometry = () =>
    page.evaluate(() => {
      // Right edges order the axis labels left to right whether picasso
      // draws them straight or (on narrow screens) rotated.
      const ticks = [...document.querySelectorAll('#chart svg text')].map((t) => {
        const b = t.getBoundingClientRect();
        return { text: t.textContent, right: b.x + b.width };
      });
      const rects = [...document.querySelectorAll('#chart svg rect')].map((r) => {
        const b = r.getBoundingClientRect();
        return { x: b.x, h: b.height };
      });
      return { ticks, rects };
    });
  await expect
    .poll(async () => {
      const { ticks, rects } = await geometry();
      rects.sort((a, b) => a.x - b.x);
      const labels = ticks
        .filter((t) => want.some(([c]) => c === t.text))
        .sort((a, b) => a.right - b.right)
        .map((t) => t.text);
      // Category under each bar, left to right, and its height relative to the tallest.
      const tallest = Math.max(...rects.map((r) => r.h));
      return rects.map((r, i) => [labels[i], Math.round((r.h / tallest) * 100)]);
    })
    .toEqual(want.map(([c, v]) => [c, Math.round((v / want[0][1]) * 100)]));
}

test('the embed page renders its chart from a plain module script under the strict CSP, with no console errors', async ({ page, pageErrors }) => {
  await page.addInitScript(recordViolations);
  const res = await page.goto(`/embed?identity=${uniq()}`);
  expect(res.status()).toBe(200);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CSP);
  // Only module scripts from this origin, nothing inline.
  const scripts = await page.locator('script').evaluateAll((ss) => ss.map((s) => ({ type: s.type, src: s.getAttribute('src'), inline: s.textContent.trim().length > 0 })));
  expect(scripts).toEqual([
    { type: 'module', src: '/embed.js', inline: false },
    { type: 'module', src: '/lib/dash-source.js', inline: false },
  ]);
  await expectChart(page, {});
  await expect(page.locator('#embed-source')).toContainText("import { create, buildURL } from '/qix.js';");
  await expect(page.locator('nav a[aria-current="page"]')).toHaveText('Embed');
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(pageErrors).toEqual([]);

  // The policy is really in force: an inline script is refused.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    return window.__inlineRan === true;
  });
  expect(ran).toBe(false);
  // Refused by the page's meta policy and by the dev server's header policy: one report each.
  await expect.poll(() => page.evaluate(() => window.__cspViolations)).toEqual(['script-src-elem inline', 'script-src-elem inline']);
});

test('the dashboard runs under the same strict CSP without violations', async ({ page, pageErrors }) => {
  await page.addInitScript(recordViolations);
  await page.goto(`/?identity=${uniq()}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // nebula.js and the sn-* charts run under it too (classic scripts from /vendor).
  await expect(page.locator('.viz-card[data-state="rendered"]')).toHaveCount(11);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', CSP);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('the embedded chart follows selections made on the dashboard in the same session', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const embed = await context.newPage();
  const dash = await context.newPage();
  const identity = uniq();
  await embed.goto(`/embed?identity=${identity}`);
  await expectChart(embed, {});
  // The page links to the dashboard on its own session.
  const href = await embed.locator('#dashboard-link').getAttribute('href');
  expect(href).toBe(`/?identity=${identity}`);
  await dash.goto(href);
  await dash.bringToFront();
  await expect(dash.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await select(dash, 'Year', ['2022']);
  await expectChart(embed, { Year: [2022] });
  await select(dash, 'Region', ['South']);
  await expectChart(embed, { Year: [2022], Region: ['South'] });
  await context.close();
});

test('the embed page shows why the chart is missing when the engine is unreachable', async ({ page, faults }) => {
  const identity = uniq();
  // Refuse the connection: a close fault without a method closes on connect.
  await faults.add({ match: identity, action: 'close', code: 4003, reason: 'not allowed' });
  await page.goto(`/embed?identity=${identity}`);
  await expect(page.locator('#chart')).toHaveClass(/error-box/);
  await expect(page.locator('#chart')).toContainText('The chart could not load');
});

for (const [w, hgt] of [
  [1280, 800],
  [390, 844],
]) {
  test(`embed screenshots at ${w}×${hgt}`, async ({ page, pageErrors }) => {
    await page.setViewportSize({ width: w, height: hgt });
    await page.goto(`/embed?identity=${uniq()}`);
    await expectChart(page, {});
    await expect(page.locator('#embed-source')).toContainText('picasso.chart');
    await page.screenshot({ path: `${SHOTS}embed-${w}x${hgt}.png` });
    await page.screenshot({ path: `${SHOTS}embed-${w}x${hgt}-full.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
    expect(pageErrors).toEqual([]);
  });
}
