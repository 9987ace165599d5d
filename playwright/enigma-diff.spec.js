// Differential test of the enigma.js drop-in: each script below is page code
// written for enigma.js 2.15. It runs in Chromium against the emulator three
// times — with enigma.js itself (/vendor/enigma.js, its 12.2027.0 schema),
// with qix-wasm in worker mode and in main-thread mode — and what page code
// sees (values, errors, event sequences) must be equal. Scripts report only
// what page code observes; where qix-wasm deliberately differs (README,
// "Differences from enigma.js"), the script says so where it looks away.
import { test, expect } from './fixtures.js';

const uniq = () => `diff-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const MODES = ['enigma', 'qix-worker', 'qix-main'];

// setup installs window.makeCreate(mode): the create() page code uses.
async function setup(page) {
  await page.evaluate(async () => {
    const schema = await (await fetch('/vendor/enigma.js/schemas/12.2027.0.json')).json();
    await import('/vendor/enigma.js'); // UMD: sets globalThis.enigma
    const qix = await import('/qix.js');
    window.makeCreate = (mode) => (config) => {
      if (mode === 'enigma') return globalThis.enigma.create({ schema, ...config });
      return qix.create({ schema, ...config, worker: mode === 'qix-worker' });
    };
  });
}

// run runs script in every mode (a fresh engine session each) and returns the outcomes by mode.
async function run(page, wsURL, script, extra = {}) {
  await setup(page);
  const out = {};
  for (const mode of MODES) {
    const url = wsURL(`/app/Demo/identity/${uniq()}`);
    out[mode] = await page.evaluate(script, { mode, url, ...extra });
  }
  return out;
}

function expectSame(out) {
  expect(out['qix-worker']).toEqual(out.enigma);
  expect(out['qix-main']).toEqual(out.enigma);
}

const HC = {
  qInfo: { qType: 'mychart' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Price)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }],
  },
};

test('results and engine errors unwrap as in enigma.js', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url, hc }) => {
    const session = window.makeCreate(mode)({ url });
    const global = await session.open();
    const app = await global.openDoc('Demo');
    const obj = await app.createSessionObject(hc);
    const layout = await obj.getLayout();
    const err = (e) => ({ isError: e instanceof Error, code: e.code, parameter: e.parameter, message: e.message });
    const res = {
      types: [global.type, global.id, app.type, obj.type, obj.genericType, typeof obj.handle, typeof obj.id],
      title: (await app.getAppLayout()).qTitle,
      evaluate: await app.evaluate('1+1'),
      size: layout.qHyperCube.qSize,
      rows: layout.qHyperCube.qDataPages[0].qMatrix.map((r) => r.map((c) => c.qText)),
      select: await obj.selectHyperCubeValues('/qHyperCubeDef', 0, [0], false),
      props: (await obj.getProperties()).qInfo.qType,
      notFound: await app.getObject('no-such-object').then(() => 'resolved', (e) => ({ code: e.code, message: e.message })),
      engineError: await global.openDoc('NoSuchApp').then(() => 'resolved', err),
      named: (await app.getField('Region').then((f) => f.getCardinal())) > 0,
      writable: (() => {
        const base = app.getAppLayout;
        app.getAppLayout = function wrapped(...a) {
          return base.apply(this, a).then((l) => ({ wrapped: l.qTitle }));
        };
        return true;
      })(),
    };
    res.wrapped = await app.getAppLayout();
    await session.close();
    return res;
  }, { hc: HC });
  expectSame(out);
  expect(out.enigma.select).toBe(true);
});

test('mixins: types and genericType, init, extend, override with the base function', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url, hc }) => {
    const inits = [];
    const mixins = [
      { types: 'Global', extend: { tweet() { return `tweet from ${this.type}`; } } },
      {
        types: ['Doc'],
        init({ api, config }) { inits.push(['Doc', api.id, typeof config.url]); },
        override: {
          async getAppLayout(base, ...args) {
            const layout = await base(...args);
            return { ...layout, qTitle: `[${layout.qTitle}]` };
          },
        },
      },
      {
        // types: [] beside type: enigma.js registers a mixin with type alone
        // under 'undefined' too (README, differences).
        types: [],
        type: 'mychart',
        init({ api }) { inits.push(['mychart', api.genericType]); },
        extend: { async rowCount() { return (await this.getLayout()).qHyperCube.qSize.qcy; } },
      },
      { types: 'GenericObject', extend: { kind() { return `generic ${this.genericType}`; } } },
    ];
    const session = window.makeCreate(mode)({ url, mixins });
    const global = await session.open();
    const app = await global.openDoc('Demo');
    const chart = await app.createSessionObject(hc);
    const other = await app.createSessionObject({ qInfo: { qType: 'other' } });
    const res = {
      tweet: global.tweet(),
      title: (await app.getAppLayout()).qTitle,
      rows: await chart.rowCount(),
      kinds: [chart.kind(), other.kind(), typeof other.rowCount],
      inits,
      ownMixinMethod: Object.prototype.hasOwnProperty.call(chart, 'rowCount'),
    };
    await session.close();
    // Mixin errors: an override of a missing method, an extend of an existing one.
    const bad = async (mixin) => {
      const s = window.makeCreate(mode)({ url, mixins: [mixin] });
      try {
        const g = await s.open();
        return await g.openDoc('Demo').then(() => 'resolved', (e) => ({ code: e.code, message: e.message }));
      } catch (e) {
        return { open: true, code: e.code, message: e.message };
      } finally {
        await s.close();
      }
    };
    res.cantOverride = await bad({ types: 'Doc', override: { noSuchMethod() {} } });
    res.cantExtend = await bad({ types: 'Doc', extend: { getAppLayout() {} } });
    return res;
  }, { hc: HC });
  expectSame(out);
});

test('interceptors: request rewrite, response mapping, onRejected with retry', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url }) => {
    const seen = [];
    const session = window.makeCreate(mode)({
      url,
      requestInterceptors: [
        {
          onFulfilled(s, request) {
            seen.push(['req', request.method, request.handle, JSON.stringify(request.params), typeof request.id, s === session, typeof this.Promise]);
            if (request.method === 'Evaluate' && request.params[0] === 'rewrite') request.params = ['2*21'];
            return request;
          },
        },
      ],
      responseInterceptors: [
        {
          onFulfilled(s, request, result) {
            seen.push(['res', request.method, typeof result]);
            if (request.method === 'GetAppLayout') return { title: result.qTitle };
            return result;
          },
          onRejected(s, request, error) {
            seen.push(['rej', request.method, error.code]);
            if (request.method === 'OpenDoc' && !request.retried) {
              request.retried = true;
              request.params = ['Demo'];
              return request.retry();
            }
            throw error;
          },
        },
      ],
    });
    const global = await session.open();
    const app = await global.openDoc('NoSuchApp'); // rejected, then retried with Demo
    const res = {
      appType: app.type,
      evaluated: await app.evaluate('rewrite'),
      layout: await app.getAppLayout(),
      failed: await app.evaluate('1').then(() => 'ok'),
    };
    res.seen = seen;
    await session.close();
    return res;
  });
  expectSame(out);
  expect(out.enigma.layout).toEqual({ title: 'Demo' });
});

test('requestId, session.send, getObjectApi, Promise, cancelRequest', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url }) => {
    class MyPromise extends Promise {}
    const session = window.makeCreate(mode)({ url, Promise: MyPromise });
    const opening = session.open();
    const global = await opening;
    const p1 = global.engineVersion();
    const p2 = global.engineVersion();
    const ids = [typeof p1.requestId, p2.requestId - p1.requestId, p1 instanceof MyPromise, opening instanceof MyPromise];
    await Promise.all([p1, p2]);
    const app = await global.openDoc('Demo');
    const sent = session.send({ handle: app.handle, method: 'GetAppLayout', params: [], outKey: 'qLayout' });
    const whole = await session.send({ handle: -1, method: 'IsDesktopMode', params: [], outKey: -1 });
    const obj = await session.send({ handle: app.handle, method: 'CreateSessionObject', params: [{ qInfo: { qType: 'viaSend' } }], outKey: -1 });
    const again = session.getObjectApi({ handle: obj.handle, id: obj.id, type: 'GenericObject', genericType: 'viaSend' });
    let unknownType;
    try {
      session.getObjectApi({ handle: 9999, id: 'x', type: 'NoSuchType' });
    } catch (e) {
      unknownType = { code: e.code, message: e.message };
    }
    const res = {
      ids,
      sentId: typeof sent.requestId,
      title: (await sent).qTitle,
      whole: Object.keys(whole),
      sameApi: again === obj,
      objType: [obj.type, obj.genericType],
      unknownType,
      cancelled: await global.cancelRequest(p1.requestId).then((r) => r === undefined || r === null || typeof r),
      config: [typeof session.config, session.config.url === url, session.config.protocol.delta],
    };
    await session.close();
    return res;
  });
  expectSame(out);
});

test('events: changed, closed once, traffic on objects and session, opened, notifications', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url, hc }) => {
    const log = [];
    const session = window.makeCreate(mode)({ url });
    session.on('opened', () => log.push('session:opened'));
    session.on('closed', () => log.push('session:closed'));
    const notes = [];
    session.on('notification:*', (method) => notes.push(method));
    let sessionTraffic = 0;
    session.on('traffic:*', () => sessionTraffic++);
    const global = await session.open();
    const app = await global.openDoc('Demo');
    const obj = await app.createSessionObject(hc);
    const objTraffic = [];
    obj.on('traffic:*', (dir, data) => objTraffic.push([dir, data.method || (data.result ? 'result' : 'other')]));
    const listener = () => log.push('obj:changed');
    obj.on('changed', listener);
    obj.once('closed', () => log.push('obj:closed'));
    const counts = [obj.listeners('changed').length, obj.listeners('changed')[0] === listener];
    await obj.getLayout();
    const field = await app.getField('Region');
    await field.select('North');
    await obj.getLayout();
    obj.removeListener('changed', listener);
    await field.clear();
    const emitted = obj.emit('custom', 1);
    app.on('closed', () => log.push('app:closed'));
    await app.destroySessionObject(obj.id);
    log.push('destroyed');
    await session.close();
    log.push('after close');
    return { log, notes, counts, emitted, objTraffic, sessionTraffic: sessionTraffic > 10 };
  }, { hc: HC });
  expectSame(out);
});

test('suspend and resume: payloads, calls while suspended, objects kept', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url }) => {
    const log = [];
    const session = window.makeCreate(mode)({ url });
    session.on('suspended', (e) => log.push(['suspended', e.initiator, e.code, e.reason]));
    session.on('resumed', (...a) => log.push(['resumed', a.length]));
    session.on('closed', () => log.push(['closed']));
    const global = await session.open();
    const app = await global.openDoc('Demo');
    await session.suspend(4000, 'pause');
    const during = await app.getAppLayout().then(() => 'resolved', (e) => ({ code: e.code, message: e.message }));
    await session.resume();
    const title = (await app.getAppLayout()).qTitle;
    await session.close();
    const afterClose = await app.getAppLayout().then(() => 'resolved', (e) => ({ code: e.code }));
    return { log, during, title, afterClose };
  });
  expectSame(out);
});

test('config: createSocket is used, a bad config rejects open(), a bad param rejects its call only', async ({ blankPage, wsURL }) => {
  const out = await run(blankPage, wsURL, async ({ mode, url }) => {
    const made = [];
    const session = window.makeCreate(mode)({
      url,
      createSocket: (u) => {
        made.push(u === url);
        return new WebSocket(u);
      },
    });
    const global = await session.open();
    const app = await global.openDoc('Demo');
    const cyclic = {};
    cyclic.self = cyclic;
    const bad = await Promise.allSettled([app.evaluate(cyclic), app.evaluate(10n), app.evaluate('3*3')]);
    const res = {
      made,
      bad: bad.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
      still: await app.evaluate('4+4'),
    };
    await session.close();
    const rejects = async (config) => {
      try {
        const s = window.makeCreate(mode)(config);
        await s.open();
        return 'opened';
      } catch (e) {
        return 'rejected';
      }
    };
    res.urlNotString = await rejects({ url: 5 });
    res.schemaMalformed = await rejects({ url, schema: {} });
    return res;
  });
  expectSame(out);
});

// Where qix-wasm deliberately does better than enigma.js (README,
// "Differences from enigma.js"): checked on qix-wasm alone.
for (const worker of [true, false]) {
  test(`qix-wasm ${worker ? 'worker' : 'main-thread'} mode: a throwing listener never stops other listeners or replies; bad params reject their own call`, async ({ blankPage, wsURL }) => {
    const url = wsURL(`/app/Demo/identity/${uniq()}`);
    const out = await blankPage.evaluate(
      async ({ url, worker, hc }) => {
        const { create } = await import('/qix.js');
        const session = create({ url, worker });
        const reported = [];
        session.on('error', (err, { event }) => reported.push([event, err.message]));
        const global = await session.open();
        const app = await global.openDoc('Demo');
        const obj = await app.createSessionObject(hc);
        const heard = [];
        obj.on('changed', () => {
          throw new Error('boom');
        });
        obj.on('changed', () => heard.push('second listener'));
        const field = await app.getField('Region');
        // The select's reply carries the change list: its listeners throw,
        // the reply (and the pipelined ones in the same batch) still arrive.
        const results = await Promise.all([field.select('North'), app.evaluate('1+2'), obj.getLayout().then((l) => l.qInfo.qType)]);
        const getter = {
          get boom() {
            throw new Error('getter');
          },
        };
        const toJSON = { toJSON() {
          throw new Error('toJSON');
        } };
        const bad = await Promise.allSettled([app.evaluate(getter), app.evaluate(toJSON), app.evaluate(5n), app.evaluate('2+2')]);
        const badConfig = await create({ url: 5, worker })
          .open()
          .then(() => 'opened', (e) => ({ code: e.code, message: e.message }));
        await session.close();
        return {
          results,
          heard,
          reported,
          bad: bad.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.message)),
          badConfig,
        };
      },
      { url, worker, hc: HC },
    );
    expect(out.results).toEqual([true, '3', 'mychart']);
    expect(out.heard.length).toBeGreaterThan(0);
    expect(out.reported[0]).toEqual(['changed', 'boom']);
    expect(out.bad.slice(0, 3).every((m) => /failed to encode the params of Evaluate/.test(m))).toBe(true);
    expect(out.bad[3]).toBe('4');
    expect(out.badConfig).toEqual({ code: -6, message: 'qix-wasm: config.url must be a WebSocket URL string, got number' });
  });
}
