// The local feed's connection limits: how many sockets, per address and in all, how long a client may take
// to send its headers, stay idle or keep one connection. Explicit numbers with a reason; never unbounded.
import { AppError } from '../errors.ts';

export interface FeedLimits {
  /** Sockets open at once from all clients; over it the longest-waiting idle or half-sent one is closed. */
  maxConnections: number;
  /** Sockets open at once from one address (IPv4, or IPv6 as given); the same shedding within that address. */
  maxConnectionsPerAddress: number;
  /** How long a newly connected (or just answered) socket is spared while longer-waiting ones are shed. */
  freshGraceMs: number;
  /** From connect (or from the first byte of a later request) until the request's headers are complete. */
  headersTimeoutMs: number;
  /** From connect until the whole request is in (a GET has no body, so barely more than the headers). */
  requestTimeoutMs: number;
  /** How often the deadlines above are checked: how late a slow socket may be closed. */
  checkEveryMs: number;
  /** How long a kept-alive socket may sit silent after an answer before it is closed. */
  keepAliveTimeoutMs: number;
  /** Requests served on one connection before the server asks the client to reconnect. */
  maxRequestsPerSocket: number;
  /** Longest silence on a socket while an answer is being sent (a client that stopped reading). */
  idleTimeoutMs: number;
  /** Total size of a request's start line and headers; more is answered 431. */
  maxHeaderBytes: number;
  /** Number of header lines kept; more are dropped by Node before the request reaches the feed. */
  maxHeadersCount: number;
  /** How long a file's revision in memory is served before its metadata is checked again, if no folder watch said it changed. */
  revisionRecheckMs: number;
}

export const FEED_LIMITS: Readonly<FeedLimits> = Object.freeze({
  // A household or office subscribing a few dozen calendar apps, each polling with one or two connections;
  // each socket costs a file descriptor and a parser, so a few dozen is plenty and cheap.
  maxConnections: 64,
  // One machine's calendar apps and a browser. On a loopback-only feed every client is 127.0.0.1, so this is
  // the effective cap there — which is why over the caps the longest-waiting socket is closed rather than the
  // newcomer refused: an attacker holding every slot cannot keep a subscriber from being served.
  maxConnectionsPerAddress: 16,
  // A client's request follows its connect within milliseconds, a few hundred on a bad link; a second covers
  // that. A slowloris socket is past it long before its headers deadline, so it is what gets shed.
  freshGraceMs: 1_000,
  // A calendar client sends its few hundred bytes of headers in one packet; 5 s covers a slow Wi-Fi link,
  // and bounds how long a half-sent request holds a slot when nobody else needs it.
  headersTimeoutMs: 5_000,
  // GET and HEAD carry no body: a little more than the headers deadline.
  requestTimeoutMs: 10_000,
  // Node checks its deadlines every 30 s by default, so a 10 s deadline was really up to 40 s.
  // Four checks a second over at most a few dozen sockets costs nothing measurable.
  checkEveryMs: 250,
  // Node's default: long enough to reuse the connection for an immediate second request (a HEAD then GET,
  // a conditional refetch), short enough that parked sockets do not pile up. (Node holds the socket one
  // second past it, so a client reusing it at the last moment is not reset.)
  keepAliveTimeoutMs: 5_000,
  // A poller makes one or two requests per visit; the cap only stops one socket being kept forever by a
  // client that asks again and again. nginx's default (keepalive_requests, 1,000 since 1.19.10): ending a
  // connection costs its client a reconnect, and at 100 that was 40% of the 304 rate under load.
  maxRequestsPerSocket: 1_000,
  // A multi-megabyte calendar reaches even a slow LAN client in seconds; 30 s of no progress is a stalled reader.
  idleTimeoutMs: 30_000,
  // Feed requests carry well under 1 KiB (path, Host, User-Agent, Authorization, If-None-Match); 8 KiB is the
  // per-line limit nginx and Apache use, and keeps what a socket may make the parser buffer small.
  maxHeaderBytes: 8 * 1024,
  // Calendar clients send about ten header lines.
  maxHeadersCount: 64,
  // The folder watch drops a changed revision at once; this only bounds how stale it can be where a watch
  // missed a change (a replaced folder, a network file system): a poller asks every few minutes, so a
  // second is invisible, and one metadata check a second per file costs nothing under any load.
  revisionRecheckMs: 1_000,
});

/** The defaults with the given overrides (tests shorten the timeouts); refuses a combination that cannot work. */
export function resolveFeedLimits(overrides: Partial<FeedLimits> = {}): FeedLimits {
  const limits: FeedLimits = { ...FEED_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    // A zero grace is allowed: strictly longest-waiting-first (tests that check the order use it).
    const least = name === 'freshGraceMs' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new AppError('CONFIG', `Feed limit ${name} must be a whole number of at least ${least}, not ${String(value)}.`, { name });
  }
  if (limits.maxConnectionsPerAddress > limits.maxConnections) {
    throw new AppError('CONFIG', `Feed limit maxConnectionsPerAddress (${limits.maxConnectionsPerAddress}) exceeds maxConnections (${limits.maxConnections}).`);
  }
  if (limits.freshGraceMs >= limits.headersTimeoutMs) {
    throw new AppError('CONFIG', `Feed limit freshGraceMs (${limits.freshGraceMs}) must be shorter than headersTimeoutMs (${limits.headersTimeoutMs}), or a slow socket is never shed before its deadline.`);
  }
  // Node refuses a headers deadline longer than the whole-request one.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new AppError('CONFIG', `Feed limit headersTimeoutMs (${limits.headersTimeoutMs}) exceeds requestTimeoutMs (${limits.requestTimeoutMs}).`);
  }
  return limits;
}
