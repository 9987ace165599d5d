// End-to-end tests of the public contract of /qix.js against the emulator,
// in both execution modes: the Go module in a Web Worker (default) and on
// the page's main thread.
import { test, expect } from './fixtures.js';

const uniq = () => `pw-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

for (const worker of [true, false]) {
  test.describe(worker ? 'worker mode' : 'main-thread mode', () => {
    test('open a doc, layouts, changed before settle, closed after destroy', async ({ blankPage, wsURL, pageErrors }) => {
      const url = wsURL(`/app/Demo/identity/${uniq()}`);
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          const notes = [];
          session.on('notification:OnConnected', (p) => notes.push(p.qSessionState));
          let closedEvt = null;
          session.on('closed', (e) => (closedEvt = { code: e.code }));
          const global = await session.open();
          const app = await global.openDoc('Demo');
          const appLayout = await app.getAppLayout();
          const obj = await app.createSessionObject({
            qInfo: { qType: 'chart' },
            qHyperCubeDef: {
              qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
              qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
              qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 10 }],
            },
          });
          const before = await obj.getLayout();
          const order = [];
          obj.on('changed', () => order.push('changed'));
          const field = await app.getField('Region');
          await field.select('North').then(() => order.push('settled'));
          const after = await obj.getLayout();
          let objClosed = false;
          obj.on('closed', () => (objClosed = true));
          const destroyed = await app.destroySessionObject(obj.id);
          const rows = (l) => l.qHyperCube.qDataPages[0].qMatrix.map((r) => [r[0].qText, r[1].qNum]);
          const res = {
            notes,
            global: { handle: global.handle, type: global.type },
            app: { id: app.id, handle: app.handle, type: app.type, sameSession: app.session === session },
            title: appLayout.qTitle,
            obj: { type: obj.type, genericType: obj.genericType, hasId: typeof obj.id === 'string' && obj.id.length > 0 },
            before: rows(before).sort(),
            after: rows(after).sort(),
            order,
            destroyed,
            objClosed,
            sameObject: (await app.getField('Region')) !== null,
          };
          await session.close();
          res.closedEvt = closedEvt;
          res.state = session.state;
          return res;
        },
        { url, worker },
      );
      expect(out.notes).toEqual(['SESSION_CREATED']);
      expect(out.global).toEqual({ handle: -1, type: 'Global' });
      expect(out.app).toEqual({ id: 'Demo', handle: out.app.handle, type: 'Doc', sameSession: true });
      expect(out.title).toBe('Demo');
      expect(out.obj).toEqual({ type: 'GenericObject', genericType: 'chart', hasId: true });
      // Hand-computed from the Demo app's data.
      expect(out.before).toEqual([
        ['East', 34],
        ['North', 60],
        ['South', 20],
      ]);
      expect(out.after).toEqual([['North', 60]]);
      expect(out.order).toEqual(['changed', 'settled']);
      expect(out.destroyed).toBe(true);
      expect(out.objClosed).toBe(true);
      expect(out.closedEvt).toEqual({ code: 1000 });
      expect(out.state).toBe('closed');
      expect(pageErrors).toEqual([]);
    });

    test('progress events while a reload runs, and a layout subscription', async ({ blankPage, wsURL, pageErrors }) => {
      test.setTimeout(60_000);
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker, progress: 50 });
          const onSession = [];
          const global = await session.open();
          const app = await global.openDoc('Sales');
          const onDoc = [];
          session.on('progress', (p) => onSession.push({ method: p.method, done: p.done, finished: p.qFinished, total: p.qTotal }));
          app.on('progress', (p) => onDoc.push(p.method));
          await app.doReload();
          // The final poll follows the reply.
          for (let i = 0; i < 50 && !onSession.some((p) => p.done); i++) await new Promise((r) => setTimeout(r, 20));

          // watchLayout: the current layout now and after each change, one fetch in flight.
          const obj = await app.createSessionObject({
            qInfo: { qType: 'chart' },
            qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }], qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }], qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 10 }] },
          });
          const seen = [];
          const w = obj.watchLayout((l) => seen.push(l.qHyperCube.qDataPages[0].qMatrix.map((r) => r[0].qText).join(',')));
          await w.first;
          const field = await app.getField('Region');
          await field.select('North');
          await field.select('South');
          for (let i = 0; i < 100 && seen[seen.length - 1] !== 'South'; i++) await new Promise((r) => setTimeout(r, 20));
          w.stop();
          await field.clear();
          await new Promise((r) => setTimeout(r, 200));
          await session.close();
          return { onSession, onDoc, seen };
        },
        { url: wsURL(`/app/Sales/identity/${uniq()}`), worker },
      );
      const during = out.onSession.filter((p) => !p.done);
      const final = out.onSession.filter((p) => p.done);
      expect(during.length).toBeGreaterThanOrEqual(2);
      expect(during.every((p) => p.method === 'DoReload')).toBe(true);
      expect(final).toEqual([expect.objectContaining({ method: 'DoReload', done: true, finished: true })]);
      expect(out.onDoc.length).toBe(out.onSession.length);
      // The first value is all regions; the last is the last selection; stopped means no more.
      expect(out.seen[0].split(',').sort()).toEqual(['Central', 'East', 'North', 'South', 'West']);
      expect(out.seen[out.seen.length - 1]).toBe('South');
      expect(out.seen.length).toBeLessThanOrEqual(3);
      expect(pageErrors).toEqual([]);
    });

    test('delta results equal delta-off results and share what did not change', async ({ blankPage, wsURL, pageErrors }) => {
      const ids = [uniq(), uniq()];
      const out = await blankPage.evaluate(
        async ({ urls, worker }) => {
          const { create } = await import('/qix.js');
          const def = {
            qInfo: { qType: 'chart' },
            title: 'kept',
            qHyperCubeDef: {
              qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
              qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
              qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 10 }],
            },
          };
          const run = async (url, delta, freeze) => {
            const session = create({ url, worker, protocol: { delta }, freeze });
            const app = await (await session.open()).openDoc('Demo');
            const obj = await app.createSessionObject(def);
            const l1 = await obj.getLayout();
            await (await app.getField('Region')).select('North');
            const l2 = await obj.getLayout();
            const l3 = await obj.getLayout(); // unchanged: an empty patch list
            let wrote = 'no error';
            try {
              // Page modules are strict code, where a write to a frozen object throws.
              (function write() {
                'use strict';
                l3.qHyperCube.qSize.qcy = 99;
              })();
            } catch (err) {
              wrote = err.constructor.name;
            }
            await session.close();
            return { l1, l2, l3, sharedInfo: l1.qInfo === l2.qInfo, sameAgain: l2 === l3, frozen: Object.isFrozen(l2.qHyperCube), wrote };
          };
          const on = await run(urls[0], true, true);
          const off = await run(urls[1], false, false);
          // Session object ids are random per session: compare the rest.
          const strip = (l) => ({ ...l, qInfo: { ...l.qInfo, qId: '' } });
          return {
            equal: [1, 2].map((i) => JSON.stringify(strip(on[`l${i}`])) === JSON.stringify(strip(off[`l${i}`]))),
            rows: on.l2.qHyperCube.qDataPages[0].qMatrix.map((r) => r[0].qText),
            on: { sharedInfo: on.sharedInfo, sameAgain: on.sameAgain, frozen: on.frozen, wrote: on.wrote },
            off: { frozen: off.frozen, wrote: off.wrote },
          };
        },
        { urls: ids.map((id) => wsURL(`/app/Demo/identity/${id}`)), worker },
      );
      expect(out.equal).toEqual([true, true]);
      expect(out.rows).toEqual(['North']);
      // Untouched subtrees keep their identity; an empty patch list gives the same value.
      expect(out.on).toEqual({ sharedInfo: true, sameAgain: true, frozen: true, wrote: 'TypeError' });
      expect(out.off).toEqual({ frozen: false, wrote: 'no error' });
      expect(pageErrors).toEqual([]);
    });

    test('an unknown app rejects with the engine error code', async ({ blankPage, wsURL }) => {
      const url = wsURL(`/app/engineData/identity/${uniq()}`);
      const err = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          const global = await session.open();
          try {
            await global.openDoc('NoSuchApp');
            return null;
          } catch (e) {
            return { isError: e instanceof Error, code: e.code, parameter: e.parameter, message: e.message };
          } finally {
            await session.close();
          }
        },
        { url, worker },
      );
      expect(err).toEqual({ isError: true, code: 1003, parameter: 'NoSuchApp', message: 'App not found' });
    });

    test('a 4204 close rejects every pending call (enigma.js -1, closeCode 4204) and fires closed', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      const url = wsURL(`/app/Demo/identity/${id}`);
      await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          window.closedEvt = new Promise((resolve) => session.on('closed', (e) => resolve({ code: e.code, reason: e.reason })));
          const global = await session.open();
          const app = await global.openDoc('Demo');
          // Settle a first round before the stall fault exists, so only the
          // second round below can be caught by it.
          const first = await Promise.all(Array.from({ length: 5 }, () => app.getAppLayout()));
          if (first.some((l) => l.qTitle !== 'Demo')) throw new Error('unexpected layouts before the fault');
          window.session = session;
        },
        { url, worker },
      );
      await faults.add({ match: id, method: 'GetAppLayout', action: 'stall' });
      // Start five calls that stall.
      await blankPage.evaluate(async () => {
        const app = [...window.session.objects.values()].find((o) => o.type === 'Doc');
        window.pending = Array.from({ length: 5 }, () =>
          app.getAppLayout().then(
            () => ({ ok: true }),
            (e) => ({ code: e.code, closeCode: e.closeCode, reason: e.reason, qepCode: e.qepCode, traceId: e.traceId }),
          ),
        );
        await new Promise((r) => setTimeout(r, 200));
      });
      await faults.add({ match: id, action: 'close', code: 4204, reason: '{"code":"QEP-104","traceId":"0123abcd"}' });
      const out = await blankPage.evaluate(async () => ({ calls: await Promise.all(window.pending), closed: await window.closedEvt }));
      expect(out.calls).toHaveLength(5);
      for (const c of out.calls) {
        expect(c).toEqual({ code: -1, closeCode: 4204, reason: '{"code":"QEP-104","traceId":"0123abcd"}', qepCode: 'QEP-104', traceId: '0123abcd' });
      }
      expect(out.closed).toEqual({ code: 4204, reason: '{"code":"QEP-104","traceId":"0123abcd"}' });
    });

    test('1 000 pipelined calls all settle', async ({ blankPage, wsURL }) => {
      const url = wsURL(`/app/engineData/identity/${uniq()}`);
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          const global = await session.open();
          const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 ? global.engineVersion() : global.getUniqueID())));
          await session.close();
          const ids = results.filter((r, i) => !(i % 2));
          return {
            n: results.length,
            versions: results.filter((r, i) => i % 2 && r.qComponentVersion === '12.2027.0').length,
            ids: ids.filter((r) => typeof r === 'string' && r.length > 0).length,
          };
        },
        { url, worker },
      );
      expect(out).toEqual({ n: 1000, versions: 500, ids: 500 });
    });

    test('a 16 MB result arrives intact', async ({ blankPage, wsURL }) => {
      test.setTimeout(120_000);
      const url = wsURL(`/app/Demo/identity/${uniq()}`);
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          const global = await session.open();
          const app = await global.openDoc('Demo');
          // Rows with ASCII, escapes and multi-byte text, ~16 MB of JSON.
          const rows = [];
          let size = 0;
          for (let i = 0; size < 16 * 1024 * 1024; i++) {
            const row = { i, t: `row ${i} "q" \\ å€😀 ${'x'.repeat(i % 50)}`, n: i / 7 };
            rows.push(row);
            size += JSON.stringify(row).length + 1;
          }
          const obj = await app.createSessionObject({ qInfo: { qType: 'blob' }, rows });
          const props = await obj.getProperties();
          const sent = JSON.stringify(rows);
          const got = JSON.stringify(props.rows);
          await session.close();
          return { bytes: new TextEncoder().encode(got).length, equal: sent === got, n: props.rows.length };
        },
        { url, worker },
      );
      expect(out.equal).toBe(true);
      expect(out.bytes).toBeGreaterThan(16 * 1024 * 1024);
    });

    test('suspend keeps objects, resume rebinds them in place', async ({ blankPage, wsURL, pageErrors }) => {
      // /ttl/30 keeps the engine session alive while the socket is gone.
      const url = wsURL(`/app/Demo/identity/${uniq()}/ttl/30`);
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker });
          const events = [];
          session.on('suspended', (e) => events.push(`suspended:${e.initiator}:${e.code}`));
          session.on('resumed', () => events.push('resumed'));
          session.on('closed', () => events.push('closed'));
          const global = await session.open();
          const app = await global.openDoc('Demo');
          const kpi = await app.createSessionObject({ qInfo: { qId: 'kpi-total', qType: 'kpi' }, total: { qValueExpression: '=Sum(Sales)' } });
          const before = (await kpi.getLayout()).total;
          kpi.on('changed', () => events.push('kpi:changed'));
          await session.suspend();
          const stateSuspended = session.state;
          const refused = await kpi.getLayout().then(() => 'resolved', (e) => e.code);
          await session.resume(true);
          const after = await kpi.getLayout();
          const sameObjects = session.objects.get(kpi.handle) === kpi && session.objects.get(app.handle) === app;
          const title = (await app.getAppLayout()).qTitle;
          await session.close();
          return { before, after: after.total, id: after.qInfo.qId, stateSuspended, refused, sameObjects, title, events };
        },
        { url, worker },
      );
      expect(out).toEqual({
        before: 114,
        after: 114,
        id: 'kpi-total',
        stateSuspended: 'suspended',
        refused: -11,
        sameObjects: true,
        title: 'Demo',
        events: ['suspended:manual:4000', 'kpi:changed', 'resumed', 'closed'],
      });
      expect(pageErrors).toEqual([]);
    });

    test('suspendOnClose: a server close suspends, resume(true) without the session closes', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      // No TTL: once the socket is gone the engine session is gone too.
      const url = wsURL(`/app/Demo/identity/${id}`);
      await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          const session = create({ url, worker, suspendOnClose: true });
          window.events = [];
          window.suspendedEvt = new Promise((resolve) => session.on('suspended', resolve));
          session.on('closed', (e) => window.events.push(`closed:${e.code}`));
          const global = await session.open();
          window.app = await global.openDoc('Demo');
          window.session = session;
        },
        { url, worker },
      );
      await faults.add({ match: id, action: 'close', code: 4205, reason: 'limit', count: 1 });
      const out = await blankPage.evaluate(async () => {
        const e = await window.suspendedEvt;
        const state = window.session.state;
        const appClosed = new Promise((resolve) => window.app.on('closed', () => resolve(true)));
        const err = await window.session.resume(true).then(() => null, (e) => e.code);
        return { initiator: e.initiator, code: e.code, reason: e.reason, state, err, appClosed: await appClosed, after: window.session.state, events: window.events };
      });
      expect(out).toEqual({ initiator: 'network', code: 4205, reason: 'limit', state: 'suspended', err: -12, appClosed: true, after: 'closed', events: ['closed:1000'] });
    });
  });
}

test('main-thread mode never shows page code a patched WebSocket', async ({ blankPage, wsURL }) => {
  const url = wsURL(`/app/engineData/identity/${uniq()}`);
  const out = await blankPage.evaluate(async (url) => {
    const { create } = await import('/qix.js');
    const Original = WebSocket;
    let seenPatched = false;
    const check = () => {
      if (window.WebSocket !== Original) seenPatched = true;
    };
    const iv = setInterval(check, 0);
    const session = create({ url, worker: false });
    const opening = session.open();
    queueMicrotask(check);
    await opening;
    check();
    clearInterval(iv);
    await session.close();
    return { seenPatched, same: window.WebSocket === Original, globals: Object.keys(window).filter((k) => k.startsWith('__qix')) };
  }, url);
  expect(out).toEqual({ seenPatched: false, same: true, globals: [] });
});
