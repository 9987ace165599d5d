// The README's examples, run as written in Chromium against the dev server
// (what `./build.sh serve` serves). A fenced block whose info string carries
// readme-test=NAME (```js readme-test=usage) belongs to example NAME: its js
// blocks are the module a page runs, its html blocks the page's body (their
// <script src> points at the js). Each test checks what its example produces.
import { readFileSync } from 'node:fs';
import { test, expect, BLANK_PATH } from './fixtures.js';
import * as sales from './sales-data.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const FENCE = /^```([\w-]*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** readmeBlocks returns every fenced block of md: { lang, name (readme-test=NAME or ''), code }. */
function readmeBlocks(md) {
  return [...md.matchAll(FENCE)].map(([, lang, info, code]) => ({ lang, name: /\breadme-test=([\w-]+)/.exec(info)?.[1] || '', code }));
}

const BLOCKS = readmeBlocks(README);
const example = (name, lang) => {
  const found = BLOCKS.filter((b) => b.name === name && b.lang === lang).map((b) => b.code);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} \`\`\`${lang} readme-test=${name} blocks, want 1`);
  return found[0];
};

/**
 * runExample loads a same-origin page of the dev server, puts the
 * example's html (if any) in its body and runs its js as a module script,
 * served at scriptPath as the README's html names it (search: the page's
 * query string; importMap: bare names to URLs). Console lines the
 * example logs are collected into the returned array.
 */
async function runExample(page, name, { scriptPath = `/__readme/${name}.js`, html, search = '', importMap } = {}) {
  const logs = [];
  page.on('console', (m) => m.type() === 'log' && logs.push(m.text()));
  // Bare specifiers are mapped by rewriting the example's imports: the dev
  // server's CSP header (script-src 'self') refuses an inline import map.
  let body = example(name, 'js');
  for (const [spec, url] of Object.entries(importMap?.imports || {})) body = body.replaceAll(`from '${spec}'`, `from '${url}'`);
  await page.route(`**${scriptPath}`, (route) => route.fulfill({ contentType: 'text/javascript', body }));
  const res = await page.goto(BLANK_PATH + search);
  expect(res.ok()).toBe(true);
  await page.evaluate(
    ({ html, scriptPath }) => {
      document.body.innerHTML = html ?? `<script type="module" src="${scriptPath}"></script>`;
      // Scripts set through innerHTML do not run: put fresh copies in their place.
      for (const old of document.body.querySelectorAll('script')) {
        const s = document.createElement('script');
        for (const a of old.attributes) s.setAttribute(a.name, a.value);
        s.async = false; // in document order, as parsed scripts would run
        old.replaceWith(s);
      }
    },
    { html, scriptPath },
  );
  return logs;
}

test('every js example in README.md is marked readme-test=NAME, so these tests run it', () => {
  const unmarked = BLOCKS.filter((b) => b.lang === 'js' && !b.name).map((b) => b.code.split('\n')[0]);
  expect(unmarked, 'README js blocks without readme-test=NAME (first lines)').toEqual([]);
  expect([...new Set(BLOCKS.map((b) => b.name).filter(Boolean))].sort()).toEqual(['buildurl', 'embed', 'nebula', 'npm', 'usage']);
});

test('README Usage: logs every region with its sales, then North alone after the selection', async ({ page, pageErrors }) => {
  const logs = await runExample(page, 'usage');
  const rows = sales.orders();
  const line = (pairs) => pairs.map(([region, v]) => `${region}: ${v}`);
  // "North: 5861212 | South: …" → [[region, number], ...] in the engine's order.
  const parse = (l) => l.split(' | ').map((p) => p.split(': ')).map(([r, v]) => [r, Math.round(Number(v.replace(/[^\d.-]/g, '')))]);
  const all = sales.sumBy(rows, 'Region').map(([r, v]) => [r, Math.round(v)]);
  const north = all.filter(([r]) => r === 'North');
  // Page errors, if any, show as the received value.
  await expect.poll(() => (pageErrors.length ? pageErrors : logs.length >= 2)).toBe(true);
  expect(line(parse(logs[0])).sort()).toEqual(line(all).sort());
  await expect.poll(() => logs.slice(1).map((l) => line(parse(l)))).toContainEqual(line(north));
  expect(logs.filter((l) => l.startsWith('closed'))).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('README Usage: buildURL prints the URLs its "// →" comments say', async ({ page, pageErrors }) => {
  const want = [...example('buildurl', 'js').matchAll(/^\/\/ → (.+)$/gm)].map((m) => m[1]);
  expect(want.length).toBeGreaterThan(0);
  const logs = await runExample(page, 'buildurl');
  await expect.poll(() => logs).toEqual(want);
  expect(pageErrors).toEqual([]);
});

test('README Embedding a chart: the host page and module draw one bar per category', async ({ page, pageErrors }) => {
  const html = example('embed', 'html');
  const scriptPath = /<script type="module" src="([^"]+)"/.exec(html)?.[1];
  expect(scriptPath, 'the html block loads the js block with <script type="module" src>').toBeTruthy();
  await runExample(page, 'embed', { html, scriptPath });
  const want = sales.sumBy(sales.orders(), 'Category').map(([c]) => c);
  await expect(page.locator('#chart svg rect')).toHaveCount(want.length);
  await expect.poll(() => page.locator('#chart svg text').allTextContents()).toEqual(expect.arrayContaining(want));
  expect(pageErrors).toEqual([]);
});

test('README Ship it in your app: the npm example, with qix-wasm mapped to the dev server\'s /qix.js, shows the total', async ({ page, wsURL, pageErrors }) => {
  // The package's qix.js is jsbridge/qix.js, which the dev server serves at /qix.js (bundled with its imports).
  await runExample(page, 'npm', { search: `?engine=${encodeURIComponent(wsURL('/app/Sales'))}`, importMap: { imports: { 'qix-wasm': '/qix.js' } } });
  const total = Math.round(sales.kpis(sales.orders()).sales);
  await expect(page.locator('body')).toContainText(/Total sales: \S+/);
  const shown = (await page.locator('body').innerText()).match(/Total sales: (\S+)/)[1];
  expect(Math.round(Number(shown.replace(/[^\d.-]/g, '')))).toBe(total);
  expect(pageErrors).toEqual([]);
});

test('README nebula.js: stardust renders Qlik\'s bar chart on a qix-wasm Doc, one bar per region', async ({ page, pageErrors }) => {
  test.setTimeout(60_000);
  await runExample(page, 'nebula', { html: example('nebula', 'html'), scriptPath: '/my-chart.js' });
  const labels = page.locator('#chart svg[data-key="bar-axis"] text');
  await expect.poll(async () => (await labels.allTextContents()).sort(), { timeout: 30_000 }).toEqual(
    sales.sumBy(sales.orders(), 'Region').map(([r]) => r).sort(),
  );
  expect(pageErrors).toEqual([]);
});
