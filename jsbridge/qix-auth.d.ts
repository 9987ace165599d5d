// Types for /qix-auth.js: building browser WebSocket URLs for Qlik Cloud
// (web integration id + CSRF token) and Qlik Sense Enterprise (virtual
// proxy prefix + CSRF token, tickets), explaining failed handshakes, and
// redacting secrets from messages.
import type { Session, SessionConfig, Global, Doc } from './qix.js';

export type Flavor = 'cloud' | 'enterprise';
export declare const CLOUD: 'cloud';
export declare const ENTERPRISE: 'enterprise';
/** The mask every secret in this module's messages is replaced by. */
export declare const REDACTED: 'REDACTED';

/** What a user has, for connectURL() and openSession(). */
export interface ConnectOptions {
  /** Default: 'cloud' for …qlikcloud.com hosts, else 'enterprise'. */
  flavor?: Flavor;
  /** A URL pasted from the hub or the browser bar: https://<tenant>/sense/app/<appId>/…, https://<host>/<prefix>/sense/app/<appId>, …/single/?appid=<id> or an engine URL. */
  appURL?: string;
  /** Tenant or server host, with a port if not the default. */
  host?: string;
  port?: number;
  /** https/wss (default true); false for http/ws (local test servers). */
  secure?: boolean;
  /** Qlik Sense Enterprise virtual proxy prefix, e.g. 'sso' (none for the default proxy). */
  prefix?: string;
  /** The app id; 'engineData' for a session without an app. */
  appId?: string;
  /** Qlik Cloud web integration id whose allowed origins list this page's origin. Required for Qlik Cloud. */
  webIntegrationId?: string;
  /** A Qlik Sense Enterprise ticket, sent as the qlikTicket URL parameter. */
  qlikTicket?: string;
  /** /identity/<x>: a separate engine session for the same user. */
  identity?: string;
  /** /ttl/<seconds>. */
  ttl?: number;
  /** More URL parameters, in order. Authorization, API keys, bearer tokens and JWTs are refused. */
  params?: Array<[string, string]>;
  /** false skips the CSRF fetch (Qlik Sense Enterprise before the November 2024 release). */
  csrf?: boolean;
  /** The page origin named in messages (default location.origin). */
  origin?: string;
  /** The fetch used for the CSRF endpoint (default globalThis.fetch). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** What connectURL() resolves with. */
export interface ConnectInfo {
  /** The WebSocket URL to hand to create({url}); it holds the CSRF token: do not log it. */
  url: string;
  /** The same URL with secrets replaced by REDACTED, safe to show and log. */
  redactedURL: string;
  flavor: Flavor;
  host: string;
  secure: boolean;
  prefix: string;
  appId: string;
  /** Whether a CSRF token was fetched and put on the URL. */
  csrfToken: boolean;
}

/** Why this module refused or failed. */
export type QixAuthReason = 'secret-in-url' | 'missing-input' | 'csrf-failed' | 'handshake-failed';

/** The error this module throws; message and causes are readable and redacted. */
export declare class QixAuthError extends Error {
  readonly name: 'QixAuthError';
  readonly reason: QixAuthReason;
  /** Likely causes, most likely first. */
  readonly causes: string[];
  /** HTTP status of the CSRF fetch (0: blocked or unreachable). */
  readonly status?: number;
  /** Close code of the failed socket. */
  readonly closeCode?: number;
  readonly flavor?: Flavor;
  readonly cause?: unknown;
}

/** What explainHandshakeFailure() reads: everything is optional. */
export interface HandshakeContext {
  flavor?: Flavor;
  /** Which step failed: the CSRF fetch or the WebSocket. */
  stage?: 'csrf' | 'websocket';
  /** HTTP status of the CSRF fetch; 0 when the browser blocked it or could not reach the server. */
  status?: number;
  /** Close code of the socket (1006: refused during the handshake). */
  closeCode?: number;
  reason?: string;
  /** The WebSocket URL tried (redacted before use in text). */
  url?: string;
  host?: string;
  prefix?: string;
  webIntegrationId?: string;
  /** The page origin (default location.origin). */
  origin?: string;
  hasCsrfToken?: boolean;
  /** Status of a CSRF fetch made after the socket failed (401: signed out). */
  probeStatus?: number;
}

export interface HandshakeExplanation {
  summary: string;
  causes: string[];
  /** Summary and numbered causes in one readable, redacted string. */
  text: string;
}

/** Readable likely causes of a failed CSRF fetch or WebSocket handshake. */
export declare function explainHandshakeFailure(ctx: HandshakeContext): HandshakeExplanation;

/** Fetches the CSRF token and returns the WebSocket URL; rejects with an explained QixAuthError. */
export declare function connectURL(opts: ConnectOptions): Promise<ConnectInfo>;

/** Explains an error of session.open() for the connection described (probing the CSRF endpoint once unless probe is false). */
export declare function explainSessionError(
  err: { code?: number; reason?: string } | undefined,
  ctx: Partial<ConnectInfo> & ConnectOptions & { probe?: boolean },
): Promise<QixAuthError>;

/** connectURL(), then create() and open() (and the app): rejects with an explained, redacted QixAuthError. */
export declare function openSession(
  create: (config: SessionConfig) => Session,
  opts: ConnectOptions,
  sessionConfig?: Omit<SessionConfig, 'url'>,
): Promise<{ session: Session; global: Global; app: Doc | null; url: string }>;

/** An app URL from the hub, the browser bar or an engine URL, read; null when it names no app. */
export declare function parseAppURL(
  input: string,
  flavor?: Flavor,
): { flavor: Flavor; host: string; secure: boolean; prefix: string; appId: string } | null;

/** Flavour, host, prefix and app id from options and a pasted URL. */
export declare function resolveTarget(opts: ConnectOptions): { flavor: Flavor; host: string; secure: boolean; prefix: string; appId: string };

/** Throws a QixAuthError ('secret-in-url') for API keys, Authorization, bearer tokens or JWTs in options or URLs. */
export declare function refuseSecrets(opts: ConnectOptions & Record<string, unknown>): void;

/** Whether a host is a Qlik Cloud tenant's (…qlikcloud.com and kin). */
export declare function isCloudHost(host: string): boolean;
/** Whether a parameter or field name carries a credential (qixcore/redact.go's rules). */
export declare function secretName(name: string): boolean;
/** Free text with credentials masked. */
export declare function redactText(s: unknown): string;
/** A URL with secret query and fragment values masked. */
export declare function redactURL(url: unknown): string;

declare const qixAuth: {
  connectURL: typeof connectURL;
  openSession: typeof openSession;
  explainHandshakeFailure: typeof explainHandshakeFailure;
  explainSessionError: typeof explainSessionError;
  parseAppURL: typeof parseAppURL;
  resolveTarget: typeof resolveTarget;
  refuseSecrets: typeof refuseSecrets;
  redactText: typeof redactText;
  redactURL: typeof redactURL;
  isCloudHost: typeof isCloudHost;
  QixAuthError: typeof QixAuthError;
  CLOUD: typeof CLOUD;
  ENTERPRISE: typeof ENTERPRISE;
};
export default qixAuth;
