// The dashboard's layout and behaviour at phone (390 px) and desktop
// (1280 px) widths, with its nebula.js charts: layout shift on load,
// nothing moving when a reload starts or a selection lands, reload
// progress per table, charts inside their cards, and errors that name
// what failed.
import { test, expect } from './fixtures.js';
import { expectFigures, open as openDash, select, uniq } from './dashboard-helpers.js';

// Each test waits for several full re-renders of eleven charts; on a loaded
// 2-core machine that takes longer than the default minute.
test.describe.configure({ timeout: 180_000 });
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

const open = (page) => openDash(page);

/** boxes reads the page positions of elements a reload must not move. */
const boxes = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ['#reload', '.selbar', '#kpis', '.viz-card[data-chart="bar"]', '.viz-card[data-chart="line"]', '.viz-card[data-chart="table"]', '#filters', '#reload-status'].map((sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return [sel, [Math.round(r.x), Math.round(r.y + scrollY), Math.round(r.width), Math.round(r.height)]];
      }),
    ),
  );

for (const size of SIZES) {
  test.describe(`${size.name} ${size.width} px`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('layout shift on load stays at or under 0.05', async ({ page, pageErrors }) => {
      await page.addInitScript(() => {
        window.__cls = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await open(page);
      // data-ready follows every chart's first render; let a frame paint.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const cls = await page.evaluate(() => window.__cls);
      test.info().annotations.push({ type: 'cls', description: String(cls) });
      expect(cls).toBeLessThanOrEqual(0.05);
      expect(pageErrors).toEqual([]);
    });

    test('a reload moves nothing, counts tables truthfully and its text fits', async ({ page, pageErrors }) => {
      await open(page);
      const before = await boxes(page);
      await page.evaluate(() => {
        const text = document.querySelector('#reload-text');
        window.__lines = [];
        new MutationObserver(() => window.__lines.push(text.textContent)).observe(text, { childList: true, characterData: true, subtree: true });
      });
      await page.getByRole('button', { name: 'Reload data' }).click();
      await expect(page.locator('#reload-text')).toHaveText(/^Table \d+ of \d+/);
      expect(await boxes(page)).toEqual(before);
      // The text is cut inside its box, never wider than the page.
      const fits = await page.evaluate(() => {
        const t = document.querySelector('#reload-text').getBoundingClientRect();
        const box = document.querySelector('#reload-status').getBoundingClientRect();
        return t.right <= box.right + 0.5 && box.right <= document.documentElement.clientWidth && document.documentElement.scrollWidth <= document.documentElement.clientWidth;
      });
      expect(fits).toBe(true);
      await expect(page.locator('#reload-text')).toHaveText(/^Reloaded at /, { timeout: 60_000 });
      expect(await boxes(page)).toEqual(before);
      // Each table of the Sales script is named while it loads, in order,
      // with its line count growing: the big Orders table is visibly worked
      // on, not a bar sitting still.
      const lines = (await page.evaluate(() => window.__lines)).filter((l) => l.startsWith('Table '));
      const steps = lines.map((l) => /^Table (\d+) of (\d+)/.exec(l).slice(1).map(Number));
      const total = steps[0][1];
      expect(total).toBeGreaterThan(1);
      for (let i = 1; i < steps.length; i++) {
        expect(steps[i][1]).toBe(total);
        expect(steps[i][0]).toBeGreaterThanOrEqual(steps[i - 1][0]);
        expect(steps[i][0]).toBeLessThanOrEqual(total);
      }
      const orders = lines.filter((l) => l.startsWith(`Table ${total} of ${total} · Orders: `)).map((l) => Number(/([\d,]+) lines$/.exec(l)[1].replace(/,/g, '')));
      expect(orders.length).toBeGreaterThan(1);
      expect(orders).toEqual([...orders].sort((a, b) => a - b));
      expect(pageErrors).toEqual([]);
    });

    test('a selection moves no card and nothing sticks out', async ({ page, pageErrors }) => {
      await open(page);
      const before = await boxes(page);
      await select(page, 'Region', ['East']);
      await expectFigures(page, { Region: ['East'] }, { lineLegend: size.width > 600 });
      expect(await boxes(page)).toEqual(before);
      // Every chart stays inside its card, and the page inside the window.
      const overflow = await page.evaluate(() =>
        [...document.querySelectorAll('.viz-card')]
          .filter((c) => {
            const r = c.getBoundingClientRect();
            const v = c.querySelector('.njs-cell')?.getBoundingClientRect();
            return !v || v.left < r.left - 0.5 || v.right > r.right + 0.5 || v.bottom > r.bottom + 0.5;
          })
          .map((c) => c.dataset.chart),
      );
      expect(overflow).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      await page.screenshot({ path: test.info().outputPath(`dashboard-${size.width}.png`), fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  });
}

test('errors name what failed', async ({ page }) => {
  await page.goto(`/?identity=${uniq()}&app=NoSuchApp`);
  await expect(page.locator('#open-error')).toContainText('Could not open the app “NoSuchApp”');
  await expect(page.locator('#open-error')).toContainText('1003');
  await expect(page.locator('.viz-card[data-state="loading"]')).toHaveCount(0);
});

test('a missing chart library is named in every card, with the fix', async ({ page }) => {
  await page.route('**/vendor/sn-kpi.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(`/?identity=${uniq()}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'error', { timeout: 60_000 });
  await expect(page.locator('.viz-card[data-state="error"]')).toHaveCount(11);
  await expect(page.locator('.viz-card[data-chart="kpi-sales"] .card-error')).toHaveText(
    /^Sales: the charts could not load: \/vendor\/sn-kpi\.js is missing on this server \(HTTP 404\): it comes from node_modules: run `npm ci`/,
  );
  // The session itself is fine: the status says so.
  await expect(page.locator('#status')).toHaveText(/^Connected · Sales/);
});
