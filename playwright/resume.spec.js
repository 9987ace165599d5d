// Automatic resume (issue 12, item 3): the emulator drops a page's socket
// and the page's calls keep working without page code calling resume();
// a close code that means "do not retry" closes the session instead; an
// `online` event or resume() makes a session waiting out its backoff try
// at once.
import { test, expect } from './fixtures.js';

const uniq = () => `rs-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

// Opens a session (automatic resume on by default) with a Doc and a
// session object, and records the session's events in window.events.
async function openPage(page, url, worker, resume) {
  await page.evaluate(
    async ({ url, worker, resume }) => {
      const { create } = await import('/qix.js');
      const session = create(resume === undefined ? { url, worker } : { url, worker, resume });
      window.events = [];
      session.on('reconnecting', (e) => window.events.push(`reconnecting:${e.attempt}:${e.error.code}`));
      session.on('resumed', () => window.events.push('resumed'));
      session.on('suspended', () => window.events.push('suspended'));
      session.on('closed', (e) => window.events.push(`closed:${e.code}`));
      window.session = session;
      window.app = await (await session.open()).openDoc('Demo');
      window.kpi = await window.app.createSessionObject({ qInfo: { qId: 'kpi1', qType: 'kpi' }, total: { qValueExpression: '=Sum(Sales)' } });
      window.kpi.on('closed', () => window.events.push('kpi:closed'));
    },
    { url, worker, resume },
  );
}

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';

  test(`${mode}: a dropped socket comes back by itself and layout calls keep working`, async ({ blankPage, wsURL, faults, pageErrors }) => {
    const id = uniq();
    await openPage(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
    await faults.add({ match: id, method: 'GetAppLayout', action: 'drop', count: 1 });
    const out = await blankPage.evaluate(async () => {
      const kpi = window.kpi;
      const handleBefore = kpi.handle;
      // In flight when the socket drops: it rejects (the engine may or may
      // not have run it).
      const cut = await window.app.getAppLayout().then(() => 'resolved', (e) => e.code);
      // Made right after, during the outage: they wait for the resume.
      const totals = [];
      for (let i = 0; i < 5; i++) totals.push((await kpi.getLayout()).total);
      const title = (await window.app.getAppLayout()).qTitle;
      return { cut, totals, title, state: window.session.state, same: window.kpi === kpi, hasHandle: typeof kpi.handle === 'number', moved: kpi.handle !== handleBefore || kpi.handle === handleBefore, events: window.events };
    });
    expect(out.cut).toBe(-1);
    expect(out.totals).toEqual([114, 114, 114, 114, 114]);
    expect(out.title).toBe('Demo');
    expect(out.state).toBe('open');
    expect(out.same && out.hasHandle).toBe(true);
    expect(out.events[0]).toMatch(/^reconnecting:1:/);
    expect(out.events).toContain('resumed');
    expect(out.events.filter((e) => e.startsWith('closed') || e === 'suspended' || e === 'kpi:closed')).toEqual([]);
    await blankPage.evaluate(() => window.session.close());
    expect(pageErrors).toEqual([]);
  });

  test(`${mode}: a do-not-retry close (4203) closes the session without reconnecting`, async ({ blankPage, wsURL, faults }) => {
    const id = uniq();
    await openPage(blankPage, wsURL(`/app/Demo/identity/${id}`), worker);
    await blankPage.evaluate(() => {
      window.closedEvt = new Promise((resolve) => window.session.on('closed', resolve));
    });
    await faults.add({ match: id, action: 'close', code: 4203, reason: 'no', count: 1 });
    const out = await blankPage.evaluate(async () => {
      const e = await window.closedEvt;
      const after = await window.kpi.getLayout().then(() => 'resolved', (err) => err.code);
      return { code: e.code, attempts: e.resumeAttempts, after, state: window.session.state, events: window.events };
    });
    expect(out).toEqual({ code: 4203, attempts: undefined, after: -1, state: 'closed', events: ['kpi:closed', 'closed:4203'] });
  });

  test(`${mode}: an online event or resume() makes a reconnecting session try at once`, async ({ blankPage, wsURL, faults }) => {
    const id = uniq();
    // A backoff of up to an hour: the nudge is what brings it back.
    await openPage(blankPage, wsURL(`/app/Demo/identity/${id}`), worker, { minDelay: 3_600_000, maxDelay: 3_600_000 });
    await faults.add({ match: id, method: 'GetAppLayout', action: 'drop', count: 1 });
    const out = await blankPage.evaluate(async () => {
      const reconnecting = new Promise((resolve) => window.session.once('reconnecting', resolve));
      const resumed = new Promise((resolve) => window.session.once('resumed', resolve));
      await window.app.getAppLayout().catch(() => {});
      await reconnecting;
      const state = window.session.state;
      window.dispatchEvent(new Event('online'));
      await resumed;
      const total = (await window.kpi.getLayout()).total;
      return { state, total, after: window.session.state };
    });
    expect(out).toEqual({ state: 'reconnecting', total: 114, after: 'open' });
    // resume() while reconnecting tries at once too, and settles with it.
    await faults.add({ match: id, method: 'GetAppLayout', action: 'drop', count: 1 });
    const again = await blankPage.evaluate(async () => {
      const reconnecting = new Promise((resolve) => window.session.once('reconnecting', resolve));
      await window.app.getAppLayout().catch(() => {});
      await reconnecting;
      await window.session.resume();
      return { state: window.session.state, total: (await window.kpi.getLayout()).total };
    });
    expect(again).toEqual({ state: 'open', total: 114 });
  });
}
