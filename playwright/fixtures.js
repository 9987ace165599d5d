// Shared Playwright fixtures for qix-wasm browser tests.
//
//   import { test, expect } from './fixtures.js';
//   test('x', async ({ blankPage, wsURL, faults, pageErrors }) => { ... });
//
// blankPage   a page on an empty same-origin document of the dev server (no
//             app code runs), for fetch/WebSocket/import() checks.
// wsURL(p)    ws://127.0.0.1:PORT + p (default /app/engineData).
// faults      the emulator's fault admin (/_emulator/faults): add(spec|specs)
//             returns ids, list(), remove(id); faults a test added are
//             removed after it, so parallel workers do not clear each
//             other's. Faults are server-wide: scope them with `match`.
// pageErrors  uncaught page errors and console.error messages of `page`,
//             collected while the test runs; expect(pageErrors).toEqual([]).
import { test as base, expect } from '@playwright/test';

export { expect };

export const BLANK_PATH = '/_dev/blank.html';

export const test = base.extend({
  blankPage: async ({ page }, use) => {
    // Served by the dev server itself: a page fulfilled by page.route() has
    // no loopback address, and Chromium's local network access checks then
    // refuse its WebSockets to 127.0.0.1.
    const res = await page.goto(BLANK_PATH);
    if (!res?.ok()) throw new Error(`${BLANK_PATH}: ${res?.status()}`);
    await use(page);
  },

  wsURL: async ({ baseURL }, use) => {
    await use((path = '/app/engineData') => baseURL.replace(/^http/, 'ws').replace(/\/+$/, '') + path);
  },

  faults: async ({ request }, use) => {
    const added = [];
    const admin = {
      async add(spec) {
        const res = await request.post('/_emulator/faults', { data: spec });
        if (!res.ok()) throw new Error(`add fault: ${res.status()} ${await res.text()}`);
        const { ids } = await res.json();
        added.push(...ids);
        return ids;
      },
      async list() {
        const res = await request.get('/_emulator/faults');
        if (!res.ok()) throw new Error(`list faults: ${res.status()} ${await res.text()}`);
        return res.json();
      },
      async remove(id) {
        const res = await request.delete(`/_emulator/faults?id=${encodeURIComponent(id)}`);
        if (!res.ok() && res.status() !== 404) throw new Error(`remove fault: ${res.status()}`);
      },
    };
    await use(admin);
    for (const id of added) await admin.remove(id);
  },

  pageErrors: async ({ page }, use) => {
    const errors = [];
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
    });
    await use(errors);
  },
});

/**
 * Opens a WebSocket in the page and resolves with the first message (parsed
 * JSON), closing the socket afterwards. Rejects on close/error/timeout.
 */
export async function firstMessage(page, url, timeoutMs = 10_000) {
  return page.evaluate(
    ({ url, timeoutMs }) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const timer = setTimeout(() => {
          ws.close();
          reject(new Error(`no message from ${url} within ${timeoutMs} ms`));
        }, timeoutMs);
        ws.onmessage = (e) => {
          clearTimeout(timer);
          ws.onclose = null;
          ws.close(1000);
          try {
            resolve(JSON.parse(e.data));
          } catch {
            resolve(e.data);
          }
        };
        ws.onclose = (e) => {
          clearTimeout(timer);
          reject(new Error(`closed before any message: ${e.code} ${e.reason}`));
        };
      }),
    { url, timeoutMs },
  );
}
