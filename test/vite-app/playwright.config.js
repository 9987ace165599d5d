// Playwright configuration of the Vite app test (./build.sh test's vite
// stage): `vite preview` serves the app's production build (dist/) on a free
// port, and app.spec.js loads it in Debian's chromium. QIX_URL is the engine
// URL the app connects to (the stage starts the dev server's emulator).
import net from 'node:net';
import { defineConfig } from '@playwright/test';
import { launchOptions } from '../../playwright.config.js';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Evaluated again in each worker: pick the port once and pass it down.
if (!process.env.VITE_APP_PORT) process.env.VITE_APP_PORT = String(await freePort());
const port = process.env.VITE_APP_PORT;
const dir = new URL('.', import.meta.url).pathname;

export default defineConfig({
  testDir: '.',
  testMatch: 'app.spec.js',
  outputDir: '../../test-results/vite-app',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  webServer: {
    command: `exec node_modules/.bin/vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    cwd: dir,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: { baseURL: `http://127.0.0.1:${port}`, browserName: 'chromium', headless: true, launchOptions, trace: 'off', video: 'off' },
  projects: [{ name: 'chromium' }],
});
