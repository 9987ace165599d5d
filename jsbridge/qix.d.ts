// Types for /qix.js, the qix-wasm bridge. The per-class method interfaces
// (Global, Doc, GenericObject, ...) and the engine API's definitions
// (GenericObjectLayout, HyperCube, NxPage, ...) are generated from the QIX
// schema and the engine API specification into qix-methods.d.ts.
import type { Global, Doc, QixClasses, ProgressData, GenericObjectLayout } from './qix-methods.js';

export type * from './qix-methods.js';

/** A qType with a generated interface, e.g. 'Doc' or 'GenericObject'. */
export type QixType = keyof QixClasses;

/**
 * The JSON-RPC request as interceptors see it (enigma.js's shape): what
 * page code sends through a method call or session.send().
 */
export interface QixRequest {
  /** The request id (the requestId of the call's promise). */
  id?: number;
  jsonrpc?: string;
  /** The QIX method name as sent, e.g. 'GetLayout'. */
  method: string;
  /** The handle of the object the method is called on (-1 is Global). */
  handle: number;
  /** Positional or named params. */
  params: unknown[] | Record<string, unknown>;
  /** Asks for a JSON-Patch result (the delta protocol); set from config.protocol. */
  delta?: boolean;
  /** enigma.js's out key: the result member the call resolves with, or -1 for the whole result. */
  outKey?: string | -1;
  return_empty?: boolean;
}

/**
 * What session.send() takes: a request without the id and jsonrpc members,
 * which the session sets (the id becomes the promise's requestId).
 */
export type QixSendRequest = Omit<QixRequest, 'id' | 'jsonrpc'> & {
  /** Cancels the call when it aborts: it rejects at once with code -101 (name 'AbortError') and the engine gets a CancelRequest. */
  signal?: AbortSignal;
};

/**
 * The promise every call returns (enigma.js's): it carries the JSON-RPC
 * id of its request, e.g. for `global.cancelRequest(promise.requestId)`.
 */
export type QixPromise<T> = Promise<T> & { readonly requestId: number };

/** The request a response interceptor gets: it can be sent again. */
export interface QixSentRequest extends QixRequest {
  /** Sends the request again; resolves or rejects as the original call would, through the interceptors. */
  retry(): Promise<any>;
}

/** What `this` is inside an interceptor (as in enigma.js). */
export interface InterceptorContext {
  /** The Promise constructor of the session (config.Promise or the global one). */
  readonly Promise: PromiseConstructor;
}

/** Runs on every request before it is sent; returns the request to send (or a promise of it). */
export interface RequestInterceptor {
  onFulfilled?(this: InterceptorContext, session: Session, request: QixRequest): QixRequest | PromiseLike<QixRequest>;
}

/**
 * Runs on every response, in config order: onFulfilled with the result so
 * far, onRejected with the error so far. What it returns (or throws) is what
 * the next interceptor, and at last the caller, gets.
 */
export interface ResponseInterceptor {
  onFulfilled?(this: InterceptorContext, session: Session, request: QixSentRequest, result: any): unknown;
  onRejected?(this: InterceptorContext, session: Session, request: QixSentRequest, error: QixError): unknown;
}

type AnyFn = (...args: any[]) => any;

/**
 * The override entries of a mixin on objects of API T: each receives the
 * method it replaces (bound to the object) and the call's arguments.
 */
export type MixinOverrides<T> = {
  [K in keyof T]?: T[K] extends (...args: infer A) => infer R
    ? (this: T, base: (...args: A) => R, ...args: A) => R | Awaited<R> | Promise<Awaited<R>>
    : never;
};

/**
 * A mixin (enigma.js's): adds methods to (extend), or wraps methods of
 * (override), every object whose qType or genericType is in types, and runs
 * init once per such object. T is the API of those objects, E the methods
 * it adds; inside extend and override `this` is the object.
 */
export interface Mixin<T extends QixObject = any, E extends object = Record<string, AnyFn>> {
  /** qTypes ('Doc', 'GenericObject', 'Global', ...) or genericTypes ('barchart') to apply to. */
  types?: QixType | (string & {}) | Array<QixType | (string & {})>;
  /** One more type, as enigma.js also accepts. */
  type?: QixType | (string & {});
  init?(args: { config: SessionConfig; api: T & E }): void;
  extend?: E & ThisType<T & E>;
  override?: MixinOverrides<T>;
}

/** A WebSocket as createSocket must return it: the browser's or one that behaves like it. */
export type QixSocket = Pick<WebSocket, 'send' | 'close' | 'readyState' | 'onopen' | 'onmessage' | 'onclose' | 'onerror'> &
  Partial<Pick<WebSocket, 'binaryType' | 'protocol' | 'url' | 'addEventListener' | 'removeEventListener'>>;

/** Configuration of create(): enigma.js 2.x's, plus qix-wasm's own (worker, wasmURL, timeout). */
export interface SessionConfig {
  /** The engine WebSocket URL, e.g. ws://host:9076/app/Sales or wss://tenant/app/<id> (see buildURL). */
  url: string;
  /** JSON-RPC protocol options. delta (default true) asks for JSON-Patch layouts, applied for you. */
  protocol?: { delta?: boolean };
  /** When the socket closes without close() or suspend(), suspend instead of closing (then resume()). */
  suspendOnClose?: boolean;
  /** An enigma.js-style schema ({structs: {Class: {Method: ...}}}) to name methods; default: the built-in one. */
  schema?: { structs: Record<string, Record<string, unknown>>; enums?: Record<string, unknown>; version?: string };
  /** Makes the socket for url (auth proxies, tests); default: new WebSocket(url). */
  createSocket?: (url: string) => QixSocket;
  /** The Promise constructor the session's promises and interceptors use. */
  Promise?: PromiseConstructor;
  /** Mixins, applied in array order. */
  mixins?: Array<Mixin<any, any>>;
  /** Request interceptors, applied in array order. */
  requestInterceptors?: RequestInterceptor[];
  /** Response interceptors, applied in array order. */
  responseInterceptors?: ResponseInterceptor[];
  /** Run the Go module in a dedicated Web Worker (default true) or on this thread (false). */
  worker?: boolean;
  /** Where qix.wasm is served (default: next to qix.js). */
  wasmURL?: string;
  /** Bound on every call in milliseconds; 0 (default) means none. Timed-out calls send CancelRequest. */
  timeout?: number;
  /** Freeze results (delta results share unchanged subtrees between calls): a write throws where it happens. */
  freeze?: boolean;
  /**
   * Milliseconds between Global.GetProgress polls while an OpenDoc, DoReload,
   * DoReloadEx or DoSave call is in flight and someone listens to 'progress'
   * (default 250); false never polls.
   */
  progress?: number | false;
  /**
   * Most calls the session has at the engine at once (default 256); the
   * others wait in a FIFO queue (their requestId is known at once).
   * CancelRequest, AbortRequest and AbortAll never wait.
   */
  maxInFlight?: number;
  /**
   * Calls of Get…, Create… and OpenDoc the engine aborted (error 15) are
   * sent again, with the same request id, after 25, 50, 100 ms … : true
   * (default) retries 3 times, a number that many times, false never.
   * Calls the page cancelled itself are never retried.
   */
  retryAborted?: boolean | number;
  /**
   * A call the engine refuses with 6003 (LOCERR_HC_MODAL_OBJECT_ERROR:
   * another object is in selection mode) ends that mode with
   * Doc.AbortModal and is sent again, once, as Qlik's own clients do:
   * 'cancel' (default, or true) drops the other object's pending
   * selections (AbortModal(false)), 'accept' keeps them, false hands the
   * 6003 to the caller. Never for AbortModal and EndSelections.
   */
  modalRecovery?: 'cancel' | 'accept' | boolean;
  /**
   * Automatic resume (default on; off by default when suspendOnClose is
   * true, to keep enigma.js's manual suspend/resume). After a network loss
   * or a close code that means "try again" (1001, 1006, 1011–1014, 4003,
   * 4004, 4007, 4200, 4205, 4206, 4210, 4211, 4220, 4222, 4240) the
   * session reconnects by itself and rebinds every object in place; never
   * after close(), suspend(), or codes such as 1000, 4001, 4006, 4203,
   * 4204, 4230. false turns it off; true is the defaults.
   */
  resume?: boolean | ResumeConfig;
}

/** Options of automatic resume (config.resume). */
export interface ResumeConfig {
  /** Default true. */
  enabled?: boolean;
  /** Attempts per outage before the session closes (default 8). */
  maxAttempts?: number;
  /** Backoff with full jitter: attempt n waits a random time up to min(maxDelay, minDelay·2^(n-1)) ms (defaults 250 and 15000). */
  minDelay?: number;
  maxDelay?: number;
  /**
   * Calls made while reconnecting: 'queue' (default) waits for the resume
   * and sends them then, or rejects with -100 after queueTimeout ms
   * (default 30000) or with -1 when resume gives up; 'fail' rejects them
   * at once with -11.
   */
  waitForCalls?: 'queue' | 'fail';
  queueTimeout?: number;
}

/** The 'reconnecting' event of a Session: automatic resume is about to try. */
export interface ReconnectingEvent {
  /** From 1. */
  attempt: number;
  /** Milliseconds waited before this attempt (an `online` or visible-again page tries at once). */
  delay: number;
  /** Why the socket or the previous attempt failed. */
  error: QixError;
}

/** One GetProgress poll for a call in flight: its qProgressData, plus which call and whether it settled. */
export interface ProgressEvent extends ProgressData {
  method: 'OpenDoc' | 'DoReload' | 'DoReloadEx' | 'DoSave';
  requestId: number;
  /** The poll after the call settled: the end of the script log, a failed reload's qErrorData. */
  done: boolean;
}

/**
 * The second argument of a session's 'error' event: the event whose
 * listener threw and its emitter, or, with event 'frame', a received frame
 * that named no call (the error is then a QixError of code -102 without
 * the frame's content; without 'error' listeners the first one is a
 * console warning); such a frame is dropped after the report.
 */
export interface ErrorEventInfo {
  event: 'frame' | (string & {});
  target: unknown;
  /** event 'frame': an id no call has (nor had), an id that is not an integer, neither id nor method nor lists, not a JSON-RPC message. */
  reason?: 'unknown id' | 'id of wrong type' | 'no id and no method' | 'undecodable';
  /** event 'frame': such frames so far on this session (as session.strayFrames). */
  count?: number;
}

/** What watch() and watchLayout() return. */
export interface Watch {
  /** Settles once the first fetch (and its listener or onError) is done. */
  first: Promise<void>;
  /** Fetches again now (coalesced with a fetch in flight). */
  refresh(): Promise<void>;
  /** Ends the subscription. */
  stop(): void;
}

/** Options of watch() and watchLayout(). */
export interface WatchOptions {
  /** Called when a fetch fails (not for fetches a newer change overtook); default console.error. */
  onError?: (err: unknown) => void;
}

/**
 * watch fetches now and on every 'changed' of obj, one fetch in flight,
 * handing listener only values no newer change overtook.
 */
export function watch<O extends QixObject, T>(obj: O, fetch: (obj: O) => Promise<T>, listener: (value: T) => void, options?: WatchOptions): Watch;

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
  /** Engine error code (e.g. 1003, 6003), an enigma.js client code (-1 not connected, -11 suspended, -12 not attached), or qix-wasm's own: -100 timeout, -101 cancelled, -102 protocol error (an undecodable reply, an impossible or reused handle, a frame that named no call). */
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
  /** Client errors (negative codes), as enigma.js marks them. */
  enigmaError?: boolean;
  /** How often the call was retried after the engine aborted it (retryAborted), when it was. */
  retries?: number;
  /** Calls cut off by the socket's close (code -1): the close code. */
  closeCode?: number;
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
  /** Set when automatic resume gave up: after how many attempts (error says why). */
  resumeAttempts?: number;
}

/** The 'suspended' event of a Session. */
export interface SuspendedEvent {
  initiator: 'manual' | 'network';
  code: number;
  reason: string;
  error: QixError;
}

type Listener<A extends unknown[]> = (...args: A) => void;

/** The listener arguments of event E in event map M; `notification:<method>` events get the params. */
export type EventArgs<M, E extends string> = E extends keyof M
  ? M[E] extends unknown[]
    ? M[E]
    : never
  : E extends `notification:${string}`
    ? [any]
    : never;

/**
 * The event surface of sessions and API objects: enigma.js's (node's
 * EventEmitter names as well as on/once/off), typed by event map M whose
 * names are N.
 */
export interface QixEmitter<M, N extends string = Extract<keyof M, string>> {
  on<E extends N>(event: E, fn: Listener<EventArgs<M, E>>): this;
  /** The same as on(). */
  addListener<E extends N>(event: E, fn: Listener<EventArgs<M, E>>): this;
  once<E extends N>(event: E, fn: Listener<EventArgs<M, E>>): this;
  /** Removes fn (also when added with once()), or every listener of event when fn is left out. */
  off<E extends N>(event: E, fn?: Listener<EventArgs<M, E>>): this;
  /** The same as off(event, fn). */
  removeListener<E extends N>(event: E, fn: Listener<EventArgs<M, E>>): this;
  /** Removes every listener of event, or of every event when it is left out. */
  removeAllListeners(event?: N): this;
  /** A copy of the listeners of event, in the order they run. */
  listeners<E extends N>(event: E): Array<Listener<EventArgs<M, E>>>;
  /** Calls every listener of event with args; false when there were none. */
  emit<E extends N>(event: E, ...args: EventArgs<M, E>): boolean;
}

/** The events of an API object and their listener arguments. */
export interface QixObjectEvents {
  /** The object's layout or properties changed (fires before the promise of the call that caused it settles). */
  changed: [];
  /** The object is gone (closed by the engine, the session closed, or resume() could not restore it). */
  closed: [];
  suspended: [];
  /** A frame for this object's handle, parsed. */
  'traffic:sent': [any];
  'traffic:received': [any];
  'traffic:*': ['sent' | 'received', any];
  /** Progress of an OpenDoc, DoReload(Ex) or DoSave this object called (see Config.progress). */
  progress: [ProgressEvent];
}

/** One remote object (a handle). Its schema methods come from the interface of its class. */
export interface QixObject extends QixEmitter<QixObjectEvents> {
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
  call(method: string, ...args: unknown[]): QixPromise<any>;
  /**
   * Calls listener with the object's layout now and after every change: one
   * GetLayout in flight, layouts a newer change overtook dropped; with delta,
   * unchanged parts keep their identity between layouts.
   */
  watchLayout(listener: (layout: GenericObjectLayout) => void, options?: WatchOptions): Watch;
}

/** The events of a Session and their listener arguments (besides `notification:<method>`). */
export interface SessionEvents {
  opened: [];
  resumed: [];
  closed: [ClosedEvent];
  suspended: [SuspendedEvent];
  /** Automatic resume is about to try (see SessionConfig.resume); 'resumed' or 'closed' follows. */
  reconnecting: [ReconnectingEvent];
  /** Every frame, parsed, with its size in bytes. */
  'traffic:*': ['sent' | 'received', any, number];
  'traffic:sent': [any, number];
  'traffic:received': [any, number];
  /** Every engine notification: its method name and params. */
  'notification:*': [string, any];
  /** Progress of OpenDoc, DoReload(Ex) and DoSave calls (see Config.progress). */
  progress: [ProgressEvent];
  /**
   * A listener (of the session or of one of its objects) threw: the error,
   * the event it was handling and the emitter. Without 'error' listeners
   * it goes to console.error; either way the other listeners still run.
   * Or a frame from the engine named no call (event 'frame', see
   * ErrorEventInfo): the error has code -102 and carries no frame content.
   */
  error: [unknown, ErrorEventInfo];
}

/** The names of Session events: SessionEvents and `notification:<method>`, e.g. 'notification:OnConnected'. */
export type SessionEventName = Extract<keyof SessionEvents, string> | `notification:${string}`;

/** What session.getObjectApi() takes: an object reference as the engine returns it. */
export interface ObjectApiArgs<K extends string = string> {
  handle: number;
  id: string;
  /** qType, e.g. 'GenericObject'. */
  type: K;
  /** qGenericType, e.g. 'barchart' (mixins for it apply). */
  genericType?: string;
  customType?: string;
}

export interface Session extends QixEmitter<SessionEvents, SessionEventName> {}

/** One QIX session: a socket (owned by the Go module), its objects and their events. */
export declare class Session {
  /** The config create() got, with defaults filled in. */
  readonly config: Omit<SessionConfig, 'modalRecovery'> & Required<Pick<SessionConfig, 'protocol' | 'suspendOnClose' | 'worker' | 'wasmURL' | 'timeout' | 'maxInFlight'>> & {
    readonly retryAborted: number;
    readonly modalRecovery: 'cancel' | 'accept' | 'off';
  };
  readonly state: 'created' | 'open' | 'reconnecting' | 'suspended' | 'resuming' | 'closing' | 'closed';
  /** Live objects by handle; Global is -1. */
  readonly objects: Map<number, QixObject>;
  /** Frames from the engine that named no call so far (each also an 'error' event, see ErrorEventInfo). */
  readonly strayFrames: number;
  /** Connects and resolves with the Global object (handle -1). */
  open(): Promise<Global>;
  /** Closes the socket; pending calls reject and every object emits 'closed'. */
  close(code?: number, reason?: string): Promise<void>;
  /** Closes the socket but keeps the objects (code 4000 by default); calls reject with -11 until resume(). */
  suspend(code?: number, reason?: string): Promise<void>;
  /**
   * Reconnects and rebinds every object it can (same objects, new handles).
   * While automatic resume is reconnecting, tries at once instead of
   * waiting out the backoff and settles with its outcome.
   */
  resume(onlyIfAttached?: boolean): Promise<void>;
  /**
   * Sends a request through the request and response interceptors, as a
   * schema method does; resolves with what the response interceptors give.
   */
  send(request: QixSendRequest): QixPromise<any>;
  /**
   * The API object for an object reference, made (with its mixins) on
   * first use and the same object afterwards for the same handle.
   */
  getObjectApi<K extends QixType>(args: ObjectApiArgs<K>): QixClasses[K];
  getObjectApi(args: ObjectApiArgs): QixObject;
}

/** Makes a session; call open() on it to connect. */
export declare function create(config: SessionConfig): Session;

/**
 * withSignal runs fn and ties every call it makes synchronously to signal:
 * when signal aborts, the unsettled ones reject at once with code -101
 * (name 'AbortError', cause: signal.reason) and the engine gets a
 * CancelRequest; an already aborted signal rejects them without sending.
 * Calls made after an await inside fn are not tied. Returns fn's result:
 * `await withSignal(ctrl.signal, () => app.getAppLayout())`.
 */
export declare function withSignal<T>(signal: AbortSignal, fn: () => T): T;

/** What debugStats() reports about the Go module of one mode. */
export interface DebugStats {
  /** Go heap bytes in use (runtime.MemStats.HeapAlloc), after a collection when asked. */
  goHeapAlloc: number;
  goHeapInuse: number;
  goHeapObjects: number;
  /** Bytes Go got from the wasm memory (runtime.MemStats.Sys). */
  goSys: number;
  numGC: number;
  goroutines: number;
  /** Sessions the module has open. */
  sessions: number;
  /** js.Funcs the module holds (callbacks per socket, the module's own). */
  jsFuncs: number;
  /** JS values Go holds references to (wasm_exec.js's table), -1 when unknown. */
  jsValues: number;
  /** The wasm memory's size in bytes (it never shrinks). */
  wasmMemory: number;
}

/**
 * debugStats reports the memory of the Go module of one mode (worker by
 * default): for soak tests and leak hunting; with gc (default) it runs a
 * full collection first.
 */
export declare function debugStats(options?: { worker?: boolean; wasmURL?: string; gc?: boolean }): Promise<DebugStats>;

/** The WebSocket URL qixcore's URL builder makes from config. */
export declare function buildURL(config: URLConfig, options?: { worker?: boolean; wasmURL?: string }): Promise<string>;

/** enigma.js's SenseConfiguration for buildUrl (sense-utilities). */
export interface SenseURLConfig {
  /** Default 'localhost'. */
  host?: string;
  port?: number;
  /** Default true (wss). */
  secure?: boolean;
  prefix?: string;
  subpath?: string;
  /** Default 'app/engineData' when there is no appId. */
  route?: string;
  appId?: string;
  identity?: string;
  ttl?: number;
  /** Query parameters; an array value repeats the key. */
  urlParams?: Record<string, string | number | boolean | Array<string | number | boolean>>;
}

/** enigma.js's sense-utilities buildUrl: synchronous, the same options and output. */
export declare function buildUrl(config?: SenseURLConfig): string;

/** enigma.js's client error codes (negative; engine errors are positive). */
export declare const errorCodes: {
  readonly NOT_CONNECTED: -1;
  readonly OBJECT_NOT_FOUND: -2;
  readonly EXPECTED_ARRAY_OF_PATCHES: -3;
  readonly PATCH_HAS_NO_PARENT: -4;
  readonly ENTRY_ALREADY_DEFINED: -5;
  readonly NO_CONFIG_SUPPLIED: -6;
  readonly PROMISE_REQUIRED: -7;
  readonly SCHEMA_STRUCT_TYPE_NOT_FOUND: -8;
  readonly SCHEMA_MIXIN_CANT_OVERRIDE_FUNCTION: -9;
  readonly SCHEMA_MIXIN_EXTEND_NOT_ALLOWED: -10;
  readonly SESSION_SUSPENDED: -11;
  readonly SESSION_NOT_ATTACHED: -12;
};

/**
 * The API of an object of qType K with the methods mixins E add, for page
 * code that applies mixins: `const app = (await global.openDoc('Sales')) as WithMixins<'Doc', DocExtras>`.
 */
export type WithMixins<K extends QixType, E extends object> = QixClasses[K] & E;

export type { Global, Doc, QixClasses };

declare const qix: { create: typeof create; buildURL: typeof buildURL; buildUrl: typeof buildUrl; errorCodes: typeof errorCodes; withSignal: typeof withSignal };
export default qix;
