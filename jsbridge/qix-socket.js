// qix-socket.js: the browser WebSocket for the Go module, on the thread that
// runs it. Crossing between JS and Go costs tens of microseconds, so frames
// are not handed over one by one: the frames of one burst go to Go in one
// call on a MessageChannel tick (qix-boot.js writes them into Go's memory),
// and Go sends its frames the same way. Only plumbing lives here; the
// protocol is Go's.

const encoder = new TextEncoder();
const BURST_MS = 1;
// Frames longer than BIG characters cross to Go as a stub holding their
// first and last EDGE characters.
const BIG = 64 * 1024;
const EDGE = 2048;

/**
 * socketFactories holds the page's own socket factories (the config's
 * createSocket) by token, on the thread that runs the Go module; in a worker
 * the token maps to a relay (see qix-relay.js) instead.
 */
export const socketFactories = new Map();

/**
 * openSocket opens url (with the factory registered as sock, when given,
 * else new WebSocket(url)) and reports through the callbacks: onOpen(),
 * onBatch(frames: (string | Uint8Array)[]: a text frame, a binary frame's
 * bytes or a big frame's stub), onClose(code, reason); awaited(), when
 * given, is the number of replies Go waits for. It returns {send(text), slice(id, start,
 * end), full(id), release(id), close(code, reason)}.
 */
export function openSocket(url, onOpen, onBatch, onClose, sock, awaited) {
  // A socket opened before Go ran (see preopen) is adopted; page-made
  // sockets (config.createSocket) are never opened early.
  const early = sock ? null : takePreopened(url);
  let ws = early && early.ws;
  try {
    if (ws) {
      // adopted
    } else if (sock) {
      const make = socketFactories.get(sock);
      if (!make) throw new Error(`no socket factory ${sock}`);
      ws = make(url);
      if (!ws || typeof ws.send !== 'function') throw new Error('createSocket did not return a WebSocket');
    } else ws = new WebSocket(url);
  } catch (err) {
    // A malformed URL throws synchronously; report it as a failed dial.
    queueMicrotask(() => onClose(1006, `failed to open ${url}: ${err && err.message ? err.message : err}`));
    return { send() {}, slice() {}, full: () => new Uint8Array(0), release() {}, close() {} };
  }
  try {
    ws.binaryType = 'arraybuffer';
  } catch {
    // a page-made socket may not have it
  }
  // Big frames stay here as strings: Go reads their envelope from a stub
  // (see qixcore.ElidedFrame) and takes the result's text with slice(), so
  // the page parses it without a UTF-8 round trip through Go.
  const big = new Map();
  let nextBig = 1;
  const stub = (text) => {
    const id = nextBig++;
    big.set(id, text);
    const head = encoder.encode(text.slice(0, EDGE));
    const tail = encoder.encode(text.slice(text.length - EDGE));
    const p = new Uint8Array(16 + head.length + tail.length);
    const v = new DataView(p.buffer);
    // p[0] = 0 marks a stub: a JSON frame never starts with a NUL.
    v.setUint32(4, id, true);
    v.setUint32(8, text.length, true);
    v.setUint32(12, head.length, true);
    p.set(head, 16);
    p.set(tail, 16 + head.length);
    return p;
  };
  let frames = [];
  let scheduled = false;
  const tick = new MessageChannel();

  const deliver = () => {
    scheduled = false;
    if (frames.length === 0) return;
    const list = frames;
    frames = [];
    onBatch(list.map((f) => (typeof f !== 'string' ? new Uint8Array(f) : f.length > BIG ? stub(f) : f)));
  };
  tick.port1.onmessage = deliver;

  ws.onopen = () => onOpen();
  if (early) {
    // Replay what the socket saw before Go asked for it.
    queueMicrotask(() => {
      if (early.opened) onOpen();
      for (const f of early.frames) frames.push(f);
      if (early.closed) ws.onclose(early.closed);
      else if (frames.length && !scheduled) {
        scheduled = true;
        tick.port2.postMessage(null);
      }
    });
  }
  // A frame that comes alone goes to Go at once: a lone reply, as in
  // sequential calls, then costs no extra task. Alone: nothing is waiting
  // to cross, and Go awaits at most one reply or nothing arrived in the last
  // BURST_MS (sequential calls faster than that are the rule on a nearby
  // engine, so the time alone would send most of them through the tick).
  // Frames that follow closely wait for the tick and cross together.
  let lastArrival = -Infinity;
  ws.onmessage = (e) => {
    const now = performance.now();
    const alone = !scheduled && frames.length === 0 && ((awaited && awaited() <= 1) || now - lastArrival > BURST_MS);
    lastArrival = now;
    frames.push(e.data);
    if (alone) deliver();
    else if (!scheduled) {
      scheduled = true;
      tick.port2.postMessage(null);
    }
  };
  ws.onclose = (e) => {
    deliver(); // frames that arrived before the close go first
    tick.port1.close();
    onClose(e.code, e.reason);
  };

  return {
    /** send sends one frame: QIX frames are text frames. */
    send(text) {
      ws.send(text);
    },
    /** slice hands out [start, end) of big frame id and forgets the frame. */
    slice(id, start, end) {
      const text = big.get(id);
      big.delete(id);
      return text === undefined ? undefined : text.slice(start, end);
    },
    /** full returns big frame id as UTF-8, for the rare envelope a stub cannot show. */
    full(id) {
      const text = big.get(id);
      return encoder.encode(text === undefined ? '' : text);
    },
    release(id) {
      big.delete(id);
    },
    close(code, reason) {
      try {
        ws.close(code, reason);
      } catch {
        ws.close(); // a code the browser may not send (e.g. 1006)
      }
    },
  };
}

// Sockets opened before the Go module runs, by URL, waiting for openSocket.
const preopened = new Map();

function takePreopened(url) {
  const list = preopened.get(url);
  const rec = list && list.shift();
  if (list && list.length === 0) preopened.delete(url);
  if (rec) {
    rec.ws.onopen = rec.ws.onmessage = rec.ws.onclose = null;
  }
  return rec;
}

/**
 * preopen opens, at once, the socket of every 'open' operation in batch (a
 * JSON string or an array of operations from qix.js) that arrives before
 * the Go module runs: the handshake then overlaps the module's download,
 * compile and start, and openSocket adopts the socket with what it saw.
 */
export function preopen(batch) {
  let ops = batch;
  if (typeof batch === 'string') {
    try {
      ops = JSON.parse(batch);
    } catch {
      return;
    }
  }
  if (!Array.isArray(ops)) return;
  for (const op of ops) {
    if (!op || op.op !== 'open' || typeof op.url !== 'string' || op.sock) continue;
    let ws;
    try {
      ws = new WebSocket(op.url);
    } catch {
      continue; // openSocket reports the bad URL
    }
    ws.binaryType = 'arraybuffer';
    const rec = { ws, opened: false, frames: [], closed: null };
    ws.onopen = () => (rec.opened = true);
    ws.onmessage = (e) => rec.frames.push(e.data);
    ws.onclose = (e) => (rec.closed = { code: e.code, reason: e.reason });
    if (!preopened.has(op.url)) preopened.set(op.url, []);
    preopened.get(op.url).push(rec);
  }
}
