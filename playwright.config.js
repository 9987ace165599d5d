// Playwright configuration: @playwright/test driving Debian's /usr/bin/chromium
// (never a downloaded browser) against the dev server.
//
// ./build.sh test starts build/bin/devserver on a free loopback port and
// passes BASE_URL. Run by hand (`npx playwright test`) without BASE_URL, the
// webServer below starts the built dev server on a free port itself,
// building first when build/ is missing.
import net from 'node:net';
import { defineConfig } from '@playwright/test';

/** Chromium flags shared by the tests and playwright/bench/run.js. */
export const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

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

let baseURL = process.env.BASE_URL?.replace(/\/+$/, '');
let webServer;
if (!baseURL) {
  // The config is evaluated again in every worker: pick the port once, in
  // the runner, and hand it down through the environment.
  if (!process.env.QIX_PW_PORT) process.env.QIX_PW_PORT = String(await freePort());
  const port = process.env.QIX_PW_PORT;
  baseURL = `http://127.0.0.1:${port}`;
  webServer = {
    command:
      '{ [ -x build/bin/devserver ] && [ -s build/qix.wasm.br ]; } || ./build.sh build >&2; ' +
      `exec build/bin/devserver -addr 127.0.0.1:${port}`,
    url: `${baseURL}/wasm_exec.js`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  };
}

export default defineConfig({
  testDir: 'playwright',
  testIgnore: ['bench/**'],
  outputDir: 'test-results',
  fullyParallel: false,
  workers: Number(process.env.PW_WORKERS || 2),
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  globalTimeout: 40 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  webServer,
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    launchOptions,
    screenshot: 'only-on-failure',
    // Traces are off unless asked for (PW_TRACE=retain-on-failure): they
    // record every large result and slow the bulk tests down.
    trace: process.env.PW_TRACE || 'off',
    video: 'off',
    acceptDownloads: false,
  },
  projects: [{ name: 'chromium' }],
});
