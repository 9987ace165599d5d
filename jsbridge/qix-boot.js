// qix-boot.js: starts the Go module, the same way in a Worker and on the
// page. The page compiles the module while the worker script loads (a
// WebAssembly.Module can be posted to a worker), so download, compile and
// worker start-up overlap; streaming compilation also lets the browser
// cache the compiled code for warm loads.

/** compileWasm fetches and compiles the module at url (streaming where the server sends application/wasm). */
export async function compileWasm(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`failed to fetch ${url}: HTTP ${res.status}`);
  if (WebAssembly.compileStreaming && (res.headers.get('content-type') || '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

/**
 * startGo instantiates module under wasm_exec.js's Go runtime and resolves
 * with the module's exports ({post}) once its main has registered. host is
 * what the module gets back ({reply, openSocket}); onExit runs if Go's main
 * ever returns. The registration function is a one-shot global with a
 * random name, deleted before anything else can run.
 */
export async function startGo(module, host, onExit) {
  // A static specifier, so bundlers include wasm_exec.js.
  if (!globalThis.Go) await import('./wasm_exec.js');
  const name = `__qixwasm_${Math.random().toString(36).slice(2)}`;
  let api = null;
  globalThis[name] = (exports) => {
    delete globalThis[name];
    api = exports;
    return host;
  };
  const go = new globalThis.Go();
  go.argv = ['qix-wasm', name];
  const instance = await WebAssembly.instantiate(module, go.importObject);
  // For debugStats(): the JS values Go holds (wasm_exec.js's reference
  // table: ids with a live count) and the wasm memory's size.
  host.stats = () => ({
    jsValues: Array.isArray(go._goRefCounts) ? go._goRefCounts.filter((n) => Number.isFinite(n) && n > 0).length : -1,
    wasmMemory: instance.exports.mem.buffer.byteLength,
  });
  go.run(instance).then(onExit);
  if (!api) throw new Error('qix-wasm: the Go module did not register');
  return api;
}
