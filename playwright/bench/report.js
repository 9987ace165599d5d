// Statistics and printed tables of the browser benchmark.

import { GO_FLOOR, RAW_WORKER } from './page-clients.js';

export const REFERENCE = 'enigma.js';
// The client whose ratios are the issue's table; the others get columns
// of their own in the per-client table.
export const DEFAULT_CLIENT = 'qix-wasm worker';
export const SECOND_CLIENT = 'qix-wasm main';
export const RAW_CLIENT = 'raw WebSocket';
// FLOOR_CLIENTS are the rows' floors of the default client's design (see printIssueTable).
export const FLOOR_CLIENTS = [RAW_WORKER, GO_FLOOR];
export const COUNTERS = ['mainThreadMs', 'scriptMs', 'mainCpuMs', 'rendererCpuMs'];

export function stats(samples) {
  const s = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return { n: 0 };
  // Nearest-rank percentiles: with few samples p95 is simply the maximum.
  const q = (p) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / n;
  // The median proper (the mean of the middle two for even n).
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, mean, median, p50: q(0.5), p95: q(0.95), min: s[0], max: s[n - 1] };
}

/** parseGoBench parses `go test -bench` output into {pkg, name, iterations, metrics}. */
export function parseGoBench(text) {
  const out = [];
  let pkg = '';
  for (const line of text.split('\n')) {
    const p = line.match(/^pkg:\s+(\S+)/);
    if (p) {
      pkg = p[1];
      continue;
    }
    const m = line.match(/^(Benchmark\S+)\s+(\d+)\s+(.*)$/);
    if (!m) continue;
    const metrics = {};
    const parts = m[3].trim().split(/\s+/);
    for (let i = 0; i + 1 < parts.length; i += 2) metrics[parts[i + 1]] = Number(parts[i]);
    out.push({ pkg, name: m[1], iterations: Number(m[2]), metrics });
  }
  return out;
}

export function fmt(v) {
  if (v === undefined || v === null || !Number.isFinite(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : undefined;
}

export function printGrid(head, body, alignLeft = [0]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => (alignLeft.includes(i) ? String(c ?? '').padEnd(widths[i]) : String(c ?? '').padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** printMarkdown prints a GitHub table (pasteable into the README and the issue). */
function printMarkdown(head, body) {
  const row = (cells) => `| ${cells.map((c) => String(c ?? '')).join(' | ')} |`;
  console.log(row(head));
  console.log(row(head.map(() => '---')));
  for (const b of body) console.log(row(b));
}

/**
 * clientComparison groups the client cases by workload: per client the
 * medians of wall time, page main-thread time and renderer CPU, and their
 * ratios to the reference client, checked against the workload's targets.
 */
export function clientComparison(results, reference = REFERENCE) {
  const workloads = [];
  for (const r of results) if (r.workload && !workloads.includes(r.workload)) workloads.push(r.workload);
  return workloads.map((w) => {
    const rows = results.filter((r) => r.workload === w);
    const row = { workload: w, targets: rows.find((r) => r.targets)?.targets ?? null, clients: {} };
    const ref = rows.find((r) => r.client === reference && !r.error && !r.skipped);
    for (const r of rows) {
      if (r.error || r.skipped) {
        row.clients[r.client] = r.error ? { error: r.error } : { skipped: r.skipped };
        continue;
      }
      const cell = { n: r.n, wallMs: r.median, wallP95: r.p95, mainThreadMs: r.mainThreadMs, mainCpuMs: r.mainCpuMs, rendererCpuMs: r.rendererCpuMs, cpuSource: r.cpuSource };
      if (ref && r.client !== reference) {
        cell.wallRatio = ratio(r.median, ref.median);
        cell.mainRatio = ratio(r.mainThreadMs, ref.mainThreadMs);
        cell.cpuRatio = ratio(r.rendererCpuMs, ref.rendererCpuMs);
        if (row.targets) cell.missed = missedTargets(cell, row.targets);
      }
      row.clients[r.client] = cell;
    }
    return row;
  });
}

const TARGET_RATIOS = { wall: 'wallRatio', main: 'mainRatio', cpu: 'cpuRatio' };

function missedTargets(cell, targets) {
  return Object.entries(targets)
    .filter(([k, max]) => Number.isFinite(cell[TARGET_RATIOS[k]]) && cell[TARGET_RATIOS[k]] > max)
    .map(([k]) => k);
}

function ratioText(cell, key, target) {
  const v = cell?.[TARGET_RATIOS[key]];
  if (!Number.isFinite(v)) return cell?.error ? 'ERROR' : '-';
  return `${v.toFixed(2)}${Number.isFinite(target) && v > target ? '!' : ''}`;
}

/**
 * printIssueTable prints the issue's table: one row per workload, the
 * ratios qix-wasm ÷ enigma.js (default worker mode / main-thread mode) of
 * wall time, page main-thread time and renderer CPU, and the raw WebSocket
 * client's wall ratio as the physical limit.
 */
export function printIssueTable(rows) {
  if (!rows.length) return;
  const head = ['workload', 'wall', 'page main thread', 'renderer CPU (workers included)', 'raw WebSocket wall (limit)', 'floor wall, CPU'];
  const body = rows.map((r) => {
    const w = r.clients[DEFAULT_CLIENT];
    const m = r.clients[SECOND_CLIENT];
    const t = r.targets ?? {};
    const both = (key) => `${ratioText(w, key, t[key])} / ${ratioText(m, key, t[key])}`;
    let wall = both('wall');
    // Start-up rows also show the times themselves, as the issue does.
    if (r.clients[REFERENCE]?.wallMs !== undefined && w?.wallMs !== undefined && r.workload.includes('start')) {
      wall += ` (${fmt(w.wallMs)} ms vs ${fmt(r.clients[REFERENCE].wallMs)} ms)`;
    }
    // The floor of the default client's design, where a row has one: the
    // raw client with its socket in a worker (small calls), a Go module
    // that only starts (start-up).
    const floor = FLOOR_CLIENTS.map((c) => r.clients[c]).find(Boolean);
    return [r.workload, wall, both('main'), both('cpu'), ratioText(r.clients[RAW_CLIENT], 'wall'), floor ? `${ratioText(floor, 'wall')}, ${ratioText(floor, 'cpu')}` : ''];
  });
  printMarkdown(head, body);
  console.log(
    `ratios ÷ ${REFERENCE} of medians: ${DEFAULT_CLIENT} / ${SECOND_CLIENT}; "!" marks a missed target` +
      ' (wall ≤ 1.0 or the workload\'s own, main thread ≤ 0.5 or 0.4 where the issue says so, renderer CPU ≤ 1.2);' +
      `\nfloor: ${FLOOR_CLIENTS.join(' (small calls) / ')} (start-up), the least any client built like ${DEFAULT_CLIENT} can cost`,
  );
}

/** printClientTable prints every client's medians per workload (ms per iteration). */
export function printClientTable(rows) {
  if (!rows.length) return;
  const head = ['workload', 'client', 'n', 'wall', 'wall p95', 'main thread', 'main CPU', 'renderer CPU', 'wall×', 'main×', 'CPU×'];
  const body = [];
  for (const r of rows) {
    const t = r.targets ?? {};
    for (const [client, x] of Object.entries(r.clients)) {
      if (x.error || x.skipped) {
        body.push([r.workload, client, x.error ? 'ERROR' : 'skipped', '', '', '', '', '', '', '', '']);
        continue;
      }
      const cpu = `${fmt(x.rendererCpuMs)}${x.cpuSource === 'ProcessTime' ? '~' : ''}`;
      const ratios = client === REFERENCE ? ['', '', ''] : ['wall', 'main', 'cpu'].map((k) => ratioText(x, k, client === RAW_CLIENT ? undefined : t[k]));
      body.push([r.workload, client, String(x.n), fmt(x.wallMs), fmt(x.wallP95), fmt(x.mainThreadMs), fmt(x.mainCpuMs), cpu, ...ratios]);
    }
  }
  printGrid(head, body, [0, 1]);
  console.log(
    `ms per iteration, medians of n samples; main thread = the page's main-thread tasks (CDP TaskDuration);` +
      `\nmain CPU = the main thread's CPU (CDP ThreadTime: below main thread when the machine is loaded and the thread waits for a core);` +
      `\nrenderer CPU = CPU time of every thread of the page's renderer process, workers included (/proc/<pid>/task/*/schedstat;` +
      `\n"~" = CDP ProcessTime in 10 ms ticks where the process was not found); ×: ratio to ${REFERENCE}, "!" a missed target`,
  );
}

export function printOtherCases(results) {
  const rows = results.filter((r) => !r.workload);
  if (!rows.length) return;
  const head = ['case', 'n', 'mean', 'p50', 'p95', 'min', 'max', 'main', 'script', 'renderer CPU'];
  const body = rows.map((r) =>
    r.error
      ? [r.name, 'ERROR', '', '', '', '', '', '', '', '']
      : r.skipped
        ? [r.name, 'skipped', '', '', '', '', '', '', '', '']
        : [r.name, String(r.n), fmt(r.mean), fmt(r.p50), fmt(r.p95), fmt(r.min), fmt(r.max), fmt(r.mainThreadMs), fmt(r.scriptMs), fmt(r.rendererCpuMs)],
  );
  printGrid(head, body);
  console.log('times in ms per iteration; main = page main-thread busy time (CDP TaskDuration); script = ScriptDuration');
}

export function printProblems(results) {
  for (const r of results) {
    if (r.error) console.log(`ERROR   ${r.name}: ${r.error.split('\n')[0]}`);
    if (r.skipped) console.log(`SKIPPED ${r.name}: ${r.skipped}`);
  }
}

export function printGoBench(goResults) {
  if (!goResults.length) return;
  const units = ['ns/op', 'B/op', 'allocs/op'];
  const body = goResults.map((g) => [
    `${g.pkg.replace(/^github\.com\/qix-wasm\/qix-wasm\//, '')}.${g.name.replace(/-\d+$/, '')}`,
    String(g.iterations),
    ...units.map((u) => (g.metrics[u] === undefined ? '-' : String(g.metrics[u]))),
    Object.entries(g.metrics)
      .filter(([u]) => !units.includes(u))
      .map(([u, v]) => `${v} ${u}`)
      .join('  '),
  ]);
  printGrid(['Go benchmark', 'N', ...units, 'other'], body, [0, 5]);
}
