// qix-boot.js: starts the Go module, the same way in a Worker and on the
// page. The page compiles the module while the worker script loads (a
// WebAssembly.Module can be posted to a worker), so download, compile and
// worker start-up overlap; streaming compilation also lets the browser
// cache the compiled code for warm loads.

// REGISTER is the global the Go module calls once at start (wasm/main.go
// registerName).
const REGISTER = '__qixwasm_register';

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
 * with the module's exports ({post(batch string)}) once its main has
 * registered. host is what the module gets back ({reply(header, body,
 * texts), openSocket}, see qix-socket.js); onExit runs if Go's main ever
 * returns. The registration function is a one-shot global, deleted before
 * anything else can run.
 */
export async function startGo(module, host, onExit) {
  // A static specifier, so bundlers include wasm_exec.js.
  if (!globalThis.Go) await import('./wasm_exec.js');
  const mem = new GoMemory();
  let api = null;
  const go = new globalThis.Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  mem.memory = instance.exports.mem;
  // For debugStats(): the JS values Go holds (wasm_exec.js's reference
  // table: ids with a live count) and the wasm memory's size.
  host.stats = () => ({
    jsValues: Array.isArray(go._goRefCounts) ? go._goRefCounts.filter((n) => Number.isFinite(n) && n > 0).length : -1,
    wasmMemory: instance.exports.mem.buffer.byteLength,
  });
  // Go's main registers synchronously inside go.run (wasm/main.go): no
  // other script can see the one-shot global.
  globalThis[REGISTER] = (exports) => {
    delete globalThis[REGISTER];
    api = mem.exports(exports);
    return mem.host(host);
  };
  go.run(instance).then(onExit);
  delete globalThis[REGISTER];
  if (!api) throw new Error('qix-wasm: the Go module did not register');
  return api;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * GoMemory moves bytes between JS and Go through the module's linear
 * memory (wasm/mem.go): JS writes a batch or a burst of frames into Go's
 * inbox and calls Go with their length; Go calls back with the address and
 * length of its own buffers, read here before the call returns. No
 * Uint8Array or string becomes a Go js.Value, each of which costs Go a
 * reference slot and a finalizer.
 */
export class GoMemory {
  memory = null; // WebAssembly.Memory: its buffer changes when it grows
  at = 0; // the inbox's address
  cap = 0; // and length
  grow = null; // Go's grow(n): a bigger inbox, [address, length]
  inflightAt = 0; // the address of Go's count of replies it awaits (an int32)

  bytes() {
    return new Uint8Array(this.memory.buffer);
  }

  /** room returns the inbox's address, with n bytes or more there. */
  room(n) {
    if (n > this.cap) [this.at, this.cap] = this.grow(n);
    return this.at;
  }

  /** put writes text (UTF-8) at the inbox's start and returns its length. */
  put(text) {
    if (text.length * 3 <= this.cap) return encoder.encodeInto(text, this.bytes().subarray(this.at, this.at + this.cap)).written;
    const b = encoder.encode(text);
    const at = this.room(b.length); // first: growing may replace the buffer
    this.bytes().set(b, at);
    return b.length;
  }

  exports(ex) {
    // Go's functions are called plainly, not as methods: a `this` object
    // would cost Go one more js.Value per call.
    const { post, grow } = ex;
    this.grow = (n) => grow(n);
    [this.at, this.cap] = ex.inbox;
    this.inflightAt = ex.inflight;
    return { post: (batch) => post(this.put(batch)) };
  }

  /** frames writes count lengths (uint32, little-endian), then the frames. */
  frames(list) {
    const head = 4 * list.length;
    let need = head;
    for (const f of list) need += typeof f === 'string' ? 3 * f.length : f.length;
    if (need > this.cap) {
      // Exact sizes, so a burst of big frames grows the inbox no further
      // than it must.
      list = list.map((f) => (typeof f === 'string' ? encoder.encode(f) : f));
      need = head;
      for (const f of list) need += f.length;
    }
    const at = this.room(need);
    const m = this.bytes();
    const v = new DataView(m.buffer, at, head);
    let w = at + head;
    list.forEach((f, i) => {
      let n = f.length;
      if (typeof f === 'string') n = encoder.encodeInto(f, m.subarray(w, at + this.cap)).written;
      else m.set(f, w);
      v.setUint32(4 * i, n, true);
      w += n;
    });
    return w - at;
  }

  host(host) {
    return {
      ...host,
      reply: (ha, hl, ba, bl, texts) => {
        const m = this.bytes();
        host.reply(decoder.decode(m.subarray(ha, ha + hl)), bl ? m.slice(ba, ba + bl) : null, texts);
      },
      openSocket: (url, onOpen, onBatch, onClose, sock) => {
        // awaited: the replies Go waits for, read in place (wasm/mem.go).
        const awaited = () => new DataView(this.memory.buffer).getInt32(this.inflightAt, true);
        const s = host.openSocket(url, onOpen, (list) => onBatch(list.length, this.frames(list)), onClose, sock, awaited);
        return {
          ...s,
          send: (at, lensAt, count) => {
            const m = this.bytes();
            const lens = new DataView(m.buffer, lensAt, 4 * count);
            for (let i = 0; i < count; i++) {
              const n = lens.getUint32(4 * i, true);
              s.send(decoder.decode(m.subarray(at, at + n)));
              at += n;
            }
          },
        };
      },
    };
  }
}
