// qix-socket.js: the browser WebSocket for the Go module, on the thread that
// runs it. Crossing between JS and Go costs tens of microseconds and every
// js.Value Go holds costs a finalizer, so frames are not handed over one by
// one: the frames of one burst go to Go as one byte buffer (plus their
// lengths) on a MessageChannel tick, and Go sends its frames the same way.
// Only plumbing lives here; the protocol is Go's.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * openSocket opens url and reports through the callbacks: onOpen(),
 * onBatch(bytes: Uint8Array, lengths: Uint8Array of little-endian uint32),
 * onClose(code, reason). It returns {send(bytes, lengths), close(code, reason)}.
 */
export function openSocket(url, onOpen, onBatch, onClose) {
  let ws;
  try {
    ws = new WebSocket(url);
  } catch (err) {
    // A malformed URL throws synchronously; report it as a failed dial.
    queueMicrotask(() => onClose(1006, `failed to open ${url}: ${err && err.message ? err.message : err}`));
    return { send() {}, close() {} };
  }
  ws.binaryType = 'arraybuffer';
  let frames = [];
  let scheduled = false;
  const tick = new MessageChannel();

  const deliver = () => {
    scheduled = false;
    if (frames.length === 0) return;
    const list = frames;
    frames = [];
    const parts = list.map((f) => (typeof f === 'string' ? encoder.encode(f) : new Uint8Array(f)));
    const lengths = new Uint32Array(parts.length);
    let total = 0;
    for (let i = 0; i < parts.length; i++) {
      lengths[i] = parts[i].length;
      total += parts[i].length;
    }
    let bytes = parts[0];
    if (parts.length > 1) {
      bytes = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    onBatch(bytes, new Uint8Array(lengths.buffer));
  };
  tick.port1.onmessage = deliver;

  ws.onopen = () => onOpen();
  ws.onmessage = (e) => {
    frames.push(e.data);
    if (!scheduled) {
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
    send(bytes, lengthBytes) {
      const lengths = new Uint32Array(lengthBytes.slice().buffer);
      let at = 0;
      for (const n of lengths) {
        // QIX frames are text frames.
        ws.send(decoder.decode(bytes.subarray(at, at + n)));
        at += n;
      }
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
