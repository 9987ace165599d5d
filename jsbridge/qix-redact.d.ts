// Types for /qix-redact.js: credential masking with qixcore/redact.go's rules.
/** The mask every secret is replaced by. */
export declare const REDACTED: 'REDACTED';
/** Matches a JWT (three base64url parts, the first a JSON object). */
export declare const JWT_RE: RegExp;
/** Whether a parameter or field name carries a credential. */
export declare function secretName(name: string): boolean;
/** Free text with credentials masked. */
export declare function redactText(s: unknown): string;
/** A URL with secret query and fragment values masked. */
export declare function redactURL(url: unknown): string;
