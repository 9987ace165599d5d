// The browser benchmark's arithmetic (playwright/bench): medians, ratios
// against enigma.js with the targets, and the renderer CPU read
// from /proc, checked on this very process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientComparison, stats } from '../../playwright/bench/report.js';
import { metricsDelta, threadCpu, threadsDelta } from '../../playwright/bench/metrics.js';

test('stats gives the median proper and nearest-rank percentiles', () => {
  assert.deepEqual(stats([5, 1, 3]), { n: 3, mean: 3, median: 3, p50: 3, p95: 5, min: 1, max: 5 });
  const even = stats([4, 1, 2, 3, NaN]);
  assert.equal(even.n, 4);
  assert.equal(even.median, 2.5);
  assert.equal(even.p50, 2);
  assert.deepEqual(stats([]), { n: 0 });
});

test('clientComparison: medians, ratios to enigma.js and missed targets', () => {
  const targets = { wall: 1.0, main: 0.5, cpu: 1.2 };
  const row = (client, median, main, cpu) => ({ workload: 'w', client, targets, median, p95: median, n: 5, mainThreadMs: main, rendererCpuMs: cpu, cpuSource: 'proc' });
  const [w] = clientComparison([
    row('raw WebSocket', 50, 10, 20),
    row('enigma.js', 100, 80, 100),
    row('qix-wasm worker', 90, 50, 130),
    { workload: 'w', client: 'qix-wasm main', error: 'boom' },
  ]);
  assert.equal(w.workload, 'w');
  const q = w.clients['qix-wasm worker'];
  assert.equal(q.wallRatio, 0.9);
  assert.equal(q.mainRatio, 0.625);
  assert.equal(q.cpuRatio, 1.3);
  assert.deepEqual(q.missed, ['main', 'cpu']);
  assert.equal(w.clients['raw WebSocket'].wallRatio, 0.5);
  assert.equal(w.clients['enigma.js'].wallRatio, undefined);
  assert.deepEqual(w.clients['qix-wasm main'], { error: 'boom' });
});

test('threadCpu reads this process; threadsDelta counts threads born in between from zero', () => {
  if (process.platform !== 'linux') return;
  const before = threadCpu(process.pid);
  assert.ok(before && before.byTid.size >= 1);
  const t = Date.now();
  while (Date.now() - t < 30);
  const after = threadCpu(process.pid);
  const ms = threadsDelta(before, after) / 1e6;
  assert.ok(ms > 0 && ms < 10_000, `spent ${ms} ms`);
  const born = { pid: 1, byTid: new Map([['7', 5e6]]) };
  assert.equal(threadsDelta({ pid: 1, byTid: new Map() }, born), 5e6);
});

test('metricsDelta prefers /proc CPU over ProcessTime when both readings have it', () => {
  const m = (s, ns) => ({ TaskDuration: s, ScriptDuration: 0, ThreadTime: s, ProcessTime: s, NavigationStart: 1, threads: { pid: 9, byTid: new Map([['9', ns]]) } });
  const d = metricsDelta(m(1, 0), m(1.5, 2e8), 1);
  assert.equal(d.mainThreadMs, 500);
  assert.equal(d.rendererCpuMs, 200);
  assert.equal(d.cpuSource, 'proc');
  const noProc = metricsDelta({ ...m(1, 0), threads: null }, m(1.5, 2e8), 1);
  assert.equal(noProc.rendererCpuMs, 500);
  assert.equal(noProc.cpuSource, 'ProcessTime');
});
