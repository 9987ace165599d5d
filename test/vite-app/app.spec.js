// The packed qix-wasm package in a Vite app (test/vite-app): its production
// build, served by `vite preview`, connects to the dev server's emulator
// (QIX_URL) and shows the engine version and the Sales app's total, in
// worker and main-thread mode; and the same installed package works
// unbundled from a plain <script type="module"> with an import map.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import * as sales from '../../playwright/sales-data.js';
import { CSP } from './csp.js';

const QIX_URL = process.env.QIX_URL;
const PKG = new URL('./node_modules/qix-wasm/', import.meta.url).pathname;
const TOTAL = String(Math.round(sales.kpis(sales.orders()).sales));

/** watch records console errors, page errors and failed requests, and every response. */
function watch(page) {
  const problems = [];
  const responses = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  // A blocked load or connection shows as a console error too; this names the directive.
  page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP ${e.effectiveDirective} ${e.blockedURI}`)));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    responses.push(r);
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console.error: ${m.text()}`)));
  return { problems, responses };
}

test.beforeAll(() => {
  if (!QIX_URL) throw new Error('QIX_URL (the engine URL, e.g. ws://127.0.0.1:8080/app/Sales) is not set');
});

for (const [mode, query, label] of [
  ['worker', '', 'worker'],
  ['main-thread', '&worker=0', 'main thread'],
]) {
  test(`the Vite build of the packed package shows the engine version and the Sales total (${mode} mode)`, async ({ page }) => {
    const { problems, responses } = watch(page);
    const workers = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    await page.goto(`/?url=${encodeURIComponent(QIX_URL)}${query}`);
    await expect(page.locator('#total')).toHaveText(TOTAL);
    await expect(page.locator('#version')).toHaveText('12.2027.0');
    await expect(page.locator('#mode')).toHaveText(label);
    await expect(page.locator('#error')).toBeHidden();

    // Vite emitted the package's files as hashed assets and the app loaded them.
    const wasm = responses.find((r) => /\/assets\/qix-[\w-]+\.wasm$/.test(new URL(r.url()).pathname));
    expect(wasm, 'the wasm is fetched from a Vite asset').toBeTruthy();
    expect(wasm.headers()['content-type']).toBe('application/wasm');
    // Everything ran under the README's policy, sent as a header with each response.
    const doc = responses.find((r) => new URL(r.url()).pathname === '/');
    expect(doc.headers()['content-security-policy']).toBe(CSP);
    if (mode === 'worker') {
      expect(workers).toEqual([expect.stringMatching(/^\/assets\/qix-worker-[\w-]+\.js$/)]);
      const script = responses.find((r) => new URL(r.url()).pathname === workers[0]);
      expect(script.headers()['content-security-policy']).toBe(CSP);
    } else {
      expect(workers).toEqual([]);
      expect(responses.some((r) => /\/assets\/wasm_exec-[\w-]+\.js$/.test(new URL(r.url()).pathname))).toBe(true);
    }
    expect(problems).toEqual([]);
  });
}

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const plainPage = (entry) => `<!doctype html><meta charset="utf-8"><title>plain</title><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "qix-wasm": "/qix-wasm/${entry}" } }</script>
<p id="total">…</p>
<script type="module">
import { create } from 'qix-wasm';
const url = new URLSearchParams(location.search).get('url');
const app = await (await create({ url }).open()).openDoc('Sales');
const total = await app.evaluateEx('Sum(Sales)'); // a FieldValue: qText, qNumber, qIsNumeric
document.getElementById('total').textContent = String(Math.round(total.qNumber));
</script>`;

// qix.js is the package's module as written (a graph of modules);
// qix.bundle.js is the same as one file that starts qix-worker.bundle.js
// (the worker and wasm_exec.js as one file).
for (const [entry, files] of [
  ['qix.js', null],
  ['qix.bundle.js', ['/qix-wasm/qix.bundle.js', '/qix-wasm/qix-worker.bundle.js', '/qix-wasm/qix.wasm']],
]) {
  test(`the installed package works without a bundler from a plain <script type="module"> (import map to ${entry}, files as installed)`, async ({ page }) => {
    // A static server of the package folder npm installed, as any host would serve it.
    const fetched = [];
    const server = http.createServer(async (req, res) => {
      const { pathname } = new URL(req.url, 'http://x');
      if (pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(plainPage(entry));
        return;
      }
      fetched.push(pathname);
      const file = path.join(PKG, path.normalize(pathname.replace(/^\/qix-wasm\//, '/')));
      if (!pathname.startsWith('/qix-wasm/') || !file.startsWith(PKG)) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { problems } = watch(page);
      await page.goto(`http://127.0.0.1:${server.address().port}/?url=${encodeURIComponent(QIX_URL)}`);
      await expect(page.locator('#total')).toHaveText(TOTAL);
      expect(problems).toEqual([]);
      if (files) expect(fetched.filter((p) => !p.endsWith('.map')).sort()).toEqual([...files].sort());
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
}
