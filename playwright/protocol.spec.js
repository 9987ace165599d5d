// Protocol errors from the engine side (issue 12, items 1 and 4): frames
// that name no call are reported as 'error' events and counted; a reply
// that names a call but cannot be decoded rejects that call (code -102)
// even without a timeout. The rules live in Go (qixcore/stray.go); this
// checks they reach the page in both modes.
import { test, expect } from './fixtures.js';

const uniq = () => `pr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';

  test(`${mode}: a frame with an unknown id is an 'error' event, counted`, async ({ blankPage, wsURL, faults }) => {
    const id = uniq();
    await faults.add({ match: id, method: 'EngineVersion', action: 'unknown-id' });
    const out = await blankPage.evaluate(
      async ({ url, worker }) => {
        const { create } = await import('/qix.js');
        const session = create({ url, worker, timeout: 1500 });
        const seen = [];
        session.on('error', (err, info) =>
          seen.push({ code: err.code, kind: err.kind, message: err.message, event: info.event, reason: info.reason, count: info.count, self: info.target === session }),
        );
        const global = await session.open();
        const before = session.strayFrames;
        const code = await global.engineVersion().then(() => 'resolved', (e) => e.code);
        // The session still works.
        const os = await global.oSName();
        await session.close();
        return { before, after: session.strayFrames, seen, code, os: typeof os };
      },
      { url: wsURL(`/app/engineData/identity/${id}`), worker },
    );
    expect(out.before).toBe(0);
    expect(out.code).toBe(-100); // the call the stray frame was meant for times out
    expect(out.after).toBe(1);
    expect(out.seen).toEqual([
      { code: -102, kind: 'client', message: expect.stringContaining('unknown id 987654321'), event: 'frame', reason: 'unknown id', count: 1, self: true },
    ]);
    expect(out.os).toBe('string');
  });

  test(`${mode}: an undecodable reply rejects its call with -102, no timeout needed`, async ({ blankPage, wsURL, faults }) => {
    const id = uniq();
    await faults.add({ match: id, method: 'GetAppLayout', action: 'malformed' });
    const out = await blankPage.evaluate(
      async ({ url, worker }) => {
        const { create } = await import('/qix.js');
        const session = create({ url, worker }); // no timeout: nothing else would settle the call
        const app = await (await session.open()).openDoc('Demo');
        const err = await app.getAppLayout().then(() => null, (e) => ({ code: e.code, kind: e.kind, detail: e.detail }));
        const title = (await app.evaluate("'ok'"));
        const strays = session.strayFrames;
        await session.close();
        return { err, title, strays };
      },
      { url: wsURL(`/app/Demo/identity/${id}`), worker },
    );
    expect(out.err).toMatchObject({ code: -102, kind: 'client' });
    expect(out.err.detail).toContain('reply to GetAppLayout');
    expect(out.title).toBe('ok');
    expect(out.strays).toBe(0);
  });
}

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';
  test(`${mode}: a call refused with 6003 ends the other selection mode and succeeds (modalRecovery)`, async ({ blankPage, wsURL }) => {
    const out = await blankPage.evaluate(
      async ({ url, worker }) => {
        const { create } = await import('/qix.js');
        const cube = (field) => ({
          qInfo: { qType: 'chart' },
          qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [field] } }], qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }] },
        });
        const run = async (modalRecovery) => {
          const session = create({ url: `${url}-${modalRecovery}`, worker, modalRecovery });
          const sent = [];
          session.on('traffic:sent', (m) => sent.push(m.method));
          const app = await (await session.open()).openDoc('Demo');
          const a = await app.createSessionObject(cube('Region'));
          const b = await app.createSessionObject(cube('Category'));
          await a.beginSelections(['/qHyperCubeDef']);
          await a.selectHyperCubeValues('/qHyperCubeDef', 0, [0], false);
          const outcome = await b.beginSelections(['/qHyperCubeDef']).then(() => 'ok', (e) => e.code);
          const cs = await app.createSessionObject({ qInfo: { qType: 'cs' }, qSelectionObjectDef: {} });
          const selected = (await cs.getLayout()).qSelectionObject.qSelections.length;
          await session.close();
          return { outcome, selected, tail: sent.filter((m) => /Selections|AbortModal/.test(m)).slice(-3).join(' ') };
        };
        return { cancel: await run(true), accept: await run('accept'), off: await run(false) };
      },
      { url: wsURL(`/app/Demo/identity/modal-${Date.now().toString(36)}`), worker },
    );
    expect(out.cancel).toEqual({ outcome: 'ok', selected: 0, tail: 'BeginSelections AbortModal BeginSelections' });
    expect(out.accept).toEqual({ outcome: 'ok', selected: 1, tail: 'BeginSelections AbortModal BeginSelections' });
    expect(out.off).toMatchObject({ outcome: 6003, selected: 1 });
  });
}
