// The explicit limits of OAuth2 sign-in and token handling, each with the reason for its value.
// Pure constants: nothing here talks to a network or a keychain.

/** Refresh this long before the access token expires: a scan that starts with a token about to
 * expire would log in with one the server refuses a moment later (the token is checked at AUTHENTICATE). */
export const REFRESH_AHEAD_MS = 2 * 60_000;

/** Assumed access-token lifetime when the server sends no expires_in: short, so a missing value
 * costs one extra refresh rather than a login with an expired token. */
export const DEFAULT_TOKEN_LIFETIME_S = 300;

/** How long the browser sign-in waits for the redirect: long enough for a person with MFA, short
 * enough that a forgotten tab does not keep a port open for the whole session. */
export const BROWSER_SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/** Largest callback request line accepted by the loopback listener (a redirect URL with code,
 * state and iss is well under 2 KB; anything larger is not our authorization server). */
export const MAX_CALLBACK_URL_BYTES = 8 * 1024;

/** Largest answer accepted from an issuer (discovery, token, device endpoints): real ones are a
 * few KB; a hostile or broken one must not fill memory. */
export const MAX_ISSUER_RESPONSE_BYTES = 512 * 1024;

/** Each request to an issuer must finish within this: a stalled provider fails the sign-in or the
 * refresh with a clear message instead of freezing a sync. */
export const ISSUER_TIMEOUT_MS = 30_000;

/** Windows Credential Manager caps one item at 2,560 bytes: there, a larger record cannot be kept. */
export const MAX_TOKEN_RECORD_BYTES = 2_560;

/** A lock older than this whose owner is gone is taken over: a crashed CLI must not block the app
 * forever, and a refresh never takes this long (it is bounded by ISSUER_TIMEOUT_MS). */
export const TOKEN_LOCK_STALE_MS = 2 * ISSUER_TIMEOUT_MS;

/** How long a process waits for another one's refresh of the same account before giving up. */
export const TOKEN_LOCK_WAIT_MS = 2 * ISSUER_TIMEOUT_MS + 10_000;
