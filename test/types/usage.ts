// Type-level test of jsbridge/qix.d.ts: `tsc -p test/types` must pass, and
// every @ts-expect-error line must really be an error (tsc fails otherwise).
import qix, { create, buildURL, withSignal, type Doc, type GenericObject, type QixError } from '../../jsbridge/qix.js';

export async function usage(): Promise<number> {
  const url = await buildURL({ host: 'localhost', port: 9076, appId: 'Sales', ttl: 30, params: [['a', 'b']] });
  const session = create({ url, protocol: { delta: true }, suspendOnClose: true, worker: true });
  session.on('closed', (e) => console.log(e.code, e.reason, e.error.code));
  session.on('suspended', (e) => console.log(e.initiator));
  session.on('notification:OnConnected', (p) => console.log(p.qSessionState));
  session.on('traffic:*', (dir, msg) => console.log(dir, msg));
  session.on('error', (err, info) => {
    if (info.event === 'frame') console.log((err as QixError).code, info.reason, info.count, session.strayFrames);
  });
  const global = await session.open();
  const app: Doc = await global.openDoc('Sales');
  const same: Doc = await global.openDoc({ qDocName: 'Sales', qNoData: false });
  const obj: GenericObject = await app.createSessionObject({ qInfo: { qType: 'chart' } });
  obj.on('changed', () => undefined);
  const layout = await obj.getLayout();
  const field = await app.getField('Region');
  await field.select('North');
  try {
    await global.openDoc('NoSuchApp');
  } catch (err) {
    const e = err as QixError;
    console.log(e.code, e.parameter, e.qixName);
  }
  await session.suspend();
  await session.resume(true);
  await session.close();
  void qix.create;
  void same;
  // @ts-expect-error: methods are camelCased
  await app.GetAppLayout();
  // @ts-expect-error: openDoc needs the doc name
  await global.openDoc();
  // @ts-expect-error: qDocName is a string
  await global.openDoc(42);
  // @ts-expect-error: Field has no getLayout
  await field.getLayout();
  // @ts-expect-error: create needs a url
  create({});
  return layout.qInfo ? session.objects.size : 0;
}

// Progress events and the layout subscription.
{
  const s = create({ url: 'ws://localhost:9076/app/Sales', progress: 100 });
  s.on('progress', (p) => {
    const m: 'OpenDoc' | 'DoReload' | 'DoReloadEx' | 'DoSave' = p.method;
    const done: boolean = p.done;
    void [m, done, p.qFinished, p.requestId];
  });
  // @ts-expect-error progress is false or milliseconds
  create({ url: 'ws://x/app/y', progress: 'fast' });
  void (async () => {
    const app = await (await s.open()).openDoc('Sales');
    const obj = await app.createSessionObject({ qInfo: { qType: 'kpi' } });
    const w = obj.watchLayout((layout) => void layout.qInfo, { onError: (e) => console.warn(e) });
    await w.first;
    w.stop();
  })();
}

// Request hygiene: signals, retry of aborted calls, the in-flight bound.
{
  const s = create({ url: 'ws://localhost:9076/app/Sales', maxInFlight: 32, retryAborted: 2 });
  create({ url: 'ws://x/app/y', retryAborted: false });
  // @ts-expect-error maxInFlight is a number
  create({ url: 'ws://x/app/y', maxInFlight: 'many' });
  void (async () => {
    const app = await (await s.open()).openDoc('Sales');
    const ctrl = new AbortController();
    const p = withSignal(ctrl.signal, () => app.getAppLayout());
    const id: number = p.requestId;
    const layout = await qix.withSignal(ctrl.signal, () => app.getAppLayout());
    await s.send({ handle: -1, method: 'EngineVersion', params: [], signal: ctrl.signal });
    // @ts-expect-error withSignal needs a signal
    withSignal({}, () => 1);
    try {
      await p;
    } catch (e) {
      const err = e as QixError;
      void [err.code === -101 && err.name === 'AbortError', err.retries, id, layout.qTitle];
    }
  })();
}

// Automatic resume: options and events.
{
  const s = create({ url: 'ws://x/app/y', resume: { maxAttempts: 5, minDelay: 100, maxDelay: 5000, waitForCalls: 'queue', queueTimeout: 10000 } });
  create({ url: 'ws://x/app/y', resume: false });
  // @ts-expect-error waitForCalls is 'queue' or 'fail'
  create({ url: 'ws://x/app/y', resume: { waitForCalls: 'later' } });
  s.on('reconnecting', (e) => console.log(e.attempt, e.delay, e.error.code));
  s.on('closed', (e) => console.log(e.resumeAttempts ?? 0));
  const st: 'reconnecting' | string = s.state;
  void st;
}
