// Types for /qix.js, the qix-wasm bridge. The per-class method interfaces
// (Global, Doc, GenericObject, ...) are generated from the QIX schema into
// qix-methods.d.ts.
import type { Global, Doc, QixClasses } from './qix-methods.js';

export type * from './qix-methods.js';

/** Configuration of create(). */
export interface SessionConfig {
  /** The engine WebSocket URL, e.g. ws://host:9076/app/Sales or wss://tenant/app/<id> (see buildURL). */
  url: string;
  /** JSON-RPC protocol options. delta (default true) asks for JSON-Patch layouts, applied for you. */
  protocol?: { delta?: boolean };
  /** When the socket closes without close() or suspend(), suspend instead of closing (then resume()). */
  suspendOnClose?: boolean;
  /** Run the Go module in a dedicated Web Worker (default true) or on this thread (false). */
  worker?: boolean;
  /** Where qix.wasm is served (default: next to qix.js). */
  wasmURL?: string;
  /** Bound on every call in milliseconds; 0 (default) means none. Timed-out calls send CancelRequest. */
  timeout?: number;
  /** An enigma.js-style schema ({structs: {Class: {Method: ...}}}) to name methods; default: the built-in one. */
  schema?: { structs: Record<string, Record<string, unknown>> };
}

/** Options of buildURL(): the parts of an engine URL. */
export interface URLConfig {
  secure?: boolean;
  host?: string;
  port?: number;
  /** Virtual proxy prefix. */
  prefix?: string;
  subpath?: string;
  /** Route instead of app/<appId>. */
  route?: string;
  appId?: string;
  /** /identity/<x>: a separate engine session for the same user. */
  identity?: string;
  /** /ttl/<seconds>: how long the engine keeps the session after the socket closes. */
  ttl?: number;
  /** A session app (/app/SessionApp_<id>). */
  sessionApp?: boolean;
  sessionAppId?: string;
  /** ?from=<templateAppId> for a session app. */
  templateAppId?: string;
  /** Query parameters in order, e.g. [['qlik-web-integration-id', '...']]. */
  params?: Array<[string, string]>;
}

/** The error a call rejects with. */
export interface QixError extends Error {
  /** Engine error code (e.g. 1003), an enigma.js client code (-1 not connected, -11 suspended, -12 not attached), or a close code. */
  code: number;
  kind: 'engine' | 'close' | 'client';
  /** Engine errors: the error's parameter. */
  parameter?: string;
  /** Engine errors: the LocalizedErrorCode name, e.g. LOCERR_APP_NOT_FOUND. */
  qixName?: string;
  /** Engine errors: the method and handle of the failed call. */
  method?: string;
  handle?: number;
  /** The full error text from the Go side. */
  detail?: string;
  /** Close errors: the close reason as sent. */
  reason?: string;
  /** Close errors: the QEP code and trace id parsed from a JSON reason (Qlik Cloud). */
  qepCode?: string;
  traceId?: string;
}

/** The 'closed' event of a Session. */
export interface ClosedEvent {
  code: number;
  reason: string;
  error: QixError;
}

/** The 'suspended' event of a Session. */
export interface SuspendedEvent {
  initiator: 'manual' | 'network';
  code: number;
  reason: string;
  error: QixError;
}

type Listener<A extends unknown[]> = (...args: A) => void;

/** One remote object (a handle). Its schema methods come from the interface of its class. */
export interface QixObject {
  readonly session: Session;
  /** The engine handle; it changes when resume() rebinds the object. */
  readonly handle: number;
  /** qType, e.g. 'Doc' or 'GenericObject'. */
  readonly type: string;
  /** qGenericType, e.g. 'barchart', when the engine gave one. */
  readonly genericType?: string;
  /** qGenericId (qSessionAppId for session apps). */
  readonly id: string;
  /** Calls any method by its QIX name, e.g. for methods outside the schema. */
  call(method: string, ...args: unknown[]): Promise<any>;
  /** 'changed' fires before the promise of the call that caused it settles. */
  on(event: 'changed' | 'closed' | 'suspended', fn: Listener<[]>): this;
  once(event: 'changed' | 'closed' | 'suspended', fn: Listener<[]>): this;
  off(event: 'changed' | 'closed' | 'suspended', fn: Listener<[]>): this;
}

/** One QIX session: a socket (owned by the Go module), its objects and their events. */
export declare class Session {
  readonly config: Required<Omit<SessionConfig, 'schema' | 'wasmURL'>> & Pick<SessionConfig, 'schema' | 'wasmURL'>;
  readonly state: 'created' | 'open' | 'suspended' | 'resuming' | 'closing' | 'closed';
  /** Live objects by handle; Global is -1. */
  readonly objects: Map<number, QixObject>;
  /** Connects and resolves with the Global object (handle -1). */
  open(): Promise<Global>;
  /** Closes the socket; pending calls reject and every object emits 'closed'. */
  close(code?: number, reason?: string): Promise<void>;
  /** Closes the socket but keeps the objects (code 4000 by default); calls reject with -11 until resume(). */
  suspend(code?: number, reason?: string): Promise<void>;
  /** Reconnects and rebinds every object it can (same objects, new handles). */
  resume(onlyIfAttached?: boolean): Promise<void>;
  on(event: 'opened' | 'resumed', fn: Listener<[]>): this;
  on(event: 'closed', fn: Listener<[ClosedEvent]>): this;
  on(event: 'suspended', fn: Listener<[SuspendedEvent]>): this;
  /** Every frame, parsed, with its size in bytes. */
  on(event: 'traffic:*', fn: Listener<['sent' | 'received', any, number]>): this;
  on(event: 'traffic:sent' | 'traffic:received', fn: Listener<[any, number]>): this;
  on(event: 'notification:*', fn: Listener<[string, any]>): this;
  on(event: `notification:${string}`, fn: Listener<[any]>): this;
  once(event: string, fn: (...args: any[]) => void): this;
  off(event: string, fn: (...args: any[]) => void): this;
}

/** Makes a session; call open() on it to connect. */
export declare function create(config: SessionConfig): Session;

/** The WebSocket URL qixcore's URL builder makes from config. */
export declare function buildURL(config: URLConfig, options?: { worker?: boolean; wasmURL?: string }): Promise<string>;

export type { Global, Doc, QixClasses };

declare const qix: { create: typeof create; buildURL: typeof buildURL };
export default qix;
