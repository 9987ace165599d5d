// missing: turns "a file the page needs is not there" into a sentence that
// names the file and says how to fix it. A failed dynamic import() only says
// "Failed to fetch dynamically imported module" and names the importing
// module, not the dependency that 404'd, so we ask the server about each
// file the page depends on.

/** FIXES names, per URL prefix, what brings a missing file back. */
const FIXES = [
  ['/vendor/', 'it comes from node_modules: run `npm ci` in the repository (./build.sh serve does it for you)'],
  ['/qix.wasm', 'the wasm is not built: run `./build.sh build` (./build.sh serve does it for you)'],
  ['/wasm_exec.js', 'the wasm is not built: run `./build.sh build` (./build.sh serve does it for you)'],
];

/**
 * explainMissing fetches each URL and returns a readable sentence for the
 * first one the server does not deliver, or null when all of them load (the
 * failure was something else, such as a syntax error).
 */
export async function explainMissing(urls) {
  for (const url of urls) {
    let status;
    try {
      const res = await fetch(url, { method: 'HEAD', cache: 'no-store' });
      if (res.ok) continue;
      status = `HTTP ${res.status}`;
    } catch (err) {
      status = err.message;
    }
    const fix = FIXES.find(([prefix]) => url.startsWith(prefix));
    return `${url} is missing on this server (${status})${fix ? `: ${fix[1]}` : ''}.`;
  }
  return null;
}

/**
 * importOrExplain imports a module; when that fails, it rejects with an Error
 * whose message names the missing dependency (one of `needs`) and the fix.
 */
export async function importOrExplain(specifier, needs) {
  try {
    return await import(specifier);
  } catch (err) {
    const why = await explainMissing([specifier, ...needs]);
    if (!why) throw err;
    const e = new Error(why);
    e.cause = err;
    throw e;
  }
}
