// qix-resume.js: the page side of automatic resume. The policy (which
// closes to retry, backoff, bounds, waiting calls) lives in the Go core;
// this module checks the option, and forwards the page's `online` and
// visible-again moments to Go as a nudge to try at once.

const WAIT = new Set(['queue', 'fail']);

/**
 * checkResume returns the problem with config.resume, or ''. It is a
 * boolean or {enabled, maxAttempts, minDelay, maxDelay, waitForCalls,
 * queueTimeout} (delays in ms).
 */
export function checkResume(r) {
  if (r === undefined || typeof r === 'boolean') return '';
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'config.resume must be a boolean or an object';
  for (const key of Object.keys(r)) {
    if (!['enabled', 'maxAttempts', 'minDelay', 'maxDelay', 'waitForCalls', 'queueTimeout'].includes(key)) return `config.resume.${key} is not an option (enabled, maxAttempts, minDelay, maxDelay, waitForCalls, queueTimeout)`;
  }
  if (r.enabled !== undefined && typeof r.enabled !== 'boolean') return 'config.resume.enabled must be a boolean';
  if (r.maxAttempts !== undefined && !(Number.isInteger(r.maxAttempts) && r.maxAttempts >= 1)) return 'config.resume.maxAttempts must be a whole number, at least 1';
  for (const key of ['minDelay', 'maxDelay', 'queueTimeout']) {
    if (r[key] !== undefined && !(typeof r[key] === 'number' && Number.isFinite(r[key]) && r[key] > 0)) return `config.resume.${key} must be a positive number of milliseconds`;
  }
  if (r.waitForCalls !== undefined && !WAIT.has(r.waitForCalls)) return "config.resume.waitForCalls must be 'queue' or 'fail'";
  return '';
}

/**
 * resumeOptions is what the Go core gets: on by default, except that a
 * page asking for enigma.js's suspendOnClose without a resume option keeps
 * enigma.js's manual suspend/resume.
 */
export function resumeOptions(config) {
  const r = config.resume;
  if (r === false || (r === undefined && config.suspendOnClose === true)) return { enabled: false };
  if (r === undefined || r === true) return { enabled: true };
  const out = { enabled: r.enabled !== false };
  if (r.maxAttempts !== undefined) out.maxAttempts = r.maxAttempts;
  // Go reads whole milliseconds.
  for (const key of ['minDelay', 'maxDelay', 'queueTimeout']) if (r[key] !== undefined) out[key] = Math.max(1, Math.round(r[key]));
  if (r.waitForCalls !== undefined) out.waitForCalls = r.waitForCalls;
  return out;
}

/**
 * watchNetwork calls nudge when the page comes back online or into view;
 * it returns the function that stops watching.
 */
export function watchNetwork(nudge) {
  const g = globalThis;
  const doc = g.document;
  const onVisible = () => {
    if (doc.visibilityState === 'visible') nudge();
  };
  if (typeof g.addEventListener === 'function') g.addEventListener('online', nudge);
  if (doc && typeof doc.addEventListener === 'function') doc.addEventListener('visibilitychange', onVisible);
  return () => {
    if (typeof g.removeEventListener === 'function') g.removeEventListener('online', nudge);
    if (doc && typeof doc.removeEventListener === 'function') doc.removeEventListener('visibilitychange', onVisible);
  };
}
