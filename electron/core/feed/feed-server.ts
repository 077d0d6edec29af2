// The local subscription feed: serves each profile's .ics at /<token>/<profile>.ics with correct
// HTTP (ETag, Last-Modified, 304, HEAD), each file's revision held in memory (feed-revisions.ts).
// Loopback by default; on the LAN only with Basic auth.
// Serves nothing but the profiles' own files: no listing, no paths from the request reach the disk.
// Never lets idle or half-sent connections lock subscribers out (limits in feed-limits.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.ts';
import { FRESH_CEILING_FACTOR, guardConnections } from './connection-guard.ts';
import { resolveFeedLimits, type FeedLimits } from './feed-limits.ts';
import { FeedRevisions, type FeedRevision } from './feed-revisions.ts';

export interface FeedProfile {
  /** Profile name: the file name in the URL. */
  name: string;
  /** Unguessable per-profile token: the first path segment. */
  token: string;
  /** The profile's output file. */
  file: string;
}

export interface FeedServerOptions {
  /** Loopback unless the user explicitly chose the LAN. */
  host?: string;
  port?: number;
  /** Required when host is not a loopback address. */
  basicAuth?: { username: string; password: string };
  /** The profiles currently served; read on every request so changes apply at once. */
  profiles: () => FeedProfile[];
  /** Overrides of FEED_LIMITS (tests shorten the timeouts). */
  limits?: Partial<FeedLimits>;
  log?: (line: string) => void;
  /** Tests count the file reads, or turn the folder watch off to check the metadata fallback. */
  revisions?: ConstructorParameters<typeof FeedRevisions>[1];
}

export interface RunningFeed {
  port: number;
  host: string;
  url(profile: FeedProfile): string;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Constant-time comparison of a URL's token with a profile's. Tokens have a public, fixed format
 * (newFeedToken: 24 characters), so a length mismatch may answer at once; equal lengths are compared without
 * hashing (two SHA-256 per request were a third of the 304 path).
 */
function tokenEqual(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time comparison that does not tell the length either (user names and passwords). */
function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function authorized(header: string | undefined, auth: { username: string; password: string }): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return false;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i >= 0 && safeEqual(text.slice(0, i), auth.username) && safeEqual(text.slice(i + 1), auth.password);
}

function plain(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}, head = false): void {
  const body = Buffer.from(text + '\n');
  // A length lets an HTTP/1.0 client that asked for keep-alive keep its connection (Node closes one it cannot frame).
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(head ? undefined : body);
}

/**
 * The headers of an answer without a body (304), with "Connection: keep-alive" added for an HTTP/1.0 client
 * that asked for it and may keep it. Node closes such a connection after any answer without a length, though
 * a 304 needs none (RFC 9110 §15.4.5): every revalidation would cost a new TCP connection. HTTP/1.1 clients
 * are kept alive by Node already; a socket at its last allowed request (shouldKeepAlive false) is left to close.
 */
function bodilessKeepAlive(req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Record<string, string> {
  if (req.httpVersion !== '1.0' || !res.shouldKeepAlive || !/(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(req.headers.connection ?? '')) return headers;
  headers.Connection = 'keep-alive';
  return headers;
}

// Connections the kernel queues before the feed accepts them (Node's default is 511): a calendar feed never
// sees a burst of honest clients that large, and a smaller queue bounds a flood's overshoot of the caps.
const LISTEN_BACKLOG = 128;
// /<token>/<profile>.ics: the only paths the feed answers.
const FEED_PATH = /^\/([A-Za-z0-9_-]{16,})\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.ics$/;
// An attack sheds hundreds of sockets a second: one line a minute says so without flooding the log.
const SHED_LOG_EVERY_MS = 60_000;

function shedLogger(limits: FeedLimits, log: (line: string) => void): (count: number) => void {
  let total = 0;
  let lastLog = -Infinity;
  return (count) => {
    total += count;
    if (Date.now() - lastLog < SHED_LOG_EVERY_MS) return;
    log(`feed: closed ${total} waiting connection(s) over the limits (${limits.maxConnectionsPerAddress} per address, ${limits.maxConnections} in all); if this repeats, something is holding connections open`);
    total = 0;
    lastLog = Date.now();
  };
}

export async function startFeedServer(opts: FeedServerOptions): Promise<RunningFeed> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.basicAuth) {
    throw new AppError('CONFIG', `The feed would listen on ${host}, beyond this machine: set a user name and password for it (HTTP Basic authentication is required on the LAN).`, { host });
  }
  const log = opts.log ?? (() => {});
  const limits = resolveFeedLimits(opts.limits);
  const server = http.createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  });
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxHeadersCount = limits.maxHeadersCount;
  server.timeout = limits.idleTimeoutMs;
  // Only a last resort for file descriptors: the guard keeps the count under its ceiling, this catches a
  // burst bigger than one listen backlog arriving between two of its passes.
  server.maxConnections = limits.maxConnections * FRESH_CEILING_FACTOR + LISTEN_BACKLOG;
  guardConnections(server, limits, shedLogger(limits, log));
  const revisions = new FeedRevisions(limits.revisionRecheckMs, opts.revisions);
  const answer = (req: http.IncomingMessage, res: http.ServerResponse, profile: FeedProfile, rev: FeedRevision, head: boolean): void => {
    const { etag, lastModified, data } = rev;
    const headers = { ETag: etag, 'Last-Modified': rev.lastModifiedText, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm !== undefined ? inm === etag || inm.split(',').map((s) => s.trim()).some((t) => t === etag || t === `W/${etag}` || t === '*') : ims !== undefined && Date.parse(ims) >= lastModified.getTime();
    if (notModified) {
      res.writeHead(304, bodilessKeepAlive(req, res, headers));
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Length': String(data.length), 'Content-Disposition': `inline; filename="${profile.name}.ics"` });
    res.end(head ? undefined : data);
  };
  const failed = (req: http.IncomingMessage, res: http.ServerResponse, head: boolean, err: unknown): void => {
    log(`feed: ${req.method} failed: ${(err as Error).message}`);
    if (!res.headersSent) plain(res, 500, 'Internal error', {}, head);
    else res.destroy();
  };
  server.on('request', (req, res) => {
    const head = req.method === 'HEAD';
    try {
      if (req.method !== 'GET' && !head) return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      if (opts.basicAuth && !authorized(req.headers.authorization, opts.basicAuth)) {
        return plain(res, 401, 'Authentication required', { 'WWW-Authenticate': 'Basic realm="mailbox2ics", charset="UTF-8"' }, head);
      }
      // A target that is already a feed path is its own pathname (no query, dot segments or escapes can be in
      // it); anything else goes through URL parsing as before.
      const m = FEED_PATH.exec(req.url ?? '') ?? FEED_PATH.exec(new URL(req.url ?? '/', 'http://feed').pathname);
      const served = opts.profiles();
      const profile = m && served.find((p) => p.name === m[2] && tokenEqual(m[1], p.token));
      if (!profile) return plain(res, 404, 'Not found', {}, head);
      if (revisions.size > served.length) revisions.retain(new Set(served.map((p) => p.file)));
      // In memory once read: a 304 or 200 for an unchanged revision does not touch the disk, nor wait a turn.
      const held = revisions.current(profile.file);
      if (held) return answer(req, res, profile, held, head);
      revisions.get(profile.file).then(
        (rev) => {
          try {
            answer(req, res, profile, rev, head);
          } catch (err) {
            failed(req, res, head, err);
          }
        },
        () => plain(res, 404, `The calendar for "${profile.name}" has not been written yet.`, {}, head),
      );
    } catch (err) {
      failed(req, res, head, err);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new AppError('CONFIG', `The feed cannot listen on ${host}:${opts.port ?? 0}: ${err.code ?? err.message}`, { host, port: opts.port })),
    );
    server.listen(opts.port ?? 0, host, LISTEN_BACKLOG, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    port,
    host,
    url: (p) => `http://${shown}:${port}/${p.token}/${p.name}.ics`,
    close: () =>
      new Promise<void>((resolve) => {
        revisions.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A new unguessable token for a profile's feed URL (144 random bits). */
export function newFeedToken(): string {
  return randomBytes(18).toString('base64url');
}

export function webcalUrl(httpUrl: string): string {
  return httpUrl.replace(/^http:/, 'webcal:');
}
