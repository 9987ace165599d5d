// qix-relay.js: sockets made by the page (the config's createSocket) for a
// Go module that runs in a Worker. The page cannot hand a WebSocket to a
// worker, so the page side owns the socket and the worker side sees a
// WebSocket-like RelaySocket; frames cross with postMessage in batches (one
// message per burst each way, as qix-socket.js batches them for Go).
//
// worker → page: {rs, open: token, url} · {rs, send: [text...]} · {rs, close: [code, reason]}
// page → worker: {rs, ev: 'open'} · {rs, frames: [text...]} · {rs, ev: 'close', code, reason}

import { socketFactories } from './qix-socket.js';

const decoder = new TextDecoder();

/** RelaySocket is the worker's stand-in for a socket the page owns. */
class RelaySocket {
  constructor(id, url, post) {
    this.id = id;
    this.url = url;
    this.readyState = 0;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this._post = post;
    this._out = [];
  }

  send(text) {
    this._out.push(text);
    if (this._out.length === 1) {
      queueMicrotask(() => {
        const list = this._out;
        this._out = [];
        this._post({ rs: this.id, send: list });
      });
    }
  }

  close(code, reason) {
    this._post({ rs: this.id, close: [code, reason] });
  }
}

/**
 * workerRelay installs, in a worker, a factory for every token that makes
 * RelaySockets, and returns the handler for the page's relay messages.
 */
export function workerRelay(post) {
  const live = new Map();
  let next = 0;
  const factoryFor = (token) => (url) => {
    const s = new RelaySocket(++next, url, post);
    live.set(s.id, s);
    post({ rs: s.id, open: token, url });
    return s;
  };
  // Any token the Go module names is the page's: resolve it lazily.
  const get = socketFactories.get.bind(socketFactories);
  socketFactories.get = (token) => get(token) || factoryFor(token);
  return (m) => {
    const s = live.get(m.rs);
    if (!s) return;
    if (m.ev === 'open') {
      s.readyState = 1;
      if (s.onopen) s.onopen({ type: 'open' });
    } else if (m.frames) {
      for (const data of m.frames) if (s.onmessage) s.onmessage({ data });
    } else if (m.ev === 'close') {
      s.readyState = 3;
      live.delete(m.rs);
      if (s.onclose) s.onclose({ code: m.code, reason: m.reason });
    }
  };
}

/**
 * pageRelay returns the page-side handler of a worker's relay messages: it
 * makes the socket with the registered factory and moves its frames.
 */
export function pageRelay(post) {
  const live = new Map();
  return (m) => {
    if (m.open !== undefined) {
      const closeWith = (code, reason) => post({ rs: m.rs, ev: 'close', code, reason });
      let ws;
      try {
        const make = socketFactories.get(m.open);
        if (!make) throw new Error('the session that made this socket is gone');
        ws = make(m.url);
        if (!ws || typeof ws.send !== 'function') throw new Error('createSocket did not return a WebSocket');
      } catch (err) {
        closeWith(1006, `failed to open ${m.url}: ${err && err.message ? err.message : err}`);
        return;
      }
      let frames = [];
      const flush = () => {
        if (frames.length === 0) return;
        post({ rs: m.rs, frames });
        frames = [];
      };
      ws.onopen = () => post({ rs: m.rs, ev: 'open' });
      ws.onmessage = (e) => {
        frames.push(typeof e.data === 'string' ? e.data : decoder.decode(e.data));
        if (frames.length === 1) queueMicrotask(flush);
      };
      ws.onclose = (e) => {
        flush();
        live.delete(m.rs);
        closeWith(e && e.code !== undefined ? e.code : 1006, (e && e.reason) || '');
      };
      ws.onerror = () => {}; // a close follows
      live.set(m.rs, ws);
      return;
    }
    const ws = live.get(m.rs);
    if (!ws) return;
    if (m.send) for (const text of m.send) ws.send(text);
    else if (m.close) {
      try {
        ws.close(m.close[0], m.close[1]);
      } catch {
        ws.close();
      }
    }
  };
}
