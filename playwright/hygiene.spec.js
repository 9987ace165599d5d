// Request hygiene (issue 12, item 2), in both modes: AbortSignals cancel
// calls (withSignal, request.signal), calls the engine aborted (error 15)
// are retried for idempotent methods only, and a session keeps at most
// maxInFlight calls at the engine with the rest queued in order. What went
// over the wire is read from the session's traffic events.
import { test, expect } from './fixtures.js';

const uniq = () => `hy-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/**
 * open starts a session in the page on the Demo app of identity id, with
 * the frames it sends and receives recorded in wire order in window.wire
 * ([dir, frame]); window.sentOf(method) lists the frames sent of a method.
 */
async function open(page, url, worker, config = {}) {
  await page.evaluate(
    async ({ url, worker, config }) => {
      const qix = await import('/qix.js');
      window.qix = qix;
      window.wire = [];
      const session = qix.create({ url, worker, ...config });
      session.on('traffic:*', (dir, d) => window.wire.push([dir, d]));
      window.session = session;
      window.global = await session.open();
      window.app = await window.global.openDoc('Demo');
      // settle resolves with a call's outcome: {ok, value} or the error's parts.
      window.settle = (p) =>
        p.then(
          (value) => ({ ok: true, value }),
          (e) => ({ ok: false, code: e.code, name: e.name, kind: e.kind, message: e.message, retries: e.retries }),
        );
      window.sentOf = (method) => window.wire.filter(([dir, d]) => dir === 'sent' && d.method === method).map(([, d]) => d);
      window.until = async (cond, ms = 5000) => {
        const end = Date.now() + ms;
        while (!cond()) {
          if (Date.now() > end) throw new Error(`timed out waiting for ${cond}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
    },
    { url, worker, config },
  );
}

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';

  test.describe(`${mode}: AbortSignal`, () => {
    test('an abort rejects at once with -101, cancels at the engine and leaves nothing pending', async ({ blankPage, wsURL, faults, pageErrors }) => {
      const id = uniq();
      await faults.add({ match: id, method: 'GetAppLayout', action: 'stall' });
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
      const out = await blankPage.evaluate(async () => {
        const pendingBefore = window.session._backend.pending.size;
        const ctrl = new AbortController();
        const p = window.qix.withSignal(ctrl.signal, () => window.app.getAppLayout());
        const requestId = p.requestId;
        await window.until(() => window.sentOf('GetAppLayout').length === 1);
        ctrl.abort(new Error('user left'));
        const r = await window.settle(p);
        // The engine got a CancelRequest naming the call's request id.
        await window.until(() => window.sentOf('CancelRequest').length === 1);
        const cancel = window.sentOf('CancelRequest')[0];
        const after = await window.settle(window.app.evaluate('1+1'));
        return {
          r,
          requestId,
          cancelled: cancel.params.qRequestId ?? cancel.params[0],
          live: window.session._calls.live.size,
          pendingDelta: window.session._backend.pending.size - pendingBefore,
          after,
        };
      });
      expect(out.r).toMatchObject({ ok: false, code: -101, name: 'AbortError', kind: 'client', message: 'GetAppLayout cancelled' });
      expect(out.cancelled).toBe(out.requestId);
      expect(out.live).toBe(0);
      expect(out.pendingDelta).toBe(0);
      expect(out.after).toEqual({ ok: true, value: '2' });
      expect(pageErrors).toEqual([]);
    });

    test('an aborted signal rejects without sending; request.signal and settled calls', async ({ blankPage, wsURL }) => {
      await open(blankPage, wsURL(`/app/Demo/identity/${uniq()}`), worker);
      const out = await blankPage.evaluate(async () => {
        const ctrl = new AbortController();
        ctrl.abort();
        const early = await window.settle(window.qix.withSignal(ctrl.signal, () => window.app.getAppLayout()));
        const viaSend = await window.settle(window.session.send({ handle: window.app.handle, method: 'GetAppLayout', params: [], signal: ctrl.signal }));
        // A signal that aborts after its calls settled changes nothing.
        const late = new AbortController();
        const done = await window.settle(window.qix.withSignal(late.signal, () => window.app.evaluate('2+2')));
        late.abort();
        const notTied = await window.settle(window.app.evaluate('3+3')); // outside withSignal
        return { early, viaSend, sent: window.sentOf('GetAppLayout').length, done, notTied, live: window.session._calls.live.size };
      });
      expect(out.early).toMatchObject({ ok: false, code: -101, name: 'AbortError' });
      expect(out.viaSend).toMatchObject({ ok: false, code: -101, name: 'AbortError' });
      expect(out.sent).toBe(0);
      expect(out.done).toEqual({ ok: true, value: '4' });
      expect(out.notTied).toEqual({ ok: true, value: '6' });
      expect(out.live).toBe(0);
    });
  });

  test.describe(`${mode}: retry of aborted calls`, () => {
    test('Get* calls aborted by the engine are sent again, with the same request id, a bounded number of times', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
      await faults.add({ match: id, method: 'GetAppLayout', action: 'abort', count: 2 });
      const twice = await blankPage.evaluate(async () => {
        const p = window.app.getAppLayout();
        const r = await window.settle(p);
        return { ok: r.ok, title: r.value && r.value.qTitle, ids: window.sentOf('GetAppLayout').map((d) => d.id), requestId: p.requestId };
      });
      expect(twice.ok).toBe(true);
      expect(twice.title).toBeTruthy();
      expect(twice.ids).toEqual([twice.requestId, twice.requestId, twice.requestId]);

      await faults.add({ match: id, method: 'GetAppLayout', action: 'abort' });
      const always = await blankPage.evaluate(async () => {
        window.wire.length = 0;
        const r = await window.settle(window.app.getAppLayout());
        return { r, sent: window.sentOf('GetAppLayout').length };
      });
      expect(always.r).toMatchObject({ ok: false, code: 15, kind: 'engine', retries: 3 });
      expect(always.sent).toBe(4);
    });

    test('never for other methods, with retryAborted: false, or for a call the page cancelled', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
      await faults.add({ match: id, method: 'Evaluate', action: 'abort', count: 1 });
      await faults.add({ match: id, method: 'GetAppLayout', action: 'stall' });
      const out = await blankPage.evaluate(async () => {
        const evaluate = await window.settle(window.app.evaluate('1+1'));
        const evaluateSent = window.sentOf('Evaluate').length;
        // The page cancels a stalled Get* call: the engine answers 15 and a
        // retry would stall again.
        const p = window.app.getAppLayout();
        await window.until(() => window.sentOf('GetAppLayout').length === 1);
        await window.global.cancelRequest(p.requestId);
        const cancelled = await Promise.race([window.settle(p), new Promise((r) => setTimeout(() => r('hung'), 3000))]);
        return { evaluate, evaluateSent, cancelled, layoutSent: window.sentOf('GetAppLayout').length };
      });
      expect(out.evaluate).toMatchObject({ ok: false, code: 15 });
      expect(out.evaluateSent).toBe(1);
      expect(out.cancelled).toMatchObject({ ok: false, code: 15 });
      expect(out.layoutSent).toBe(1);

      const id2 = uniq();
      await open(blankPage, wsURL(`/app/Demo/identity/${id2}`), worker, { retryAborted: false });
      await faults.add({ match: id2, method: 'GetAppLayout', action: 'abort', count: 1 });
      const off = await blankPage.evaluate(async () => {
        const r = await window.settle(window.app.getAppLayout());
        return { r, sent: window.sentOf('GetAppLayout').length };
      });
      expect(off.r).toMatchObject({ ok: false, code: 15 });
      expect(off.sent).toBe(1);
    });
  });

  test.describe(`${mode}: maxInFlight`, () => {
    test('2000 pipelined calls with maxInFlight 10 all settle, in order, never more than 10 at the engine', async ({ blankPage, wsURL }) => {
      await open(blankPage, wsURL(`/app/Demo/identity/${uniq()}`), worker, { maxInFlight: 10 });
      const out = await blankPage.evaluate(async () => {
        window.wire.length = 0;
        const calls = [];
        for (let i = 0; i < 2000; i++) calls.push(i % 2 ? window.app.evaluate(`${i}+0`) : window.global.engineVersion());
        const ids = calls.map((p) => p.requestId); // known before anything is sent
        const results = await Promise.all(calls.map(window.settle));
        // Replay the wire: a call is at the engine from its request frame
        // to its reply frame.
        const at = new Set();
        let max = 0;
        const sentIds = [];
        for (const [dir, d] of window.wire) {
          if (d.id === undefined) continue;
          if (dir === 'sent') {
            sentIds.push(d.id);
            at.add(d.id);
            max = Math.max(max, at.size);
          } else at.delete(d.id);
        }
        return { ids, okCount: results.filter((r) => r.ok).length, evalOk: results[1].value, sentIds, left: at.size, max };
      });
      expect(out.okCount).toBe(2000);
      expect(out.evalOk).toBe('1');
      expect(new Set(out.ids).size).toBe(2000);
      expect(out.ids.every((x) => typeof x === 'number' && x > 0)).toBe(true);
      // FIFO: the calls left in the order they were made.
      expect(out.sentIds).toEqual(out.ids);
      expect(out.left).toBe(0);
      expect(out.max).toBe(10);
    });

    test('a queued call aborts without being sent; cancellers skip the queue; a bad maxInFlight rejects open()', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      await faults.add({ match: id, method: 'GetAppLayout', action: 'stall' });
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker, { maxInFlight: 1 });
      const out = await blankPage.evaluate(async () => {
        const stalled = window.app.getAppLayout(); // holds the only slot
        const ctrl = new AbortController();
        const queued = window.qix.withSignal(ctrl.signal, () => window.app.evaluate('1+1'));
        const queuedId = queued.requestId;
        await window.until(() => window.sentOf('GetAppLayout').length === 1);
        ctrl.abort();
        const aborted = await window.settle(queued);
        // CancelRequest does not wait behind the call it cancels.
        await window.global.cancelRequest(stalled.requestId);
        const first = await window.settle(stalled);
        const next = await window.settle(window.app.evaluate('2+2'));
        const bad = await window.settle(window.qix.create({ url: window.session.config.url, maxInFlight: 0 }).open());
        return { aborted, queuedId, evaluateIds: window.sentOf('Evaluate').map((d) => d.id), first, next, bad };
      });
      expect(out.aborted).toMatchObject({ ok: false, code: -101, name: 'AbortError' });
      expect(out.evaluateIds).not.toContain(out.queuedId);
      expect(out.evaluateIds).toHaveLength(1);
      expect(out.first).toMatchObject({ ok: false, code: 15 });
      expect(out.next).toEqual({ ok: true, value: '4' });
      expect(out.bad).toMatchObject({ ok: false, code: -6 });
      expect(out.bad.message).toContain('maxInFlight');
    });

    test('an abort while a retry waits sends nothing more; a close rejects the queued calls', async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker, { maxInFlight: 2 });
      await faults.add({ match: id, method: 'GetAppLayout', action: 'abort' });
      await faults.add({ match: id, method: 'GetObject', action: 'stall' });
      const out = await blankPage.evaluate(async () => {
        const ctrl = new AbortController();
        // The first 15 arrives: abort before the retry's timer (25 ms or more) fires.
        window.session.on('traffic:received', (d) => {
          if (d.error && d.error.code === 15) setTimeout(() => ctrl.abort(), 0);
        });
        const r = await window.settle(window.qix.withSignal(ctrl.signal, () => window.app.getAppLayout()));
        await new Promise((res) => setTimeout(res, 200)); // a retry would have left by now
        const layoutSent = window.sentOf('GetAppLayout').length;
        const cancels = window.sentOf('CancelRequest').length;
        // Two stalled calls hold both slots, three more queue; close settles all five.
        const calls = [];
        for (let i = 0; i < 5; i++) calls.push(window.app.getObject(`nope-${i}`));
        await window.until(() => window.sentOf('GetObject').length === 2);
        const closing = window.session.close();
        const results = await Promise.all(calls.map(window.settle));
        await closing;
        return { r, layoutSent, cancels, codes: results.map((x) => x.code), objectsSent: window.sentOf('GetObject').length, live: window.session._calls.live.size };
      });
      expect(out.r).toMatchObject({ ok: false, code: -101, name: 'AbortError' });
      expect(out.layoutSent).toBe(1);
      expect(out.cancels).toBe(0);
      expect(out.codes).toEqual([-1, -1, -1, -1, -1]);
      expect(out.objectsSent).toBe(2);
      expect(out.live).toBe(0);
    });
  });

  test.describe(`${mode}: late replies of aborted delta calls`, () => {
    test('a getLayout the engine answered after the abort still moves the delta caches: later layouts are fresh', async ({ blankPage, wsURL, faults, pageErrors }) => {
      const id = uniq();
      await open(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
      const first = await blankPage.evaluate(async () => {
        window.obj = await window.app.createSessionObject({
          qInfo: { qType: 'chart' },
          qHyperCubeDef: {
            qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
            qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
            qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 10 }],
          },
        });
        window.rows = (l) => l.qHyperCube.qDataPages[0].qMatrix.map((r) => r[0].qText).sort().join(',');
        window.field = await window.app.getField('Region');
        const rows = window.rows(await window.obj.getLayout());
        await window.field.select('North');
        return rows;
      });
      // The next GetLayout runs at once (the engine's delta cache moves to
      // the North-only layout) but its reply is held, as on a slow network.
      await faults.add({ match: id, method: 'GetLayout', action: 'lag', ms: 1500, count: 1 });
      const out = await blankPage.evaluate(async () => {
        const ctrl = new AbortController();
        const p = window.qix.withSignal(ctrl.signal, () => window.obj.getLayout());
        const rid = p.requestId;
        await window.until(() => window.sentOf('GetLayout').some((d) => d.id === rid));
        // Let the engine start the call before the CancelRequest arrives
        // (a call still queued when it arrives is answered 15 instead);
        // the lag holds its reply for 1 500 ms, so the abort still comes first.
        await new Promise((r) => setTimeout(r, 400));
        ctrl.abort();
        const aborted = await window.settle(p);
        // The held reply reaches the client after the cancel: a result, not 15.
        const lateOf = () => window.wire.find(([dir, d]) => dir === 'received' && d.id === rid);
        await window.until(() => lateOf() !== undefined);
        const late = lateOf()[1];
        const seen = [];
        for (let i = 0; i < 3; i++) seen.push(window.rows(await window.obj.getLayout()));
        await window.field.select('South');
        seen.push(window.rows(await window.obj.getLayout()));
        await window.field.clear();
        seen.push(window.rows(await window.obj.getLayout()));
        return { aborted, late: { delta: late.delta, error: late.error !== undefined }, seen, live: window.session._calls.live.size };
      });
      expect(first).toBe('East,North,South');
      expect(out.aborted).toMatchObject({ ok: false, code: -101, name: 'AbortError' });
      expect(out.late).toEqual({ delta: true, error: false });
      // Unchanged layouts ([] patches) are the fresh value, not the one
      // before the aborted call; later patches apply to the right base.
      expect(out.seen).toEqual(['North', 'North', 'North', 'South', 'East,North,South']);
      expect(out.live).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  });
}
