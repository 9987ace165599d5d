// Smoke test of the plumbing: the dev server serves pages, the precompressed
// wasm with the right headers, and the emulator's WebSocket endpoint.
import { existsSync } from 'node:fs';
import { test, expect, firstMessage } from './fixtures.js';

test('dev server serves pages', async ({ page }) => {
  let res = await page.goto('/_dev/blank.html');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('text/html; charset=utf-8');

  test.skip(!existsSync(new URL('../web/index.html', import.meta.url)), 'web/index.html (the dashboard) does not exist yet');
  res = await page.goto('/');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('text/html');
});

test('qix.wasm is served brotli-compressed as application/wasm', async ({ blankPage, request }) => {
  // What the browser itself gets and can compile.
  const seen = await blankPage.evaluate(async () => {
    const res = await fetch('/qix.wasm', { cache: 'no-store' });
    const headers = {
      status: res.status,
      type: res.headers.get('content-type'),
      encoding: res.headers.get('content-encoding'),
      vary: res.headers.get('vary'),
    };
    const mod = await WebAssembly.compileStreaming(res);
    return { ...headers, imports: WebAssembly.Module.imports(mod).length };
  });
  expect(seen.status).toBe(200);
  expect(seen.type).toBe('application/wasm');
  expect(seen.encoding).toBe('br'); // Chromium offers br to loopback origins
  expect(seen.vary).toContain('Accept-Encoding');
  expect(seen.imports).toBeGreaterThan(0);

  // Asked for brotli explicitly, the server answers with the .br file.
  const br = await request.get('/qix.wasm', { headers: { 'Accept-Encoding': 'br' } });
  expect(br.status()).toBe(200);
  expect(br.headers()['content-type']).toBe('application/wasm');
  expect(br.headers()['content-encoding']).toBe('br');

  const gz = await request.get('/qix.wasm', { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gz.headers()['content-encoding']).toBe('gzip');
});

test('a WebSocket to /app/Demo receives OnConnected', async ({ blankPage, wsURL }) => {
  const msg = await firstMessage(blankPage, wsURL('/app/Demo'));
  expect(msg).toMatchObject({ jsonrpc: '2.0', method: 'OnConnected' });
});
