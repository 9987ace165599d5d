// The dashboard's layout and behaviour at phone (390 px) and desktop
// (1280 px) widths: layout shift on load, nothing moving when a reload
// starts, reload progress per table, the line chart's month axis and the
// bar labels at 390 px, year colours that do not follow selections, and a
// filter list that keeps its order under the pointer while selecting.
import { test, expect } from './fixtures.js';
import * as sales from './sales-data.js';

const uniq = () => `lay-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

async function open(page) {
  await page.goto(`/?identity=${uniq()}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

const pane = (page, field) => page.locator(`.pane[data-field="${field}"]`);
const option = (page, field, text) => pane(page, field).locator('li[role="option"]', { has: page.locator(`.opt-text:text-is("${text}")`) });
const optionTexts = (page, field) => pane(page, field).locator('li[role="option"] .opt-text').allTextContents();

/** boxes reads the page positions of elements a reload must not move. */
const boxes = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ['#reload', '.selbar', '#kpis', '#bar-card', '#filters', '#reload-status'].map((sel) => {
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
      // Charts draw after data-ready's promise settles; let them.
      await expect(page.locator('#line-chart svg circle').first()).toBeVisible();
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
      await expect(page.locator('#reload-text')).toHaveText(/^Reloaded at /, { timeout: 30_000 });
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

    test('the month axis and the bar labels are whole', async ({ page }) => {
      await open(page);
      await expect.poll(() => page.locator('#line-chart svg text').allTextContents()).toEqual(expect.arrayContaining(MONTHS));
      const byRegion = sales.sumBy(sales.select({}), 'Region');
      const labels = await page.locator('#bar-chart svg text').allTextContents();
      expect(labels).toEqual(expect.arrayContaining(byRegion.map(([, v]) => compact.format(v))));
      expect(labels.filter((t) => t.includes('…'))).toEqual([]);
      // Nothing sticks out of the page sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      await page.screenshot({ path: test.info().outputPath(`dashboard-${size.width}.png`), fullPage: true });
    });
  });
}

/** yearColours maps each year in the line chart's legend to its colour. */
const yearColours = (page) =>
  page.evaluate(() => {
    const out = {};
    const nodes = [...document.querySelectorAll('#line-chart svg rect, #line-chart svg text')];
    nodes.forEach((n, i) => {
      const next = nodes[i + 1];
      if (n.tagName === 'rect' && next && next.tagName === 'text' && /^\d{4}/.test(next.textContent)) out[next.textContent.slice(0, 4)] = n.getAttribute('fill');
    });
    return out;
  });

test('a year keeps its colour whatever is selected', async ({ page, pageErrors }) => {
  await open(page);
  await expect.poll(() => yearColours(page).then((c) => Object.keys(c).length)).toBe(3);
  const all = await yearColours(page);
  expect(new Set(Object.values(all)).size).toBe(3);
  await option(page, 'Year', '2024').click();
  await expect.poll(() => yearColours(page)).toEqual({ 2024: all['2024'] });
  // The one line left is drawn in that colour.
  await expect(page.locator('#line-chart svg path[stroke]')).toHaveAttribute('stroke', all['2024']);
  await option(page, 'Year', '2023').click();
  await expect.poll(() => yearColours(page)).toEqual({ 2023: all['2023'], 2024: all['2024'] });
  expect(pageErrors).toEqual([]);
});

test('a list sorted by state keeps its order under the pointer, and sorts when the pointer leaves', async ({ page, pageErrors }) => {
  await open(page);
  const start = await optionTexts(page, 'Product');
  expect(start.slice(0, 3)).toEqual(['Product 01', 'Product 02', 'Product 03']);
  await option(page, 'Product', 'Product 05').click();
  await expect(option(page, 'Product', 'Product 05')).toHaveAttribute('aria-selected', 'true');
  await expect(pane(page, 'Product')).toHaveClass(/is-selecting/);
  await option(page, 'Product', 'Product 03').click();
  await expect(option(page, 'Product', 'Product 03')).toHaveAttribute('aria-selected', 'true');
  // The other figures follow at once (selection mode applies the picks).
  await expect(page.locator('#sel-list')).toContainText('Product');
  expect(await optionTexts(page, 'Product')).toEqual(start);
  // Away from the list: confirmed, and selected values come first.
  await page.mouse.move(2, 2);
  await expect(pane(page, 'Product')).not.toHaveClass(/is-selecting/);
  await expect.poll(() => optionTexts(page, 'Product').then((t) => t.slice(0, 2))).toEqual(['Product 03', 'Product 05']);
  await expect(page.locator('#sel-list')).toContainText('Product 03, Product 05');
  expect(pageErrors).toEqual([]);
});

test('Escape in selection mode cancels the picks made since it began', async ({ page }) => {
  await open(page);
  await option(page, 'Region', 'East').click();
  await page.mouse.move(2, 2);
  await expect(pane(page, 'Region')).not.toHaveClass(/is-selecting/);
  await pane(page, 'Region').locator('.pane-list').focus();
  await page.keyboard.press('End');
  await page.keyboard.press(' ');
  await expect(option(page, 'Region', 'West')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(option(page, 'Region', 'West')).toHaveAttribute('aria-selected', 'false');
  await expect(option(page, 'Region', 'East')).toHaveAttribute('aria-selected', 'true');
});

test('errors name what failed', async ({ page }) => {
  await page.goto(`/?identity=${uniq()}&app=NoSuchApp`);
  await expect(page.locator('#open-error')).toContainText('Could not open the app “NoSuchApp”');
  await expect(page.locator('#open-error')).toContainText('1003');
});

test('selection mode shows cancel and confirm in the pane; cancel rolls back, confirm keeps', async ({ page }) => {
  await open(page);
  const cancel = page.getByRole('button', { name: 'Cancel Category selections' });
  const confirm = page.getByRole('button', { name: 'Confirm Category selections' });
  await expect(cancel).toBeHidden();
  await option(page, 'Category', 'Bikes').click();
  await expect(option(page, 'Category', 'Bikes')).toHaveAttribute('aria-selected', 'true');
  await expect(cancel).toBeVisible();
  await expect(confirm).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('pane-selecting.png') });
  await cancel.click();
  await expect(cancel).toBeHidden();
  await expect(option(page, 'Category', 'Bikes')).toHaveAttribute('aria-selected', 'false');
  await expect(page.locator('#sel-list .selbar-empty')).toBeVisible();

  await option(page, 'Category', 'Clothing').click();
  await confirm.click();
  await expect(confirm).toBeHidden();
  await page.mouse.move(2, 2);
  await expect(option(page, 'Category', 'Clothing')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#sel-list')).toContainText('Clothing');
});
