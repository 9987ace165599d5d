// Qlik's own charts (nebula.js stardust + the sn-* charts) on web/nebula.html
// against the emulator's Sales app, through enigma.js and through qix-wasm in
// worker and main-thread modes. Every number is checked against
// playwright/sales-data.js, which regenerates the orders independently of
// the engine. Canvas-drawn charts (line, combo, scatter) are checked through
// the layout their object holds and a painted canvas; the others through the
// text they draw. Each test runs in its own engine session.
import { test, expect } from './fixtures.js';
import * as sales from './sales-data.js';

const uniq = () => `neb-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
// sn-kpi's auto format: three significant digits with k/M.
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const CHART_TYPES = ['kpi', 'filterpane', 'barchart', 'linechart', 'piechart', 'combochart', 'table', 'pivot-table', 'scatterplot'];

const CLIENTS = [
  { name: 'enigma.js', query: { client: 'enigma' }, column: 'enigma' },
  { name: 'qix-wasm worker', query: { client: 'qix' }, column: 'qix' },
  { name: 'qix-wasm main thread', query: { client: 'qix', mode: 'main' }, column: 'qix' },
];

async function open(page, query) {
  await page.goto(`/nebula?${new URLSearchParams({ identity: uniq(), ...query })}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 45_000 });
}

const card = (page, col, type) => page.locator(`[data-client="${col}"] .nebula-card[data-chart="${type}"]`);
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** svgLabels reads the labels of an SVG component (without their <title>). */
const svgLabels = (loc) =>
  loc.evaluateAll((els) => els.flatMap((svg) => [...svg.querySelectorAll('text')].map((t) => t.firstChild?.nodeValue ?? '')));

/** layouts reads the layouts the page's charts hold in one column. */
const layouts = (page, col) => page.evaluate((c) => window.nebulaPage.columns[c].layouts(), col);

/** painted says whether a canvas has any non-transparent pixel. */
const painted = (loc) =>
  loc.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });

/** expectCharts checks every chart of a column against a selection. */
async function expectCharts(page, col, selection, { barOrder = true } = {}) {
  const rows = sales.select(selection);
  const k = sales.kpis(rows);
  for (const type of CHART_TYPES) await expect(card(page, col, type)).toHaveAttribute('data-state', 'rendered');

  // KPI: total sales in Qlik's abbreviated format.
  await expect(card(page, col, 'kpi')).toContainText(compact.format(k.sales));

  // Bar chart: one bar per region, largest first, labelled on its axis.
  const byRegion = sales.sumBy(rows, 'Region').sort((a, b) => b[1] - a[1]);
  const barLabels = async () => {
    const ls = await svgLabels(card(page, col, 'barchart').locator('svg[data-key="bar-axis"]'));
    return barOrder ? ls : ls.sort();
  };
  const wantBars = byRegion.map(([r]) => r);
  await expect.poll(barLabels).toEqual(barOrder ? wantBars : [...wantBars].sort());

  // Pie chart: the legend lists the categories, largest slice first.
  const byCat = sales.sumBy(rows, 'Category').sort((a, b) => b[1] - a[1]);
  await expect
    .poll(async () => (await svgLabels(card(page, col, 'piechart').locator('svg[data-key="legend-cat"]'))).filter((t) => t !== 'Category'))
    .toEqual(byCat.map(([c]) => c));

  // Table: the totals row and the first rows, Region then Category ascending.
  const byRC = new Map();
  for (const o of rows) byRC.set(`${o.Region} ${o.Category}`, (byRC.get(`${o.Region} ${o.Category}`) || 0) + o.Sales);
  const tableRows = [...byRC.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([rc, v]) => `${rc} ${v}`);
  const table = card(page, col, 'table');
  await expect.poll(async () => norm(await table.innerText())).toContain(`Totals ${k.sales} ${tableRows.slice(0, 3).join(' ')}`);

  // Pivot table: one collapsed row per region with its total.
  const regionsAsc = sales.sumBy(rows, 'Region').sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const pivot = card(page, col, 'pivot-table');
  await expect.poll(() => pivot.locator('[data-testid="dimension-cell"]').evaluateAll((cs) => cs.map((c) => c.title))).toEqual(regionsAsc.map(([r]) => r));
  await expect.poll(async () => norm(await pivot.innerText())).toContain(regionsAsc.map(([, v]) => v).join(' '));

  // Filter pane: the Region list box lists every region, the selected ones selected.
  const items = card(page, col, 'filterpane').locator('[data-testid="listbox.item"] [role="row"]');
  await expect(items).toHaveCount(sales.REGIONS.length);
  const selected = selection.Region || [];
  await expect
    .poll(() => items.evaluateAll((rs) => rs.filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => r.textContent)))
    .toEqual(selected);

  // Line, combo and scatter draw on canvas: their layouts carry the numbers.
  const byYear = sales.sumBy(rows, 'Year').sort((a, b) => a[0] - b[0]);
  const qtyByRegion = new Map(sales.sumBy(rows, 'Region', 'Quantity'));
  const customers = new Set(rows.map((o) => o.Customer));
  await expect
    .poll(async () => {
      const l = await layouts(page, col);
      const m = (t) => l[t].qHyperCube.qDataPages[0].qMatrix;
      return {
        line: m('linechart').map((r) => [r[0].qNum, r[1].qNum]),
        combo: m('combochart').map((r) => [r[0].qText, r[1].qNum, r[2].qNum]).sort(),
        scatter: l.scatterplot.qHyperCube.qSize.qcy,
      };
    })
    .toEqual({
      line: byYear,
      combo: byRegion.map(([r, v]) => [r, v, qtyByRegion.get(r)]).sort(),
      scatter: customers.size,
    });
  for (const [type, key] of [['linechart', 'line-component'], ['combochart', 'bar-series-0'], ['scatterplot', 'point-component']]) {
    await expect.poll(() => painted(card(page, col, type).locator(`canvas[data-key="${key}"]`).first())).toBe(true);
  }
}

for (const c of CLIENTS) {
  test.describe(`nebula.js on ${c.name}`, () => {
    test('every sn-* chart renders the Sales data', async ({ page, pageErrors }) => {
      await open(page, c.query);
      await expectCharts(page, c.column, {});
      // The selections toolbar is mounted and empty.
      await expect(page.locator(`[data-client="${c.column}"] .nebula-toolbar button[title="Clear all selections"]`)).toBeDisabled();
      expect(pageErrors).toEqual([]);
    });

    test('a clicked bar, confirmed, filters every chart', async ({ page, pageErrors }) => {
      await open(page, c.query);
      await expectCharts(page, c.column, {});
      const bar = card(page, c.column, 'barchart');
      await bar.scrollIntoViewIfNeeded();
      const label = bar.locator('svg[data-key="bar-axis"] text', { hasText: 'North' });
      const lb = await label.boundingBox();
      const cb = await bar.locator('canvas[data-key="bar"]').boundingBox();
      await page.mouse.click(lb.x + lb.width / 2, cb.y + cb.height * 0.85);
      // In selection mode the chart keeps every bar (the engine keeps the
      // modal object's values) while the KPI already follows.
      await expect(card(page, c.column, 'kpi')).toContainText(compact.format(sales.kpis(sales.select({ Region: ['North'] })).sales));
      await expect.poll(() => svgLabels(bar.locator('svg[data-key="bar-axis"]'))).toHaveLength(5);
      await page.getByTestId('actions-toolbar-confirm').click();
      await expectCharts(page, c.column, { Region: ['North'] });
      // The selections toolbar shows the selection.
      await expect(page.locator(`[data-client="${c.column}"] .nebula-toolbar`)).toContainText('North');
      expect(pageErrors).toEqual([]);
    });

    test('a filter pane selection, confirmed, filters every chart', async ({ page, pageErrors }) => {
      await open(page, c.query);
      await expectCharts(page, c.column, {});
      await card(page, c.column, 'filterpane').locator('[data-testid="listbox.item"] [role="row"]', { hasText: 'East' }).click();
      await page.getByTestId('actions-toolbar-confirm').click();
      await expectCharts(page, c.column, { Region: ['East'] });
      // Clearing from the selections toolbar brings the full data back.
      // (After ClearAll sn-bar-chart 2.14 draws the formerly selected bar
      // last although the layout it holds (and the delta it got) is sorted
      // by value again: only the set of bars is checked here.)
      await page.locator(`[data-client="${c.column}"] .nebula-toolbar button[title="Clear all selections"]`).click();
      await expectCharts(page, c.column, {}, { barOrder: false });
      expect(pageErrors).toEqual([]);
    });
  });
}

test('side by side: enigma.js and qix-wasm receive the same layouts and draw the same text', async ({ page, pageErrors }) => {
  await open(page, {});
  await expectCharts(page, 'enigma', {});
  await expectCharts(page, 'qix', {});
  // nebula.js gives each column's dimensions and measures their own random
  // qDef.cId, which layouts echo in qDimensionInfo/qMeasureInfo as engines
  // do: compare without them.
  const withoutCIds = (v) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'cId' ? undefined : x)));
  const [e, q] = [withoutCIds(await layouts(page, 'enigma')), withoutCIds(await layouts(page, 'qix'))];
  expect(Object.keys(q).sort()).toEqual([...CHART_TYPES].sort());
  expect(q).toEqual(e);
  // What they draw: each card's text and its element count per tag.
  const drawn = (col) =>
    page.locator(`[data-client="${col}"] .nebula-card`).evaluateAll((cs) =>
      cs.map((c) => {
        const tags = {};
        for (const el of c.querySelectorAll('*')) tags[el.tagName] = (tags[el.tagName] || 0) + 1;
        return { chart: c.dataset.chart, text: c.innerText.replace(/\s+/g, ' '), tags };
      }),
    );
  expect(await drawn('qix')).toEqual(await drawn('enigma'));
  // One session: a selection through enigma.js shows in the qix-wasm column.
  await card(page, 'enigma', 'filterpane').locator('[data-testid="listbox.item"] [role="row"]', { hasText: 'South' }).click();
  await page.getByTestId('actions-toolbar-confirm').click();
  await expectCharts(page, 'qix', { Region: ['South'] });
  await expectCharts(page, 'enigma', { Region: ['South'] });
  expect(pageErrors).toEqual([]);
});
