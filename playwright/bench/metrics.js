// Counters of one page's renderer for the browser benchmark: the CDP
// Performance domain (main thread) and the renderer process's CPU time with
// every thread, workers included, from /proc.
import { readdirSync, readFileSync } from 'node:fs';

// The CDP Performance domain's counters for the page's renderer main thread
// (seconds). TaskDuration is the wall time of every main-thread task (what
// blocks input and rendering); dedicated workers run on their own threads
// and are not in it (checked: a 100 ms busy loop in a worker adds ~0 ms).
// ThreadTime is the main thread's CPU time (lower than TaskDuration when
// the machine is busy and the thread gets descheduled); ProcessTime is the
// CPU time of the whole renderer process, workers included, but in 10 ms
// ticks. ScriptDuration counts script run from tasks (event handlers,
// timers), but neither promise continuations (microtasks) nor script run
// inside a DevTools command such as Runtime.evaluate: measured code
// therefore starts in a timer task, and ScriptDuration stays a lower bound
// for promise-heavy code.
const METRICS = ['TaskDuration', 'ScriptDuration', 'ThreadTime', 'ProcessTime', 'NavigationStart'];

/** readMetrics reads the page's CDP counters and, when pid is known, its renderer's CPU. */
export async function readMetrics(cdp, pid = null) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const out = {};
  for (const m of metrics) if (METRICS.includes(m.name)) out[m.name] = m.value;
  if (pid) out.threads = threadCpu(pid);
  return out;
}

/** metricsDelta is the per-iteration milliseconds between two readMetrics results. */
export function metricsDelta(before, after, n) {
  // The per-document counters restart with every new document: if a
  // navigation happened in between, after alone is the time since that
  // navigation. ProcessTime belongs to the process and goes on, unless the
  // navigation moved to a new process (then it is smaller than before).
  const reset = !before || after.NavigationStart !== before.NavigationStart;
  const d = (k, restarts) => (((after[k] ?? 0) - (restarts ? 0 : (before?.[k] ?? 0))) * 1000) / n;
  const newProcess = !before || (after.ProcessTime ?? 0) < (before.ProcessTime ?? 0);
  const out = {
    mainThreadMs: d('TaskDuration', reset),
    scriptMs: d('ScriptDuration', reset),
    mainCpuMs: d('ThreadTime', reset),
    rendererCpuMs: d('ProcessTime', newProcess),
    cpuSource: 'ProcessTime',
  };
  // /proc's per-thread CPU (ns) replaces ProcessTime's 10 ms ticks when
  // both readings come from the same process.
  if (before?.threads && after.threads && before.threads.pid === after.threads.pid) {
    out.rendererCpuMs = threadsDelta(before.threads, after.threads) / 1e6 / n;
    out.cpuSource = 'proc';
  }
  return out;
}

// ---------------------------------------------------------------- /proc

/**
 * threadCpu reads the CPU time (ns) of every thread of process pid from
 * /proc/<pid>/task/<tid>/schedstat (the first field, sum_exec_runtime:
 * nanoseconds, unlike the 10 ms ticks of /proc/<pid>/stat). Returns
 * {pid, byTid: Map} or null when /proc cannot tell (not Linux, gone).
 */
export function threadCpu(pid) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  const byTid = new Map();
  for (const tid of tids) {
    const ns = readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);
    if (ns !== null) byTid.set(tid, ns);
  }
  return { pid, byTid };
}

function readSchedstat(file) {
  try {
    const ns = Number(readFileSync(file, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns : null;
  } catch {
    return null;
  }
}

/**
 * threadsDelta is the CPU (ns) the process's threads used between two
 * threadCpu readings: threads born in between count from zero; threads
 * that ended in between lose what they used after the first reading (the
 * renderer's threads live as long as the page, so this is rare and small).
 */
export function threadsDelta(before, after) {
  let ns = 0;
  for (const [tid, v] of after.byTid) ns += v - (before.byTid.get(tid) ?? 0);
  return ns;
}

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** descendants lists the pids below root (from /proc/<pid>/stat's ppid). */
function descendants(root) {
  const parent = new Map();
  let pids;
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  for (const p of pids) {
    const stat = readProc(p, 'stat');
    if (!stat) continue;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    parent.set(p, ppid);
  }
  const out = [];
  for (const p of parent.keys()) {
    for (let q = parent.get(p), hops = 0; q && hops < 16; q = parent.get(q), hops++) {
      if (q === String(root)) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

/**
 * rendererPid finds the renderer process of page (CDP session cdp) among
 * the renderers this node process started. The CDP counters count from
 * Performance.enable, not from the process start, so no absolute value
 * matches /proc; instead the page spins its main thread for 50 ms and the
 * renderer whose main thread (/proc/<pid>/task/<pid>/schedstat) gained
 * what the page's ThreadTime counter gained is the one (idle renderers
 * gain ~0). Returns null when none matches (then the runner falls back to
 * ProcessTime).
 */
export async function rendererPid(page, cdp) {
  const renderers = descendants(process.pid).filter((p) => (readProc(p, 'cmdline') ?? '').includes('--type=renderer'));
  if (!renderers.length) return null;
  const mainCpuMs = () => renderers.map((p) => (readSchedstat(`/proc/${p}/task/${p}/schedstat`) ?? NaN) / 1e6);
  const threadTimeMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = await threadTimeMs();
    const before = mainCpuMs();
    await page.evaluate(() => {
      const t = performance.now();
      while (performance.now() - t < 50);
    });
    const after = mainCpuMs();
    const gained = (await threadTimeMs()) - t0;
    if (!(gained > 5)) continue;
    const scored = renderers.map((p, i) => ({ pid: Number(p), diff: Math.abs(after[i] - before[i] - gained) })).sort((a, b) => a.diff - b.diff);
    const next = scored[1]?.diff ?? Infinity;
    if (scored[0].diff < gained * 0.25 && next > 3 * scored[0].diff + 2) return scored[0].pid;
  }
  return null;
}
