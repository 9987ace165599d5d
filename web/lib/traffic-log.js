// traffic-log: the frames of QIX sessions, for the console and the
// inspector. TrafficLog records every frame a session sends and receives
// (time, direction, id, handle, method, size, latency, change and close
// lists), imports and exports the [{"Sent": msg} | {"Received": msg}] JSON
// array format that enigma-go's mock mode and other QIX tools read; exports
// are redacted (see redact.js) and the log never holds a password given as a
// positional param. The view is traffic-panel.js.
import { maskSecretParams, redactFrame } from './redact.js';

const encoder = new TextEncoder();

/** utf8Length counts the UTF-8 bytes of s without allocating them. */
export function utf8Length(s) {
  // Short strings: encoding is cheaper than the loop's branches.
  if (s.length < 4096) return encoder.encode(s).length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** classify names what a frame is: request, response, error or notification. */
export function classify(dir, msg) {
  if (!msg || typeof msg !== 'object') return 'other';
  if (msg.error) return 'error';
  if (msg.method !== undefined) return msg.id !== undefined && dir === 'sent' ? 'request' : 'notification';
  if (msg.id !== undefined) return 'response';
  return 'other';
}

let nextSeq = 1;

/**
 * TrafficLog keeps the frames of one or more sessions in arrival order and
 * pairs responses with their requests by id (latency, method name).
 * Listeners get {type: 'add', entries}, {type: 'update', entry} (a request
 * got its answer) and {type: 'reset'}.
 */
export class TrafficLog {
  constructor({ limit = 5000 } = {}) {
    this.limit = limit;
    this.entries = [];
    this.dropped = 0;
    this.listeners = new Set();
    this.pending = new Map(); // request id -> entry
    this.queued = [];
    this.flushScheduled = false;
  }

  /** attach records a session's traffic; call it before session.open(). Returns a detach function. */
  attach(session, label = '') {
    // A bridge that passes the frame's byte length as a third argument
    // saves re-serialising every frame just to measure it.
    const fn = (dir, msg, bytes) => this.add(dir, msg, { source: label, bytes });
    session.on('traffic:*', fn);
    return () => session.off('traffic:*', fn);
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(evt) {
    for (const fn of this.listeners) fn(evt);
  }

  /**
   * add records one frame (parsed JSON). time is epoch ms, null for imported
   * frames; bytes is the frame's size when known (else that of its JSON).
   */
  add(dir, msg, { time = performance.timeOrigin + performance.now(), source = '', bytes } = {}) {
    msg = maskSecretParams(msg); // OpenDoc's qPassword by position: never kept
    const kind = classify(dir, msg);
    const entry = {
      seq: nextSeq++,
      time,
      dir,
      kind,
      msg,
      source,
      id: msg && msg.id !== undefined ? msg.id : undefined,
      handle: msg && typeof msg.handle === 'number' ? msg.handle : undefined,
      method: msg && typeof msg.method === 'string' ? msg.method : undefined,
      size: typeof bytes === 'number' ? bytes : utf8Length(JSON.stringify(msg)),
      change: msg && Array.isArray(msg.change) && msg.change.length ? msg.change : undefined,
      close: msg && Array.isArray(msg.close) && msg.close.length ? msg.close : undefined,
      latency: undefined,
      request: undefined,
      response: undefined,
      searchText: undefined,
    };
    if (kind === 'request') {
      this.pending.set(`${source}:${entry.id}`, entry);
    } else if ((kind === 'response' || kind === 'error') && entry.id !== undefined && dir === 'received') {
      const key = `${source}:${entry.id}`;
      const req = this.pending.get(key);
      if (req) {
        this.pending.delete(key);
        entry.request = req;
        req.response = entry;
        entry.method = req.method;
        entry.handle = req.handle;
        if (time != null && req.time != null) entry.latency = req.latency = time - req.time;
        this.emit({ type: 'update', entry: req });
      }
    }
    this.entries.push(entry);
    if (this.entries.length > this.limit) {
      const n = this.entries.length - this.limit;
      this.entries.splice(0, n);
      this.dropped += n;
    }
    // Frames come in bursts (one batch per engine turn): one notification
    // per task keeps a thousand pipelined calls from a thousand renders.
    this.queued.push(entry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        const entries = this.queued;
        this.queued = [];
        this.emit({ type: 'add', entries });
      });
    }
    return entry;
  }

  clear() {
    this.entries = [];
    this.pending.clear();
    this.queued = [];
    this.dropped = 0;
    this.emit({ type: 'reset' });
  }

  /** toTraffic returns the redacted [{"Sent": msg} | {"Received": msg}] array. */
  toTraffic(entries = this.entries) {
    return entries.map((e) => (e.dir === 'sent' ? { Sent: redactFrame(e.msg) } : { Received: redactFrame(e.msg) }));
  }

  /** exportText is toTraffic as the tab-indented JSON QIX traffic files use. */
  exportText(entries = this.entries) {
    return JSON.stringify(this.toTraffic(entries), null, '\t');
  }

  /**
   * import appends frames from a traffic file: the JSON array format above,
   * or the line format corectl writes ("-> {json}" sent, "<- {json}"
   * received). Returns the number of frames added.
   */
  import(text, source = 'import') {
    const frames = parseTraffic(text);
    for (const [dir, msg] of frames) this.add(dir, msg, { time: null, source });
    return frames.length;
  }
}

/** parseTraffic reads a traffic file into [dir, msg] pairs; it throws on anything else. */
export function parseTraffic(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const arr = JSON.parse(trimmed);
    return arr.map((item, i) => {
      if (item && typeof item === 'object' && 'Sent' in item) return ['sent', item.Sent];
      if (item && typeof item === 'object' && 'Received' in item) return ['received', item.Received];
      throw new Error(`item ${i} has neither "Sent" nor "Received"`);
    });
  }
  const out = [];
  for (const [i, line] of trimmed.split('\n').entries()) {
    const m = /^\s*(-+>|<-+)\s*(.*)$/.exec(line);
    if (!m) {
      if (line.trim()) throw new Error(`line ${i + 1} starts with neither --> nor <--`);
      continue;
    }
    out.push([m[1].startsWith('<') ? 'received' : 'sent', JSON.parse(m[2])]);
  }
  if (!out.length) throw new Error('no frames found');
  return out;
}
