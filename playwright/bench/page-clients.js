// The benchmark's clients as seen from the page. installClients runs in
// the page (Playwright serializes it: it may use nothing from this file)
// and defines window.__benchOpen(client, url, delta), which loads and opens
// one client and resolves with the small API every workload is written
// against:
//
//   openDoc(name) -> doc            createObject(doc, props) -> obj
//   getField(doc, name) -> field    onChanged(obj, fn)
//   prep(obj, method, ...args) -> () => Promise<result>      close()
//
// prep binds a call once, so a workload's timed loop only calls. enigma.js
// and qix-wasm resolve with the unwrapped result (e.g. qProp's value); the
// raw client with the JSON-RPC result object as parsed (e.g. {qProp: ...}),
// so checks accept both.

/**
 * CLIENT_NAMES are the clients, in table order. BENCH_AB=/base/ adds a
 * client "qix-wasm worker @/base/" that loads /base/qix.js (a copy of
 * another build served by the dev server's -web folder): A/B of two
 * builds in one run, their rounds interleaved like the other clients'.
 */
export const CLIENT_NAMES = ['raw WebSocket', 'enigma.js', 'qix-wasm worker', 'qix-wasm main', ...(process.env.BENCH_AB ? [`qix-wasm worker @${process.env.BENCH_AB}`] : [])];

/** RAW_WORKER is the raw client with its socket in a worker (small-call workloads only). */
export const RAW_WORKER = 'raw WebSocket in a worker';

/** GO_FLOOR is the start-up rows' Go module that only starts (cases/start.js). */
export const GO_FLOOR = 'Go wasm floor (start only)';

export function installClients() {
  const RAW_WORKER = 'raw WebSocket in a worker'; // this function runs in the page: no imports
  // The physical limit: pre-built request strings (only the id is
  // appended), one JSON.parse per message, an id -> resolver map; no
  // delta, no schema, no objects beyond a handle.
  // viaWorker: the same client with its socket in a dedicated worker that
  // only relays text (/_dev/raw-worker.js): the floor of any client that
  // keeps the socket off the page (two thread hops per round trip).
  async function openRaw(url, viaWorker = false) {
    const ws = viaWorker ? workerSocket(url) : new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onmessage = () => resolve(); // OnConnected
      ws.onclose = (e) => reject(new Error(`raw WebSocket closed ${e.code} ${e.reason}`));
    });
    const pending = new Map();
    const listeners = new Map(); // handle -> [fn]
    let nextId = 0;
    ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        if (p) {
          pending.delete(msg.id);
          if (msg.error) p.reject(new Error(`${msg.error.code}: ${msg.error.message} ${msg.error.parameter ?? ''}`));
          else p.resolve(msg.result);
        }
      }
      if (msg.change) for (const h of msg.change) for (const fn of listeners.get(h) ?? []) fn();
    };
    ws.onclose = (e) => {
      for (const p of pending.values()) p.reject(new Error(`raw WebSocket closed ${e.code}`));
      pending.clear();
    };
    const close = viaWorker ? () => ws.close() : () => ws.close(1000);
    const send = (prefix) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        ws.send(prefix + id + '}');
      });
    const prefixOf = (handle, method, params) => `{"jsonrpc":"2.0","handle":${handle},"method":"${method}","params":${JSON.stringify(params)},"id":`;
    const call = (handle, method, params) => send(prefixOf(handle, method, params));
    const handleOf = (r) => ({ handle: r.qReturn.qHandle });
    return {
      openDoc: async (name) => handleOf(await call(-1, 'OpenDoc', [name])),
      createObject: async (doc, props) => handleOf(await call(doc.handle, 'CreateSessionObject', [props])),
      getField: async (doc, name) => handleOf(await call(doc.handle, 'GetField', [name])),
      prep: (obj, method, ...args) => {
        const prefix = prefixOf(obj.handle, method[0].toUpperCase() + method.slice(1), args);
        return () => send(prefix);
      },
      onChanged: (obj, fn) => listeners.set(obj.handle, [...(listeners.get(obj.handle) ?? []), fn]),
      close: async () => close(),
    };
  }

  // workerSocket is a WebSocket-shaped relay to /_dev/raw-worker.js.
  function workerSocket(url) {
    const w = new Worker('/_dev/raw-worker.js');
    const sock = {
      onmessage: null,
      onclose: null,
      send: (text) => w.postMessage(text),
      close: () => w.postMessage({ close: 1000 }),
    };
    w.onmessage = (e) => {
      if (typeof e.data === 'string') sock.onmessage?.({ data: e.data });
      else {
        sock.onclose?.({ code: e.data.closed, reason: e.data.reason });
        w.terminate();
      }
    };
    w.postMessage({ open: url });
    return sock;
  }

  // enigma.js and qix-wasm share one API shape (the schema's methods).
  function schemaApi(session, global) {
    return {
      openDoc: (name) => global.openDoc(name),
      createObject: (doc, props) => doc.createSessionObject(props),
      getField: (doc, name) => doc.getField(name),
      prep: (obj, method, ...args) => () => obj[method](...args),
      onChanged: (obj, fn) => obj.on('changed', fn),
      close: () => session.close(),
    };
  }

  // enigma.js 2.15 from node_modules (served under /vendor), on its
  // defaults but for delta when asked; the schema is part of loading it.
  async function openEnigma(url, delta) {
    if (!window.enigma) {
      await new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = '/vendor/enigma.js';
        s.onload = resolve;
        s.onerror = () => reject(new Error('/vendor/enigma.js failed to load'));
        document.head.appendChild(s);
      });
    }
    const res = await fetch('/vendor/schemas/12.2027.0.json');
    if (!res.ok) throw new Error(`enigma.js schema: HTTP ${res.status}`);
    const schema = await res.json();
    const session = window.enigma.create({ schema, url, protocol: { delta } });
    return schemaApi(session, await session.open());
  }

  async function openQix(url, delta, worker, prefix = '/') {
    const { create } = await import(`${prefix}qix.js`);
    const session = create({ url, worker, protocol: { delta } });
    return schemaApi(session, await session.open());
  }

  window.__benchOpen = (client, url, delta = true) => {
    switch (client) {
      case 'raw WebSocket':
        return openRaw(url);
      case RAW_WORKER:
        return openRaw(url, true);
      case 'enigma.js':
        return openEnigma(url, delta);
      case 'qix-wasm worker':
        return openQix(url, delta, true);
      case 'qix-wasm main':
        return openQix(url, delta, false);
      default:
        if (client.startsWith('qix-wasm worker @')) return openQix(url, delta, true, client.slice('qix-wasm worker @'.length));
        return Promise.reject(new Error(`unknown client ${client}`));
    }
  };
}
