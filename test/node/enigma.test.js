// End-to-end check of the QIX emulator with the real enigma.js 2.15 client:
// `go run ./cmd/qix-emulator` on a random loopback port, then scripted
// sessions (session app, SetScript, DoReload, hypercube object, selections
// with change events, delta protocol, TTL reattach, reload progress) whose
// results must equal what a real engine answers: the expected layouts below
// are written from the real engines' recorded shapes (/work/shared/traffic:
// enigma-go mock-mode session and corectl's hypercube layout), with the
// values of this script computed by hand.
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
  // A short reload pace: the Sales reload below walks through its tables
  // while the test watches GetProgress, without slowing the suite down.
  const args = ['run', './cmd/qix-emulator', '-addr', `127.0.0.1:${port}`, '-max-session-ttl', '60', '-reload-pace', '300ms'];
  proc = spawn('go', args, {
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

// open creates an enigma session that records the raw traffic: `received`
// maps request ids to the engine's answers as sent (delta patches and all).
function open(urlPath) {
  const session = enigma.create({
    schema,
    url: `ws://127.0.0.1:${port}${urlPath}`,
    createSocket: (url) => new WebSocket(url),
  });
  const traffic = { sent: new Map(), received: new Map() };
  session.on('traffic:sent', (msg) => traffic.sent.set(msg.id, structuredClone(msg)));
  session.on('traffic:received', (msg) => {
    if (msg.id !== undefined) traffic.received.set(msg.id, structuredClone(msg));
  });
  session.traffic = traffic;
  return session;
}

// lastExchange returns the last request for method and its raw answer.
function lastExchange(session, method) {
  const reqs = [...session.traffic.sent.values()].filter((m) => m.method === method);
  assert.ok(reqs.length > 0, `no ${method} sent`);
  const req = reqs[reqs.length - 1];
  return { req, res: session.traffic.received.get(req.id) };
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

const zeroCounts = {
  qLocked: 0, qSelected: 0, qOption: 0, qDeselected: 0, qAlternative: 0, qExcluded: 0, qSelectedExcluded: 0, qLockedExcluded: 0,
};

// expectedLayout is the GetLayout a real engine gives for cubeProps over
// `script` when the rows listed are visible: [dim text, elem no, state, value].
function expectedLayout(id, rows, counts) {
  const values = rows.map((r) => r[3]);
  const total = values.reduce((a, b) => a + b, 0);
  return {
    qInfo: { qId: id, qType: 'my-straight-hypercube' },
    qSelectionInfo: {},
    qHyperCube: {
      qSize: { qcx: 2, qcy: rows.length },
      qDimensionInfo: [{
        qFallbackTitle: 'Dim',
        qApprMaxGlyphCount: 1,
        qCardinal: 3,
        qSortIndicator: 'N',
        qGroupFallbackTitles: ['Dim'],
        qGroupPos: 0,
        qStateCounts: { ...zeroCounts, ...counts },
        qTags: ['$ascii', '$text'],
        qDimensionType: 'D',
        qGrouping: 'N',
        qNumFormat: { qType: 'U', qnDec: 0, qUseThou: 0 },
        qIsAutoFormat: true,
        qGroupFieldDefs: ['Dim'],
        qMin: 'NaN',
        qMax: 'NaN',
        qAttrExprInfo: [],
        qAttrDimInfo: [],
        qCardinalities: { qCardinal: 3, qHypercubeCardinal: rows.length, qAllValuesCardinal: -1 },
      }],
      qMeasureInfo: [{
        qFallbackTitle: '=Sum(Val)',
        qApprMaxGlyphCount: 1,
        qCardinal: 0,
        qSortIndicator: 'N',
        qNumFormat: { qType: 'I', qnDec: 0, qUseThou: 1, qFmt: '###0', qDec: '.' },
        qMin: Math.min(...values),
        qMax: Math.max(...values),
        qIsAutoFormat: true,
        qAttrExprInfo: [],
        qAttrDimInfo: [],
        qTrendLines: [],
      }],
      qEffectiveInterColumnSortOrder: [0, 1],
      qGrandTotalRow: [{ qText: String(total), qNum: total, qElemNumber: -1, qState: 'X', qIsTotalCell: true }],
      qDataPages: [{
        qMatrix: rows.map(([text, elem, state, value]) => [
          { qText: text, qNum: 'NaN', qElemNumber: elem, qState: state },
          { qText: String(value), qNum: value, qElemNumber: 0, qState: 'L' },
        ]),
        qTails: [{ qUp: 0, qDown: 0 }],
        qArea: { qLeft: 0, qTop: 0, qWidth: 2, qHeight: rows.length },
      }],
      qPivotDataPages: [],
      qStackedDataPages: [],
      qMode: 'S',
      qNoOfLeftDims: -1,
      qTreeNodesOnDim: [],
      qColumnOrder: [],
    },
  };
}

// assertSameKeyOrder checks that every object in got lists its keys in the
// order of expected (real engines write a fixed order; deepEqual ignores it).
function assertSameKeyOrder(got, expected, where = '') {
  if (Array.isArray(expected)) {
    expected.forEach((e, i) => assertSameKeyOrder(got[i], e, `${where}/${i}`));
  } else if (expected && typeof expected === 'object') {
    assert.deepEqual(Object.keys(got), Object.keys(expected), `key order at ${where || '/'}`);
    Object.keys(expected).forEach((k) => assertSameKeyOrder(got[k], expected[k], `${where}/${k}`));
  }
}

// rootAdd checks that a raw delta answer for key is a whole value (an "add"
// at "/", as real engines send the first time and for primitives) and
// returns that value.
function rootAdd(res, key) {
  assert.equal(res.delta, true, `${key} not sent as delta`);
  const patch = res.result[key];
  assert.equal(patch.length, 1, JSON.stringify(patch));
  assert.deepEqual(Object.keys(patch[0]), ['op', 'path', 'value']);
  assert.equal(patch[0].op, 'add');
  assert.equal(patch[0].path, '/');
  return patch[0].value;
}

function assertEngineError(err, code, parameter, message) {
  assert.equal(err.code, code, err.message);
  assert.equal(err.parameter, parameter);
  assert.equal(err.message, message);
  return true;
}

const allRows = [['a', 0, 'O', 1], ['b', 1, 'O', 2], ['c', 2, 'O', 3]];

test('enigma.js scripted session against the emulator', async () => {
  const id = `SessionApp_node${Date.now()}`;
  const urlPath = `/app/${id}/ttl/30`;
  const session = open(urlPath);
  const state = connectedState(session);
  const global = await session.open();
  assert.equal(await state, 'SESSION_CREATED');

  assert.deepEqual(await global.engineVersion(), { qComponentVersion: '12.2027.0' });

  // The session app of the URL is the active doc at once (handle 1).
  const app = await global.getActiveDoc();
  assert.equal(app.handle, 1);
  assert.equal(app.type, 'Doc');
  assert.equal(app.id, id);

  // Script and reload.
  assert.equal(await app.getScript(), '');
  await app.setScript(script);
  assert.equal(await app.getScript(), script);
  assert.equal(await app.doReload(), true);
  const reloadAnswer = lastExchange(session, 'DoReload').res;
  assert.deepEqual(Object.keys(reloadAnswer.result), ['qReturn']);
  assert.equal(rootAdd(reloadAnswer, 'qReturn'), true);
  assert.equal(reloadAnswer.change, undefined, 'a real engine lists no change for DoReload of a fresh app');
  const progress = await global.getProgress(0);
  assert.equal(typeof progress.qMillisecs, 'number');
  assert.deepEqual({ ...progress, qMillisecs: 0 }, {
    qStarted: true,
    qFinished: true,
    qCompleted: 1,
    qTotal: 1,
    qKB: 0,
    qMillisecs: 0,
    qUserInteractionWanted: false,
    qPersistentProgress: 'T << INLINE 3 Lines fetched\n',
    qTransientProgress: '',
    qErrorData: [],
    qPersistentProgressMessages: [],
    qTransientProgressMessage: { qMessageCode: 0, qMessageParameters: [] },
  });
  assert.equal(await app.evaluate('Sum(Val)'), '6');

  // Hypercube object (session object: no qMeta, like the recorded one).
  const obj = await app.createSessionObject(cubeProps);
  assert.equal(obj.type, 'GenericObject');
  assert.equal(obj.genericType, 'my-straight-hypercube');
  assert.match(obj.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const created = lastExchange(session, 'CreateSessionObject').res;
  assert.deepEqual(created.change, [obj.handle]);
  assert.deepEqual(rootAdd(created, 'qReturn'), {
    qType: 'GenericObject', qHandle: obj.handle, qGenericType: 'my-straight-hypercube', qGenericId: obj.id,
  });

  // Delta protocol (enigma's default): the first layout is an add at "/".
  const layout = await obj.getLayout();
  const expected = expectedLayout(obj.id, allRows, { qOption: 3 });
  assert.deepEqual(layout, expected);
  assertSameKeyOrder(layout, expected);
  let ex = lastExchange(session, 'GetLayout');
  assert.equal(ex.req.delta, true);
  assert.deepEqual(rootAdd(ex.res, 'qLayout'), expected);
  // Unchanged: an empty patch, and the same layout.
  assert.deepEqual(await obj.getLayout(), expected);
  ex = lastExchange(session, 'GetLayout');
  assert.deepEqual(ex.res.result.qLayout, []);
  assert.equal(ex.res.delta, true);

  // Selections: change events before the call settles, then a new layout.
  let objChanged = 0;
  let appChanged = 0;
  obj.on('changed', () => { objChanged += 1; });
  app.on('changed', () => { appChanged += 1; });
  const field = await app.getField('Dim');
  assert.equal(field.type, 'Field');
  assert.equal(await field.selectValues([{ qText: 'b' }], false, false), true);
  assert.equal(objChanged, 1);
  assert.equal(appChanged, 1);
  assert.deepEqual(lastExchange(session, 'SelectValues').res.change, [app.handle, obj.handle, field.handle].sort((x, y) => x - y));
  assert.equal(await field.getCardinal(), 3);
  const selected = await obj.getLayout();
  const expectedSelected = expectedLayout(obj.id, [['b', 1, 'S', 2]], { qSelected: 1, qAlternative: 2 });
  assert.deepEqual(selected, expectedSelected);
  ex = lastExchange(session, 'GetLayout');
  assert.ok(ex.res.result.qLayout.length > 0 && ex.res.result.qLayout.every((op) => op.path !== '/'),
    'after a selection the delta is a list of patches, not the whole layout');
  assert.equal(await app.evaluate('Sum(Val)'), '2');

  // Selecting a cell of the hypercube (the recorded SelectHyperCubeCells).
  await field.clear();
  assert.equal(objChanged, 2);
  assert.deepEqual(await obj.getLayout(), expected);
  assert.equal(await obj.selectHyperCubeCells('/qHyperCubeDef', [0, 2], [0], false, false), true);
  assert.equal(objChanged, 3);
  assert.deepEqual(await obj.getLayout(),
    expectedLayout(obj.id, [['a', 0, 'S', 1], ['c', 2, 'S', 3]], { qSelected: 2, qAlternative: 1 }));
  // ... and back to the single value for the reattach below.
  await app.clearAll(false);
  assert.equal(await field.select('b', false, 0), true);
  assert.deepEqual(await obj.getLayout(), expectedSelected);

  // Errors come back with the engine's codes, parameters and messages.
  await assert.rejects(app.doSave(''), (err) => assertEngineError(err, 9009, '', 'Persistence not supported for session app'));
  await assert.rejects(global.openDoc('Sales'), (err) => assertEngineError(err, 1002, id, 'App already open'));
  await assert.rejects(session.send({ handle: app.handle, method: 'Frobnicate', params: [] }),
    (err) => assertEngineError(err, -32601, 'Frobnicate', 'Method not found'));
  await assert.rejects(session.send({ handle: 99, method: 'GetLayout', params: [] }),
    (err) => assertEngineError(err, -32602, 'Invalid handle', 'Invalid Params'));
  await assert.rejects(app.setScript(42), (err) => assertEngineError(err, 8, 'qScript', 'Invalid parameters'));

  await session.close();

  // TTL reattach: a new socket on the same URL finds the session, its doc
  // (handle 1, no change list) and its selection.
  const again = open(urlPath);
  const state2 = connectedState(again);
  const global2 = await again.open();
  assert.equal(await state2, 'SESSION_ATTACHED');
  const app2 = await global2.getActiveDoc();
  assert.equal(app2.handle, 1);
  assert.equal(app2.id, id);
  assert.equal(lastExchange(again, 'GetActiveDoc').res.change, undefined);
  const obj2 = await app2.getObject(obj.id);
  assert.deepEqual(await obj2.getLayout(), expectedSelected, 'selection lost across reattach');
  assert.equal(await app2.getScript(), script);
  await again.close();
});

test('enigma.js: Global.CreateSessionApp, unknown app and GetActiveDoc without a doc', async () => {
  const session = open('/app/engineData/identity/node-errors');
  const state = connectedState(session);
  const global = await session.open();
  assert.equal(await state, 'SESSION_CREATED');
  await assert.rejects(global.getActiveDoc(), (err) => assertEngineError(err, 1007, 'No active document', 'App invalid'));
  await assert.rejects(global.openDoc('NoSuchApp'), (err) => assertEngineError(err, 1003, 'NoSuchApp', 'App not found'));
  const app = await global.createSessionApp();
  assert.equal(app.handle, 1);
  const res = lastExchange(session, 'CreateSessionApp').res;
  assert.deepEqual(Object.keys(res.result), ['qReturn', 'qSessionAppId']);
  assert.match(rootAdd(res, 'qSessionAppId'), /^SessionApp_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(rootAdd(res, 'qReturn'), { qType: 'Doc', qHandle: 1 });
  assert.deepEqual(res.change, [1]);
  await app.setScript(script);
  assert.equal(await app.doReload(), true);
  assert.equal(await app.evaluate('Count(Dim)'), '3');
  await session.close();
});

test('enigma.js: a Sales reload reports every table through GetProgress', async () => {
  const session = open('/app/Sales/identity/node-progress');
  const global = await session.open();
  const app = await global.openDoc('Sales');
  const reload = app.doReload();
  let persistent = '';
  const completed = [];
  let p;
  do {
    p = await global.getProgress(0); // polls; the reload runs meanwhile
    persistent += p.qPersistentProgress;
    completed.push(p.qCompleted);
    if (p.qStarted && !p.qFinished) {
      assert.equal(p.qTotal, 5);
      if (p.qTransientProgress) assert.match(p.qTransientProgress, /^(Regions|Customers|Products|Calendar|Orders) << AUTOGENERATE\(\d+\) [\d,]+ Lines fetched$/);
    }
  } while (!p.qFinished);
  assert.equal(await reload, true);
  assert.equal(persistent,
    'Regions << AUTOGENERATE(5) 5 Lines fetched\n'
    + 'Customers << AUTOGENERATE(500) 500 Lines fetched\n'
    + 'Products << AUTOGENERATE(60) 60 Lines fetched\n'
    + 'Calendar << AUTOGENERATE(1096) 1,096 Lines fetched\n'
    + 'Orders << AUTOGENERATE(50000) 50,000 Lines fetched\n');
  assert.deepEqual(completed, [...completed].sort((x, y) => x - y), 'qCompleted never goes back');
  assert.equal(completed[completed.length - 1], 5);
  assert.ok(completed.length > 2, 'the reload took long enough to be watched');
  await session.close();
});

test('enigma.js suspend/resume reattaches within the TTL', async () => {
  const session = open(`/app/SessionApp_resume${Date.now()}/ttl/30`);
  const global = await session.open();
  const app = await global.getActiveDoc();
  await app.setScript(script);
  assert.equal(await app.doReload(), true);
  const obj = await app.createSessionObject(cubeProps);
  const field = await app.getField('Dim');
  assert.equal(await field.selectValues([{ qText: 'c' }], false, false), true);
  const expected = expectedLayout(obj.id, [['c', 2, 'S', 3]], { qSelected: 1, qAlternative: 2 });
  assert.deepEqual(await obj.getLayout(), expected);

  await session.suspend();
  await session.resume(true); // rejects unless SESSION_ATTACHED
  // enigma re-fetched the handles with GetActiveDoc/GetObject.
  assert.deepEqual(await obj.getLayout(), expected);
  await session.close();
});

// sessionsOf lists the emulator's live sessions of doc (loopback admin).
async function sessionsOf(doc) {
  const res = await fetch(`http://127.0.0.1:${port}/_emulator/sessions`);
  assert.equal(res.status, 200);
  return (await res.json()).filter((s) => s.doc === doc);
}

test('enigma.js resume(true) fails once the session is gone (TTL 0)', async () => {
  const id = `SessionApp_gone${Date.now()}`;
  const session = open(`/app/${id}`);
  const global = await session.open();
  await global.getActiveDoc();
  assert.deepEqual(await sessionsOf(id), [{ doc: id, sockets: 1, ttl: 0 }]);
  await session.suspend();
  // With TTL 0 the session ends as its last socket closes; wait for the
  // server to see the close, then resume must not attach.
  while ((await sessionsOf(id)).length > 0) await new Promise((r) => setImmediate(r));
  await assert.rejects(session.resume(true));
  await session.close().catch(() => {});
});

test('enigma.js: undo, clone, expression checks, search and table data', async () => {
  const session = open(`/app/SessionApp_more${Date.now()}`);
  const global = await session.open();
  const doc = await global.getActiveDoc();
  await doc.setScript(script);
  assert.equal(await doc.doReload(), true);

  const sheet = await doc.createObject({ qInfo: { qId: 'sheet1', qType: 'sheet' }, title: 'one' });
  await sheet.createChild({ qInfo: { qId: 'kpi1', qType: 'kpi' } });
  await sheet.setProperties({ qInfo: { qId: 'sheet1', qType: 'sheet' }, title: 'two' });
  assert.equal(await doc.undo(), true);
  assert.equal((await sheet.getProperties()).title, 'one');
  assert.equal(await doc.redo(), true);
  assert.equal((await sheet.getProperties()).title, 'two');

  const cloneId = await doc.cloneObject('sheet1');
  const clone = await doc.getObject(cloneId);
  const kids = await clone.getChildInfos();
  assert.equal(kids.length, 1);
  assert.notEqual(kids[0].qId, 'kpi1');

  const check = await doc.checkExpression('=Sum(Vall)');
  assert.deepEqual(check, { qErrorMsg: '', qBadFieldNames: [{ qFrom: 5, qCount: 4 }], qDangerousFieldNames: [] });
  assert.deepEqual(await doc.getFieldsFromExpression('=Sum(Val) & Dim'), ['Val', 'Dim']);

  const res = await doc.searchResults({ qContext: 'Cleared' }, ['b'], { qOffset: 0, qCount: 5, qMaxNbrFieldMatches: 5 });
  assert.equal(res.qTotalNumberOfGroups, 1);
  assert.equal(res.qSearchGroupArray[0].qItems[0].qIdentifier, 'Dim');
  assert.deepEqual(res.qSearchGroupArray[0].qItems[0].qItemMatches[0].qRanges, [{ qCharPos: 0, qCharCount: 1, qTerm: 0 }]);
  await doc.selectAssociations({ qContext: 'Cleared' }, ['b'], 0);
  assert.equal(await doc.evaluate('Sum(Val)'), '2');
  assert.equal(await doc.getSetAnalysis(), "{$<Dim={'b'}>}");

  const rows = await doc.getTableData(0, 10, false, 'T');
  assert.deepEqual(rows.map((r) => r.qValue.map((v) => v.qText)), [['a', '1'], ['b', '2'], ['c', '3']]);
  await session.close();
});

// The Demo app's numbers by hand: per Region, Sum(Sales) North 60, South
// 20, East 34 and Sum(Quantity) 29, 14, 19.
test('enigma.js: attribute expressions, list object expressions and a calculation condition', async () => {
  const session = open('/app/Demo/identity/attrs');
  const global = await session.open();
  const app = await global.openDoc('Demo');
  const chart = await app.createSessionObject({
    qInfo: { qType: 'chart' },
    qHyperCubeDef: {
      qDimensions: [{
        qDef: { qFieldDefs: ['Region'], cId: 'dimRegion' },
        qAttributeExpressions: [{ qExpression: 'Sum(Quantity)', id: 'units' }],
      }],
      qMeasures: [{
        qDef: { qDef: 'Sum(Sales)' },
        qAttributeExpressions: [{ qExpression: "If(Sum(Sales) > 30, 'big')" }],
      }],
      qInitialDataFetch: [{ qWidth: 2, qHeight: 10 }],
    },
  });
  const { qHyperCube: hc } = await chart.getLayout();
  const rows = hc.qDataPages[0].qMatrix.map(([d, m]) => [d.qText, d.qAttrExps.qValues[0].qNum, m.qNum, m.qAttrExps.qValues[0].qText ?? null]);
  assert.deepEqual(rows, [['North', 29, 60, 'big'], ['South', 14, 20, null], ['East', 19, 34, 'big']]);
  assert.equal(hc.qDimensionInfo[0].cId, 'dimRegion');
  assert.deepEqual([hc.qDimensionInfo[0].qAttrExprInfo[0].id, hc.qDimensionInfo[0].qAttrExprInfo[0].qMin, hc.qDimensionInfo[0].qAttrExprInfo[0].qMax], ['units', 14, 29]);
  const [page] = await chart.getHyperCubeData('/qHyperCubeDef', [{ qLeft: 1, qTop: 1, qWidth: 1, qHeight: 1 }]);
  assert.equal(page.qMatrix[0][0].qAttrExps.qValues[0].qNum, 'NaN');

  const list = await app.createSessionObject({
    qInfo: { qType: 'lb' },
    qListObjectDef: { qDef: { qFieldDefs: ['Region'] }, qExpressions: [{ qExpr: 'Sum(Sales)' }], qInitialDataFetch: [{ qWidth: 2, qHeight: 10 }] },
  });
  const { qListObject: lo } = await list.getLayout();
  assert.deepEqual(lo.qDataPages[0].qMatrix.map(([v, e]) => [v.qText, e.qNum]), [['North', 60], ['South', 20], ['East', 34]]);

  const gated = await app.createSessionObject({
    qInfo: { qType: 'chart' },
    qHyperCubeDef: {
      qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
      qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
      qCalcCondition: { qCond: { qv: '=GetSelectedCount(Region) = 1' }, qMsg: { qv: 'Select one region' } },
      qInitialDataFetch: [{ qWidth: 2, qHeight: 10 }],
    },
  });
  const { qHyperCube: gc } = await gated.getLayout();
  assert.deepEqual([gc.qError, gc.qCalcCondMsg, gc.qSize.qcy], [{ qErrorCode: 7005 }, 'Select one region', 0]);
  await (await app.getField('Region')).select('East');
  const { qHyperCube: open1 } = await gated.getLayout();
  assert.deepEqual(open1.qDataPages[0].qMatrix.map(([d, m]) => [d.qText, m.qNum]), [['East', 34]]);
  await session.close();
});

// With QIX_CHECK_SCHEMA set (./build.sh test sets it), the emulator checked
// every reply above against the engine API schema: none may differ.
test('every reply matched the engine API schema', { skip: !process.env.QIX_CHECK_SCHEMA }, async () => {
  const res = await fetch(`http://127.0.0.1:${port}/_emulator/schema-violations`);
  assert.equal(res.status, 200);
  const report = await res.json();
  assert.equal(report.enabled, true);
  assert.ok(report.checked > 0, 'no reply was checked');
  assert.deepEqual(report.violations, []);
});
