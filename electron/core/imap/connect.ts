// Opens an authenticated imapflow connection with verified TLS and turns every failure into an
// AppError that names the server and says what to do. Never logs or returns the password.
import type { ImapFlow } from 'imapflow';
import { AppError } from '../errors.ts';
import { probeCertificate } from './cert-probe.ts';
import { withCaPem } from './ca-file.ts';
import { PinMismatchError, pinnedTransport } from './pinned-transport.ts';
import { tlsOptions, type TrustOptions } from './tls-options.ts';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_MAX_PART_BYTES, LOGOUT_TIMEOUT_MS, MAX_RESPONSE_LINE_BYTES, MIN_LITERAL_BYTES } from '../limits.ts';

export type Security = 'tls' | 'starttls' | 'plaintext';

export interface ConnectOptions extends TrustOptions {
  host: string;
  port?: number;
  security: Security;
  username: string;
  password: string;
  /** OAuth2 access token (XOAUTH2 / OAUTHBEARER) instead of the password, which is then unused. */
  accessToken?: string;
  /** Connection and greeting timeout, ms. */
  timeoutMs?: number;
  /** The whole login (greeting to authenticated) must finish within this, ms. */
  loginTimeoutMs?: number;
  /** Calendar parts above this are never fetched: it sizes the largest literal accepted. */
  maxPartBytes?: number;
}

/**
 * The largest literal accepted from the server: a calendar part we may ask for (+1 byte, to see that
 * a part is larger), or metadata an honest server may send, whichever is larger. imapflow's default
 * is 1 GiB, and it holds a literal whole in memory before anyone can look at it.
 */
export function literalLimit(maxPartBytes = DEFAULT_MAX_PART_BYTES): number {
  return Math.max(maxPartBytes + 1, MIN_LITERAL_BYTES);
}

export function defaultPort(security: Security): number {
  return security === 'tls' ? 993 : 143;
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

function findCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Maps a connection/login failure to an AppError with a message a user can act on. */
export async function explainConnectError(err: unknown, opts: ConnectOptions, port: number): Promise<AppError> {
  const server = `${opts.host}:${port}`;
  const code = findCode(err) ?? '';
  const e = err as { authenticationFailed?: boolean; responseText?: string; message?: string };
  if (e?.authenticationFailed && opts.accessToken) {
    // The reason (expired, revoked, wrong user) is only in the server's log; the caller refreshes once.
    return new AppError('TOKEN_REJECTED', `${server} refused the sign-in token of "${opts.username}".`, { server, username: opts.username });
  }
  if (e?.authenticationFailed) {
    const why = e.responseText ? ` (server said: ${e.responseText})` : '';
    return new AppError('LOGIN_REJECTED', `Login as "${opts.username}" was rejected by ${server}${why}. Check the user name and password.`, { server, username: opts.username });
  }
  if (err instanceof PinMismatchError || (err as { cause?: unknown })?.cause instanceof PinMismatchError) {
    const pin = (err instanceof PinMismatchError ? err : (err as { cause: PinMismatchError }).cause);
    const cert = await probeCertificate(opts.host, port, opts.security === 'starttls');
    const who = cert ? ` (subject: ${cert.subject}; issuer: ${cert.issuer})` : '';
    return new AppError(
      'TLS_UNTRUSTED',
      `The certificate of ${server} is not the one you trusted: it has the SHA-256 fingerprint ${pin.presented || 'unknown'}${who}, the pinned one is ${pin.pinned}. If the server's certificate was legitimately replaced, trust the new one; otherwise someone may be intercepting the connection.`,
      { server, tlsCode: pin.verifyCode, certificate: cert },
    );
  }
  if (UNTRUSTED.has(code)) {
    const cert = await probeCertificate(opts.host, port, opts.security === 'starttls');
    const fp = cert ? ` Its SHA-256 fingerprint is ${cert.fingerprint256} (subject: ${cert.subject}; issuer: ${cert.issuer}).` : '';
    return new AppError(
      'TLS_UNTRUSTED',
      `The certificate of ${server} is not trusted (${code}).${fp} If you trust this server, pass its CA certificate with --ca-file FILE, or pin this certificate with --pin-sha256 FINGERPRINT.`,
      { server, tlsCode: code, certificate: cert },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new AppError('TLS_HOSTNAME', `The certificate of ${server} is not valid for the host name "${opts.host}": ${e.message ?? ''}`.trim(), { server, tlsCode: code });
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new AppError('TLS_FAILED', `The certificate of ${server} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'}.`, { server, tlsCode: code });
  }
  if (code === 'ECONNREFUSED') return new AppError('CONNECTION_REFUSED', `Connection to ${server} was refused: is the server running and is the port right?`, { server });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AppError('HOST_NOT_FOUND', `The server name "${opts.host}" could not be resolved.`, { server });
  if (code === 'ETIMEDOUT' || code === 'CONNECT_TIMEOUT' || code === 'GREETING_TIMEOUT' || code === 'UPGRADE_TIMEOUT') {
    return new AppError('CONNECTION_TIMEOUT', `Connection to ${server} timed out (${code}).`, { server });
  }
  if (/tls|ssl|certificate/i.test(code) || (e as { tlsFailed?: boolean })?.tlsFailed) {
    return new AppError('TLS_FAILED', `The secure connection to ${server} failed: ${e.message ?? code}`, { server, tlsCode: code });
  }
  return new AppError('CONNECTION_LOST', `Could not connect to ${server}: ${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, { server, code });
}

export async function connectImap(given: ConnectOptions): Promise<ImapFlow> {
  // Callers that bind a password to the CA file's content pass caPem; otherwise it is read here.
  const opts = await withCaPem(given);
  const port = opts.port ?? defaultPort(opts.security);
  const timeout = opts.timeoutMs ?? 30_000;
  // Loaded on first use: a local run (--maildir, --mbox, files) never needs it, and it is a third of
  // the command's start-up memory.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: opts.host,
    port,
    secure: opts.security === 'tls',
    // STARTTLS is required, not opportunistic: a server that does not offer it is an error.
    doSTARTTLS: opts.security === 'starttls' ? true : opts.security === 'plaintext' ? false : undefined,
    auth: opts.accessToken ? { user: opts.username, accessToken: opts.accessToken } : { user: opts.username, pass: opts.password },
    tls: tlsOptions(opts),
    // A pinned certificate needs its own transport: Node only exposes the verification verdict
    // to code that sees the handshake, before imapflow sends anything.
    ...(opts.pinnedFingerprint ? { transport: pinnedTransport(opts.pinnedFingerprint) } : {}),
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: 5 * 60_000,
    maxLiteralSize: literalLimit(opts.maxPartBytes),
    maxLineLength: MAX_RESPONSE_LINE_BYTES,
    // One FETCH answer may carry several calendar parts of one message (each within the literal limit).
    maxResponseSize: 4 * literalLimit(opts.maxPartBytes) + MAX_RESPONSE_LINE_BYTES,
    clientInfo: { name: 'mailbox2ics' },
  } as ConstructorParameters<typeof ImapFlow>[0]);
  // imapflow emits 'error' on socket failures; without a listener Node would crash the process.
  client.on('error', () => {});
  // The socket timeout only fires when the connection is idle: a server that answers the login with
  // an endless stream of "* OK" lines would hold the run forever without this deadline.
  const loginMs = opts.loginTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    client.close();
  }, loginMs);
  try {
    await client.connect();
  } catch (err) {
    client.close();
    if (late) {
      throw new AppError('SERVER_TIMEOUT', `${opts.host}:${port} did not complete the login within ${Math.round(loginMs / 100) / 10} s (it kept the connection busy without finishing).`, { server: `${opts.host}:${port}` });
    }
    throw await explainConnectError(err, opts, port);
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** LOGOUT, but never waiting longer than `ms` for it: a server that answers LOGOUT (or anything) with
 * an endless stream of lines must not hold a finished run. The connection is closed either way. */
export async function disconnect(client: ImapFlow, ms = LOGOUT_TIMEOUT_MS): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([client.logout(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } catch {
    /* closed below */
  } finally {
    clearTimeout(timer);
    client.close();
  }
}
