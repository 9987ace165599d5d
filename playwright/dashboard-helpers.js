// Helpers for the dashboard specs: the dashboard (web/index.html) draws the
// Sales app with nebula.js (sn-kpi, sn-bar-chart, sn-line-chart, sn-table,
// sn-filter-pane and stardust's selections toolbar). expectFigures checks
// every chart against playwright/sales-data.js, which regenerates the
// orders from the documented rule, never from the engine: text where the
// chart draws text (KPIs, bar axis, line legend, table, list boxes), the
// layout the chart holds where it draws on canvas (the line chart's points).
import { expect } from './fixtures.js';
import * as sales from './sales-data.js';

export const uniq = (prefix = 'dash') => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const dec2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const norm = (s) => s.replace(/\s+/g, ' ').trim();
// A chart re-renders within a second or two; on a loaded 2-core machine
// it may take much longer: wait for it, never assume a time.
const WAIT = { timeout: 30_000 };

// CHARTS are the dashboard's chart cards (data-chart).
export const CHARTS = ['filter-region', 'filter-category', 'filter-year', 'filter-product', 'kpi-sales', 'kpi-orders', 'kpi-avg', 'kpi-units', 'bar', 'line', 'table'];

/** open loads the dashboard on a fresh (or the given) session and waits until every chart rendered. */
export async function open(page, query = {}) {
  const identity = query.identity || uniq();
  await page.goto(`/?${new URLSearchParams({ ...query, identity })}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  return identity;
}

export const card = (page, id) => page.locator(`.viz-card[data-chart="${id}"]`);

/** listRows are the rows of a filter pane's list box (field: Region, Category, Year, Product). */
export const listRows = (page, field) => card(page, `filter-${field.toLowerCase()}`).locator('[data-testid="listbox.item"] [role="row"]');

/**
 * svgLabels reads the labels of an SVG component (without their <title>),
 * left to right and top to bottom as drawn: picasso.js reuses text nodes
 * across renders, so their document order need not be the drawn order.
 */
export const svgLabels = (loc) =>
  loc.evaluateAll((els) =>
    els.flatMap((svg) =>
      [...svg.querySelectorAll('text')]
        .map((t) => ({ r: t.getBoundingClientRect(), text: t.firstChild?.nodeValue ?? '' }))
        .sort((a, b) => a.r.x + a.r.width / 2 - (b.r.x + b.r.width / 2) || a.r.y - b.r.y)
        .map((l) => l.text),
    ),
  );

/** lineLayout flattens the line chart's stacked data (month → year → value) as the page holds it. */
const linePoints = (page) =>
  page.evaluate(async () => {
    const l = await window.dashboard.vizs.line.model.getLayout();
    const out = [];
    for (const root of l.qHyperCube.qStackedDataPages[0]?.qData ?? []) {
      for (const m of root.qSubNodes) for (const y of m.qSubNodes) for (const v of y.qSubNodes) out.push(`${m.qText} ${y.qText} ${v.qValue}`);
    }
    return out.sort();
  });

/** painted says whether a canvas has any non-transparent pixel. */
const painted = (loc) =>
  loc.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });

/** select picks values in a filter pane (click each row) and confirms with Qlik's toolbar. */
export async function select(page, field, values) {
  for (const v of values) await listRows(page, field).filter({ hasText: new RegExp(`^${v}$`) }).click();
  await page.getByTestId('actions-toolbar-confirm').click();
  await expect(page.getByTestId('actions-toolbar-confirm')).toHaveCount(0, WAIT);
}

/**
 * expectFigures checks every chart against a selection ({ Region: ['North'] }).
 * lineLegend false skips the line chart's legend (sn-line-chart hides it on
 * narrow screens).
 */
export async function expectFigures(page, selection, { lineLegend = true } = {}) {
  const rows = sales.select(selection);
  const k = sales.kpis(rows);
  for (const id of CHARTS) await expect(card(page, id)).toHaveAttribute('data-state', 'rendered', WAIT);

  // KPIs in their fixed formats.
  await expect.poll(async () => norm(await card(page, 'kpi-sales').innerText()), WAIT).toBe(`Sales ${sales.fmtInt(k.sales)}`);
  await expect.poll(async () => norm(await card(page, 'kpi-orders').innerText()), WAIT).toBe(`Orders ${sales.fmtInt(k.orders)}`);
  await expect.poll(async () => norm(await card(page, 'kpi-avg').innerText()), WAIT).toBe(`Avg. order value ${dec2.format(k.avgOrder)}`);
  await expect.poll(async () => norm(await card(page, 'kpi-units').innerText()), WAIT).toBe(`Units sold ${sales.fmtInt(k.quantity)}`);

  // Bar chart: a bar per region, largest first, named on its axis.
  const byRegion = sales.sumBy(rows, 'Region').sort((a, b) => b[1] - a[1]).map(([r]) => r);
  await expect.poll(() => svgLabels(card(page, 'bar').locator('svg[data-key="bar-axis"]')), WAIT).toEqual(byRegion);

  // Line chart: Sum(Sales) per month and year (canvas: the layout it holds),
  // a legend entry per year, and a painted line.
  const byMonthYear = new Map();
  for (const o of rows) byMonthYear.set(`${o.Month} ${o.Year}`, (byMonthYear.get(`${o.Month} ${o.Year}`) || 0) + o.Sales);
  await expect.poll(() => linePoints(page), WAIT).toEqual([...byMonthYear].map(([my, v]) => `${my} ${v}`).sort());
  const years = [...new Set(rows.map((o) => o.Year))].sort().map(String);
  if (lineLegend) await expect.poll(async () => (await svgLabels(card(page, 'line').locator('svg[data-key="legend-color-cat"]'))).filter((t) => t !== 'Year'), WAIT).toEqual(years);
  await expect.poll(() => painted(card(page, 'line').locator('canvas[data-key="line-component"]').first()), WAIT).toBe(true);

  // Table: the totals row, then customers A→Z. On a phone sn-table draws
  // only the columns in view (the Sales cells of the rows are off to the
  // right; its total is drawn).
  const wide = page.viewportSize().width > 600;
  const table = sales.customerTable(rows).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const first = table
    .slice(0, 3)
    .map((r) => (wide ? r : r.slice(0, 4)).join(' '))
    .join(' ');
  await expect.poll(async () => norm(await card(page, 'table').innerText()), WAIT).toContain(`Totals ${k.orders} ${k.quantity} ${k.sales} ${first}`);

  // Filter panes: the selected values selected, every value listed.
  for (const [field, all] of [
    ['Region', sales.REGIONS],
    ['Category', sales.CATEGORIES],
    ['Year', sales.YEARS.map(String)],
  ]) {
    await expect(listRows(page, field)).toHaveCount(all.length, WAIT);
    const want = (selection[field] || []).map(String).sort();
    await expect
      .poll(() => listRows(page, field).evaluateAll((rs) => rs.filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => r.textContent).sort()), WAIT)
      .toEqual(want);
  }
}

/** expectToolbar checks what stardust's selections toolbar lists: [field, text] per selected field. */
export async function expectToolbar(page, fields) {
  const bar = page.locator('#selections');
  if (!fields.length) {
    await expect(bar.locator('button[title="Clear all selections"]')).toBeDisabled(WAIT);
    return;
  }
  for (const [field, text] of fields) {
    await expect(bar).toContainText(field, WAIT);
    await expect(bar).toContainText(text, WAIT);
  }
  await expect(bar.locator('button[title="Clear all selections"]')).toBeEnabled(WAIT);
}
