// dash-charts: the dashboard's two picasso.js charts. picasso-plugin-q
// reads the hypercube layouts as they come from the engine (no reshaping in
// between); chart.update({ data }) on 'changed' redraws the same chart
// instance, which is what keeps updates flicker-free.

import picasso from '/vendor/picasso.esm.js';
import picassoQ from '/vendor/picasso-plugin-q.esm.js';
import { live } from './dash-live.js';
import { selectionModeEnded } from './dash-listbox.js';
import { showError, clearError, fmtCompact, fmtInt, isNum } from './dash-util.js';

picasso.use(picassoQ);
// Axis ticks and value labels in the same words as the KPI tiles (12.3K).
picasso.formatter('dash-compact', () => (v) => fmtCompact(v));

const ACCENT = '#1f6feb';
const SERIES = ['#1f6feb', '#009845', '#e36209', '#8250df', '#bf3989', '#0a7ea4'];
// picasso draws text itself: match the page's font and colours.
const STYLE = {
  '$font-family': "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  '$font-size': '12px',
  '$font-color': '#5b6573',
  '$guide-color': '#d9dde3',
};
const AXIS_NUM = { type: 'dash-compact' };

const qData = (layout) => [{ type: 'q', key: 'qHyperCube', data: layout.qHyperCube }];

// Below this chart width the axes switch to their compact forms.
const NARROW = 420;

/**
 * colourOf gives a dimension value its own series colour, from the value
 * itself (a number by its value, a text by a hash), never from its position
 * in the data: a year keeps its colour whatever else is selected.
 */
export function colourOf(cell) {
  const n = SERIES.length;
  if (isNum(cell.qNum) && Number.isInteger(cell.qNum)) return SERIES[((cell.qNum % n) + n) % n];
  let hash = 0;
  for (const ch of String(cell.qText)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return SERIES[hash % n];
}

const hcError = (hc) => hc.qError || [...hc.qDimensionInfo, ...hc.qMeasureInfo].find((i) => i.qError);

/**
 * chartCard creates the session object, the chart on its first layout and
 * keeps both in step. describe(layout) returns the text alternative.
 */
async function chartCard(card, app, props, settingsFor, describe, onChart) {
  const el = card.querySelector('.chart');
  let obj;
  try {
    obj = await app.createSessionObject(props);
  } catch (err) {
    showError(card, err);
    return;
  }
  let chart = null;
  let lastHc = null;
  const render = (layout) => {
    const hc = layout.qHyperCube;
    if (hcError(hc)) {
      showError(card, { message: 'This chart cannot be computed from the app', code: (hc.qError || hcError(hc).qError).qErrorCode });
      return;
    }
    clearError(card);
    const rows = hc.qDataPages[0] ? hc.qDataPages[0].qMatrix.length : 0;
    card.classList.toggle('is-empty', rows === 0);
    lastHc = hc;
    const settings = settingsFor(hc, el.clientWidth);
    if (!chart) {
      chart = picasso.chart({ element: el, data: qData(layout), settings });
      if (onChart) onChart(chart, obj);
    } else chart.update({ data: qData(layout), settings });
    el.setAttribute('aria-label', describe(hc));
    card.dataset.rows = String(rows);
  };
  await live(obj, (o) => o.getLayout(), render, { onError: (err) => showError(card, err) }).first;
  // picasso sizes itself from its element when it renders: follow the
  // card's width (window resize, phone rotation) without new data.
  let w = el.clientWidth;
  new ResizeObserver(() => {
    if (chart && el.clientWidth !== w) {
      w = el.clientWidth;
      chart.update({ settings: settingsFor(lastHc, w) });
    }
  }).observe(el);
}

/**
 * barChart: Sum(Sales) per Region, largest first. A click on a bar selects
 * its region (SelectHyperCubeValues, toggling).
 */
export function barChart(card, app) {
  const props = {
    qInfo: { qType: 'barchart' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)', qLabel: 'Sales' }, qSortBy: { qSortByNumeric: -1 } }],
      qInterColumnSortOrder: [1, 0],
      qSuppressZero: true,
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 100 }],
    },
  };
  const settings = {
    style: STYLE,
    scales: {
      x: { data: { extract: { field: 'qDimensionInfo/0' } }, padding: 0.28 },
      y: { data: { field: 'qMeasureInfo/0' }, invert: true, include: [0], ticks: { distance: 60, tight: true } },
    },
    components: [
      { type: 'grid-line', y: { scale: 'y' } },
      { type: 'axis', dock: 'left', scale: 'y', formatter: AXIS_NUM },
      { type: 'axis', dock: 'bottom', scale: 'x' },
      {
        key: 'bars',
        type: 'box',
        data: { extract: { field: 'qDimensionInfo/0', props: { start: 0, end: { field: 'qMeasureInfo/0' } } } },
        settings: {
          major: { scale: 'x' },
          minor: { scale: 'y' },
          box: { fill: ACCENT, stroke: ACCENT, strokeWidth: 0, maxWidthPx: 90 },
        },
      },
      {
        type: 'labels',
        settings: {
          sources: [
            {
              component: 'bars',
              selector: 'rect',
              strategy: {
                type: 'bar',
                settings: {
                  direction: 'up',
                  // Never rotated: on narrow bars a sideways number is hard to read.
                  orientation: 'horizontal',
                  fontFamily: STYLE['$font-family'],
                  fontSize: 12,
                  labels: [
                    {
                      placements: [
                        { position: 'outside', fill: '#1d2430', overflow: true },
                        { position: 'inside', fill: '#fff', overflow: true },
                      ],
                      label: ({ data }) => fmtCompact(data.end.value),
                    },
                  ],
                },
              },
            },
          ],
        },
      },
    ],
  };
  const describe = (hc) => {
    const m = hc.qDataPages[0] ? hc.qDataPages[0].qMatrix : [];
    if (!m.length) return 'Sales by region: no data for these selections';
    return `Sales by region, largest first: ${m.map((r) => `${r[0].qText} ${fmtInt(r[1].qNum)}`).join('; ')}`;
  };
  const label = settings.components[4].settings.sources[0].strategy.settings;
  const settingsFor = (hc, width) => {
    // Headroom above the tallest bar for its value label.
    const max = hc.qMeasureInfo[0] && hc.qMeasureInfo[0].qMax;
    settings.scales.y.max = isNum(max) && max > 0 ? max * 1.12 : undefined;
    // A value label is cut to its bar's width: on a phone the bars get
    // wider (less gap) and the labels a size smaller, so "5.99M" fits.
    const narrow = width < NARROW;
    settings.scales.x.padding = narrow ? 0.12 : 0.28;
    label.fontSize = narrow ? 11 : 12;
    return settings;
  };
  return chartCard(card, app, props, settingsFor, describe, (chart, obj) => {
    const el = card.querySelector('.chart');
    el.addEventListener('click', (e) => {
      const box = el.getBoundingClientRect();
      const shapes = chart.shapesAt({ x: e.clientX - box.left, y: e.clientY - box.top }, { components: [{ key: 'bars' }] });
      const hit = shapes.find((s) => s.data && isNum(s.data.value));
      if (!hit) return;
      // After a filter pane's selection mode has ended (dash-listbox.js).
      selectionModeEnded()
        .then(() => obj.selectHyperCubeValues('/qHyperCubeDef', 0, [hit.data.value], true))
        .catch((err) => showError(card, err));
    });
    el.addEventListener('mousemove', (e) => {
      const box = el.getBoundingClientRect();
      const over = chart.shapesAt({ x: e.clientX - box.left, y: e.clientY - box.top }, { components: [{ key: 'bars' }] }).length > 0;
      el.classList.toggle('is-pointing', over);
    });
  });
}

/** lineChart: Sum(Sales) per Month, one line per Year. */
export function lineChart(card, app) {
  const props = {
    qInfo: { qType: 'linechart' },
    qHyperCubeDef: {
      qDimensions: [
        { qDef: { qFieldDefs: ['Year'], qSortCriterias: [{ qSortByNumeric: 1 }] } },
        { qDef: { qFieldDefs: ['Month'], qSortCriterias: [{ qSortByNumeric: 1 }] } },
      ],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)', qLabel: 'Sales' } }],
      // Month first: picasso's band scale takes its categories in row
      // order, and a year without some months must not reorder them.
      qInterColumnSortOrder: [1, 0, 2],
      qSuppressZero: true,
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 1000 }],
    },
  };
  const settings = {
    style: STYLE,
    scales: {
      m: { data: { extract: { field: 'qDimensionInfo/1' } }, padding: 0 },
      y: { data: { field: 'qMeasureInfo/0' }, invert: true, include: [0], ticks: { distance: 50, tight: true } },
      c: { data: { extract: { field: 'qDimensionInfo/0' } }, type: 'color', range: SERIES, explicit: { domain: [], range: [], override: true } },
    },
    components: [
      { type: 'grid-line', y: { scale: 'y' } },
      { type: 'axis', dock: 'left', scale: 'y', formatter: AXIS_NUM },
      // Twelve month names do not fit side by side on a phone: two rows
      // (layered) there, and never hidden (picasso hides an axis whose
      // labels overlap unless it may drop some).
      { type: 'axis', dock: 'bottom', scale: 'm', settings: { labels: { mode: 'horizontal', filterOverlapping: true } } },
      { type: 'legend-cat', dock: 'top', scale: 'c', settings: { title: { show: false }, layout: { size: 1 } } },
      {
        key: 'lines',
        type: 'line',
        data: {
          extract: {
            field: 'qDimensionInfo/1',
            props: { v: { field: 'qMeasureInfo/0' }, series: { field: 'qDimensionInfo/0' } },
          },
        },
        settings: {
          coordinates: { major: { scale: 'm' }, minor: { scale: 'y', ref: 'v' }, layerId: { ref: 'series' } },
          // A month without sales in one year is skipped, not a break in its line.
          connect: true,
          layers: { curve: 'monotone', line: { stroke: { scale: 'c', ref: 'series' }, strokeWidth: 2.5 } },
        },
      },
      {
        key: 'points',
        type: 'point',
        data: {
          extract: {
            field: 'qDimensionInfo/1',
            props: { v: { field: 'qMeasureInfo/0' }, series: { field: 'qDimensionInfo/0' } },
          },
        },
        settings: {
          x: { scale: 'm' },
          y: { scale: 'y', ref: 'v' },
          fill: { scale: 'c', ref: 'series' },
          stroke: '#fff',
          strokeWidth: 1.5,
          size: 0.5,
          sizeLimits: { maxPx: 9, minPx: 7, maxRelExtent: 1, minRelExtent: 0 },
        },
      },
    ],
  };
  const describe = (hc) => {
    const m = hc.qDataPages[0] ? hc.qDataPages[0].qMatrix : [];
    if (!m.length) return 'Monthly sales by year: no data for these selections';
    const byYear = new Map();
    for (const r of m) byYear.set(r[0].qText, (byYear.get(r[0].qText) || 0) + r[2].qNum);
    return `Monthly sales by year, one line per year. Yearly totals: ${[...byYear].map(([y, v]) => `${y} ${fmtInt(v)}`).join('; ')}`;
  };
  const monthAxis = settings.components[2].settings.labels;
  const settingsFor = (hc, width) => {
    const max = hc.qMeasureInfo[0] && hc.qMeasureInfo[0].qMax;
    settings.scales.y.max = isNum(max) && max > 0 ? max * 1.08 : undefined;
    monthAxis.mode = width < NARROW ? 'layered' : 'horizontal';
    // Colours bound to the years' values (see colourOf), by element number
    // as picasso-plugin-q keys them.
    const seen = new Map();
    for (const row of hc.qDataPages[0] ? hc.qDataPages[0].qMatrix : []) seen.set(row[0].qElemNumber, colourOf(row[0]));
    settings.scales.c.explicit = { domain: [...seen.keys()], range: [...seen.values()], override: true };
    return settings;
  };
  return chartCard(card, app, props, settingsFor, describe);
}
