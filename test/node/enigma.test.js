// End-to-end check of the QIX emulator with the real enigma.js 2.15 client:
// `go run ./cmd/qix-emulator` on a random loopback port, then a scripted
// session (session app, script, reload, hypercube, selections with change
// events, delta protocol, TTL reattach) whose results must have the shapes
// real engines send.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
const enigma = require('enigma.js');
const schema = require('enigma.js/schemas/12.2027.0.json');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let proc;
let port;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

before(async () => {
  port = await freePort();
  proc = spawn('go', ['run', './cmd/qix-emulator', '-addr', `127.0.0.1:${port}`, '-max-session-ttl', '60'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // own process group: go run does not forward signals
  });
  await new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`emulator did not start:\n${log}`)), 120000);
    proc.stderr.on('data', (d) => {
      log += d;
      if (log.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}:\n${log}`));
    });
  });
});

after(async () => {
  if (proc && proc.exitCode === null) {
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    process.kill(-proc.pid, 'SIGINT'); // the whole group: go run and the emulator
    const timer = setTimeout(() => process.kill(-proc.pid, 'SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
});

// connectedState resolves with the qSessionState of the OnConnected
// notification (enigma does not wait for it before open() resolves).
function connectedState(session) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no OnConnected')), 5000);
    session.on('notification:OnConnected', (p) => {
      clearTimeout(timer);
      resolve(p.qSessionState);
    });
  });
}

function open(urlPath) {
  const session = enigma.create({
    schema,
    url: `ws://127.0.0.1:${port}${urlPath}`,
    createSocket: (url) => new WebSocket(url),
  });
  return session;
}

const script = 'T:\nLOAD * INLINE [\nDim, Val\na, 1\nb, 2\nc, 3\n];\n';

const cubeProps = {
  qInfo: { qType: 'my-straight-hypercube' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Dim'] } }],
    qMeasures: [{ qDef: { qDef: '=Sum(Val)' } }],
    qInitialDataFetch: [{ qWidth: 2, qHeight: 5 }],
  },
};

function assertCell(cell) {
  assert.equal(typeof cell.qText, 'string');
  assert.ok(typeof cell.qNum === 'number' || cell.qNum === 'NaN');
  assert.equal(typeof cell.qElemNumber, 'number');
  assert.match(cell.qState, /^[LSOAXDE]$/);
}

test('enigma.js scripted session against the emulator', async () => {
  const id = `SessionApp_node${Date.now()}`;
  const urlPath = `/app/${id}/ttl/30`;
  const session = open(urlPath);
  const state = connectedState(session);
  const global = await session.open();
  assert.equal(await state, 'SESSION_CREATED');

  const version = await global.engineVersion();
  assert.equal(version.qComponentVersion, '12.2027.0');

  const app = await global.getActiveDoc();
  assert.equal(app.handle, 1);
  assert.equal(app.type, 'Doc');
  await app.setScript(script);
  assert.equal(await app.doReload(), true);

  const obj = await app.createSessionObject(cubeProps);
  assert.equal(obj.type, 'GenericObject');
  assert.equal(obj.genericType, 'my-straight-hypercube');
  assert.equal(typeof obj.id, 'string');

  const layout = await obj.getLayout(); // delta protocol (enigma's default)
  assert.equal(layout.qInfo.qType, 'my-straight-hypercube');
  const hc = layout.qHyperCube;
  assert.deepEqual(hc.qSize, { qcx: 2, qcy: 3 });
  assert.equal(hc.qDimensionInfo[0].qFallbackTitle, 'Dim');
  assert.equal(hc.qMeasureInfo.length, 1);
  assert.equal(hc.qDataPages[0].qMatrix.length, 3);
  hc.qDataPages[0].qMatrix.flat().forEach(assertCell);
  assert.deepEqual(hc.qDataPages[0].qMatrix.map((r) => r[0].qText), ['a', 'b', 'c']);

  // Same layout again through delta ([] patches) is equal.
  assert.deepEqual(await obj.getLayout(), layout);

  // Selections: the object gets a change event and a new layout.
  let changed = 0;
  obj.on('changed', () => { changed += 1; });
  const field = await app.getField('Dim');
  assert.equal(await field.selectValues([{ qText: 'b' }], false, false), true);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(changed >= 1, 'no change event after a selection');
  const after = await obj.getLayout();
  assert.equal(after.qHyperCube.qSize.qcy, 1);
  assert.equal(after.qHyperCube.qDataPages[0].qMatrix[0][0].qText, 'b');
  assert.equal(after.qHyperCube.qDataPages[0].qMatrix[0][0].qState, 'S');

  const appLayout = await app.getAppLayout();
  assert.equal(typeof appLayout.qTitle, 'string');

  // Errors come back as enigma errors with the engine's codes.
  await assert.rejects(app.doSave(''), (err) => err.code === 9009);
  await assert.rejects(global.openDoc('Sales'), (err) => err.code === 1002);

  await session.close();

  // TTL reattach: a new socket on the same URL finds the session.
  const again = open(urlPath);
  const state2 = connectedState(again);
  const global2 = await again.open();
  assert.equal(await state2, 'SESSION_ATTACHED');
  const app2 = await global2.getActiveDoc();
  assert.equal(app2.handle, 1);
  const obj2 = await app2.getObject(obj.id);
  const kept = await obj2.getLayout();
  assert.equal(kept.qHyperCube.qSize.qcy, 1, 'selection lost across reattach');
  await again.close();
});

test('enigma.js: unknown app and GetActiveDoc without a doc', async () => {
  const session = open('/app/engineData/identity/node-errors');
  const global = await session.open();
  await assert.rejects(global.getActiveDoc(), (err) => err.code === 1007);
  await assert.rejects(global.openDoc('NoSuchApp'), (err) => err.code === 1003);
  const app = await global.openDoc('Demo');
  assert.equal(app.handle, 1);
  await session.close();
});

test('enigma.js suspend/resume reattaches within the TTL', async () => {
  const session = open(`/app/SessionApp_resume${Date.now()}/ttl/30`);
  const global = await session.open();
  const app = await global.getActiveDoc();
  await app.setScript(script);
  await app.doReload();
  const obj = await app.createSessionObject(cubeProps);
  const field = await app.getField('Dim');
  await field.selectValues([{ qText: 'c' }], false, false);
  const before = await obj.getLayout();
  assert.equal(before.qHyperCube.qSize.qcy, 1);

  await session.suspend();
  await session.resume(true); // rejects unless SESSION_ATTACHED
  // enigma re-fetched the handles with GetActiveDoc/GetObject.
  const resumed = await obj.getLayout();
  assert.equal(resumed.qHyperCube.qSize.qcy, 1);
  assert.equal(resumed.qHyperCube.qDataPages[0].qMatrix[0][0].qText, 'c');
  await session.close();
});

test('enigma.js resume(true) fails once the session is gone (TTL 0)', async () => {
  const session = open(`/app/SessionApp_gone${Date.now()}`);
  const global = await session.open();
  await global.getActiveDoc();
  await session.suspend();
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(session.resume(true));
  await session.close().catch(() => {});
});
