// Fault scenarios (issue: no call ever hangs). For each fault the emulator
// can inject, in both modes, a page issues a mix of calls and counts how
// many settle (resolved or rejected with a typed error) within a deadline;
// then it checks the module still serves a new session. Every scenario
// must end with zero hung calls and a live module. The counts are printed
// as a table (see the test output) for the closing notes.
import { test, expect } from './fixtures.js';

const uniq = () => `sc-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

// Each fault is scoped to its test's identity (match) and hits GetAppLayout,
// the method the page calls 20 times; other calls run beside it.
const FAULTS = {
  'delay 300 ms': { action: 'delay', ms: 300 },
  stall: { action: 'stall' },
  'abort (15, retried)': { action: 'abort' },
  malformed: { action: 'malformed' },
  'unknown id': { action: 'unknown-id' },
  drop: { action: 'drop', count: 1 },
  'close 4204': { action: 'close', code: 4204, reason: '{"code":"QEP-104","traceId":"feed"}', count: 1 },
  'close 4205': { action: 'close', code: 4205, reason: 'busy', count: 1 },
};

const rows = [];
test.afterAll(() => {
  if (rows.length === 0) return;
  console.log('\nscenario                         mode    issued settled hung alive codes');
  for (const r of rows) {
    console.log(`${r.name.padEnd(32)} ${r.mode.padEnd(7)} ${String(r.issued).padStart(6)} ${String(r.settled).padStart(7)} ${String(r.hung).padStart(4)} ${String(r.alive).padEnd(5)} ${r.codes}`);
  }
});

for (const worker of [true, false]) {
  const mode = worker ? 'worker' : 'main';
  for (const [name, fault] of Object.entries(FAULTS)) {
    test(`${mode}: ${name}: every call settles and the module lives`, async ({ blankPage, wsURL, faults }) => {
      const id = uniq();
      await blankPage.evaluate(
        async ({ url, worker }) => {
          const { create } = await import('/qix.js');
          // A per-call bound: frames the client cannot match (malformed,
          // unknown id) or never gets (stall) end as timeouts, never hangs.
          window.session = create({ url, worker, timeout: 2500 });
          window.app = await (await window.session.open()).openDoc('Demo');
        },
        { url: wsURL(`/app/Demo/identity/${id}`), worker },
      );
      await faults.add({ match: id, method: fault.action === 'close' || fault.action === 'drop' ? '' : 'GetAppLayout', ...fault });
      const out = await blankPage.evaluate(
        async ({ url, worker }) => {
          const settled = [];
          const codes = new Map();
          const track = (p) =>
            p.then(
              () => settled.push('ok'),
              (e) => {
                settled.push('err');
                const k = String(e && e.code);
                codes.set(k, (codes.get(k) || 0) + 1);
              },
            );
          const calls = [];
          for (let i = 0; i < 20; i++) calls.push(track(window.app.getAppLayout()));
          for (let i = 0; i < 10; i++) calls.push(track(window.app.evaluate('1+1')));
          for (let i = 0; i < 10; i++) calls.push(track(window.app.getField('Region').then((f) => f.getCardinal())));
          await Promise.race([Promise.all(calls), new Promise((r) => setTimeout(r, 15000))]);
          // The module itself: a new session on the same backend works.
          const { create } = await import('/qix.js');
          let alive = false;
          try {
            const s = create({ url, worker, timeout: 10000 });
            const g = await s.open();
            alive = typeof (await g.engineVersion()).qComponentVersion === 'string';
            await s.close();
          } catch {
            alive = false;
          }
          return { issued: calls.length, settled: settled.length, alive, codes: [...codes].map(([k, n]) => `${k}×${n}`).join(' ') };
        },
        { url: wsURL(`/app/Demo/identity/${id}-after`), worker },
      );
      rows.push({ name, mode, ...out, hung: out.issued - out.settled });
      expect(out, JSON.stringify(out)).toMatchObject({ settled: out.issued, alive: true });
    });
  }
}
